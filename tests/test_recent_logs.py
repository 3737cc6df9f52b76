"""The coach's batched read of a ladder's sessions gives what the per-step reads gave.

`Store.recent_logs` reads every step of a session's ladders at once; before it, the coach asked
`Store.sessions` twice per step (the last HISTORY days, and the last RECENT sessions). The
decisions must not change, so both the store's answer and the coach's sessions are checked
against the per-step reads over a random multi-week log of two profiles.
"""

from __future__ import annotations

import datetime as dt
import random
from pathlib import Path

import pytest

from kotcoach.catalogue.ladders import Index
from kotcoach.catalogue.read import load_catalog
from kotcoach.catalogue.source import builtin_catalog_path
from kotcoach.coaching.coach import HISTORY, Logged
from kotcoach.coaching.facts import logged_of
from kotcoach.coaching.today import RECENT, recent_logged, recent_logged_many
from kotcoach.store import Amount, ExerciseLog, Status, Store, Target

INDEX = Index(load_catalog(builtin_catalog_path()))
LADDERS = ("tib-raise-wall", "patrick-step-low")
STEPS = [step.id for first in LADDERS for step in INDEX.ladder_of(first).steps]
TODAY = dt.date.today()


def per_step(store: Store, profile: str, step: str, on: dt.date) -> list[ExerciseLog]:
    """The step's logs as the two per-step reads gave them, in the order the coach read them."""
    past = on < TODAY
    seen: set[int] = set()
    found: list[ExerciseLog] = []
    for sessions in (
        store.sessions(profile, exercise=step, since=on - HISTORY),
        store.sessions(profile, exercise=step, last=None if past else RECENT),
    ):
        for session in sessions:
            if session.id not in seen:
                seen.add(session.id)
                found.extend(session.exercises)
    return sorted(found, key=lambda log: (log.date, log.session_id))


def per_step_logged(
    store: Store, profile: str, exercise_id: str, on: dt.date, before: bool
) -> list[Logged]:
    """`recent_logged` as it was: two reads of `Store.sessions` per step of the ladder."""
    past = on < TODAY
    seen: set[int] = set()
    found: list[Logged] = []
    for step in INDEX.ladder_of(exercise_id).steps:
        reads = [store.sessions(profile, exercise=step.id, since=on - HISTORY)]
        reads.append(store.sessions(profile, exercise=step.id, last=None if past else RECENT))
        for sessions in reads:
            for session in sessions:
                if session.id in seen or session.date > on or (before and session.date == on):
                    continue
                seen.add(session.id)
                for log in session.exercises:
                    logged = logged_of(log)
                    if logged is not None and logged.exercise_id == step.id:
                        found.append(logged)
    found.sort(key=lambda s: s.day)
    return found


@pytest.fixture(scope="module")
def log(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Twenty weeks of two profiles training steps of two ladders on random days, up to a
    week ahead of today: sessions in and out of the programme, a few a day, steps moved
    up and back, sets short of target, skipped and stopped exercises, long breaks."""
    rng = random.Random(22)
    path = tmp_path_factory.mktemp("recent") / "kotcoach.db"
    with Store.open(path, write=True) as store:
        day = TODAY - dt.timedelta(weeks=20)
        while day <= TODAY + dt.timedelta(days=7):
            for profile in ("ana", "ben"):
                if rng.random() < 0.45:
                    continue
                for slot in rng.sample([None, 0, 1], rng.choice([1, 1, 2])):
                    session = store.begin_session(profile, day, slot)
                    for step in rng.sample(STEPS, rng.randint(1, 4)):
                        kind = rng.random()
                        if kind < 0.1:
                            store.set_status(session, step, Status.SKIPPED)
                            continue
                        target = Target(3, Amount(reps=12)) if rng.random() < 0.8 else None
                        store.log_exercise(
                            session,
                            step,
                            Amount(reps=rng.randint(6, 14)),
                            rng.randint(1, 3),
                            target=target,
                            pain_during=rng.randint(0, 7) if kind < 0.3 else None,
                        )
            day += dt.timedelta(days=rng.choice([1, 1, 2, 3, 19]))
    return path


DAYS = [TODAY + dt.timedelta(days=d) for d in (-100, -60, -30, -8, -1, 0, 3, 30)]


@pytest.mark.parametrize("on", DAYS)
def test_the_batched_read_holds_what_the_per_step_reads_held(log: Path, on: dt.date) -> None:
    with Store.open(log) as store:
        for profile in ("ana", "ben", "cy"):
            last = None if on < TODAY else RECENT
            batched = store.recent_logs(profile, STEPS + ["no-such-step"], on - HISTORY, last)
            assert batched["no-such-step"] == []
            for step in STEPS:
                assert batched[step] == per_step(store, profile, step, on)


@pytest.mark.parametrize("on", DAYS)
@pytest.mark.parametrize("before", [True, False])
def test_the_coach_reads_the_same_sessions_as_before(log: Path, on: dt.date, before: bool) -> None:
    exercises = ["tib-raise-wall-far", "patrick-step-low", "tib-bar-raise", "patrick-step-low"]
    with Store.open(log) as store:
        many = recent_logged_many(INDEX, store, "ana", exercises, on, before)
        assert any(many.values())  # the log has sessions for the comparison to bite on
        for exercise_id in exercises:
            expected = per_step_logged(store, "ana", exercise_id, on, before)
            assert many[exercise_id] == expected
            assert recent_logged(INDEX, store, "ana", exercise_id, on, before) == expected


LOADED = "leg-press-heavy-slow"  # a load step and a rep scheme


@pytest.fixture(scope="module")
def loaded_log(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Fifteen months of a loaded exercise on random days: loads logged or not, sets in reps
    or held, targets or none, two sessions some days, long breaks, and another profile."""
    rng = random.Random(11)
    path = tmp_path_factory.mktemp("loads") / "kotcoach.db"
    with Store.open(path, write=True) as store:
        day = TODAY - dt.timedelta(days=460)
        while day <= TODAY:
            for profile in ("ana", "ana", "ben"):
                if rng.random() < 0.5:
                    continue
                session = store.begin_session(profile, day, rng.choice([None, 0]))
                held = rng.random() < 0.15
                store.log_exercise(
                    session,
                    LOADED,
                    Amount(hold_seconds=30) if held else Amount(reps=rng.randint(6, 15)),
                    rng.randint(1, 4),
                    target=Target(4, Amount(reps=rng.choice([8, 10, 15])))
                    if rng.random() < 0.8
                    else None,
                    load_kg=rng.choice([None, 40.0, 42.5, 50.0]),
                )
            day += dt.timedelta(days=rng.choice([1, 2, 3, 4, 40]))
    return path


@pytest.mark.parametrize("days_ago", [0, 1, 9, 30, 75, 200, 400])
def test_the_load_rule_decides_from_the_ends_of_the_year_as_from_the_whole_year(
    loaded_log: Path, days_ago: int
) -> None:
    from kotcoach.coaching.coach import Decision, Kind, Prescription, Unit, Volume
    from kotcoach.coaching.load_coach import load_logs, with_load
    from kotcoach.coaching.today import LOAD_HISTORY

    step = INDEX.exercise(LOADED)
    on = TODAY - dt.timedelta(days=days_ago)
    with Store.open(loaded_log) as store:
        for profile in ("ana", "ben", "cy"):
            year = store.exercise_history(profile, LOADED, since=on - LOAD_HISTORY)
            whole = load_logs([log for log in year if log.date < on])
            ends = load_logs(store.load_ends(profile, LOADED, on - LOAD_HISTORY, on))
            assert len(ends) <= 3 and bool(ends) == bool(whole)  # the year down to its ends
            if profile != "cy" and days_ago <= 200:
                assert len(whole) > 3
            was = Prescription(LOADED, Volume(4, 10, Unit.REPS))
            for kind in (Kind.UP, Kind.HOLD, Kind.DOWN):
                for dose in (Volume(4, 10, Unit.REPS), Volume(3, 8, Unit.REPS)):
                    decision = Decision(kind, LOADED, dose, "4 × 10: why", was=was)
                    assert with_load(decision, step, ends, on) == with_load(
                        decision, step, whole, on
                    )
