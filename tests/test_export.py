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
import xml.etree.ElementTree as ElementTree
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path

import pytest

from kotcoach import export
from kotcoach.catalog import builtin_catalog_path, load_catalog
from kotcoach.errors import ExitCode, ExportError, UsageError
from kotcoach.ladders import Index
from kotcoach.models import Exercise
from kotcoach.planner import Plan, PlanRequest, make_plan
from kotcoach.vocab import Equipment, Level
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


def assert_cards_pages(path: Path, exercises: Sequence[Exercise], first_page: int = 0) -> None:
    """Four cards a page, every word inside its own card, every card named and footed."""
    pages = word_boxes(path)[first_page:]
    assert len(pages) == math.ceil(len(exercises) / 4)
    for number, words in enumerate(pages):
        on_page = exercises[number * 4 : number * 4 + 4]
        for word in words:
            assert inside(word, cell_of(word)), f"page {number + 1}: {word} leaves its card"
        assert {cell_of(w) for w in words} == set(range(len(on_page)))
        for cell, exercise in enumerate(on_page):
            text = cell_text(words, cell)
            assert text.startswith(" ".join(exercise.name.split())), (exercise.id, text[:80])
            assert text.endswith(export.STOP_LINE), exercise.id


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
    def broken(handout: export.Handout) -> str:
        raise RuntimeError("renderer failed")

    monkeypatch.setattr(export, "render_html", broken)
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
    with pytest.raises(ExportError, match="No space left on device"):
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


def test_the_font_and_its_licence_ship_in_the_package() -> None:
    names = {p.name for p in export.FONTS.iterdir()}
    assert {"DejaVuSansCondensed.ttf", "DejaVuSansCondensed-Bold.ttf", "LICENSE"} <= names
    assert "Bitstream Vera" in (export.FONTS / "LICENSE").read_text(encoding="utf-8")


# --- What a card says -------------------------------------------------------------------------


def test_a_card_without_conditions_points_to_the_cautions(shipped: Index) -> None:
    exercise = shipped.exercise("backward-walk")
    card = export.build_card(shipped, exercise)
    assert card.cautions == ()
    assert card.pointer == "Cautions: kotcoach show backward-walk"
    assert card.easier == "— (first step)"
    assert card.harder == "Backward walking on a treadmill (backward-treadmill)"
    markdown = export.render_markdown(export.cards_handout(shipped, [exercise]))
    assert "**Cautions**" not in markdown
    assert "Cautions: kotcoach show backward-walk" in markdown


def test_a_card_shows_only_the_cautions_for_the_conditions_given(shipped: Index) -> None:
    exercise = shipped.exercise("backward-walk")
    wanted = next(c for c in exercise.cautions if c.condition == "patellofemoral-pain")
    other = next(c for c in exercise.cautions if c.condition == "knee-pain")
    handout = export.cards_handout(shipped, [exercise], ["patellofemoral-pain"])
    for text in (export.render_markdown(handout), export.render_html(handout)):
        assert " ".join(wanted.modification.split()) in text
        assert " ".join(other.modification.split()) not in text
        assert "kotcoach show backward-walk" not in text


def test_fitting_shrinks_then_drops_mistakes_then_cuts_cautions(shipped: Index) -> None:
    card = export.build_card(shipped, shipped.exercise("backward-walk"), tuple(shipped.conditions))
    assert len(card.cautions) == 3 and card.mistakes

    def fits_from(limit: int) -> Callable[[export.Card, float], bool]:
        """Fits when the card has at most `limit` blocks and the size is 7 pt or less."""
        return lambda c, size: len(export.card_blocks(c)) <= limit and size <= 7

    full = len(export.card_blocks(card))
    assert export.fit_card(card, fits_from(full)) == (card, 7.0)
    fitted, _ = export.fit_card(card, fits_from(full - 1))
    assert fitted.mistakes == () and fitted.cautions == card.cautions
    fitted, _ = export.fit_card(card, fits_from(full - len(card.mistakes) - 4))
    assert fitted.cautions == card.cautions[:1]
    assert fitted.pointer == "…see kotcoach show backward-walk"


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
    for line in markdown.splitlines():
        if line.startswith("|"):
            assert len(re.findall(r"(?<!\\)\|", line)) == 6, line


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
    assert page.count('<section class="sheet">') == 3
    assert page.count('<article class="card"') == 9
    assert "@page { size: portrait; margin: 0; }" in page
    # The sheet fits A4 (210 x 297 mm) and Letter (215.9 x 279.4 mm) alike.
    width, height = export.HTML_CARD
    assert 2 * width <= 210 and 2 * height <= 279.4
    for rule in ("break-inside: avoid", "page-break-inside: avoid", "page-break-after: always"):
        assert rule in page
    sizes = [float(s) for s in re.findall(r'class="card" style="--s: ([\d.]+)pt"', page)]
    assert len(sizes) == 9 and all(export.SIZES[-1] <= s <= export.SIZES[0] for s in sizes)


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
    rules = markdown.index("## Pain rules")
    cards = markdown.index("## Cue cards")
    assert days == sorted(days) and days[-1] < rules < cards
    for rule in beginner_plan.pain_rules:
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
    for exercise_id in distinct:
        assert f"`{exercise_id}`" in markdown[cards:]


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
    assert pdf_pages(target) == math.ceil(count / 4)
    subprocess.run([tool("pdftoppm"), "-r", "50", "-png", target, out / "page"], check=True)
    assert len(list(out.glob("page-*.png"))) == math.ceil(count / 4)
    assert_cards_pages(target, exercises)


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


def test_text_too_long_for_any_size_is_clipped_inside_the_card(
    shipped: Index, out: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(export.content, "SIZES", (30.0,))
    exercise = shipped.exercise("atg-split-squat-raised")
    target = out / "clipped.pdf"
    export.export_cards(shipped, [exercise], target, force=False)
    assert_cards_pages(target, [exercise])
    text = cell_text(word_boxes(target)[0], 0)
    assert "…see kotcoach show atg-split-squat-raised" in text


def test_plan_pdf_opens_with_the_week_then_the_cards(
    shipped: Index, beginner_plan: Plan, out: Path
) -> None:
    target = out / "plan.pdf"
    export.export_plan(shipped, beginner_plan, target, force=False)
    handout = export.plan_handout(shipped, beginner_plan)
    pages = [" ".join(w[4] for w in words) for words in word_boxes(target)]
    assert pages[0].startswith("Your beginner week") and "Day 1" in pages[0]
    intro = next(n for n, text in enumerate(pages) if "Pain rules" in text) + 1
    assert len(pages) == intro + math.ceil(len(handout.cards) / 4)
    exercises = [shipped.exercise(card.exercise_id) for card in handout.cards]
    assert_cards_pages(target, exercises, first_page=intro)


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
