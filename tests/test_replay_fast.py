"""The report's fast reading of the log gives what the straightforward one gives.

`coach.Replay.steps_back` decides only the days that can step back or stop; `decisions` decides
every day. `Store.entry_history` reads the sets as amounts; `exercise_history` as records. The
report must not change when either shortcut is taken, so each is checked against the plain way
over random logs and over five years of a varied log.
"""

from __future__ import annotations

import datetime as dt
import os
import random
from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from kotcoach.base.vocab import Area, Equipment
from kotcoach.catalogue.ladders import Index
from kotcoach.catalogue.read import load_catalog
from kotcoach.catalogue.source import builtin_catalog_path
from kotcoach.coaching.coach import (
    Decision,
    Kind,
    Logged,
    Mornings,
    Person,
    Prescription,
    Replay,
    Volume,
    decide,
    full_dose,
    ladder_facts,
    with_condition_areas,
)
from kotcoach.coaching.facts import entry_of, programme_prescription
from kotcoach.coaching.progress import Event, _ladders_and_events
from kotcoach.store import Amount, Status, Store, Target
from kotcoach.store.records import Checkin
from tests.conftest import examples

INDEX = Index(load_catalog(builtin_catalog_path()))
START = date(2021, 3, 1)
IN_CI = bool(os.environ.get("CI"))
STEPS_BACK = (Kind.DOWN, Kind.PAUSE)


def fast_steps_back(
    first_id: str,
    sessions: list[Logged],
    mornings: Mornings,
    person: Person,
    programme: Prescription | None = None,
    as_now: bool = False,
) -> tuple[list[tuple[int, date, Decision]], int]:
    person = with_condition_areas(INDEX, person)
    facts = ladder_facts(INDEX, first_id, person)
    return Replay(facts, first_id, sessions, mornings, person, programme, as_now).steps_back()


def plain_steps_back(
    first_id: str,
    sessions: list[Logged],
    mornings: Mornings,
    person: Person,
    programme: Prescription | None = None,
    as_now: bool = False,
) -> tuple[list[tuple[int, date, Decision]], int]:
    """Every day decided, then the steps back and pauses kept: what the fast path must equal."""
    person = with_condition_areas(INDEX, person)
    facts = ladder_facts(INDEX, first_id, person)
    days = Replay(facts, first_id, sessions, mornings, person, programme, as_now).decisions()
    kept = [(n, day, found) for n, (day, found) in enumerate(days) if found.kind in STEPS_BACK]
    return kept, len(days)


@st.composite
def long_logs(draw: st.DrawFn) -> tuple[str, list[Logged], list[Checkin], Person]:
    """Up to a few months of one ladder (any of its steps, with another ladder's sessions mixed
    in), pain during anywhere from 0 to 10, targets missed or met, days off from none to four
    weeks, and mornings from quiet to rising, in one or more areas."""
    ladder = draw(st.sampled_from(INDEX.ladders))
    other = draw(st.sampled_from(INDEX.ladders))
    calm = draw(st.integers(0, 3))
    sessions, checkins = [], []
    day = START
    for _ in range(draw(st.integers(0, 40))):
        # 0: twice in a day; 7 and more: back after time off (each band of `_back`)
        day += timedelta(days=draw(st.sampled_from([0, 1, 1, 2, 2, 3, 4, 7, 10, 13, 14, 20, 28])))
        step = draw(st.sampled_from(ladder.steps if draw(st.integers(0, 5)) else other.steps))
        full = full_dose(step)
        target = Volume(draw(st.integers(1, 4)), draw(st.integers(1, 25)), full.unit)
        done = (target.amount,) * target.sets
        if not draw(st.integers(0, 4)):
            done = tuple(draw(st.lists(st.integers(0, 30), max_size=5)))
        during = draw(st.sampled_from([0, 1, 2, 1, 2, 3, 4, 5, 6, 8, None]))
        sessions.append(Logged(day, step.id, target, done, during))
        for area in step.areas or [Area.KNEE]:
            for morning in (day, day + timedelta(days=1)):
                if draw(st.integers(0, 4)):
                    drift = draw(st.sampled_from([0, 0, 0, 1, 2, 3, 5]))
                    checkins.append(Checkin(morning, area, min(10, calm + drift)))
    person = Person(
        conditions=tuple(draw(st.lists(st.sampled_from(sorted(INDEX.conditions)), max_size=1))),
        pain_now=draw(st.dictionaries(st.sampled_from(Area), st.integers(0, 8), max_size=1)),
        equipment=draw(st.none() | st.frozensets(st.sampled_from(Equipment))),
    )
    return ladder.first.id, sessions, checkins, person


@settings(max_examples=examples(100), deadline=None, derandomize=IN_CI)
@given(long_logs(), st.booleans())
def test_the_fast_replay_finds_the_same_steps_back_on_random_logs(
    log: tuple[str, list[Logged], list[Checkin], Person], as_now: bool
) -> None:
    first_id, sessions, checkins, person = log
    fast = fast_steps_back(first_id, sessions, Mornings(checkins), person, None, as_now)
    assert fast == plain_steps_back(first_id, sessions, Mornings(checkins), person, None, as_now)


def five_years(seed: int) -> tuple[list[Logged], list[Checkin]]:
    """Five years, five days a week, of the first two steps of six ladders: mostly green and
    steady, with bad days, missed targets, flares and weeks of rising morning pain."""
    rng = random.Random(seed)
    ladders = [ladder for ladder in INDEX.ladders if len(ladder.steps) > 1][:6]
    sessions, checkins = [], []
    day = START
    level = 1  # the knee's usual morning
    while day < START + timedelta(days=5 * 365):
        if day.weekday() == 0 and rng.random() < 0.08:
            level = rng.choice([0, 1, 2, 3, 4, 5])  # some weeks drift up, most come back
        for area in (Area.KNEE, Area.ANKLE):
            if rng.random() < 0.8:
                spike = rng.choice([0] * 12 + [2, 3, 6])
                checkins.append(Checkin(day, area, min(10, level + spike)))
        if day.weekday() < 5:
            for ladder in ladders:
                step = ladder.steps[rng.random() < 0.3]
                target = Volume(2, 10 + 2 * rng.randint(0, 4), full_dose(step).unit)
                done = (target.amount,) * 2 if rng.random() < 0.85 else (target.amount - 3,)
                during = rng.choice([0, 1, 1, 2, 2, 2, 3, 4, 6, None])
                sessions.append(Logged(day, step.id, target, done, during))
        day += timedelta(days=1)
    return sessions, checkins


def test_the_fast_replay_finds_the_same_steps_back_over_five_years() -> None:
    sessions, checkins = five_years(seed=11)
    mornings = Mornings(checkins)
    person = Person(conditions=("patellar-tendinopathy",), equipment=frozenset(Equipment))
    kinds: set[Kind] = set()
    for first_id in {INDEX.ladder_of(s.exercise_id).first.id for s in sessions}:
        for as_now in (False, True):
            fast = fast_steps_back(first_id, sessions, mornings, person, None, as_now)
            assert fast == plain_steps_back(first_id, sessions, mornings, person, None, as_now)
            kinds |= {found.kind for _, _, found in fast[0]}
    assert kinds == {Kind.DOWN, Kind.PAUSE}  # the log has both, so the check means something


def plain_events(
    sessions: list[Logged], mornings: Mornings, person: Person, today: date
) -> list[Event]:
    """The report's steps back, every day decided: each run of one kind of decision on
    consecutive days of a ladder's replay (today's decision after the last) as one event."""
    events = []
    person = with_condition_areas(INDEX, person)
    for first_id in dict.fromkeys(INDEX.ladder_of(s.exercise_id).first.id for s in sessions):
        mine = [s for s in sessions if INDEX.ladder_of(s.exercise_id).first.id == first_id]
        facts = ladder_facts(INDEX, first_id, person)
        decided = Replay(facts, first_id, mine, mornings, person, None, True).decisions()
        now = replace(person, pain_now={**person.pain_now, **mornings.day(today)})
        decided.append((today, decide(facts, first_id, mine, mornings, now, today, None)))
        run: Event | None = None
        for day, found in decided:
            if found.kind not in STEPS_BACK:
                run = None
                continue
            if run is not None and run.kind is found.kind:
                run = replace(run, until=day, count=run.count + 1)
                events[-1] = run
            else:
                name = INDEX.exercise(found.exercise_id).name
                run = Event(day, found.exercise_id, found.kind, found.reason, name)
                events.append(run)
    return sorted(events, key=lambda e: e.day)


def test_the_report_lists_the_same_steps_back_and_runs_of_stops() -> None:
    sessions, checkins = five_years(seed=5)
    sessions = sessions[: len(sessions) // 5]  # a year: the plain way is slow
    mornings = Mornings(checkins)
    today = sessions[-1].day + timedelta(days=1)
    person = Person()
    _, events = _ladders_and_events(INDEX, sessions, mornings, person, None, today)
    assert events == plain_events(sessions, mornings, person, today)
    stops = [e for e in events if e.kind is not Kind.DOWN]
    assert len(stops) >= 2 and any(e.kind is Kind.DOWN for e in events)
    # Runs are merged: some run is longer than one decision, and each names its exercise.
    assert any(e.count > 1 and e.until is not None and e.until > e.day for e in events)
    assert all(e.name == INDEX.exercise(e.exercise_id).name for e in events)
    assert programme_prescription(INDEX, None, sessions[0].exercise_id) is None


def test_entry_history_reads_what_exercise_history_reads(tmp_path: Path) -> None:
    day = dt.date(2025, 3, 3)
    with Store.open(tmp_path / "kotcoach.db", write=True) as store:
        first = store.begin_session("ana", day)
        store.log_exercise(
            first, "tib", Amount(reps=20), 2, pain_during=1, target=Target(2, Amount(reps=20))
        )
        store.log_exercise(first, "tib", Amount(reps=17), 1)  # a third, shorter set
        store.log_exercise(first, "wall-sit", Amount(hold_seconds=40), 3)  # no target
        store.log_exercise(first, "walk", Amount(minutes=10), 1, pain_during=7)  # stopped
        second = store.begin_session("ana", day + timedelta(days=1))
        store.log_exercise(
            second, "tib", Amount(reps=12), 2, target=Target(3, Amount(reps=15), per_side=True)
        )
        store.set_status(second, "hops", Status.SKIPPED)
        store.begin_session("ben", day)
        other = store.begin_session("ben", day + timedelta(days=2))
        store.log_exercise(other, "tib", Amount(reps=9), 1)
        entries = store.entry_history("ana")
        assert entries == [entry_of(log) for log in store.exercise_history("ana")]
        assert [(e.exercise, e.done, e.measure, e.status) for e in entries] == [
            ("tib", (20, 20, 17), "reps", Status.DONE),
            ("wall-sit", (40, 40, 40), "hold_seconds", Status.DONE),
            ("walk", (10,), "minutes", Status.STOPPED),
            ("tib", (12, 12), "reps", Status.DONE),
            ("hops", (), None, Status.SKIPPED),
        ]
        assert [e.done for e in store.entry_history("ben")] == [(9,)]
        assert store.entry_history("cy") == []
