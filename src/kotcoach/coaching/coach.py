"""Coaching decisions from the training log: start, up, hold, down or pause, each with its reason.

Pure and deterministic: the facts come in up front as plain data (the ladder's steps with their
doses and areas, already judged for this person's conditions and equipment; the logged sessions;
the morning check-ins; pain now), one decision comes out, and the same facts always give the same
decision. No I/O and no calls back into the catalogue: `ladder_facts` gathers what a decision
needs before it is made, and the CLI reads the store.

The rules follow the pain-monitoring model (Silbernagel et al. 2007: pain during exercise may reach
5/10, must settle by the next morning, and must not rise week to week), the ladders' move-up and
move-down criteria, and the safety bands for pain now. The exact numbers (2/10 as the edge for
moving up, a rise of 2 as a flare, a rise of 1 in a weekly mean as a rising week, the days off,
the minimum time on a step, how much a deload cuts, four weeks stuck) are kotcoach's own; the
README's table says which is which.

A decision reads a bounded window of the log: the ladder's sessions of the last `HISTORY` days,
and its last two sessions whenever they were, plus `CHECKIN_LOOKBACK` of check-ins. Anything older
cannot change it, so a caller may pass more and the decision is the same.
"""

from __future__ import annotations

import bisect
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from enum import StrEnum
from typing import TYPE_CHECKING, Protocol

from kotcoach.base.vocab import AREA_NAMED, MAX_PAIN_DURING, Area, Equipment, Level
from kotcoach.coaching.gates import MIN_TIME_RULE, OTHER_WEEKS, min_weeks_on_step

if TYPE_CHECKING:
    from kotcoach.catalogue import coach_catalog, models
    from kotcoach.catalogue.doses import DoseFields as Dose
    from kotcoach.store.records import Checkin

    # What reaches a decision: the coach's own records (the cache's entry), or the catalogue's
    # models (a cache miss, the report), which have the same fields.
    Exercise = models.Exercise | coach_catalog.Step
    ConditionLike = models.Condition | coach_catalog.Condition

    class LadderLike(Protocol):
        @property
        def steps(self) -> Sequence[Exercise]: ...
        @property
        def first(self) -> Exercise: ...
        def position(self, exercise_id: str) -> int: ...

    class Index(Protocol):
        @property
        def conditions(self) -> Mapping[str, ConditionLike]: ...
        def exercise(self, exercise_id: str) -> Exercise: ...
        def ladder_of(self, exercise_id: str) -> LadderLike: ...


_AREAS = tuple(Area)  # in body order: a tuple walks faster than the enum

# The study's limits (Silbernagel 2007) live in kotcoach.pain: 5/10 during, settled next morning.
GREEN_MAX = 2  # kotcoach's own edge: pain during (and a morning with no baseline) allowing "up"
FLARE_RISE = 2  # kotcoach's own: a next-morning rise this big over the morning before is a flare
REFER_PAIN = 6  # pain now this high, or next-morning pain this high twice in a week: refer
TREND_RISE = 1.0  # kotcoach's own: a weekly mean up this much on the week before is a rising week
BASELINE_DAYS = 7  # a check-in older than this before a session is no baseline for it
WEEK = timedelta(days=7)
TREND_WEEKS = 4  # weekly means read: a third rising week in a row needs four weeks
CHECKIN_LOOKBACK = TREND_WEEKS * WEEK  # check-ins a decision reads, back from its day
HISTORY = timedelta(days=42)  # sessions a decision reads, back from its day (plus the last two)
STUCK_DAYS = 28  # kotcoach's own: this long at one dose, holding, suggests a review
BACK_REPEAT, BACK_CUT, BACK_STEP = 7, 14, 28  # kotcoach's own: days off that change the return
OTHER_DAYS = OTHER_WEEKS * 7  # kotcoach's own: least time on a step before the next (gates)
STEP_UP_GAP = 7  # up needs its two sessions no more than this many days apart


class Kind(StrEnum):
    START = "start"
    UP = "up"
    HOLD = "hold"
    DOWN = "down"
    PAUSE = "pause"


class Unit(StrEnum):
    REPS = "reps"
    SECONDS = "seconds"
    MINUTES = "minutes"


# How much "up" adds to each set on the way to a step's full dose.
STEP_SIZE = {Unit.REPS: 2, Unit.SECONDS: 5, Unit.MINUTES: 1}


@dataclass(frozen=True, order=True)
class Volume:
    """A dose as numbers: sets of an amount (reps, seconds held, or minutes), maybe per side,
    maybe with a load in kg (per rep; filled by whoever progresses load)."""

    sets: int
    amount: int
    unit: Unit
    per_side: bool = False
    load_kg: float | None = None

    @classmethod
    def of(cls, dose: Dose) -> Volume:
        if dose.reps is not None:
            amount, unit = dose.reps, Unit.REPS
        elif dose.hold_seconds is not None:
            amount, unit = dose.hold_seconds, Unit.SECONDS
        else:
            amount, unit = dose.minutes or 1, Unit.MINUTES
        return cls(dose.sets, amount, unit, dose.per_side)

    @property
    def total(self) -> int:
        return self.sets * self.amount

    def describe(self) -> str:
        """As a coach writes it, the way `Dose.describe` does: '2 × 20', '3 × 30 s hold'."""
        if self.unit is Unit.MINUTES:
            text = f"{self.amount} min" if self.sets == 1 else f"{self.sets} × {self.amount} min"
        elif self.unit is Unit.SECONDS:
            text = f"{self.sets} × {self.amount} s hold"
        else:
            text = f"{self.sets} × {self.amount}"
        if self.load_kg is not None:
            text += f" at {self.load_kg:g} kg"
        return text + (" per side" if self.per_side else "")

    def reaches(self, other: Volume) -> bool:
        """At least `other` in sets and amount (a different unit cannot be compared: True)."""
        if self.unit is not other.unit:
            return True
        return self.sets >= other.sets and self.amount >= other.amount


@dataclass(frozen=True)
class Logged:
    """One exercise on one day: the target, what each set reached, and pain during (0-10)."""

    day: date
    exercise_id: str
    target: Volume
    done: tuple[int, ...]  # the amount reached in each set done, in order
    pain_during: int | None

    @property
    def in_full(self) -> bool:
        return sum(1 for amount in self.done if amount >= self.target.amount) >= self.target.sets

    def completed(self, to_fatigue: bool = False) -> bool:
        """Done in full; for an exercise done to fatigue, every set done counts, short or not."""
        if to_fatigue:
            return len(self.done) >= self.target.sets and min(self.done, default=0) > 0
        return self.in_full

    def done_text(self) -> str:
        did = ", ".join(str(amount) for amount in self.done) or "nothing"
        return f"did {did} of {self.target.describe()}"


@dataclass(frozen=True)
class Person:
    conditions: tuple[str, ...] = ()
    pain_now: Mapping[Area, int] = field(default_factory=dict)
    equipment: frozenset[Equipment] | None = None  # None: not known, so not checked
    condition_areas: frozenset[Area] = frozenset()  # the areas the conditions are in
    # Exercises of a stage not reached yet (kotcoach.coaching.stages), each with why it waits.
    not_yet: Mapping[str, str] = field(default_factory=dict)
    # For the gate on hops and landings (kotcoach.coaching.gates): the programme's level (None:
    # not known, taken as beginner, the safe side) and why balance needs care, if it does.
    level: Level | None = None
    fall_risk: str | None = None


@dataclass(frozen=True)
class Prescription:
    exercise_id: str
    dose: Volume


@dataclass(frozen=True)
class Decision:
    kind: Kind
    exercise_id: str
    dose: Volume | None  # None: paused, leave the exercise out for now
    reason: str
    was: Prescription | None = None  # the last target, when something is logged
    referral: str | None = None  # see a physiotherapist or doctor, and why
    stage: str | None = None  # a condition protocol's stage (filled by the protocol rules)


# --- the facts, gathered up front ----------------------------------------------------------------


@dataclass(frozen=True)
class Step:
    """One step of a ladder as a decision needs it."""

    id: str
    name: str
    areas: tuple[Area, ...]
    full: Volume  # the catalogue dose: reaching it is the criterion to move up
    min_days: int = OTHER_DAYS  # least time on this step before moving up from it
    to_fatigue: bool = False  # sets end when the range shrinks: a short set is a set done
    not_for_you: str | None = None  # why this person may not do it: a condition, equipment
    isometric: bool = False  # a still hold: kept, no more, at pain now 6+
    loaded: bool = False  # carries a load: moves up by load (kotcoach.coaching.load_coach)

    def entry(self) -> Volume:
        """Where the step starts when moved onto: its full dose with one set fewer."""
        return replace(self.full, sets=max(1, self.full.sets - 1))


@dataclass(frozen=True)
class Ladder:
    """A ladder's steps, easiest first."""

    steps: tuple[Step, ...]

    def step(self, exercise_id: str) -> Step:
        for step in self.steps:
            if step.id == exercise_id:
                return step
        raise KeyError(exercise_id)

    def position(self, exercise_id: str) -> int:
        return [step.id for step in self.steps].index(exercise_id)

    def harder(self, exercise_id: str) -> Step | None:
        at = self.position(exercise_id) + 1
        return self.steps[at] if at < len(self.steps) else None

    def ids(self) -> frozenset[str]:
        return frozenset(step.id for step in self.steps)


def full_dose(step: Exercise) -> Volume:
    """The step's catalogue dose."""
    # A catalogue may leave the dose out: the planner falls back to the ACSM novice 2 x 10.
    return Volume.of(step.dose) if step.dose is not None else Volume(2, 10, Unit.REPS)


def not_for(index: Index, person: Person, step: Exercise) -> str | None:
    """Why a person may not do this step whatever their pain: a condition avoids it or its caution
    swaps it out, or it needs equipment they lack, or its stage is not reached yet
    (kotcoach.coaching.stages). None when they may."""
    if step.id in person.not_yet:
        return person.not_yet[step.id]
    if step.plyometric:
        from kotcoach.coaching.gates import plyometric_block

        keeping_out = []
        for condition_id in person.conditions:
            found = index.conditions.get(condition_id)
            if found is not None and found.no_plyometrics:
                keeping_out.append((found.name.split(" (")[0].lower(), found.no_plyometrics))
        blocked = plyometric_block(
            tuple(step.areas),
            person.level or Level.BEGINNER,
            person.pain_now,
            keeping_out,
            person.fall_risk,
        )
        if blocked is not None:
            return blocked
    for condition_id in person.conditions:
        condition = index.conditions.get(condition_id)
        label = condition.name.split(" (")[0].lower() if condition else condition_id
        if condition is not None and step.id in condition.avoid:
            return f"is one to avoid with {label}"
        for caution in step.cautions:
            if caution.condition == condition_id and caution.substitute is not None:
                return f"is swapped out for {caution.substitute} with {label}"
    if person.equipment is not None:
        missing = sorted(str(item) for item in set(step.equipment) - person.equipment)
        if missing:
            return f"needs {', '.join(missing)}"
    return None


def ladder_facts(index: Index, exercise_id: str, person: Person) -> Ladder:
    """The ladder `exercise_id` is on, as plain facts judged for this person."""
    steps = []
    for exercise in index.ladder_of(exercise_id).steps:
        areas = tuple(exercise.areas)
        least = min_weeks_on_step(areas, exercise.min_weeks_on_step) * 7
        steps.append(
            Step(
                id=exercise.id,
                name=exercise.name,
                areas=areas,
                full=full_dose(exercise),
                min_days=least,
                to_fatigue=exercise.to_fatigue,
                not_for_you=not_for(index, person, exercise),
                isometric=exercise.isometric,
                loaded=exercise.load_step is not None,
            )
        )
    return Ladder(tuple(steps))


def with_condition_areas(index: Index, person: Person) -> Person:
    """The person with the areas of their conditions filled in from the catalogue."""
    areas = {
        area
        for condition_id in person.conditions
        if (condition := index.conditions.get(condition_id)) is not None
        for area in condition.areas
    }
    return replace(person, condition_areas=frozenset(areas))


# --- the mornings --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Trend:
    """An area's weekly mornings, newest week first: how many weeks in a row rose."""

    area: Area
    rising: int  # weeks in a row, this one first, whose mean rose TREND_RISE or more
    text: str  # this week's and last week's means, for a reason


class Mornings:
    """Check-ins by area, for look-ups by date; a day with several keeps the worst score."""

    def __init__(self, checkins: Iterable[Checkin]) -> None:
        pain: dict[Area, dict[date, int]] = {}
        stiff: dict[Area, dict[date, int]] = {}
        for checkin in checkins:
            area = AREA_NAMED.get(checkin.area)
            if area is None:  # not an area this version knows: nothing a rule could read
                continue
            days = pain.setdefault(area, {})
            days[checkin.date] = max(days.get(checkin.date, 0), checkin.pain)
            if checkin.stiffness is not None:
                sdays = stiff.setdefault(area, {})
                sdays[checkin.date] = max(sdays.get(checkin.date, 0), checkin.stiffness)
        self._pain = pain
        self._stiff = stiff
        self._days = {area: sorted(days) for area, days in pain.items()}
        self._sdays = {area: sorted(days) for area, days in stiff.items()}
        self.last_day = max((days[-1] for days in self._days.values()), default=None)
        # Running totals by area, for a week's mean in two look-ups (a replay asks thousands).
        self._totals = {area: _running(pain[area], days) for area, days in self._days.items()}
        self._stotals = {area: _running(stiff[area], days) for area, days in self._sdays.items()}
        self._trends: dict[tuple[Area, date], Trend] = {}
        self._high: dict[tuple[Area, date], str | None] = {}
        # How the morning after a session day went, by its areas (see `_morning_after`).
        self.afters: dict[tuple[date, tuple[Area, ...]], _Morning] = {}

    @property
    def areas(self) -> list[Area]:
        return [area for area in _AREAS if area in self._pain]

    def day(self, day: date) -> dict[Area, int]:
        """Every area's score on one day: that morning's pain now."""
        return {area: days[day] for area, days in self._pain.items() if day in days}

    def days_at_least(self, pain: int, among: Collection[Area] | None = None) -> set[date]:
        """The days some area's check-in (of those `among`; None: any) was `pain`/10 or more."""
        return {
            day
            for area, days in self._pain.items()
            if among is None or area in among
            for day, score in days.items()
            if score >= pain
        }

    def on(self, area: Area, day: date) -> int | None:
        return self._pain.get(area, {}).get(day)

    def latest(self, area: Area, last: date, first: date | None = None) -> date | None:
        """The last day with a check-in for the area on or before `last` (and from `first`)."""
        days = self._days.get(area, [])
        position = bisect.bisect_right(days, last)
        if position == 0:
            return None
        found = days[position - 1]
        return found if first is None or found >= first else None

    def between(self, area: Area, first: date, last: date) -> list[tuple[date, int]]:
        return _between(self._pain, self._days, area, first, last)

    def _mean(self, stiffness: bool, area: Area, end: date) -> float | None:
        days_of, totals_of = (
            (self._sdays, self._stotals) if stiffness else (self._days, self._totals)
        )
        days = days_of.get(area)
        if not days:
            return None
        start = bisect.bisect_left(days, end - WEEK + timedelta(days=1))
        stop = bisect.bisect_right(days, end)
        if stop <= start:
            return None
        totals = totals_of[area]
        return (totals[stop] - totals[start]) / (stop - start)

    def trend(self, area: Area, today: date) -> Trend:
        """How many weeks in a row, ending on `today`, the area's weekly mean morning pain or
        stiffness rose by TREND_RISE or more on the week before (weeks of seven days ending on
        `today`, a week ago, ...). Remembered: a replay asks the same day once a ladder."""
        key = (area, today)
        if key not in self._trends:
            self._trends[key] = self._trend(area, today)
        return self._trends[key]

    def _trend(self, area: Area, today: date) -> Trend:
        means = {
            measure: [
                self._mean(measure == "stiffness", area, today - k * WEEK)
                for k in range(TREND_WEEKS)
            ]
            for measure in ("pain", "stiffness")
        }
        rising = 0
        for k in range(TREND_WEEKS - 1):
            rose = any(
                (now := values[k]) is not None
                and (before := values[k + 1]) is not None
                and round(now - before, 6) >= TREND_RISE  # 12/7 - 5/7 is a whole point
                for values in means.values()
            )
            if not rose:
                break
            rising += 1
        parts = []
        for measure, values in means.items():
            now, before = values[0], values[1]
            if now is None and measure == "stiffness":
                continue
            parts.append(
                f"{area} morning {measure} {_mean_text(now)} this week, "
                f"{_mean_text(before)} last week"
            )
        return Trend(area, rising, "; ".join(parts))

    def high_twice(self, area: Area, today: date) -> str | None:
        """Two mornings at REFER_PAIN or more in the week ending `today`, as a reason
        (remembered, as `trend` is)."""
        key = (area, today)
        if key not in self._high:
            self._high[key] = self._high_twice(area, today)
        return self._high[key]

    def _high_twice(self, area: Area, today: date) -> str | None:
        week = self.between(area, today - WEEK + timedelta(days=1), today)
        high = [(day, pain) for day, pain in week if pain >= REFER_PAIN]
        if len(high) < 2:
            return None
        days = ", ".join(f"{pain}/10 on {day.isoformat()}" for day, pain in high)
        return f"{area} morning pain {REFER_PAIN}/10 or more twice in a week ({days})"


def _running(scores: Mapping[date, int], days: Sequence[date]) -> list[int]:
    """The sum of the scores of the days before each position of `days` (and of all of them)."""
    totals = [0]
    for day in days:
        totals.append(totals[-1] + scores[day])
    return totals


def _between(
    scores: Mapping[Area, Mapping[date, int]],
    days_of: Mapping[Area, list[date]],
    area: Area,
    first: date,
    last: date,
) -> list[tuple[date, int]]:
    days = days_of.get(area, [])
    start = bisect.bisect_left(days, first)
    stop = bisect.bisect_right(days, last)
    return [(day, scores[area][day]) for day in days[start:stop]]


def _mean_text(value: float | None) -> str:
    return "no score" if value is None else f"{value:.1f}/10"


# --- referrals -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Referral:
    """Why an area should be seen by a physiotherapist before it is progressed or loaded."""

    area: Area
    why: str
    pain_now: bool = False  # from pain now (no loading at all) rather than the mornings

    @property
    def sentence(self) -> str:
        if self.pain_now:
            return (
                f"See a physiotherapist or doctor before you load the {self.area} again: "
                f"{self.why}."
            )
        return (
            f"See a physiotherapist about your {self.area} and follow their programme; no "
            f"progression for the {self.area} until then: {self.why}."
        )


def referrals(
    mornings: Mornings, person: Person, today: date, among: Collection[Area] | None = None
) -> list[Referral]:
    """The areas to refer, in body order: pain now 6/10 or more; next-morning pain 6/10 or more
    twice in the week ending `today`; or a third rising week in a row (a rise after the deload
    the second one brought). `among`: only these areas (None: every area)."""
    found: list[Referral] = []
    for area in _AREAS if among is None else [a for a in _AREAS if a in among]:
        now = person.pain_now.get(area)
        if now is not None and now >= REFER_PAIN:
            found.append(Referral(area, f"{area} pain now {now}/10", pain_now=True))
            continue
        why = _area_referral(mornings, area, today)
        if why:
            found.append(Referral(area, why))
    return found


def _area_referral(mornings: Mornings, area: Area, today: date) -> str | None:
    high = mornings.high_twice(area, today)
    if high:
        return high
    trend = mornings.trend(area, today)
    if trend.rising >= 3:
        return f"a third week in a row of rising mornings, after a deload ({trend.text})"
    return None


def referral_text(found: Sequence[Referral]) -> str | None:
    """The top-level referral: one sentence an area, or None when there is nothing to refer."""
    return " ".join(referral.sentence for referral in found) or None


# --- one session's next morning ------------------------------------------------------------------


@dataclass(frozen=True)
class _Morning:
    """How a session's next morning went, over the areas it must be scored in."""

    missing: str | None  # an area with no score that morning ("check-in": none at all)
    flare: str | None  # the reason text when it flared
    unsettled: str | None  # the reason text when it did not settle

    @property
    def settled(self) -> bool:
        return self.missing is None and self.unsettled is None


def _scored_areas(step: Step, person: Person) -> list[Area]:
    """The areas a next-morning check-in must score for a session of `step` to count as settled:
    those it loads, and those of the person's conditions."""
    wanted = set(step.areas) | person.condition_areas
    return [area for area in _AREAS if area in wanted]


def _morning_after(mornings: Mornings, session: Logged, areas: Sequence[Area]) -> _Morning:
    """How the morning after `session` went (remembered by the mornings: a replay asks the same
    day and areas once for its filter and again for the decision)."""
    key = (session.day, tuple(areas))
    found = mornings.afters.get(key)
    if found is None:
        found = mornings.afters[key] = _read_morning_after(mornings, session.day, areas)
    return found


def _read_morning_after(mornings: Mornings, session_day: date, areas: Sequence[Area]) -> _Morning:
    after = session_day + timedelta(days=1)
    flare = unsettled = None
    missing = None
    scored = areas or list(mornings.day(after))  # no area loaded: whatever was scored
    if not scored:
        return _Morning("check-in", None, None)
    for area in scored:
        pain = mornings.on(area, after)
        if pain is None:
            missing = missing or str(area)
            continue
        baseline_day = mornings.latest(area, session_day, session_day - WEEK)
        baseline = mornings.on(area, baseline_day) if baseline_day else None
        limit = baseline if baseline is not None else GREEN_MAX
        before = (
            f"{baseline}/10 the morning before"
            if baseline is not None
            else f"no check-in before it, so {GREEN_MAX}/10 is the limit"
        )
        text = f"{area} was {pain}/10 the morning after {session_day.isoformat()}, {before}"
        if flare is None and pain - limit >= FLARE_RISE:
            flare = text
        if unsettled is None and pain > limit:
            unsettled = text
    return _Morning(missing, flare, unsettled)


# --- doses ---------------------------------------------------------------------------------------


def _less(dose: Volume) -> Volume | None:
    """At least a third less volume on the same step: fewer sets, then less in each; None when
    there is nothing left to cut."""
    if dose.sets > 1:
        return replace(dose, sets=dose.sets * 2 // 3)
    amount = dose.amount * 2 // 3
    return replace(dose, amount=amount) if amount >= 1 else None


def _capped(entry: Volume, last: Volume) -> Volume:
    """A new step's dose, no more than the last dose in sets or amount (same unit)."""
    if entry.unit is not last.unit:
        return entry
    return replace(entry, sets=min(entry.sets, last.sets), amount=min(entry.amount, last.amount))


def _easier_allowed(ladder: Ladder, person: Person, exercise_id: str) -> Step | None:
    for step in reversed(ladder.steps[: ladder.position(exercise_id)]):
        if step.not_for_you is None and _painful(step, person, REFER_PAIN) is None:
            return step
    return None


def _painful(step: Step, person: Person, at_least: int) -> Area | None:
    for area in step.areas:
        if person.pain_now.get(area, 0) >= at_least:
            return area
    return None


def _down(ladder: Ladder, person: Person, current: Prescription) -> Prescription | None:
    """A real deload: a third less volume (a set fewer from three, one set from two, ...); on one
    set, the easier step the person may do, no more than this dose; on the easiest, a third less
    of the set. None: nothing is left to cut (pause)."""
    dose = current.dose
    if dose.sets > 1:
        return replace(current, dose=replace(dose, sets=dose.sets * 2 // 3))
    easier = _easier_allowed(ladder, person, current.exercise_id)
    if easier is not None:
        return Prescription(easier.id, _capped(easier.entry(), dose))
    less = _less(dose)
    return replace(current, dose=less) if less is not None else None


def _step_back(ladder: Ladder, person: Person, current: Prescription) -> Prescription | None:
    """One step back down the ladder (no more than this dose); on the easiest, a third less."""
    easier = _easier_allowed(ladder, person, current.exercise_id)
    if easier is not None:
        return Prescription(easier.id, _capped(easier.entry(), current.dose))
    less = _less(current.dose)
    return replace(current, dose=less) if less is not None else None


def lower(ladder: Ladder, new: Prescription, old: Prescription) -> bool:
    """`new` is a lower dose than `old`: an easier step, or the same step with less volume."""
    if new.exercise_id != old.exercise_id:
        return ladder.position(new.exercise_id) < ladder.position(old.exercise_id)
    return new.dose.total < old.dose.total


def _label(ladder: Ladder, new: Prescription, old: Prescription | None) -> str:
    if old is None or old.exercise_id == new.exercise_id:
        was = f", was {old.dose.describe()}" if old and old.dose != new.dose else ""
        return f"{new.dose.describe()}{was}"
    new_name = ladder.step(new.exercise_id).name
    old_name = ladder.step(old.exercise_id).name
    return f"{new_name}, {new.dose.describe()} (was {old_name}, {old.dose.describe()})"


def _pain_text(scores: Sequence[int]) -> str:
    unique = list(dict.fromkeys(scores))
    if len(unique) == 1:
        return f"pain {unique[0]}/10"
    return "pain " + " and ".join(f"{score}/10" for score in scores)


def _days(n: int) -> str:
    return f"{n} day{'s' * (n != 1)}"


# --- the decision --------------------------------------------------------------------------------


def window(ids: frozenset[str], sessions: Sequence[Logged], today: date) -> list[Logged]:
    """The sessions of the steps `ids` a decision on `today` reads, oldest first: those of the
    last HISTORY days up to `today`, and the last two whenever they were."""
    mine = sorted((s for s in sessions if s.exercise_id in ids and s.day <= today), key=_day)
    start = today - HISTORY
    recent = [s for s in mine if s.day >= start]
    older = [s for s in mine[-2:] if s.day < start]
    return older + recent


def _day(session: Logged) -> date:
    return session.day


def decide(
    ladder: Ladder,
    exercise_id: str,
    sessions: Sequence[Logged],
    mornings: Mornings,
    person: Person,
    today: date,
    programme: Prescription | None = None,
    taken: frozenset[str] = frozenset(),
    last_load: float | None = None,
) -> Decision:
    """The next prescription on the ladder `exercise_id` is on, as of `today`.

    `sessions` may hold any exercises; only those on the ladder up to `today` count (pass those
    before `today` for the decision made that morning). `taken`: other steps of this ladder in
    the programme (two steps of one ladder): then `exercise_id` keeps to the steps between them,
    decided from the sessions on those steps alone, and never moves onto theirs.
    in a programme) only `exercise_id`'s own sessions count, and it never moves onto a step in
    `taken`. `last_load`: the load of the last session in kg, None when not loaded; it is carried
    on the same step (the load rules progress it).
    """
    ceiling = None
    if taken:
        ladder, ceiling = _segment(ladder, exercise_id, taken)
    mine = window(ladder.ids(), sessions, today)
    decision = _decide(ladder, exercise_id, mine, mornings, person, today, programme, ceiling)
    if last_load is not None and decision.dose is not None and decision.was is not None:
        if decision.exercise_id == decision.was.exercise_id:
            decision = replace(decision, dose=replace(decision.dose, load_kg=last_load))
    return decision


def _segment(ladder: Ladder, exercise_id: str, taken: frozenset[str]) -> tuple[Ladder, str | None]:
    """The steps of the ladder between the other programme steps `taken` around `exercise_id`,
    and the name of the taken step above them (None: none)."""
    ids = [step.id for step in ladder.steps]
    at = ids.index(exercise_id)
    others = [ids.index(t) for t in taken if t in ids]
    low = max((i for i in others if i < at), default=-1) + 1
    high = min((i for i in others if i > at), default=len(ids))
    above = ladder.steps[high].name if high < len(ids) else None
    return Ladder(ladder.steps[low:high]), above


def _decide(
    ladder: Ladder,
    exercise_id: str,
    mine: Sequence[Logged],
    mornings: Mornings,
    person: Person,
    today: date,
    programme: Prescription | None,
    ceiling: str | None,
) -> Decision:
    if not mine:
        if programme is None or programme.exercise_id not in ladder.ids():
            programme = Prescription(exercise_id, ladder.step(exercise_id).full)
        reason = f"{programme.dose.describe()} from your programme: nothing logged yet"
        return _safety(ladder, mornings, person, today, mine, None, Kind.START, programme, reason)
    last = mine[-1]
    current = Prescription(last.exercise_id, last.target)
    off = (today - last.day).days
    if off >= BACK_REPEAT:
        kind, new, reason = _back(ladder, mornings, person, current, last, off)
    else:
        kind, new, reason = _from_log(ladder, mornings, person, today, mine, ceiling)
    decision = _safety(ladder, mornings, person, today, mine, current, kind, new, reason)
    if (
        off < BACK_REPEAT
        and decision.kind is Kind.HOLD
        and decision.exercise_id == current.exercise_id
        and decision.dose == current.dose
        and not _at_top(ladder, current)
    ):
        days = _stuck(mine, current, today)
        if days is not None:
            decision = replace(
                decision,
                reason=f"{decision.reason}; {days} days at this dose: ask a physiotherapist to "
                f"review this exercise (kotcoach's rule: {STUCK_DAYS // 7} weeks without "
                "progress)",
            )
    return decision


def _at_top(ladder: Ladder, current: Prescription) -> bool:
    """At the full dose of the last step this person may do: holding there is no lack of
    progress."""
    step = ladder.step(current.exercise_id)
    harder = ladder.harder(step.id)
    return (harder is None or harder.not_for_you is not None) and current.dose.reaches(step.full)


def _back(
    ladder: Ladder,
    mornings: Mornings,
    person: Person,
    current: Prescription,
    last: Logged,
    off: int,
) -> tuple[Kind, Prescription | None, str]:
    """Back after time off: 7-13 days repeats the last completed dose, 14-27 cuts a third of its
    volume, 28 or more goes one step back. Up again only after two new sessions."""
    step = ladder.step(last.exercise_id)
    done = _completed_dose(last, step)
    base = Prescription(last.exercise_id, done) if done is not None else current
    rule = "kotcoach's rule for time off; up again after two new sessions"
    head = f"back after {off} days off (last session {last.day.isoformat()})"
    downs = _session_downs(ladder, mornings, person, last)
    if off < BACK_CUT and not downs:
        return Kind.HOLD, base, f"{base.dose.describe()}: {head}, your last completed dose ({rule})"
    if off < BACK_CUT:
        new = _down(ladder, person, base)
        why = "; ".join(downs)
        return Kind.DOWN, new, _down_text(ladder, new, current, f"{head}; {why}")
    if off < BACK_STEP:
        less = _less(base.dose)
        new = replace(base, dose=less) if less is not None else None
        return Kind.DOWN, new, _down_text(ladder, new, current, f"{head}: a third less ({rule})")
    new = _step_back(ladder, person, base)
    back = (
        "one step back"
        if new is None or new.exercise_id != base.exercise_id
        else ("a third less, on the first step of its ladder")
    )
    return Kind.DOWN, new, _down_text(ladder, new, current, f"{head}: {back} ({rule})")


def _down_text(ladder: Ladder, new: Prescription | None, current: Prescription, why: str) -> str:
    if new is None:
        return f"leave it out for now: {current.dose.describe()} can go no lower; {why}"
    return f"{_label(ladder, new, current)}: {why}"


def _completed_dose(session: Logged, step: Step) -> Volume | None:
    """The dose a session completed: its target when done in full, else what each set reached
    (the least of them) over the same sets. None when nothing was done."""
    if session.completed(step.to_fatigue):
        return session.target
    if not session.done or min(session.done) < 1:
        return None
    reached = min(min(session.done), session.target.amount)
    return replace(session.target, amount=reached)


def _short_a_third(last: Logged, step: Step) -> bool:
    """Whether the session fell short enough to step back (`_from_log`): nothing done, or what
    each set reached is a third less volume than the target or more."""
    if last.completed(step.to_fatigue):
        return False
    reached = _completed_dose(last, step)
    if reached is None:
        return True
    return reached != last.target and reached.total * 3 <= last.target.total * 2


def _session_downs(ladder: Ladder, mornings: Mornings, person: Person, last: Logged) -> list[str]:
    """Why the last session moves the dose down: pain during above 5/10, a flare next morning."""
    downs = []
    if last.pain_during is not None and last.pain_during > MAX_PAIN_DURING:
        downs.append(
            f"pain during was {last.pain_during}/10 last time, above {MAX_PAIN_DURING}/10 "
            "(the study's limit)"
        )
    step = ladder.step(last.exercise_id)
    morning = _morning_after(mornings, last, _scored_areas(step, person))
    if morning.flare:
        downs.append(f"{morning.flare}: up by {FLARE_RISE} or more (kotcoach's flare edge)")
    return downs


def _from_log(
    ladder: Ladder,
    mornings: Mornings,
    person: Person,
    today: date,
    mine: Sequence[Logged],
    ceiling: str | None,
) -> tuple[Kind, Prescription | None, str]:
    """The rules on the last sessions, before the weekly trend and the safety bands."""
    last = mine[-1]
    previous = mine[-2] if len(mine) > 1 else None
    current = Prescription(last.exercise_id, last.target)
    step = ladder.step(last.exercise_id)

    downs = _session_downs(ladder, mornings, person, last)
    if downs:
        new = _down(ladder, person, current)
        return Kind.DOWN, new, _down_text(ladder, new, current, "; ".join(downs))

    # Reps missed: the next target is what was done in each set, on the same sets.
    if not last.completed(step.to_fatigue):
        reached = _completed_dose(last, step)
        if reached is None:
            new = _down(ladder, person, current)
            why = f"nothing was done last time ({last.done_text()})"
            return Kind.DOWN, new, _down_text(ladder, new, current, why)
        if reached != last.target:
            moved = replace(current, dose=reached)
            kind = Kind.DOWN if reached.total * 3 <= last.target.total * 2 else Kind.HOLD
            why = f"the next target is what each set reached, on the same sets ({last.done_text()})"
            return kind, moved, f"{_label(ladder, moved, current)}: {why}"

    hold = _hold_reason(ladder, mornings, person, last, previous)
    if hold is not None or previous is None:
        return Kind.HOLD, current, f"{current.dose.describe()}, as last time: {hold}"
    up = _up(ladder, person, current, _days_on_step(mine, today), ceiling)
    if isinstance(up, str):
        return Kind.HOLD, current, up
    scores = [previous.pain_during or 0, last.pain_during or 0]
    why = (
        f"the last two sessions were done in full at {_pain_text(scores)}, settled by the next "
        f"morning (the study's rule); up only at {GREEN_MAX}/10 or less is kotcoach's own edge"
    )
    if up.exercise_id != current.exercise_id:
        days = _days_on_step(mine, today)
        why += (
            f"; {current.dose.describe()} is this step's full dose, after {_days(days)} on it "
            f"(at least {_days(step.min_days)}: kotcoach's rule)"
        )
    return Kind.UP, up, f"{_label(ladder, up, current)}: {why}"


def _days_on_step(mine: Sequence[Logged], today: date) -> int:
    """Days since the first session of the current run on the last session's step."""
    exercise = mine[-1].exercise_id
    first = mine[-1].day
    for session in reversed(mine):
        if session.exercise_id != exercise:
            break
        first = session.day
    return (today - first).days


def _hold_reason(
    ladder: Ladder,
    mornings: Mornings,
    person: Person,
    last: Logged,
    previous: Logged | None,
) -> str | None:
    step = ladder.step(last.exercise_id)
    areas = _scored_areas(step, person)
    if last.pain_during is None:
        return "no pain-during score was logged last time"
    if last.pain_during > GREEN_MAX:
        return (
            f"pain during was {last.pain_during}/10 last time: within the study's "
            f"{MAX_PAIN_DURING}/10, so hold; kotcoach moves up only at {GREEN_MAX}/10 or less"
        )
    if not last.completed(step.to_fatigue):
        return f"the last session was short of the target ({last.done_text()})"
    morning = _morning_after(mornings, last, areas)
    after = (last.day + timedelta(days=1)).isoformat()
    if morning.missing is not None:
        return (
            f"no {morning.missing} score on {after} (kotcoach checkin --pain AREA=N): up needs "
            "the next morning settled in every area"
        )
    if not morning.settled:
        return f"not settled by the next morning (the study's rule): {morning.unsettled}"
    if (
        previous is None
        or previous.exercise_id != last.exercise_id
        or previous.target != last.target
    ):
        return (
            f"done in full once at {last.target.describe()}; one more session like it moves you up"
        )
    if (last.day - previous.day).days > STEP_UP_GAP:
        return (
            f"done in full, but {_days((last.day - previous.day).days)} passed between the last "
            "two sessions; one more session like it moves you up"
        )
    if previous.pain_during is None or previous.pain_during > GREEN_MAX:
        shown = "no score" if previous.pain_during is None else f"{previous.pain_during}/10"
        return f"pain during was {shown} the session before; up needs two at {GREEN_MAX}/10 or less"
    if not previous.completed(step.to_fatigue):
        return f"the session before was short of the target ({previous.done_text()})"
    before = _morning_after(mornings, previous, areas)
    if before.missing is not None:
        day = (previous.day + timedelta(days=1)).isoformat()
        return f"no {before.missing} score on {day}; up needs two sessions settled"
    if not before.settled:
        return f"the session before had not settled by the next morning: {before.unsettled}"
    return None


def _up(
    ladder: Ladder, person: Person, current: Prescription, days_on: int, ceiling: str | None
) -> Prescription | str:
    """One thing more: reps or seconds up to the step's full dose, then a set, then the next
    step, no more than this dose. A string is the reason it cannot go up."""
    step = ladder.step(current.exercise_id)
    full, dose = step.full, current.dose
    if step.loaded and dose.unit is Unit.REPS:
        return current  # a loaded step moves up by load: kotcoach.coaching.load_coach
    if dose.unit is full.unit and dose.amount < full.amount:
        amount = min(full.amount, dose.amount + STEP_SIZE[dose.unit])
        return replace(current, dose=replace(dose, amount=amount))
    if dose.unit is full.unit and dose.sets < full.sets:
        return replace(current, dose=replace(dose, sets=dose.sets + 1))
    harder = ladder.harder(step.id)
    here = f"{dose.describe()}, as last time"
    if harder is None and ceiling is not None:
        return f"{here}: the next step, {ceiling}, is already in your programme"
    if harder is None:
        return (
            f"{here}: the top of the {step.name} ladder at its full dose; once it feels easy, "
            "add 2-10 % load or a little more time"
        )
    why_not = harder.not_for_you
    painful = _painful(harder, person, 3)
    if why_not is None and painful is not None:
        why_not = f"loads the {painful}, at {person.pain_now[painful]}/10 now"
    if why_not is not None:
        return f"{here}: the full dose of this step, and the next step, {harder.name}, {why_not}"
    if days_on < step.min_days:
        return (
            f"{here}: the full dose of this step after {_days(days_on)} on it; the next step "
            f"waits until {_days(step.min_days)} on this one (kotcoach's rule: {MIN_TIME_RULE})"
        )
    return Prescription(harder.id, _capped(harder.entry(), dose))


def _deloaded_since(ladder: Ladder, mine: Sequence[Logged], since: date) -> bool:
    """Some session from `since` on had a lower dose than the session before it."""
    for before, after in zip(mine, mine[1:], strict=False):
        if after.day >= since and lower(
            ladder,
            Prescription(after.exercise_id, after.target),
            Prescription(before.exercise_id, before.target),
        ):
            return True
    return False


def _stuck(mine: Sequence[Logged], current: Prescription, today: date) -> int | None:
    """Days at the current dose, when it is STUCK_DAYS or more."""
    first = None
    for session in reversed(mine):
        if session.exercise_id != current.exercise_id or session.target != current.dose:
            break
        first = session.day
    if first is None or (today - first).days < STUCK_DAYS:
        return None
    return (today - first).days


def _safety(
    ladder: Ladder,
    mornings: Mornings,
    person: Person,
    today: date,
    mine: Sequence[Logged],
    current: Prescription | None,
    kind: Kind,
    new: Prescription | None,
    reason: str,
) -> Decision:
    """The bands on top of the log's rules: a step the person may not do is left; the weekly
    trend blocks, deloads and refers; pain now 6+ pauses moving exercises; pain now 3-5 holds;
    four weeks at one dose suggests a review."""
    was = current
    base = current or new
    assert base is not None
    # The referral names every area the exercise loads, on the step it was and the step it goes.
    watched = set(ladder.step(base.exercise_id).areas)
    if new is not None:
        watched |= set(ladder.step(new.exercise_id).areas)
    referral = referral_text(referrals(mornings, person, today, watched))
    if new is None:
        return Decision(Kind.PAUSE, base.exercise_id, None, reason, was, referral)
    step = ladder.step(new.exercise_id)
    if step.not_for_you is not None:
        easier = _easier_allowed(ladder, person, step.id)
        if easier is None:
            text = (
                f"leave it out: {step.name} {step.not_for_you}, and no easier step of its "
                "ladder suits you"
            )
            return Decision(Kind.PAUSE, step.id, None, text, was, referral)
        moved = Prescription(easier.id, _capped(easier.entry(), new.dose))
        kind, reason = (
            Kind.DOWN,
            f"{_label(ladder, moved, current)}: {step.name} {step.not_for_you}",
        )
        new, step = moved, easier
        # The step it goes to now is another one: its areas are watched too.
        watched |= set(step.areas)
        referral = referral_text(referrals(mornings, person, today, watched))

    # A step up that leaves a loaded area behind is still a progression while that area is
    # watched: for a step up, the rules below count the areas of both steps.
    loaded = list(step.areas)
    if kind is Kind.UP and current is not None:
        loaded += [a for a in ladder.step(current.exercise_id).areas if a not in loaded]
    keep = new if kind in (Kind.DOWN, Kind.START) or current is None else current

    painful = [a for a in loaded if person.pain_now.get(a, 0) >= REFER_PAIN]
    if painful:
        area = painful[0]
        now = person.pain_now[area]
        if step.isometric or keep.dose.unit is Unit.SECONDS:
            text = (
                f"{keep.dose.describe()}, no more: {area} pain now {now}/10, so only a still hold "
                "at a pain-free angle, pain during it 3/10 at most"
            )
            held = Kind.START if current is None else Kind.HOLD  # nothing logged yet: a start
            return Decision(held, keep.exercise_id, keep.dose, text, was, referral)
        text = (
            f"leave it out for now: {area} pain now {now}/10, so no moving exercise for the {area}"
        )
        return Decision(Kind.PAUSE, keep.exercise_id, None, text, was, referral)

    # The weekly trend of the mornings in the areas this exercise loads.
    trends = [mornings.trend(area, today) for area in loaded]
    rising = max((t.rising for t in trends), default=0)
    high = [why for a in loaded if (why := mornings.high_twice(a, today))]
    if rising or high:
        shown = "; ".join(t.text for t in trends if t.rising) or "; ".join(high)
        if rising >= 2 or high:
            since = today - (2 * WEEK if rising >= 3 or high else WEEK) + timedelta(days=1)
            done_already = current is not None and _deloaded_since(ladder, mine, since)
            if kind is not Kind.DOWN and not done_already and current is not None:
                cut = _down(ladder, person, current)
                what = (
                    "a second rising week in a row: deload"
                    if rising == 2
                    else "rising again after a deload: refer, and the deload stays"
                    if rising >= 3
                    else "two mornings at 6/10 or more in a week: deload and refer"
                )
                why = f"{what} ({shown}; the study's rule: no week-on-week rise)"
                if cut is None:
                    return Decision(
                        Kind.PAUSE,
                        current.exercise_id,
                        None,
                        _down_text(ladder, None, current, why),
                        was,
                        referral,
                    )
                return Decision(
                    Kind.DOWN,
                    cut.exercise_id,
                    cut.dose,
                    _down_text(ladder, cut, current, why),
                    was,
                    referral,
                )
        what = "the mornings rose week on week" if rising else "mornings at 6/10 or more"
        if rising >= 2 or high:
            what += ", and the deload stays"
        block = (
            f"no progression while {what} ({shown}; the study's rule: no week-on-week rise; a "
            f"rise of {TREND_RISE:g} in a weekly mean is kotcoach's edge)"
        )
        if kind is Kind.UP and current is not None:
            text = f"{current.dose.describe()}, as last time: {block}"
            return Decision(Kind.HOLD, current.exercise_id, current.dose, text, was, referral)
        return Decision(kind, new.exercise_id, new.dose, f"{reason}; {block}", was, referral)

    amber = [a for a in loaded if 3 <= person.pain_now.get(a, 0) < REFER_PAIN]
    if kind is Kind.UP and amber and current is not None:
        area = amber[0]
        text = (
            f"{current.dose.describe()}, as last time: {area} pain now "
            f"{person.pain_now[area]}/10; no progression until it is {GREEN_MAX}/10 or less"
        )
        return Decision(Kind.HOLD, current.exercise_id, current.dose, text, was, referral)
    return Decision(kind, new.exercise_id, new.dose, reason, was, referral)


# --- replays -------------------------------------------------------------------------------------


def _replay_days(ladder: Ladder, sessions: Sequence[Logged]) -> list[tuple[date, list[Logged]]]:
    """Each logged day of the ladder, oldest first, with the sessions before it that a decision
    that morning reads (`window`)."""
    ids = ladder.ids()
    mine = sorted((s for s in sessions if s.exercise_id in ids), key=_day)
    dates = [s.day for s in mine]
    days = []
    for position, session in enumerate(mine):
        if position and session.day == mine[position - 1].day:
            continue  # the day's first session already has the morning's decision
        start = bisect.bisect_left(dates, session.day - HISTORY)
        days.append((session.day, mine[max(0, min(start, position - 2)) : position]))
    return days


@dataclass(frozen=True)
class Replay:
    """One ladder's logged days decided again: what the coach said each morning, from the
    sessions before it and the check-ins up to it. With `morning_is_pain_now`, each day's
    check-ins are its pain now (over the person's)."""

    ladder: Ladder
    exercise_id: str
    sessions: Sequence[Logged]
    mornings: Mornings
    person: Person
    programme: Prescription | None = None
    morning_is_pain_now: bool = False

    def decisions(self) -> list[tuple[date, Decision]]:
        """The decision each logged day of this ladder started from, oldest first."""
        return [
            (day, self._decide(day, before))
            for day, before in _replay_days(self.ladder, self.sessions)
        ]

    def steps_back(self) -> tuple[list[tuple[int, date, Decision]], int]:
        """The "down" and "pause" decisions of `decisions` with their positions in it, and how
        many days it has: the same decisions, found without deciding the days that cannot be one.

        A day can step back or pause only when its last session was above 5/10 during, or its
        next morning flared, or it fell short of its target by a third of its volume or more
        (nothing done included), or 14 days or more passed since it (7-13 days off hold, unless
        the session itself steps back), or the step is one the person may not do, or an area the
        ladder's steps load was at 6/10 or more that morning (only those areas' pain now is
        read), or such an area's weekly mornings rose two weeks running or reached 6/10 twice in
        the week. Every other day is decided by the rules for "up" and "hold" alone, so it is
        skipped.
        """
        ladder, mornings, person = self.ladder, self.mornings, self.person
        days = _replay_days(ladder, self.sessions)
        high_morning = mornings.days_at_least(FLARE_RISE)  # a rise of 2 needs 2/10 or more
        scored = {step.id: _scored_areas(step, person) for step in ladder.steps}
        # The trend rules and pain now read only the areas the ladder's steps load.
        loaded = {area for step in ladder.steps for area in step.areas}
        painful_morning = (
            mornings.days_at_least(REFER_PAIN, loaded) if self.morning_is_pain_now else set()
        )
        painful_now = any(person.pain_now.get(area, 0) >= REFER_PAIN for area in loaded)
        areas = [area for area in mornings.areas if area in loaded]
        found = []
        for position, (day, before) in enumerate(days):
            recent = before[-1:]
            if recent and not painful_now and day not in painful_morning:
                last = recent[0]
                step = ladder.step(last.exercise_id)
                may = (
                    (last.pain_during is not None and last.pain_during > MAX_PAIN_DURING)
                    or (
                        last.day + timedelta(days=1) in high_morning
                        and _morning_after(mornings, last, scored[step.id]).flare is not None
                    )
                    or _short_a_third(last, step)
                    or (day - last.day).days >= BACK_CUT
                    or step.not_for_you is not None
                    or any(
                        mornings.trend(area, day).rising >= 2 or mornings.high_twice(area, day)
                        for area in areas
                    )
                )
                if not may:
                    continue
            decision = self._decide(day, before)
            if decision.kind in (Kind.DOWN, Kind.PAUSE):
                found.append((position, day, decision))
        return found, len(days)

    def _decide(self, day: date, before: Sequence[Logged]) -> Decision:
        """The morning of `day`, from the sessions `before` it."""
        person = self.person
        if self.morning_is_pain_now:
            person = replace(person, pain_now={**person.pain_now, **self.mornings.day(day)})
        return decide(
            self.ladder, self.exercise_id, before, self.mornings, person, day, self.programme
        )
