"""Handouts: cue cards and plans written as Markdown, HTML or PDF.

The content is gathered once into format-neutral records (`Card`, `Handout`), and each format has
one renderer that turns a `Handout` into text or bytes, so a cards-only handout and a plan handout
share every layout rule. A card is laid out as a list of `Block`s; the PDF and HTML renderers fit
those blocks into a fixed cell (four cards a page) with the same `fit_card`, each measuring text
its own way: exact widths from fpdf2 for PDF, a conservative estimate for HTML, whose fonts are
the reader's.

Writing goes to a temporary file in the target's folder, renamed over the target only once it is
complete, so a failure leaves nothing half-written. fpdf2 is an optional extra (`kotcoach[pdf]`)
imported only to write a PDF; this module imports neither rich nor typer.
"""

from __future__ import annotations

import html
import os
import secrets
import textwrap
import unicodedata
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

from kotcoach.errors import ExportError, UsageError
from kotcoach.ladders import Index
from kotcoach.models import Exercise
from kotcoach.planner import Plan, PlanRequest, Session

if TYPE_CHECKING:
    from fpdf import FPDF

FORMATS = (".md", ".html", ".pdf")
PDF_HINT = "install it with pip install 'kotcoach[pdf]'"
STOP_LINE = "Stop if pain goes above 5/10 or a red flag appears."
DISCLAIMER = (
    "General guidance, not a diagnosis. Stop and see a clinician if a red flag appears "
    "(kotcoach check lists them)."
)
CARDS_PER_PAGE = 4
FONTS = Path(__file__).parent / "fonts"


# --- Where the handout goes -------------------------------------------------------------------


def check_target(path: Path, force: bool) -> str:
    """Validate before any work: returns the format ('md', 'html' or 'pdf')."""
    suffix = path.suffix.lower()
    if suffix not in FORMATS:
        raise UsageError(
            f"cannot export to '{path.name}': the name must end in "
            + ", ".join(FORMATS[:-1])
            + f" or {FORMATS[-1]}"
        )
    if path.is_dir():
        raise ExportError(f"{path} is a folder, not a file")
    if path.exists() and not force:
        raise ExportError(f"{path} already exists", hint="pass --force to overwrite it")
    folder = path.parent
    if not folder.exists():
        raise ExportError(f"the folder {folder} does not exist")
    if not folder.is_dir():
        raise ExportError(f"{folder} is not a folder")
    if not os.access(folder, os.W_OK | os.X_OK):
        raise ExportError(f"cannot write in the folder {folder}", hint="check its permissions")
    fmt = suffix[1:]
    if fmt == "pdf":
        _require_fpdf()
    return fmt


def _require_fpdf() -> None:
    try:
        import fpdf  # noqa: F401
    except ImportError:
        raise ExportError("PDF export needs fpdf2", hint=PDF_HINT) from None


def export_cards(
    index: Index,
    exercises: Sequence[Exercise],
    path: Path,
    force: bool,
    conditions: Sequence[str] = (),
) -> None:
    """Write cue cards for these exercises, with the cautions for `conditions`."""
    fmt = check_target(path, force)
    if not exercises:
        raise ExportError("no exercises to make cards for")
    _write(path, _render(fmt, cards_handout(index, exercises, conditions)))


def export_plan(index: Index, plan: Plan, path: Path, force: bool) -> None:
    """Write a plan handout: the week's table, the pain rules, then a card per exercise."""
    fmt = check_target(path, force)
    _write(path, _render(fmt, plan_handout(index, plan)))


def _render(fmt: str, handout: Handout) -> bytes:
    if fmt == "md":
        return render_markdown(handout).encode("utf-8")
    if fmt == "html":
        return render_html(handout).encode("utf-8")
    return render_pdf(handout)


def _write(path: Path, data: bytes) -> None:
    """Write beside the target, then rename over it: the target is never half-written."""
    temp = path.parent / f".{path.name}.{secrets.token_hex(4)}.tmp"
    try:
        # os.open rather than mkstemp, so the handout gets the usual permissions (umask).
        descriptor = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
    except OSError as error:
        raise ExportError(f"could not write in {path.parent}: {error.strerror}") from error
    try:
        with os.fdopen(descriptor, "wb") as file:
            file.write(data)
        os.replace(temp, path)
    except OSError as error:
        raise ExportError(f"could not write {path}: {error.strerror or error}") from error
    finally:
        temp.unlink(missing_ok=True)  # already gone once renamed


# --- What a handout says ----------------------------------------------------------------------


@dataclass(frozen=True)
class CardCaution:
    condition: str  # the condition's name
    note: str
    modification: str
    substitute: str | None = None

    @property
    def text(self) -> str:
        text = f"{self.note} → {self.modification}"
        return text + (f" Instead: {self.substitute}." if self.substitute else "")


@dataclass(frozen=True)
class Card:
    exercise_id: str
    name: str
    level: str
    step: str  # 'step 2 of 4'
    dose: str  # '' when the catalogue gives none
    dose_details: str
    setup: str
    cues: tuple[str, ...]
    mistakes: tuple[str, ...]
    easier: str
    harder: str
    cautions: tuple[CardCaution, ...]
    pointer: str  # where to read the cautions not shown, or ''


@dataclass(frozen=True)
class Table:
    title: str
    header: tuple[str, ...]
    rows: tuple[tuple[tuple[str, ...], ...], ...]  # row -> cell -> lines


@dataclass(frozen=True)
class Section:
    title: str
    items: tuple[str, ...]


@dataclass(frozen=True)
class Handout:
    title: str
    summary: str
    cards: tuple[Card, ...]
    tables: tuple[Table, ...] = ()
    sections: tuple[Section, ...] = ()

    @property
    def has_intro(self) -> bool:
        """A plan handout opens with its tables and rules; a cards-only one is all cards."""
        return bool(self.tables or self.sections)


def plain(value: str) -> str:
    """Catalogue text with control characters removed: they mean nothing on paper."""
    if value.isprintable():
        return value
    return "".join(c for c in value if c in "\n\t" or unicodedata.category(c) != "Cc")


def _named(exercise: Exercise | None, missing: str) -> str:
    return f"{plain(exercise.name)} ({exercise.id})" if exercise else missing


def build_card(index: Index, exercise: Exercise, conditions: Sequence[str] = ()) -> Card:
    ladder = index.ladder_of(exercise.id)
    shown = [c for c in exercise.cautions if c.condition in conditions]
    cautions = tuple(
        CardCaution(
            plain(index.conditions[c.condition].name)
            if c.condition in index.conditions
            else c.condition,
            plain(c.note),
            plain(c.modification),
            _named(index.by_id.get(c.substitute), c.substitute) if c.substitute else None,
        )
        for c in shown
    )
    dose = exercise.dose
    return Card(
        exercise_id=exercise.id,
        name=plain(exercise.name),
        level=exercise.level.value,
        step=f"step {ladder.position(exercise.id) + 1} of {len(ladder.steps)}",
        dose=dose.describe() if dose else "",
        dose_details=plain(dose.details()) if dose else "",
        setup=plain(exercise.setup or ""),
        cues=tuple(plain(c) for c in exercise.cues),
        mistakes=tuple(plain(m) for m in exercise.mistakes),
        easier=_named(index.easier(exercise.id), "— (first step)"),
        harder=_named(index.harder(exercise.id), "— (top step)"),
        cautions=cautions,
        pointer=f"Cautions: kotcoach show {exercise.id}" if exercise.cautions and not shown else "",
    )


def _condition_names(index: Index, conditions: Sequence[str]) -> str:
    return ", ".join(
        plain(index.conditions[c].name) if c in index.conditions else c for c in conditions
    )


def cards_handout(
    index: Index, exercises: Sequence[Exercise], conditions: Sequence[str] = ()
) -> Handout:
    summary = _count(len(exercises), "card")
    if conditions:
        summary += f", with the cautions for {_condition_names(index, conditions)}"
    return Handout(
        title="kotcoach cue cards",
        summary=summary + ".",
        cards=tuple(build_card(index, e, conditions) for e in exercises),
    )


def plan_handout(index: Index, plan: Plan) -> Handout:
    request = plan.request
    sections = [Section("Pain rules", tuple(plain(r) for r in plan.pain_rules))]
    if plan.left_out:
        sections.append(Section("Left out", tuple(plain(r) for r in plan.left_out)))
    if plan.notes:
        sections.append(Section("Notes", tuple(plain(n) for n in plan.notes)))
    if len(plan.weeks) > 1:
        sections.append(Section("Day 1, week by week", _week_by_week(plan)))
    weeks = len(plan.weeks)
    span = "week" if weeks == 1 else f"{weeks}-week plan"
    return Handout(
        title=f"Your {request.level} {span}",
        summary=_request_summary(index, request),
        cards=tuple(build_card(index, e, request.conditions) for e in _plan_exercises(plan)),
        tables=tuple(_session_table(session) for session in plan.sessions),
        sections=tuple(sections),
    )


def _request_summary(index: Index, request: PlanRequest) -> str:
    equipment = ", ".join(sorted(request.equipment)) or "none (body weight)"
    pain = ", ".join(f"{a} {s}/10" for a, s in request.pain.items()) or "none reported"
    conditions = _condition_names(index, request.conditions) or "none"
    return (
        f"Level: {request.level} · {_count(request.session_days, 'day')} a week · about "
        f"{request.session_minutes} minutes a session · equipment: {equipment} · pain: {pain} · "
        f"conditions: {conditions}"
    )


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}{'' if number == 1 else 's'}"


def _session_table(session: Session) -> Table:
    rows = []
    for label, item in session.labelled():
        notes = [plain(c) for c in (*item.changes, item.held, *item.cautions, item.dose.note) if c]
        if len(notes) > 1:
            notes = [f"• {note}" for note in notes]
        name = (plain(item.exercise.name), item.exercise.id)
        cells = ((label,), name, (item.dose.describe(),), (plain(item.key_cue),), tuple(notes))
        rows.append(cells)
    return Table(
        title=f"Day {session.day} · about {session.minutes} min",
        header=("", "Exercise", "Dose", "Key cue", "Notes"),
        rows=tuple(rows),
    )


def _week_by_week(plan: Plan) -> tuple[str, ...]:
    lines = []
    for position, first in enumerate(plan.weeks[0].sessions[0].items):
        steps, previous = [], first.exercise.id
        for week in plan.weeks:
            item = week.sessions[0].items[position]
            moved = f"→ {item.exercise.id} " if item.exercise.id != previous else ""
            held = " (held)" if item.held else ""
            steps.append(f"week {week.number}: {moved}{item.dose.describe()}{held}")
            previous = item.exercise.id
        lines.append(f"{plain(first.exercise.name)}: " + "; ".join(steps))
    return tuple(lines)


def _plan_exercises(plan: Plan) -> list[Exercise]:
    """Every distinct exercise in the plan, in the order they first appear, warm-up first."""
    seen: dict[str, Exercise] = {}
    for week in plan.weeks:
        for session in week.sessions:
            for _, item in session.labelled():
                seen.setdefault(item.exercise.id, item.exercise)
    return list(seen.values())


# --- A card as blocks, and fitting it into a cell ---------------------------------------------


@dataclass(frozen=True)
class Style:
    size: float  # points added to the card's body size
    bold: bool
    colour: tuple[int, int, int]
    gap: float  # space above, in body lines
    inset: float = 0.0  # mm of tinted padding each side (the dose box)


INK, GREY, ACCENT, TINT = (31, 41, 51), (100, 108, 120), (15, 118, 110), (232, 244, 242)
LEVEL_COLOUR = {"beginner": (21, 128, 61), "intermediate": (180, 83, 9), "advanced": (185, 28, 28)}
STYLES = {
    "title": Style(3.5, True, INK, 0.0),
    "meta": Style(-1.0, False, GREY, 0.1),
    "dose": Style(1.0, True, INK, 0.6, inset=1.5),
    "details": Style(-0.5, False, INK, 0.0, inset=1.5),
    "label": Style(-1.0, True, ACCENT, 0.75),
    "body": Style(0.0, False, INK, 0.1),
    "item": Style(0.0, False, INK, 0.15),
    "strong": Style(0.0, True, INK, 0.3),
    "note": Style(-1.0, False, GREY, 0.5),
}
SIZES = (10.0, 9.5, 9.0, 8.5, 8.0, 7.5, 7.0, 6.5, 6.0)  # body sizes tried, largest first
LEADING = 1.22  # line height as a multiple of the font size
PT = 25.4 / 72  # mm in a point


@dataclass(frozen=True)
class Block:
    text: str
    style: str = "body"
    marker: str = ""  # in bold in a hanging indent before the text: '1.', '•', 'Easier', a level
    hang: str = ""  # the widest marker of its group, which sets the indent


def card_blocks(card: Card) -> list[Block]:
    """A card from top to bottom. The stop line is the card's footer, not a block."""
    blocks = [
        Block(card.name, "title"),
        Block(f"· {card.step} · {card.exercise_id}", "meta", card.level, card.level),
    ]
    if card.dose:
        blocks.append(Block(card.dose, "dose"))
        if card.dose_details:
            blocks.append(Block(card.dose_details, "details"))
    if card.setup:
        blocks += [Block("Setup", "label"), Block(card.setup)]
    widest = f"{len(card.cues)}."
    blocks.append(Block("Cues", "label"))
    blocks += [Block(c, "item", f"{n}.", widest) for n, c in enumerate(card.cues, start=1)]
    if card.mistakes:
        blocks.append(Block("Common mistakes", "label"))
        blocks += [Block(m, "item", "•", "•") for m in card.mistakes]
    blocks.append(Block("Ladder", "label"))
    blocks += [
        Block(card.easier, "item", "Easier", "Harder"),
        Block(card.harder, "item", "Harder", "Harder"),
    ]
    if card.cautions:
        blocks.append(Block("Cautions", "label"))
        for caution in card.cautions:
            blocks += [Block(caution.condition, "strong"), Block(caution.text)]
    if card.pointer:
        blocks.append(Block(card.pointer, "note"))
    return blocks


def _reductions(card: Card) -> Iterator[Card]:
    """The card, then with less on it: no mistakes, then cautions cut one by one from the end."""
    yield card
    if card.mistakes:
        card = replace(card, mistakes=())
        yield card
    pointer = f"…see kotcoach show {card.exercise_id}"
    for keep in range(len(card.cautions) - 1, -1, -1):
        yield replace(card, cautions=card.cautions[:keep], pointer=pointer)


def fit_card(card: Card, fits: Callable[[Card, float], bool]) -> tuple[Card, float]:
    """The fullest version of a card, at the largest body size, that `fits` its cell: shrink the
    type first, then drop the mistakes, then cut cautions. When nothing fits (a catalogue with
    very long text), the smallest version at the smallest size; the renderer then clips."""
    candidate = card
    for candidate in _reductions(card):
        if fits(candidate, SIZES[0]):
            return candidate, SIZES[0]
        if fits(candidate, SIZES[-1]):
            return candidate, _largest_size(candidate, fits)
    return candidate, SIZES[-1]


def _largest_size(card: Card, fits: Callable[[Card, float], bool]) -> float:
    """Binary search of SIZES (largest first) for the largest that fits; the smallest does."""
    fitting, failing = len(SIZES) - 1, -1
    while fitting - failing > 1:
        middle = (fitting + failing) // 2
        if fits(card, SIZES[middle]):
            fitting = middle
        else:
            failing = middle
    return SIZES[fitting]


def _chunks(cards: Sequence[Card]) -> list[Sequence[Card]]:
    return [cards[i : i + CARDS_PER_PAGE] for i in range(0, len(cards), CARDS_PER_PAGE)]


# --- Markdown ---------------------------------------------------------------------------------

_MD_SPECIAL = str.maketrans({c: "\\" + c for c in "\\`*_<[]|"})


def _md(text: str) -> str:
    """One line of catalogue text that cannot open a block, a link, emphasis, HTML or a cell."""
    return " ".join(text.split()).translate(_MD_SPECIAL)


def render_markdown(handout: Handout) -> str:
    parts = [f"# {_md(handout.title)}", _md(handout.summary)]
    for table in handout.tables:
        parts += [f"## {_md(table.title)}", _md_table(table)]
    for section in handout.sections:
        parts += [f"## {_md(section.title)}", "\n".join(f"- {_md(i)}" for i in section.items)]
    if handout.has_intro:
        parts += [f"*{_md(DISCLAIMER)}*", "## Cue cards"]
    parts += [_md_card(card) for card in handout.cards]
    return "\n\n".join(parts) + "\n"


def _md_table(table: Table) -> str:
    def row(cells: Sequence[str]) -> str:
        return "| " + " | ".join(cells) + " |"

    lines = [row([_md(h) for h in table.header]), row(["---"] * len(table.header))]
    lines += [row(["<br>".join(_md(line) for line in cell) for cell in r]) for r in table.rows]
    return "\n".join(lines)


def _md_card(card: Card) -> str:
    parts = ["---", f"### {_md(card.name)}", f"*{card.level} · {card.step}* · `{card.exercise_id}`"]
    if card.dose:
        details = f" — {_md(card.dose_details)}" if card.dose_details else ""
        parts.append(f"**Dose:** {card.dose}{details}")
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
    parts.append(f"> {STOP_LINE}")
    return "\n\n".join(parts)


# --- HTML -------------------------------------------------------------------------------------

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
        for page in _chunks(handout.cards)
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


# --- PDF --------------------------------------------------------------------------------------

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
    for page in _chunks(handout.cards):
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
