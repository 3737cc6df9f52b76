"""Progress from the training log: the coach's records made from the store's, and the weekly
figures, ladder steps, assessments and step-backs that `progress` and the report show.

Pure: store records in, plain data out. Stdlib and the domain only (no typer, rich, sqlite).
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from kotcoach.base.vocab import Area, Equipment
from kotcoach.coaching.coach import (
    CheckIn,
    Decision,
    Kind,
    Logged,
    Mornings,
    Person,
    Prescription,
    Unit,
    Volume,
    decide,
    referral_text,
    referrals,
    replay_steps_back,
)
from kotcoach.store.records import (
    Amount,
    Assessment,
    Checkin,
    EntryLog,
    ExerciseLog,
    PlannedExercise,
    Programme,
    Status,
    Target,
)

if TYPE_CHECKING:
    from kotcoach.catalogue.ladders import Index
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


def checkins_of(checkins: Iterable[Checkin]) -> list[CheckIn]:
    areas = {area.value: area for area in Area}
    return [CheckIn(c.date, areas[c.area], c.pain) for c in checkins if c.area in areas]


def person_of(
    programme: Programme | None,
    conditions: Sequence[str] = (),
    equipment: Sequence[str] | None = None,
    pain_now: Mapping[Area, int] | None = None,
) -> Person:
    """The person the coach decides for: the programme's conditions and equipment (what the
    plan was made for), else the profile's; pain now from this morning's check-in."""
    request = programme.request if programme is not None else {}
    chosen_conditions = tuple(request.get("conditions") or conditions)
    kit = request.get("equipment", equipment)
    known = {e.value: e for e in Equipment}
    return Person(
        conditions=chosen_conditions,
        pain_now=dict(pain_now or {}),
        equipment=None if kit is None else frozenset(known[k] for k in kit if k in known),
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
    )


# --- progress ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Week:
    start: date  # the Monday
    pain_during: float | None  # the average over the exercises logged that week
    mornings: dict[Area, float]  # the average next-morning pain per area
    done: int  # days trained
    planned: int | None


@dataclass(frozen=True)
class LadderSteps:
    first_id: str
    name: str
    steps: tuple[str, ...]
    points: tuple[tuple[date, int], ...]  # (day, 1-based step) each time it changed

    @property
    def reached(self) -> int:
        return max((step for _, step in self.points), default=0)

    @property
    def current(self) -> int:
        return self.points[-1][1] if self.points else 0


@dataclass(frozen=True)
class Event:
    """A step back or a stop, as the coach gave it that morning."""

    day: date
    exercise_id: str
    kind: Kind
    reason: str


@dataclass(frozen=True)
class Progress:
    first: date | None
    last: date | None
    weeks: tuple[Week, ...]
    ladders: tuple[LadderSteps, ...]
    assessments: dict[str, tuple[Assessment, ...]]
    events: tuple[Event, ...]
    referral: str | None
    area: Area | None = None
    days_done: int = 0
    days_planned: int | None = None
    areas: tuple[Area, ...] = field(default=())

    @property
    def adherence(self) -> float | None:
        if not self.days_planned:
            return None
        return min(1.0, self.days_done / self.days_planned)

    @property
    def days_trained(self) -> str:
        """'1 day', or '12 days of 15 planned (80 %)': the terminal and the report both say it."""
        text = f"{self.days_done} {'day' if self.days_done == 1 else 'days'}"
        if self.days_planned:
            share = round(100 * (self.adherence or 0))
            text += f" of {self.days_planned} planned ({share} %)"
        return text


def monday(day: date) -> date:
    return day - timedelta(days=day.weekday())


def build_progress(
    index: Index,
    logs: Sequence[EntryLog],
    checkins: Sequence[Checkin],
    assessments: Sequence[Assessment],
    programme: Programme | None,
    person: Person,
    today: date,
    area: Area | None = None,
) -> Progress:
    """Everything `progress` shows, from the whole log, as of `today`. With `area`, only the
    exercises that load it and its check-ins."""
    known = [log for log in logs if log.exercise in index.by_id]
    # Days trained count what was logged, whatever the catalogue in use knows of it; only the
    # ladders (and an area's filter) need the catalogue's exercises.
    counted = list(logs)
    if area is not None:
        known = [log for log in known if area in index.by_id[log.exercise].areas]
        counted = known
    sessions = [s for s in (logged_of(log) for log in known) if s is not None]
    morning_records = checkins_of(checkins)
    if area is not None:
        morning_records = [c for c in morning_records if c.area is area]
    mornings = Mornings(morning_records)
    dates = [log.date for log in counted] + [c.day for c in morning_records]
    first = min(dates, default=None)
    last = max(dates, default=None)
    per_week = _planned_per_week(programme)
    weeks = _weeks(counted, morning_records, first, today, per_week) if first else ()
    days_done = len({log.date for log in counted if log.done})
    days_planned = sum(w.planned or 0 for w in weeks) if per_week else None
    ladders, events = _ladders_and_events(index, sessions, mornings, person, programme, today)
    found = referrals(mornings, person, today)
    if area is not None:
        found = [r for r in found if r.area is area]
    tests: dict[str, list[Assessment]] = {}
    for result in assessments:
        tests.setdefault(result.test, []).append(result)
    return Progress(
        first=first,
        last=last,
        weeks=tuple(weeks),
        ladders=tuple(ladders),
        assessments={test: tuple(results) for test, results in tests.items()},
        events=tuple(events),
        referral=referral_text(found),
        area=area,
        days_done=days_done,
        days_planned=days_planned,
        areas=tuple(a for a in Area if a in mornings.areas),
    )


def _planned_per_week(programme: Programme | None) -> int | None:
    if programme is None or not programme.sessions:
        return None
    last_week = programme.sessions[-1].week
    return sum(1 for s in programme.sessions if s.week == last_week)


def _weeks(
    logs: Sequence[EntryLog],
    morning_records: Sequence[CheckIn],
    first: date,
    today: date,
    per_week: int | None,
) -> list[Week]:
    during: dict[date, list[int]] = {}
    trained: dict[date, set[date]] = {}
    mondays: dict[date, date] = {}  # years of log: a dozen entries a day
    for log in logs:
        week = mondays.get(log.date)
        if week is None:
            week = mondays[log.date] = monday(log.date)
        if log.pain_during is not None:
            during.setdefault(week, []).append(log.pain_during)
        if log.done:
            trained.setdefault(week, set()).add(log.date)
    morning: dict[date, dict[Area, list[int]]] = {}
    for record in morning_records:
        morning.setdefault(monday(record.day), {}).setdefault(record.area, []).append(record.pain)
    weeks = []
    start = monday(first)
    end = monday(max(today, first))
    while start <= end:
        scores = during.get(start)
        weeks.append(
            Week(
                start=start,
                pain_during=sum(scores) / len(scores) if scores else None,
                mornings={a: sum(v) / len(v) for a, v in morning.get(start, {}).items()},
                done=len(trained.get(start, ())),
                planned=per_week,
            )
        )
        start += timedelta(days=7)
    return weeks


def _ladders_and_events(
    index: Index,
    sessions: Sequence[Logged],
    mornings: Mornings,
    person: Person,
    programme: Programme | None,
    today: date,
) -> tuple[list[LadderSteps], list[Event]]:
    by_ladder: dict[str, list[Logged]] = {}
    firsts: dict[str, str] = {}
    for session in sessions:
        exercise = session.exercise_id
        if exercise not in firsts:
            firsts[exercise] = index.ladder_of(exercise).first.id
        by_ladder.setdefault(firsts[exercise], []).append(session)
    ladders, events = [], []
    for first_id in by_ladder:  # in the order first trained
        ladder = index.ladder_of(first_id)
        ids = tuple(step.id for step in ladder.steps)
        mine = sorted(by_ladder[first_id], key=lambda s: s.day)
        points: list[tuple[date, int]] = []
        for session in mine:
            step = ids.index(session.exercise_id) + 1
            if not points or points[-1][1] != step:
                points.append((session.day, step))
        ladders.append(LadderSteps(first_id, ladder.first.name, ids, tuple(points)))
        planned = programme_prescription(index, programme, first_id)
        steps_back, days = replay_steps_back(
            index, first_id, mine, mornings, person, planned, morning_is_pain_now=True
        )
        stop_at = -2  # the position of the last stop: a run of stops is one event, its first day
        for position, day, decision in steps_back:
            if decision.kind is Kind.DOWN or position != stop_at + 1:
                events.append(Event(day, decision.exercise_id, decision.kind, decision.reason))
            if decision.kind is Kind.STOP:
                stop_at = position
        stopped = stop_at == days - 1
        # What the coach says now, after the last session, counts too.
        now = replace(person, pain_now={**person.pain_now, **mornings.day(today)})
        decision = decide(index, first_id, mine, mornings, now, planned, today)
        if decision.kind is Kind.DOWN or (decision.kind is Kind.STOP and not stopped):
            events.append(Event(today, decision.exercise_id, decision.kind, decision.reason))
    events.sort(key=lambda e: e.day)
    return ladders, events


# --- assessments ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Test:
    """A test a person can do at home to see a benefit change: how, and what the numbers mean."""

    id: str
    name: str
    unit: str
    sided: bool
    high: float  # the largest believable value
    how: str
    meaning: str


TESTS: dict[str, Test] = {
    test.id: test
    for test in (
        Test(
            "knee-to-wall",
            "Knee to wall (ankle bend)",
            "cm",
            True,
            30,
            "Face a wall barefoot, one foot in front pointing at it. Keep the heel down and bend "
            "the knee until it touches the wall. Slide the foot back until the knee only just "
            "touches with the heel still down, and measure from the big toe to the wall. Each "
            "side.",
            "More centimetres means the ankle bends further (more dorsiflexion), which lets the "
            "knee travel over the toes with the heel down. Compare with your own earlier "
            "results and left with right; a side that stays clearly behind is worth working on.",
        ),
        Test(
            "calf-raise",
            "Single-leg calf raise to fatigue",
            "reps",
            True,
            200,
            "Stand on one leg on flat ground, fingertips on a wall for balance only. Rise onto "
            "the ball of the foot as high as you can and lower, about one second each way. "
            "Count the reps until you can no longer rise fully. Each side.",
            "More reps means more calf endurance. Compare with your own earlier results and "
            "left with right; the side with fewer reps is the one to build up.",
        ),
        Test(
            "tib-raise",
            "Tibialis raise to fatigue",
            "reps",
            False,
            300,
            "Lean your back on a wall with the heels about a foot's length out, legs straight. "
            "Lift the toes and the front of the feet towards the shins as far as they go, and "
            "lower. Count the reps until the range starts to shrink.",
            "More reps means more endurance in the muscles at the front of the shin. Compare "
            "with your own earlier results.",
        ),
    )
}


def check_result(test: Test, value: float, side: str | None = None) -> float:
    """A believable result, or a UsageError naming it (exit 2)."""
    from kotcoach.base.errors import UsageError

    where = f"--{side}" if side else test.id
    if not 0 <= value <= test.high:
        raise UsageError(f"{where} must be 0 to {test.high:g} {test.unit}, not {value:g}")
    return round(value, 1)
