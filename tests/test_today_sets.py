"""`today` moves on only once every exercise is finished: all its prescribed sets logged, or
skipped, or stopped for pain. A partly done exercise stays, with its sets to go."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest

from kotcoach.store import Amount, Status, Store, Target
from tests.test_store import DAY, plan_json


@pytest.fixture
def store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Store]:
    monkeypatch.setenv("KOTCOACH_DATA_DIR", str(tmp_path / "data"))
    with Store.open(write=True) as opened:
        yield opened


def _log(store: Store, session_id: int, exercise: str, count: int, target: Target | None) -> None:
    for _ in range(count):
        store.log_set(session_id, exercise, Amount(hold_seconds=30), target=target)


def _begin(store: Store) -> int:
    store.save_programme("default", {}, plan_json())
    today = store.today("default", DAY)
    assert today is not None and today.slot == 0
    session_id = store.begin_session("default", DAY, today.slot)
    store.log_set(session_id, "ex-1a", Amount(reps=11))
    store.log_set(session_id, "ex-1a", Amount(reps=11))  # ex-1a: 2 of 2, finished
    return session_id


# ex-1b is prescribed 3 sets: none, one, all but one, all, and one more than asked.
@pytest.mark.parametrize(("logged", "to_go"), [(0, 3), (1, 2), (2, 1), (3, 0), (4, 0)])
def test_an_exercise_is_finished_only_with_all_its_sets(
    store: Store,
    logged: int,
    to_go: int,
) -> None:
    session_id = _begin(store)
    _log(store, session_id, "ex-1b", logged, Target(3, Amount(hold_seconds=30)))
    today = store.today("default", DAY)
    assert today is not None
    if to_go:
        assert today.slot == 0 and today.session_id == session_id
        assert [e.id for e in today.remaining] == ["walk-back", "ex-1b"]
        assert today.sets_left(today.session.exercises[2]) == to_go
        assert today.sets_left(today.session.exercises[1]) == 0
        assert ("ex-1b" in today.done) == (logged > 0)  # partly done: shown with what is logged
    else:
        assert today.slot == 1 and today.done == {}


def test_a_partly_done_exercise_skipped_or_stopped_is_finished(store: Store) -> None:
    session_id = _begin(store)
    _log(store, session_id, "ex-1b", 1, None)
    store.set_status(session_id, "ex-1b", Status.SKIPPED)
    assert store.today("default", DAY).slot == 1  # type: ignore[union-attr]


def test_pain_above_five_finishes_the_exercise_for_today(store: Store) -> None:
    session_id = _begin(store)
    store.log_exercise(session_id, "ex-1b", Amount(hold_seconds=30), 1, pain_during=7)
    assert store.today("default", DAY).slot == 1  # type: ignore[union-attr]


def test_the_target_logged_that_day_counts_over_the_programmes(store: Store) -> None:
    # The coach asked for 2 sets today (a step down): 2 finish it, though the programme says 3.
    session_id = _begin(store)
    _log(store, session_id, "ex-1b", 2, Target(2, Amount(hold_seconds=30)))
    assert store.today("default", DAY).slot == 1  # type: ignore[union-attr]


def test_an_unfinished_session_is_offered_again_the_next_day(store: Store) -> None:
    session_id = _begin(store)
    _log(store, session_id, "ex-1b", 2, None)  # 2 of the programme's 3, no target stored
    later = store.today("default", DAY + dt.timedelta(days=1))
    assert later is not None and later.slot == 0 and later.done == {}
