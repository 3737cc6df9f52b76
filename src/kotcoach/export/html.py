"""Handouts as one self-contained HTML file with print CSS: four cards a page, cut lines."""

from __future__ import annotations

import html
import textwrap
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from kotcoach.coaching.pain import STOP_LINE
from kotcoach.export import content
from kotcoach.export.content import Block, Card, Handout, Section, Table

if TYPE_CHECKING:
    from kotcoach.catalogue.models import Pose
    from kotcoach.export.figure_fit import Fitted
    from kotcoach.export.figure_inset import Inset

HTML_CARD = (104.0, 138.0)  # mm: four fit on A4 (210 × 297) and on Letter (215.9 × 279.4)
HTML_PADDING = 6.0  # mm inside each card
# mm kept at the foot of a card: the stop line
HTML_FOOTER = 2 * content.STOP_POINTS * content.LEADING * content.PT + 2.0
# Browsers use the reader's own fonts, so HTML is fitted by estimate: an average character width
# a little wider than most sans-serif fonts, and lines wrapped a word at a time.
HTML_CHAR_EM = {False: 0.5, True: 0.55}
PAGE_SIZE = {"a4": "A4 portrait", "letter": "letter portrait"}


def _h(text: str) -> str:
    return html.escape(text, quote=True)


def _rgb(colour: tuple[int, int, int]) -> str:
    return "#{:02x}{:02x}{:02x}".format(*colour)


def _html_wrap(block: Block, size: float, narrower: float = 0.0) -> list[str]:
    """A block's lines as a browser would roughly break them in a card."""
    style = content.STYLES[block.style]
    size_pt = content.points(block.style, size)
    width = HTML_CARD[0] - 2 * HTML_PADDING - narrower
    indent = (
        (len(block.hang) * HTML_CHAR_EM[True] + 0.5) * size_pt * content.PT if block.hang else 0.0
    )
    char = HTML_CHAR_EM[style.bold] * size_pt * content.PT
    columns = max(1, int((width - indent - 2 * style.inset) / char))
    return textwrap.wrap(block.text, columns) or [""]


def _html_css(paper: str | None) -> str:
    blocks = "\n".join(
        f".b-{name} {{ font-size: max({content.MIN_POINTS:g}pt, calc(var(--s) + {style.size}pt)); "
        f"font-weight: {'bold' if style.bold else 'normal'}; color: {_rgb(style.colour)}; "
        f"margin-top: calc(var(--s) * var(--g) * {style.gap * content.LEADING:.3f}); "
        f"padding: 0 {style.inset}mm; }}"
        for name, style in content.STYLES.items()
    )
    width, height = HTML_CARD
    levels = "\n".join(
        f".level-{name} {{ color: {_rgb(c)}; }}" for name, c in content.LEVEL_COLOUR.items()
    )
    size = PAGE_SIZE.get(paper or "", "portrait")
    return f"""
/* Printing: portrait, no browser margins. The 2 × 2 grid of {width:g} × {height:g} mm cards
   ({2 * width:g} × {2 * height:g} mm) fits both A4 (210 × 297) and Letter (215.9 × 279.4), so a
   page size is set only when one was asked for. */
@page {{ size: {size}; margin: 0; }}
* {{ box-sizing: border-box; }}
html {{ -webkit-print-color-adjust: exact; print-color-adjust: exact;
  -webkit-text-size-adjust: 100%; text-size-adjust: 100%; }}
body {{ margin: 0; background: #d9dde2; color: {_rgb(content.INK)};
  font-family: "DejaVu Sans Condensed", "Liberation Sans Narrow", "Arial Narrow",
    "Roboto Condensed", "Helvetica Neue", Arial, sans-serif; line-height: {content.LEADING}; }}
.intro {{ width: {2 * width:g}mm; margin: 8mm auto; padding: 12mm; background: #fff;
  box-shadow: 0 1px 4px rgba(0, 0, 0, 0.2); font-size: 9.5pt; }}
.intro h1 {{ font-size: 17pt; margin: 0 0 2mm; }}
.intro h2 {{ font-size: 11pt; margin: 6mm 0 2mm; break-after: avoid; page-break-after: avoid; }}
.intro h2.urgent {{ color: {_rgb(content.ALERT)}; }}
.byline {{ font-weight: bold; margin: 0 0 1mm; }}
.summary, .disclaimer, .note {{ color: {_rgb(content.GREY)}; }}
.lead {{ margin: 0 0 1mm; }}
.referral {{ margin: 4mm 0; padding: 3mm 4mm; background: {_rgb(content.ALERT_TINT)};
  border-left: 1.2mm solid {_rgb(content.ALERT)}; }}
.referral h2 {{ margin: 0 0 1mm; color: {_rgb(content.ALERT)}; }}
.referral p {{ margin: 0; font-size: 10pt; }}
table {{ width: 100%; border-collapse: collapse; font-size: 9pt; }}
th {{ text-align: left; background: {_rgb(content.TINT)}; color: {_rgb(content.ACCENT)}; }}
th, td {{ padding: 1.2mm 1.5mm; border-bottom: 0.2mm solid #c9ced4; vertical-align: top; }}
td.name {{ font-weight: bold; }}
table.plan td:first-child, table.weeks td:first-child {{ white-space: nowrap; }}
td .change {{ display: block; font-weight: normal; color: {_rgb(content.GREY)}; }}
td.figure {{ text-align: center; vertical-align: middle; padding: 1.2mm 2mm; }}
td.figure svg {{ display: block; margin: 0 auto; }}
table.log td {{ height: 9mm; border: 0.2mm solid #c9ced4; }}
table.log th {{ border: 0.2mm solid #c9ced4; }}
tr {{ break-inside: avoid; page-break-inside: avoid; }}
.log-sheet {{ break-before: page; page-break-before: always; }}
.sheet {{ width: {2 * width:g}mm; height: {2 * height:g}mm; margin: 8mm auto;
  background: #fff; box-shadow: 0 1px 4px rgba(0, 0, 0, 0.2);
  break-inside: avoid; page-break-inside: avoid; break-after: page; page-break-after: always; }}
.sheet:last-child {{ break-after: auto; page-break-after: auto; }}
/* A row of two cards is the unit that is never split: printed, rows flow on from the opening,
   so cards start in the room the opening leaves on its last page. */
.row {{ display: grid; grid-template-columns: repeat(2, {width:g}mm); height: {height:g}mm;
  outline: 0.3mm dashed #9aa1a9; outline-offset: -0.15mm;
  break-inside: avoid; page-break-inside: avoid; }}
.card {{ --s: 9pt; --g: 1; font-size: var(--s); padding: {HTML_PADDING:g}mm; overflow: hidden;
  display: flex; flex-direction: column;
  break-inside: avoid; page-break-inside: avoid; }}
.card:nth-child(odd) {{ border-right: 0.3mm dashed #9aa1a9; }}
.card p, .card h2, .card h3 {{ margin-bottom: 0; }}
.card h2 {{ margin-top: 0; line-height: 1.1; }}
.card .figure {{ float: right; margin-left: 2.5mm; display: flex; align-items: flex-end;
  justify-content: flex-end; }}
.card .figure.band {{ float: none; margin-left: auto; margin-right: auto; }}
.card .top {{ display: flow-root; }}
.card .top > :not(.figure) {{ overflow: hidden; }}
.b-label {{ text-transform: uppercase; letter-spacing: 0.04em; }}
.b-dose, .b-details {{ background: {_rgb(content.TINT)}; }}
.b-dose {{ padding-top: 0.6mm; }} .b-details {{ padding-bottom: 0.6mm; }}
.item {{ display: grid; grid-template-columns: 1.5em 1fr; }}
.item.wide {{ grid-template-columns: 3.8em 1fr; }}
.item.bullet {{ grid-template-columns: 1.2em 1fr; }}
.marker {{ font-weight: bold; color: {_rgb(content.ACCENT)}; }}
.stop {{ margin-top: auto; padding-top: 1.5mm; border-top: 0.2mm solid #c9ced4;
  font-size: {content.STOP_POINTS:g}pt; font-weight: bold; color: {_rgb(content.INK)}; }}
{levels}
{blocks}
@media print {{
  body {{ background: none; }}
  .intro {{ width: auto; margin: 0; box-shadow: none; }}
  .log-sheet {{ break-after: page; page-break-after: always; }}  /* no cards cut from the log */
  .sheet {{ width: auto; height: auto; margin: 0; box-shadow: none; background: none;
    break-inside: auto; page-break-inside: auto; break-after: auto; page-break-after: auto; }}
  .row {{ width: {2 * width:g}mm; margin: 0 auto; background: #fff; }}
}}
@media screen and (max-width: 220mm) {{
  .intro, .sheet {{ width: auto; height: auto; margin: 3mm; }}
  .intro {{ padding: 5mm; }}
  .row {{ grid-template-columns: 1fr; height: auto; outline: 0; }}
  .card {{ border: 0; border-bottom: 0.3mm dashed #9aa1a9; overflow: visible;
    --g: 1 !important; }}  /* the room a card has: no gaps closed up to fit a sheet */
  .card:nth-child(odd) {{ border-right: 0; }}
  /* On a screen a card has the room it needs: its continued faces read as one card. */
  .card.split {{ border-bottom: 0; padding-bottom: 0; }}
  .card.split > .stop, .card.cont > .b-title {{ display: none; }}
  .card.cont {{ padding-top: 0; }}
}}
/* Phones: a table's rows become stacked blocks, each cell under its column's name. */
@media screen and (max-width: 640px) {{
  .intro {{ font-size: 11pt; }}
  table, thead, tbody, tr, th, td {{ display: block; width: auto; }}
  thead {{ display: none; }}
  tr {{ padding: 2mm 0; border-bottom: 0.3mm solid #c9ced4; }}
  td {{ border: 0; padding: 0.4mm 0; }}
  td[data-label]:not([data-label=""])::before {{ content: attr(data-label) ": ";
    color: {_rgb(content.GREY)}; font-weight: normal; }}
  td.name {{ font-size: 11.5pt; }}
  td.name::before {{ content: none !important; }}
  table.log td {{ height: auto; border: 0; }}
  table.weeks td {{ display: inline-block; margin-right: 3mm; }}
  table.weeks td.name {{ display: block; }}
  td.figure {{ padding: 1mm 0; }}
  td.figure svg {{ margin: 0; }}
  .card {{ --s: 11pt !important; }}
  .card .figure {{ float: none; width: auto !important; height: auto !important;
    justify-content: center; margin: 0 0 2mm 0; }}
  .card .figure svg {{ width: 80%; height: auto; max-height: 60mm; }}
}}
"""


def render_html(handout: Handout, paper: str | None = None) -> str:
    faces = [face for card in handout.cards for face in _faces(card)]
    sheets = "\n".join(
        '<section class="sheet">\n'
        + "\n".join(
            '<div class="row">\n'
            + "\n".join(_html_card(face) for face in page[row : row + 2])
            + "\n</div>"
            for row in range(0, len(page), 2)
        )
        + "\n</section>"
        for page in content.chunks(faces)
    )
    return (
        "<!DOCTYPE html>\n"
        '<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{_h(handout.title)}</title>\n<style>{_html_css(paper)}</style>\n</head>\n"
        f"<body>\n{_html_intro(handout)}\n{sheets}\n</body>\n</html>\n"
    )


HTML_ROOM = HTML_CARD[1] - 2 * HTML_PADDING - HTML_FOOTER
ROW_FIGURE = 65.0  # mm: the widest a figure beside a row of a day's table may be


def _html_intro(handout: Handout) -> str:
    parts = [f"<h1>{_h(handout.title)}</h1>"]
    if handout.byline:
        parts.append(f'<p class="byline">{_h(handout.byline)}</p>')
    parts.append(f'<p class="summary">{_h(handout.summary)}</p>')
    if handout.referral:
        parts.append(
            '<div class="referral"><h2>See a clinician first</h2>'
            f"<p>{_h(handout.referral)}</p></div>"
        )
    for table in handout.tables:
        parts += [f"<h2>{_h(table.title)}</h2>", _html_table(table)]
    parts += [_html_section(section) for section in handout.sections]
    parts.append(f'<p class="disclaimer">{_h(content.DISCLAIMER)}</p>')
    if handout.log:
        parts.append(
            '<div class="log-sheet"><h2>Pain log</h2><p class="note">After each session, tick '
            "it and score your pain from 0 to 10: during, just after, and the next morning. "
            "Bring this sheet to your appointments.</p>"
            + "".join(f"<h2>{_h(t.title)}</h2>{_html_table(t)}" for t in handout.log)
            + "</div>"
        )
    return '<header class="intro">\n' + "\n".join(parts) + "\n</header>"


def _html_section(section: Section) -> str:
    urgent = ' class="urgent"' if section.urgent else ""
    lead = f'<p class="lead">{_h(section.lead)}</p>' if section.lead else ""
    items = "".join(f"<li>{_h(item)}</li>" for item in section.items)
    return f"<h2{urgent}>{_h(section.title)}</h2>{lead}<ul>{items}</ul>"


def _html_table(table: Table) -> str:
    from kotcoach.export.figure_fit import figure_column

    weeks = len(table.header) - 2 if table.kind == "weeks" else 0
    column = min(ROW_FIGURE, figure_column(weeks, 2 * HTML_CARD[0] - 24.0) - 3.0)
    figures = [_row_figure(pose, column) if pose is not None else "" for pose in table.figures]
    header = list(table.header)
    if figures:
        header.insert(1, "")
    head = "".join(f"<th>{_h(h)}</th>" for h in header)
    rows = "".join(
        "<tr>"
        + "".join(
            (f'<td class="figure">{figures[row_number]}</td>' if figures and number == 1 else "")
            + f'<td data-label="{_h(label)}"{_cell_class(table, number)}>'
            + _html_cell(table, number, cell)
            + "</td>"
            for number, (label, cell) in enumerate(zip(table.header, row, strict=True))
        )
        + "</tr>"
        for row_number, row in enumerate(table.rows)
    )
    note = f'<p class="note">{_h(table.note)}</p>' if table.note else ""
    return (
        f'<table class="{table.kind}"><thead><tr>{head}</tr></thead><tbody>{rows}</tbody>'
        f"</table>{note}"
    )


def _html_cell(table: Table, column: int, cell: Sequence[str]) -> str:
    """A cell's lines; in the exercise's cell the name, then the change in regular grey."""
    if table.kind != "log" and column == 1 and len(cell) > 1:
        name, *change = cell
        return _h(name) + "".join(f'<span class="change">{_h(line)}</span>' for line in change)
    return "<br>".join(_h(line) for line in cell)


def _row_figure(pose: Pose, column: float) -> str:
    """A row's figure at full size: its frames side by side, or its last frame where they do
    not fit (export.figure_fit.row_figure)."""
    from kotcoach.export.figure_fit import row_figure
    from kotcoach.figures.pose import scene

    return figure_svg(row_figure(scene(pose), column))


def _cell_class(table: Table, column: int) -> str:
    """The exercise's name (or the session, on the log) is what a row is read by."""
    name_column = 0 if table.kind == "log" else 1
    return ' class="name"' if column == name_column else ""


@dataclass(frozen=True)
class _Face:
    """One printed card: a card's blocks, or the part of them that continues."""

    size: float
    blocks: list[Block]
    part: str  # classes for a card that continues: a phone shows its faces as one card
    figure: Inset | None = None  # on a card's first face
    gaps: float = 1.0  # the gaps between blocks, as a share of the usual


def _faces(card: Card) -> list[_Face]:
    from kotcoach.export.figure_inset import card_figure, layout_with_figure
    from kotcoach.figures.pose import scene

    figure = card_figure(scene(card.pose)) if card.pose else None
    room = (HTML_CARD[0] - 2 * HTML_PADDING, HTML_ROOM)
    layout = layout_with_figure(card, _html_wrap, room, figure)
    count = len(layout.faces)
    return [
        _Face(
            layout.size,
            blocks,
            _part(number, count),
            layout.inset if number == 0 else None,
            layout.gaps,
        )
        for number, blocks in enumerate(layout.faces)
    ]


def _part(number: int, faces: int) -> str:
    """Classes for a card that continues: a phone shows its faces as one card."""
    classes = (["split"] if number < faces - 1 else []) + (["cont"] if number > 0 else [])
    return "".join(f" {name}" for name in classes)


def _html_card(face: _Face) -> str:
    body = "".join(_html_block(block) for block in face.blocks)
    if face.figure is not None:
        body = _html_figure(face.blocks, face.figure)
    gaps = f"; --g: {face.gaps:g}" if face.gaps != 1.0 else ""
    return (
        f'<article class="card{face.part}" style="--s: {face.size:g}pt{gaps}">{body}'
        f'<p class="stop">{_h(STOP_LINE)}</p></article>'
    )


def _html_block(block: Block) -> str:
    text = _h(block.text)
    if block.style == "title":
        return f'<h2 class="b-title">{text}</h2>'
    if block.style == "label":
        return f'<h3 class="b-label">{text}</h3>'
    if block.style == "meta":
        level = _h(block.marker)
        return f'<p class="b-meta"><b class="level-{level}">{level}</b> {text}</p>'
    if block.marker or block.hang:
        kind = {"•": " bullet", "Harder": " wide"}.get(block.hang, "")
        return (
            f'<p class="b-item item{kind}"><span class="marker">{_h(block.marker)}</span>'
            f"<span>{text}</span></p>"
        )
    return f'<p class="b-{block.style}">{text}</p>'


def _html_figure(blocks: list[Block], inset: Inset) -> str:
    """The card's blocks with the figure under the meta line: floated right beside the blocks
    that follow, or centred as a band."""
    from kotcoach.export.figure_inset import BELOW, TOP

    width, height = inset.box
    svg = figure_svg(inset.fit)
    above = "".join(_html_block(block) for block in blocks[: inset.above])
    beside = "".join(_html_block(block) for block in blocks[inset.above : inset.below])
    rest = "".join(_html_block(block) for block in blocks[inset.below :])
    kind = "figure band" if inset.band else "figure"
    return (
        f'{above}<div class="top"><div class="{kind}" style="width: {width:.1f}mm; '
        f'height: {height:.1f}mm; margin-top: {TOP:g}mm; margin-bottom: {BELOW:g}mm">'
        f"{svg}</div>{beside}</div>{rest}"
    )


def figure_svg(fit: Fitted) -> str:
    """A fitted figure as inline SVG, its size in mm."""
    from kotcoach.export.figure_svg import scene_svg

    return scene_svg(fit.scene, unit="mm", scale=fit.scale)
