"""Handouts as GitHub-flavoured Markdown."""

from __future__ import annotations

from collections.abc import Sequence

from kotcoach.coaching.pain import STOP_LINE
from kotcoach.export.content import DISCLAIMER, Card, Handout, Section, Table

# Every character that can open emphasis, code, a link, HTML, an entity (&amp;), strikethrough
# (~~) or a table cell is escaped: catalogue and option text is data, never Markdown.
_MD_SPECIAL = str.maketrans({c: "\\" + c for c in "\\`*_<[]|&~"})


def _md(text: str) -> str:
    """One line of catalogue text that cannot open a block, a link, emphasis, HTML or a cell."""
    line = " ".join(text.split()).translate(_MD_SPECIAL)
    # A leading '#', '>', '+', '-' or '=' would start a heading, quote or list; so would '1.'.
    if line[:1] in {"#", ">", "+", "-", "="}:
        return "\\" + line
    number, dot, rest = line.partition(".")
    list_marker = dot and number.isdigit() and rest[:1] in {"", " "}
    return f"{number}\\.{rest}" if list_marker else line


def render_markdown(handout: Handout) -> str:
    parts = [f"# {_md(handout.title)}"]
    if handout.byline:
        parts.append(f"**{_md(handout.byline)}**")
    parts.append(_md(handout.summary))
    if handout.referral:
        parts.append(f"> **See a clinician first.** {_md(handout.referral)}")
    for table in handout.tables:
        parts += [f"## {_md(table.title)}", _md_table(table)]
        if table.note:
            parts.append(f"*{_md(table.note)}*")
    parts += [_md_section(section) for section in handout.sections]
    parts.append(f"*{_md(DISCLAIMER)}*")
    if handout.log:
        parts += [
            "## Pain log",
            "After each session, tick it and score your pain from 0 to 10: during, just after, "
            "and the next morning. Bring this sheet to your appointments.",
        ]
        for table in handout.log:
            parts += [f"### {_md(table.title)}", _md_table(table)]
    parts.append("## Exercise cards")
    parts += [_md_card(card) for card in handout.cards]
    return "\n\n".join(parts) + "\n"


def _md_section(section: Section) -> str:
    title = f"## {_md(section.title)}"
    lead = f"{_md(section.lead)}\n\n" if section.lead else ""
    return f"{title}\n\n{lead}" + "\n".join(f"- {_md(i)}" for i in section.items)


def _md_table(table: Table) -> str:
    def row(cells: Sequence[str]) -> str:
        return "| " + " | ".join(cells) + " |"

    lines = [row([_md(h) for h in table.header]), row(["---"] * len(table.header))]
    lines += [row(["<br>".join(_md(line) for line in cell) for cell in r]) for r in table.rows]
    return "\n".join(lines)


FIGURE_COLUMNS, FIGURE_ROWS = 60, 12  # the figure's box in characters, as in a terminal


def _md_card(card: Card) -> str:
    parts = ["---", f"### {_md(card.name)}", f"*{card.level} · {card.step}*"]
    if card.pose is not None:
        # The figure as braille in a code block: the same drawing as on a terminal, and shown by
        # every Markdown reader (many, GitHub's among them, strip inline SVG).
        from kotcoach.figures.braille import draw
        from kotcoach.figures.pose import scene

        figure = draw(scene(card.pose), FIGURE_COLUMNS, FIGURE_ROWS).plain()
        parts.append(f"```text\n{figure}\n```")
    if card.dose:
        details = f" — {_md(card.dose_details)}" if card.dose_details else ""
        parts.append(f"**Dose:** {_md(card.dose)}{details}")
    if card.setup:
        parts.append(f"**Setup:** {_md(card.setup)}")
    parts.append("**Cues**\n\n" + "\n".join(f"{n}. {_md(c)}" for n, c in enumerate(card.cues, 1)))
    if card.mistakes:
        parts.append("**Common mistakes**\n\n" + "\n".join(f"- {_md(m)}" for m in card.mistakes))
    parts.append(f"**Easier:** {_md(card.easier)}  \n**Harder:** {_md(card.harder)}")
    if card.cautions:
        parts.append(
            "**Cautions**\n\n"
            + "\n".join(f"- **{_md(c.condition)}:** {_md(c.text)}" for c in card.cautions)
        )
    if card.pointer:
        parts.append(_md(card.pointer))
    parts.append(f"> **{STOP_LINE}**")
    return "\n\n".join(parts)
