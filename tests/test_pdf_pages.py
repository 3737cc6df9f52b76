"""No sheet wasted: an opening that runs a few lines over closes up to fit its page, and cards
start in the room an opening leaves above them, at the size they have on every other page."""

from __future__ import annotations

import math
import re
import subprocess
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from kotcoach.base.vocab import Level
from kotcoach.catalogue.ladders import Index
from kotcoach.catalogue.loading import builtin_catalog_path
from kotcoach.catalogue.read import load_catalog
from kotcoach.coaching.planner import PlanRequest, make_plan
from kotcoach.export.content import Byline, Handout, cards_handout, plan_handout
from kotcoach.export.pdf import PAPERS, render_pdf
from tests.test_export import MM, Word, cell_text, tool, word_boxes

CARDS = (
    "sled-drag-heavy",
    "sissy-squat-assisted",
    "couch-stretch-hands-floor",
    "couch-stretch-upright",
    "atg-split-squat-raised",
)
KNEES = ("patellofemoral-pain", "knee-pain")
KNEE_PLAN = PlanRequest(level=Level.BEGINNER, conditions=KNEES)
FULL_PAGE = 20  # lines of text: a page holding fewer than this (other than the last) is wasted


@pytest.fixture(scope="module")
def shipped() -> Iterator[Index]:
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("KOTCOACH_NO_CACHE", "1")
        yield Index(load_catalog(builtin_catalog_path()))


def _knee_cards(index: Index) -> Handout:
    """The handout that wasted a sheet: five cards for two knee conditions, dated."""
    exercises = [next(e for e in index.catalog.exercises if e.id == i) for i in CARDS]
    return cards_handout(index, exercises, KNEES, Byline(date="26 November 2026"))


def _write(handout: Handout, paper: str, path: Path) -> Path:
    path.write_bytes(render_pdf(handout, paper).data)
    return path


# The same handouts are checked by several tests: each is rendered once on each paper, and the
# module runs on one xdist worker so that they share them.
pytestmark = pytest.mark.xdist_group("pdf-pages")
_RENDERED: dict[tuple[str, str], bytes] = {}


def _write_shared(name: str, make: Callable[[], Handout], paper: str, path: Path) -> Path:
    """`_write` for a handout that other tests render too, named by what it is."""
    if (name, paper) not in _RENDERED:
        _RENDERED[name, paper] = render_pdf(make(), paper).data
    path.write_bytes(_RENDERED[name, paper])
    return path


def _plan_pdf(index: Index, request: PlanRequest, paper: str, path: Path) -> Path:
    return _write_shared(
        repr(request), lambda: plan_handout(index, make_plan(index, request)), paper, path
    )


def _lines(path: Path) -> list[int]:
    """Lines of text on each page, as pdftotext lays them out."""
    text = subprocess.run(
        [tool("pdftotext"), "-layout", path, "-"], capture_output=True, text=True, check=True
    ).stdout
    return [sum(1 for line in page.splitlines() if line.strip()) for page in text.split("\f")][:-1]


def _fold(paper: str) -> float:
    return PAPERS[paper][1] / 2 * MM


def _card_names(words: list[Word], paper: str) -> str:
    below = sorted((round(w[1]), w[0], w[4]) for w in words if w[1] > _fold(paper))
    return " ".join(text for _, _, text in below)


@pytest.mark.parametrize("paper", ["a4", "letter"])
def test_no_page_but_the_last_is_nearly_empty(shipped: Index, tmp_path: Path, paper: str) -> None:
    target = _write_shared("knee cards", lambda: _knee_cards(shipped), paper, tmp_path / "c.pdf")
    lines = _lines(target)
    assert all(count >= FULL_PAGE for count in lines[:-1]), lines


def test_an_opening_a_few_lines_too_long_closes_up_onto_one_page(
    shipped: Index, tmp_path: Path
) -> None:
    """On A4 the two knee conditions' rules and the red flags ran two bullets onto page 2. With
    one pain box for patients (issue 24) the opening closes up onto page 1 even with the nine red
    flags issue 21 added, and the card faces follow at four a page, none empty."""
    handout = _knee_cards(shipped)
    target = _write(handout, "a4", tmp_path / "cards.pdf")
    pages = word_boxes(target)
    faces = sum(1 for words in pages[1:] for cell in range(4) if cell_text(words, cell).strip())
    assert faces >= len(handout.cards)
    assert len(pages) == 1 + math.ceil(faces / 4)  # the opening, then faces at four a page
    opening = " ".join(w[4] for w in pages[0])
    assert opening.endswith("red flags listed here appears.")
    assert "Heavy backward sled" in " ".join(w[4] for w in pages[1])


def test_cards_start_on_page_one_when_the_rules_are_short(shipped: Index, tmp_path: Path) -> None:
    """An opening that ends above the fold leaves its lower half to the first row of cards, in
    cells as large as on every other page."""
    from dataclasses import replace

    from kotcoach.export.content import pain_box

    handout = replace(_knee_cards(shipped), sections=(pain_box(()),))
    target = _write(handout, "letter", tmp_path / "cards.pdf")
    pages = word_boxes(target)
    fold = _fold("letter")
    shared = pages[0]
    above = " ".join(w[4] for w in shared if w[3] < fold)
    assert above.endswith("red flags listed here appears.")
    below = _card_names(shared, "letter")
    assert below.startswith("Heavy backward sled")
    assert below.count("Stop if pain goes above 5/10 or a red flag appears.") == 2
    width, height = (side / 2 * MM for side in PAPERS["letter"])
    margin = 6 * MM
    for word in shared:
        if word[1] > fold:  # every card word inside its own bottom cell, clear of the cuts
            left = width if word[0] >= width else 0.0
            assert left + margin <= word[0] and word[2] <= left + width - margin, word
            assert fold + margin <= word[1] and word[3] <= 2 * height - margin, word


@pytest.mark.parametrize("paper", ["a4", "letter"])
def test_a_plan_keeps_its_pain_log_whole_at_the_end(
    shipped: Index, tmp_path: Path, paper: str
) -> None:
    """The log is a sheet to fill in and bring along: last, with no card cut from it. It has a
    page of its own, or, when the last page of cards holds one row only, the half under that
    row's fold: cut along the fold it stays whole, and that page is not left half empty."""
    shared = 0
    for request in (
        PlanRequest(level=Level.BEGINNER, conditions=KNEES),
        PlanRequest(level=Level.BEGINNER),
    ):
        plan = make_plan(shipped, request)
        target = _write(plan_handout(shipped, plan), paper, tmp_path / "plan.pdf")
        pages = word_boxes(target)
        last = pages[-1]
        log = min(w[1] for w in last if w[4] == "Pain")
        after = [w for w in last if w[1] >= log]
        assert " ".join(w[4] for w in after).startswith("Pain log")
        assert "Stop" not in {w[4] for w in after}  # no card under the log's heading
        if log < _fold(paper):
            assert not [w for w in last if w[1] < log]  # a page of its own
            assert "Stop if pain goes above 5/10" in " ".join(w[4] for w in pages[-2])
        else:
            shared += 1  # under the fold of one row of cards, the cut line stopping there
            assert "Stop" in {w[4] for w in last if w[1] < _fold(paper)}
    assert shared or paper == "letter"  # on A4 the beginner week's last card has company


def _ink_depth(path: Path) -> list[float]:
    """How far down each page its lowest ink reaches, as a share of the page's height, from
    pdftoppm's greyscale rendering (the vertical cut line between cards is left out)."""
    from PIL import Image

    subprocess.run(
        [tool("pdftoppm"), "-gray", "-r", "24", "-png", path, path.with_suffix("")], check=True
    )
    depths = []
    for png in sorted(
        path.parent.glob(path.stem + "-*.png"), key=lambda p: int(p.stem.split("-")[-1])
    ):
        image = Image.open(png).convert("L")
        width, height = image.size
        pixels = image.load()
        centre = range(int(width * 0.48), int(width * 0.52) + 1)
        columns = [x for x in range(width) if x not in centre]
        inked = [y for y in range(height) if any(pixels[x, y] < 200 for x in columns)]
        depths.append((max(inked) + 1) / height if inked else 0.0)
    return depths


@pytest.mark.parametrize(
    "request_",
    [
        PlanRequest(level=Level.BEGINNER),
        KNEE_PLAN,
        PlanRequest(level=Level.INTERMEDIATE, conditions=("patellofemoral-pain",)),
    ],
    ids=["beginner", "knees", "kneecap"],
)
@pytest.mark.parametrize("paper", ["a4", "letter"])
def test_no_page_but_the_last_is_more_than_half_empty(
    shipped: Index, tmp_path: Path, paper: str, request_: PlanRequest
) -> None:
    target = _plan_pdf(shipped, request_, paper, tmp_path / "plan.pdf")
    depths = _ink_depth(target)
    assert all(depth >= 0.5 for depth in depths[:-1]), [round(d, 2) for d in depths]


def test_html_cards_flow_on_from_the_opening_in_rows_of_two(shipped: Index) -> None:
    """Printed, the HTML opening no longer forces a page break before the cards: rows of two
    cards, each never split, flow on from it (chromium's print of the letter handout puts the
    first row under the red flags on page 2). The pain log still keeps its page to itself."""
    from kotcoach.export.html import render_html

    page = render_html(_knee_cards(shipped), "letter")
    sheets = re.findall(r'<section class="sheet">(.*?)</section>', page, re.DOTALL)
    rows = [
        row.count('<article class="card')
        for s in sheets
        for row in s.split('<div class="row">')[1:]
    ]
    assert rows and all(1 <= cards <= 2 for cards in rows)
    assert sum(rows) == page.count('<article class="card')
    css = page[page.index("<style>") : page.index("</style>")]
    row_rule = re.search(r"\.row \{[^}]*\}", css)
    assert row_rule and "break-inside: avoid" in row_rule.group()
    printed = css[css.index("@media print") :]
    printed = printed[: printed.index("\n}")]
    intro = re.search(r"\.intro \{[^}]*\}", printed)
    assert intro and "break-after" not in intro.group()
    sheet = re.search(r"\.sheet \{[^}]*\}", printed)
    assert sheet and "break-after: auto" in sheet.group() and "height: auto" in sheet.group()
    log = re.search(r"\.log-sheet \{[^}]*\}", printed)
    assert log and "break-after: page" in log.group()


def test_the_rules_go_on_the_first_days_page_when_they_fit(shipped: Index, tmp_path: Path) -> None:
    from dataclasses import replace

    from kotcoach.export import without_figures
    from kotcoach.export.content import pain_box

    plan = make_plan(shipped, PlanRequest(level=Level.BEGINNER))
    # Without the figures beside the rows (--no-pictures) the first day leaves room for them.
    short = replace(without_figures(plan_handout(shipped, plan)), sections=(pain_box(()),))
    pages = [
        " ".join(w[4] for w in words)
        for words in word_boxes(_write(short, "a4", tmp_path / "p.pdf"))
    ]
    first = pages[0]
    assert "How much pain is OK" in first
    assert first.index("Day 1") < first.index("How much pain is OK")
    later = " ".join(pages)
    assert later.index("How much pain is OK") < later.index("Day 2")
