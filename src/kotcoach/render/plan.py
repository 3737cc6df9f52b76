"""A plan on screen: compact by default (a line or two an exercise, the reasons gathered once),
the full view with --details, and weeks as columns with --weeks.

Every layout wraps and never crops, from 40 columns up: no column is kept from wrapping, a word
too long for its column is folded rather than cut short with '…', and below WIDE the tables
become a two-column grid (the row's label, then its text). A dose is never broken across lines,
and neither is an exercise id in the full view: it is what 'kotcoach show ID' takes.
"""

from __future__ import annotations

import math
import re
import textwrap
from collections.abc import Sequence
from typing import TYPE_CHECKING, Literal

from rich import box
from rich.cells import cell_len
from rich.console import Group, RenderableType
from rich.padding import Padding
from rich.table import Table
from rich.text import Text

from kotcoach.base.vocab import RED_FLAG_TEXT, RED_FLAG_URGENCY, RedFlag, Urgency
from kotcoach.coaching.pain import DISCLAIMER
from kotcoach.coaching.wording import (
    WEEKS_RULE,
    change_summary,
    equipment_lines,
    marked,
    row_note,
    short_condition,
    short_pain_rules,
    week_notes,
)
from kotcoach.render import WIDE, joined, safe

if TYPE_CHECKING:  # annotations only: drawing a plan needs neither pydantic nor the models
    from rich.panel import Panel

    from kotcoach.coaching.planner import Item, Plan, Session

STACKED = 60  # below this many columns the weeks stack as lines instead of columns
WEEK_COLUMN = 16  # columns a week needs in the weeks table: '2 × 12 per side' fits
NAME_COLUMN = 24  # columns the exercise's name gets beside the weeks


def plan_view(
    plan: Plan, width: int = WIDE, details: bool = False, next_line: str | None = None
) -> RenderableType:
    """The plan as a person follows it: the header, the days (each change on its own row), what
    changed and why in a few lines, the pain rules in four, and a pointer to the red flags.
    When an area hurts 6/10 or more, the referral and every red flag come first, in full.
    --details shows everything the planner said, on its row and below."""
    parts: list[RenderableType] = []
    if plan.referral:
        parts.append(referral_panel(plan.referral))
        parts.append(_section("Red flags: stop training and see a clinician", red_flag_list()))
    parts.append(header(plan))
    if next_line:
        parts.append(Text(next_line, style="bold green"))
    parts.append(Text())
    if len(plan.weeks) > 1 and not details:
        for day in range(len(plan.sessions)):
            parts += [weeks_view(plan, day, width), Text()]
        parts += [Text(WEEKS_RULE, style="dim"), Text()]
    elif details:
        for session in plan.sessions:
            parts += [detailed_session(session, width), Text()]
    else:
        conditions = len(plan.condition_rules)
        shared = _shared_warm_up(plan)
        if shared is not None:
            title = Text(f"Warm-up, every day · about {math.ceil(shared.seconds / 60)} min", "bold")
            parts += [_compact_rows(title, [("warm-up", shared)], width, conditions), Text()]
        said: dict[tuple[str, str], int] = {}  # a row's change, said in full on its first day
        for session in plan.sessions:
            view = compact_session(session, width, conditions, warm_up=shared is None, said=said)
            parts += [view, Text()]
        if details and len(plan.weeks) > 1:
            for day in range(len(plan.sessions)):
                parts += [weeks_view(plan, day, width), Text()]
    if details:
        return Group(*parts, *_everything(plan))
    summary = change_summary(plan)
    if summary:
        rows = [item for session in plan.sessions for _, item in session.labelled()]
        stars = any(marked(item.changes, item.cautions) for item in rows)
        why = "What changed and why" + (" (the rows marked *)" if stars else "")
        parts.append(_section(why, _bullets(summary)))
    equipment = equipment_lines(plan)
    if equipment:
        parts.append(_section(f"With your equipment ({_have(plan)})", _bullets(equipment)))
    parts.append(_section("Pain rules", _bullets(short_pain_rules(plan.condition_rules))))
    pointer = "General guidance, not a diagnosis. "
    pointer += (
        "Every note and id: --details."
        if plan.referral
        else "Red flags: 'kotcoach check', --details."
    )
    parts.append(Text(pointer, style="dim"))
    return Group(*parts)


def _everything(plan: Plan) -> list[RenderableType]:
    """The full reasons, left out, notes, pain rules and red flags: what --details adds."""
    parts: list[RenderableType] = []
    changes = _changes_by_exercise(plan)
    if changes:
        parts.append(_section("Why the plan differs from the catalogue", _bullets(changes)))
    if plan.left_out:
        parts.append(_section("Left out", _bullets(plan.left_out)))
    if plan.notes:
        parts.append(_section("Notes", _bullets(plan.notes)))
    parts.append(_section("Pain rules", _bullets(plan.pain_rules)))
    if not plan.referral:
        parts.append(_section("Red flags: stop training and see a clinician", red_flag_list()))
    parts.append(Text("'kotcoach show ID' shows one exercise in full.", style="dim"))
    parts.append(Text(DISCLAIMER, style="dim"))
    return parts


def _have(plan: Plan) -> str:
    equipment = plan.request.equipment
    return joined(sorted(equipment)) if equipment else "none"


def referral_panel(text: str) -> Panel:
    """The referral a plan or check shows first when an area hurts 6/10 or more now."""
    from rich.panel import Panel  # only a plan with a referral needs it

    return Panel(safe(text), title="See a clinician first", title_align="left", border_style="red")


def header(plan: Plan) -> Text:
    """Who the plan is for, in two lines: the level and days, then equipment, pain now and
    conditions."""
    request = plan.request
    have = joined(sorted(request.equipment)) if request.equipment else "none (body weight)"
    article = "An" if request.level.value[0] in "aeiou" else "A"
    weeks = len(plan.weeks)
    span = "week" if weeks == 1 else f"{weeks}-week plan"
    text = Text(f"{article} {request.level} {span}", "bold")
    days = request.session_days
    text.append(
        f": {days} day{'s' if days != 1 else ''}, about {request.session_minutes} "
        f"minutes{' each' if days != 1 else ''}"
    )
    text.append(f"\nEquipment: {have}", "dim")
    if request.pain:
        pain = ", ".join(f"{a} {s}/10" for a, s in request.pain.items())
        text.append(f" · pain now: {pain}", "dim")
    if plan.condition_rules:
        names = ", ".join(short_condition(name) for name, _ in plan.condition_rules)
        text.append(f" · conditions: {names}", "dim")
    return text


RED_FLAG_WHAT_TO_DO = {
    Urgency.EMERGENCY: "Go to an emergency department now (or call emergency services) with:",
    Urgency.SAME_DAY: "See a doctor today (urgent care if you cannot be seen) with:",
    Urgency.BEFORE_TRAINING: "See a doctor or physiotherapist before you train again with:",
}


def red_flag_list() -> Table:
    """Every red flag, a line for each urgency: what to do, then the signs."""
    grid = _labelled(justify="left")
    for urgency, what in RED_FLAG_WHAT_TO_DO.items():
        flags = [RED_FLAG_TEXT[f] for f in RedFlag if RED_FLAG_URGENCY[f] is urgency]
        if flags:
            line = Text(what, "bold")
            line.append(" " + "; ".join(flags) + ".")
            grid.add_row("•", line)
    return grid


def _section(title: str, body: RenderableType) -> Group:
    return Group(Text(title, style="bold"), Padding(body, (0, 0, 1, 2), expand=False))


def _bullets(items: Sequence[str]) -> Table:
    grid = _labelled(justify="left")
    for item in items:
        grid.add_row("•", safe(item))
    return grid


def _title(session: Session) -> Text:
    return Text(f"Day {session.day} · about {session.minutes} min", style="bold")


def _name(item: Item) -> Text:
    return safe(item.exercise.name, "bold")


def _marked(item: Item, room: int | None = None) -> Text:
    """The name, with a yellow * when pain now or a condition changed it (its line follows). Where
    the name wraps in `room` columns and the * would start a line alone, its last word goes
    down with it."""
    name = _name(item)
    if not marked(item.changes, item.cautions):
        return name
    if room is not None:
        lines = textwrap.wrap(name.plain, room, break_long_words=False, break_on_hyphens=False)
        cut = name.plain.rfind(" ")
        if lines and cell_len(lines[-1]) + 2 > room and cut > 0:
            name = Text.assemble(name[:cut], "\n", name[cut + 1 :])
    name.append(" *", "bold yellow")
    return name


def _cue(item: Item) -> Text:
    return safe(f"“{item.key_cue}”", "italic")


_PAIN_HEAD = re.compile(r"\w[\w ]* \d+/10(?:, \w[\w ]* \d+/10)*")


def _note_or_cue(
    item: Item, conditions: int, day: int = 0, said: dict[tuple[str, str], int] | None = None
) -> tuple[Text, bool]:
    """The row's change in plain words when pain now or a condition changed it, else the key
    cue: on a changed row the change is the cue that matters today. With `said` (the day each
    row's change was first shown), a change already said in full earlier in the week is short
    and still names the pain: 'knee 4/10: as on day 1'; the flag says it is such a repeat."""
    note = row_note(item.changes, item.cautions, conditions)
    if not note:
        return _cue(item), False
    if said is not None:
        first = said.setdefault((item.exercise.id, note), day)
        if first != day:
            head, _, _ = note.partition(": ")
            if not _PAIN_HEAD.fullmatch(head):  # a condition's change only: name it
                names = [short_condition(c.partition(": ")[0]) for c in item.cautions]
                head = ", ".join(dict.fromkeys(names)) or "changed"
            return safe(f"{head}: as on day {first}", "yellow"), True
    return safe(note, "yellow"), False


def _labelled(justify: Literal["left", "right"] = "right") -> Table:
    """A grid of a label (a bullet, 'warm-up', '1') and its text, which wraps beside it. A word
    too long for the column is folded onto the next line, never cut short with '…'."""
    grid = Table.grid(padding=(0, 1))
    grid.add_column(style="dim", no_wrap=True, justify=justify)
    grid.add_column(overflow="fold")
    return grid


def _ruled(*headers: str) -> Table:
    """A table with a rule under its headers (shown when any is given) and wrapping columns
    that fold a word too long for them rather than cut it short."""
    table = Table(box=box.SIMPLE_HEAD, pad_edge=False, show_edge=False, show_header=any(headers))
    table.add_column(headers[0], style="dim", no_wrap=True)
    for header in headers[1:]:
        table.add_column(header, overflow="fold")
    return table


def _beside(text: Text, dose: str, room: int) -> Text:
    """The dose after the name on one line when both fit in `room` columns, else on a line of
    its own: a dose broken in two ('2 × 10 per' / 'side') misreads."""
    text.append("\n" if cell_len(text.plain) + 2 + cell_len(dose) > room else "  ")
    text.append(dose)
    return text


def compact_session(
    session: Session,
    width: int = WIDE,
    conditions: int = 1,
    warm_up: bool = True,
    said: dict[tuple[str, str], int] | None = None,
) -> RenderableType:
    """One line an exercise when there is room (name, dose, and the row's change or else its
    key cue); two below WIDE. `warm_up=False` leaves out the warm-up shown once for all days;
    `said` is shared over the days so a change is said in full on its first day only."""
    rows = [(label, item) for label, item in session.labelled() if warm_up or label != "warm-up"]
    return _compact_rows(_title(session), rows, width, conditions, session.day, said)


def _compact_rows(
    title: Text,
    rows: Sequence[tuple[str, Item]],
    width: int,
    conditions: int,
    day: int = 0,
    said: dict[tuple[str, str], int] | None = None,
) -> RenderableType:
    if width >= WIDE:
        table = _ruled("", "", "", "")
        table.columns[1].max_width = NAME_COLUMN + 12  # the name and the dose take what they need
        table.columns[2].max_width = WEEK_COLUMN + 4
        for label, item in rows:
            note, _ = _note_or_cue(item, conditions, day, said)
            cells = (_marked(item), item.dose.describe(), note)
            table.add_row(label, *cells)
        return Group(title, table)
    grid = _labelled()
    room = width - max(len(label) for label, _ in rows) - 1
    for label, item in rows:
        line = _beside(_marked(item, room), item.dose.describe(), room)
        note, repeat = _note_or_cue(item, conditions, day, said)
        # A change said in full on an earlier day goes beside the dose when it fits there.
        last = line.plain.rsplit("\n", 1)[-1]
        beside = repeat and cell_len(last) + 3 + cell_len(note.plain) <= room
        line.append(" · " if beside else "\n", "dim")
        line.append_text(note)
        grid.add_row(label, line)
    return Group(title, grid)


def _shared_warm_up(plan: Plan) -> Item | None:
    """The warm-up when every day of week one has the same one: shown once, above the days."""
    warm_ups = {
        (s.warm_up.exercise.id, s.warm_up.dose) if s.warm_up else None for s in plan.sessions
    }
    first = plan.sessions[0].warm_up
    return first if len(plan.sessions) > 1 and len(warm_ups) == 1 else None


def _notes(item: Item) -> Text:
    notes = Text()
    for change in item.changes:
        notes.append_text(safe(change, "yellow"))
        notes.append("\n")
    if item.held:
        notes.append_text(safe(item.held, "dim"))
        notes.append("\n")
    for caution in item.cautions:
        notes.append_text(safe(caution))
        notes.append("\n")
    notes.rstrip()
    return notes


def _dose(item: Item) -> Text:
    dose = Text(item.dose.describe())
    details = item.dose.details()
    if details:
        dose.append("\n")
        dose.append_text(safe(details, "dim"))
    return dose


def detailed_session(session: Session, width: int = WIDE) -> RenderableType:
    """Everything on its row: the id, the dose with its tempo and notes, the cue, the notes."""
    rows = session.labelled()
    if width >= WIDE:
        table = _ruled("", "Exercise", "Dose", "Key cue", "Notes")
        for label, item in rows:
            name = _name(item)
            name.append("\n")
            name.append_text(safe(item.exercise.id, "cyan"))
            table.add_row(label, name, _dose(item), _cue(item), _notes(item))
        # An id is what 'kotcoach show ID' takes: where the table would break one in two, the
        # rows are stacked instead, each id on its own line.
        if _whole_words(table, width, [item.exercise.id for _, item in rows]):
            return Group(_title(session), table)
    grid = _labelled()
    for label, item in rows:
        body = _name(item)
        body.append("  ")
        body.append_text(safe(item.exercise.id, "cyan"))
        body.append("\n")
        body.append_text(_dose(item))
        body.append("\n")
        body.append_text(_cue(item))
        notes = _notes(item)
        if notes:
            body.append("\n")
            body.append_text(notes)
        grid.add_row(label, body)
        grid.add_row("", "")
    return Group(_title(session), grid)


def _whole_words(renderable: RenderableType, width: int, words: Sequence[str]) -> bool:
    """Whether every one of the words is drawn whole, on one line, at this width."""
    from io import StringIO

    from rich.console import Console

    console = Console(width=width, file=StringIO(), color_system=None, emoji=False)
    with console.capture() as capture:
        console.print(renderable)
    drawn = set(capture.get().split())
    return all(word in drawn for word in words)


def _changes_by_exercise(plan: Plan) -> list[str]:
    """Every change in the first week, once each, as 'exercise-id: reason'."""
    seen: dict[str, None] = {}
    for session in plan.sessions:
        for _, item in session.labelled():
            for change in item.changes:
                seen[f"{item.exercise.id}: {change}"] = None
    return list(seen)


def _week_cell(now: Item, previous: Item | None) -> Text:
    if previous is not None and now.exercise.id != previous.exercise.id:
        cell = Text("↑ ", "green")
        cell.append_text(safe(now.exercise.name, "bold"))
        cell.append("\n" + now.dose.describe())
        return cell
    if previous is not None and now.dose == previous.dose:
        return Text("same", "dim")
    return Text(now.dose.describe())


def _named_with_note(item: Item, conditions: int) -> Text:
    """The name, marked when pain or a condition changed it, with that change below."""
    name = _marked(item)
    note = row_note(item.changes, item.cautions, conditions)
    if note:
        name.append("\n")
        name.append_text(safe(note, "yellow"))
    return name


def weeks_view(plan: Plan, day: int, width: int = WIDE) -> RenderableType:
    """One day's exercises down, the weeks across (in groups that fit the width), and below,
    why a dose stays the same."""
    first = plan.weeks[0].sessions[day]
    conditions = len(plan.condition_rules)
    title = Text(f"Day {first.day} · about {first.minutes} min in week 1", style="bold")
    rows = first.labelled()
    cells: list[list[Text]] = []
    for position in range(len(rows)):
        previous: Item | None = None
        line: list[Text] = []
        for week in plan.weeks:
            now = week.sessions[day].labelled()[position][1]
            line.append(_week_cell(now, previous))
            previous = now
        cells.append(line)
    parts: list[RenderableType] = [title]
    if width < STACKED:
        grid = _labelled()
        for (label, item), line in zip(rows, cells, strict=True):
            body = _named_with_note(item, conditions)
            for week, cell in zip(plan.weeks, line, strict=True):
                body.append(f"\nweek {week.number}: ", "dim")
                body.append_text(cell)
            grid.add_row(label, body)
        parts.append(grid)
    else:
        per_table = max(1, (width - NAME_COLUMN - 8) // WEEK_COLUMN)
        for start in range(0, len(plan.weeks), per_table):
            weeks = plan.weeks[start : start + per_table]
            table = _ruled("", "Exercise", *(f"Week {week.number}" for week in weeks))
            table.columns[1].min_width = 12
            for column in table.columns[2:]:
                column.max_width = WEEK_COLUMN
            for (label, item), line in zip(rows, cells, strict=True):
                table.add_row(
                    label, _named_with_note(item, conditions), *line[start : start + per_table]
                )
            parts.append(table)
    parts += [Text(note, style="dim") for note in week_notes(plan, day)]
    return Group(*parts)
