"""Figures a patient can follow (issue 24), measured as a person sees them: the PDF pages
rendered with pdftoppm, the text's boxes (pdftotext) blanked out, and the figure's dark strokes
measured in millimetres. A standing person is at least 35 mm tall, head to sole, on the cards
and beside every row of a day's table; in HTML the figure's box says so in CSS millimetres."""

from __future__ import annotations

import re
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from PIL import Image, ImageDraw

from kotcoach.base.vocab import Level
from kotcoach.catalogue.ladders import Index
from kotcoach.catalogue.loading import builtin_catalog_path
from kotcoach.catalogue.read import load_catalog
from kotcoach.coaching.planner import PlanRequest, make_plan
from kotcoach.export.content import Handout, cards_handout, plan_handout
from kotcoach.export.figure_fit import FIGURE_COLUMN, SCALE, STANDING_MM, row_figure
from kotcoach.export.pdf import render_pdf
from kotcoach.figures.pose import HEIGHT, Segments, layout, scene
from tests.test_export import MM, Word, cell_text, tool, word_boxes

HEAD = Segments.of().head_radius

DPI = 100
PX = DPI / 25.4  # pixels a millimetre
DARK = 100  # grey level: the figure's body strokes (34) and guides; not props, floors or rules
SPLIT = 1.2  # mm of blank rows that part two figures (or two stacked frames)
STANDING = (  # exercises drawn standing tall in their first frame
    "tib-raise-wall",
    "kot-calf-raise",
    "step-down",
    "sissy-squat-assisted",
    "backward-walk",
    "ql-bend-standing",
)


@pytest.fixture(scope="module")
def shipped() -> Iterator[Index]:
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("KOTCOACH_NO_CACHE", "1")
        yield Index(load_catalog(builtin_catalog_path()))


def _pages(handout: Handout, path: Path) -> tuple[list[Image.Image], list[list[Word]]]:
    """Each page in grey with its text blanked out (a pixel round each word's box), and its
    words."""
    path.write_bytes(render_pdf(handout, "a4").data)
    subprocess.run(
        [tool("pdftoppm"), "-gray", "-r", str(DPI), "-png", path, path.with_suffix("")],
        check=True,
    )
    words = word_boxes(path)
    pngs = sorted(path.parent.glob(path.stem + "-*.png"), key=lambda p: int(p.stem.split("-")[-1]))
    pages = []
    for png, page_words in zip(pngs, words, strict=True):
        image = Image.open(png).convert("L")
        draw = ImageDraw.Draw(image)
        scale = DPI / 72
        for x0, y0, x1, y1, _ in page_words:
            draw.rectangle((x0 * scale - 1, y0 * scale - 1, x1 * scale + 1, y1 * scale + 1), 255)
        pages.append(image)
        png.unlink()
    return pages, words


def _runs(
    image: Image.Image, left: float, right: float, top: float, bottom: float
) -> list[tuple[float, float]]:
    """(top, bottom) in mm of each run of rows with dark ink between x `left` and `right` mm,
    from `top` to `bottom` mm; runs closer than SPLIT are one."""
    box = (int(left * PX), int(top * PX), int(right * PX), int(bottom * PX))
    ink = image.crop(box).point(lambda v: 255 if v < DARK else 0)
    profile = ink.resize((1, ink.height), Image.Resampling.BOX)
    inked = [y for y in range(ink.height) if profile.getpixel((0, y))]
    runs: list[list[int]] = []
    for y in inked:
        if runs and y - runs[-1][1] <= SPLIT * PX:
            runs[-1][1] = y
        else:
            runs.append([y, y])
    return [(top + a / PX, top + (b + 1) / PX) for a, b in runs]


def test_a_standing_figure_is_at_least_35_mm_tall_on_every_card(
    shipped: Index, tmp_path: Path
) -> None:
    exercises = [shipped.exercise(e) for e in STANDING]
    handout = cards_handout(shipped, exercises)
    pages, words = _pages(handout, tmp_path / "cards.pdf")
    heights = {}
    names = [" ".join(e.name.split()) for e in exercises]
    for image, page_words in zip(pages, words, strict=True):
        for cell in range(4):
            text = cell_text(page_words, cell)
            name = next((n for n in names if text.startswith(n + " ")), None)
            if name is None:
                continue  # the opening's rules, or a card's continued face
            left, top = (cell % 2) * 105.0, (cell // 2) * 148.5
            runs = _runs(image, left + 3, left + 102, top + 3, top + 145)
            heights[name] = max(b - a for a, b in runs)
    assert len(heights) == len(exercises)
    for name, height in heights.items():
        # the drawn person, head to sole: 35 mm at least, and no taller than the layout's
        # largest growth of the figure (figure_inset.GROWTH) allows
        assert 35.0 <= height <= STANDING_MM * 1.3 + 1.5, (name, round(height, 1))


def test_every_row_of_the_week_has_its_figure_standing_35_mm_tall(
    shipped: Index, tmp_path: Path
) -> None:
    """The beginner week: a figure in the column beside each row at full size, its frames side
    by side or its last frame alone; where a frame shows the person upright, it is at least
    35 mm tall, and every figure is as tall as full size draws it."""
    plan = make_plan(shipped, PlanRequest(level=Level.BEGINNER))
    handout = plan_handout(shipped, plan)
    rows = [table.figures for table in handout.tables]
    pages, words = _pages(handout, tmp_path / "week.pdf")
    found: list[tuple[float, float]] = []
    for dark, page_words in zip(pages, words, strict=True):
        headers = [w for w in page_words if w[4] == "Exercise"]
        if not headers or "Dose" not in {w[4] for w in page_words}:
            continue
        name_left = headers[0][0] / MM
        first = min(w[1] for w in headers) / MM
        found += _runs(dark, 15 + 16 + 0.5, name_left - 2, first, 282.0)
    poses = [pose for figures in rows for pose in figures]
    assert len(found) == len(poses)  # one figure a row, in order
    upright = 0
    for (top, bottom), pose in zip(found, poses, strict=True):
        assert pose is not None
        frames = layout(pose).frames
        if row_figure(scene(pose), FIGURE_COLUMN - 3).scene.panels == 1:
            frames = frames[-1:]  # too wide side by side: the last frame alone
        tallest = max(
            max(f["head"][1] + HEAD, *(y for _, y in f.values())) - min(y for _, y in f.values())
            for f in frames
        )
        assert bottom - top >= tallest * SCALE - 2.0, (round(bottom - top, 1), tallest)
        if max(f["head"][1] for f in frames) >= 0.9 * HEIGHT:  # a frame stands upright
            upright += 1
            assert bottom - top >= 35.0, round(bottom - top, 1)
    assert upright >= 11


def test_html_figures_are_at_least_35_mm_in_css_millimetres(shipped: Index) -> None:
    """The SVG's own size in mm, which print and screen keep (96 px an inch): the scale it
    draws a metre at, times a person's height, is at least 35 mm on cards and beside rows."""
    from kotcoach.export.html import render_html

    plan = make_plan(shipped, PlanRequest(level=Level.BEGINNER))
    page = render_html(plan_handout(shipped, plan))
    svgs = re.findall(r'<svg class="pose" role="img" width="([\d.]+)mm" height="([\d.]+)mm" '
                      r'viewBox="0 0 ([\d.]+) ([\d.]+)"', page)  # fmt: skip
    cards = len(re.findall(r'<article class="card(?: split)?"', page))
    rows = page.count('<td class="figure">')
    assert len(svgs) == cards + rows > 20
    for width, height, box_width, box_height in svgs:
        scale = float(height) / float(box_height)
        assert scale == pytest.approx(float(width) / float(box_width), rel=0.01)
        assert scale * HEIGHT >= 35.0
    css = page[page.index("<style>") : page.index("</style>")]
    printed = css[: css.index("@media screen")]  # the phone's rules only ever enlarge them
    assert not re.search(r"svg \{[^}]*(max-height|max-width|width: \d)", printed)


def test_no_page_but_the_last_is_more_than_half_empty(shipped: Index, tmp_path: Path) -> None:
    """Blank-heavy pages, as a person sees them: every page but the last has ink (text or
    figure) in at least three of its four quarters, in the beginner week and the
    patellofemoral intermediate week at knee 4/10."""
    from kotcoach.base.vocab import Area

    for request in (
        PlanRequest(level=Level.BEGINNER),
        PlanRequest(
            level=Level.INTERMEDIATE, pain={Area.KNEE: 4}, conditions=("patellofemoral-pain",)
        ),
    ):
        path = tmp_path / "plan.pdf"
        path.write_bytes(render_pdf(plan_handout(shipped, make_plan(shipped, request))).data)
        subprocess.run(
            [tool("pdftoppm"), "-gray", "-r", "30", "-png", path, tmp_path / "page"], check=True
        )
        pngs = sorted(tmp_path.glob("page-*.png"), key=lambda p: int(p.stem.split("-")[-1]))
        for number, png in enumerate(pngs[:-1], start=1):
            image = Image.open(png).convert("L")
            width, height = image.size
            margin = 6  # pixels: the dashed cut lines run along the quarters' edges
            quarters = 0
            for cell in range(4):
                left, top = (cell % 2) * width // 2, (cell // 2) * height // 2
                box = (left + margin, top + margin, left + width // 2 - margin,
                       top + height // 2 - margin)  # fmt: skip
                quarters += (
                    image.crop(box).point(lambda v: 255 if v < 200 else 0).getbbox() is not None
                )
            assert quarters >= 3, (request.level, number)
        for png in pngs:
            png.unlink()


def test_the_change_under_a_name_is_regular_and_grey_the_name_bold(
    shipped: Index, tmp_path: Path
) -> None:
    """Issue 24: the day table printed the change ('knee 4/10: ...') in bold like the name.
    Read back from the PDF (pdftohtml's fonts) and from the HTML."""
    from xml.etree import ElementTree

    from kotcoach.base.vocab import Area
    from kotcoach.export.html import render_html

    request = PlanRequest(
        level=Level.INTERMEDIATE, pain={Area.KNEE: 4}, conditions=("patellofemoral-pain",)
    )
    handout = plan_handout(shipped, make_plan(shipped, request))
    changed = [cell for t in handout.tables for row in t.rows for cell in row[1:2] if len(cell) > 1]
    assert changed  # rows with a change under the name
    path = tmp_path / "week.pdf"
    path.write_bytes(render_pdf(handout).data)
    xml = subprocess.run(
        [tool("pdftohtml"), "-xml", "-stdout", "-i", "-f", "1", "-l", "2", path],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    root = ElementTree.fromstring(xml)
    fonts = {f.get("id"): (f.get("family") or "", f.get("color")) for f in root.iter("fontspec")}
    texts = [("".join(t.itertext()).strip(), fonts[t.get("font")]) for t in root.iter("text")]
    name, note = changed[0][0], changed[0][1]
    name_font = next(font for text, font in texts if name.startswith(text) and text)
    note_font = next(font for text, font in texts if text and note.startswith(text))
    assert name_font[0].endswith("Bold")
    assert not note_font[0].endswith("Bold") and note_font[1] != name_font[1]  # regular, grey
    page = render_html(handout)
    cell = re.search(r'<td data-label="Exercise" class="name">([^<]*)<span class="change">', page)
    assert cell and cell.group(1) == name.replace("&", "&amp;")
    css = page[page.index("<style>") : page.index("</style>")]
    assert re.search(r"td \.change \{[^}]*font-weight: normal", css)


def test_no_pictures_leaves_every_figure_out_of_every_export(
    shipped: Index, tmp_path: Path
) -> None:
    """--no-pictures (export's pictures=False): no figure on any card nor beside any row, in
    PDF (no drawing's graphics state), HTML (no SVG) and Markdown (no braille)."""
    from kotcoach.export import Printing, export_cards, export_plan
    from tests.test_pose_cards import page_streams_by_page

    plan = make_plan(shipped, PlanRequest(level=Level.BEGINNER))
    exercises = [shipped.exercise(e) for e in STANDING]
    for pictures in (True, False):
        for suffix in (".pdf", ".html", ".md"):
            for kind in ("plan", "cards"):
                path = tmp_path / f"{kind}-{pictures}{suffix}"
                printing = Printing(pictures=pictures)
                if kind == "plan":
                    export_plan(shipped, plan, path, force=False, printing=printing)
                else:
                    export_cards(shipped, exercises, path, force=False, printing=printing)
                data = path.read_bytes()
                if suffix == ".pdf":
                    drawn = sum(
                        len(re.findall(r"^q$", page, re.M)) for page in page_streams_by_page(data)
                    )
                elif suffix == ".html":
                    drawn = data.count(b"<svg")
                else:
                    drawn = data.decode().count("\n```text\n")
                assert (drawn > 0) is pictures, (kind, suffix, drawn)
