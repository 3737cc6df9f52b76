"""The coach's facts from the store's records: a logged exercise, a check-in, the person, a
programme's prescription, as `kotcoach.coaching.coach` reads them.

Apart from `kotcoach.coaching.progress` (the report's figures), so that `today` and `next`,
which read these every morning, never import the report.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from kotcoach.base.vocab import Area, Equipment, Level
from kotcoach.catalogue.renamed import current_conditions
from kotcoach.coaching.coach import (
    Decision,
    Logged,
    Person,
    Prescription,
    Unit,
    Volume,
)
from kotcoach.coaching.gates import OLDER_AGE
from kotcoach.store.records import (
    Amount,
    EntryLog,
    ExerciseLog,
    PlannedExercise,
    Programme,
    Status,
    Target,
)

if TYPE_CHECKING:
    from kotcoach.coaching.coach import Index as Catalogue


# --- the coach's records from the store's ------------------------------------------------------


def _amount(amount: Amount) -> tuple[int, Unit]:
    if amount.reps is not None:
        return amount.reps, Unit.REPS
    if amount.hold_seconds is not None:
        return amount.hold_seconds, Unit.SECONDS
    return amount.minutes or 1, Unit.MINUTES


def volume_of(target: Target) -> Volume:
    amount, unit = _amount(target.amount)
    return Volume(target.sets, amount, unit, target.per_side)


def target_of(volume: Volume) -> Target:
    amount = {
        Unit.REPS: Amount(reps=volume.amount),
        Unit.SECONDS: Amount(hold_seconds=volume.amount),
        Unit.MINUTES: Amount(minutes=volume.amount),
    }[volume.unit]
    return Target(volume.sets, amount, volume.per_side)


def dose_detail(volume: Volume, rest_seconds: int | None = None) -> dict[str, Any]:
    """The dose as `today --json` and `next --json` give it: the planner's fields, those without
    a value left out."""
    measure = {Unit.REPS: "reps", Unit.SECONDS: "hold_seconds", Unit.MINUTES: "minutes"}
    detail: dict[str, Any] = {"sets": volume.sets, measure[volume.unit]: volume.amount}
    detail["per_side"] = volume.per_side
    if volume.load_kg is not None:
        detail["load_kg"] = volume.load_kg
    if rest_seconds is not None:
        detail["rest_seconds"] = rest_seconds
    return detail


def entry_of(log: ExerciseLog) -> EntryLog:
    """An `ExerciseLog` as `progress` reads one: each set reduced to its amount."""
    first = _amount(log.sets[0].amount)[1] if log.sets else None
    return EntryLog(
        log.date,
        log.exercise,
        log.target,
        tuple(_amount(one.amount)[0] for one in log.sets),
        None if first is None else _MEASURES[first],
        log.pain_during,
        log.status,
        log.load_kg,
    )


_MEASURES = {Unit.REPS: "reps", Unit.SECONDS: "hold_seconds", Unit.MINUTES: "minutes"}
_UNITS = {measure: unit for unit, measure in _MEASURES.items()}


def logged_of(log: ExerciseLog | EntryLog) -> Logged | None:
    """A logged exercise as the coach reads it; None when nothing was done on purpose (skipped,
    or begun with no set): a skipped exercise is not a session of it."""
    entry = log if isinstance(log, EntryLog) else entry_of(log)
    done = entry.done
    if not done and entry.status is not Status.STOPPED:
        return None
    if entry.target is not None:
        target = _volume_of(entry.target)
    else:  # logged outside a programme with no catalogue dose: what was done is the target
        unit = _UNITS[entry.measure] if entry.measure else Unit.REPS
        target = Volume(max(1, len(done)), min(done, default=1), unit)
    return Logged(entry.date, entry.exercise, target, done, entry.pain_during)


_volume_of = functools.lru_cache(maxsize=1024)(volume_of)  # years of log share a few targets


def person_of(
    programme: Programme | None,
    conditions: Sequence[str] = (),
    equipment: Sequence[str] | None = None,
    pain_now: Mapping[Area, int] | None = None,
    age: int | None = None,
    fell_last_year: bool = False,
    level: str | None = None,
) -> Person:
    """The person the coach decides for: the programme's conditions and equipment (what the
    plan was made for), else the profile's; pain now from this morning's check-in."""
    request = programme.request if programme is not None else {}
    chosen_conditions = current_conditions(request.get("conditions") or conditions)[0]
    kit = request.get("equipment", equipment)
    known = {e.value: e for e in Equipment}
    level = request.get("level", level)
    age = request.get("age", age)
    fell = bool(request.get("fell_last_year", fell_last_year))
    fall_risk = "a fall in the last year" if fell else None
    if fall_risk is None and isinstance(age, int) and age >= OLDER_AGE:
        fall_risk = f"age {age}"
    return Person(
        conditions=chosen_conditions,
        pain_now=dict(pain_now or {}),
        equipment=None if kit is None else frozenset(known[k] for k in kit if k in known),
        level=Level(level) if level in {lv.value for lv in Level} else None,
        fall_risk=fall_risk,
    )


def programme_prescription(
    index: Catalogue, programme: Programme | None, exercise_id: str
) -> Prescription | None:
    """The programme's first prescription on the ladder `exercise_id` is on, if it has one."""
    if programme is None:
        return None
    on_ladder = {step.id for step in index.ladder_of(exercise_id).steps}
    for session in programme.sessions:
        for planned in session.exercises:
            if planned.id in on_ladder:
                return Prescription(planned.id, volume_of(planned.target))
    return None


def coached_exercise(
    index: Catalogue, planned: PlannedExercise, decision: Decision
) -> PlannedExercise | None:
    """A programme exercise with the coach's step and dose; None when it is left out."""
    if decision.dose is None:
        return None
    if decision.exercise_id == planned.id and volume_of(planned.target) == decision.dose:
        return planned
    step = index.exercise(decision.exercise_id)
    rest = planned.dose_detail.get("rest_seconds") if step.id == planned.id else None
    if rest is None and step.dose is not None:
        rest = step.dose.rest_seconds
    return PlannedExercise(
        id=step.id,
        name=step.name,
        dose=decision.dose.describe(),
        dose_detail=dose_detail(decision.dose, rest),
        key_cue=step.cues[0],
        warm_up=planned.warm_up,
        # The plan's changes and cautions hold for its own step at another dose, not another step.
        changes=planned.changes if step.id == planned.id else (),
        cautions=planned.cautions if step.id == planned.id else (),
    )
