"""Turn results into rich renderables. No I/O here: the CLI prints what these return.

Every string that came from a catalogue goes through `safe()`, so markup such as `[bold]` prints
literally and terminal control characters are shown escaped instead of being obeyed. This module
stays light (no pydantic, no models, and rich only inside the functions that draw) because
`kotcoach list` renders from cached rows alone, and into a pipe or a file without rich's console
at all (`exercise_lines`, laid out by kotcoach.render.plain); the other views are in
`kotcoach.render.views`.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from rich.console import Console, ConsoleOptions, RenderableType
    from rich.table import Table
    from rich.text import Text

    from kotcoach.catalogue.listing import Row  # annotations only: plan and show need no listing
    from kotcoach.catalogue.sheet import Sheet

FIT_STYLE = {"favour": "green", "modify": "yellow", "avoid": "red", "": ""}
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
    from rich.text import Text

    return Text(clean(value), style=style)


def joined(values: Iterable[str]) -> str:
    return ", ".join(values) or "—"


def fit_text(fit: str) -> Text:
    """How an exercise stands for a condition ('favour', 'modify', 'avoid' or ''), coloured."""
    from rich.text import Text

    return Text(fit, FIT_STYLE[fit])


def level_text(level: str) -> Text:
    from rich.text import Text

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
    from rich.table import Table

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
    from rich.text import Text

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
        fit = fit_text(exercise.fits.get(condition, "")) if condition else Text("")
        if fit:
            body.append(" · ")
            body.append_text(fit)
        lines.append((head, body))
    return stacked(lines)


def _exercise_table(rows: Sequence[Row], condition: str | None, width: int) -> Table:
    from rich import box
    from rich.table import Table
    from rich.text import Text

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
        fit = [fit_text(exercise.fits.get(condition, ""))] if condition else []
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


def exercise_lines(rows: Sequence[Row], condition: str | None, width: int) -> list[str] | None:
    """`exercise_table` as the plain lines rich prints into a pipe or a file at `width` columns
    (each line without its trailing spaces), laid out without importing rich's console; None
    where the rows hold text laid out only by rich (a tab, a line separator, '[' that rich's
    markup would read), which is then drawn with rich."""
    from kotcoach.render.plain import GRID, SIMPLE_HEAD, Column, table_lines

    text = clean
    cells: list[list[str]] = []
    columns: list[Column]
    if width < 80:  # Responsive's narrow layout: _exercise_lines
        for exercise in rows:
            equipment = joined(exercise.equipment) if exercise.equipment else "none"
            body = (
                f"  {exercise.level} · step {exercise.step}/{exercise.steps} · "
                f"{joined(exercise.areas)} · needs {equipment}"
            )
            fitting = exercise.fits.get(condition, "") if condition else ""
            if fitting:
                body += " · " + fitting
            cells.append([f"{text(exercise.id)}  {text(exercise.name)}\n{body}"])
        shape, columns = GRID, [Column()]
    else:
        id_width = max((len(row.id) for row in rows), default=2)
        wide = width >= WIDE
        if wide:
            columns = [
                Column("ID", no_wrap=True, min_width=id_width),
                Column("Name", overflow="fold"),
                Column("Level", no_wrap=True),
                Column("Areas", overflow="fold"),
                Column("Equipment", overflow="fold"),
                Column("Ladder", no_wrap=True),
            ]
        else:
            columns = [
                Column("Exercise", min_width=id_width, overflow="fold"),
                Column("Level", no_wrap=True),
                Column("Trains / needs", overflow="fold"),
            ]
        if condition and wide:
            columns.append(Column("Fit", no_wrap=True))
        for exercise in rows:
            step = f"{exercise.step}/{exercise.steps}"
            equipment = joined(exercise.equipment) if exercise.equipment else "none"
            fit = [exercise.fits.get(condition, "")] if condition else []
            if wide:
                areas = joined(exercise.areas)
                row = [text(exercise.id), text(exercise.name), exercise.level, areas, equipment]
                cells.append([*row, step, *fit])
            else:
                level = f"{exercise.level}\nstep {step}" + "".join("\n" + f for f in fit)
                trains = f"{joined(exercise.areas)}\nneeds {equipment}"
                cells.append([f"{text(exercise.id)}\n{text(exercise.name)}", level, trains])
        shape = SIMPLE_HEAD
    if any("[" in cell for row in cells for cell in row):  # rich reads it as markup
        return None
    lines = table_lines(columns, cells, width, shape)
    if lines is None:
        return None
    return [line.rstrip() for line in lines]


def sheet_lines(sheet: Sheet, conditions: Sequence[str], width: int) -> list[str] | None:
    """kotcoach.render.exercise.exercise_view as the plain lines rich prints into a pipe or a
    file at `width` columns (each without its trailing spaces), laid out without importing rich's
    console; None where rich must draw it (text only rich lays out, or under 20 columns)."""
    from kotcoach.base.vocab import EvidenceBasis, Goal
    from kotcoach.render.plain import Column, grid, table_lines, text_lines

    if width < 20:
        return None
    texts: list[str] = []  # every text laid out, checked for a word of no width
    marked = ""  # the cells rich reads as markup (plain strings, not Text): no '[' in them

    def text(value: str, at: int) -> list[str]:
        texts.append(value)
        lines = text_lines(value, at)
        return ["\0"] if lines is None else lines  # "\0": rich draws it

    def table(rows: list[list[str]], padding: int, at: int) -> list[str]:
        texts.extend(cell for row in rows for cell in row)
        columns = [Column(no_wrap=True), Column(overflow="fold")]
        return table_lines(columns, rows, at, grid(padding)) or ["\0"]  # "\0": rich draws it

    def section(title: str, body: list[str]) -> list[str]:
        return [title, *("  " + line for line in body), ""]

    inner = width - 2  # a section's body, indented by two
    heading = f"{clean(sheet.name)}  {sheet.level}"
    easier = clean(sheet.easier) if sheet.easier else "(first step)"
    harder = clean(sheet.harder) if sheet.harder else "(top of the ladder)"
    ladder = f"{easier} ← {clean(sheet.id)} → {harder}   step {sheet.step} of {sheet.steps}"
    lines = [*text(heading, width), *text(ladder, width), ""]
    if sheet.dose:
        dose = sheet.dose + (f"  {clean(sheet.dose_details)}" if sheet.dose_details else "")
        lines += section("Dose", text(dose, inner))
    if sheet.setup:
        lines += section("Setup", text(clean(sheet.setup), inner))
    cues = [[f"{n}.", clean(cue)] for n, cue in enumerate(sheet.cues, start=1)]
    lines += section("Cues", table(cues, 1, inner))
    if sheet.mistakes:
        lines += section(
            "Common mistakes", table([["•", clean(m)] for m in sheet.mistakes], 1, inner)
        )
    facts = [
        ["Areas", joined(sheet.areas)],
        ["Equipment", joined(sheet.equipment) if sheet.equipment else "none"],
        ["Goals", joined(Goal(g).help for g in sheet.goals)],
    ]
    marked = "".join(value for _, value in facts)
    lines += section("Trains", table(facts, 2, inner))
    if sheet.purpose:
        lines += section("Why", text(clean(sheet.purpose), inner))
    if sheet.entry_gate:
        lines += section("Who is ready", text(clean(sheet.entry_gate), inner))
    cautions = [c for c in sheet.cautions if not conditions or c.condition in conditions]
    if cautions:
        body: list[str] = []
        for caution in cautions:
            change = clean(caution.modification)
            if caution.substitute:
                change += " Instead: " + clean(caution.substitute)
            body += text(f"{clean(caution.name)}: {clean(caution.note)}", inner)
            body += ["  " + line for line in table([["→", change]], 1, inner - 2)]
        lines += section("Cautions", body)
    if sheet.evidence:
        evidence = sheet.evidence
        basis = EvidenceBasis(evidence.basis).help
        body = text(f"{basis}\n{clean(evidence.summary)}", inner)
        cited = "\n".join(f"[{key}] {clean(citation)}" for key, citation in evidence.sources)
        body += text(cited, inner) if evidence.sources else [""]
        lines += section("Evidence", body)
    # "\0" marks a block left to rich, wherever a section indented it (clean() shows a NUL of
    # the text itself as a visible sign, so none is one).
    if any("\0" in line for line in lines) or "[" in marked:
        return None
    if any(_widthless_word(v) for v in texts):
        return None
    return [line.rstrip() for line in lines]


def _widthless_word(text: str) -> bool:
    """A word that takes no cells (a combining mark on its own): rich sizes the cell holding it
    otherwise than the plain layout does, so rich draws it. No catalogue text has one."""
    if text.isascii():
        return False
    from rich.cells import cell_len

    return any(cell_len(word) == 0 for word in text.split())
