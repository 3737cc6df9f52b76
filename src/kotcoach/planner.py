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
from collections.abc import Mapping
from dataclasses import dataclass, field, replace

from kotcoach.errors import NoFitError, UsageError
from kotcoach.ladders import Index, Ladder, unknown_condition
from kotcoach.models import Caution, Dose, Exercise
from kotcoach.pain import PAIN_RULES, PainZone, screen
from kotcoach.vocab import Area, Equipment, Goal, Level, RedFlag

DEFAULT_DAYS = {Level.BEGINNER: 3, Level.INTERMEDIATE: 3, Level.ADVANCED: 4}
DEFAULT_MINUTES = {Level.BEGINNER: 20, Level.INTERMEDIATE: 35, Level.ADVANCED: 45}
MAX_SETS = {Level.BEGINNER: 3, Level.INTERMEDIATE: 4, Level.ADVANCED: 5}
REST_SECONDS = {Level.BEGINNER: 45, Level.INTERMEDIATE: 60, Level.ADVANCED: 90}
SECONDS_PER_REP = 3
SETUP_SECONDS = 30
MIN_WARM_UP_MINUTES = 3
WEEKS_PER_STEP = 4  # weeks at one ladder step before the plan moves up, if pain allows
BALANCE = (Area.KNEE, Area.ANKLE, Area.HIP, Area.BACK)
DAYS_RANGE = (1, 7)
MINUTES_RANGE = (5, 180)
WEEKS_RANGE = (1, 12)


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

    @property
    def session_days(self) -> int:
        return self.days if self.days is not None else DEFAULT_DAYS[self.level]

    @property
    def session_minutes(self) -> int:
        return self.minutes if self.minutes is not None else DEFAULT_MINUTES[self.level]


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
        return self.exercise.cues[0]

    @property
    def seconds(self) -> int:
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


def validate_request(request: PlanRequest, index: Index) -> None:
    """Reject values outside their ranges or unknown to the catalogue (exit 2 in the CLI)."""
    for name, value, (low, high) in (
        ("--days", request.days, DAYS_RANGE),
        ("--minutes", request.minutes, MINUTES_RANGE),
        ("--weeks", request.weeks, WEEKS_RANGE),
    ):
        if value is not None and not low <= value <= high:
            raise UsageError(f"{name} must be {low} to {high}, not {value}")
    for area, score in request.pain.items():
        if not 0 <= score <= 10:
            raise UsageError(f"pain for {area} must be 0 to 10, not {score}")
    for condition in request.conditions:
        if condition not in index.conditions:
            raise unknown_condition(condition, index.conditions)


def make_plan(index: Index, request: PlanRequest) -> Plan:
    """The plan for a request. Raises RedFlagStop when a red flag is present, NoFitError when
    nothing fits the constraints."""
    screen(request.red_flags)
    validate_request(request, index)
    notes: list[str] = []
    left_out: list[str] = []
    items = _choose(index, request, notes, left_out)
    warm_up = _warm_up(index, request, notes)
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
    weeks = [first_week]
    for number in range(2, request.weeks + 1):
        weeks.append(_advance(index, request, weeks[-1], number, budget))
    rules = list(PAIN_RULES)
    rules += [
        f"{index.conditions[c].name}: its own rules are in 'kotcoach conditions {c}'."
        for c in request.conditions
    ]
    return Plan(request, tuple(weeks), tuple(notes), tuple(rules), tuple(left_out))


def _usable(step: Exercise, request: PlanRequest) -> bool:
    return set(step.equipment) <= request.equipment


def _working_step(ladder: Ladder, request: PlanRequest) -> Exercise | None:
    """Where a person starts on a ladder: the first step at their level, or, when their
    equipment rules that out, the hardest easier step they can do."""
    usable = [s for s in ladder.steps if s.level.rank <= request.level.rank and _usable(s, request)]
    at_level = [s for s in usable if s.level == request.level]
    if at_level:
        return at_level[0]
    return usable[-1] if usable else None


def _pain_of(exercise: Exercise, request: PlanRequest) -> tuple[Area, int] | None:
    scored = [(request.pain[area], area) for area in exercise.areas if area in request.pain]
    if not scored:
        return None
    score, area = max(scored, key=lambda pair: (pair[0], -BALANCE.index(pair[1])))
    return area, score


def _choose(
    index: Index, request: PlanRequest, notes: list[str], left_out: list[str]
) -> list[Item]:
    """One item per ladder: its working step, then conditions and pain applied, duplicates gone."""
    chosen: dict[str, Item] = {}
    goals = set(request.goals)
    for ladder in index.ladders:
        if ladder.first.warm_up:
            continue
        if goals and not any(goals & set(step.goals) for step in ladder.steps):
            continue
        step = _working_step(ladder, request)
        if step is None:
            needs = sorted({str(e) for e in ladder.first.equipment} - set(request.equipment))
            left_out.append(f"{ladder.first.name}: needs {', '.join(needs)} (--equipment)")
            continue
        changes: list[str] = []
        if step.level != request.level:
            harder = [s for s in ladder.steps if s.level == request.level]
            if harder and not _usable(harder[0], request):
                missing = sorted(set(harder[0].equipment) - set(request.equipment))
                changes.append(f"easier step: {harder[0].id} needs {', '.join(missing)}")
        item: Item | None = Item(step, _dose(step), tuple(changes))
        for condition_id in request.conditions:
            if item is None:
                break
            item = _apply_condition(index, request, item, condition_id, left_out)
        if item is None:
            continue
        item = _apply_pain(index, request, item)
        if item.exercise.id not in chosen:
            chosen[item.exercise.id] = item
    if not chosen:
        raise NoFitError(
            "no exercise fits these constraints",
            hint=_relax_hint(request),
        )
    return list(chosen.values())


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


def _apply_condition(
    index: Index, request: PlanRequest, item: Item, condition_id: str, left_out: list[str]
) -> Item | None:
    """Swap out what the condition says to avoid or substitute; attach its modification."""
    condition = index.conditions[condition_id]
    label = condition.name.split(" (")[0].lower()

    def caution_of(exercise: Exercise) -> Caution | None:
        return next((c for c in exercise.cautions if c.condition == condition_id), None)

    caution = caution_of(item.exercise)
    substitute = _substitute(index, request, caution.substitute if caution else None)
    if item.exercise.id in condition.avoid:
        avoided = item.exercise
        replacement = substitute or _easier_allowed(index, request, avoided, condition.avoid)
        if replacement is None:
            left_out.append(f"{avoided.name}: one to avoid with {label}")
            return None
        reason = f"replaces {avoided.id}, one to avoid with {label}"
        item = Item(replacement, _dose(replacement), (*item.changes, reason), item.cautions)
        caution, substitute = caution_of(replacement), None  # one swap per condition
    if caution is None:
        return item
    text = f"{condition.name}: {caution.modification}"
    if substitute is not None and substitute.id != item.exercise.id:
        reason = f"replaces {item.exercise.id}: its caution for {label} says to swap"
        changes = (*item.changes, reason)
        return Item(substitute, _dose(substitute), changes, (*item.cautions, text))
    return replace(item, cautions=(*item.cautions, text))


def _substitute(index: Index, request: PlanRequest, exercise_id: str | None) -> Exercise | None:
    """A catalogue substitute the person can do; a warm-up is already in every session."""
    if exercise_id is None:
        return None
    exercise = index.by_id[exercise_id]
    return exercise if _usable(exercise, request) and not exercise.warm_up else None


def _easier_allowed(
    index: Index, request: PlanRequest, exercise: Exercise, avoid: list[str]
) -> Exercise | None:
    ladder = index.ladder_of(exercise.id)
    for step in reversed(ladder.steps[: ladder.position(exercise.id)]):
        if step.id not in avoid and _usable(step, request):
            return step
    return None


def _apply_pain(index: Index, request: PlanRequest, item: Item) -> Item:
    """The pain bands, applied again when an easier step loads a more painful area (a hip
    exercise moved down for back pain may land on a step that loads a painful knee)."""
    applied = PainZone.GREEN
    while True:
        found = _pain_of(item.exercise, request)
        zone = PainZone.of(found[1]) if found else PainZone.GREEN
        if found is None or zone.severity <= applied.severity:
            return item
        moved = _pain_band(index, request, item, *found)
        if moved.exercise.id == item.exercise.id:
            return moved
        item, applied = moved, zone


def _pain_band(index: Index, request: PlanRequest, item: Item, area: Area, score: int) -> Item:
    zone = PainZone.of(score)
    ladder = index.ladder_of(item.exercise.id)
    position = ladder.position(item.exercise.id)
    usable = [s for s in ladder.steps[:position] if _usable(s, request)]
    held = f"stay at this step until {area} pain is 2/10 or less"
    if zone is PainZone.AMBER:
        if usable:
            step = usable[-1]
            return Item(
                step,
                _dose(step),
                (*item.changes, f"moved down: {area} pain {score}/10"),
                item.cautions,
                held,
            )
        change = (
            f"eased: {area} pain {score}/10 on the easiest step, so use less range, depth or pace"
        )
        return replace(item, changes=(*item.changes, change), held=held)
    step = ladder.steps[0] if _usable(ladder.steps[0], request) else item.exercise
    easier = Dose(
        sets=max(1, _dose(step).sets - 1),
        reps=_dose(step).reps,
        hold_seconds=_dose(step).hold_seconds,
        minutes=_dose(step).minutes,
        per_side=_dose(step).per_side,
        note="pain-free range only; a still hold at a pain-free angle is fine",
    )
    change = (
        f"dropped to the easiest step, one set fewer: {area} pain {score}/10; see a "
        "physiotherapist or doctor if it persists"
    )
    return Item(step, easier, (*item.changes, change), item.cautions, held)


def _warm_up(index: Index, request: PlanRequest, notes: list[str]) -> Item | None:
    """The backward-walking warm-up, after pain rules, shortened to a quarter of the session
    when time is short."""
    for ladder in index.ladders:
        if not ladder.first.warm_up:
            continue
        step = _working_step(ladder, request)
        if step is None:
            continue
        item = _apply_pain(index, request, Item(step, _dose(step)))
        dose = item.dose
        cap = max(MIN_WARM_UP_MINUTES, request.session_minutes // 4)
        if dose.minutes is not None and dose.minutes * dose.sets > cap:
            change = f"shortened to {cap} min to fit {request.session_minutes}-minute sessions"
            short = Dose(sets=1, minutes=cap, note=dose.note)
            item = replace(item, dose=short, changes=(*item.changes, change))
        return item
    notes.append("This catalogue has no warm-up exercise: walk easily for 5 minutes first.")
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
    ordered: list[Item] = []
    while any(queues.values()):
        for queue in queues.values():
            if queue:
                ordered.append(queue.pop(0))
    return ordered


def _fill_week(
    ordered: list[Item], request: PlanRequest, budget: int, warm_up: Item | None, index: Index
) -> Week:
    """Each day takes the next items round the balanced list until its minutes are used."""
    catalogue_order = {e.id: i for i, e in enumerate(index.catalog.exercises)}
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


def _advance(index: Index, request: PlanRequest, previous: Week, number: int, budget: int) -> Week:
    """The next week: a little more dose, or the next ladder step after WEEKS_PER_STEP weeks,
    as long as each session still fits its minutes; the last items give way first."""
    sessions = []
    for session in previous.sessions:
        items = [_progress(index, request, item, number) for item in session.items]
        for position in reversed(range(len(items))):
            if sum(item.seconds for item in items) <= budget:
                break
            kept = session.items[position]
            grown = items[position]
            if (grown.exercise.id, grown.dose) != (kept.exercise.id, kept.dose):
                items[position] = replace(kept, changes=("same dose: the session is full",))
        sessions.append(replace(session, items=tuple(items)))
    return Week(number, tuple(sessions))


def _progress(index: Index, request: PlanRequest, item: Item, week: int) -> Item:
    if item.held:
        return replace(item, changes=(f"held: {item.held}",))
    moved = _move_up(index, request, item, week)
    if moved is not None:
        return moved
    dose = item.dose
    if week % 2 == 0 and dose.sets < MAX_SETS[request.level]:
        new = dose.model_copy(update={"sets": dose.sets + 1})
        change = f"one more set ({new.sets})"
    elif dose.reps is not None:
        new = dose.model_copy(update={"reps": dose.reps + 2})
        change = f"two more reps ({new.reps})"
    elif dose.hold_seconds is not None:
        new = dose.model_copy(update={"hold_seconds": dose.hold_seconds + 5})
        change = f"five seconds longer ({new.hold_seconds} s)"
    else:
        return replace(item, changes=("same dose",))
    return replace(item, dose=new, changes=(change,))


def _move_up(index: Index, request: PlanRequest, item: Item, week: int) -> Item | None:
    """The next ladder step, every WEEKS_PER_STEP weeks, if the level, equipment and every
    condition allow it as it is (a step a condition would swap out is not a step up)."""
    harder = index.harder(item.exercise.id)
    if (
        (week - 1) % WEEKS_PER_STEP != 0
        or harder is None
        or harder.level.rank > request.level.rank
        or not _usable(harder, request)
    ):
        return None
    reason = (
        f"moved up from {item.exercise.id}: {WEEKS_PER_STEP} weeks of full doses at "
        "pain 2/10 or less"
    )
    moved: Item | None = Item(harder, _dose(harder), (reason,))
    for condition_id in request.conditions:
        moved = _apply_condition(index, request, moved, condition_id, []) if moved else None
    if moved is None or moved.exercise.id != harder.id:
        return None
    return moved
