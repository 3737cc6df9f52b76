"""Handouts as PDF with fpdf2 (the optional `kotcoach[pdf]` extra, imported only here, only
when a PDF is written) and the embedded DejaVu Sans Condensed font."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from kotcoach.export.content import (
    ACCENT,
    GREY,
    INK,
    LEADING,
    LEVEL_COLOUR,
    PT,
    STYLES,
    TINT,
    Card,
    Handout,
    card_blocks,
    chunks,
    fit_card,
)
from kotcoach.pain import DISCLAIMER, STOP_LINE

if TYPE_CHECKING:
    from fpdf import FPDF

FONTS = Path(__file__).resolve().parents[1] / "fonts"


CELL = (105.0, 148.5)  # mm: an A6 quarter of an A4 page
PDF_PADDING = 7.0  # mm inside each cell: clear of printers' unprintable edges
FOOTER_SIZE = 6.5
PAGE_MARGIN = 15.0
FONT = "DejaVu"


@dataclass(frozen=True)
class _Line:
    """One laid-out line of a card: its text at an x offset, below a gap, in a style."""

    text: str
    style: str
    points: float
    x: float
    gap: float
    height: float
    marker: str = ""


def render_pdf(handout: Handout) -> bytes:
    from fpdf import FPDF

    pdf = FPDF(orientation="portrait", unit="mm", format="A4")
    pdf.set_title(handout.title)
    pdf.set_creator("kotcoach")
    pdf.add_font(FONT, "", FONTS / "DejaVuSansCondensed.ttf")
    pdf.add_font(FONT, "B", FONTS / "DejaVuSansCondensed-Bold.ttf")
    if handout.has_intro:
        _pdf_intro(pdf, handout)
    pdf.set_auto_page_break(False)
    pdf.c_margin = 0  # cards place every line themselves, measured without cell padding
    measure = _Measure(pdf)
    for page in chunks(handout.cards):
        pdf.add_page()
        _pdf_cut_lines(pdf)
        for slot, card in enumerate(page):
            _pdf_card(pdf, measure, card, (slot % 2) * CELL[0], (slot // 2) * CELL[1])
    return bytes(pdf.output())


def _font(pdf: FPDF, style: str, points: float) -> None:
    look = STYLES[style]
    pdf.set_font(FONT, "B" if look.bold else "", points)
    pdf.set_text_color(*look.colour)


def _pdf_intro(pdf: FPDF, handout: Handout) -> None:
    from fpdf.fonts import FontFace

    pdf.set_margins(PAGE_MARGIN, PAGE_MARGIN, PAGE_MARGIN)
    pdf.set_auto_page_break(True, PAGE_MARGIN)
    pdf.add_page()
    pdf.set_font(FONT, "B", 17)
    pdf.set_text_color(*INK)
    pdf.multi_cell(0, 8, handout.title, new_x="LMARGIN", new_y="NEXT")
    _pdf_paragraph(pdf, handout.summary, 9, GREY)
    heading = FontFace(emphasis="BOLD", color=ACCENT, fill_color=TINT)
    for table in handout.tables:
        _pdf_heading(pdf, table.title, keep=30)
        pdf.set_font(FONT, "", 8.5)
        pdf.set_text_color(*INK)
        pdf.set_draw_color(201, 206, 212)
        pdf.set_line_width(0.2)
        with pdf.table(
            col_widths=(16, 42, 24, 49, 49),
            text_align="LEFT",
            v_align="TOP",
            borders_layout="HORIZONTAL_LINES",
            headings_style=heading,
            line_height=8.5 * LEADING * PT,
            padding=(1.2, 1.5),
        ) as grid:
            grid.row(table.header)
            for row in table.rows:
                grid.row(["\n".join(cell) for cell in row])
    for section in handout.sections:
        _pdf_heading(pdf, section.title, keep=15)
        for item in section.items:
            _pdf_bullet(pdf, item)
    pdf.ln(3)
    _pdf_paragraph(pdf, DISCLAIMER, 8, GREY)


def _pdf_heading(pdf: FPDF, text: str, keep: float) -> None:
    """A heading, moved to the next page rather than left alone at the bottom of one."""
    if pdf.will_page_break(keep):
        pdf.add_page()
    pdf.ln(4)
    pdf.set_font(FONT, "B", 11)
    pdf.set_text_color(*INK)
    pdf.multi_cell(0, 6, text, new_x="LMARGIN", new_y="NEXT")
    pdf.ln(1)


def _pdf_paragraph(pdf: FPDF, text: str, points: float, colour: tuple[int, int, int]) -> None:
    pdf.set_font(FONT, "", points)
    pdf.set_text_color(*colour)
    pdf.multi_cell(0, points * LEADING * PT, text, align="L", new_x="LMARGIN", new_y="NEXT")


def _pdf_bullet(pdf: FPDF, text: str) -> None:
    pdf.set_font(FONT, "", 9)
    pdf.set_text_color(*INK)
    height = 9 * LEADING * PT
    pdf.cell(5, height, "•")
    pdf.multi_cell(0, height, text, align="L", new_x="LMARGIN", new_y="NEXT")


def _pdf_cut_lines(pdf: FPDF) -> None:
    pdf.set_draw_color(154, 161, 169)
    pdf.set_line_width(0.2)
    pdf.set_dash_pattern(dash=2, gap=1.5)
    pdf.line(CELL[0], 0, CELL[0], 2 * CELL[1])
    pdf.line(0, CELL[1], 2 * CELL[0], CELL[1])
    pdf.set_dash_pattern()


# Width and height (mm) a card's blocks may use inside a cell, above the footer.
ROOM = (CELL[0] - 2 * PDF_PADDING, CELL[1] - 2 * PDF_PADDING - FOOTER_SIZE * LEADING * PT - 3.5)


class _Measure:
    """Line breaking in the card font, with every width measured by fpdf2 and cached: fitting a
    card measures the same words at several sizes, and fpdf2's own line breaker (multi_cell's
    dry run) is quadratic in the line length, which made a 62-card export take seconds."""

    def __init__(self, pdf: FPDF) -> None:
        self.pdf = pdf
        self.widths: dict[tuple[str, bool, float], float] = {}

    def width(self, text: str, bold: bool, points: float) -> float:
        key = (text, bold, points)
        if key not in self.widths:
            self.pdf.set_font(FONT, "B" if bold else "", points)
            self.widths[key] = self.pdf.get_string_width(text)
        return self.widths[key]

    def wrap(self, text: str, bold: bool, points: float, room: float) -> list[str]:
        """Greedy word wrap; a word wider than the room is split between characters."""
        space = self.width(" ", bold, points)
        lines: list[str] = []
        for paragraph in text.split("\n"):
            line, used = "", 0.0
            for word in paragraph.split():
                for piece in self._pieces(word, bold, points, room):
                    width = self.width(piece, bold, points)
                    if line and used + space + width <= room:
                        line, used = f"{line} {piece}", used + space + width
                    else:
                        if line:
                            lines.append(line)
                        line, used = piece, width
            lines.append(line)
        return lines

    def _pieces(self, word: str, bold: bool, points: float, room: float) -> list[str]:
        if self.width(word, bold, points) <= room:
            return [word]
        pieces, piece = [], ""
        for char in word:
            if piece and self.width(piece + char, bold, points) > room:
                pieces.append(piece)
                piece = ""
            piece += char
        return [*pieces, piece]


def _pdf_lines(measure: _Measure, card: Card, size: float) -> list[_Line]:
    """A card's blocks broken into lines at a body size."""
    lines: list[_Line] = []
    for block in card_blocks(card):
        look = STYLES[block.style]
        points = size + look.size
        indent = measure.width(block.hang, True, points) + 1.5 if block.hang else 0.0
        room = ROOM[0] - indent - 2 * look.inset
        height = points * LEADING * PT
        gap = look.gap * size * LEADING * PT
        for number, text in enumerate(measure.wrap(block.text, look.bold, points, room)):
            first = number == 0
            x = indent + look.inset
            marker = block.marker if first else ""
            lines.append(_Line(text, block.style, points, x, gap if first else 0.0, height, marker))
    return lines


def _total(lines: Sequence[_Line]) -> float:
    return sum(line.gap + line.height for line in lines)


def _clip(measure: _Measure, lines: list[_Line], card: Card) -> list[_Line]:
    """The lines that fit, then a pointer to the full text: only for text too long at any size."""
    pointer = f"…see kotcoach show {card.exercise_id}"
    height = FOOTER_SIZE * LEADING * PT
    notes = [
        _Line(text, "note", FOOTER_SIZE, 0.0, 0.0, height)
        for text in measure.wrap(pointer, False, FOOTER_SIZE, ROOM[0])
    ]
    kept: list[_Line] = []
    for line in lines:
        if _total(kept) + line.gap + line.height + _total(notes) > ROOM[1]:
            break
        kept.append(line)
    return kept + notes


def _pdf_card(pdf: FPDF, measure: _Measure, card: Card, left: float, top: float) -> None:
    fitted, size = fit_card(card, lambda c, s: _total(_pdf_lines(measure, c, s)) <= ROOM[1])
    lines = _pdf_lines(measure, fitted, size)
    if _total(lines) > ROOM[1]:
        lines = _clip(measure, lines, fitted)
    x, y = left + PDF_PADDING, top + PDF_PADDING
    for line in lines:
        y += line.gap
        if STYLES[line.style].inset:
            pdf.set_fill_color(*TINT)
            pdf.rect(x, y, ROOM[0], line.height, style="F")
        if line.marker:
            pdf.set_font(FONT, "B", line.points)
            pdf.set_text_color(*LEVEL_COLOUR.get(line.marker, ACCENT))
            pdf.set_xy(x, y)
            pdf.cell(line.x, line.height, line.marker)
        _font(pdf, line.style, line.points)
        pdf.set_xy(x + line.x, y)
        pdf.cell(ROOM[0] - line.x, line.height, line.text)
        y += line.height
    _pdf_footer(pdf, left, top)


def _pdf_footer(pdf: FPDF, left: float, top: float) -> None:
    height = FOOTER_SIZE * LEADING * PT
    y = top + CELL[1] - PDF_PADDING - height
    pdf.set_draw_color(201, 206, 212)
    pdf.set_line_width(0.2)
    pdf.line(left + PDF_PADDING, y - 1.6, left + CELL[0] - PDF_PADDING, y - 1.6)
    pdf.set_font(FONT, "", FOOTER_SIZE)
    pdf.set_text_color(*GREY)
    pdf.set_xy(left + PDF_PADDING, y)
    pdf.cell(CELL[0] - 2 * PDF_PADDING, height, STOP_LINE)
