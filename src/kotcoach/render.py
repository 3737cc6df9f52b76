"""Turn domain results into rich renderables. No I/O here: the CLI prints what these return.

Every string that came from a catalogue goes through `safe()`, so markup such as `[bold]` prints
literally and terminal control characters are shown escaped instead of being obeyed.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Sequence

from rich import box
from rich.console import Group, RenderableType
from rich.padding import Padding
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from kotcoach.browse import condition_fit
from kotcoach.ladders import Index
from kotcoach.models import Condition, Exercise, Myth
from kotcoach.vocab import EVIDENCE_HELP, GOAL_HELP

FIT_TEXT = {
    "favour": Text("favour", "green"),
    "modify": Text("modify", "yellow"),
    "avoid": Text("avoid", "red"),
    "": Text(""),
}
LEVEL_STYLE = {"beginner": "green", "intermediate": "yellow", "advanced": "red"}


def clean(value: str) -> str:
    """Control characters (ESC, BEL, ...) made visible as escapes, so a terminal never obeys them."""
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


def exercise_table(
    index: Index, exercises: Sequence[Exercise], condition: str | None = None
) -> Table:
    id_width = max((len(e.id) for e in exercises), default=2)
    table = Table(box=box.SIMPLE_HEAD, pad_edge=False, expand=False, show_lines=False)
    table.add_column("ID", no_wrap=True, min_width=id_width, style="cyan")
    table.add_column("Name", overflow="fold", ratio=3)
    table.add_column("Level", overflow="fold")
    table.add_column("Areas", overflow="fold", ratio=1)
    table.add_column("Equipment", overflow="fold", ratio=1)
    table.add_column("Ladder", overflow="fold", no_wrap=True)
    if condition:
        table.add_column("Fit", overflow="fold")
    for exercise in exercises:
        ladder = index.ladder_of(exercise.id)
        fit = [FIT_TEXT[condition_fit(index, exercise, condition) or ""]] if condition else []
        table.add_row(
            safe(exercise.id),
            safe(exercise.name),
            level_text(exercise.level),
            joined(exercise.areas),
            joined(exercise.equipment) if exercise.equipment else "none",
            f"{ladder.position(exercise.id) + 1}/{len(ladder.steps)}",
            *fit,
        )
    return table


def ladder_line(index: Index, exercise: Exercise) -> Text:
    """easier <- this -> harder, with the step number."""
    ladder = index.ladder_of(exercise.id)
    easier, harder = index.easier(exercise.id), index.harder(exercise.id)
    line = Text()
    line.append_text(safe(easier.id, "dim") if easier else Text("(first step)", "dim"))
    line.append(" ← ")
    line.append_text(safe(exercise.id, "bold cyan"))
    line.append(" → ")
    line.append_text(safe(harder.id, "dim") if harder else Text("(top of the ladder)", "dim"))
    line.append(f"   step {ladder.position(exercise.id) + 1} of {len(ladder.steps)}", "dim")
    return line


def _section(title: str, body: RenderableType) -> Group:
    return Group(Text(title, style="bold"), Padding(body, (0, 0, 1, 2)))


def _bullets(items: Iterable[str], numbered: bool = False) -> Text:
    text = Text()
    for number, item in enumerate(items, start=1):
        text.append(f"{number}. " if numbered else "• ", style="dim")
        text.append_text(safe(item))
        text.append("\n")
    text.rstrip()
    return text


def exercise_view(
    index: Index, exercise: Exercise, conditions: Sequence[str] = ()
) -> RenderableType:
    """One exercise in full: ladder, dose, setup, cues, mistakes, cautions, evidence."""
    parts: list[RenderableType] = []
    heading = safe(exercise.name, "bold")
    heading.append("  ")
    heading.append_text(level_text(exercise.level))
    parts += [heading, ladder_line(index, exercise), Text()]
    if exercise.dose:
        dose = Text(exercise.dose.describe(), style="bold")
        if exercise.dose.details():
            dose.append("  ")
            dose.append_text(safe(exercise.dose.details(), "dim"))
        parts.append(_section("Dose", dose))
    if exercise.setup:
        parts.append(_section("Setup", safe(exercise.setup)))
    parts.append(_section("Cues", _bullets(exercise.cues, numbered=True)))
    if exercise.mistakes:
        parts.append(_section("Common mistakes", _bullets(exercise.mistakes)))
    facts = Table.grid(padding=(0, 2))
    facts.add_column(style="dim", no_wrap=True)
    facts.add_column(overflow="fold")
    facts.add_row("Areas", joined(exercise.areas))
    facts.add_row("Equipment", joined(exercise.equipment) if exercise.equipment else "none")
    facts.add_row("Goals", joined(GOAL_HELP[g] for g in exercise.goals))
    parts.append(_section("Trains", facts))
    if exercise.purpose:
        parts.append(_section("Why", safe(exercise.purpose)))
    cautions = [c for c in exercise.cautions if not conditions or c.condition in conditions]
    if cautions:
        parts.append(_section("Cautions", caution_list(index, cautions)))
    if exercise.evidence:
        evidence = Text(EVIDENCE_HELP[exercise.evidence.basis], style="italic")
        evidence.append("\n")
        evidence.append_text(safe(exercise.evidence.summary))
        parts.append(_section("Evidence", Group(evidence, sources(index, exercise.evidence.references))))
    return Group(*parts)


def caution_list(index: Index, cautions: Iterable[object]) -> Text:
    text = Text()
    for caution in cautions:
        condition = index.conditions.get(caution.condition)  # type: ignore[attr-defined]
        text.append_text(safe(condition.name if condition else caution.condition, "bold yellow"))  # type: ignore[attr-defined]
        text.append(": ")
        text.append_text(safe(caution.note))  # type: ignore[attr-defined]
        text.append("\n  → ")
        text.append_text(safe(caution.modification))  # type: ignore[attr-defined]
        if caution.substitute:  # type: ignore[attr-defined]
            text.append(" Instead: ")
            text.append_text(safe(caution.substitute, "cyan"))  # type: ignore[attr-defined]
        text.append("\n")
    text.rstrip()
    return text


def sources(index: Index, keys: Iterable[str]) -> Text:
    text = Text(style="dim")
    for key in keys:
        reference = index.references.get(key)
        text.append("\n[" + key + "] ")
        text.append_text(safe(reference.citation() if reference else key))
    return text


def myth_view(index: Index, myth: Myth) -> Panel:
    body = Group(
        _section("What is wrong with it", safe(myth.problem)),
        _section("Say instead", safe(myth.instead, "green")),
        _section("The evidence", safe(myth.evidence)),
        _section("What it does not show", safe(myth.limits)),
        sources(index, myth.references),
    )
    title = Text("“")
    title.append_text(safe(myth.cue))
    title.append("”")
    return Panel(body, title=title, title_align="left", box=box.ROUNDED)


def condition_table(conditions: Sequence[Condition]) -> Table:
    table = Table(box=box.SIMPLE_HEAD, pad_edge=False)
    table.add_column("ID", no_wrap=True, style="cyan", min_width=max(len(c.id) for c in conditions))
    table.add_column("Condition", overflow="fold", ratio=1)
    table.add_column("What it is", overflow="fold", ratio=3)
    for condition in conditions:
        table.add_row(safe(condition.id), safe(condition.name), safe(condition.summary))
    return table


def condition_view(index: Index, condition: Condition) -> RenderableType:
    modify = [e for e in index.catalog.exercises if any(c.condition == condition.id for c in e.cautions)]
    parts: list[RenderableType] = [
        safe(condition.name, "bold"),
        safe(condition.summary),
        Text(),
        _section("Pain rules", _bullets(condition.pain_rules)),
        _section("Favour", _id_list(index, condition.favour)),
        _section("Modify (see `kotcoach show ID --condition " + condition.id + "`)",
                 _id_list(index, [e.id for e in modify])),
        _section("Avoid for now", _id_list(index, condition.avoid)),
        _section("Red flags: stop and see a clinician", _bullets(condition.red_flags)),
        sources(index, condition.references),
    ]
    return Group(*parts)


def _id_list(index: Index, ids: Sequence[str]) -> Text:
    if not ids:
        return Text("—", style="dim")
    text = Text()
    for exercise_id in ids:
        text.append_text(safe(exercise_id, "cyan"))
        text.append("  ")
        text.append_text(safe(index.by_id[exercise_id].name, "dim"))
        text.append("\n")
    text.rstrip()
    return text
