"""Handouts as one self-contained HTML file with print CSS: four cards a page, cut lines."""

from __future__ import annotations

import html
import textwrap

from kotcoach.export.content import (
    ACCENT,
    GREY,
    INK,
    LEADING,
    LEVEL_COLOUR,
    PT,
    STYLES,
    TINT,
    Block,
    Card,
    Handout,
    Table,
    card_blocks,
    chunks,
    fit_card,
)
from kotcoach.pain import DISCLAIMER, STOP_LINE

HTML_CARD = (104.0, 138.0)  # mm: four fit on A4 (210 × 297) and on Letter (215.9 × 279.4)
HTML_PADDING = 6.0  # mm inside each card
HTML_FOOTER = 7.0  # mm kept at the bottom of each card for the stop line
# Browsers use the reader's own fonts, so HTML is fitted by estimate: an average character width
# a little wider than most sans-serif fonts, and lines wrapped a word at a time.
HTML_CHAR_EM = {False: 0.5, True: 0.55}


def _h(text: str) -> str:
    return html.escape(text, quote=True)


def _rgb(colour: tuple[int, int, int]) -> str:
    return "#{:02x}{:02x}{:02x}".format(*colour)


def _html_fits(card: Card, size: float) -> bool:
    width = HTML_CARD[0] - 2 * HTML_PADDING
    room = HTML_CARD[1] - 2 * HTML_PADDING - HTML_FOOTER
    used = 0.0
    for block in card_blocks(card):
        style = STYLES[block.style]
        points = size + style.size
        indent = (len(block.hang) * HTML_CHAR_EM[True] + 0.5) * points * PT if block.hang else 0.0
        char = HTML_CHAR_EM[style.bold] * points * PT
        columns = max(1, int((width - indent - 2 * style.inset) / char))
        lines = len(textwrap.wrap(block.text, columns)) or 1
        used += style.gap * size * LEADING * PT + lines * points * LEADING * PT
    return used <= room


def _html_css() -> str:
    blocks = "\n".join(
        f".b-{name} {{ font-size: calc(var(--s) + {style.size}pt); "
        f"font-weight: {'bold' if style.bold else 'normal'}; color: {_rgb(style.colour)}; "
        f"margin-top: calc(var(--s) * {style.gap * LEADING:.3f}); "
        f"padding: 0 {style.inset}mm; }}"
        for name, style in STYLES.items()
    )
    width, height = HTML_CARD
    levels = "\n".join(f".level-{name} {{ color: {_rgb(c)}; }}" for name, c in LEVEL_COLOUR.items())
    return f"""
/* Printing: portrait, no browser margins, on whatever paper the printer has. The 2 × 2 grid of
   {width:g} × {height:g} mm cards ({2 * width:g} × {2 * height:g} mm) fits both A4 (210 × 297)
   and Letter (215.9 × 279.4), so no page size is forced. */
@page {{ size: portrait; margin: 0; }}
* {{ box-sizing: border-box; }}
html {{ -webkit-print-color-adjust: exact; print-color-adjust: exact; }}
body {{ margin: 0; background: #d9dde2; color: {_rgb(INK)};
  font-family: "DejaVu Sans Condensed", "Liberation Sans Narrow", "Arial Narrow",
    "Roboto Condensed", "Helvetica Neue", Arial, sans-serif; line-height: {LEADING}; }}
.intro {{ width: {2 * width:g}mm; margin: 8mm auto; padding: 12mm; background: #fff;
  box-shadow: 0 1px 4px rgba(0, 0, 0, 0.2); font-size: 9.5pt; }}
.intro h1 {{ font-size: 17pt; margin: 0 0 2mm; }}
.intro h2 {{ font-size: 11pt; margin: 6mm 0 2mm; break-after: avoid; page-break-after: avoid; }}
.summary, .disclaimer {{ color: {_rgb(GREY)}; }}
table {{ width: 100%; border-collapse: collapse; font-size: 8.5pt; }}
th {{ text-align: left; background: {_rgb(TINT)}; color: {_rgb(ACCENT)}; }}
th, td {{ padding: 1.2mm 1.5mm; border-bottom: 0.2mm solid #c9ced4; vertical-align: top; }}
tr {{ break-inside: avoid; page-break-inside: avoid; }}
.sheet {{ width: {2 * width:g}mm; height: {2 * height:g}mm; margin: 8mm auto; display: grid;
  grid-template-columns: repeat(2, {width:g}mm); grid-template-rows: repeat(2, {height:g}mm);
  background: #fff; box-shadow: 0 1px 4px rgba(0, 0, 0, 0.2);
  outline: 0.3mm dashed #9aa1a9; outline-offset: -0.15mm;
  break-inside: avoid; page-break-inside: avoid; break-after: page; page-break-after: always; }}
.sheet:last-child {{ break-after: auto; page-break-after: auto; }}
.card {{ --s: 9pt; font-size: var(--s); padding: {HTML_PADDING:g}mm; overflow: hidden;
  display: flex; flex-direction: column;
  break-inside: avoid; page-break-inside: avoid; }}
.card:nth-child(odd) {{ border-right: 0.3mm dashed #9aa1a9; }}
.card:nth-child(-n+2) {{ border-bottom: 0.3mm dashed #9aa1a9; }}
.card p, .card h2, .card h3 {{ margin-bottom: 0; }}
.card h2 {{ margin-top: 0; line-height: 1.1; }}
.b-label {{ text-transform: uppercase; letter-spacing: 0.04em; }}
.b-dose, .b-details {{ background: {_rgb(TINT)}; }}
.b-dose {{ padding-top: 0.6mm; }} .b-details {{ padding-bottom: 0.6mm; }}
.item {{ display: grid; grid-template-columns: 1.5em 1fr; }}
.item.wide {{ grid-template-columns: 3.8em 1fr; }}
.item.bullet {{ grid-template-columns: 1.2em 1fr; }}
.marker {{ font-weight: bold; color: {_rgb(ACCENT)}; }}
.stop {{ margin-top: auto; padding-top: 1.5mm; border-top: 0.2mm solid #c9ced4;
  font-size: 6.5pt; color: {_rgb(GREY)}; }}
{levels}
{blocks}
@media print {{
  body {{ background: none; }}
  .intro {{ width: auto; margin: 0; box-shadow: none;
    break-after: page; page-break-after: always; }}
  .sheet {{ margin: 0 auto; box-shadow: none; }}
  .screen-only {{ display: none; }}
}}
@media screen and (max-width: 220mm) {{
  .intro, .sheet {{ width: auto; height: auto; margin: 3mm; }}
  .sheet {{ grid-template-columns: 1fr; grid-template-rows: none; }}
  .card {{ border: 0; border-bottom: 0.3mm dashed #9aa1a9; }}
}}
"""


def render_html(handout: Handout) -> str:
    intro = _html_intro(handout) if handout.has_intro else _html_cover(handout)
    sheets = "\n".join(
        '<section class="sheet">\n' + "\n".join(_html_card(c) for c in page) + "\n</section>"
        for page in chunks(handout.cards)
    )
    return (
        "<!DOCTYPE html>\n"
        '<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{_h(handout.title)}</title>\n<style>{_html_css()}</style>\n</head>\n<body>\n"
        f"{intro}\n{sheets}\n</body>\n</html>\n"
    )


def _html_cover(handout: Handout) -> str:
    """A cards-only handout's heading shows on screen only, so every printed page is cards."""
    return (
        f'<header class="intro screen-only"><h1>{_h(handout.title)}</h1>'
        f'<p class="summary">{_h(handout.summary)} Print on A4 or Letter paper and cut along '
        "the dashed lines.</p></header>"
    )


def _html_intro(handout: Handout) -> str:
    parts = [f"<h1>{_h(handout.title)}</h1>", f'<p class="summary">{_h(handout.summary)}</p>']
    for table in handout.tables:
        parts += [f"<h2>{_h(table.title)}</h2>", _html_table(table)]
    for section in handout.sections:
        items = "".join(f"<li>{_h(item)}</li>" for item in section.items)
        parts += [f"<h2>{_h(section.title)}</h2>", f"<ul>{items}</ul>"]
    parts.append(f'<p class="disclaimer">{_h(DISCLAIMER)}</p>')
    return '<header class="intro">\n' + "\n".join(parts) + "\n</header>"


def _html_table(table: Table) -> str:
    head = "".join(f"<th>{_h(h)}</th>" for h in table.header)
    rows = "".join(
        "<tr>"
        + "".join(f"<td>{'<br>'.join(_h(line) for line in cell)}</td>" for cell in row)
        + "</tr>"
        for row in table.rows
    )
    return f"<table><thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>"


def _html_card(card: Card) -> str:
    fitted, size = fit_card(card, _html_fits)
    body = "".join(_html_block(block) for block in card_blocks(fitted))
    return (
        f'<article class="card" style="--s: {size:g}pt">{body}'
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
    if block.marker:
        kind = {"•": " bullet", "Harder": " wide"}.get(block.hang, "")
        return (
            f'<p class="b-item item{kind}"><span class="marker">{_h(block.marker)}</span>'
            f"<span>{text}</span></p>"
        )
    return f'<p class="b-{block.style}">{text}</p>'
