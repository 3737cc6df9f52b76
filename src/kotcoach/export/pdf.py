"""Handouts as PDF with fpdf2 (the optional `kotcoach[pdf]` extra, imported only here, only
when a PDF is written) and the embedded DejaVu Sans Condensed font."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, cast

from kotcoach.coaching.pain import STOP_LINE
from kotcoach.export import content
from kotcoach.export.content import Block, Card, Handout, Section, Table
from kotcoach.export.figure_inset import Inset, layout_with_figure
from kotcoach.export.pdf_output import output_quietly

if TYPE_CHECKING:
    from fpdf import FPDF

FONTS = Path(__file__).resolve().parent / "fonts"

PAPERS = {"a4": (210.0, 297.0), "letter": (215.9, 279.4)}  # mm, portrait
PDF_PADDING = 7.0  # mm inside each cell: clear of printers' unprintable edges
PAGE_MARGIN = 15.0
FONT = "DejaVu"
RULE = (201, 206, 212)


@dataclass(frozen=True)
class PdfResult:
    data: bytes
    pages: int
    missing: str  # characters the font cannot draw, in the order met ('' when none)


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
    narrower: float = 0.0  # mm taken from the right by a figure beside the line


@dataclass(frozen=True)
class _Grid:
    """Where the four cards of a page go, for a paper size."""

    cell: tuple[float, float]

    @property
    def room(self) -> tuple[float, float]:
        """Width and height (mm) a card's blocks may use inside a cell, above the footer."""
        footer = 2 * content.STOP_POINTS * content.LEADING * content.PT + 3.5
        return (self.cell[0] - 2 * PDF_PADDING, self.cell[1] - 2 * PDF_PADDING - footer)


def render_pdf(handout: Handout, paper: str = "a4") -> PdfResult:
    width, height = PAPERS[paper]
    grid = _Grid((width / 2, height / 2))
    pdf = _new_pdf(handout, width, height)
    _pdf_intro(pdf, handout)
    near_fold = bool(handout.cards) and _just_past(pdf, grid.cell[1] - CARD_GAP)
    if _stray(pdf) or near_fold:
        # The opening ran a few lines onto a page of its own, or a few past the fold of its
        # last page, where a row of cards would go: closer headings may take them back.
        tight = _new_pdf(handout, width, height)
        _pdf_intro(tight, handout, TIGHT_SPACING)
        if tight.pages_count < pdf.pages_count or (
            near_fold
            and tight.pages_count == pdf.pages_count
            and tight.get_y() <= grid.cell[1] - CARD_GAP
        ):
            pdf, tight = tight, pdf
        _close_fonts(tight)  # fpdf2 closes a font file only when it writes the PDF
    pdf.set_auto_page_break(False)
    c_margin = pdf.c_margin
    pdf.c_margin = 0  # cards place every line themselves, measured without cell padding
    measure = _Measure(pdf)
    faces = [face for card in handout.cards for face in _faces(measure, card, grid)]
    # Where the opening ends above the fold, a row of cards fills the rest of its page.
    shared = faces and pdf.get_y() + CARD_GAP <= grid.cell[1]
    pages = _pages(faces, shared_first=bool(shared))
    # A last page of cards holding one row only takes the pain log under its fold, when the
    # log fits there: cut along the fold, the log stays whole, and no page but the last is
    # left more than half empty.
    log_below = bool(
        handout.log
        and pages
        and len(pages[-1]) <= 2
        and not (shared and len(pages) == 1)
        and _log_fits(pdf, handout, grid.cell[1] + PAGE_MARGIN)
    )
    for number, page in enumerate(pages):
        first_slot = 2 if shared and number == 0 else 0
        if first_slot == 0:
            pdf.add_page()
        last = number == len(pages) - 1
        _pdf_cut_lines(
            pdf,
            grid,
            top=grid.cell[1] if first_slot else 0.0,
            bottom=grid.cell[1] if last and log_below else 2 * grid.cell[1],
        )
        for slot, face in enumerate(page, start=first_slot):
            left, top = (slot % 2) * grid.cell[0], (slot // 2) * grid.cell[1]
            _pdf_card(pdf, measure, grid, face, left, top)
    # The pain log last: a sheet to fill in and bring along, and the one page that may be more
    # than half empty without leaving a gap in the middle of the handout.
    pdf.c_margin = c_margin
    _pdf_log(pdf, handout, grid.cell[1] + PAGE_MARGIN if log_below else None)
    # fpdf2 logs missing glyphs itself; kotcoach says so once, in its own words, on stderr.
    data, missing = output_quietly(pdf)
    return PdfResult(data, pdf.pages_count, missing)


CARD_GAP = 6.0  # mm between the opening's last line and a row of cards under it
STRAY = 40.0  # mm: an opening's last page holding no more than this holds a few stray lines
TIGHT_SPACING = 0.4  # of the usual space above and below headings, to take those lines back


def _new_pdf(handout: Handout, width: float, height: float) -> FPDF:
    from fpdf import FPDF

    pdf = FPDF(orientation="portrait", unit="mm", format=(width, height))
    pdf.set_title(handout.title)
    pdf.set_creator("kotcoach")
    pdf.add_font(FONT, "", FONTS / "DejaVuSansCondensed.ttf")
    pdf.add_font(FONT, "B", FONTS / "DejaVuSansCondensed-Bold.ttf")
    return pdf


def _close_fonts(pdf: FPDF) -> None:
    from fpdf.fonts import TTFFont

    for font in pdf.fonts.values():
        if isinstance(font, TTFFont):
            font.close()


def _stray(pdf: FPDF) -> bool:
    """Whether the opening's last page holds only a few lines, the rest of it left blank."""
    return pdf.pages_count > 1 and pdf.get_y() - PAGE_MARGIN <= STRAY


def _just_past(pdf: FPDF, fold: float) -> bool:
    """Whether the opening ends less than STRAY mm past the fold of its last page."""
    return fold < pdf.get_y() <= fold + STRAY


def _pages(faces: Sequence[_Face], shared_first: bool) -> list[Sequence[_Face]]:
    """Four faces a page; two on the first when it shares its page with the opening."""
    if not shared_first:
        return content.chunks(faces)
    return [faces[:2], *content.chunks(faces[2:])]


@dataclass(frozen=True)
class _Face:
    """One printed card: a card's blocks, or the part of them that continues."""

    size: float
    blocks: list[Block]
    figure: Inset | None = None  # on a card's first face
    gaps: float = 1.0  # the gaps between blocks, as a share of the usual


def _faces(measure: _Measure, card: Card, grid: _Grid) -> list[_Face]:
    from kotcoach.export.figure_inset import card_figure
    from kotcoach.figures.pose import scene

    layout = layout_with_figure(
        card,
        lambda b, s, narrower: _wrap_block(measure, b, s, grid, narrower),
        grid.room,
        card_figure(scene(card.pose)) if card.pose else None,
    )
    return [
        _Face(layout.size, blocks, layout.inset if number == 0 else None, layout.gaps)
        for number, blocks in enumerate(layout.faces)
    ]


def _pdf_intro(pdf: FPDF, handout: Handout, spacing: float = 1.0) -> None:
    """Title, summary, referral, tables and sections: everything before the log and the cards.
    `spacing` scales the space around headings, the one thing closed up to save a page."""
    pdf.set_margins(PAGE_MARGIN, PAGE_MARGIN, PAGE_MARGIN)
    pdf.set_auto_page_break(True, PAGE_MARGIN)
    pdf.add_page()
    pdf.set_font(FONT, "B", 17)
    pdf.set_text_color(*content.INK)
    pdf.multi_cell(0, 8, handout.title, new_x="LMARGIN", new_y="NEXT")
    if handout.byline:
        pdf.set_font(FONT, "B", 10)
        pdf.multi_cell(
            0, 10 * content.LEADING * content.PT, handout.byline, new_x="LMARGIN", new_y="NEXT"
        )
    _pdf_paragraph(pdf, handout.summary, 9, content.GREY)
    if handout.referral:
        pdf.ln(3)
        _pdf_alert(pdf, "See a clinician first", handout.referral)
    tables = list(handout.tables)
    if tables:
        _pdf_table(pdf, tables.pop(0), spacing)
    # The rules and the red flags go on the first day's page when they fit there, so the page
    # a person keeps open while training holds them; else after the last day, as before.
    early = bool(tables)
    if early:
        with pdf.offset_rendering() as trial:
            _pdf_rules(cast("FPDF", trial), handout, spacing)  # records, draws nothing
        early = not trial.page_break_triggered
    if early:
        _pdf_rules(pdf, handout, spacing)
    for table in tables:
        _pdf_table(pdf, table, spacing)
    if not early:
        _pdf_rules(pdf, handout, spacing)


def _pdf_rules(pdf: FPDF, handout: Handout, spacing: float) -> None:
    """The sections (changes, equipment, how much pain is OK, red flags) and the disclaimer."""
    for section in handout.sections:
        _pdf_section(pdf, section, spacing)
    pdf.ln(3 * spacing)
    _pdf_paragraph(pdf, content.DISCLAIMER, 8.5, content.GREY)


def _log_fits(pdf: FPDF, handout: Handout, top: float) -> bool:
    """Whether the pain log fits from `top` mm down to the foot of the page."""
    pdf.set_auto_page_break(True, PAGE_MARGIN)
    with pdf.offset_rendering() as trial:
        trial.set_y(top)
        _pdf_log(cast("FPDF", trial), handout, top)  # records, draws nothing
    pdf.set_auto_page_break(False)
    return not trial.page_break_triggered


def _pdf_log(pdf: FPDF, handout: Handout, top: float | None = None) -> None:
    """The pain log on a sheet of its own; or from `top` mm down, under a row of cards."""
    for number, table in enumerate(handout.log):
        if number == 0:
            pdf.set_auto_page_break(True, PAGE_MARGIN)
            if top is None:
                pdf.add_page()
            else:
                pdf.set_xy(PAGE_MARGIN, top)
            pdf.set_font(FONT, "B", 14)
            pdf.set_text_color(*content.INK)
            pdf.multi_cell(0, 7, "Pain log", new_x="LMARGIN", new_y="NEXT")
            _pdf_paragraph(
                pdf,
                "After each session, tick it and score your pain from 0 to 10: during, just "
                "after, and the next morning. Bring this sheet to your appointments.",
                9,
                content.GREY,
            )
        _pdf_table(pdf, table)


def _pdf_alert(pdf: FPDF, title: str, text: str) -> None:
    """A tinted box with a red rule: the referral, first on the page."""
    width = pdf.epw
    pdf.set_font(FONT, "", 10)
    lines = _Measure(pdf).wrap(text, False, 10, width - 8)
    height = 6 + 7 + len(lines) * 10 * content.LEADING * content.PT
    if pdf.will_page_break(height):
        pdf.add_page()
    x, y = pdf.get_x(), pdf.get_y()
    pdf.set_fill_color(*content.ALERT_TINT)
    pdf.rect(x, y, width, height, style="F")
    pdf.set_fill_color(*content.ALERT)
    pdf.rect(x, y, 1.2, height, style="F")
    pdf.set_xy(x + 4, y + 3)
    pdf.set_font(FONT, "B", 11)
    pdf.set_text_color(*content.ALERT)
    pdf.cell(width - 8, 7, title, new_x="LEFT", new_y="NEXT")
    pdf.set_font(FONT, "", 10)
    pdf.set_text_color(*content.INK)
    pdf.multi_cell(
        width - 8, 10 * content.LEADING * content.PT, text, align="L", new_x="LMARGIN", new_y="NEXT"
    )
    pdf.set_y(y + height + 2)
    pdf.set_fill_color(255, 255, 255)  # fpdf2 keeps the fill: tables after it would turn red


def _col_widths(table: Table, width: float) -> tuple[float, ...]:
    if table.kind == "log":
        fixed = (18, 24, 13, 21, 21, 23)
        return (*fixed, width - sum(fixed))
    if table.kind == "weeks":
        weeks = len(table.header) - 2
        label, name = 17.0, 44.0
        return (label, name, *([(width - label - name) / weeks] * weeks))
    return tuple(width * share for share in (0.10, 0.28, 0.24, 0.38))


def _pdf_table(pdf: FPDF, table: Table, spacing: float = 1.0) -> None:
    from fpdf.fonts import FontFace

    if table.kind != "log":
        _pdf_rows(pdf, table, spacing)
        return
    _pdf_heading(pdf, table.title, keep=30, spacing=spacing)
    heading = FontFace(emphasis="BOLD", color=content.ACCENT, fill_color=content.TINT)
    columns = len(table.header)
    size = 9.0 if table.kind == "log" else (8.0 if columns > 8 else 8.5)
    pdf.set_font(FONT, "", size)
    pdf.set_text_color(*content.INK)
    pdf.set_draw_color(*RULE)
    pdf.set_line_width(0.2)
    log = table.kind == "log"
    with pdf.table(
        col_widths=_col_widths(table, pdf.epw),
        text_align="LEFT",
        v_align="TOP",
        borders_layout="ALL" if log else "HORIZONTAL_LINES",
        headings_style=heading,
        line_height=size * content.LEADING * content.PT,
        padding=(1.2, 1.5),
        min_row_height=10 if log else None,
    ) as grid:
        grid.row(table.header)
        name = FontFace(emphasis="BOLD")  # the exercise's name is what a row is read by
        for row in table.rows:
            cells = grid.row()
            for column, cell in enumerate(row):
                cells.cell("\n".join(cell), style=name if column == 1 and not log else None)
    if table.note:
        _pdf_paragraph(pdf, table.note, 8.5, content.GREY)


CELL_PADDING = (1.5, 1.2)  # mm inside a table's cells: across, down


@dataclass(frozen=True)
class _Cell:
    lines: list[tuple[str, bool, tuple[int, int, int]]]  # text, bold, colour


def _pdf_rows(pdf: FPDF, table: Table, spacing: float = 1.0) -> None:
    """A day's exercises, a row each, with the exercise's figure beside it (issue 24): at full
    size, its frames side by side, or its last frame where they do not fit the column
    (export.figure_fit.row_figure). The name is bold and the change under it
    regular and grey, read second; a row is never split, and the header is repeated on a new
    page."""
    from kotcoach.export.figure_fit import figure_column, row_figure
    from kotcoach.export.figure_pdf import draw_scene
    from kotcoach.figures.pose import scene

    pad_x, pad_y = CELL_PADDING
    size = 8.0 if len(table.header) > 8 else 8.5
    line = size * content.LEADING * content.PT
    column = figure_column(len(table.header) - 2 if table.kind == "weeks" else 0, pdf.epw)
    fits = [
        row_figure(scene(pose), column - 2 * pad_x) if pose is not None else None
        for pose in table.figures
    ]
    figure_width = max((f.width + 2 * pad_x for f in fits if f is not None), default=0.0)
    widths = list(_row_widths(table, pdf.epw - figure_width))
    if figure_width:
        widths.insert(1, figure_width)
    measure = _Measure(pdf)

    def cells(row: Sequence[Sequence[str]], header: bool = False) -> list[_Cell]:
        found = []
        for column, cell in enumerate(row):
            lines: list[tuple[str, bool, tuple[int, int, int]]] = []
            for number, text in enumerate(cell):
                bold = header or (column == 1 and number == 0)
                colour = (
                    content.ACCENT
                    if header
                    else (content.GREY if column == 1 and number else content.INK)
                )
                room = widths[column + (1 if figure_width and column >= 1 else 0)] - 2 * pad_x
                lines += [(t, bold, colour) for t in measure.wrap(text, bold, size, room)]
            found.append(_Cell(lines))
        if figure_width:
            found.insert(1, _Cell([]))
        return found

    def height(row: list[_Cell], figure: float = 0.0) -> float:
        return max(max(len(c.lines) for c in row) * line, figure) + 2 * pad_y

    header = cells([(text,) for text in table.header], header=True)
    header_height = height(header)
    rows = [cells(row) for row in table.rows]
    figures = fits or [None] * len(rows)
    heights = [height(row, f.height if f else 0.0) for row, f in zip(rows, figures, strict=True)]
    _pdf_heading(pdf, table.title, keep=header_height + heights[0] + 2, spacing=spacing)
    bottom = pdf.h - PAGE_MARGIN

    def draw(row: list[_Cell], row_height: float, fill: bool = False) -> None:
        x, y = pdf.l_margin, pdf.get_y()
        if fill:
            pdf.set_fill_color(*content.TINT)
            pdf.rect(x, y, sum(widths), row_height, style="F")
        for width, cell in zip(widths, row, strict=True):
            for number, (text, bold, colour) in enumerate(cell.lines):
                pdf.set_font(FONT, "B" if bold else "", size)
                pdf.set_text_color(*colour)
                pdf.set_xy(x + pad_x, y + pad_y + number * line)
                pdf.cell(width - 2 * pad_x, line, text)
            x += width
        pdf.set_draw_color(*RULE)
        pdf.set_line_width(0.2)
        pdf.line(pdf.l_margin, y + row_height, pdf.l_margin + sum(widths), y + row_height)
        pdf.set_xy(pdf.l_margin, y + row_height)

    draw(header, header_height, fill=True)
    for row, row_height, fit in zip(rows, heights, figures, strict=True):
        if pdf.get_y() + row_height > bottom:
            pdf.add_page()
            draw(header, header_height, fill=True)
        top = pdf.get_y()
        if fit is not None:
            left = pdf.l_margin + widths[0] + (widths[1] - fit.width) / 2
            draw_scene(pdf, fit.scene, left, top + pad_y, fit.width, fit.height, scale=fit.scale)
        draw(row, row_height)
    pdf.set_text_color(*content.INK)
    if table.note:
        _pdf_paragraph(pdf, table.note, 8.5, content.GREY)


def _row_widths(table: Table, width: float) -> tuple[float, ...]:
    """The text columns of a day's table in `width` mm: the label narrow, the rest shared."""
    label = 16.0
    if table.kind == "weeks":
        name = 36.0
        weeks = len(table.header) - 2
        return (label, name, *([(width - label - name) / weeks] * weeks))
    rest = width - label
    return (label, *(rest * share for share in (0.34, 0.28, 0.38)))


def _pdf_section(pdf: FPDF, section: Section, spacing: float = 1.0) -> None:
    colour = content.ALERT if section.urgent else content.INK
    _pdf_heading(pdf, section.title, keep=20, colour=colour, spacing=spacing)
    if section.lead:
        _pdf_paragraph(pdf, section.lead, 9, content.INK)
    for item in section.items:
        _pdf_bullet(pdf, item)


def _pdf_heading(
    pdf: FPDF,
    text: str,
    keep: float,
    colour: tuple[int, int, int] = content.INK,
    spacing: float = 1.0,
) -> None:
    """A heading, moved to the next page rather than left alone at the bottom of one."""
    if pdf.will_page_break(keep):
        pdf.add_page()
    pdf.ln(4 * spacing)
    pdf.set_font(FONT, "B", 11)
    pdf.set_text_color(*colour)
    pdf.multi_cell(0, 6, text, new_x="LMARGIN", new_y="NEXT")
    pdf.ln(spacing)


def _pdf_paragraph(pdf: FPDF, text: str, size: float, colour: tuple[int, int, int]) -> None:
    pdf.set_font(FONT, "", size)
    pdf.set_text_color(*colour)
    pdf.multi_cell(
        0, size * content.LEADING * content.PT, text, align="L", new_x="LMARGIN", new_y="NEXT"
    )


def _pdf_bullet(pdf: FPDF, text: str) -> None:
    pdf.set_font(FONT, "", 9)
    pdf.set_text_color(*content.INK)
    height = 9 * content.LEADING * content.PT
    pdf.cell(5, height, "•")
    pdf.multi_cell(0, height, text, align="L", new_x="LMARGIN", new_y="NEXT")


def _pdf_cut_lines(pdf: FPDF, grid: _Grid, top: float = 0.0, bottom: float | None = None) -> None:
    """The dashed lines to cut along: between the columns from `top` down to `bottom` (the foot
    of the page when None), and across the middle of the page."""
    pdf.set_draw_color(154, 161, 169)
    pdf.set_line_width(0.2)
    pdf.set_dash_pattern(dash=2, gap=1.5)
    pdf.line(grid.cell[0], top, grid.cell[0], 2 * grid.cell[1] if bottom is None else bottom)
    pdf.line(0, grid.cell[1], 2 * grid.cell[0], grid.cell[1])
    pdf.set_dash_pattern()


class _Measure:
    """Line breaking in the card font, with every width measured by fpdf2 and cached: fitting a
    card measures the same words at several sizes, and fpdf2's own line breaker (multi_cell's
    dry run) is quadratic in the line length, which made a 62-card export take seconds."""

    def __init__(self, pdf: FPDF) -> None:
        self.pdf = pdf
        self.widths: dict[tuple[str, bool, float], float] = {}

    def width(self, text: str, bold: bool, size: float) -> float:
        key = (text, bold, size)
        if key not in self.widths:
            self.pdf.set_font(FONT, "B" if bold else "", size)
            self.widths[key] = self.pdf.get_string_width(text)
        return self.widths[key]

    def wrap(self, text: str, bold: bool, size: float, room: float) -> list[str]:
        """Greedy word wrap; a word wider than the room is split between characters."""
        space = self.width(" ", bold, size)
        lines: list[str] = []
        for paragraph in text.split("\n"):
            line, used = "", 0.0
            for word in paragraph.split():
                for piece in self._pieces(word, bold, size, room):
                    width = self.width(piece, bold, size)
                    if line and used + space + width <= room:
                        line, used = f"{line} {piece}", used + space + width
                    else:
                        if line:
                            lines.append(line)
                        line, used = piece, width
            lines.append(line)
        return lines

    def _pieces(self, word: str, bold: bool, size: float, room: float) -> list[str]:
        if self.width(word, bold, size) <= room:
            return [word]
        pieces, piece = [], ""
        for char in word:
            if piece and self.width(piece + char, bold, size) > room:
                pieces.append(piece)
                piece = ""
            piece += char
        return [*pieces, piece]


def _indent(measure: _Measure, block: Block, size: float) -> float:
    return (
        measure.width(block.hang, True, content.points(block.style, size)) + 1.5
        if block.hang
        else 0.0
    )


def _wrap_block(
    measure: _Measure, block: Block, size: float, grid: _Grid, narrower: float = 0.0
) -> list[str]:
    look = content.STYLES[block.style]
    room = grid.room[0] - narrower - _indent(measure, block, size) - 2 * look.inset
    return measure.wrap(block.text, look.bold, content.points(block.style, size), room)


def _pdf_lines(
    measure: _Measure,
    grid: _Grid,
    blocks: Sequence[Block],
    size: float,
    inset: Inset | None = None,
    gaps: float = 1.0,
) -> list[_Line]:
    """A card's blocks broken into lines at a body size; those beside a figure narrower, and the
    first under it lower by the figure's reach below them."""
    lines: list[_Line] = []
    for number_of_block, block in enumerate(blocks):
        narrower = inset.width if inset and inset.beside(number_of_block) else 0.0
        look = content.STYLES[block.style]
        size_pt = content.points(block.style, size)
        indent = _indent(measure, block, size)
        height = size_pt * content.LEADING * content.PT
        gap = look.gap * size * content.LEADING * content.PT * gaps
        if inset and number_of_block == inset.below:
            gap += inset.extra
        for number, text in enumerate(_wrap_block(measure, block, size, grid, narrower)):
            first = number == 0
            x = indent + look.inset
            marker = block.marker if first else ""
            lines.append(
                _Line(
                    text, block.style, size_pt, x, gap if first else 0.0, height, marker, narrower
                )
            )
    return lines


def _pdf_card(
    pdf: FPDF, measure: _Measure, grid: _Grid, face: _Face, left: float, top: float
) -> None:
    x, y = left + PDF_PADDING, top + PDF_PADDING
    inset = face.figure
    lines = _pdf_lines(measure, grid, face.blocks, face.size, inset, face.gaps)
    above = (
        sum(
            len(_wrap_block(measure, block, face.size, grid))
            for block in face.blocks[: inset.above]
        )
        if inset
        else 0
    )
    for number, line in enumerate(lines):
        if inset and number == above:
            _pdf_figure(pdf, grid, inset, x, y)
        y += line.gap
        if content.STYLES[line.style].inset:
            pdf.set_fill_color(*content.TINT)
            pdf.rect(x, y, grid.room[0] - line.narrower, line.height, style="F")
        if line.marker:
            pdf.set_font(FONT, "B", line.points)
            pdf.set_text_color(*content.LEVEL_COLOUR.get(line.marker, content.ACCENT))
            pdf.set_xy(x, y)
            pdf.cell(line.x, line.height, line.marker)
        pdf.set_font(FONT, "B" if content.STYLES[line.style].bold else "", line.points)
        pdf.set_text_color(*content.STYLES[line.style].colour)
        pdf.set_xy(x + line.x, y)
        pdf.cell(grid.room[0] - line.narrower - line.x, line.height, line.text)
        y += line.height
    if inset and above >= len(lines):
        _pdf_figure(pdf, grid, inset, x, y)
    _pdf_footer(pdf, measure, grid, left, top)


def _pdf_figure(pdf: FPDF, grid: _Grid, inset: Inset, x: float, y: float) -> None:
    """The figure under the meta line (at `y`): at the right beside the text, or centred as a
    band."""
    from kotcoach.export.figure_inset import TOP
    from kotcoach.export.figure_pdf import draw_scene

    width, height = inset.box
    left = x + (grid.room[0] - width if not inset.band else (grid.room[0] - width) / 2)
    draw_scene(pdf, inset.fit.scene, left, y + TOP, width, height, scale=inset.fit.scale)


def _pdf_footer(pdf: FPDF, measure: _Measure, grid: _Grid, left: float, top: float) -> None:
    """The stop line, in bold at a size no card text beats by much; two lines if it needs."""
    height = content.STOP_POINTS * content.LEADING * content.PT
    lines = measure.wrap(STOP_LINE, True, content.STOP_POINTS, grid.room[0])
    y = top + grid.cell[1] - PDF_PADDING - height * len(lines)
    pdf.set_draw_color(*RULE)
    pdf.set_line_width(0.2)
    pdf.line(left + PDF_PADDING, y - 1.6, left + grid.cell[0] - PDF_PADDING, y - 1.6)
    pdf.set_font(FONT, "B", content.STOP_POINTS)
    pdf.set_text_color(*content.INK)
    for line in lines:
        pdf.set_xy(left + PDF_PADDING, y)
        pdf.cell(grid.room[0], height, line)
        y += height
