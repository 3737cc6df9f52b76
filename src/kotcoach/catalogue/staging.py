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


# The cache stores some models as the list of their fields' values, in the model's order
# (`catalogue.cached_index.encode`); a test holds these to `catalogue.models`.
DOSE_FIELDS = (
    "sets", "reps", "hold_seconds", "minutes", "per_side", "tempo", "rest_seconds", "note",
)  # fmt: skip
PROTOCOL_FIELDS = (
    "exercise", "dose", "per_day", "days_per_week", "weeks", "summary", "references",
)  # fmt: skip
STAGE_FIELDS = ("id", "name", "summary", "exercises", "entry", "references")
ENTRY_FIELDS = (
    "sessions", "pain_during_max", "settled", "weeks", "calf_raise_reps", "pain",
    "pain_references", "strength", "strength_references",
)  # fmt: skip
_FIELDS = {
    "dose": DOSE_FIELDS,
    "protocol": PROTOCOL_FIELDS,
    "stage": STAGE_FIELDS,
    "entry": ENTRY_FIELDS,
}


def _get(item: Any, name: str, default: Any = None, kind: str = "") -> Any:
    """A field of a model, of its JSON, or of the list of its values as the cache stores it."""
    if isinstance(item, list):
        item = dict(zip(_FIELDS[kind], item, strict=False))
    if isinstance(item, Mapping):
        found = item.get(name, default)
        return default if found is None else found
    return getattr(item, name, default)


def stages_of(stages: Sequence[Any] | None) -> tuple[Stage, ...]:
    """Records from a condition's `stages`, as models or as their JSON."""
    found = []
    for stage in stages or ():
        if isinstance(stage, Stage):
            found.append(stage)
            continue
        entry = _get(stage, "entry", kind="stage")
        found.append(
            Stage(
                id=_get(stage, "id", kind="stage"),
                name=_get(stage, "name", kind="stage"),
                exercises=tuple(_get(stage, "exercises", (), "stage")),
                entry=None
                if entry is None
                else Entry(
                    sessions=int(_get(entry, "sessions", kind="entry")),
                    pain_during_max=int(_get(entry, "pain_during_max", kind="entry")),
                    settled=bool(_get(entry, "settled", True, "entry")),
                    weeks=int(_get(entry, "weeks", 0, "entry")),
                    calf_raise_reps=_get(entry, "calf_raise_reps", kind="entry"),
                    pain=_get(entry, "pain", "", "entry"),
                    strength=_get(entry, "strength", "", "entry"),
                ),
            )
        )
    return tuple(found)


def protocol_of(protocol: Any) -> Protocol | None:
    """The record of a condition's `protocol`, as a model or its JSON (None: none)."""
    if protocol is None or isinstance(protocol, Protocol):
        return protocol
    dose = _get(protocol, "dose", kind="protocol")
    return Protocol(
        exercise=_get(protocol, "exercise", kind="protocol"),
        sets=int(_get(dose, "sets", kind="dose")),
        reps=_get(dose, "reps", kind="dose"),
        hold_seconds=_get(dose, "hold_seconds", kind="dose"),
        minutes=_get(dose, "minutes", kind="dose"),
        per_side=bool(_get(dose, "per_side", False, "dose")),
        note=_get(dose, "note", kind="dose"),
        per_day=int(_get(protocol, "per_day", kind="protocol")),
        days_per_week=int(_get(protocol, "days_per_week", kind="protocol")),
        weeks=_get(protocol, "weeks", kind="protocol"),
        summary=_get(protocol, "summary", "", "protocol"),
        references=tuple(_get(protocol, "references", (), "protocol")),
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
