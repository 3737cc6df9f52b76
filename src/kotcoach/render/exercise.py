"""One exercise in full, drawn from its sheet (kotcoach.catalogue.sheet): plain data, so that
`show` draws a cached exercise without importing pydantic or the models. The pieces the other
views share (a titled section, a bulleted list, a dose, cautions, sources) are here too."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from rich.console import Group, RenderableType
from rich.padding import Padding
from rich.table import Table
from rich.text import Text

from kotcoach.base.vocab import EvidenceBasis, Goal
from kotcoach.catalogue.sheet import CautionLine, Sheet
from kotcoach.render import joined, level_text, safe


def exercise_view(sheet: Sheet, conditions: Sequence[str] = ()) -> RenderableType:
    """One exercise in full: ladder, dose, setup, cues, mistakes, cautions, evidence."""
    parts: list[RenderableType] = []
    heading = safe(sheet.name, "bold")
    heading.append("  ")
    heading.append_text(level_text(sheet.level))
    parts += [heading, ladder_line(sheet), Text()]
    if sheet.dose:
        parts.append(section("Dose", dose_text(sheet.dose, sheet.dose_details)))
    if sheet.setup:
        parts.append(section("Setup", safe(sheet.setup)))
    parts.append(section("Cues", bullets(sheet.cues, numbered=True)))
    if sheet.mistakes:
        parts.append(section("Common mistakes", bullets(sheet.mistakes)))
    facts = Table.grid(padding=(0, 2))
    facts.add_column(style="dim", no_wrap=True)
    facts.add_column(overflow="fold")
    facts.add_row("Areas", joined(sheet.areas))
    facts.add_row("Equipment", joined(sheet.equipment) if sheet.equipment else "none")
    facts.add_row("Goals", joined(Goal(g).help for g in sheet.goals))
    parts.append(section("Trains", facts))
    if sheet.purpose:
        parts.append(section("Why", safe(sheet.purpose)))
    if sheet.entry_gate:
        parts.append(section("Who is ready", safe(sheet.entry_gate)))
    cautions = [c for c in sheet.cautions if not conditions or c.condition in conditions]
    if cautions:
        parts.append(section("Cautions", caution_list(cautions)))
    if sheet.evidence:
        evidence = Text(EvidenceBasis(sheet.evidence.basis).help, style="italic")
        evidence.append("\n")
        evidence.append_text(safe(sheet.evidence.summary))
        parts.append(section("Evidence", Group(evidence, sources(sheet.evidence.sources))))
    return Group(*parts)


def ladder_line(sheet: Sheet) -> Text:
    """easier <- this -> harder, with the step number."""
    line = Text()
    line.append_text(safe(sheet.easier, "dim") if sheet.easier else Text("(first step)", "dim"))
    line.append(" ← ")
    line.append_text(safe(sheet.id, "bold cyan"))
    line.append(" → ")
    line.append_text(
        safe(sheet.harder, "dim") if sheet.harder else Text("(top of the ladder)", "dim")
    )
    line.append(f"   step {sheet.step} of {sheet.steps}", "dim")
    return line


def dose_text(described: str, details: str) -> Text:
    """'3 × 15 per side' in bold, then tempo, rest and notes, dimmed."""
    text = Text(described, style="bold")
    if details:
        text.append("  ")
        text.append_text(safe(details, "dim"))
    return text


def section(title: str, body: RenderableType) -> Group:
    return Group(Text(title, style="bold"), Padding(body, (0, 0, 1, 2), expand=False))


def bullets(items: Iterable[str], numbered: bool = False) -> Table:
    """A list whose wrapped lines stay aligned under their text, not under the marker."""
    grid = Table.grid(padding=(0, 1))
    grid.add_column(style="dim", no_wrap=True)
    grid.add_column(overflow="fold")
    for number, item in enumerate(items, start=1):
        grid.add_row(f"{number}." if numbered else "•", safe(item))
    return grid


def caution_list(cautions: Iterable[CautionLine]) -> Group:
    """Each caution: the condition and what to watch, then the change to make, indented."""
    parts: list[RenderableType] = []
    for caution in cautions:
        head = safe(caution.name, "bold yellow")
        head.append(": ")
        head.append_text(safe(caution.note))
        change = safe(caution.modification)
        if caution.substitute:
            change.append(" Instead: ")
            change.append_text(safe(caution.substitute, "cyan"))
        grid = Table.grid(padding=(0, 1))
        grid.add_column(no_wrap=True)
        grid.add_column(overflow="fold")
        grid.add_row("→", change)
        parts += [head, Padding(grid, (0, 0, 0, 2))]
    return Group(*parts)


def sources(pairs: Iterable[tuple[str, str]]) -> Text:
    """Each source as '[key] citation', a line each, dimmed."""
    text = Text(style="dim")
    for key, citation in pairs:
        if text:
            text.append("\n")
        text.append("[" + key + "] ")
        text.append_text(safe(citation))
    return text
