"""One exercise as `kotcoach show` draws it, as plain data: its sheet.

Everything the full view reads of an exercise and of the catalogue around it (its ladder's
neighbours, its dose as a coach writes it, the names of the conditions its cautions are for, the
citations of its sources), resolved once from the validated models (`sheet_of`). The cache keeps
each exercise's sheet in a section of its own (kotcoach.catalogue.read), so `show` reads one sheet
and draws it without importing pydantic or building a model; a sheet read back has every value's
type checked (`sheet_from_json`), and anything else is damage. Stdlib only.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any, NamedTuple

if TYPE_CHECKING:
    from kotcoach.catalogue.ladders import Index
    from kotcoach.catalogue.models import Caution, Exercise


class CautionLine(NamedTuple):
    condition: str  # the condition's id
    name: str  # its name; its id where the catalogue has no such condition
    note: str
    modification: str
    substitute: str | None


class EvidenceLines(NamedTuple):
    basis: str
    summary: str
    sources: tuple[tuple[str, str], ...]  # (key, the reference's citation, or the key alone)


class Sheet(NamedTuple):
    id: str
    name: str
    level: str
    easier: str | None  # the id of the step below on its ladder
    harder: str | None
    step: int  # 1-based, of `steps`
    steps: int
    dose: str | None  # Dose.describe()
    dose_details: str  # Dose.details(): tempo, rest, notes
    setup: str | None
    cues: tuple[str, ...]
    mistakes: tuple[str, ...]
    areas: tuple[str, ...]
    equipment: tuple[str, ...]
    goals: tuple[str, ...]
    purpose: str | None
    entry_gate: str | None
    cautions: tuple[CautionLine, ...]
    evidence: EvidenceLines | None


def sheet_of(index: Index, exercise: Exercise) -> Sheet:
    """The sheet of a validated exercise."""
    ladder = index.ladder_of(exercise.id)
    easier, harder = index.easier(exercise.id), index.harder(exercise.id)
    evidence = exercise.evidence
    return Sheet(
        id=exercise.id,
        name=exercise.name,
        level=exercise.level.value,
        easier=easier.id if easier else None,
        harder=harder.id if harder else None,
        step=ladder.position(exercise.id) + 1,
        steps=len(ladder.steps),
        dose=exercise.dose.describe() if exercise.dose else None,
        dose_details=exercise.dose.details() if exercise.dose else "",
        setup=exercise.setup,
        cues=tuple(exercise.cues),
        mistakes=tuple(exercise.mistakes),
        areas=tuple(area.value for area in exercise.areas),
        equipment=tuple(item.value for item in exercise.equipment),
        goals=tuple(goal.value for goal in exercise.goals),
        purpose=exercise.purpose,
        entry_gate=exercise.entry_gate,
        cautions=tuple(caution_line(index, caution) for caution in exercise.cautions),
        evidence=None
        if evidence is None
        else EvidenceLines(
            evidence.basis.value, evidence.summary, source_pairs(index, evidence.references)
        ),
    )


def caution_line(index: Index, caution: Caution) -> CautionLine:
    condition = index.conditions.get(caution.condition)
    return CautionLine(
        caution.condition,
        condition.name if condition else caution.condition,
        caution.note,
        caution.modification,
        caution.substitute,
    )


def source_pairs(index: Index, keys: Iterable[str]) -> tuple[tuple[str, str], ...]:
    """Each key with its reference's citation (the key again where there is no such reference)."""
    pairs = []
    for key in keys:
        reference = index.references.get(key)
        pairs.append((key, reference.citation() if reference else key))
    return tuple(pairs)


def sheet_from_json(values: Any) -> Sheet:
    """A sheet from its cached form (the JSON array of its fields); TypeError for any other."""
    if type(values) is not list or len(values) != len(Sheet._fields):
        raise TypeError("a sheet is a list of its fields")
    (ident, name, level, easier, harder, step, steps, dose, dose_details, setup, cues, mistakes,
     areas, equipment, goals, purpose, entry_gate, cautions, evidence) = values  # fmt: skip
    if not (
        _texts(ident, name, level, dose_details)
        and _optional_texts(easier, harder, dose, setup, purpose, entry_gate)
        and type(step) is int
        and type(steps) is int
        and all(_strings(v) for v in (cues, mistakes, areas, equipment, goals))
        and type(cautions) is list
    ):
        raise TypeError(f"sheet {ident!r} has a value of the wrong type")
    lines = []
    for caution in cautions:
        if type(caution) is not list or len(caution) != len(CautionLine._fields):
            raise TypeError(f"sheet {ident!r}: a caution of the wrong shape")
        if not (_texts(*caution[:4]) and _optional_texts(caution[4])):
            raise TypeError(f"sheet {ident!r}: a caution with a value of the wrong type")
        lines.append(CautionLine(*caution))
    return Sheet(
        ident, name, level, easier, harder, step, steps, dose, dose_details, setup,
        tuple(cues), tuple(mistakes), tuple(areas), tuple(equipment), tuple(goals),
        purpose, entry_gate, tuple(lines), _evidence(ident, evidence),
    )  # fmt: skip


def _evidence(ident: str, value: Any) -> EvidenceLines | None:
    if value is None:
        return None
    if type(value) is not list or len(value) != len(EvidenceLines._fields):
        raise TypeError(f"sheet {ident!r}: evidence of the wrong shape")
    basis, summary, sources = value
    if not (_texts(basis, summary) and type(sources) is list):
        raise TypeError(f"sheet {ident!r}: evidence with a value of the wrong type")
    pairs = []
    for pair in sources:
        if type(pair) is not list or len(pair) != 2 or not _texts(*pair):
            raise TypeError(f"sheet {ident!r}: a source of the wrong shape")
        pairs.append((pair[0], pair[1]))
    return EvidenceLines(basis, summary, tuple(pairs))


def _texts(*values: Any) -> bool:
    return all(type(value) is str for value in values)


def _optional_texts(*values: Any) -> bool:
    return all(value is None or type(value) is str for value in values)


def _strings(value: Any) -> bool:
    return type(value) is list and all(type(item) is str for item in value)
