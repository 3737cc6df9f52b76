"""A plan on screen: compact by default (a line or two an exercise, the reasons gathered once),
the full view with --details, and weeks as columns with --weeks.

Every layout wraps and never crops, from 40 columns up: no column is kept from wrapping, and
below WIDE the tables become a two-column grid (the row's label, then its text). The tables and
lists are Grids: a rich Table's layout, drawn without its per-cell machinery.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING, Literal

from rich.cells import cell_len
from rich.console import Console, ConsoleOptions, Group, RenderableType
from rich.segment import Segment
from rich.style import Style
from rich.text import Text

from kotcoach.pain import DISCLAIMER
from kotcoach.render import WIDE, joined, safe
from kotcoach.vocab import RED_FLAG_TEXT, RED_FLAG_URGENCY, RedFlag, Urgency
from kotcoach.wording import plain, plan_changes, same_dose_reason

if TYPE_CHECKING:  # annotations only: drawing a plan needs neither pydantic nor the models
    from rich.panel import Panel

    from kotcoach.planner import Item, Plan, Session

STACKED = 60  # below this many columns the weeks stack as lines instead of columns
WEEK_COLUMN = 16  # columns a week needs in the weeks table: '2 × 12 per side' fits
NAME_COLUMN = 24  # columns the exercise's name gets beside the weeks
# Joins words that must not be split across lines ('2 × 10 per side', 'Wall sit *'): rich breaks
# lines only at whitespace, and this private-use character is one column wide and not
# whitespace. Grid draws it as a space.
GLUE = "\ue000"


class Column:
    """One column of a Grid; the fields mean what they mean for a rich Table's column. (A plain
    class: a dataclass would cost plan a millisecond at import, generating its methods.)"""

    __slots__ = ("header", "justify", "max_width", "min_width", "no_wrap", "style")

    def __init__(
        self,
        header: str = "",
        *,
        style: str = "",
        justify: Literal["left", "right"] = "left",
        no_wrap: bool = False,
        min_width: int | None = None,
        max_width: int | None = None,
    ) -> None:
        self.header, self.style, self.justify = header, style, justify
        self.no_wrap, self.min_width, self.max_width = no_wrap, min_width, max_width

    def __repr__(self) -> str:  # for a failing test's report
        fields = ", ".join(f"{name}={getattr(self, name)!r}" for name in self.__slots__)
        return f"Column({fields})"


class Grid:
    """Rows of text in columns, laid out by the rules of a rich Table and drawn directly.

    A Table pads, measures and renders each cell through several nested renderables, and that
    machinery was most of the time `kotcoach plan` spent drawing (issue 14). A plan's tables hold
    only Text, so this draws them the way Table would, at a fraction of the cost: each column as
    wide as its widest line (within its min and max), the widest wrapping columns narrowed first
    when a row does not fit, and each cell word-wrapped into its column. `ruled` is the look of
    Table(box=SIMPLE_HEAD, show_edge=False, pad_edge=False): three spaces between columns and a
    rule under the header (ASCII, with bars, where the console can only show ASCII); otherwise
    that of Table.grid(padding=(0, 1)): one space between columns. One difference: columns that
    wrap fold a word too long for them across lines, where Table's default would cut it short
    with '…'. (Where columns that may not wrap leave another less room than its padding, the
    two also differ; nothing in a plan comes near that.)
    """

    def __init__(
        self,
        *columns: Column,
        ruled: bool = False,
        show_header: bool = False,
        indent: int = 0,
        after: int = 0,
    ) -> None:
        self.columns = columns
        self.ruled, self.show_header = ruled, show_header
        self.indent, self.after = indent, after  # spaces before each line; blank lines after
        self.rows: list[tuple[Text, ...]] = []

    def add_row(self, *cells: Text) -> None:
        self.rows.append(cells)

    def pads(self) -> list[int]:
        """The padding Table adds to each column: none at the outer edges."""
        count = len(self.columns)
        if count == 1:
            return [0]
        if self.ruled:  # a space either side of each column; the divider is counted apart
            return [1, *[2] * (count - 2), 1]
        return [*[1] * (count - 1), 0]  # collapsed padding: one space between columns

    def widths(self, max_width: int) -> list[int]:
        """Each column's width, padding included, as rich's Table works them out."""
        pads = self.pads()
        rows = [tuple(Text(c.header) for c in self.columns)] if self.show_header else []
        rows += self.rows
        widest = [
            max((_text_width(row[index]) for row in rows), default=None)
            for index in range(len(self.columns))
        ]

        def measure(index: int, width: int) -> int:
            if width < 1:
                return 0
            column, pad = self.columns[index], pads[index]
            found = widest[index]
            measured = width if found is None else min(found + pad, width)
            if column.min_width is not None:
                measured = max(measured, column.min_width + pad)
            if column.max_width is not None:
                measured = min(measured, column.max_width + pad)
            return measured

        available = max_width - self._dividers()
        widths = [measure(index, available) or 1 for index in range(len(self.columns))]
        if sum(widths) > available:
            wrapping = [not column.no_wrap for column in self.columns]
            widths = _collapse(widths, wrapping, available)
            if sum(widths) > available:  # as a last resort, every column gives some up
                widths = _ratio_reduce(sum(widths) - available, [1] * len(widths), widths, widths)
            widths = [measure(index, width) for index, width in enumerate(widths)]
        return widths

    def inner_widths(self, widths: list[int]) -> list[int]:
        """The room for text in each column: its width less its padding."""
        return [max(0, width - pad) for width, pad in zip(widths, self.pads(), strict=True)]

    def _dividers(self) -> int:
        return len(self.columns) - 1 if self.ruled else 0

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> Iterator[Segment]:
        widths = self.widths(options.max_width - self.indent)
        inner = self.inner_widths(widths)
        ascii_only = self.ruled and options.ascii_only
        gap = Segment((" | " if ascii_only else "   ") if self.ruled else " ")
        lead = Segment(" " * self.indent)
        new_line = Segment.line()
        styles = [console.get_style(c.style) if c.style else None for c in self.columns]
        rows: list[tuple[Text, ...]] = list(self.rows)
        if self.show_header:
            rows.insert(0, tuple(Text(column.header, "bold") for column in self.columns))
        for number, row in enumerate(rows):
            header = self.show_header and number == 0
            blocks = [
                _wrapped(console, cell, column, width, None if header else style)
                for cell, column, width, style in zip(row, self.columns, inner, styles, strict=True)
            ]
            height = max(len(block) for block in blocks)
            for line in range(height):
                yield lead
                for index, block in enumerate(blocks):
                    if index:
                        yield gap
                    at = line - (height - len(block)) if header else line  # headers sit low
                    if 0 <= at < len(block):
                        yield from block[at]
                    else:
                        yield Segment(" " * inner[index])
                yield new_line
            if header:
                across, cross = ("-", "+") if ascii_only else ("─", "─")
                yield lead
                yield Segment(cross.join(across * width for width in widths))
                yield new_line
        for _ in range(self.after):
            yield new_line


def _text_width(text: Text) -> int:
    """The width of the text's longest line, as rich measures it."""
    return max((cell_len(line) for line in text.plain.splitlines()), default=0)


def _wrapped(
    console: Console, text: Text, column: Column, width: int, style: Style | None
) -> list[list[Segment]]:
    """The text word-wrapped (or cut, in a no_wrap column) to the width, as lines of segments
    in the column's style, each line padded to the width."""
    plain = text.plain
    if width < 1:  # a column squeezed to nothing by others that may not wrap
        return [[]]
    if "\t" not in plain:  # lines that fit need no wrapping, only padding (most cells)
        pieces = list(text.split("\n", allow_blank=True)) if "\n" in plain else [text]
        sizes = [cell_len(piece.plain) for piece in pieces]
        if max(sizes) <= width:
            drawn = []
            for piece, size in zip(pieces, sizes, strict=True):
                if column.justify == "right":
                    if piece.plain[-1:].isspace():  # right-justified text ends at its last mark
                        piece = piece.copy()
                        piece.rstrip()
                        size = cell_len(piece.plain)
                    pad = Segment(" " * (width - size))
                    drawn.append([pad, *_segments(console, piece, style)])
                else:
                    drawn.append([*_segments(console, piece, style), Segment(" " * (width - size))])
            return drawn
    lines = text.wrap(
        console,
        width,
        justify=column.justify,
        overflow="ellipsis" if column.no_wrap else "fold",
        no_wrap=column.no_wrap,
        tab_size=console.tab_size,
    )
    return [_segments(console, line, style) for line in lines]


def _segments(console: Console, line: Text, style: Style | None) -> list[Segment]:
    """One line of text as segments, over the column's style."""
    if GLUE in line.plain:
        line = line.copy()
        line.plain = line.plain.replace(GLUE, " ")  # as long, so the styles stay in place
    if line.spans:
        segments = list(line.render(console))
    else:  # render() leaves out the text's own style when it has no spans
        segments = [Segment(line.plain, console.get_style(line.style) if line.style else None)]
    return list(Segment.apply_style(segments, style)) if style else segments


def _collapse(widths: list[int], wrapping: list[bool], max_width: int) -> list[int]:
    """Narrow the widest wrapping columns until the widths fit (rich's Table._collapse_widths)."""
    excess = sum(widths) - max_width
    while any(wrapping) and excess > 0:
        widest = max(width for width, wraps in zip(widths, wrapping, strict=True) if wraps)
        next_widest = max(
            width if wraps and width != widest else 0
            for width, wraps in zip(widths, wrapping, strict=True)
        )
        ratios = [
            1 if width == widest and wraps else 0
            for width, wraps in zip(widths, wrapping, strict=True)
        ]
        if widest == next_widest:
            break
        limit = [min(excess, widest - next_widest)] * len(widths)
        widths = _ratio_reduce(excess, ratios, limit, widths)
        excess = sum(widths) - max_width
    return widths


def _ratio_reduce(total: int, ratios: list[int], limits: list[int], values: list[int]) -> list[int]:
    """Take `total` off the values in proportion to the ratios, at most each one's limit (rich's
    private _ratio.ratio_reduce, copied so that a rich upgrade cannot move it)."""
    ratios = [ratio if limit else 0 for ratio, limit in zip(ratios, limits, strict=True)]
    total_ratio = sum(ratios)
    if not total_ratio:
        return values[:]
    remaining = total
    result: list[int] = []
    for ratio, limit, value in zip(ratios, limits, values, strict=True):
        if ratio and total_ratio > 0:
            taken = min(limit, round(ratio * remaining / total_ratio))
            result.append(value - taken)
            remaining -= taken
            total_ratio -= ratio
        else:
            result.append(value)
    return result


def plan_view(plan: Plan, width: int = WIDE, details: bool = False) -> RenderableType:
    """The plan: who it is for, the referral when there is one, the days, then the reasons."""
    parts: list[RenderableType] = []
    if plan.referral:
        parts.append(referral_panel(plan.referral))
    parts += [header(plan), Text()]
    if len(plan.weeks) > 1 and not details:
        for day in range(len(plan.sessions)):
            parts += [weeks_view(plan, day, width), Text()]
    else:
        for session in plan.sessions:
            view = detailed_session(session, width) if details else compact_session(session, width)
            parts += [view, Text()]
        if details and len(plan.weeks) > 1:
            for day in range(len(plan.sessions)):
                parts += [weeks_view(plan, day, width), Text()]
    if details:
        changes = _changes_by_exercise(plan)
        why = "Why the plan differs from the catalogue"
    else:
        changes = list(plan_changes(plan))
        why = "Why the plan differs from the catalogue (the rows marked *)"
    if changes:
        parts.append(_section(why, _bullets(changes)))
    if plan.left_out:
        parts.append(_section("Left out", _bullets(plan.left_out)))
    if plan.notes:
        parts.append(_section("Notes", _bullets(plan.notes)))
    parts.append(_section("Pain rules", _bullets(plan.pain_rules)))
    parts.append(_section("Red flags: stop training and see a clinician", red_flag_list()))
    if not details:
        parts.append(
            Text(
                "Add --details for each exercise's id, tempo and notes; "
                "'kotcoach show ID' for one exercise in full.",
                style="dim",
            )
        )
    parts.append(Text(DISCLAIMER, style="dim"))
    return Group(*parts)


def referral_panel(text: str) -> Panel:
    """The referral a plan or check shows first when an area hurts 6/10 or more now."""
    from rich.panel import Panel  # only a plan with a referral needs it

    return Panel(safe(text), title="See a clinician first", title_align="left", border_style="red")


def header(plan: Plan) -> Text:
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
    if request.conditions:
        text.append(" · conditions: " + ", ".join(request.conditions), "dim")
    return text


RED_FLAG_WHAT_TO_DO = {
    Urgency.EMERGENCY: "Go to an emergency department now (or call emergency services) with:",
    Urgency.SAME_DAY: "See a doctor today (urgent care if you cannot be seen) with:",
    Urgency.BEFORE_TRAINING: "See a doctor or physiotherapist before you train again with:",
}


def red_flag_list() -> Grid:
    """Every red flag, a line for each urgency: what to do, then the signs."""
    grid = Grid(BULLET, Column())
    for urgency, what in RED_FLAG_WHAT_TO_DO.items():
        flags = [RED_FLAG_TEXT[f] for f in RedFlag if RED_FLAG_URGENCY[f] is urgency]
        if flags:
            line = Text(what, "bold")
            line.append(" " + "; ".join(flags) + ".")
            grid.add_row(Text("•"), line)
    return grid


BULLET = Column(style="dim", no_wrap=True)
LABEL = Column(style="dim", no_wrap=True, justify="right")  # 'warm-up', '1', '2', ...


def _section(title: str, body: Grid) -> Group:
    """A bold title over its body, indented two columns, and a blank line after."""
    body.indent, body.after = 2, 1
    return Group(Text(title, style="bold"), body)


def _bullets(items: Sequence[str]) -> Grid:
    grid = Grid(BULLET, Column())
    for item in items:
        grid.add_row(Text("•"), safe(item))
    return grid


def _title(session: Session) -> Text:
    return Text(f"Day {session.day} · about {session.minutes} min", style="bold")


def _name(item: Item) -> Text:
    return safe(item.exercise.name, "bold")


def _marked(item: Item) -> Text:
    """The name, with a yellow * when the plan changed or adapted it (the reasons follow)."""
    name = _name(item)
    if item.changes or item.cautions or item.held:
        name.append(GLUE + "*", "bold yellow")  # never alone at the start of a line
    return name


def _cue(item: Item) -> Text:
    return safe(f"“{item.key_cue}”", "italic")


def compact_session(session: Session, width: int = WIDE) -> RenderableType:
    """One line an exercise when there is room (name, dose, key cue); two below WIDE."""
    rows = session.labelled()
    if width >= WIDE:
        table = Grid(
            Column(style="dim", no_wrap=True),
            Column(max_width=NAME_COLUMN + 12),  # the name and the dose take what they need
            Column(max_width=WEEK_COLUMN + 4),
            Column(),  # the cue gets the rest of the line
            ruled=True,
        )
        for label, item in rows:
            table.add_row(Text(label), _marked(item), Text(item.dose.describe()), _cue(item))
        return Group(_title(session), table)
    grid = Grid(LABEL, Column())
    for label, item in rows:
        line = _marked(item)
        line.append("  ")
        dose = item.dose.describe()
        # A dose moves to the next line whole rather than break ('2 × 10 per / side').
        line.append(dose.replace(" ", GLUE) if len(dose) <= NAME_COLUMN else dose)
        line.append("\n")
        line.append_text(_cue(item))
        grid.add_row(Text(label), line)
    return Group(_title(session), grid)


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
    """Everything on its row: the id, the dose with its tempo and notes, the cue, the notes; a
    table from WIDE columns, where it leaves each id room for one line."""
    rows = session.labelled()
    if width >= WIDE:
        table = Grid(
            Column(style="dim", no_wrap=True),
            Column("Exercise"),
            Column("Dose"),
            Column("Key cue"),
            Column("Notes"),
            ruled=True,
            show_header=True,
        )
        for label, item in rows:
            name = _name(item)
            name.append("\n")
            name.append_text(safe(item.exercise.id, "cyan"))
            table.add_row(Text(label), name, _dose(item), _cue(item), _notes(item))
        room = table.inner_widths(table.widths(width))[1]
        if all(cell_len(item.exercise.id) <= room for _, item in rows):
            return Group(_title(session), table)
        # An id the table would break in two cannot be typed into 'show': stack the rows.
    grid = Grid(LABEL, Column())
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
        grid.add_row(Text(label), body)
        grid.add_row(Text(), Text())
    return Group(_title(session), grid)


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


def weeks_view(plan: Plan, day: int, width: int = WIDE) -> RenderableType:
    """One day's exercises down, the weeks across (in groups that fit the width), and below,
    why a dose stays the same."""
    first = plan.weeks[0].sessions[day]
    title = Text(f"Day {first.day} · about {first.minutes} min in week 1", style="bold")
    rows = first.labelled()
    cells: list[list[Text]] = []
    same: dict[str, list[str]] = {}
    for position, (_, item) in enumerate(rows):
        previous: Item | None = None
        line: list[Text] = []
        for week in plan.weeks:
            now = week.sessions[day].labelled()[position][1]
            cell = _week_cell(now, previous)
            if cell.plain == "same":
                holders = same.setdefault(same_dose_reason(now), [])
                if plain(item.exercise.name) not in holders:
                    holders.append(plain(item.exercise.name))
            line.append(cell)
            previous = now
        cells.append(line)
    parts: list[RenderableType] = [title]
    if width < STACKED:
        grid = Grid(LABEL, Column())
        for (label, item), line in zip(rows, cells, strict=True):
            body = _name(item)
            for week, cell in zip(plan.weeks, line, strict=True):
                body.append(f"\nweek {week.number}: ", "dim")
                body.append_text(cell)
            grid.add_row(Text(label), body)
        parts.append(grid)
    else:
        per_table = max(1, (width - NAME_COLUMN - 8) // WEEK_COLUMN)
        for start in range(0, len(plan.weeks), per_table):
            weeks = plan.weeks[start : start + per_table]
            table = Grid(
                Column(style="dim", no_wrap=True),
                Column("Exercise", min_width=12),
                *(Column(f"Week {week.number}", max_width=WEEK_COLUMN) for week in weeks),
                ruled=True,
                show_header=True,
            )
            for (label, item), line in zip(rows, cells, strict=True):
                table.add_row(Text(label), _name(item), *line[start : start + per_table])
            parts.append(table)
    for reason, holders in same.items():
        note = Text("Same dose for ", style="dim")
        note.append(" · ".join(holders) + f": {reason}.")
        parts.append(note)
    return Group(*parts)
