"""A condition's protocol and stages as plain records, from the models or from the cache's JSON.

The planner, the coach and `today` read these (kotcoach.coaching.stages and .protocols decide with
them); the pydantic models (`catalogue.models.Protocol`, `Stage`, `StageEntry`) are what a
catalogue file is checked against. Stdlib only.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Entry:
    """What entering a stage takes: the last `sessions` sessions of the stage before done in
    full at pain during `pain_during_max`/10 or less, settled by the next morning, after `weeks`
    weeks in it, and (optional) `calf_raise_reps` single-leg calf raises on each side."""

    sessions: int
    pain_during_max: int
    settled: bool = True
    weeks: int = 0
    calf_raise_reps: int | None = None
    pain: str = ""  # the criteria in the catalogue's words, with their sources
    strength: str = ""


@dataclass(frozen=True)
class Stage:
    id: str
    name: str
    exercises: tuple[str, ...]
    entry: Entry | None = None  # None: the first stage, where everyone starts


@dataclass(frozen=True)
class Protocol:
    """A condition's primary treatment: one exercise at a dose, `per_day` rounds a day on
    `days_per_week` days."""

    exercise: str
    sets: int
    reps: int | None
    hold_seconds: int | None
    minutes: int | None
    per_side: bool
    note: str | None
    per_day: int
    days_per_week: int
    weeks: int | None
    summary: str
    references: tuple[str, ...]


def _get(item: Any, name: str, default: Any = None) -> Any:
    if isinstance(item, Mapping):
        return item.get(name, default)
    return getattr(item, name, default)


def stages_of(stages: Sequence[Any] | None) -> tuple[Stage, ...]:
    """Records from a condition's `stages`, as models or as their JSON."""
    found = []
    for stage in stages or ():
        entry = _get(stage, "entry")
        found.append(
            Stage(
                id=_get(stage, "id"),
                name=_get(stage, "name"),
                exercises=tuple(_get(stage, "exercises", ()) or ()),
                entry=None
                if entry is None
                else Entry(
                    sessions=int(_get(entry, "sessions")),
                    pain_during_max=int(_get(entry, "pain_during_max")),
                    settled=bool(_get(entry, "settled", True)),
                    weeks=int(_get(entry, "weeks", 0) or 0),
                    calf_raise_reps=_get(entry, "calf_raise_reps"),
                    pain=_get(entry, "pain", "") or "",
                    strength=_get(entry, "strength", "") or "",
                ),
            )
        )
    return tuple(found)


def protocol_of(protocol: Any) -> Protocol | None:
    """The record of a condition's `protocol`, as a model or its JSON (None: none)."""
    if protocol is None:
        return None
    dose = _get(protocol, "dose")
    return Protocol(
        exercise=_get(protocol, "exercise"),
        sets=int(_get(dose, "sets")),
        reps=_get(dose, "reps"),
        hold_seconds=_get(dose, "hold_seconds"),
        minutes=_get(dose, "minutes"),
        per_side=bool(_get(dose, "per_side", False)),
        note=_get(dose, "note"),
        per_day=int(_get(protocol, "per_day")),
        days_per_week=int(_get(protocol, "days_per_week")),
        weeks=_get(protocol, "weeks"),
        summary=_get(protocol, "summary", "") or "",
        references=tuple(_get(protocol, "references", ()) or ()),
    )


def stage_label(stages: Sequence[Stage], index: int) -> str:
    """'Stage 3: energy storage' (the catalogue's name when it already says 'Stage ...')."""
    name = stages[index].name
    return name if name.lower().startswith("stage") else f"Stage {index + 1}: {name}"


def not_yet_reason(stages: Sequence[Stage], index: int) -> str:
    """Why an exercise of stage `index` waits: 'not yet: Stage 3: energy storage, when pain
    during is 3/10 or less on your last 3 sessions of stage 2, ...'."""
    entry = stages[index].entry
    head = f"not yet: {stage_label(stages, index)}"
    if entry is None or index == 0:
        return head
    before = stage_label(stages, index - 1).split(":")[0].strip().lower()
    parts = [
        f"pain during is {entry.pain_during_max}/10 or less on your last {entry.sessions} "
        f"sessions of {before}"
        + (", each settled by the next morning" if entry.settled else "")
        + ", done in full"
    ]
    if entry.weeks:
        parts.append(f"after {entry.weeks} weeks or more of {before}")
    if entry.calf_raise_reps:
        parts.append(f"with {entry.calf_raise_reps} single-leg calf raises each side")
    return f"{head}, when " + ", ".join(parts)
