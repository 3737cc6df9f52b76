"""Today's session as the coach makes it, read from the log: what `today`, `session` and `serve`
all show, from one set of functions, so that the phone and the terminal never disagree.

`coached_today` is the programme's next session with the coach's decisions applied; `today_json`
is the JSON `kotcoach today --json` prints (and the phone's today page shows); `checkin_notes`
are the remarks a morning check-in gets. Each takes a `Trainee`: the profile, and the catalogue
to decide with (the CLI's global options, or the server's).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol, TypeVar

if TYPE_CHECKING:
    from kotcoach.coaching.coach import Decision, Index, Logged, Mornings, Person
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
RECENT_PER_STEP = 3  # sessions read per ladder step: the last two, and one spare for a skip


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
    from kotcoach.catalogue.coach_catalog import coach_catalogue as light

    fast = light(state.path())
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


def recent_logged(index: Index, store: Store, profile: str, exercise_id: str) -> list[Logged]:
    """The ladder's last sessions (a few per step), oldest first."""
    from kotcoach.coaching.progress import logged_of

    found: list[Logged] = []
    for step in index.ladder_of(exercise_id).steps:
        for session in store.sessions(profile, exercise=step.id, last=RECENT_PER_STEP):
            for log in session.exercises:
                logged = logged_of(log)
                if logged is not None:
                    found.append(logged)
    found.sort(key=lambda s: s.day)
    return found[-RECENT_PER_STEP:]


def mornings_for(store: Store, profile: str, on: dt.date, recent: list[Logged]) -> Mornings:
    """The check-ins the rules read: the three weeks to `on`, and the week before each recent
    session to its next morning."""
    from kotcoach.coaching.coach import BASELINE_DAYS, CHECKIN_LOOKBACK, Mornings
    from kotcoach.coaching.progress import checkins_of

    since = on - CHECKIN_LOOKBACK
    if recent:
        since = min(since, min(s.day for s in recent) - dt.timedelta(days=BASELINE_DAYS))
    return Mornings(checkins_of(store.checkins(profile, since=since)))


def person_of_store(store: Store, profile: str, programme: Programme | None) -> Person:
    from kotcoach.coaching.progress import person_of

    saved = store.profile(profile)
    return person_of(
        programme,
        conditions=saved.conditions if saved else (),
        equipment=list(saved.equipment) if saved and saved.equipment else None,
    )


Row = tuple["PlannedExercise", "PlannedExercise | None", "Decision"]


def coach_session(
    state: Trainee,
    index: Index,
    store: Store,
    on: dt.date,
    exercises: tuple[PlannedExercise, ...],
    done: Mapping[str, Any],
    programme: Programme | None,
) -> tuple[list[Row], str | None]:
    """Each exercise of a session with what the coach makes of it (None: leave it out today)
    and the decision; and the referral for the day. Exercises already logged today keep the
    morning's decision; pain now is this morning's check-in."""
    from kotcoach.coaching.coach import Prescription, decide, referral_text, referrals
    from kotcoach.coaching.progress import coached_exercise, volume_of

    person = person_of_store(store, state.profile, programme)
    recent = {e.id: recent_logged(index, store, state.profile, e.id) for e in exercises}
    mornings = mornings_for(store, state.profile, on, [s for r in recent.values() for s in r])
    person = replace(person, pain_now=mornings.day(on))
    ladders = [index.ladder_of(e.id).first.id for e in exercises]
    rows: list[Row] = []
    for planned, ladder in zip(exercises, ladders, strict=True):
        sessions, when = recent[planned.id], on
        if ladders.count(ladder) > 1:  # two steps of one ladder: each follows its own log
            sessions = [s for s in sessions if s.exercise_id == planned.id]
        if planned.id in done:
            sessions = [s for s in sessions if s.day < on]
        start = Prescription(planned.id, volume_of(planned.target))  # this session's dose
        decision = decide(index, planned.id, sessions, mornings, person, start, when)
        rows.append((planned, coached_exercise(index, planned, decision), decision))
    return rows, referral_text(referrals(mornings, person, on))


def coached_today(
    state: Trainee, store: Store, on: dt.date
) -> tuple[Today | None, list[Row], str | None]:
    """`store.today` with the coach's decisions applied: the session's exercises are the steps
    and doses to do today (those left out are gone), and `done` follows them."""
    return coach_catalogue(state, lambda index: _coached_today(state, index, store, on))


def _coached_today(
    state: Trainee, index: Index, store: Store, on: dt.date
) -> tuple[Today | None, list[Row], str | None]:
    today = store.today(state.profile, on, same=ladder_key(index))
    if today is None:
        return None, [], None
    rows, referral = coach_session(
        state, index, store, on, today.session.exercises, today.done, today.programme
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
    return {"decision": decision.kind.value, "reason": decision.reason}


def morning_person(
    store: Store, profile: str, programme: Programme | None, mornings: Mornings, on: dt.date
) -> Person:
    return replace(person_of_store(store, profile, programme), pain_now=mornings.day(on))


def coach_unsaved(
    state: Trainee, store: Store, on: dt.date, session: PlannedSession
) -> tuple[PlannedSession, list[Row], str | None]:
    """Day 1 of a plan that is not saved yet, with the coach's decisions (the log may still
    hold sessions of its exercises)."""
    rows, referral = coach_catalogue(
        state, lambda index: coach_session(state, index, store, on, session.exercises, {}, None)
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


def today_json(
    profile: str,
    on: dt.date,
    session: PlannedSession,
    done: Mapping[str, ExerciseLog],
    *,
    saved: bool,
    missing: dt.date | None,
    rows: list[Row],
    referral: str | None,
) -> dict[str, Any]:
    """`kotcoach today --json`: the session, each exercise with its dose, the coach's decision
    and what is logged of it, then the exercises the coach leaves out today."""
    decisions = decision_fields(rows)
    return {
        "profile": profile,
        "date": on.isoformat(),
        "programme": saved,
        "referral": referral,
        "session": {
            "number": session.slot + 1,
            "week": session.week,
            "day": session.day,
            "minutes": session.minutes,
        },
        "checkin_missing": missing.isoformat() if missing else None,
        "exercises": [
            {
                "id": e.id,
                "name": e.name,
                "dose": e.dose,
                "dose_detail": e.dose_detail,
                "key_cue": e.key_cue,
                "warm_up": e.warm_up,
                "logged": logged_json(e, done.get(e.id)),
                **decisions[e.id],
            }
            for e in session.exercises
        ]
        + left_out_json(rows),
    }


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
