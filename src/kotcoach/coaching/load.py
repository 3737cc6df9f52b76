"""Load: the weight a loaded exercise carries, and how it moves up and down. Pure.

An exercise carries a load when the catalogue gives it a `load_step` (kg): the smallest change
the coach makes, e.g. 2 kg of dumbbell or 2.5 kg of plates. Moving up follows the ACSM position
stand on progression (Ratamess et al. 2009): add 2-10 % once the target is done, aiming at about
5 %, in whole steps. Where one step is more than 10 % of the load (light dumbbells), the reps go
up first and the step is taken once every set beats the target by 2 reps, the position stand's
"one to two repetitions over the desired number". Heavy slow resistance (Kongsgaard 2009, Beyer
2015) lowers the reps week by week (15, 12, 10, 8, 6 RM) as the load rises: the catalogue's
`rep_scheme`. A step back takes 10-20 % off the load (the issue's deload rule, kotcoach's own
numbers), aiming at 15 %.

The load is per rep: what is lifted (per hand where the catalogue says `load_per_hand`), not
counting body weight.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date
from enum import StrEnum

from kotcoach.catalogue.coach_catalog import RepPhase

UP_MIN, UP_AIM, UP_MAX = 0.02, 0.05, 0.10  # ACSM 2009: 2-10 % more load
DOWN_MIN, DOWN_AIM, DOWN_MAX = 0.10, 0.15, 0.20  # a step back: 10-20 % less load
REPS_OVER = 2  # reps over the target that earn a step bigger than 10 % (ACSM: one to two)
MAX_LOAD_KG = 500.0


class Direction(StrEnum):
    UP = "up"
    HOLD = "hold"
    DOWN = "down"


@dataclass(frozen=True)
class LoadPlan:
    """What the catalogue says of a loaded exercise: its step, whether the load is per hand,
    its dose's reps, and the rep scheme by week (empty: none)."""

    step_kg: float
    reps: int
    per_hand: bool = False
    scheme: tuple[RepPhase, ...] = ()


@dataclass(frozen=True)
class LoadDose:
    """A loaded dose: sets × reps at `load_kg` (None: not known yet)."""

    sets: int
    reps: int
    load_kg: float | None


@dataclass(frozen=True)
class LoadChange:
    dose: LoadDose
    reason: str
    change: float | None = None  # the load's change as a fraction of the last: 0.05 is 5 % more


def describe_load(load_kg: float | None, per_hand: bool = False) -> str:
    """'22.5 kg', '10 kg per hand', 'body weight' (0 kg), 'load not logged' (None)."""
    if load_kg is None:
        return "load not logged"
    if load_kg == 0:
        return "body weight"
    return f"{kg(load_kg)} kg" + (" per hand" if per_hand else "")


def kg(value: float) -> str:
    """A load as people write it: 20, 22.5, 1.25."""
    return f"{value:.2f}".rstrip("0").rstrip(".")


def percent(fraction: float) -> str:
    return f"{round(abs(fraction) * 100)} %"


def week_of(first: date, on: date) -> int:
    """The week of a scheme `on` falls in, counting from 1 on the exercise's first day."""
    return max(0, (on - first).days) // 7 + 1


def phase_for(scheme: Sequence[RepPhase], week: int) -> RepPhase | None:
    """The scheme's phase for a week (the last phase once the scheme has run out), or None."""
    if not scheme:
        return None
    end = 0
    for phase in scheme:
        end += phase.weeks
        if week <= end:
            return phase
    return scheme[-1]


def _steps(load: float, step: float, low: float, aim: float, high: float) -> int:
    """The whole number of steps (at least 1) whose share of `load` is nearest `aim` within
    [low, high]; when no number fits, the one nearest the range."""
    best, best_cost = 1, float("inf")
    for count in range(1, int(load * high / step) + 2):
        share = count * step / load
        cost = abs(share - aim) + (0 if low <= share <= high else 1 + abs(share - high))
        if cost < best_cost:
            best, best_cost = count, cost
    return best


def next_load(
    direction: Direction,
    last: LoadDose,
    plan: LoadPlan,
    done: Sequence[int] = (),
    week: int = 1,
) -> LoadChange:
    """The next loaded dose after `last`, for an up, hold or down the coach decided.

    `done` is what each set reached last time (reps), `week` the week of the exercise's rep
    scheme. Up: with a scheme whose phase for `week` has fewer reps, that phase's sets × reps
    at 2-10 % more load; else 2-10 % more load at the target reps, or, where one step is more
    than 10 %, one more rep a set until every set beats the target by 2, then the step. Down:
    10-20 % less load at the same sets × reps. Hold: the same. A load not logged yet (None)
    cannot be moved: the reason says what to pick.
    """
    step, hand = plan.step_kg, plan.per_hand
    load = last.load_kg
    if direction is Direction.HOLD:
        return LoadChange(last, f"{describe_load(load, hand)}, as last time", 0.0)
    if direction is Direction.DOWN:
        return _down(last, step, hand)
    phase = phase_for(plan.scheme, week)
    target = phase.reps if phase is not None else plan.reps
    if phase is not None and phase.reps < last.reps:
        dose = LoadDose(phase.sets, phase.reps, None)
        scheme = f"week {week} of the rep scheme: {phase.sets} × {phase.reps}"
        if load is None:
            why = f"{scheme}; pick a load you can lift {phase.reps} times, no more, and log it"
            return LoadChange(dose, why)
        return _heavier(replace(dose, load_kg=load), step, hand, f"{scheme}, heavier")
    if load is None:
        why = (
            f"log the load you lift (--load KG) and the coach adds 2-10 % from there; pick one "
            f"you can lift {target} times with good form"
        )
        return LoadChange(last, why)
    if load == 0:
        new = replace(last, load_kg=step)
        return LoadChange(new, f"first load: {describe_load(step, hand)}, one step")
    if step / load > UP_MAX:
        share = percent(step / load)
        if done and min(done) >= target + REPS_OVER and len(done) >= last.sets:
            new = replace(last, reps=target, load_kg=round(load + step, 2))
            why = (
                f"{describe_load(new.load_kg, hand)} (+{kg(step)} kg, {share}) at "
                f"{new.sets} × {target}: every set beat the target by {REPS_OVER} reps, which "
                f"earns a step bigger than 10 %"
            )
            return LoadChange(new, why, step / load)
        reps = min(max(last.reps, target) + 1, target + REPS_OVER)
        new = replace(last, reps=reps)
        why = (
            f"{describe_load(load, hand)} at {new.sets} × {reps}: one step (+{kg(step)} kg) "
            f"would be {share}, over the 2-10 % a step should add, so one more rep a set first; "
            f"{REPS_OVER} reps over the target earn the step"
        )
        return LoadChange(new, why, 0.0)
    return _heavier(replace(last, reps=target), step, hand, f"{last.sets} × {target}")


def _heavier(dose: LoadDose, step: float, hand: bool, what: str) -> LoadChange:
    load = dose.load_kg or 0.0
    added = _steps(load, step, UP_MIN, UP_AIM, UP_MAX) * step
    new = replace(dose, load_kg=round(min(MAX_LOAD_KG, load + added), 2))
    share = added / load
    why = f"{describe_load(new.load_kg, hand)} (+{kg(added)} kg, {percent(share)}), {what}"
    return LoadChange(new, why, share)


def _down(last: LoadDose, step: float, hand: bool) -> LoadChange:
    load = last.load_kg
    if load is None:
        why = "take 10-20 % off the load you used last time, and log it (--load KG)"
        return LoadChange(last, why)
    if load == 0:
        return LoadChange(last, "no load to take off: body weight only")
    cut = min(load, _steps(load, step, DOWN_MIN, DOWN_AIM, DOWN_MAX) * step)
    new = replace(last, load_kg=round(load - cut, 2))
    why = f"{describe_load(new.load_kg, hand)} (-{kg(cut)} kg, {percent(cut / load)} less)"
    return LoadChange(new, why, -cut / load)


@dataclass(frozen=True)
class LoadSeries:
    """One exercise's load over time, for `progress` and the report."""

    exercise_id: str
    points: tuple[tuple[date, float], ...]  # (day, kg per rep) where a load was logged

    @property
    def first(self) -> float:
        return self.points[0][1]

    @property
    def last(self) -> float:
        return self.points[-1][1]


def load_series(logs: Sequence[tuple[date, str, float | None]]) -> list[LoadSeries]:
    """Each exercise's logged loads (day, exercise id, kg; None: not logged), oldest first, in
    the order each exercise was first loaded; one point a day, the day's last."""
    by_exercise: dict[str, dict[date, float]] = {}
    for day, exercise, load_kg in sorted(logs, key=lambda log: log[0]):
        if load_kg is not None:
            by_exercise.setdefault(exercise, {})[day] = load_kg
    return [
        LoadSeries(exercise, tuple(sorted(days.items()))) for exercise, days in by_exercise.items()
    ]
