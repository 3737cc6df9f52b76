"""Coaching decisions from the training log: start, up, hold, down or stop, each with its reason.

Pure and deterministic: plain records in (sessions, morning check-ins, the programme's
prescription, the person's conditions and pain now), one decision out, and the same records
always give the same decision. No I/O: the CLI reads the store and passes the records here.

The rules follow the pain-monitoring model (Silbernagel et al. 2007: pain during exercise may reach
5/10, must settle by the next morning, and must not rise week to week), the ladders' own move-up
and move-down criteria (catalogue.ladders), and the safety bands for pain now. The exact numbers
(two sessions at one target, a rise of 2 as a flare, the step sizes, the 7-day windows) are
kotcoach's own; the README's table says which is which.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from enum import StrEnum
from typing import TYPE_CHECKING, Protocol

from kotcoach.base.vocab import MAX_PAIN_DURING, Area, Equipment

# What the coach reads of the catalogue. `catalogue.ladders.Index` and its pydantic models have all
# of it; `catalogue.coach_catalog` reads the same from the cache without pydantic, for speed.
# Types only: defining protocols at run time costs start-up for nothing.
if TYPE_CHECKING:
    from kotcoach.catalogue.doses import DoseFields as Dose

    class CautionLike(Protocol):
        @property
        def condition(self) -> str: ...
        @property
        def substitute(self) -> str | None: ...

    class Exercise(Protocol):
        @property
        def id(self) -> str: ...
        @property
        def name(self) -> str: ...
        @property
        def areas(self) -> Sequence[Area]: ...
        @property
        def equipment(self) -> Sequence[Equipment]: ...
        @property
        def cautions(self) -> Sequence[CautionLike]: ...
        @property
        def dose(self) -> Dose | None: ...
        @property
        def progression(self) -> str | None: ...
        @property
        def cues(self) -> Sequence[str]: ...

    class ConditionLike(Protocol):
        @property
        def name(self) -> str: ...
        @property
        def avoid(self) -> Sequence[str]: ...

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
        def harder(self, exercise_id: str) -> Exercise | None: ...


GREEN_MAX = 2  # pain during, and next-morning pain without a baseline, that still allows "up"
FLARE_RISE = 2  # a next-morning rise this big over the check-in before the session is a flare
REFER_PAIN = 6  # next-morning pain this high twice in a week, or pain now this high: refer
BASELINE_DAYS = 7  # a check-in older than this before a session is no baseline for it
TREND_WEEKS = 3  # weekly averages up two weeks running needs three weeks
WEEK = timedelta(days=7)
CHECKIN_LOOKBACK = TREND_WEEKS * WEEK  # how far back from the last check-in the referral rules read


class Kind(StrEnum):
    START = "start"
    UP = "up"
    HOLD = "hold"
    DOWN = "down"
    STOP = "stop"


class Unit(StrEnum):
    REPS = "reps"
    SECONDS = "seconds"
    MINUTES = "minutes"


# How much "up" adds to each set on the way to a step's full dose.
STEP_SIZE = {Unit.REPS: 2, Unit.SECONDS: 5, Unit.MINUTES: 1}


@dataclass(frozen=True, order=True)
class Volume:
    """A dose as numbers: sets of an amount (reps, seconds held, or minutes), maybe per side."""

    sets: int
    amount: int
    unit: Unit
    per_side: bool = False

    @classmethod
    def of(cls, dose: Dose) -> Volume:
        if dose.reps is not None:
            amount, unit = dose.reps, Unit.REPS
        elif dose.hold_seconds is not None:
            amount, unit = dose.hold_seconds, Unit.SECONDS
        else:
            amount, unit = dose.minutes or 1, Unit.MINUTES
        return cls(dose.sets, amount, unit, dose.per_side)

    def describe(self) -> str:
        """As a coach writes it, the way `Dose.describe` does: '2 × 20', '3 × 30 s hold'."""
        if self.unit is Unit.MINUTES:
            text = f"{self.amount} min" if self.sets == 1 else f"{self.sets} × {self.amount} min"
        elif self.unit is Unit.SECONDS:
            text = f"{self.sets} × {self.amount} s hold"
        else:
            text = f"{self.sets} × {self.amount}"
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

    def done_text(self) -> str:
        did = ", ".join(str(amount) for amount in self.done) or "nothing"
        return f"did {did} of {self.target.describe()}"


@dataclass(frozen=True)
class CheckIn:
    """A morning check-in: pain (0-10) in one area on one day."""

    day: date
    area: Area
    pain: int


@dataclass(frozen=True)
class Person:
    conditions: tuple[str, ...] = ()
    pain_now: Mapping[Area, int] = field(default_factory=dict)
    equipment: frozenset[Equipment] | None = None  # None: not known, so not checked
    # Exercises of a stage not reached yet (kotcoach.coaching.stages), each with why it waits.
    not_yet: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Prescription:
    exercise_id: str
    dose: Volume


@dataclass(frozen=True)
class Decision:
    kind: Kind
    exercise_id: str
    dose: Volume | None  # None: leave the exercise out for now
    reason: str
    was: Prescription | None = None  # the last target, when something is logged


@dataclass(frozen=True)
class Referral:
    """Why an area should be seen by a physiotherapist before it is progressed or loaded."""

    area: Area
    why: str
    pain_now: bool = False  # from pain now (no loading at all) rather than the morning trend

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


class Mornings:
    """Check-ins by area, for look-ups by date; a day with several keeps the worst score."""

    def __init__(self, checkins: Iterable[CheckIn]) -> None:
        pain: dict[Area, dict[date, int]] = {}
        for checkin in checkins:
            days = pain.setdefault(checkin.area, {})
            days[checkin.day] = max(days.get(checkin.day, 0), checkin.pain)
        self._pain = pain
        self._days = {area: sorted(days) for area, days in pain.items()}
        self.last_day = max((days[-1] for days in self._days.values()), default=None)
        self._trends: dict[tuple[Area, date], str | None] = {}

    def trend(self, area: Area, today: date) -> str | None:
        """Why the area's mornings refer it as of `today`, or None (remembered: a replay asks
        the same day once a ladder)."""
        key = (area, today)
        if key not in self._trends:
            self._trends[key] = _morning_trend(self, area, today)
        return self._trends[key]

    @property
    def areas(self) -> list[Area]:
        return [area for area in Area if area in self._pain]

    def day(self, day: date) -> dict[Area, int]:
        """Every area's score on one day: that morning's pain now."""
        return {area: days[day] for area, days in self._pain.items() if day in days}

    def days_at_least(self, pain: int) -> set[date]:
        """The days some area's check-in was `pain`/10 or more."""
        return {day for days in self._pain.values() for day, score in days.items() if score >= pain}

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
        days = self._days.get(area, [])
        start = bisect.bisect_left(days, first)
        stop = bisect.bisect_right(days, last)
        return [(day, self._pain[area][day]) for day in days[start:stop]]


def referrals(mornings: Mornings, person: Person, today: date) -> list[Referral]:
    """The areas to refer, in body order: pain now 6+; next-morning pain 6+ twice in the week
    ending `today`; or weekly averages up two weeks running over the three weeks ending `today`,
    the last out of green."""
    found: list[Referral] = []
    for area in Area:
        now = person.pain_now.get(area)
        if now is not None and now >= REFER_PAIN:
            found.append(Referral(area, f"{area} pain now {now}/10", pain_now=True))
            continue
        why = mornings.trend(area, today)
        if why:
            found.append(Referral(area, why))
    return found


def _morning_trend(mornings: Mornings, area: Area, last: date) -> str | None:
    if mornings.latest(area, last) is None:
        return None
    week = mornings.between(area, last - WEEK + timedelta(days=1), last)
    high = [(day, pain) for day, pain in week if pain >= REFER_PAIN]
    if len(high) >= 2:
        days = ", ".join(f"{pain}/10 on {day.isoformat()}" for day, pain in high)
        return f"next-morning {area} pain {REFER_PAIN}/10 or more twice in a week ({days})"
    averages = []
    for weeks_back in reversed(range(TREND_WEEKS)):
        end = last - weeks_back * WEEK
        scores = [pain for _, pain in mornings.between(area, end - WEEK + timedelta(days=1), end)]
        if not scores:
            return None
        averages.append(sum(scores) / len(scores))
    rising = all(earlier < later for earlier, later in zip(averages, averages[1:], strict=False))
    if rising and averages[-1] > GREEN_MAX:
        shown = ", ".join(f"{average:.1f}" for average in averages)
        return f"next-morning {area} pain rose week on week (weekly averages {shown}/10)"
    return None


def referral_text(found: Sequence[Referral]) -> str | None:
    """The top-level referral: one sentence an area, or None when there is nothing to refer."""
    return " ".join(referral.sentence for referral in found) or None


@dataclass(frozen=True)
class _Morning:
    """How a session's next morning went, over the areas the exercise loads."""

    missing: bool
    settled: bool
    flare: str | None  # the reason text when it flared
    unsettled: str | None  # the reason text when it did not settle


def _morning_after(index: Index, mornings: Mornings, session: Logged) -> _Morning:
    loaded = _areas(index, session.exercise_id) or mornings.areas
    after = session.day + timedelta(days=1)
    flare = unsettled = None
    seen = False
    for area in loaded:
        pain = mornings.on(area, after)
        if pain is None:
            continue
        seen = True
        baseline_day = mornings.latest(area, session.day, session.day - WEEK)
        baseline = mornings.on(area, baseline_day) if baseline_day else None
        limit = baseline if baseline is not None else GREEN_MAX
        before = (
            f"{baseline}/10 before the session"
            if baseline is not None
            else f"no check-in before it, so {GREEN_MAX}/10 is the limit"
        )
        text = f"{area} was {pain}/10 the morning after {session.day.isoformat()}, {before}"
        if flare is None and pain - limit >= FLARE_RISE:
            flare = text
        if unsettled is None and pain > limit:
            unsettled = text
    return _Morning(not seen, seen and unsettled is None, flare, unsettled)


def _areas(index: Index, exercise_id: str) -> list[Area]:
    return list(index.exercise(exercise_id).areas)


def full_dose(step: Exercise) -> Volume:
    """The step's catalogue dose: reaching it is the ladder's criterion to move up."""
    # A catalogue may leave the dose out: the planner falls back to the ACSM novice 2 x 10.
    return Volume.of(step.dose) if step.dose is not None else Volume(2, 10, Unit.REPS)


def entry_dose(step: Exercise) -> Volume:
    """Where a step starts when moved onto: its full dose with one set fewer."""
    full = full_dose(step)
    return replace(full, sets=max(1, full.sets - 1))


def blocked(index: Index, person: Person, step: Exercise, pain: bool = True) -> str | None:
    """Why a person may not step onto this exercise, or None: a condition avoids it or its
    caution swaps it out, it needs equipment they lack, or (with `pain`) it loads an area at
    pain 6+ now."""
    if step.id in person.not_yet:
        return person.not_yet[step.id]
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
    painful = [a for a in step.areas if person.pain_now.get(a, 0) >= REFER_PAIN]
    if pain and painful:
        return f"loads the {painful[0]}, at {person.pain_now[painful[0]]}/10 now"
    return None


def _label(index: Index, new: Prescription, old: Prescription | None) -> str:
    if old is None or old.exercise_id == new.exercise_id:
        was = f", was {old.dose.describe()}" if old and old.dose != new.dose else ""
        return f"{new.dose.describe()}{was}"
    new_name = index.exercise(new.exercise_id).name
    old_name = index.exercise(old.exercise_id).name
    return f"{new_name}, {new.dose.describe()} (was {old_name}, {old.dose.describe()})"


def _up(index: Index, person: Person, current: Prescription) -> Prescription | str:
    """More reps or seconds up to the step's full dose, then a set, then the next ladder step.
    A string is the reason it cannot go up."""
    step = index.exercise(current.exercise_id)
    full, dose = full_dose(step), current.dose
    if getattr(step, "load_step", None) is not None and dose.unit is Unit.REPS:
        return current  # a loaded step moves up by load: kotcoach.coaching.load_coach
    if dose.unit is full.unit and dose.amount < full.amount:
        amount = min(full.amount, dose.amount + STEP_SIZE[dose.unit])
        return replace(current, dose=replace(dose, amount=amount))
    if dose.unit is full.unit and dose.sets < full.sets:
        return replace(current, dose=replace(dose, sets=dose.sets + 1))
    harder = index.harder(step.id)
    if harder is None:
        return (
            f"{dose.describe()} is the top of the {step.name} ladder: once it feels easy, add "
            "2-10 % load or a little more time"
        )
    why_not = blocked(index, person, harder)
    amber = [a for a in harder.areas if 3 <= person.pain_now.get(a, 0) < REFER_PAIN]
    if why_not is None and amber:
        why_not = f"loads the {amber[0]}, at {person.pain_now[amber[0]]}/10 now"
    if why_not is not None:
        return (
            f"{dose.describe()} is the full dose of this step, and the next step, "
            f"{harder.name}, {why_not}: stay here"
        )
    return Prescription(harder.id, entry_dose(harder))


def _down(index: Index, person: Person, current: Prescription) -> Prescription:
    """Less dose first (a set fewer), then the easier step the person may do, then a third less
    of each set on the easiest step."""
    dose = current.dose
    if dose.sets > 1:
        return replace(current, dose=replace(dose, sets=dose.sets - 1))
    easier = _easier_allowed(index, person, current.exercise_id)
    if easier is not None:
        return Prescription(easier.id, entry_dose(easier))
    less = max(1, dose.amount * 2 // 3)
    return replace(current, dose=replace(dose, amount=less))


def _easier_allowed(index: Index, person: Person, exercise_id: str) -> Exercise | None:
    ladder = index.ladder_of(exercise_id)
    for step in reversed(ladder.steps[: ladder.position(exercise_id)]):
        if blocked(index, person, step) is None:
            return step
    return None


def _pain_text(scores: Sequence[int]) -> str:
    unique = list(dict.fromkeys(scores))
    if len(unique) == 1:
        return f"pain {unique[0]}/10"
    return "pain " + " and ".join(f"{score}/10" for score in scores)


def decide(
    index: Index,
    exercise_id: str,
    sessions: Sequence[Logged],
    mornings: Mornings,
    person: Person,
    programme: Prescription | None = None,
    today: date | None = None,
) -> Decision:
    """The next prescription for the ladder `exercise_id` is on, as of `today`.

    `sessions` may hold any exercises; only those on the same ladder, up to `today`, count.
    `today` anchors the weekly windows of the referral rules; None takes the latest date in the
    records, so that the records alone decide.
    """
    on_ladder = {step.id for step in index.ladder_of(exercise_id).steps}
    mine = sorted(
        (s for s in sessions if s.exercise_id in on_ladder and (today is None or s.day <= today)),
        key=lambda s: s.day,
    )
    if today is None:
        today = max([s.day for s in sessions] + [mornings.last_day or date.min])
    return _decide(index, exercise_id, mine[-2:], mornings, person, programme, today)


def _decide(
    index: Index,
    exercise_id: str,
    recent: Sequence[Logged],
    mornings: Mornings,
    person: Person,
    programme: Prescription | None,
    today: date,
) -> Decision:
    """`recent`: the ladder's last two sessions (or fewer), oldest first."""
    if recent:
        last = recent[-1]
        current = Prescription(last.exercise_id, last.target)
        previous = recent[-2] if len(recent) > 1 else None
        kind, new, reason = _from_log(index, mornings, person, current, last, previous)
        was: Prescription | None = current
    else:
        on_ladder = {step.id for step in index.ladder_of(exercise_id).steps}
        if programme is None or programme.exercise_id not in on_ladder:
            step = index.exercise(exercise_id)
            programme = Prescription(step.id, full_dose(step))
        current = new = programme
        kind = Kind.START
        reason = f"{programme.dose.describe()} from your programme: nothing logged yet"
        was = None
    return _safety(index, mornings, person, current, was, kind, new, reason, today)


def _from_log(
    index: Index,
    mornings: Mornings,
    person: Person,
    current: Prescription,
    last: Logged,
    previous: Logged | None,
) -> tuple[Kind, Prescription, str]:
    """The rules on the last two sessions, before the safety bands."""
    morning = _morning_after(index, mornings, last)

    # Down: pain during above 5/10, a flare the next morning, or the target missed twice.
    downs = []
    if last.pain_during is not None and last.pain_during > MAX_PAIN_DURING:
        downs.append(f"pain during was {last.pain_during}/10 last time, above {MAX_PAIN_DURING}/10")
    if morning.flare:
        downs.append(f"{morning.flare}: up by {FLARE_RISE} or more")
    if previous is not None and not last.in_full and not previous.in_full:
        downs.append(
            f"the target was missed twice in a row ({previous.done_text()}; {last.done_text()})"
        )
    if downs:
        new = _down(index, person, current)
        return Kind.DOWN, new, f"{_label(index, new, current)}: {'; '.join(downs)}"

    # Hold: anything short of up, the most telling reason first.
    hold = _hold_reason(index, mornings, last, previous, morning)
    if hold is not None or previous is None:
        return Kind.HOLD, current, f"{current.dose.describe()}, as last time: {hold}"
    up = _up(index, person, current)
    if isinstance(up, str):
        return Kind.HOLD, current, up
    scores = [previous.pain_during or 0, last.pain_during or 0]
    why = (
        f"the last two sessions were done in full at {_pain_text(scores)}, "
        "settled by the next morning"
    )
    if up.exercise_id != current.exercise_id:
        why += f", and {current.dose.describe()} is this step's full dose"
    return Kind.UP, up, f"{_label(index, up, current)}: {why}"


def _hold_reason(
    index: Index, mornings: Mornings, last: Logged, previous: Logged | None, morning: _Morning
) -> str | None:
    if last.pain_during is None:
        return "no pain-during score was logged last time"
    if last.pain_during > GREEN_MAX:
        return (
            f"pain during was {last.pain_during}/10 last time; hold at 3-5/10, move up only at "
            f"{GREEN_MAX}/10 or less"
        )
    if not last.in_full:
        return f"the last session was short of the target ({last.done_text()})"
    if morning.missing:
        after = (last.day + timedelta(days=1)).isoformat()
        return f"no next-morning check-in on {after} yet (kotcoach checkin)"
    if not morning.settled:
        return f"not settled by the next morning: {morning.unsettled}"
    if (
        previous is None
        or previous.exercise_id != last.exercise_id
        or previous.target != last.target
    ):
        return (
            f"done in full once at {last.target.describe()}; one more session like it moves you up"
        )
    if previous.pain_during is None or previous.pain_during > GREEN_MAX:
        shown = "no score" if previous.pain_during is None else f"{previous.pain_during}/10"
        return f"pain during was {shown} the session before; up needs two at {GREEN_MAX}/10 or less"
    if not previous.in_full:
        return f"the session before was short of the target ({previous.done_text()})"
    before = _morning_after(index, mornings, previous)
    if before.missing:
        after = (previous.day + timedelta(days=1)).isoformat()
        return f"no next-morning check-in on {after}; up needs two sessions settled"
    if not before.settled:
        return f"the session before had not settled by the next morning: {before.unsettled}"
    return None


def _safety(
    index: Index,
    mornings: Mornings,
    person: Person,
    current: Prescription,
    was: Prescription | None,
    kind: Kind,
    new: Prescription,
    reason: str,
    today: date,
) -> Decision:
    """The bands on top of the log's rules: a step the person may not do is left, pain now 6+
    stops loading, a referral stops progression, and pain now 3-5 holds."""
    step = index.exercise(new.exercise_id)
    why_not = blocked(index, person, step, pain=False)
    if why_not is not None:
        easier = _easier_allowed(index, person, step.id)
        if easier is None:
            return Decision(
                Kind.STOP,
                step.id,
                None,
                f"leave it out: {step.name} {why_not}, and no easier step of its ladder suits you",
                was,
            )
        moved = Prescription(easier.id, entry_dose(easier))
        kind, new, reason = (
            Kind.DOWN,
            moved,
            f"{_label(index, moved, current)}: {step.name} {why_not}",
        )
        step = easier

    # A step up that leaves a painful area behind (a squat that loads the ankle, then one that
    # does not) is still a progression made while that area hurts: for a step up, every rule
    # below counts the areas of both steps.
    loaded = list(step.areas)
    if kind is Kind.UP:
        before = index.exercise(current.exercise_id).areas
        loaded += [area for area in before if area not in loaded]
    painful_now = [a for a in loaded if person.pain_now.get(a, 0) >= REFER_PAIN]
    found = [r for r in referrals(mornings, person, today) if r.area in loaded]
    keep = new if kind is Kind.DOWN else current  # no progression: at most the last target
    if painful_now:
        area = painful_now[0]
        now = person.pain_now[area]
        if keep.dose.unit is Unit.SECONDS:
            text = (
                f"{keep.dose.describe()}, no more: {area} pain now {now}/10, so only a still hold "
                f"at a pain-free angle, pain during it 3/10 at most; see a physiotherapist or "
                f"doctor before you load the {area} again"
            )
            return Decision(Kind.STOP, keep.exercise_id, keep.dose, text, was)
        text = (
            f"leave it out: {area} pain now {now}/10, so no moving exercise for the {area}; see "
            f"a physiotherapist or doctor before you load it again"
        )
        return Decision(Kind.STOP, keep.exercise_id, None, text, was)
    if found:
        why = "; ".join(r.why for r in found)
        text = (
            f"{keep.dose.describe()}, no progression: {why}; see a physiotherapist and follow "
            "their programme"
        )
        if kind is Kind.DOWN:
            text = f"{reason}; and no progression: {why}; see a physiotherapist"
        return Decision(Kind.STOP, keep.exercise_id, keep.dose, text, was)
    # No progression while pain now is 3-5 in an area either step loads.
    amber = [a for a in loaded if 3 <= person.pain_now.get(a, 0) < REFER_PAIN]
    if kind is Kind.UP and amber:
        area = amber[0]
        text = (
            f"{current.dose.describe()}, as last time: {area} pain now "
            f"{person.pain_now[area]}/10; no progression until it is {GREEN_MAX}/10 or less"
        )
        return Decision(Kind.HOLD, current.exercise_id, current.dose, text, was)
    return Decision(kind, new.exercise_id, new.dose, reason, was)


def _replay_days(
    index: Index, exercise_id: str, sessions: Sequence[Logged]
) -> list[tuple[date, list[Logged]]]:
    """Each logged day of the ladder, oldest first, with the sessions the coach decided it from
    (the ladder's last two before that day's first session)."""
    on_ladder = {step.id for step in index.ladder_of(exercise_id).steps}
    mine = sorted((s for s in sessions if s.exercise_id in on_ladder), key=lambda s: s.day)
    days = []
    for position, session in enumerate(mine):
        if position and session.day == mine[position - 1].day:
            continue  # the day's first session already has the morning's decision
        days.append((session.day, mine[max(0, position - 2) : position]))
    return days


def replay(
    index: Index,
    exercise_id: str,
    sessions: Sequence[Logged],
    mornings: Mornings,
    person: Person,
    programme: Prescription | None = None,
    morning_is_pain_now: bool = False,
) -> list[tuple[date, Decision]]:
    """The decision each logged day of this ladder started from, oldest first: what the coach
    said that morning, from the sessions before it and the check-ins up to it. With
    `morning_is_pain_now`, each day's check-ins are its pain now (over the person's)."""
    decisions = []
    for day, recent in _replay_days(index, exercise_id, sessions):
        that_day = person
        if morning_is_pain_now:
            that_day = replace(person, pain_now={**person.pain_now, **mornings.day(day)})
        decision = _decide(index, exercise_id, recent, mornings, that_day, programme, day)
        decisions.append((day, decision))
    return decisions


def replay_steps_back(
    index: Index,
    exercise_id: str,
    sessions: Sequence[Logged],
    mornings: Mornings,
    person: Person,
    programme: Prescription | None = None,
    morning_is_pain_now: bool = False,
) -> tuple[list[tuple[int, date, Decision]], int]:
    """The "down" and "stop" decisions of `replay` with their positions in it, and how many
    days it has: the same decisions, found without deciding the days that cannot be one.

    A progress report shows only the steps back and stops of years of log. Deciding every day
    spends most of its time on the days that end in "up" or "hold", and those can be told
    apart cheaply: a day can step back or stop only when its last session was above 5/10
    during, or its next morning flared (up by 2 or more), or the last two sessions both
    missed their target, or the step is one the person may no longer do, or some area was at
    6/10 or more that morning, or some area's mornings refer it. Every other day is decided by
    the rules for "up" and "hold" alone, so it is skipped; the days left are decided in full.
    """
    days = _replay_days(index, exercise_id, sessions)
    # Over-approximations of each rule that can step back or stop, over every area (the rules
    # read only the areas a step loads): a day outside all of them cannot step back or stop.
    high_morning = mornings.days_at_least(FLARE_RISE)  # a rise of 2 needs 2/10 or more
    painful_morning = mornings.days_at_least(REFER_PAIN) if morning_is_pain_now else set()
    painful_now = any(pain >= REFER_PAIN for pain in person.pain_now.values())
    # A referral from the mornings needs a week whose average is above 2/10, or two mornings at
    # 6/10 or more in it: either way a morning at 3/10 or more in the seven days to the day.
    amber_week = {
        day + timedelta(days=n)
        for day in mornings.days_at_least(GREEN_MAX + 1)
        for n in range(WEEK.days)
    }
    areas = mornings.areas
    not_allowed: dict[str, bool] = {}
    found = []
    for position, (day, recent) in enumerate(days):
        if recent and not painful_now and day not in painful_morning:
            last = recent[-1]
            exercise = last.exercise_id
            if exercise not in not_allowed:
                step = index.exercise(exercise)
                not_allowed[exercise] = blocked(index, person, step, pain=False) is not None
            may = (
                (last.pain_during is not None and last.pain_during > MAX_PAIN_DURING)
                or (
                    last.day + timedelta(days=1) in high_morning
                    and _morning_after(index, mornings, last).flare is not None
                )
                or (len(recent) > 1 and not last.in_full and not recent[0].in_full)
                or not_allowed[exercise]
                or (day in amber_week and any(mornings.trend(area, day) for area in areas))
            )
            if not may:
                continue
        that_day = person
        if morning_is_pain_now:
            that_day = replace(person, pain_now={**person.pain_now, **mornings.day(day)})
        decision = _decide(index, exercise_id, recent, mornings, that_day, programme, day)
        if decision.kind in (Kind.DOWN, Kind.STOP):
            found.append((position, day, decision))
    return found, len(days)
