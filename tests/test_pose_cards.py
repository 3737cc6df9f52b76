"""Figures on printed cards: under the title, full size, the text flowing beside them; the text
shrinks only to keep a card whole, never below 8 pt."""

from __future__ import annotations

import re
import zlib
from collections.abc import Iterator

import pytest

from kotcoach.catalogue.ladders import Index
from kotcoach.export import html as html_export
from kotcoach.export import pdf as pdf_export
from kotcoach.export.content import (
    TIGHT,
    Block,
    Card,
    block_height,
    build_card,
    card_blocks,
    cards_handout,
    layout_card,
    points,
)
from kotcoach.export.figure_inset import (
    MIN_TEXT,
    TOP,
    CardLayout,
    NarrowWrap,
    card_figure,
    layout_with_figure,
)
from kotcoach.figures.pose import HEIGHT, scene


@pytest.fixture(scope="module")
def index() -> Index:
    from kotcoach.catalogue.loading import builtin_catalog_path
    from kotcoach.catalogue.read import load_catalog

    return Index(load_catalog(builtin_catalog_path()))


def _measure() -> tuple[pdf_export._Measure, pdf_export._Grid]:
    from fpdf import FPDF

    pdf = FPDF(unit="mm", format="A4")
    pdf.add_font(pdf_export.FONT, "", pdf_export.FONTS / "DejaVuSansCondensed.ttf")
    pdf.add_font(pdf_export.FONT, "B", pdf_export.FONTS / "DejaVuSansCondensed-Bold.ttf")
    return pdf_export._Measure(pdf), pdf_export._Grid(pdf_export.PAPERS["a4"])


def _wraps() -> tuple[pdf_export._Measure, dict[str, tuple[NarrowWrap, tuple[float, float]]]]:
    """How each format breaks a block into lines, and the room (mm) a card has."""
    measure, grid = _measure()
    grid = pdf_export._Grid((grid.cell[0] / 2, grid.cell[1] / 2))

    def pdf_wrap(block: Block, size: float, narrower: float = 0.0) -> list[str]:
        return pdf_export._wrap_block(measure, block, size, grid, narrower)

    return measure, {
        "pdf": (pdf_wrap, grid.room),
        "html": (
            html_export._html_wrap,
            (html_export.HTML_CARD[0] - 2 * html_export.HTML_PADDING, html_export.HTML_ROOM),
        ),
    }


def _cards(index: Index) -> list[Card]:
    """Every exercise's card twice: plain, and with the cautions of all its conditions."""
    exercises = index.catalog.exercises
    return [build_card(index, e) for e in exercises] + [
        build_card(index, e, [c.condition for c in e.cautions]) for e in exercises
    ]


Laid = dict[str, tuple[NarrowWrap, tuple[float, float], list[tuple[Card, CardLayout]]]]


@pytest.fixture(scope="module")
def laid_out(index: Index) -> Iterator[Laid]:
    """Every card (_cards) laid out with its figure in each format, once for the two tests
    below that check those layouts (they run on one worker, the pose-cards group): with the
    wrap and the room each format lays them out in."""
    measure, wraps = _wraps()
    laid: Laid = {}
    for fmt, (wrap, room) in wraps.items():
        layouts = []
        for card in _cards(index):
            assert card.pose is not None
            layouts.append(
                (card, layout_with_figure(card, wrap, room, card_figure(scene(card.pose))))
            )
        laid[fmt] = (wrap, room, layouts)
    yield laid
    measure.pdf.add_page()
    measure.pdf.output()  # fpdf2 holds its font files open until the document is written


@pytest.mark.xdist_group("pose-cards")
def test_every_card_gets_a_full_size_figure_within_the_card_and_text_no_smaller_than_8pt(
    index: Index, laid_out: Laid
) -> None:
    """Issue 24: a figure a patient can follow, a standing person at least 35 mm tall, on
    every card; the text at the size it has alone, or smaller only to keep the card whole."""
    for fmt, (wrap, room, layouts) in laid_out.items():
        continued = plain = 0
        for card, layout in layouts:
            inset = layout.inset
            assert inset is not None, (fmt, card.exercise_id)
            assert inset.fit.scale * HEIGHT >= 35.0, (fmt, card.exercise_id)
            assert inset.fit.width <= room[0] + 1e-9
            alone, _ = layout_card(card, lambda b, s: wrap(b, s), room[1])  # noqa: B023
            assert layout.size <= alone, (fmt, card.exercise_id)
            if len(layout.faces) > 1:
                assert layout.size == alone, (fmt, card.exercise_id)
            assert TIGHT <= layout.gaps <= 1.0
            assert min(points(b.style, layout.size) for f in layout.faces for b in f) >= 8.0
            # Every face within its card, the first with its figure under the meta line.
            for number, face in enumerate(layout.faces):
                used = sum(
                    block_height(
                        b,
                        len(wrap(b, layout.size, inset.width if inset.beside(n) else 0.0)) or 1,
                        layout.size,
                        layout.gaps,
                    )
                    for n, b in enumerate(face)
                )
                if number == 0:
                    used += inset.extra
                    assert [b.style for b in face[: inset.above]] == ["title", "meta"]
                    reach = (
                        sum(
                            block_height(
                                b, len(wrap(b, layout.size)) or 1, layout.size, layout.gaps
                            )
                            for b in face[: inset.above]
                        )
                        + TOP
                        + inset.fit.height
                    )
                    assert reach <= used + 1e-9
                    if not inset.band:  # the text beside the figure stays readable
                        assert room[0] - inset.width >= MIN_TEXT
                assert used <= room[1] + 1e-9, (fmt, card.exercise_id, number)
            continued += len(layout.faces) > 1
            plain += len(layout.faces) > 1 and not card.cautions
        # Most cards fit on one; those with every condition's cautions often go on. HTML is
        # fitted by a wide estimate of the reader's font, and goes on more often.
        assert continued <= len(layouts) * (0.5 if fmt == "pdf" else 0.7), fmt
        assert plain <= len(index.catalog.exercises) * (0.1 if fmt == "pdf" else 0.4), fmt


@pytest.mark.xdist_group("pose-cards")
def test_a_continued_card_never_holds_a_stray_line(laid_out: Laid) -> None:
    for fmt, (wrap, _, layouts) in laid_out.items():
        seen = 0
        for card, layout in layouts:
            if len(layout.faces) == 1:
                continue
            seen += 1
            whole = {b.text for b in card_blocks(card)}
            lines = lambda b: len(wrap(b, layout.size))  # noqa: E731, B023
            for number, face in enumerate(layout.faces[1:], start=1):
                assert face[0].text == f"{card.name} (continued)"
                text = face[1:]
                assert sum(lines(b) for b in text) >= 2, (fmt, card.exercise_id, number)
                assert sum(len(b.text.split()) for b in text) >= 5
            for face in layout.faces:
                # A heading goes with what it heads, and the ladder's two steps together.
                assert face[-1].style not in {"title", "label", "strong"}
                assert face[-1].marker != "Easier", (fmt, card.exercise_id)
                for block in face[1:]:
                    if block.text not in whole and not block.text.endswith("(continued)"):
                        # a part of a block split between cards: never a lone line
                        assert lines(block) >= 2, (fmt, card.exercise_id, block.text)
        assert seen > 10  # the cards with every caution on them continue


def test_every_card_in_the_catalogue_prints_its_figure_in_pdf_and_html(index: Index) -> None:
    exercises = index.catalog.exercises
    handout = cards_handout(index, exercises)
    data = pdf_export.render_pdf(handout).data
    pages = page_streams_by_page(data)
    figures = [len(re.findall(r"^q$", page, re.M)) for page in pages]
    assert sum(figures) == len(exercises)  # one graphics state per figure, none for anything else
    sizes = {float(s) for page in pages for s in re.findall(r"/F\d+ ([\d.]+) Tf", page)}
    assert min(sizes) >= 8.0
    page = html_export.render_html(handout)
    cards = page.split('<article class="card')[1:]
    firsts = [c for c in cards if not c.startswith((" cont", " split cont"))]
    assert len(firsts) == len(exercises)
    assert all(c.count("<svg") == 1 for c in firsts)
    assert all("<svg" not in c for c in cards if c not in firsts)
    assert min(float(s) for s in re.findall(r"--s: ([\d.]+)pt", page)) >= 8.0


def page_streams_by_page(data: bytes) -> list[str]:
    """The PDF's content streams that draw text: its pages (fonts and images are streams too)."""
    found = re.findall(rb"stream\r?\n(.*?)\r?\nendstream", data, re.S)
    texts = []
    for raw in found:
        try:
            # a decompressor, not zlib.decompress: a stream whose data ends in a newline lost
            # it to the pattern above, and would not decompress whole
            text = zlib.decompressobj().decompress(raw).decode("latin-1")
        except zlib.error:
            continue
        if " Tf" in text:
            texts.append(text)
    return texts


def page_streams(data: bytes) -> str:
    return "\n".join(page_streams_by_page(data))


def test_pdf_card_draws_the_figure_as_paths(index: Index) -> None:
    tib = index.exercise("tib-raise-wall")
    with_figure = pdf_export.render_pdf(cards_handout(index, [tib])).data
    without = pdf_export.render_pdf(
        cards_handout(index, [tib.model_copy(update={"pose": None})])
    ).data
    lines = lambda data: len(re.findall(r" l\b", page_streams(data)))  # noqa: E731
    assert lines(with_figure) > lines(without) + 20
    sizes = lambda data: sorted(set(re.findall(r"/F\d+ ([\d.]+) Tf", page_streams(data))))  # noqa: E731
    assert sizes(with_figure) == sizes(without)  # no text got smaller


def test_html_card_floats_an_svg_under_its_title_beside_the_dose(index: Index) -> None:
    tib = index.exercise("tib-raise-wall")
    page = html_export.render_html(cards_handout(index, [tib]))
    card = page[page.index('<article class="card"') :]
    assert card.index("b-title") < card.index("b-meta") < card.index('<div class="figure"')
    assert card.index('<div class="figure"') < card.index("b-dose")
    assert card.count("<svg") == 1 and "<circle" in card
    plain = html_export.render_html(cards_handout(index, [tib.model_copy(update={"pose": None})]))
    assert "<svg" not in plain
    size = re.search(r"--s: ([\d.]+)pt", card)
    plain_size = re.search(r"--s: ([\d.]+)pt", plain[plain.index('<article class="card"') :])
    assert size and plain_size and size.group(1) == plain_size.group(1)


def test_markdown_cards_carry_the_figure_as_braille(index: Index) -> None:
    from kotcoach.export.markdown import render_markdown

    exercises = index.catalog.exercises
    markdown = render_markdown(cards_handout(index, exercises))
    figures = re.findall(r"\n### ([^\n]+)\n\n\*[^*\n]+\*\n\n```text\n(.*?)\n```\n", markdown, re.S)
    assert [name for name, _ in figures] == [e.name for e in exercises]
    for _, figure in figures:
        lines = figure.split("\n")
        assert 1 < len(lines) <= 12 and max(len(line) for line in lines) <= 60
        assert all(0x2800 <= ord(c) <= 0x28FF or c == " " for line in lines for c in line)


def test_a_plan_handout_shows_every_card_s_figure_in_all_three_formats(index: Index) -> None:
    from kotcoach.base.vocab import Equipment, Level
    from kotcoach.coaching.planner import PlanRequest, make_plan
    from kotcoach.export.content import plan_handout
    from kotcoach.export.markdown import render_markdown

    request = PlanRequest(
        level=Level.INTERMEDIATE,
        equipment=frozenset({Equipment.STEP, Equipment.BOX, Equipment.SLANT_BOARD}),
        conditions=("patellofemoral-pain",),
    )
    handout = plan_handout(index, make_plan(index, request))
    cards = len(handout.cards)
    assert cards >= 4
    rows = sum(pose is not None for table in handout.tables for pose in table.figures)
    assert rows == sum(len(table.rows) for table in handout.tables)  # a figure beside each row
    pages = page_streams_by_page(pdf_export.render_pdf(handout).data)
    assert sum(len(re.findall(r"^q$", page, re.M)) for page in pages) == cards + rows
    page = html_export.render_html(handout)
    faces = page.split('<article class="card')[1:]
    assert sum("<svg" in face for face in faces) == cards
    intro = page[: page.index("<article")]
    assert intro.count('<td class="figure"><svg') == rows
    assert render_markdown(handout).count("\n```text\n") == cards
