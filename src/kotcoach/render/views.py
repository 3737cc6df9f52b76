"""Rich renderables for exercises, conditions, myths, ladders, plans and cards."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from rich import box
from rich.console import Group, RenderableType
from rich.panel import Panel
from rich.table import Table
from rich.text import Text
from rich.tree import Tree

from kotcoach.base.vocab import Area
from kotcoach.catalogue.ladders import Index, Ladder, move_down_when, move_up_when
from kotcoach.catalogue.models import Caution, Condition, Dose, Exercise, Myth
from kotcoach.catalogue.sheet import caution_line, source_pairs
from kotcoach.coaching.pain import STOP_LINE, PainZone, RedFlagStop, worst_zone, zones
from kotcoach.render import NARROW, WIDE, Responsive, level_text, safe, stacked
from kotcoach.render import exercise as sheets
from kotcoach.render.exercise import bullets as _bullets
from kotcoach.render.exercise import section as _section
from kotcoach.render.plan import referral_panel


def dose_text(dose: Dose) -> Text:
    """'3 × 15 per side' in bold, then tempo, rest and notes, dimmed."""
    return sheets.dose_text(dose.describe(), dose.details())


def caution_list(index: Index, cautions: Iterable[Caution]) -> Group:
    """Each caution: the condition and what to watch, then the change to make, indented."""
    return sheets.caution_list(caution_line(index, caution) for caution in cautions)


def sources(index: Index, keys: Iterable[str]) -> Text:
    return sheets.sources(source_pairs(index, keys))


def myth_view(index: Index, myth: Myth) -> RenderableType:
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
    return titled_panel(body, title)


def condition_table(conditions: Sequence[Condition], width: int = WIDE) -> RenderableType:
    lines = [
        (safe(c.id, "cyan") + Text("  ") + safe(c.name, "bold"), safe("  " + c.summary))
        for c in conditions
    ]
    return Responsive(lambda: _condition_table(conditions, width), lambda: stacked(lines), 80)


def _condition_table(conditions: Sequence[Condition], width: int) -> Table:
    table = Table(box=box.SIMPLE_HEAD, pad_edge=False, show_edge=False)
    id_width = max(len(c.id) for c in conditions)
    if width >= WIDE:
        table.add_column("ID", no_wrap=True, style="cyan", min_width=id_width)
        table.add_column("Condition", overflow="fold", ratio=1)
        table.add_column("What it is", overflow="fold", ratio=3)
        for condition in conditions:
            table.add_row(safe(condition.id), safe(condition.name), safe(condition.summary))
        return table
    table.add_column("Condition", min_width=id_width, overflow="fold", ratio=2)
    table.add_column("What it is", overflow="fold", ratio=3)
    for condition in conditions:
        name = safe(condition.id, "cyan")
        name.append("\n")
        name.append_text(safe(condition.name, "dim"))
        table.add_row(name, safe(condition.summary))
    return table


def condition_view(index: Index, condition: Condition) -> RenderableType:
    listed = {*condition.favour, *condition.avoid}
    modify = [
        e.id
        for e in index.catalog.exercises
        if e.id not in listed and any(c.condition == condition.id for c in e.cautions)
    ]
    return Group(
        safe(condition.name, "bold"),
        safe(condition.summary),
        Text(),
        _section("Red flags: stop and see a clinician", _bullets(condition.red_flags)),
        _section("Pain rules", _bullets(condition.pain_rules)),
        _section("Favour", _id_list(index, condition.favour)),
        _section(f"Modify (kotcoach show ID --condition {condition.id})", _id_list(index, modify)),
        _section("Avoid for now", _id_list(index, condition.avoid)),
        *_protocol_and_stages(index, condition),
        sources(index, _all_references(condition)),
    )


def _all_references(condition: Condition) -> list[str]:
    """The condition's references, then those its protocol and stages cite, each once."""
    keys = list(condition.references)
    if condition.protocol is not None:
        keys += condition.protocol.references
    for stage in condition.stages:
        keys += stage.references
        if stage.entry is not None:
            keys += [*stage.entry.pain_references, *stage.entry.strength_references]
    return list(dict.fromkeys(keys))


def _protocol_and_stages(index: Index, condition: Condition) -> list[RenderableType]:
    """The condition's primary treatment at its frequency, and its stages with what entering
    each takes (catalogue `protocol` and `stages`)."""
    parts: list[RenderableType] = []
    protocol = condition.protocol
    if protocol is not None:
        times = {1: "once", 2: "twice"}.get(protocol.per_day, f"{protocol.per_day} times")
        days = (
            "every day" if protocol.days_per_week == 7 else f"{protocol.days_per_week} days a week"
        )
        weeks = f", for {protocol.weeks} weeks" if protocol.weeks else ""
        head = (
            f"{index.by_id[protocol.exercise].name} {protocol.dose.describe()}, {times} a day, "
            f"{days}{weeks}"
        )
        lines = [head] + ([protocol.dose.note] if protocol.dose.note else []) + [protocol.summary]
        parts.append(_section("Main treatment, in a daily block", _bullets(lines)))
    if condition.stages:
        lines = []
        for number, stage in enumerate(condition.stages, start=1):
            text = f"{stage.name}: {stage.summary}"
            if stage.entry is not None:
                text += f" When: {stage.entry.pain} {stage.entry.strength}"
            if stage.exercises:
                names = ", ".join(index.by_id[e].name for e in stage.exercises)
                text += f" Exercises: {names}."
            lines.append(text if stage.name.lower().startswith("stage") else f"{number}. {text}")
        parts.append(_section("Stages (kotcoach today says which one you are in)", _bullets(lines)))
    return parts


def _id_list(index: Index, ids: Sequence[str]) -> RenderableType:
    if not ids:
        return Text("—", style="dim")
    lines = [(safe(i, "cyan"), safe("  " + index.by_id[i].name, "dim")) for i in ids]
    return Responsive(lambda: _id_grid(index, ids), lambda: stacked(lines), NARROW)


def _id_grid(index: Index, ids: Sequence[str]) -> Table:
    grid = Table.grid(padding=(0, 2))
    grid.add_column(style="cyan", no_wrap=True)
    grid.add_column(style="dim", overflow="fold")
    for exercise_id in ids:
        grid.add_row(safe(exercise_id), safe(index.by_id[exercise_id].name))
    return grid


def stop_view(stop: RedFlagStop) -> Panel:
    body = Text()
    body.append(stop.headline, "bold")
    body.append("\n\nYou reported:\n")
    for reason in stop.reasons:
        body.append(f"• {reason}\n")
    body.append(
        "\nThese signs need a clinician's assessment before any exercise advice applies, so "
        "kotcoach has not made a plan."
    )
    return Panel(body, title="Red flag", title_align="left", border_style="red", box=box.HEAVY)


ZONE_STYLE = {PainZone.GREEN: "green", PainZone.AMBER: "yellow", PainZone.RED: "bold red"}


def check_view(
    pain: dict[Area, int], command: str, screened: bool, referral: str | None
) -> RenderableType:
    """The pain traffic light for pain now; a referral first when an area is at 6/10 or more."""
    table = Table(box=box.SIMPLE_HEAD, pad_edge=False, show_edge=False)
    table.add_column("Area", no_wrap=True)
    table.add_column("Pain now", no_wrap=True, justify="right")
    table.add_column("Light", no_wrap=True)
    table.add_column("What it means")
    lines = []
    for area, score, zone in zones(pain):
        light = Text(zone.value, ZONE_STYLE[zone])
        table.add_row(area, f"{score}/10", light, Text(zone.advice))
        head = Text(f"{area} {score}/10 ", "bold")
        lines.append((head + light, Text("  " + zone.advice)))
    areas = Responsive(lambda: table, lambda: stacked(lines), NARROW)
    overall = worst_zone(pain)
    verdict = Text("Overall: ")
    verdict.append(overall.value, ZONE_STYLE[overall])
    verdict.append(" — " + overall.verdict)
    next_step = Text("\nMeanwhile, a plan that respects it: " if referral else "\nNext: ")
    next_step.append(command, "bold cyan")
    parts: list[RenderableType] = []
    if referral:
        parts += [referral_panel(referral)]
    if screened:
        parts.append(Text("No red flags reported.", style="green"))
    else:
        parts.append(
            Text(
                "Red flags were not screened: run 'kotcoach check' in a terminal to answer the "
                "questions, or confirm with --no-red-flags that none applies.",
                style="bold yellow",
            )
        )
    parts += [Text(), areas, Text(), verdict, next_step]
    return Group(*parts)


def ladder_view(index: Index, ladders: Sequence[Ladder]) -> RenderableType:
    trees = []
    for ladder in ladders:
        tree = Tree(safe(ladder.first.name, "bold"), guide_style="dim")
        for position, step in enumerate(ladder.steps):
            label = Text(f"{position + 1}. ")
            label.append_text(safe(step.id, "cyan"))
            label.append("  ")
            label.append_text(level_text(step.level))
            if step.dose:
                label.append(f"  {step.dose.describe()}")
            branch = tree.add(label)
            up = Text("up: ", style="green")
            up.append(move_up_when(step, position < len(ladder.steps) - 1), style="default")
            down = Text("down: ", style="yellow")
            down.append(move_down_when(position > 0, step), style="default")
            branch.add(up)
            branch.add(down)
        trees.append(tree)
    return Group(*trees)


def card_view(index: Index, exercise: Exercise, conditions: Sequence[str] = ()) -> RenderableType:
    """A cue card: what to tape to the wall of a home gym."""
    parts: list[RenderableType] = []
    if exercise.dose:
        parts.append(dose_text(exercise.dose))
    if exercise.setup:
        parts += [Text(), safe(exercise.setup)]
    parts += [Text(), Text("Cues", style="bold"), _bullets(exercise.cues, numbered=True)]
    if exercise.mistakes:
        parts += [Text(), Text("Avoid", style="bold"), _bullets(exercise.mistakes)]
    easier, harder = index.easier(exercise.id), index.harder(exercise.id)
    steps = Text("\nEasier: ", style="dim")
    steps.append_text(safe(easier.name) if easier else Text("—"))
    steps.append("   Harder: ", style="dim")
    steps.append_text(safe(harder.name) if harder else Text("—"))
    parts.append(steps)
    cautions = [c for c in exercise.cautions if c.condition in conditions]
    if cautions:
        parts += [Text(), caution_list(index, cautions)]
    elif exercise.cautions:
        parts.append(Text(f"Cautions: kotcoach show {exercise.id}", style="dim"))
    parts.append(Text("\n" + STOP_LINE, style="dim italic"))
    title = safe(exercise.name, "bold")
    title.append("  ")
    title.append_text(level_text(exercise.level))
    return titled_panel(Group(*parts), title)


def titled_panel(body: RenderableType, title: Text) -> Responsive:
    """A rounded panel with its title in the top border; when the border is too short for the
    title (rich would crop it), the title becomes the panel's first line instead."""

    def inside() -> Panel:
        return Panel(Group(title, Text(), body), box=box.ROUNDED)

    return Responsive(
        lambda: Panel(body, title=title, title_align="left", box=box.ROUNDED),
        inside,
        at=title.cell_len + 6,
    )
