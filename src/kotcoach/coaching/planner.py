"""The planner: a week (or several) of sessions from the catalogue, for one person.

Pure logic: no typer, no rich, no I/O. The same request always gives the same plan. Every change
made to what the catalogue prescribes is recorded with its reason, so the person can see why.

Sources behind the numbers (see the README): the ATG beginner phase (3 days a week, 10-20 minutes,
body weight); ACSM 2009 progression models (novice 2-3 days, intermediate 3-4, advanced 4-5;
progress when 1-2 reps beyond the target are done on two sessions in a row); the pain-monitoring
model (Silbernagel 2007) for the pain bands.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field, replace
from typing import Any, Generic, Protocol, TypeVar

from kotcoach.base.errors import NoFitError, UsageError
from kotcoach.base.suggest import unknown_condition
from kotcoach.base.vocab import Area, Equipment, Goal, Level, RedFlag
from kotcoach.catalogue.plan_catalog import Condition, PlanIndex
from kotcoach.catalogue.renamed import current_conditions
from kotcoach.catalogue.steps import Caution, Dose, Exercise, Ladder
from kotcoach.coaching.gates import MIN_TIME_RULE, OLDER_AGE, min_weeks_on_step, plyometric_block
from kotcoach.coaching.pain import (
    MAX_PAIN_DURING_HOLD,
    PAIN_RULES,
    REFER_AT,
    PainZone,
    merged_rules,
    referral,
    rule_owner,
    screen,
)

DEFAULT_DAYS = {Level.BEGINNER: 3, Level.INTERMEDIATE: 3, Level.ADVANCED: 4}
DEFAULT_MINUTES = {Level.BEGINNER: 20, Level.INTERMEDIATE: 35, Level.ADVANCED: 45}
MAX_SETS = {Level.BEGINNER: 3, Level.INTERMEDIATE: 4, Level.ADVANCED: 5}
REST_SECONDS = {Level.BEGINNER: 45, Level.INTERMEDIATE: 60, Level.ADVANCED: 90}
SECONDS_PER_REP = 3
SETUP_SECONDS = 30
MIN_WARM_UP_MINUTES = 3
WEEKS_PER_STEP = 4  # weeks at one step before the plan moves up even with room for more dose
# kotcoach's own edge: a set's reps or seconds grow to half again the step's catalogue dose at
# most (five reps more for a low-rep step); past that, more of the same is not the way on, the
# ladder's next step is.
GROWTH_CAP = 1.5
GROWTH_FLOOR = 5
BALANCE = (Area.KNEE, Area.ANKLE, Area.HIP, Area.BACK)
DAYS_RANGE = (1, 7)
MINUTES_RANGE = (5, 180)
WEEKS_RANGE = (1, 12)
AGE_RANGE = (10, 110)
# From this age (or after a fall in the last year) backward walking and deep holds are done with
# a support, and no hop or landing is planned: kotcoach's own rule, after the backward-walking
# trial, which supervised its walkers (Alghadir 2019). Clinician review.
FALL_RISK_RULE = (
    "backward walking with a rail or a partner beside you, deep holds with a support in reach, "
    "and no hops or landings (our own rule, not a study's; Clinician review)"
)
# Names a line of the plan lists before it counts the rest: a clinic's catalogue of 2,000
# exercises can leave hundreds out, and a paragraph of names tells a person nothing more.
MAX_NAMED = 20


@dataclass(frozen=True)
class PlanRequest:
    level: Level
    days: int | None = None
    minutes: int | None = None
    equipment: frozenset[Equipment] = frozenset()
    goals: tuple[Goal, ...] = ()
    pain: Mapping[Area, int] = field(default_factory=dict)
    conditions: tuple[str, ...] = ()
    red_flags: tuple[RedFlag, ...] = ()
    weeks: int = 1
    age: int | None = None
    fell_last_year: bool = False

    @property
    def fall_risk(self) -> str | None:
        """Why balance and impact need care (65 or over, or a fall in the last year), or None."""
        if self.fell_last_year:
            return "a fall in the last year"
        if self.age is not None and self.age >= OLDER_AGE:
            return f"age {self.age}"
        return None

    @property
    def session_days(self) -> int:
        return self.days if self.days is not None else DEFAULT_DAYS[self.level]

    @property
    def session_minutes(self) -> int:
        return self.minutes if self.minutes is not None else DEFAULT_MINUTES[self.level]


_T = TypeVar("_T")


class _once(Generic[_T]):  # noqa: N801 (used as a decorator, like property)
    """functools.cached_property without its lock (Python 3.11 takes one on every first read,
    which cost more than the value): worked out on the first read, then an attribute of the
    instance. For frozen records only, where the value can never go stale."""

    def __init__(self, compute: Callable[[Any], _T]) -> None:
        self.compute = compute
        self.name = compute.__name__

    def __get__(self, instance: Any, owner: type | None = None) -> _T:
        value = self.compute(instance)
        instance.__dict__[self.name] = value
        return value


@dataclass(frozen=True)
class Item:
    """One exercise in a session, with what it replaced and why."""

    exercise: Exercise
    dose: Dose
    changes: tuple[str, ...] = ()
    cautions: tuple[str, ...] = ()
    held: str | None = None  # why it may not progress yet

    @property
    def key_cue(self) -> str:
        return self.exercise.key_cue

    @_once
    def seconds(self) -> int:
        """Worked out once: a plan asks it of each item many times as it fills its weeks."""
        return dose_seconds(self.dose, self.exercise.level)


@dataclass(frozen=True)
class Session:
    day: int
    warm_up: Item | None
    items: tuple[Item, ...]

    def labelled(self) -> list[tuple[str, Item]]:
        """The warm-up, then the numbered exercises: ('warm-up', item), ('1', item), ..."""
        warm_up = [("warm-up", self.warm_up)] if self.warm_up else []
        return warm_up + [(str(n), item) for n, item in enumerate(self.items, start=1)]

    @property
    def minutes(self) -> int:
        total = sum(item.seconds for item in self.items)
        if self.warm_up:
            total += self.warm_up.seconds
        return math.ceil(total / 60)


@dataclass(frozen=True)
class Week:
    number: int
    sessions: tuple[Session, ...]


@dataclass(frozen=True)
class Plan:
    request: PlanRequest
    weeks: tuple[Week, ...]
    notes: tuple[str, ...]
    pain_rules: tuple[str, ...]
    left_out: tuple[str, ...]
    referral: str | None = None  # set when any area hurts 6/10 or more now: shown first
    # Each condition's name and its own pain rules, for the short merged rules (wording).
    condition_rules: tuple[tuple[str, tuple[str, ...]], ...] = ()
    no_room: tuple[str, ...] = ()  # what week one had no room for, by name

    @property
    def sessions(self) -> tuple[Session, ...]:
        return self.weeks[0].sessions


def dose_seconds(dose: Dose, level: Level) -> int:
    """Roughly how long a dose takes: work, rest between sets, and a little setting up."""
    if dose.minutes is not None:
        work = dose.minutes * 60
    elif dose.hold_seconds is not None:
        work = dose.hold_seconds
    else:
        work = (dose.reps or 0) * SECONDS_PER_REP
    sides = 2 if dose.per_side else 1
    rest = dose.rest_seconds if dose.rest_seconds is not None else REST_SECONDS[level]
    return dose.sets * work * sides + (dose.sets - 1) * rest + SETUP_SECONDS


class Plannable(Protocol):
    """A catalogue plans can be made from: its plain records (catalogue.plan_catalog), or an
    Index of its models (kotcoach.catalogue.ladders), which gives them."""

    def for_planning(self) -> PlanIndex: ...


def validate_request(request: PlanRequest, index: PlanIndex) -> None:
    """Reject values outside their ranges or unknown to the catalogue (exit 2 in the CLI)."""
    for name, value, (low, high) in (
        ("--days", request.days, DAYS_RANGE),
        ("--minutes", request.minutes, MINUTES_RANGE),
        ("--weeks", request.weeks, WEEKS_RANGE),
        ("--age", request.age, AGE_RANGE),
    ):
        if value is not None and not low <= value <= high:
            raise UsageError(f"{name} must be {low} to {high}, not {value}")
    for area, score in request.pain.items():
        if not 0 <= score <= 10:
            raise UsageError(f"pain for {area} must be 0 to 10, not {score}")
    for condition in request.conditions:
        if condition not in index.conditions:
            raise unknown_condition(condition, index.conditions)


def make_plan(catalogue: Plannable, request: PlanRequest) -> Plan:
    """The plan for a request. Raises RedFlagStop when a red flag is present, NoFitError when
    nothing fits the constraints.

    The order of conditions does not matter: they are applied as one set."""
    screen(request.red_flags)
    index = catalogue.for_planning()
    conditions, renamed = current_conditions(request.conditions)
    request = replace(request, conditions=conditions)
    validate_request(request, index)
    request = replace(request, conditions=tuple(sorted(set(request.conditions))))
    rules = _Rules(index, request)
    notes: list[str] = list(renamed)
    if request.fall_risk:
        notes.append(f"With {request.fall_risk}: {FALL_RISK_RULE}.")
    left_out: list[str] = []
    stand_ins: StandIns = {}
    items = _choose(rules, left_out, stand_ins)
    warm_up = _warm_up(rules, notes)
    budget = request.session_minutes * 60 - (warm_up.seconds if warm_up else 0)
    shortest = min(items, key=lambda item: item.seconds)
    if shortest.seconds > budget:
        raise NoFitError(
            f"no exercise fits in {request.session_minutes} minutes: the shortest, "
            f"{shortest.exercise.id}, takes about {math.ceil(shortest.seconds / 60)} min after "
            "the warm-up",
            hint="raise --minutes",
        )
    favoured = {e for c in request.conditions for e in index.conditions[c].favour}
    ordered = _balanced(items, favoured)
    first_week = _fill_week(ordered, request, budget, warm_up, index)
    placed = {item.exercise.id for session in first_week.sessions for item in session.items}
    # A stand-in is named as 'already in the plan' only when the week has room for it; when it
    # has none, what it stands in for is named with it under 'no room' instead.
    left_out += [
        f"Replaced by {index.by_id[stand_in].name}, which is already in the plan: {named(names)}"
        for stand_in, names in stand_ins.items()
        if stand_in in placed
    ]
    no_room = _no_room(ordered, placed, request, stand_ins)
    if no_room:
        notes.append(
            f"No room this week in {request.session_days} sessions of "
            f"{request.session_minutes} minutes for: {named(list(no_room))}. More minutes or "
            "days would fit them."
        )
    weeks = [first_week]
    for number in range(2, request.weeks + 1):
        weeks.append(_advance(rules, weeks, number, budget))
    pain_rules = list(PAIN_RULES)
    groups = [
        (index.conditions[c].name, index.conditions[c].pain_rules) for c in request.conditions
    ]
    everyone = " and ".join(name for name, _ in groups) if len(groups) < 3 else "All conditions"
    pain_rules += [
        f"{rule_owner(holders, len(groups)) or everyone}: {rule}"
        for holders, rule in merged_rules(groups)
    ]
    return Plan(
        request,
        tuple(weeks),
        tuple(notes),
        tuple(pain_rules),
        tuple(left_out),
        referral(dict(request.pain)),
        tuple((c.name, c.pain_rules) for c in rules.conditions),
        no_room,
    )


class _Rules:
    """What a request allows, asked of one exercise at a time: equipment, level, conditions
    (avoided, or swapped out by a caution) and pain now."""

    def __init__(self, index: PlanIndex, request: PlanRequest) -> None:
        self.index = index
        self.request = request
        self.conditions = [index.conditions[c] for c in request.conditions]
        # The answer for each exercise, once asked: a plan asks again for the same steps
        # week after week, and the rules never change while it is made.
        self._forbidden: dict[str, str | None] = {}

    def usable(self, step: Exercise) -> bool:
        return set(step.equipment) <= self.request.equipment

    def forbidden(self, exercise: Exercise) -> str | None:
        """Why a condition, or the gate on hops and landings, rules this exercise out of a plan,
        or None (_why_forbidden, worked out once an exercise)."""
        try:
            return self._forbidden[exercise.id]
        except KeyError:
            why = self._forbidden[exercise.id] = self._why_forbidden(exercise)
            return why

    def _why_forbidden(self, exercise: Exercise) -> str | None:
        """Why a condition, or the gate on hops and landings, rules this exercise out of a plan,
        or None.

        A condition rules it out when it lists it under avoid, when the exercise's caution for
        it names a substitute (the catalogue's way of saying: too much load, swap it), or when
        the caution's change needs equipment the person has none of (eased must be doable).
        The gate on hops and landings speaks first: its reason is the more telling one."""
        if exercise.plyometric and (gate := self.plyometric_gate(exercise)):
            return gate
        for condition in self.conditions:
            label = condition_label(condition)
            if exercise.id in condition.avoid:
                return f"one to avoid with {label}"
            waits = dict(condition.not_yet).get(exercise.id)
            if waits is not None:
                return f"{waits} ({label})"
            caution = caution_for(exercise, condition.id)
            if caution is not None and caution.substitute is not None:
                return f"too much load with {label}"
            if caution is not None and not self.doable(caution):
                kit = " or ".join(str(e) for e in caution.needs_one_of)
                return f"its change for {label} needs a {kit}"
        return None

    def doable(self, caution: Caution) -> bool:
        """True when the caution's change needs no equipment, or some the person has."""
        return not caution.needs_one_of or bool(set(caution.needs_one_of) & self.request.equipment)

    def plyometric_gate(self, exercise: Exercise) -> str | None:
        """Why a hop, bound or landing is not for this person now, or None: the catalogue's
        entry gate as a rule (kotcoach.coaching.gates)."""
        request = self.request
        return plyometric_block(
            exercise.areas,
            request.level,
            request.pain,
            [(condition_label(c), c.no_plyometrics) for c in self.conditions if c.no_plyometrics],
            request.fall_risk,
        )

    def allowed(self, exercise: Exercise) -> bool:
        return self.usable(exercise) and self.forbidden(exercise) is None

    def pain_of(self, exercise: Exercise) -> tuple[Area, int] | None:
        """The most painful area this exercise loads, with its score (ties in body order)."""
        scored = [
            (self.request.pain[area], area) for area in exercise.areas if area in self.request.pain
        ]
        if not scored:
            return None
        score, area = max(scored, key=lambda pair: (pair[0], -BALANCE.index(pair[1])))
        return area, score

    def painful(self, exercise: Exercise) -> bool:
        """True when it loads an area with pain above green (3/10 or more) now."""
        found = self.pain_of(exercise)
        return found is not None and PainZone.of(found[1]) is not PainZone.GREEN

    def cautions(self, exercise: Exercise) -> tuple[str, ...]:
        """The modifications the person's conditions ask of this exercise, and only this one."""
        texts = []
        for condition in self.conditions:
            caution = caution_for(exercise, condition.id)
            if caution is not None:
                texts.append(f"{condition.name}: {caution.modification}")
        return tuple(texts)


def condition_label(condition: Condition) -> str:
    """'Patellofemoral pain (kneecap pain)' -> 'patellofemoral pain'."""
    return condition.name.split(" (")[0].lower()


def caution_for(exercise: Exercise, condition_id: str) -> Caution | None:
    return next((c for c in exercise.cautions if c.condition == condition_id), None)


def _usable(step: Exercise, request: PlanRequest) -> bool:
    return set(step.equipment) <= request.equipment


def _working_step(ladder: Ladder[Exercise], request: PlanRequest) -> Exercise | None:
    """Where a person starts on a ladder: a step every level starts at (body weight before
    load), else the first step at their level, or, when their equipment rules that out, the
    hardest easier step they can do. Never a pain hold: that is for an area at 6/10 or more."""
    usable = [
        s
        for s in ladder.steps
        if not s.pain_hold and s.level.rank <= request.level.rank and _usable(s, request)
    ]
    for step in usable:
        if step.start_for_every_level:
            return step
    at_level = [s for s in usable if s.level == request.level]
    if at_level:
        return at_level[0]
    return usable[-1] if usable else None


Lost = dict[str, list[str]]  # why ladders left the plan -> their names, in catalogue order
StandIns = dict[str, list[str]]  # the id of an exercise already chosen -> names it stands in for


def _choose(rules: _Rules, left_out: list[str], stand_ins: StandIns) -> list[Item]:
    """One item per ladder: its working step, then conditions and pain applied, duplicates gone.
    Whatever a ladder loses is listed under left_out with the reason; a ladder whose stand-in
    another ladder already gave is put in `stand_ins`, said once the week is filled."""
    index, request = rules.index, rules.request
    chosen: dict[str, Item] = {}
    # Why ladders left the plan -> their names: one line each, missing equipment first, then
    # conditions and stand-ins, then pain now.
    needs: Lost = {}
    lost: Lost = {}
    no_load: Lost = {}
    goals = set(request.goals)
    for ladder in index.ladders:
        if ladder.first.warm_up:
            continue
        if all(s.pain_hold for s in ladder.steps):
            # A hold for a sore area comes in only while an area it loads is at 6/10 or more,
            # whatever the goals: a 6/10 area always keeps a hold.
            step = _pain_hold_step(ladder, rules)
            if step is None:
                continue
        elif goals and not any(goals & set(step.goals) for step in ladder.steps):
            continue
        else:
            step = _working_step(ladder, request)
        if step is None:
            kit = sorted(str(e) for e in set(ladder.first.equipment) - request.equipment)
            needs.setdefault(f"Needs {' and '.join(kit)}", []).append(ladder.first.name)
            continue
        changes: list[str] = []
        if step.level != request.level:
            harder = [s for s in ladder.steps if s.level == request.level]
            if harder and not _usable(harder[0], request):
                missing = sorted(set(harder[0].equipment) - set(request.equipment))
                changes.append(f"easier step: {harder[0].name} needs {', '.join(missing)}")
        item = _apply_conditions(rules, Item(step, _dose(step), tuple(changes)), lost)
        if item is None:
            continue
        item = _apply_pain(rules, item, no_load)
        if item is None:
            continue
        if item.exercise.id in chosen:
            if item.exercise.id != step.id:
                stand_ins.setdefault(item.exercise.id, []).append(step.name)
            continue
        chosen[item.exercise.id] = _supported(
            rules,
            Item(item.exercise, item.dose, item.changes, rules.cautions(item.exercise), item.held),
        )
    left_out += [
        f"{why}: {named(names)}" for group in (needs, lost, no_load) for why, names in group.items()
    ]
    if not chosen:
        raise NoFitError(
            "no exercise fits these constraints" + _pain_reason(rules),
            hint=_relax_hint(request),
        )
    return list(chosen.values())


def _pain_hold_step(ladder: Ladder[Exercise], rules: _Rules) -> Exercise | None:
    """The first hold of a ladder of pain holds the person can do, if an area it loads hurts
    6/10 or more now; else None."""
    found = rules.pain_of(ladder.first)
    if found is None or found[1] < REFER_AT:
        return None
    return next((s for s in ladder.steps if rules.usable(s)), None)


def named(names: list[str]) -> str:
    """'A, B, C'; from MAX_NAMED + 3 names, the first MAX_NAMED and a count of the rest."""
    if len(names) <= MAX_NAMED + 2:  # never 'and 1 more': naming it takes no more room
        return ", ".join(names)
    return ", ".join(names[:MAX_NAMED]) + f" and {len(names) - MAX_NAMED} more"


def _pain_reason(rules: _Rules) -> str:
    text = referral(dict(rules.request.pain))
    return f" ({text.split(': ')[0].lower()})" if text else ""


def _relax_hint(request: PlanRequest) -> str:
    hints = []
    if request.goals:
        hints.append("drop --goal")
    if not request.equipment:
        hints.append("add --equipment you have")
    if request.conditions:
        hints.append("check the --condition list")
    return "; ".join(hints) or "choose another --level"


def _dose(step: Exercise) -> Dose:
    if step.dose is not None:
        return step.dose
    # A catalogue may leave the dose out: fall back to the ACSM novice range.
    return Dose(sets=2, reps=10)


def _apply_conditions(rules: _Rules, item: Item, lost: Lost) -> Item | None:
    """Swap out what a condition rules out: the caution's substitute, else the hardest easier
    step that is allowed, else nothing (named in `lost` under its reason)."""
    exercise = item.exercise
    reason = rules.forbidden(exercise)
    if reason is None:
        return item
    substitutes = [
        rules.index.by_id[caution.substitute]
        for condition in rules.conditions
        if (caution := caution_for(exercise, condition.id)) and caution.substitute
    ]
    ladder = rules.index.ladder_of(exercise.id)
    easier = list(reversed(ladder.steps[: ladder.position(exercise.id)]))
    for candidate in [*substitutes, *easier]:
        if candidate.id != exercise.id and not candidate.warm_up and rules.allowed(candidate):
            change = f"{candidate.name} instead of {exercise.name}: {reason}"
            return Item(candidate, _dose(candidate), (*item.changes, change))
    why = f"{reason[0].upper()}{reason[1:]}, and no easier step fits"
    lost.setdefault(why, []).append(exercise.name)
    return None


def _apply_pain(rules: _Rules, item: Item | None, no_load: Lost) -> Item | None:
    """The pain-now bands. 3-5/10: one step down (or less range on the easiest step), held.
    6-10/10: still holds only, at a pain-free angle, or nothing for that area. Applied again when
    an easier step loads a more painful area."""
    moved_for_amber = False
    while item is not None:
        found = rules.pain_of(item.exercise)
        if found is None:
            return item
        area, score = found
        zone = PainZone.of(score)
        if zone is PainZone.GREEN:
            return item
        if zone is PainZone.RED:
            return _hold_only(rules, item, area, score, no_load)
        if moved_for_amber:
            return item
        moved_for_amber = True
        moved = _step_down(rules, item, area, score)
        if moved.exercise.id == item.exercise.id:
            return moved
        item = moved
    return None


def _held(area: Area) -> str:
    return f"stay at this step until {area} pain now is 2/10 or less (our own rule)"


def _step_down(rules: _Rules, item: Item, area: Area, score: int) -> Item:
    ladder = rules.index.ladder_of(item.exercise.id)
    easier = [
        s
        for s in ladder.steps[: ladder.position(item.exercise.id)]
        if rules.allowed(s) and not s.pain_hold
    ]
    if easier:
        step = easier[-1]
        change = f"moved down to {step.name}, from {item.exercise.name}: {area} pain {score}/10 now"
        return Item(step, _dose(step), (*item.changes, change), held=_held(area))
    change = f"eased: {area} pain {score}/10 now, so use less range, depth or pace"
    return replace(item, changes=(*item.changes, change), held=_held(area))


def _hold_only(rules: _Rules, item: Item, area: Area, score: int, no_load: Lost) -> Item | None:
    """An area at 6/10 or more gets no moving exercise: the easiest allowed still hold on the
    ladder, at a pain-free angle, or nothing."""
    ladder = rules.index.ladder_of(item.exercise.id)
    holds = [s for s in ladder.steps if s.isometric and rules.allowed(s)]
    if item.exercise.isometric:
        holds = [item.exercise]
    if not holds:
        # One line per painful area for what it left out, not the same reason on every row.
        why = (
            f"No loading for the {area} ({score}/10 now) until a physiotherapist or doctor has "
            "seen it"
        )
        no_load.setdefault(why, []).append(item.exercise.name)
        return None
    step = holds[0]
    dose = replace(
        _dose(step), note=f"at a pain-free angle; pain during at most {MAX_PAIN_DURING_HOLD}/10"
    )
    if step.id == item.exercise.id:
        change = f"still hold only: {area} pain {score}/10 now"
    else:
        change = (
            f"still hold only: {step.name} instead of {item.exercise.name}: "
            f"{area} pain {score}/10 now"
        )
    return Item(step, dose, (*item.changes, change), held=_held(area))


def _warm_up(rules: _Rules, notes: list[str]) -> Item | None:
    """The backward-walking warm-up, after conditions and pain, shortened to a quarter of the
    session when time is short. Walking is not a hold: an area at 6/10 or more drops it."""
    request = rules.request
    for ladder in rules.index.ladders:
        if not ladder.first.warm_up:
            continue
        step = _working_step(ladder, request)
        if step is None:
            continue
        item = _warm_up_allowed(rules, Item(step, _dose(step)))
        if item is None:
            continue
        found = rules.pain_of(item.exercise)
        if found is not None and found[1] >= REFER_AT:
            notes.append(
                f"No warm-up walk: it loads the {found[0]}, at {found[1]}/10 now. Move gently "
                "for a few minutes instead, only as far as it stays comfortable."
            )
            return None
        if found is not None and PainZone.of(found[1]) is PainZone.AMBER:
            item = _step_down(rules, item, *found)
        item = _supported(rules, replace(item, cautions=rules.cautions(item.exercise)))
        dose = item.dose
        cap = max(MIN_WARM_UP_MINUTES, request.session_minutes // 4)
        if dose.minutes is not None and dose.minutes * dose.sets > cap:
            change = f"shortened to {cap} min to fit {request.session_minutes}-minute sessions"
            short = Dose(sets=1, minutes=cap, note=dose.note)
            item = replace(item, dose=short, changes=(*item.changes, change))
        return item
    notes.append("This catalogue has no warm-up exercise: walk easily for 5 minutes first.")
    return None


def _supported(rules: _Rules, item: Item) -> Item:
    """At 65 or over, or after a fall in the last year: backward walking and still holds that
    load the knee or hip with a support (kotcoach's own rule)."""
    why = rules.request.fall_risk
    if why is None:
        return item
    exercise = item.exercise
    if exercise.warm_up:
        change = f"with a rail to hold or a partner beside you: {why}"
    elif item.dose.hold_seconds is not None and {Area.KNEE, Area.HIP} & set(exercise.areas):
        change = (
            f"keep a rail, door frame or sturdy chair in reach, and hold it to get into and out "
            f"of the hold: {why}"
        )
    else:
        return item
    return replace(item, changes=(*item.changes, change))


def _warm_up_allowed(rules: _Rules, item: Item) -> Item | None:
    """The warm-up's step, or the easiest allowed one before it, when a condition rules it out."""
    reason = rules.forbidden(item.exercise)
    if reason is None:
        return item
    ladder = rules.index.ladder_of(item.exercise.id)
    for step in reversed(ladder.steps[: ladder.position(item.exercise.id)]):
        if rules.allowed(step):
            change = f"{step.name} instead of {item.exercise.name}: {reason}"
            return Item(step, _dose(step), (change,))
    return None


def _balanced(items: list[Item], favoured: set[str]) -> list[Item]:
    """Round-robin across knee, ankle, hip and back, so any run of items is balanced; within
    each area, what a person's conditions favour comes first."""
    queues: dict[Area | None, list[Item]] = {area: [] for area in BALANCE}
    queues[None] = []
    for item in items:
        areas = item.exercise.areas
        primary = areas[0] if areas else None
        queues[primary].append(item)
    for queue in queues.values():
        # A stable sort: favoured first, the rest keep their catalogue order.
        queue.sort(key=lambda item: item.exercise.id not in favoured)
    # Round r takes the r-th item of each area in turn (linear: no list.pop(0)).
    rounds = max((len(queue) for queue in queues.values()), default=0)
    return [queue[r] for r in range(rounds) for queue in queues.values() if r < len(queue)]


def _fill_week(
    ordered: list[Item], request: PlanRequest, budget: int, warm_up: Item | None, index: PlanIndex
) -> Week:
    """Each day takes the next items round the balanced list until its minutes are used."""
    catalogue_order = {e.id: i for i, e in enumerate(index.exercises)}
    sessions = []
    start = 0
    for day in range(1, request.session_days + 1):
        taken: list[Item] = []
        used = 0
        for offset in range(len(ordered)):
            item = ordered[(start + offset) % len(ordered)]
            if used + item.seconds <= budget:
                taken.append(item)
                used += item.seconds
        start = (start + max(1, len(taken))) % len(ordered)
        taken.sort(key=lambda item: catalogue_order[item.exercise.id])
        sessions.append(Session(day, warm_up, tuple(taken)))
    return Week(1, tuple(sessions))


def _no_room(
    ordered: list[Item], placed: set[str], request: PlanRequest, stand_ins: StandIns
) -> tuple[str, ...]:
    """The names the week's minutes and days had no room for, each with what it stood in for."""
    return tuple(
        item.exercise.name
        + (
            f" (in place of {', '.join(stand_ins[item.exercise.id])})"
            if item.exercise.id in stand_ins
            else ""
        )
        for item in ordered
        if item.exercise.id not in placed
    )


def _advance(rules: _Rules, weeks: list[Week], number: int, budget: int) -> Week:
    """The next week: one change per exercise, inside each session's minutes.

    While a session has room, the dose grows (a set, then reps or seconds) and every
    WEEKS_PER_STEP weeks the ladder's next step comes in. Once it is full, a physiotherapist
    progresses by intensity rather than volume: the harder step as soon as the time on this one
    allows (kotcoach's rule, coaching.gates), starting at no more than this step's dose; else a
    set traded for longer sets at the same total; else the same dose. A session's spare minutes
    are shared out over the weeks left (kotcoach's own pacing), and who gets them first turns
    week by week, so the same rows are not always the ones left the same."""
    previous = weeks[-1]
    in_plan = {item.exercise.id for session in previous.sessions for item in session.items}
    sessions = []
    for day, session in enumerate(previous.sessions):
        items = list(session.items)
        # The minutes left are shared out over the weeks left, so a plan keeps moving on to
        # its last week instead of filling up in its second.
        left = rules.request.weeks - number + 1
        slack = (budget - sum(item.seconds for item in items)) // left
        count = len(items)
        for turn in range(count):
            position = (turn + number) % count
            item = items[position]
            on_step = _weeks_on_step(weeks, day, position)
            # The choices come one at a time, best first, as a step and a dose; only the one that
            # fits is made into next week's item, with the line that says what changed.
            chosen, offered = None, False
            for step, dose, made in _choices(rules, item, number, on_step, in_plan):
                offered = True
                if dose_seconds(dose, step.level) - item.seconds <= slack:
                    chosen = made(rules, item, step, dose)
                    break
            if chosen is None and item.held:
                chosen = _changed(item, item.dose, f"held: {item.held}")
            elif chosen is None:
                why = "same dose: the session is full" if offered else "same dose"
                chosen = _changed(item, item.dose, why)
            cost = chosen.seconds - item.seconds
            slack -= cost if cost >= 0 else -(-cost // left)  # time freed is shared out too
            items[position] = chosen
        sessions.append(Session(session.day, session.warm_up, tuple(items)))
    return Week(number, tuple(sessions))


def _weeks_on_step(weeks: list[Week], day: int, position: int) -> int:
    """How many weeks, up to the last, a session's row has been on the step it is on now."""
    current = weeks[-1].sessions[day].items[position].exercise.id
    count = 0
    for week in reversed(weeks):
        if week.sessions[day].items[position].exercise.id != current:
            break
        count += 1
    return count


PROGRESS_IF = (
    "if last week's sessions were done in full at pain 2/10 or less (our own rule), settled "
    "by morning"
)
MOVE_UP_IF = (
    "if the last two sessions of it were done in full at pain 2/10 or less (our own rule) and "
    "settled by the next morning; if not, stay on it"
)


# One kind of change for next week: (rules, item, the harder step if open now) -> a choice.
_Choice = Callable[["_Rules", Item, Exercise | None], "Choice | None"]
# Makes a chosen change into next week's item: (rules, item, its step, its dose) -> the item.
_Made = Callable[["_Rules", Item, Exercise, Dose], Item]
# A change next week could make to a row: the step, the dose, and how to make the item of them.
Choice = tuple[Exercise, Dose, _Made]


def _choices(
    rules: _Rules, item: Item, week: int, on_step: int, in_plan: set[str]
) -> Iterator[Choice]:
    """What next week could be for this row, best first; the first that fits is taken. None
    when nothing more is possible (held for pain, or the most this step gives and no harder
    step open to this person). Each is worked out only when the one before it did not fit.

    The week's own kind of more (a set on even weeks, reps or seconds on odd ones) comes
    first; when it does not fit, the harder step, once the time on this one allows; then the
    other kind of more, which takes less time than a set; then a set traded for longer sets."""
    if item.held:
        return
    harder = _open_step(rules, item, in_plan)
    waiting = harder is not None and on_step < min_weeks_on_step(item.exercise.areas)
    first, second = (_more_set, _more_reps) if week % 2 == 0 else (_more_reps, _more_set)
    makers: tuple[_Choice, ...] = (
        (_up, first, second) if on_step >= WEEKS_PER_STEP else (first, _up, second)
    )
    for make in makers:
        choice = make(rules, item, None if waiting else harder)
        if choice is not None:
            yield choice
    # While the harder step waits for its time, the row waits too: a trade now would only
    # change the dose the step starts from.
    if not waiting:
        traded = _traded(item)
        if traded is not None:
            yield traded


def _up(rules: _Rules, item: Item, harder: Exercise | None) -> Choice | None:
    """The harder step as a choice, when one is open and its time has come: starting at no
    more than this step's dose, one set fewer than its own."""
    if harder is None:
        return None
    return harder, _entry(_dose(harder), item.dose), _moved_up


def _changed(item: Item, dose: Dose, change: str) -> Item:
    """The item at a new dose (or the same), with this week's one change."""
    return Item(item.exercise, dose, (change,), item.cautions, item.held)


def _redosed(dose: Dose, sets: int, reps: int | None, hold_seconds: int | None) -> Dose:
    """The dose with new sets, reps or seconds (what a week changes), the rest as it was."""
    return Dose(
        sets=sets,
        reps=reps,
        hold_seconds=hold_seconds,
        minutes=dose.minutes,
        per_side=dose.per_side,
        tempo=dose.tempo,
        rest_seconds=dose.rest_seconds,
        note=dose.note,
    )


def _room(now: int | None, start: int | None) -> int:
    """How many more reps or seconds a set may take: up to half again the step's own dose, or
    five more (GROWTH_CAP, GROWTH_FLOOR: kotcoach's own edge); past it, the harder step is the
    way on."""
    if now is None:
        return 0
    own = start or now
    return max(math.floor(own * GROWTH_CAP), own + GROWTH_FLOOR) - now


def _more_set(rules: _Rules, item: Item, harder: Exercise | None) -> Choice | None:
    """A little more volume: one more set, up to the level's most; None at the most."""
    dose = item.dose
    if dose.sets >= MAX_SETS[rules.request.level]:
        return None
    return item.exercise, _redosed(dose, dose.sets + 1, dose.reps, dose.hold_seconds), _set_added


def _set_added(rules: _Rules, item: Item, step: Exercise, dose: Dose) -> Item:
    return _changed(item, dose, f"one more set ({dose.sets}), {PROGRESS_IF}")


def _more_reps(rules: _Rules, item: Item, harder: Exercise | None) -> Choice | None:
    """A little more volume: two reps or five seconds more a set, up to GROWTH_CAP of the
    step's own dose; None where the dose has no room for it."""
    dose, start = item.dose, _dose(item.exercise)
    reps = min(2, _room(dose.reps, start.reps))
    if dose.reps is not None and reps > 0:
        new = _redosed(dose, dose.sets, dose.reps + reps, dose.hold_seconds)
        return item.exercise, new, _reps_added
    if dose.hold_seconds is not None and _room(dose.hold_seconds, start.hold_seconds) >= 5:
        new = _redosed(dose, dose.sets, dose.reps, dose.hold_seconds + 5)
        return item.exercise, new, _held_longer
    return None


def _reps_added(rules: _Rules, item: Item, step: Exercise, dose: Dose) -> Item:
    added = (dose.reps or 0) - (item.dose.reps or 0)
    more = "two more reps" if added == 2 else "one more rep"
    return _changed(item, dose, f"{more} ({dose.reps}), {PROGRESS_IF}")


def _held_longer(rules: _Rules, item: Item, step: Exercise, dose: Dose) -> Item:
    return _changed(item, dose, f"five seconds longer ({dose.hold_seconds} s), {PROGRESS_IF}")


def _traded(item: Item) -> Choice | None:
    """One set fewer, the same total in longer sets: harder sets in less time (one rest fewer).
    Only from three sets, so two always remain, and no set past the step's most."""
    dose, start = item.dose, _dose(item.exercise)
    if dose.sets < 3:
        return None
    fewer = dose.sets - 1
    if dose.reps is not None:
        reps = math.ceil(dose.sets * dose.reps / fewer)
        if reps - dose.reps > _room(dose.reps, start.reps):
            return None
        return item.exercise, _redosed(dose, fewer, reps, dose.hold_seconds), _traded_for_reps
    if dose.hold_seconds is not None:
        hold = 5 * math.ceil(dose.sets * dose.hold_seconds / fewer / 5)
        if hold - dose.hold_seconds > _room(dose.hold_seconds, start.hold_seconds):
            return None
        return item.exercise, _redosed(dose, fewer, dose.reps, hold), _traded_for_holds
    return None


def _traded_for_reps(rules: _Rules, item: Item, step: Exercise, dose: Dose) -> Item:
    change = (
        f"a set traded for reps ({dose.sets} × {dose.reps}): the session is full, {PROGRESS_IF}"
    )
    return _changed(item, dose, change)


def _traded_for_holds(rules: _Rules, item: Item, step: Exercise, dose: Dose) -> Item:
    change = (
        f"a set traded for longer holds ({dose.sets} × {dose.hold_seconds} s): the session is "
        f"full, {PROGRESS_IF}"
    )
    return _changed(item, dose, change)


def _open_step(rules: _Rules, item: Item, in_plan: set[str]) -> Exercise | None:
    """The ladder's next step if this person may take it as they are, whatever the time on this
    one: the level, equipment, every condition and pain now allow it. Never a step a condition
    rules out, a hop the gate keeps out, one that loads an area at 3/10 or more now, a hold for a
    sore area, or an exercise the plan already has."""
    harder = rules.index.harder(item.exercise.id)
    if (
        harder is None
        or harder.pain_hold
        or harder.id in in_plan
        or harder.level.rank > rules.request.level.rank
        or not rules.allowed(harder)
        or rules.painful(harder)
    ):
        return None
    return harder


def _moved_up(rules: _Rules, item: Item, harder: Exercise, dose: Dose) -> Item:
    """The harder step at its entry dose (_up), saying why and when."""
    reason = f"moved up from {item.exercise.name} (after at least {MIN_TIME_RULE}), {MOVE_UP_IF}"
    return _supported(rules, Item(harder, dose, (reason,), rules.cautions(harder)))


def _entry(full: Dose, last: Dose) -> Dose:
    """Where a harder step starts: its own dose with one set fewer, and no more sets, reps or
    seconds than the step before's last dose (as the coach moves a person up)."""
    dose = replace(full, sets=max(1, min(full.sets - 1, last.sets)))
    if dose.reps is not None and last.reps is not None:
        dose = replace(dose, reps=min(dose.reps, last.reps))
    if dose.hold_seconds is not None and last.hold_seconds is not None:
        dose = replace(dose, hold_seconds=min(dose.hold_seconds, last.hold_seconds))
    if dose.minutes is not None and last.minutes is not None:
        dose = replace(dose, minutes=min(dose.minutes, last.minutes))
    return dose
