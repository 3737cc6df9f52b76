"""Handouts: where they may be written, what they say, and how the printed pages look.

The PDF checks read the output the way a person would: poppler's tools count the pages, render
them to PNG, and give every word's box, which must lie inside its card's quarter of the page.
"""

from __future__ import annotations

import html
import math
import os
import re
import shutil
import subprocess
import sys
import textwrap
import xml.etree.ElementTree as ElementTree
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path

import pytest

from kotcoach import export
from kotcoach.base.errors import ExitCode, ExportError, UsageError
from kotcoach.base.vocab import Area, Equipment, Level
from kotcoach.catalogue.ladders import Index
from kotcoach.catalogue.loading import builtin_catalog_path
from kotcoach.catalogue.models import Exercise
from kotcoach.catalogue.read import load_catalog
from kotcoach.coaching.planner import Plan, PlanRequest, make_plan
from kotcoach.export import pdf
from tests.conftest import MINI

MM = 72 / 25.4  # PDF points in a millimetre
CELL = (105 * MM, 148.5 * MM)
MARGIN = 6 * MM  # text keeps this far from a cut line: cutting is never exact
Word = tuple[float, float, float, float, str]  # xMin, yMin, xMax, yMax, text


@pytest.fixture(scope="module")
def shipped() -> Iterator[Index]:
    """The shipped catalogue, read without touching any cache."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("KOTCOACH_NO_CACHE", "1")
        yield Index(load_catalog(builtin_catalog_path()))


@pytest.fixture(scope="module")
def beginner_plan(shipped: Index) -> Plan:
    request = PlanRequest(
        level=Level.BEGINNER, equipment=frozenset({Equipment.STEP, Equipment.BOX})
    )
    return make_plan(shipped, request)


@pytest.fixture
def out(tmp_path: Path) -> Path:
    """An empty folder for handouts (tmp_path itself also holds the test cache)."""
    folder = tmp_path / "out"
    folder.mkdir()
    return folder


def tool(name: str) -> str:
    """A poppler tool: CI must have it; elsewhere the test is skipped without it."""
    found = shutil.which(name)
    if found is None:
        reason = f"{name} is not installed (apt-get install poppler-utils)"
        if os.environ.get("CI"):
            pytest.fail(reason)
        pytest.skip(reason)
    return found


def pdf_pages(path: Path) -> int:
    info = subprocess.run([tool("pdfinfo"), path], capture_output=True, text=True, check=True)
    pages = re.search(r"^Pages:\s+(\d+)", info.stdout, re.MULTILINE)
    assert pages, info.stdout
    return int(pages.group(1))


def word_boxes(path: Path) -> list[list[Word]]:
    """Every word on every page, with its box in points from the top left."""
    result = subprocess.run(
        [tool("pdftotext"), "-bbox", path, "-"], capture_output=True, text=True, check=True
    )
    namespace = "{http://www.w3.org/1999/xhtml}"
    pages = []
    for page in ElementTree.fromstring(result.stdout).iter(f"{namespace}page"):
        words = []
        for word in page.iter(f"{namespace}word"):
            x0, y0, x1, y1 = (float(word.attrib[k]) for k in ("xMin", "yMin", "xMax", "yMax"))
            words.append((x0, y0, x1, y1, word.text or ""))
        pages.append(words)
    return pages


def cell_of(word: Word) -> int:
    """The quarter of the page a word's centre is in: 0 1 / 2 3."""
    column = int((word[0] + word[2]) / 2 // CELL[0])
    row = int((word[1] + word[3]) / 2 // CELL[1])
    return row * 2 + column


def inside(word: Word, cell: int) -> bool:
    """Whether a word lies inside its cell, clear of the cut lines by MARGIN."""
    left, top = (cell % 2) * CELL[0], (cell // 2) * CELL[1]
    return (
        word[0] >= left + MARGIN
        and word[2] <= left + CELL[0] - MARGIN
        and word[1] >= top + MARGIN
        and word[3] <= top + CELL[1] - MARGIN
    )


def cell_text(words: Sequence[Word], cell: int) -> str:
    """A cell's words in reading order: by line (rounded top), then left to right."""
    mine = sorted((round(w[1]), w[0], w[4]) for w in words if cell_of(w) == cell)
    return " ".join(text for _, _, text in mine)


def card_pages(path: Path, exercises: Sequence[Exercise]) -> list[list[Word]]:
    """The pages of cards: those after the handout's opening pages (rules, red flags), and
    before the pain log, which comes last: on a page of its own, or under the fold of a last
    page holding one row of cards (its words are left out here)."""
    pages = word_boxes(path)
    first = " ".join(exercises[0].name.split())
    start = next(n for n, words in enumerate(pages) if cell_text(words, 0).startswith(first))
    end = next(
        (n for n in range(start, len(pages)) if cell_text(pages[n], 0).startswith("Pain log")),
        len(pages),
    )
    found = pages[start:end]
    if found:
        log = [w[1] for w in found[-1] if w[4] == "Pain" and w[1] >= CELL[1]]
        if log:
            found[-1] = [w for w in found[-1] if w[1] < min(log)]
    return found


def assert_cards_pages(path: Path, exercises: Sequence[Exercise]) -> int:
    """Four cards a page, every word inside its own card, every card named and footed; a card
    too long for one cell goes on in the next, '(continued)'. Returns the cells used."""
    names = iter(" ".join(e.name.split()) for e in exercises)
    current = ""
    cells = 0
    pages = card_pages(path, exercises)
    for number, words in enumerate(pages):
        for word in words:
            assert inside(word, cell_of(word)), f"page {number + 1}: {word} leaves its card"
        used = sorted({cell_of(w) for w in words})
        assert used == list(range(len(used)))
        assert len(used) == 4 or number == len(pages) - 1
        for cell in used:
            text = cell_text(words, cell)
            if not (current and text.startswith(f"{current} (continued)")):
                current = next(names)
                assert text.startswith(current), (current, text[:80])
            assert text.endswith(export.STOP_LINE), current
            cells += 1
    assert next(names, None) is None, "an exercise has no card"
    return cells


def mini_index(write_yaml: Callable[[str, str], Path], text: str = MINI) -> Index:
    return Index(load_catalog(write_yaml(text, "catalog.yaml")))


# --- Where a handout may go -------------------------------------------------------------------


@pytest.mark.parametrize(("name", "fmt"), [("a.md", "md"), ("a.html", "html"), ("A.PDF", "pdf")])
def test_check_target_returns_the_format(out: Path, name: str, fmt: str) -> None:
    assert export.check_target(out / name, force=False) == fmt


def test_unknown_suffix_is_a_usage_error_listing_the_formats(out: Path) -> None:
    with pytest.raises(UsageError) as raised:
        export.check_target(out / "cards.docx", force=False)
    assert raised.value.exit_code == ExitCode.USAGE
    assert all(suffix in str(raised.value) for suffix in (".md", ".html", ".pdf"))


def test_existing_file_is_kept_without_force(shipped: Index, out: Path) -> None:
    target = out / "cards.md"
    target.write_text("mine", encoding="utf-8")
    with pytest.raises(ExportError, match="--force") as raised:
        export.export_cards(shipped, shipped.catalog.exercises[:1], target, force=False)
    assert raised.value.exit_code == ExitCode.DATA
    assert target.read_text(encoding="utf-8") == "mine"


def test_existing_file_is_replaced_with_force(shipped: Index, out: Path) -> None:
    target = out / "cards.md"
    target.write_text("mine", encoding="utf-8")
    export.export_cards(shipped, shipped.catalog.exercises[:1], target, force=True)
    assert shipped.catalog.exercises[0].name in target.read_text(encoding="utf-8")
    assert sorted(p.name for p in out.iterdir()) == ["cards.md"]


def test_missing_folder_is_an_export_error_naming_it(shipped: Index, out: Path) -> None:
    target = out / "nowhere" / "cards.html"
    with pytest.raises(ExportError, match="nowhere"):
        export.export_cards(shipped, shipped.catalog.exercises[:1], target, force=False)
    assert not target.parent.exists()


def test_a_file_as_the_folder_is_an_export_error(out: Path) -> None:
    (out / "plain").write_text("", encoding="utf-8")
    with pytest.raises(ExportError, match="not a folder"):
        export.check_target(out / "plain" / "cards.md", force=False)


def test_a_folder_without_write_access_is_an_export_error(
    out: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Simulated: the tests may run as root, who may write anywhere whatever the mode."""
    monkeypatch.setattr(os, "access", lambda path, mode: False)
    with pytest.raises(ExportError, match=f"cannot write in the folder {re.escape(str(out))}"):
        export.check_target(out / "cards.md", force=False)


def test_no_exercises_is_an_export_error_and_writes_nothing(shipped: Index, out: Path) -> None:
    with pytest.raises(ExportError, match="no exercises"):
        export.export_cards(shipped, [], out / "cards.html", force=False)
    assert list(out.iterdir()) == []


def test_a_failing_renderer_leaves_nothing_behind(
    shipped: Index, out: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(handout: export.Handout, paper: str | None = None) -> str:
        raise RuntimeError("renderer failed")

    monkeypatch.setattr("kotcoach.export.html.render_html", broken)
    with pytest.raises(RuntimeError, match="renderer failed"):
        export.export_cards(shipped, shipped.catalog.exercises[:2], out / "cards.html", False)
    assert list(out.iterdir()) == []


def test_a_failing_write_leaves_the_old_file_and_no_temporary_one(
    shipped: Index, out: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = out / "cards.md"
    target.write_text("mine", encoding="utf-8")

    def full_disk(source: object, destination: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", full_disk)
    with pytest.raises(ExportError, match="the disk is full: could not write"):
        export.export_cards(shipped, shipped.catalog.exercises[:2], target, force=True)
    assert [p.name for p in out.iterdir()] == ["cards.md"]
    assert target.read_text(encoding="utf-8") == "mine"


def test_a_handout_gets_the_usual_permissions(shipped: Index, out: Path) -> None:
    previous = os.umask(0o022)
    try:
        export.export_cards(shipped, shipped.catalog.exercises[:1], out / "cards.md", False)
    finally:
        os.umask(previous)
    assert (out / "cards.md").stat().st_mode & 0o777 == 0o644


def test_pdf_without_fpdf2_says_how_to_install_it(
    shipped: Index, out: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "fpdf", None)
    with pytest.raises(ExportError, match=re.escape("pip install 'kotcoach[pdf]'")) as raised:
        export.export_cards(shipped, shipped.catalog.exercises[:1], out / "cards.pdf", False)
    assert raised.value.exit_code == ExitCode.DATA
    assert list(out.iterdir()) == []


def test_importing_export_loads_no_pdf_rich_or_typer() -> None:
    code = (
        "import sys, kotcoach.export; "
        "print(sorted(m for m in ('fpdf', 'rich', 'typer') if m in sys.modules))"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.stdout.strip() == "[]", result.stderr


def test_the_progress_report_loads_none_of_the_card_handout_code() -> None:
    # export.report needs only check_target from the package; the cards' layout, HTML, Markdown
    # and PDF modules (and the planner) cost about 50 ms it should not pay.
    heavy = ("content", "html", "markdown", "pdf", "figure_inset")
    code = (
        "import sys, kotcoach.export.report; "
        f"print(sorted(m for m in {heavy!r} if 'kotcoach.export.' + m in sys.modules)"
        " + sorted(m for m in ('kotcoach.coaching.planner',) if m in sys.modules))"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.stdout.strip() == "[]", result.stderr


def test_the_package_still_offers_the_handout_names_it_lists() -> None:
    for name in export.__all__:
        assert getattr(export, name) is not None, name
    assert export.render_pdf is pdf.render_pdf


def test_the_font_and_its_licence_ship_in_the_package() -> None:
    names = {p.name for p in export.FONTS.iterdir()}
    assert {"DejaVuSansCondensed.ttf", "DejaVuSansCondensed-Bold.ttf", "LICENSE"} <= names
    assert "Bitstream Vera" in (export.FONTS / "LICENSE").read_text(encoding="utf-8")


# --- What a card says -------------------------------------------------------------------------


def test_a_card_without_conditions_says_in_words_whom_the_cautions_concern(
    shipped: Index,
) -> None:
    exercise = shipped.exercise("backward-walk")
    card = export.build_card(shipped, exercise)
    assert card.cautions == ()
    names = [shipped.conditions[c.condition].name.lower() for c in exercise.cautions]
    assert card.pointer.startswith("Take care if you have ")
    assert all(name in card.pointer for name in names)
    assert card.easier == "— (this is the first step)"
    assert card.harder == "Backward walking on a treadmill"
    markdown = export.render_markdown(export.cards_handout(shipped, [exercise]))
    assert "**Cautions**" not in markdown
    assert "kotcoach" not in markdown.lower().replace("kotcoach cue", "")


def test_a_card_shows_only_the_cautions_for_the_conditions_given(shipped: Index) -> None:
    exercise = shipped.exercise("backward-walk")
    wanted = next(c for c in exercise.cautions if c.condition == "patellofemoral-pain")
    other = next(c for c in exercise.cautions if c.condition == "knee-pain")
    handout = export.cards_handout(shipped, [exercise], ["patellofemoral-pain"])
    for text in (export.render_markdown(handout), export.render_html(handout)):
        assert " ".join(wanted.modification.split()) in text
        assert " ".join(other.modification.split()) not in text


def test_a_card_too_long_for_one_cell_continues_on_the_next_and_drops_nothing(
    shipped: Index,
) -> None:
    card = export.build_card(shipped, shipped.exercise("backward-walk"), tuple(shipped.conditions))
    assert len(card.cautions) == 5 and card.mistakes  # knee, kneecap and three ankle conditions

    def wrap(block: export.content.Block, size: float) -> list[str]:
        return textwrap.wrap(block.text, 30) or [""]

    size, faces = export.layout_card(card, wrap, room=80.0)
    assert size == export.SIZES[-1] == 8.0
    assert len(faces) >= 2
    assert faces[1][0].text == "Backward walking (continued)"
    text = " ".join(b.text for face in faces for b in face)
    for caution in card.cautions:
        assert caution.condition in text
    for mistake in card.mistakes:
        assert mistake in text
    for face in faces:
        used = sum(export.content.block_height(b, len(wrap(b, size)), size) for b in face)
        assert used <= 80.0
        assert face[-1].style not in {"label", "strong"}  # a heading never ends a card
    # A card that fits is one face at the largest size that fits.
    whole = export.layout_card(card, wrap, room=10_000.0)
    assert whole == (export.SIZES[0], [export.card_blocks(card)])


def test_no_text_on_paper_is_smaller_than_eight_points() -> None:
    from kotcoach.export import content

    for name in content.STYLES:
        for size in content.SIZES:
            assert content.points(name, size) >= 8.0
    assert content.STOP_POINTS >= max(content.points("body", s) for s in content.SIZES[2:])


# --- Markdown and HTML ------------------------------------------------------------------------


def test_markdown_has_every_name_and_cue(shipped: Index) -> None:
    exercises = shipped.catalog.exercises
    markdown = export.render_markdown(export.cards_handout(shipped, exercises))
    assert markdown.count("\n### ") == len(exercises)
    for exercise in exercises:
        assert f"### {exercise.name}\n" in markdown
        for number, cue in enumerate(exercise.cues, start=1):
            assert f"\n{number}. {cue}\n" in markdown


def test_markdown_escapes_what_would_break_its_structure(
    write_yaml: Callable[[str, str], Path],
) -> None:
    text = MINI.replace("[Heel stays down,", "['Heel | down *now* <b>',")
    index = mini_index(write_yaml, text)
    plan = make_plan(index, PlanRequest(level=Level.BEGINNER))
    markdown = export.render_markdown(export.plan_handout(index, plan))
    assert r"Heel \| down \*now\* \<b>" in markdown
    for table in re.findall(r"(?:^\|.*\n)+", markdown, re.MULTILINE):
        counts = {len(re.findall(r"(?<!\\)\|", line)) for line in table.splitlines()}
        assert len(counts) == 1, table  # every row has its header's cells, no more


@pytest.mark.parametrize(
    ("hostile", "shown"),
    [
        ("Fish &amp; chips", r"Fish \&amp; chips"),
        ("~~struck~~", r"\~\~struck\~\~"),
        ("right\u202eto-left", "rightto-left"),
        ("left\u200fmark", "leftmark"),
    ],
)
def test_handouts_keep_entities_strikethrough_and_bidi_overrides_inert(
    write_yaml: Callable[[str, str], Path], hostile: str, shown: str
) -> None:
    index = mini_index(write_yaml, MINI.replace("name: Step one", f'name: "{hostile}"'))
    handout = export.cards_handout(index, index.catalog.exercises)
    markdown = export.render_markdown(handout)
    assert f"### {shown}\n" in markdown
    page = export.render_html(handout)
    for text in (page, markdown):
        assert "\u202e" not in text and "\u200f" not in text


def test_html_is_self_contained_and_has_every_name_and_cue(
    shipped: Index, beginner_plan: Plan
) -> None:
    exercises = shipped.catalog.exercises
    page = export.render_html(export.cards_handout(shipped, exercises))
    handout = export.render_html(export.plan_handout(shipped, beginner_plan))
    for document in (page, handout):
        assert "http://" not in document and "https://" not in document
        assert not re.search(r"<(script|link|img|iframe|object)\b|@import|url\(", document)
    for exercise in exercises:
        assert html.escape(exercise.name) in page
        for cue in exercise.cues:
            assert html.escape(cue) in page


def test_html_prints_four_cards_a_sheet_without_splitting_them(shipped: Index) -> None:
    exercises = shipped.catalog.exercises[:9]
    page = export.render_html(export.cards_handout(shipped, exercises))
    faces = page.count('<article class="card')
    assert page.count('<section class="sheet">') == math.ceil(faces / 4)
    firsts = len(re.findall(r'<article class="card(?: split)?"', page))
    assert firsts == 9  # a card too long for its cell goes on in the next: nothing dropped
    assert "@page { size: portrait; margin: 0; }" in page
    # The sheet fits A4 (210 x 297 mm) and Letter (215.9 x 279.4 mm) alike.
    width, height = export.HTML_CARD
    assert 2 * width <= 210 and 2 * height <= 279.4
    for rule in ("break-inside: avoid", "page-break-inside: avoid", "page-break-after: always"):
        assert rule in page
    sizes = [float(s) for s in re.findall(r'class="card[^"]*" style="--s: ([\d.]+)pt', page)]
    assert len(sizes) == faces and all(export.SIZES[-1] <= s <= export.SIZES[0] for s in sizes)


def test_html_escapes_catalogue_text(write_yaml: Callable[[str, str], Path]) -> None:
    hostile = "Step <script>alert('x')</script> & one"
    index = mini_index(write_yaml, MINI.replace("name: Step one", f'name: "{hostile}"'))
    page = export.render_html(export.cards_handout(index, index.catalog.exercises))
    assert "<script>" not in page
    assert html.escape(hostile) in page


def test_plan_handout_has_the_week_first_then_the_rules_then_every_card(
    shipped: Index, beginner_plan: Plan
) -> None:
    markdown = export.render_markdown(export.plan_handout(shipped, beginner_plan))
    days = [markdown.index(f"## Day {s.day} ·") for s in beginner_plan.sessions]
    rules = markdown.index("## How much pain is OK")
    flags = markdown.index("## Emergency: stop and get help now")
    log = markdown.index("## Pain log")
    cards = markdown.index("## Exercise cards")
    assert days == sorted(days) and days[-1] < rules < flags < log < cards
    for rule in export.content.short_pain_rules(()):
        assert f"- {rule}" in markdown
    assert "Level: beginner · 3 days a week · about 20 minutes" in markdown
    assert "equipment: box, step" in markdown
    distinct = {
        item.exercise.id
        for session in beginner_plan.sessions
        for item in (session.warm_up, *session.items)
        if item is not None
    }
    assert "backward-walk" in distinct
    assert markdown[cards:].count("\n### ") == len(distinct)


def test_every_handout_lists_every_red_flag_with_what_to_do(
    shipped: Index, beginner_plan: Plan
) -> None:
    from kotcoach.base.vocab import RED_FLAG_TEXT, RED_FLAG_URGENCY, Urgency

    plan = export.plan_handout(shipped, beginner_plan)
    cards = export.cards_handout(shipped, shipped.catalog.exercises[:2])
    for handout in (plan, cards):
        for text in (
            export.render_markdown(handout),
            html.unescape(export.render_html(handout)),
        ):
            now = text.index("Emergency: stop and get help now")
            today = text.index("Red flags: stop and see a doctor today")
            checked = text.index("Red flags: stop and get checked")
            assert now < today < checked
            bands = {
                Urgency.EMERGENCY: (now, today),
                Urgency.SAME_DAY: (today, checked),
                Urgency.BEFORE_TRAINING: (checked, len(text)),
            }
            for flag, words in RED_FLAG_TEXT.items():
                where = text.index(words[:1].upper() + words[1:])
                start, end = bands[RED_FLAG_URGENCY[flag]]
                assert start < where < end, flag
            assert "Go to an emergency department now" in text[now:today]
            assert "see a doctor today" in text[today:checked]


def test_nothing_on_paper_names_a_command_an_option_or_an_id(shipped: Index) -> None:
    request = PlanRequest(
        level=Level.BEGINNER,
        pain={Area.KNEE: 4},
        conditions=("patellofemoral-pain", "patellar-tendinopathy"),
        weeks=5,
    )
    plan = make_plan(shipped, request)
    # An id the catalogue's own prose uses as a word ("the whole wall-sit hold") is fine.
    prose = " ".join(
        " ".join([e.name, e.setup or "", *e.cues, *e.mistakes, *(c.note for c in e.cautions)])
        for e in shipped.catalog.exercises
    )
    ids = {e.id for e in shipped.catalog.exercises} - set(re.findall(r"[a-z-]+", prose))
    assert len(ids) > 50
    handouts = [
        export.plan_handout(shipped, plan),
        export.cards_handout(shipped, shipped.catalog.exercises),
    ]
    for handout in handouts:
        text = export.render_markdown(handout)
        assert "kotcoach" not in text.lower()
        assert not re.search(r"(?<![\w-])--[a-z]", text), re.search(r".{30}--[a-z].{30}", text)
        words = set(re.findall(r"[a-z0-9]+(?:-[a-z0-9]+)+", text))
        assert not words & ids, words & ids


def test_the_byline_and_the_referral_come_first(shipped: Index, beginner_plan: Plan) -> None:
    from dataclasses import replace

    who = export.Byline("Ann  Lee\u202e", "Riverside Physio, 01234 567890", "26 November 2026")
    referred = replace(beginner_plan)
    object.__setattr__(referred, "referral", "See a physiotherapist before loading your knee.")
    handout = export.plan_handout(shipped, referred, who)
    assert handout.byline == "For Ann Lee · Riverside Physio, 01234 567890 · 26 November 2026"
    markdown = export.render_markdown(handout)
    assert (
        markdown.index(handout.byline)
        < markdown.index("See a physiotherapist")
        < (markdown.index("## Day 1"))
    )
    page = export.render_html(handout)
    assert page.index("Ann Lee") < page.index("See a physiotherapist") < page.index("Day 1")


def test_a_pain_log_sheet_has_a_table_a_week_and_a_row_a_session(shipped: Index) -> None:
    plan = make_plan(shipped, PlanRequest(level=Level.INTERMEDIATE, weeks=3))
    handout = export.plan_handout(shipped, plan)
    assert [t.title for t in handout.log] == [f"Pain log · week {n}" for n in (1, 2, 3)]
    for table in handout.log:
        assert [row[0] for row in table.rows] == [(f"Day {s.day}",) for s in plan.sessions]
        assert {"Done", "Pain during", "Pain after", "Next morning"} <= set(table.header)


def test_weeks_are_columns_and_an_unchanged_dose_says_why(shipped: Index) -> None:
    plan = make_plan(shipped, PlanRequest(level=Level.BEGINNER, pain={Area.KNEE: 4}, weeks=4))
    handout = export.plan_handout(shipped, plan)
    assert len(handout.tables) == len(plan.sessions)
    for table in handout.tables:
        assert table.header[2:] == ("Week 1", "Week 2", "Week 3", "Week 4")
        if any(cell == ("same",) for row in table.rows for cell in row):
            assert re.search(r"while pain holds|take turns|waits its turn|at the most", table.note)
            assert " · " not in table.note  # a sentence, not a list of names


def test_plan_cards_carry_the_plans_conditions(shipped: Index) -> None:
    request = PlanRequest(level=Level.BEGINNER, conditions=("patellofemoral-pain",))
    plan = make_plan(shipped, request)
    handout = export.plan_handout(shipped, plan)
    conditions = {c.condition for card in handout.cards for c in card.cautions}
    assert conditions == {shipped.conditions["patellofemoral-pain"].name}
    assert "Patellofemoral pain" in handout.summary


# --- PDF, read back as a person would ---------------------------------------------------------


@pytest.mark.parametrize("count", [1, 4, 5, 9])
def test_pdf_pages_hold_four_cards_each(shipped: Index, out: Path, count: int) -> None:
    exercises = shipped.catalog.exercises[:count]
    target = out / "cards.pdf"
    export.export_cards(shipped, exercises, target, force=False)
    assert target.read_bytes().startswith(b"%PDF-")
    cards = len(card_pages(target, exercises))
    faces = assert_cards_pages(target, exercises)
    assert cards == math.ceil(faces / 4)
    assert count <= faces <= 2 * count  # a card too long for its cell goes on in the next
    subprocess.run([tool("pdftoppm"), "-r", "50", "-png", target, out / "page"], check=True)
    assert len(list(out.glob("page-*.png"))) == pdf_pages(target) > cards


def test_every_card_fits_with_every_caution(shipped: Index, out: Path) -> None:
    """The densest export the shipped catalogue allows: all cards, all conditions' cautions."""
    exercises = shipped.catalog.exercises
    target = out / "all.pdf"
    export.export_cards(shipped, exercises, target, False, tuple(shipped.conditions))
    assert_cards_pages(target, exercises)
    printed = "".join(w[4] for page in word_boxes(target) for w in page)
    shown = "".join(
        part
        for e in exercises
        for part in (e.name, e.setup or "", *e.cues, e.dose.describe() if e.dose else "")
    )
    special = {char for char in shown if ord(char) > 127}
    assert special >= {"×", "°"}
    assert special <= set(printed)


def test_text_too_long_for_any_size_continues_on_further_cards(
    write_yaml: Callable[[str, str], Path], out: Path
) -> None:
    """A valid catalogue's longest cautions (fpdf2 once raised 'row too high' on them)."""
    sentence = "Keep the knee over the toes and the heel down. "
    long_note = (sentence * 3).strip()  # 146 characters: a long caution's note
    long_change = (sentence * 24).strip()  # 1,150: near the limit of a modification
    cautions = "".join(
        f"\n      - condition: sore-knee\n        note: {long_note}\n"
        f"        modification: {long_change}"
        for _ in range(3)
    )
    text = MINI.replace(
        "    cautions:\n      - condition: sore-knee\n        note: Watch the kneecap.\n"
        "        modification: Use a shorter range.",
        "    cautions:" + cautions,
    )
    index = mini_index(write_yaml, text)
    exercises = index.catalog.exercises
    target = out / "long.pdf"
    export.export_cards(index, exercises, target, force=False, conditions=["sore-knee"])
    assert assert_cards_pages(target, exercises) >= len(exercises) + 2
    printed = " ".join(w[4] for page in word_boxes(target) for w in page)
    assert printed.count("Keep the knee over the toes") == 3 * (3 + 24)


def test_plan_pdf_opens_with_the_week_then_the_cards(
    shipped: Index, beginner_plan: Plan, out: Path
) -> None:
    target = out / "plan.pdf"
    export.export_plan(shipped, beginner_plan, target, force=False)
    handout = export.plan_handout(shipped, beginner_plan)
    pages = [" ".join(w[4] for w in words) for words in word_boxes(target)]
    assert pages[0].startswith("Your beginner week") and "Day 1" in pages[0]
    exercises = [shipped.exercise(card.exercise_id) for card in handout.cards]
    cards = len(card_pages(target, exercises))
    opening = " ".join(pages[: len(pages) - cards])
    for words in ("How much pain is OK", "Emergency: stop and get help now"):
        assert words in opening
    assert "Pain log" in pages[-1]  # the sheet to fill in comes last
    assert pages[-1].endswith("Notes") or pages[-1].rstrip().endswith("/10")
    faces = assert_cards_pages(target, exercises)
    assert cards == math.ceil(faces / 4)


@pytest.mark.parametrize(
    ("text", "escaped"),
    [
        ("# Not a heading", "\\# Not a heading"),
        ("> not a quote", "\\> not a quote"),
        ("- not a list", "\\- not a list"),
        ("1. not a list", "1\\. not a list"),
        ("a | b", "a \\| b"),
        ("plain text, 3 × 15", "plain text, 3 × 15"),
        ("3.5 kg", "3.5 kg"),
    ],
)
def test_markdown_text_cannot_change_the_structure(text: str, escaped: str) -> None:
    from kotcoach.export.markdown import _md

    assert _md(text) == escaped


def test_names_with_a_hyphenated_word_reach_paper_unchanged(shipped: Index) -> None:
    # 'step-down' is also an exercise id: it must not be swapped for that exercise's name
    # inside another exercise's name ('Assisted lateral Lateral step-down').
    plan = make_plan(shipped, PlanRequest(level=Level.BEGINNER))
    markdown = export.render_markdown(export.plan_handout(shipped, plan))
    needs_step = next(line for line in markdown.splitlines() if line.startswith("- Needs step:"))
    assert "Assisted lateral step-down" in needs_step.split(", ")[-1] or (
        ", Assisted lateral step-down" in needs_step or ": Assisted lateral step-down" in needs_step
    )
    assert "lateral Lateral" not in markdown


def test_a_continued_card_reads_as_one_on_a_phone(shipped: Index) -> None:
    exercise = shipped.exercise("backward-walk")
    page = export.render_html(export.cards_handout(shipped, [exercise], tuple(shipped.conditions)))
    assert page.count('class="card split"') == 1
    assert page.count('class="card cont"') == 1
    phone = page[page.index("@media screen and (max-width: 220mm)") :]
    assert ".card.split > .stop, .card.cont > .b-title { display: none; }" in phone
