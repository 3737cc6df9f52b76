"""Turn results into rich renderables. No I/O here: the CLI prints what these return.

Every string that came from a catalogue goes through `safe()`, so markup such as `[bold]` prints
literally and terminal control characters are shown escaped instead of being obeyed. This module
stays light (no pydantic, no models) because `kotcoach list` renders from cached rows alone; the
other views are in `kotcoach.render.views`.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Sequence

from rich import box
from rich.console import RenderableType
from rich.table import Table
from rich.text import Text

from kotcoach.listing import Row

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


def exercise_table(rows: Sequence[Row], condition: str | None = None, width: int = WIDE) -> Table:
    """The catalogue as a table; under WIDE columns each row stacks into three columns."""
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
