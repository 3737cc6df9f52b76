"""What `today` and `next` show, as parts that two drawers read: rich and plain lines.

`today` runs every morning, and into a pipe or a file rich's console and table cost it more than
reading the log and deciding every dose (importing them, then measuring and wrapping each cell).
So the page is said once here, as styled texts, indented texts and grids (`Styled`, `Indented`,
`Grid`), and drawn either by `rich_parts` (a terminal: colours and all, as before) or by
`plain_lines` (a pipe or a file: the lines rich prints there, laid out by `kotcoach.render.plain`
with rich's own rules, without importing rich's console). tests/test_plain_today.py holds the two
to the same text at every width on several logs.

No rich at import: this module is on the plain path.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any, Literal

from kotcoach.coaching.pain import STOP_LINE
from kotcoach.coaching.schedule import next_line, when
from kotcoach.coaching.wording import row_note
from kotcoach.render import WIDE, clean
from kotcoach.store.records import ExerciseLog, PlannedSession, Status, sets_left

if TYPE_CHECKING:
    from rich.console import RenderableType
    from rich.text import Text

    from kotcoach.coaching.coach import Decision
    from kotcoach.coaching.today import TodayPage
    from kotcoach.render.plain import Column

DONE_MARK = "✓"
PARTLY_MARK = "…"  # some of the prescribed sets logged, the rest still to do
WIDE_TODAY = 110  # from this many columns `today` has room for the ids in its table
STACK_TODAY = 70  # below this many columns `today` puts each key cue under its exercise

# By the decision's kind (kotcoach.coaching.coach.Kind, a StrEnum: its members are these keys).
KIND_STYLE = {
    "start": "cyan",
    "up": "green",
    "hold": "yellow",
    "down": "magenta",
    "pause": "bold red",
}
KIND_MARK = {"start": "•", "up": "↑", "hold": "=", "down": "↓", "pause": "■"}


class Styled:
    """A rich Text said as plain data: its own style, then pieces each with theirs. (Plain
    classes, not dataclasses: a dataclass costs a compile at import, on every `today`.)"""

    __slots__ = ("pieces", "style")

    def __init__(self, text: str = "", style: str = "") -> None:
        self.style = style
        self.pieces: list[tuple[str, str]] = [(text, "")] if text else []

    def add(self, text: str, style: str = "") -> Styled:
        self.pieces.append((text, style))
        return self

    @property
    def text(self) -> str:
        return "".join(text for text, _ in self.pieces)

    def __repr__(self) -> str:
        return f"Styled({self.text!r}, {self.style!r})"

    def rich(self) -> Text:
        from rich.text import Text

        made = Text(style=self.style)
        for text, style in self.pieces:
            made.append(text, style or None)
        return made


def safe(value: str, style: str = "") -> Styled:
    """kotcoach.render.safe as a Styled: control characters shown, never obeyed."""
    return Styled(clean(value), style)


class Indented:
    """Rich's Padding(text, (0, 0, 0, indent)): the text wrapped under its own indent."""

    __slots__ = ("indent", "styled")

    def __init__(self, styled: Styled, indent: int) -> None:
        self.styled, self.indent = styled, indent

    def __repr__(self) -> str:
        return f"Indented({self.styled!r}, {self.indent})"


Overflow = Literal["fold", "crop", "ellipsis"]  # rich's overflow methods a column may have


class Grid:
    """Rich's Table.grid(padding=(0, padding)) of these columns (no_wrap, overflow) and rows."""

    __slots__ = ("columns", "padding", "rows")

    def __init__(self, padding: int, columns: Sequence[tuple[bool, Overflow]]) -> None:
        self.padding, self.columns = padding, columns
        self.rows: list[list[Styled]] = []

    def __repr__(self) -> str:
        return f"Grid({self.padding}, {list(self.columns)!r}, rows={self.rows!r})"


Part = Styled | Indented | Grid


# --- the page ------------------------------------------------------------------------------------


def session_heading(session: PlannedSession, weeks: int) -> str:
    where = f"week {session.week}, day {session.day}" if weeks > 1 else f"day {session.day}"
    return f"session {session.slot + 1} ({where}), about {session.minutes} min"


def session_grid(
    session: PlannedSession, done: Mapping[str, ExerciseLog], width: int = WIDE
) -> Grid:
    """One row an exercise: a tick when finished ('…' and the sets done when partly done),
    name, dose and key cue, and on a wide terminal the id to log it by. Names and cues wrap
    within their columns, never cut; on a narrow terminal the cue goes on the lines below its
    exercise."""
    exercises = session.exercises
    conditions = len({c.partition(": ")[0] for e in exercises for c in e.cautions})
    with_ids = width >= WIDE_TODAY
    stacked = width < STACK_TODAY
    columns: list[tuple[bool, Overflow]] = [(True, "ellipsis"), (False, "fold")]  # tick, name
    if with_ids:
        columns.append((True, "ellipsis"))
    columns.append((not stacked, "fold"))  # the dose
    if not stacked:
        columns.append((False, "fold"))  # the key cue
    grid = Grid(1 if stacked else 2, columns)
    for exercise in exercises:
        log = done.get(exercise.id)
        left = sets_left(exercise, log)
        mark = Styled(" ")
        if log is not None:
            mark = (
                Styled("–", "yellow")
                if log.status is not Status.DONE
                else Styled(DONE_MARK, "green")
                if left == 0
                else Styled(PARTLY_MARK, "yellow")
            )
        name = safe(exercise.name, "dim" if log is not None and left == 0 else "bold")
        if exercise.warm_up:
            name.add(" (warm-up)", "dim")
        dose = safe(exercise.dose)
        if log is not None and log.status is not Status.DONE:
            dose = Styled(log.status.value, "yellow")
        elif log is not None and left > 0:
            # On a line of its own below the dose, so that the column stays the dose's width.
            dose.add(f"\n{len(log.sets)} of {len(log.sets) + left} sets done", "yellow")
        # The change pain now or a condition made to it, in plain words, stands where the cue
        # would: on that row it is the cue that matters today.
        note = row_note(exercise.changes, exercise.cautions, conditions)
        cue = safe(note, "yellow") if note else safe(exercise.key_cue, "italic")
        if note and log is None:  # in the tick's column: a '*' never wraps onto a line alone
            mark = Styled("*", "bold yellow")
        cells = [mark, name]
        if with_ids:
            cells.append(safe(exercise.id, "dim"))
        cells.append(dose)
        if stacked:
            grid.rows.append(cells)
            grid.rows.append([Styled(), cue, *(Styled() for _ in cells[2:])])
        else:
            grid.rows.append([*cells, cue])
    return grid


def page_parts(page: TodayPage, width: int = WIDE) -> list[Part]:
    """Today's session. After the day's session, or on a rest day, a line says so first
    ('Done for today. Next: session 2, Tuesday 8 December; rest until then.') and the session
    shown is headed with its day, not today."""
    on, upcoming, session = page.on, page.upcoming, page.session
    heading = Styled(f"Today, {on.isoformat()}: ", "bold")
    if upcoming is not None and upcoming.on != on:
        day = when(upcoming.on, on)
        heading = Styled(f"{day[0].upper()}{day[1:]}: ", "bold")
    heading.add(session_heading(session, page.weeks))
    heading.add(f"  [{page.profile}]", "dim")
    parts: list[Part] = []
    if page.missing is not None:
        parts.append(
            Styled(
                f"Check in first: yesterday's session ({page.missing.isoformat()}) has no "
                "next-morning check-in. kotcoach checkin --pain knee=N",
                "yellow",
            )
        )
    if upcoming is not None and (upcoming.done_today or upcoming.on != on):
        parts.append(Styled(next_line(upcoming, on), "bold green"))
    parts += [heading, session_grid(session, page.done, width)]
    if width < WIDE_TODAY:
        ids = Styled("ids: ", "dim")
        ids.add(clean(", ".join(e.id for e in session.exercises)), "dim")
        parts.append(ids)
    if not page.saved:
        parts.append(
            Styled(
                "No programme saved yet: this is day 1 of a plan from your saved defaults. "
                "'kotcoach start' saves it, and then 'today' follows it from session to session.",
                "yellow",
            )
        )
    elif len(page.done) == 0:
        parts.append(
            Styled(
                "Log each exercise as you finish it: kotcoach log ID --sets N --reps N "
                "--pain-during N (or follow along with: kotcoach session)",
                "dim",
            )
        )
    parts.append(Styled(STOP_LINE, "dim"))
    return parts


def referral_parts(referral: str | None) -> list[Part]:
    """The referral, above all else, then a blank line."""
    return [safe(referral, "bold red"), Styled()] if referral else []


def glued(text: str) -> str:
    """'3 × 20' -> '3×20': a dose inside a sentence never splits across lines ('3 / × 20')."""
    return text.replace(" × ", "×")


def next_parts(
    name: str,
    exercise_id: str,
    decision: Decision,
    referral: str | None,
    load: str | None = None,
    stage: Sequence[str] = (),
) -> list[Part]:
    """`next`: the decision, the dose (with its load, e.g. 'at 12 kg per hand'), why, and for a
    condition in stages the stage and what the next needs.

    A grid, as `today`'s reasons: a wrapped line keeps its indent under the text, never back
    under the label, and a dose in the reason reads '3×20' so it never splits across lines."""
    dose = decision.dose.describe() if decision.dose else "leave it out for now"
    if decision.dose and load:
        dose += f" at {load}"
    grid = Grid(2, [(True, "ellipsis"), (False, "fold")])
    named = Styled().add(clean(name), "bold").add(f"  ({exercise_id})")
    grid.rows.append([decision_styled(decision), named])
    grid.rows.append([Styled(), Styled(dose, "bold")])
    grid.rows.append([Styled("why", "dim"), safe(glued(decision.reason))])
    for line in stage:
        grid.rows.append([Styled(), safe(glued(line))])
    return [*referral_parts(referral), grid]


def decision_styled(decision: Decision) -> Styled:
    kind = decision.kind
    return Styled(f"{KIND_MARK[kind]} {kind.value}", KIND_STYLE[kind])


def decision_parts(rows: Sequence[tuple[Any, Any, Decision]]) -> list[Part]:
    """Under `today`'s table: each exercise's decision and its reason."""
    if not rows:
        return []
    # A grid: a wrapped reason keeps its indent under the text, never back under the label.
    grid = Grid(2, [(True, "ellipsis"), (False, "fold")])
    for planned, coached, decision in rows:
        name = coached.name if coached is not None else planned.name
        text = Styled().add(clean(name), "bold").add(": ").add(clean(glued(decision.reason)))
        grid.rows.append([decision_styled(decision), text])
    return [Styled(), Styled("Why these doses", "bold"), grid]


def block_parts(lines: Sequence[str]) -> list[Part]:
    """Lines of the daily block or the stages: a blank line, the first line in bold, and the
    indented ones wrapped under their own indent. Text from the catalogue is never markup."""
    if not lines:
        return []
    shown: list[Part] = [Styled(), Styled(lines[0], "bold")]
    for line in lines[1:]:
        indent = len(line) - len(line.lstrip())
        shown.append(Indented(Styled(line.strip()), indent) if indent else Styled(line))
    return shown


# --- the two drawers -----------------------------------------------------------------------------


def rich_parts(parts: Sequence[Part]) -> list[RenderableType]:
    """The parts as rich renderables (a terminal, or text only rich lays out)."""
    from rich.padding import Padding
    from rich.table import Table

    drawn: list[RenderableType] = []
    for part in parts:
        if isinstance(part, Styled):
            drawn.append(part.rich())
        elif isinstance(part, Indented):
            drawn.append(Padding(part.styled.rich(), (0, 0, 0, part.indent)))
        else:
            table = Table.grid(padding=(0, part.padding))
            for no_wrap, overflow in part.columns:
                table.add_column(no_wrap=no_wrap, overflow=overflow)
            for row in part.rows:
                table.add_row(*(cell.rich() for cell in row))
            drawn.append(table)
    return drawn


def plain_lines(parts: Sequence[Part], width: int) -> list[str] | None:
    """The parts as the lines rich prints into a pipe or a file at `width` columns, each without
    its trailing spaces, laid out without importing rich's console; None where rich must draw
    them (text only rich lays out, a grid too narrow for its padding, under 20 columns)."""
    from kotcoach.render.plain import Column, grid, table_lines, text_lines

    if width < 20:
        return None
    lines: list[str] = []
    for part in parts:
        if isinstance(part, Styled):
            laid = text_lines(part.text, width)
        elif isinstance(part, Indented):
            inner = width - part.indent
            laid = text_lines(part.styled.text, inner) if inner >= 1 else None
            laid = None if laid is None else [" " * part.indent + line for line in laid]
        else:
            cells = [[cell.text for cell in row] for row in part.rows]
            columns: list[Column] = [
                Column(no_wrap=no_wrap, overflow=overflow) for no_wrap, overflow in part.columns
            ]
            laid = table_lines(columns, cells, width, grid(part.padding)) if cells else None
        if laid is None:
            return None
        lines += laid
    return [line.rstrip() for line in lines]
