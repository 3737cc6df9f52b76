"""Turn results into rich renderables. No I/O here: the CLI prints what these return.

Every string that came from a catalogue goes through `safe()`, so markup such as `[bold]` prints
literally and terminal control characters are shown escaped instead of being obeyed. This module
stays light (no pydantic, no models) because `kotcoach list` renders from cached rows alone; the
other views are in `kotcoach.render.views`.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import TYPE_CHECKING

from rich import box
from rich.console import Console, ConsoleOptions, RenderableType
from rich.table import Table
from rich.text import Text

if TYPE_CHECKING:
    from kotcoach.catalogue.listing import Row  # annotations only: plan and show need no listing

FIT_TEXT = {
    "favour": Text("favour", "green"),
    "modify": Text("modify", "yellow"),
    "avoid": Text("avoid", "red"),
    "": Text(""),
}
LEVEL_STYLE = {"beginner": "green", "intermediate": "yellow", "advanced": "red"}


def clean(value: str) -> str:
    """Control characters (ESC, BEL, ...) shown as escapes, so a terminal never obeys them."""
    if value.isprintable():
        return value
    return "".join(
        char
        if char in "\n\t" or unicodedata.category(char) not in {"Cc", "Cf"}
        else ascii(char)[1:-1]
        for char in value
    )


def safe(value: str, style: str = "") -> Text:
    return Text(clean(value), style=style)


def joined(values: Iterable[str]) -> str:
    return ", ".join(values) or "—"


def level_text(level: str) -> Text:
    return Text(level, style=LEVEL_STYLE.get(level, ""))


WIDE = 100  # below this many columns, tables stack their cells to stay readable
NARROW = 60  # below this many columns, what was a table becomes a list of stacked lines


class Responsive:
    """A renderable that picks its layout when it is printed, from the width it actually gets
    (inside a panel or an indent that is less than the terminal's): `wide` at `at` columns or
    more, else `narrow`. Nothing is cropped: the narrow layout is one that wraps."""

    def __init__(
        self,
        wide: Callable[[], RenderableType],
        narrow: Callable[[], RenderableType],
        at: int = NARROW,
    ) -> None:
        self.wide, self.narrow, self.at = wide, narrow, at

    def __rich_console__(
        self, console: Console, options: ConsoleOptions
    ) -> Iterator[RenderableType]:
        yield self.wide() if options.max_width >= self.at else self.narrow()


def stacked(rows: Iterable[tuple[Text, Text]]) -> Table:
    """Rows as a heading line, then its details indented under it: wraps at any width."""
    grid = Table.grid()
    grid.add_column()
    for head, body in rows:
        line = head.copy()
        if body:
            line.append("\n")
            line.append_text(body)
        grid.add_row(line)
    return grid


def exercise_table(
    rows: Sequence[Row], condition: str | None = None, width: int = WIDE
) -> RenderableType:
    """The catalogue as a table; under WIDE columns each row stacks into three columns, and under
    NARROW into lines."""
    return Responsive(
        lambda: _exercise_table(rows, condition, width),
        lambda: _exercise_lines(rows, condition),
        at=80,  # the three-column layout folds long equipment lists below this
    )


def _exercise_lines(rows: Sequence[Row], condition: str | None) -> Table:
    lines = []
    for exercise in rows:
        head = safe(exercise.id, "cyan")
        head.append("  ")
        head.append_text(safe(exercise.name, "bold"))
        body = Text("  ")
        body.append_text(level_text(exercise.level))
        equipment = joined(exercise.equipment) if exercise.equipment else "none"
        body.append(
            f" · step {exercise.step}/{exercise.steps} · {joined(exercise.areas)} · needs "
            f"{equipment}",
            "dim",
        )
        fit = FIT_TEXT[exercise.fits.get(condition, "")] if condition else Text("")
        if fit:
            body.append(" · ")
            body.append_text(fit)
        lines.append((head, body))
    return stacked(lines)


def _exercise_table(rows: Sequence[Row], condition: str | None, width: int) -> Table:
    id_width = max((len(row.id) for row in rows), default=2)
    table = Table(box=box.SIMPLE_HEAD, pad_edge=False, show_edge=False)
    wide = width >= WIDE
    if wide:
        table.add_column("ID", no_wrap=True, min_width=id_width, style="cyan")
        table.add_column("Name", overflow="fold", ratio=3)
        table.add_column("Level", no_wrap=True)
        table.add_column("Areas", overflow="fold", ratio=1)
        table.add_column("Equipment", overflow="fold", ratio=1)
        table.add_column("Ladder", no_wrap=True)
    else:
        table.add_column("Exercise", min_width=id_width, overflow="fold", ratio=2)
        table.add_column("Level", no_wrap=True)
        table.add_column("Trains / needs", overflow="fold", ratio=1)
    if condition and wide:
        table.add_column("Fit", no_wrap=True)
    for exercise in rows:
        step = f"{exercise.step}/{exercise.steps}"
        equipment = joined(exercise.equipment) if exercise.equipment else "none"
        fit = [FIT_TEXT[exercise.fits.get(condition, "")]] if condition else []
        if wide:
            cells: list[RenderableType] = [
                safe(exercise.id),
                safe(exercise.name),
                level_text(exercise.level),
                joined(exercise.areas),
                equipment,
                step,
            ]
        else:
            name = safe(exercise.id, "cyan")
            name.append("\n")
            name.append_text(safe(exercise.name, "dim"))
            level = level_text(exercise.level)
            level.append(f"\nstep {step}", "dim")
            for text in fit:
                level.append("\n")
                level.append_text(text)
            fit = []
            trains = Text(joined(exercise.areas))
            trains.append(f"\nneeds {equipment}", "dim")
            cells = [name, level, trains]
        table.add_row(*cells, *fit)
    return table
