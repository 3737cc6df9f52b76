"""Figures on printed cards: beside the title, in room the text leaves, never shrinking it."""

from __future__ import annotations

import re
import zlib

import pytest

from kotcoach.export import html as html_export
from kotcoach.export import pdf as pdf_export
from kotcoach.export.content import Block, block_height, build_card, cards_handout, layout_card
from kotcoach.export.figure_inset import MIN_HEIGHT, choose_inset
from kotcoach.ladders import Index
from kotcoach.pose import scene


@pytest.fixture(scope="module")
def index() -> Index:
    from kotcoach.catalog import builtin_catalog_path, load_catalog

    return Index(load_catalog(builtin_catalog_path()))


def _measure() -> tuple[pdf_export._Measure, pdf_export._Grid]:
    from fpdf import FPDF

    pdf = FPDF(unit="mm", format="A4")
    pdf.add_font(pdf_export.FONT, "", pdf_export.FONTS / "DejaVuSansCondensed.ttf")
    pdf.add_font(pdf_export.FONT, "B", pdf_export.FONTS / "DejaVuSansCondensed-Bold.ttf")
    return pdf_export._Measure(pdf), pdf_export._Grid(pdf_export.PAPERS["a4"])


def test_pdf_figures_use_only_room_the_text_leaves(index: Index) -> None:
    measure, grid = _measure()
    grid = pdf_export._Grid((grid.cell[0] / 2, grid.cell[1] / 2))
    drawn = 0
    for exercise in index.catalog.exercises:
        card = build_card(index, exercise)
        assert card.pose is not None
        size, faces = layout_card(
            card, lambda b, s: pdf_export._wrap_block(measure, b, s, grid), grid.room[1]
        )

        def block_mm(block: Block, size: float, narrower: float) -> float:
            lines = pdf_export._wrap_block(measure, block, size, grid, narrower)
            return block_height(block, len(lines) or 1, size)

        inset = choose_inset(faces[0], size, grid.room[1], block_mm, scene(card.pose).aspect)
        plain = pdf_export._pdf_lines(measure, grid, faces[0], size)
        beside = pdf_export._pdf_lines(measure, grid, faces[0], size, inset)
        # The same text at the same size, within the card; only the top lines are narrower.
        assert {line.points for line in beside} == {line.points for line in plain}
        extra = inset.extra if inset else 0.0  # the figure reaching below its blocks
        assert sum(line.gap + line.height for line in beside) + extra <= grid.room[1] + 1e-9
        if inset is not None:
            drawn += 1
            assert inset.height >= MIN_HEIGHT
            assert all(
                line.narrower == 0
                for line in beside
                if line.style not in {"title", "meta", "dose", "details"}
            )
    assert drawn >= 0.9 * len(index.catalog.exercises)  # 84 of 88 when this was written
    measure.pdf.add_page()
    measure.pdf.output()  # fpdf2 holds its font files open until the document is written


def page_streams(data: bytes) -> str:
    found = re.findall(rb"stream\r?\n(.*?)\r?\nendstream", data, re.S)
    texts = []
    for raw in found:
        try:
            texts.append(zlib.decompress(raw).decode("latin-1"))
        except zlib.error:
            continue
    return "\n".join(texts)


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


def test_html_card_floats_an_svg_beside_its_title(index: Index) -> None:
    tib = index.exercise("tib-raise-wall")
    page = html_export.render_html(cards_handout(index, [tib]))
    card = page[page.index('<article class="card"') :]
    assert card.index('<div class="top"><div class="figure"') < card.index("b-title")
    assert card.count("<svg") == 1 and "<circle" in card
    plain = html_export.render_html(cards_handout(index, [tib.model_copy(update={"pose": None})]))
    assert "<svg" not in plain
    size = re.search(r"--s: ([\d.]+)pt", card)
    plain_size = re.search(r"--s: ([\d.]+)pt", plain[plain.index('<article class="card"') :])
    assert size and plain_size and size.group(1) == plain_size.group(1)
