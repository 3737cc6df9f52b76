"""The coach's decision with the load: for an exercise that carries one, the load moves instead
of the reps. Pure.

`kotcoach.coaching.coach` decides up, hold, down or stop from pain and the log, as for any
exercise; this turns that decision into a loaded dose with `next_load`: an up on the same step
adds 2-10 % load (the reps follow the catalogue's rep scheme, where it has one), a down on the same
step takes 10-20 % off at the last sets × reps, anything else keeps the last load. A new step
starts without a load: the person picks one and logs it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date
from typing import TYPE_CHECKING

from kotcoach.catalogue.coach_catalog import RepPhase
from kotcoach.coaching.coach import Decision, Kind, Unit, Volume
from kotcoach.coaching.load import (
    Direction,
    LoadChange,
    LoadDose,
    LoadPlan,
    next_load,
    week_of,
)
from kotcoach.store.records import ExerciseLog

if TYPE_CHECKING:
    from kotcoach.coaching.coach import Exercise


@dataclass(frozen=True)
class LoadLog:
    """One logged session of a loaded exercise: its day, the reps of each set, the target's
    sets × reps, and the load (kg per rep; None: not logged)."""

    day: date
    done: tuple[int, ...]
    sets: int
    reps: int
    load_kg: float | None


def plan_of(step: Exercise) -> LoadPlan | None:
    """What the catalogue says of a step's load, or None when it carries none."""
    if step.load_step is None:
        return None
    dose = step.dose
    reps = dose.reps if dose is not None and dose.reps is not None else 10
    scheme = step.rep_scheme
    phases = tuple(RepPhase(p.weeks, p.sets, p.reps) for p in scheme.phases) if scheme else ()
    return LoadPlan(float(step.load_step), reps, step.load_per_hand, phases)


def with_load(
    decision: Decision, step: Exercise, logs: Sequence[LoadLog], on: date
) -> tuple[Decision, LoadChange | None]:
    """The decision with its loaded dose and the load's reason; (decision, None) for a step that
    carries no load, a dose not in reps, or a decision that leaves the exercise out."""
    plan = plan_of(step)
    dose = decision.dose
    if plan is None or dose is None or dose.unit is not Unit.REPS:
        return decision, None
    mine = sorted(logs, key=lambda log: log.day)
    loaded = [log for log in mine if log.load_kg is not None]
    last = mine[-1] if mine else None
    week = week_of(mine[0].day, on) if mine else 1
    same_step = decision.was is not None and decision.was.exercise_id == decision.exercise_id
    if last is None or not same_step:
        first = plan.scheme[0] if plan.scheme else None
        sets, reps = (first.sets, first.reps) if first else (dose.sets, dose.amount)
        why = f"pick a load you can lift {reps} times with good form, and log it (--load KG)"
        change = LoadChange(LoadDose(sets, reps, None), why)
        return _apply(decision, change), change
    base = LoadDose(last.sets, last.reps, loaded[-1].load_kg if loaded else None)
    direction = {Kind.UP: Direction.UP, Kind.DOWN: Direction.DOWN}.get(decision.kind)
    if base.load_kg is None or (base.load_kg == 0 and direction is not Direction.UP):
        # No load to move (none logged, or body weight only): the coach's own change to the
        # volume stands, so that a down still lowers the dose.
        why = (
            "log the load you lift (--load KG) and the coach will move it from there"
            if base.load_kg is None
            else "body weight only so far"
        )
        held = decision
        if direction is Direction.UP and decision.dose == _volume(base, dose.per_side):
            held = replace(decision, kind=Kind.HOLD)  # nothing to move: an up that changes nothing
        return replace(held, reason=f"{decision.reason}; load: {why}"), LoadChange(base, why)
    if direction is None:
        # A hold keeps the load at what the coach kept of the volume: after reps fell short,
        # the reps done per set (kotcoach.coaching.coach), not the target that was missed.
        kept = LoadDose(dose.sets, min(base.reps, dose.amount), base.load_kg)
        change = next_load(Direction.HOLD, kept, plan)
    else:
        change = next_load(direction, base, plan, last.done, week)
    applied = _apply(decision, change)
    if direction is Direction.UP and change.dose == base:
        applied = replace(applied, kind=Kind.HOLD)
    return applied, change


def _volume(dose: LoadDose, per_side: bool) -> Volume:
    return Volume(dose.sets, dose.reps, Unit.REPS, per_side)


def _apply(decision: Decision, change: LoadChange) -> Decision:
    assert decision.dose is not None
    volume = _volume(change.dose, decision.dose.per_side)
    # The coach's reason opens with the dose it chose ("3 × 6, was 4 × 6: why"); the load's
    # reason takes that place, so the reason names the dose that is given.
    label, sep, why = decision.reason.partition(": ")
    reason = f"{change.reason}: {why}" if sep else f"{label}; {change.reason}"
    return replace(decision, dose=volume, reason=reason)


def load_logs(logs: Sequence[ExerciseLog]) -> list[LoadLog]:
    """The store's logs of one exercise as `with_load` reads them (sets in reps only)."""
    found = []
    for log in logs:
        done = tuple(s.amount.reps for s in log.sets if s.amount.reps is not None)
        if not done:
            continue
        target = log.target
        sets = target.sets if target is not None else len(done)
        reps = target.amount.reps if target is not None and target.amount.reps else max(done)
        found.append(LoadLog(log.date, done, sets, reps, log.load_kg))
    return found
