"""Today's session as the coach makes it, read from the log: what `today`, `session` and `serve`
all show, from one set of functions, so that the phone and the terminal never disagree.

`coached_today` is the programme's next session with the coach's decisions applied (each from
`coach_session`, as `decision_on` decides one exercise for `next` and `log`); `protocol_parts`
the stages and the daily block beside it; `today_json` is the JSON `kotcoach today --json`
prints (and the phone's today page shows); `checkin_notes` are the remarks a morning check-in
gets. Those that pick the catalogue take a `Trainee`: the profile, and the catalogue to decide
with (the CLI's global options, or the server's); the rest take the profile's name and the
catalogue's index.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple, Protocol, TypeVar

if TYPE_CHECKING:
    from kotcoach.coaching.coach import Decision, Index, Logged, Mornings, Person
    from kotcoach.coaching.daily_block import BlockRow
    from kotcoach.coaching.load import LoadChange
    from kotcoach.coaching.schedule import NextSession
    from kotcoach.coaching.stages import Staged
    from kotcoach.store import (
        Checkin,
        ExerciseLog,
        PlannedExercise,
        PlannedSession,
        Programme,
        Store,
        Today,
    )

T = TypeVar("T")
RECENT = 3  # sessions read per ladder step besides the window: the last two, and a spare


class Trainee(Protocol):
    """Whose log, and the catalogue to coach with."""

    @property
    def profile(self) -> str: ...

    def path(self) -> Path: ...

    def index(self) -> Index: ...


def coach_catalogue(state: Trainee, work: Callable[[Index], T]) -> T:
    """`work` done with the catalogue read straight from the cache (no pydantic models), or, on
    a miss or a damaged entry, with the full Index."""
    from kotcoach.catalogue.cache import Damaged
    from kotcoach.catalogue.read import read_coach_catalogue

    fast = read_coach_catalogue(state.path())
    if fast is not None:
        try:
            return work(fast)
        except Damaged:
            pass
    return work(state.index())


def ladder_key(index: Index) -> Callable[[str], str]:
    """An exercise id to the first step of its ladder (itself when the catalogue lacks it), so a
    logged step counts for the programme's exercise on the same ladder."""
    from kotcoach.base.errors import NotFoundError

    def key(exercise_id: str) -> str:
        try:
            return index.ladder_of(exercise_id).first.id
        except NotFoundError:
            return exercise_id

    return key


def recent_logged(
    index: Index, store: Store, profile: str, exercise_id: str, on: dt.date, before: bool
) -> list[Logged]:
    """The ladder's sessions a decision on `on` reads (`coaching.coach.window`), oldest first:
    those up to `on` (before it, with `before`) of the last HISTORY days, and the last two
    whenever they were. A day in the past reads every session of the ladder's steps."""
    return recent_logged_many(index, store, profile, (exercise_id,), on, before)[exercise_id]


def recent_logged_many(
    index: Index,
    store: Store,
    profile: str,
    exercise_ids: Sequence[str],
    on: dt.date,
    before: bool,
) -> dict[str, list[Logged]]:
    """`recent_logged` of each of `exercise_ids`, from one read of every step of their ladders
    (`Store.recent_logs`) rather than two per step."""
    from kotcoach.coaching.coach import HISTORY
    from kotcoach.coaching.facts import logged_of

    past = on < dt.date.today()
    ladders = {exercise_id: index.ladder_of(exercise_id).steps for exercise_id in exercise_ids}
    steps = [step.id for ladder in ladders.values() for step in ladder]
    logs = store.recent_logs(profile, steps, since=on - HISTORY, last=None if past else RECENT)
    result: dict[str, list[Logged]] = {}
    for exercise_id, ladder in ladders.items():
        seen: set[int] = set()
        found: list[Logged] = []
        for step in ladder:
            here: set[int] = set()  # a session read for an earlier step is not read again
            for log in logs[step.id]:
                if log.session_id in seen or log.date > on or (before and log.date == on):
                    continue
                here.add(log.session_id)
                logged = logged_of(log)
                if logged is not None and logged.exercise_id == step.id:
                    found.append(logged)
            seen |= here
        found.sort(key=lambda s: s.day)
        result[exercise_id] = found
    return result


def mornings_for(store: Store, profile: str, on: dt.date, sessions: list[Logged]) -> Mornings:
    """The check-ins the rules read, up to the morning of `on`: four weeks back, and the week
    before each session read."""
    from kotcoach.coaching.coach import BASELINE_DAYS, CHECKIN_LOOKBACK, HISTORY, Mornings

    since = on - CHECKIN_LOOKBACK
    recent = [s.day for s in sessions if s.day >= on - HISTORY] or [s.day for s in sessions]
    if recent:
        since = min(since, min(recent) - dt.timedelta(days=BASELINE_DAYS))
    found = [c for c in store.checkins(profile, since=since) if c.date <= on]
    return Mornings(found)


def saved_person(store: Store, profile: str, programme: Programme | None) -> Person:
    """The person as the programme and the profile's saved defaults describe them."""
    from kotcoach.coaching.facts import person_of

    saved = store.profile(profile)
    return person_of(
        programme,
        conditions=saved.conditions if saved else (),
        equipment=list(saved.equipment) if saved and saved.equipment else None,
        age=saved.age if saved else None,
        fell_last_year=saved.fell_last_year if saved else False,
        level=saved.level if saved else None,
    )


def person_of_store(
    index: Index, store: Store, profile: str, programme: Programme | None
) -> Person:
    """The saved person, with the areas of their conditions from the catalogue."""
    from kotcoach.coaching.coach import with_condition_areas

    return with_condition_areas(index, saved_person(store, profile, programme))


def programme_steps(index: Index, programme: Programme | None) -> dict[str, frozenset[str]]:
    """Each programme exercise that shares its ladder with another programme exercise, with
    the ids of those others: each is decided from its own sessions."""
    if programme is None:
        return {}
    ids = {e.id for s in programme.sessions for e in s.exercises}
    return shared_steps(index, ids)


def shared_steps(index: Index, ids: set[str]) -> dict[str, frozenset[str]]:
    """Each of `ids` that shares its ladder with another of them, with those others."""
    ladders: dict[str, set[str]] = {}
    for exercise_id in ids:
        ladders.setdefault(ladder_key(index)(exercise_id), set()).add(exercise_id)
    return {
        exercise_id: frozenset(group - {exercise_id})
        for group in ladders.values()
        if len(group) > 1
        for exercise_id in group
    }


Row = tuple["PlannedExercise", "PlannedExercise | None", "Decision"]


def coach_session(
    profile: str,
    index: Index,
    store: Store,
    on: dt.date,
    exercises: tuple[PlannedExercise, ...],
    programme: Programme | None,
) -> tuple[list[Row], str | None]:
    """Each exercise of a session with what the coach makes of it (None: leave it out today)
    and the decision, as made the morning of `on` from the sessions before it; and the
    referral for the day. Pain now is that morning's check-in."""
    from kotcoach.coaching.coach import (
        Prescription,
        decide,
        ladder_facts,
        referral_text,
        referrals,
    )
    from kotcoach.coaching.facts import coached_exercise, volume_of
    from kotcoach.coaching.stages import staged, with_stages

    person = person_of_store(index, store, profile, programme)
    ids = [e.id for e in exercises]
    sessions = recent_logged_many(index, store, profile, ids, on, before=True)
    mornings = mornings_for(store, profile, on, [s for r in sessions.values() for s in r])
    person = replace(person, pain_now=mornings.day(on))
    shared = shared_steps(index, {e.id for e in exercises})
    for exercise_id, others in programme_steps(index, programme).items():
        shared[exercise_id] = shared.get(exercise_id, frozenset()) | others
    person = with_stages(person, staged(index, store, profile, person.conditions, on))
    rows: list[Row] = []
    for planned in exercises:
        facts = ladder_facts(index, planned.id, person)
        start = Prescription(planned.id, volume_of(planned.target))  # this session's dose
        decision = decide(
            facts,
            planned.id,
            sessions[planned.id],
            mornings,
            person,
            on,
            start,
            taken=shared.get(planned.id, frozenset()),
        )
        decision, load = loaded(index, store, profile, decision, on)
        coached = coached_exercise(index, planned, decision)
        if coached is not None and load is not None and load.dose.load_kg is not None:
            coached = with_load_detail(coached, load.dose.load_kg, index, decision.exercise_id)
        rows.append((planned, coached, decision))
    return rows, referral_text(referrals(mornings, person, on))


LOAD_HISTORY = dt.timedelta(days=365)


def loaded(
    index: Index, store: Store, profile: str, decision: Decision, on: dt.date
) -> tuple[Decision, LoadChange | None]:
    """The decision with its load, for a step that carries one (`kotcoach.coaching.load`)."""
    from kotcoach.coaching.coach import Unit
    from kotcoach.coaching.load_coach import load_logs, plan_of, with_load

    step = index.exercise(decision.exercise_id)
    if plan_of(step) is None:
        return decision, None
    # A year of it is enough: a rep scheme runs some twelve weeks (past its end the last phase
    # holds), and a load not logged for a year is asked for again. Five years of a loaded
    # exercise cost `today` a tenth of a second. Of that year with_load reads the first log,
    # the last and the last with a load (`Store.load_ends`), and none for a dose not in reps.
    dose = decision.dose
    if dose is None or dose.unit is not Unit.REPS:
        return decision, None  # what with_load gives: no load to move
    ends = store.load_ends(profile, step.id, since=on - LOAD_HISTORY, before=on)
    return with_load(decision, step, load_logs(ends), on)


def with_load_detail(
    planned: PlannedExercise, load_kg: float, index: Index, exercise_id: str
) -> PlannedExercise:
    """The exercise's dose with its load: '4 × 6 per side at 12 kg per hand', `load_kg`."""
    from kotcoach.coaching.load import describe_load
    from kotcoach.coaching.load_coach import plan_of

    plan = plan_of(index.exercise(exercise_id))
    per_hand = plan is not None and plan.per_hand
    return replace(
        planned,
        dose=f"{planned.dose} at {describe_load(load_kg, per_hand)}",
        dose_detail={**planned.dose_detail, "load_kg": load_kg},
    )


def coached_today(
    state: Trainee, store: Store, on: dt.date
) -> tuple[Today | None, list[Row], str | None]:
    """`store.today` with the coach's decisions applied: the session's exercises are the steps
    and doses to do today (those left out are gone), and `done` follows them."""

    def work(index: Index) -> tuple[Today | None, list[Row], str | None]:
        return _coached_today(state, index, store, on)

    return coach_catalogue(state, work)


def check_programme_catalogue(
    state: Trainee, index: Index, exercises: tuple[PlannedExercise, ...]
) -> None:
    """A programme made with one catalogue and read with another that lacks one of its
    exercises: said once, naming the programme, the exercise and the catalogue (not as an id
    the person never typed)."""
    from kotcoach.base.errors import NotFoundError
    from kotcoach.catalogue.source import builtin_catalog_path

    for exercise in exercises:
        try:
            index.ladder_of(exercise.id)
        except NotFoundError:
            path = state.path()
            catalogue = "the built-in catalogue" if path == builtin_catalog_path() else str(path)
            raise NotFoundError(
                f"the programme of '{state.profile}' uses {exercise.id}, which {catalogue} "
                "does not have",
                hint="use the catalogue it was made with (--catalog), or make a new programme "
                "with 'kotcoach start'",
            ) from None


def programme_today(state: Trainee, store: Store, on: dt.date) -> Today | None:
    """`store.today` with the coach's pauses counted (an exercise it left out on its session's
    day does not keep that session open), without deciding today's doses: which session is
    next, for `plan`. The catalogue is read only when a session is left unfinished."""

    def paused(
        day: dt.date, session: PlannedSession, unfinished: tuple[PlannedExercise, ...]
    ) -> set[str]:
        def work(index: Index) -> set[str]:
            check_programme_catalogue(state, index, unfinished)
            programme = store.programme(state.profile)
            rows = coach_session(state.profile, index, store, day, unfinished, programme)[0]
            return {planned.id for planned, coached, _ in rows if coached is None}

        return coach_catalogue(state, work)

    return store.today(state.profile, on, paused=paused)


Decided = list[tuple[tuple["PlannedExercise", ...], list[Row], "str | None"]]


def _today_with_pauses(
    state: Trainee, index: Index, store: Store, on: dt.date
) -> tuple[Today | None, Decided]:
    """`store.today` with the coach's pauses, and the coach's rows for today's session when
    deciding them was needed (kept, so that they are not made twice)."""
    profile = state.profile
    decided: Decided = []

    def paused(
        day: dt.date, session: PlannedSession, unfinished: tuple[PlannedExercise, ...]
    ) -> set[str]:
        """The exercises of the last session the coach left out (paused) on its day, as
        decided that morning: they do not keep the session open. Today's decisions are the
        ones `today` shows, made once: for the whole session, and kept."""
        check_programme_catalogue(state, index, unfinished)
        programme = store.programme(profile)
        if day == on:
            rows, referral = coach_session(profile, index, store, on, session.exercises, programme)
            decided.append((session.exercises, rows, referral))
        else:
            rows = coach_session(profile, index, store, day, unfinished, programme)[0]
        return {planned.id for planned, coached, _ in rows if coached is None}

    return store.today(profile, on, same=ladder_key(index), paused=paused), decided


def _coached_today(
    state: Trainee, index: Index, store: Store, on: dt.date
) -> tuple[Today | None, list[Row], str | None]:
    profile = state.profile
    today, decided = _today_with_pauses(state, index, store, on)
    if today is None:
        return None, [], None
    check_programme_catalogue(state, index, today.session.exercises)
    if decided and decided[0][0] == today.session.exercises:
        _, rows, referral = decided[0]
    else:
        rows, referral = coach_session(
            profile, index, store, on, today.session.exercises, today.programme
        )
    exercises = tuple(coached for _, coached, _ in rows if coached is not None)
    done = {
        coached.id: today.done[planned.id]
        for planned, coached, _ in rows
        if coached is not None and planned.id in today.done
    }
    session = replace(today.session, exercises=exercises)
    return replace(today, session=session, done=done), rows, referral


def decision_json(decision: Decision) -> dict[str, Any]:
    return {
        "decision": decision.kind.value,
        "reason": decision.reason,
        "referral": decision.referral,
        "stage": decision.stage,
    }


class Coached(NamedTuple):
    """What the coach decided for one exercise on a day, and what came with it."""

    decision: Decision
    referral: str | None
    load: LoadChange | None  # the load's change, for a step that carries one
    stages: list[Staged]  # the person's staged conditions and the stage each has reached


def decision_on(
    profile: str, index: Index, store: Store, exercise_id: str, on: dt.date, before: bool
) -> Coached:
    """The decision for one exercise's ladder as of `on` (the morning's, from the sessions before
    it, with `before`), its load, the stages, and the referral for the day: what `next` says and
    `log` stores."""
    from kotcoach.coaching.coach import (
        Prescription,
        decide,
        ladder_facts,
        referral_text,
        referrals,
    )
    from kotcoach.coaching.facts import programme_prescription, volume_of
    from kotcoach.coaching.stages import staged, with_stages

    programme = store.programme(profile)
    sessions = recent_logged(index, store, profile, exercise_id, on, before)
    mornings = mornings_for(store, profile, on, sessions)
    person = replace(person_of_store(index, store, profile, programme), pain_now=mornings.day(on))
    found = staged(index, store, profile, person.conditions, on)
    person = with_stages(person, found)
    shared = programme_steps(index, programme)
    # The programme's dose of this very exercise first; else its first on the ladder (the step
    # a plan put there), unless another step of the ladder is in the programme too.
    own = [
        Prescription(planned.id, volume_of(planned.target))
        for session in (programme.sessions if programme else ())
        for planned in session.exercises
        if planned.id == exercise_id
    ]
    start = own[0] if own else None
    if start is None and exercise_id not in shared:
        start = programme_prescription(index, programme, exercise_id)
    decision = decide(
        ladder_facts(index, exercise_id, person),
        exercise_id,
        sessions,
        mornings,
        person,
        on,
        start,
        taken=shared.get(exercise_id, frozenset()),
    )
    decision, load = loaded(index, store, profile, decision, on)
    return Coached(decision, referral_text(referrals(mornings, person, on)), load, found)


def coach_unsaved(
    state: Trainee, store: Store, on: dt.date, session: PlannedSession
) -> tuple[PlannedSession, list[Row], str | None]:
    """Day 1 of a plan that is not saved yet, with the coach's decisions (the log may still
    hold sessions of its exercises)."""
    rows, referral = coach_catalogue(
        state,
        lambda index: coach_session(state.profile, index, store, on, session.exercises, None),
    )
    exercises = tuple(coached for _, coached, _ in rows if coached is not None)
    return replace(session, exercises=exercises), rows, referral


def decision_fields(rows: list[Row]) -> dict[str, dict[str, Any]]:
    """`decision` and `reason` for each exercise id `today` shows."""
    return {coached.id: decision_json(d) for _, coached, d in rows if coached is not None}


def left_out_json(rows: list[Row]) -> list[dict[str, Any]]:
    """The exercises the coach leaves out today, as `today --json` lists them: no dose."""
    return [
        {
            "id": planned.id,
            "name": planned.name,
            "dose": None,
            "dose_detail": None,
            "key_cue": planned.key_cue,
            "warm_up": planned.warm_up,
            "logged": None,
            **decision_json(decision),
        }
        for planned, coached, decision in rows
        if coached is None
    ]


def logged_json(exercise: PlannedExercise, log: ExerciseLog | None) -> dict[str, Any] | None:
    """What is logged of a planned exercise today, as `today --json` gives it."""
    if log is None:
        return None
    from kotcoach.store.records import sets_left

    return {
        "status": log.status.value,
        "done": log.describe_done(),
        "sets_done": len(log.sets),
        "sets_left": sets_left(exercise, log),
        "pain_during": log.pain_during,
    }


@dataclass(frozen=True)
class TodayPage:
    """What `today` shows of a day, in the terminal (`render.today.page_parts`) and as JSON
    (`today_json`): the day's session and what is logged of it, whether it is the saved
    programme's (else day 1 of a plan from the profile's defaults), the check-in yesterday's
    session still needs, and the next session."""

    profile: str
    on: dt.date
    session: PlannedSession
    done: Mapping[str, ExerciseLog]
    weeks: int = 1
    saved: bool = False
    missing: dt.date | None = None
    upcoming: NextSession | None = None

    @classmethod
    def of(cls, today: Today, upcoming: NextSession | None) -> TodayPage:
        """The page of a day of the saved programme."""
        weeks = len({s.week for s in today.programme.sessions})
        return cls(
            today.profile,
            today.date,
            today.session,
            today.done,
            weeks,
            saved=True,
            missing=today.checkin_missing,
            upcoming=upcoming,
        )


def today_json(
    page: TodayPage,
    *,
    rows: list[Row],
    referral: str | None,
    stages: Sequence[Staged],
    block: Sequence[BlockRow],
) -> dict[str, Any]:
    """`kotcoach today --json`: the session, each exercise with its dose, the coach's decision
    and what is logged of it, then the exercises the coach leaves out today; the stage of each
    staged condition, the daily block (`protocol_parts`), and the next session
    (`upcoming_session`)."""
    from kotcoach.coaching.daily_block import block_json
    from kotcoach.coaching.stages import staged_json

    decisions = decision_fields(rows)
    upcoming = page.upcoming
    return {
        "profile": page.profile,
        "date": page.on.isoformat(),
        "programme": page.saved,
        "referral": referral,
        "session": {
            "number": page.session.slot + 1,
            "week": page.session.week,
            "day": page.session.day,
            "minutes": page.session.minutes,
        },
        "checkin_missing": page.missing.isoformat() if page.missing else None,
        "next": {
            "session": upcoming.number,
            "date": upcoming.on.isoformat(),
            "done_today": upcoming.done_today,
        }
        if upcoming is not None
        else None,
        "exercises": [
            {
                "id": e.id,
                "name": e.name,
                "dose": e.dose,
                "dose_detail": e.dose_detail,
                "key_cue": e.key_cue,
                "warm_up": e.warm_up,
                "logged": logged_json(e, page.done.get(e.id)),
                **decisions[e.id],
            }
            for e in page.session.exercises
        ]
        + left_out_json(rows),
        "stage": staged_json(list(stages)),
        "daily_block": block_json(block),
    }


def protocol_parts(
    state: Trainee, store: Store, on: dt.date, today: Today | None, rows: Sequence[Row]
) -> tuple[list[Staged], list[BlockRow]]:
    """The stages of the person's staged conditions and the daily block on `on` (exercises
    today's session has, once a day, are left to the session)."""
    from kotcoach.coaching.stages import staged

    programme = today.programme if today is not None else None
    conditions = saved_person(store, state.profile, programme).conditions
    in_session = [coached.id for _, coached, _ in rows if coached is not None]

    def work(index: Index) -> tuple[list[Staged], list[BlockRow]]:
        found = staged(index, store, state.profile, conditions, on)
        block = block_on(state.profile, index, store, on, conditions, programme, in_session)
        return list(found), block

    return coach_catalogue(state, work)


def checkin_notes(saved: Sequence[Checkin], before: Mapping[str, Checkin]) -> list[str]:
    """What a morning check-in means, area by area: pain that has not settled, or that rises
    from the last check-in; stiffness that rises."""
    notes = []
    for checkin in saved:
        last = before.get(checkin.area)
        if checkin.pain > 5:
            notes.append(
                f"{checkin.area}: {checkin.pain}/10 this morning has not settled. Rest from "
                "loading it today, and see a physiotherapist or doctor if it stays high."
            )
        elif last is not None and checkin.pain > last.pain:
            notes.append(
                f"{checkin.area}: pain {checkin.pain}/10 is up from {last.pain}/10 on "
                f"{last.date.isoformat()}. Pain must not rise: make the next session lighter."
            )
        elif (
            last is not None
            and checkin.stiffness is not None
            and last.stiffness is not None
            and checkin.stiffness > last.stiffness
        ):
            notes.append(
                f"{checkin.area}: stiffness {checkin.stiffness}/10 is up from "
                f"{last.stiffness}/10. If it keeps rising, make the sessions lighter."
            )
    return notes


def upcoming_session(store: Store, today: Today, on: dt.date) -> NextSession:
    """Which session of the programme is next, and when (coaching.schedule's spacing): due
    today while it is under way, else a rest after the last one finished."""
    from kotcoach.coaching.schedule import next_session

    slot = today.session.slot
    logged = [s for s in store.sessions(today.profile, last=10) if s.slot is not None]
    last = logged[-1] if logged else None
    finished = last is not None and last.slot is not None and last.slot < slot
    days = int(today.programme.plan.get("days") or 3)
    if today.done or not finished or last is None:
        return next_session(slot, None, days, on, done_today=False)
    return next_session(slot, last.date, days, on, done_today=last.date == on)


def block_on(
    profile: str,
    index: Index,
    store: Store,
    on: dt.date,
    conditions: Sequence[str],
    programme: Programme | None,
    skip: Sequence[str] = (),
) -> list[BlockRow]:
    """The daily block for `on` (`coaching.daily_block`), its exercises decided by the coach as
    a session's. Exercises in `skip` (today's session has them, once a day) are left to the
    session."""
    from kotcoach.coaching.daily_block import block_exercises, block_rows

    planned = [
        p
        for p in block_exercises(index, conditions, programme)
        if p[0].id not in skip or p[1][0].per_day > 1
    ]
    if not planned:
        return []
    exercises = tuple(p for p, _, _ in planned)
    rows = coach_session(profile, index, store, on, exercises, programme)[0]
    return block_rows(profile, store, on, planned, rows)


def protocol_target(state: Trainee, store: Store, exercise: str) -> Any:
    """The dose of the person's condition protocol when `exercise` is its exercise (a `Target`),
    else None: what `log` stores as the target of a round of the daily block."""
    from kotcoach.catalogue.staging import protocol_of
    from kotcoach.store import Target

    conditions = saved_person(store, state.profile, store.programme(state.profile)).conditions
    if not conditions:
        return None

    def work(index: Index) -> Any:
        for condition_id in conditions:
            condition = index.conditions.get(condition_id)
            protocol = protocol_of(condition.protocol if condition is not None else None)
            if protocol is not None and protocol.exercise == exercise:
                detail = {
                    "sets": protocol.sets,
                    "reps": protocol.reps,
                    "hold_seconds": protocol.hold_seconds,
                    "minutes": protocol.minutes,
                    "per_side": protocol.per_side,
                }
                return Target.from_dose(detail)
        return None

    return coach_catalogue(state, work)
