"""The training log's store: opening, migrations, writes, reads, and files it must not touch."""

from __future__ import annotations

import datetime as dt
import os
import re
import sqlite3
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from kotcoach.base.errors import ImportFileError, StoreError, UsageError
from kotcoach.store import (
    Amount,
    Profile,
    Status,
    Store,
    Target,
    database_path,
    exchange,
    schema,
    transfer,
)

DAY = dt.date(2025, 3, 3)


def _item(id: str, sets: int, warm_up: bool = False, **amount: int) -> dict[str, Any]:
    return {
        "id": id,
        "name": id.replace("-", " ").capitalize(),
        "dose": f"{sets} × {next(iter(amount.values()))}",
        "dose_detail": {"sets": sets, **amount},
        "key_cue": f"Cue for {id}",
    }


def plan_json(weeks: int = 1) -> dict[str, Any]:
    """A small saved plan: two sessions a week, a warm-up and two exercises each."""
    week_list = []
    for week in range(1, weeks + 1):
        sessions = [
            {
                "day": day,
                "minutes": 20,
                "warm_up": _item("walk-back", 1, minutes=5),
                "exercises": [
                    _item(f"ex-{day}a", 2, reps=10 + week),
                    _item(f"ex-{day}b", 3, hold_seconds=30),
                ],
            }
            for day in (1, 2)
        ]
        week_list.append({"week": week, "sessions": sessions})
    return {"level": "beginner", "sessions": week_list[0]["sessions"], "weeks": week_list}


@pytest.fixture
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "data"
    monkeypatch.setenv("KOTCOACH_DATA_DIR", str(folder))
    return folder


@pytest.fixture
def store(data_dir: Path) -> Iterator[Store]:
    with Store.open(write=True) as opened:
        yield opened


def do_session(store: Store, on: dt.date, profile: str = "default", skip_last: bool = False):  # type: ignore[no-untyped-def]
    today = store.today(profile, on)
    assert today is not None
    session_id = store.begin_session(profile, on, today.slot)
    exercises = today.session.exercises[:-1] if skip_last else today.session.exercises
    for exercise in exercises:
        for _ in range(exercise.target.sets):
            store.log_set(
                session_id,
                exercise.id,
                exercise.target.amount,
                name=exercise.name,
                target=exercise.target,
            )
        store.set_pain_during(session_id, exercise.id, 2)
    return today, session_id


# --- opening ---------------------------------------------------------------------------------


def test_reading_creates_nothing(data_dir: Path) -> None:
    with Store.open() as store:
        assert store.profiles() == []
        assert store.today("default", DAY) is None
        assert store.sessions("default") == []
        with pytest.raises(RuntimeError):
            store.checkin("default", DAY, {"knee": 1})
    assert not data_dir.exists()


def test_first_write_makes_the_folder_in_wal_mode(data_dir: Path) -> None:
    with Store.open(write=True) as store:
        store.checkin("default", DAY, {"knee": 1})
    assert database_path() == data_dir / "kotcoach.db"
    db = sqlite3.connect(data_dir / "kotcoach.db")
    assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert db.execute("PRAGMA user_version").fetchone()[0] == schema.LATEST


def test_a_corrupt_file_is_reported_and_left_alone(data_dir: Path) -> None:
    data_dir.mkdir()
    path = data_dir / "kotcoach.db"
    garbage = b"this is not a database, just some bytes " * 200
    path.write_bytes(garbage)
    for write in (False, True):
        with pytest.raises(StoreError) as caught:
            Store.open(write=write)
        assert str(path) in str(caught.value)
        assert "cannot be read" in str(caught.value)
    assert path.read_bytes() == garbage


def test_a_newer_file_is_refused_unchanged(data_dir: Path) -> None:
    data_dir.mkdir()
    path = data_dir / "kotcoach.db"
    db = sqlite3.connect(path)
    db.execute(f"PRAGMA user_version = {schema.LATEST + 1}")
    db.close()
    before = path.read_bytes()
    with pytest.raises(StoreError, match="newer kotcoach") as caught:
        Store.open(write=True)
    assert str(path) in str(caught.value)
    assert path.read_bytes() == before


def test_another_sqlite_file_is_not_taken_over(data_dir: Path) -> None:
    data_dir.mkdir()
    path = data_dir / "kotcoach.db"
    db = sqlite3.connect(path)
    db.execute("CREATE TABLE photos (id INTEGER)")
    db.commit()
    db.close()
    before = path.read_bytes()
    with pytest.raises(StoreError, match="not a kotcoach training log"):
        Store.open(write=True)
    assert path.read_bytes() == before


def test_a_write_locked_past_the_timeout_says_busy(data_dir: Path) -> None:
    Store.open(write=True).checkin("default", DAY, {"knee": 1})
    holder = sqlite3.connect(data_dir / "kotcoach.db", isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    try:
        store = Store.open(write=True, timeout=0.1)
        with pytest.raises(StoreError, match="busy") as caught:
            store.checkin("default", DAY, {"knee": 7})
        assert str(data_dir / "kotcoach.db") in str(caught.value)
        # It says how long it really waited, and the limit: here the whole 0.1 s.
        waited = re.search(r"gave up after (\d+\.\d) s; the limit is 0.1 s", str(caught.value))
        assert waited is not None, caught.value
        assert float(waited.group(1)) >= 0.1
        # Reading still works while another process writes (WAL).
        assert [c.pain for c in store.checkins("default")] == [1]
    finally:
        holder.execute("ROLLBACK")


# --- migrations ------------------------------------------------------------------------------


def _file_at(path: Path, version: int) -> None:
    db = sqlite3.connect(path, isolation_level=None)
    schema.migrate(db, upto=version)
    if version >= 1:
        db.execute("INSERT INTO profiles (name, created) VALUES ('sam', '2025-01-01T00:00:00')")
        db.execute(
            "INSERT INTO sessions (profile_id, date, created, pain_after) "
            "VALUES (1, '2025-01-02', '2025-01-02T08:00:00', 3)"
        )
        db.execute("INSERT INTO entries (session_id, exercise, name) VALUES (1, 'tib', 'Tib')")
        db.execute(
            "INSERT INTO sets (entry_id, number, reps, logged_at) "
            "VALUES (1, 1, 20, '2025-01-02T08:01:00')"
        )
    db.close()


@pytest.mark.parametrize("version", range(schema.LATEST))
def test_every_older_version_migrates_keeping_its_data(data_dir: Path, version: int) -> None:
    data_dir.mkdir()
    path = data_dir / "kotcoach.db"
    _file_at(path, version)
    with Store.open(write=True) as store:
        assert schema.version(store._db) == schema.LATEST
        store.add_assessment("sam", DAY, "knee-to-wall", 9.5, side="left")
        assert [a.value for a in store.assessments("sam")] == [9.5]
        if version >= 1:
            (session,) = store.sessions("sam")
            assert session.pain_after == 3
            assert session.exercises[0].sets[0].amount == Amount(reps=20)


def test_a_failed_migration_leaves_the_version_it_was_at(
    data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    data_dir.mkdir()
    path = data_dir / "kotcoach.db"
    _file_at(path, 1)

    def broken(db: sqlite3.Connection) -> None:
        db.execute("CREATE TABLE half_done (id INTEGER)")
        raise sqlite3.OperationalError("disk I/O error")

    monkeypatch.setattr(schema, "MIGRATIONS", (schema.MIGRATIONS[0], broken))
    with pytest.raises(StoreError):
        Store.open(write=True)
    db = sqlite3.connect(path)
    assert db.execute("PRAGMA user_version").fetchone()[0] == 1
    tables = {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    assert "half_done" not in tables
    assert "assessments" not in tables


def test_a_read_only_open_of_an_older_file_migrates_it(data_dir: Path) -> None:
    data_dir.mkdir()
    _file_at(data_dir / "kotcoach.db", 1)
    with Store.open() as store:
        assert [s.pain_after for s in store.sessions("sam")] == [3]
    db = sqlite3.connect(data_dir / "kotcoach.db")
    assert db.execute("PRAGMA user_version").fetchone()[0] == schema.LATEST


# --- profiles and programmes -----------------------------------------------------------------


def test_profiles_keep_their_defaults_and_handout_lines(store: Store) -> None:
    store.save_profile(
        Profile("ana", level="intermediate", days=4, equipment=("step", "band"), clinic="Knees")
    )
    store.save_profile(Profile("ben", minutes=15, handout_for="Ben Smith"))
    ana = store.profile("ana")
    assert ana is not None
    assert (ana.level, ana.days, ana.equipment, ana.clinic) == (
        "intermediate",
        4,
        ("step", "band"),
        "Knees",
    )
    assert [p.name for p in store.profiles()] == ["ana", "ben"]
    assert store.profile("nobody") is None
    with pytest.raises(UsageError, match="profile name"):
        store.save_profile(Profile("no spaces"))
    with pytest.raises(UsageError, match="days"):
        store.save_profile(Profile("ana", days=9))


def test_the_last_saved_programme_is_current(store: Store) -> None:
    store.save_programme("ana", {"level": "beginner"}, plan_json())
    second = store.save_programme("ana", {"level": "beginner", "weeks": 2}, plan_json(weeks=2))
    current = store.programme("ana")
    assert current == second
    assert current is not None and current.request == {"level": "beginner", "weeks": 2}
    assert [(s.slot, s.week, s.day) for s in current.sessions] == [
        (0, 1, 1),
        (1, 1, 2),
        (2, 2, 1),
        (3, 2, 2),
    ]
    assert store.programme("ben") is None


# --- today -----------------------------------------------------------------------------------


def test_today_moves_on_only_when_every_exercise_is_logged(store: Store) -> None:
    store.save_programme("default", {}, plan_json())
    first = store.today("default", DAY)
    assert first is not None and first.slot == 0 and first.session_id is None
    assert [e.id for e in first.session.exercises] == ["walk-back", "ex-1a", "ex-1b"]
    assert first.session.exercises[0].warm_up

    _, session_id = do_session(store, DAY, skip_last=True)
    partial = store.today("default", DAY)
    assert partial is not None and partial.slot == 0 and partial.session_id == session_id
    assert sorted(partial.done) == ["ex-1a", "walk-back"]
    assert [e.id for e in partial.remaining] == ["ex-1b"]

    store.set_status(session_id, "ex-1b", Status.SKIPPED, name="Ex 1b")
    moved = store.today("default", DAY)
    assert moved is not None and moved.slot == 1 and moved.session_id is None
    assert moved.done == {}


def test_exercises_the_coach_paused_on_the_sessions_day_do_not_keep_it_open(
    store: Store,
) -> None:
    store.save_programme("default", {}, plan_json())
    asked: list[tuple[dt.date, list[str]]] = []

    def paused(day: dt.date, session: Any, unfinished: tuple[Any, ...]) -> set[str]:
        assert session.slot == 0
        asked.append((day, [e.id for e in unfinished]))
        return {"ex-1b"}

    nothing = store.today("default", DAY, paused=paused)
    assert nothing is not None and nothing.slot == 0 and asked == []  # nothing logged yet
    _, session_id = do_session(store, DAY, skip_last=True)  # ex-1b not done: it was paused
    assert store.today("default", DAY).slot == 0  # type: ignore[union-attr]  # without the coach
    moved = store.today("default", DAY, paused=paused)
    assert moved is not None and moved.slot == 1 and moved.done == {}
    assert asked == [(DAY, ["ex-1b"])]
    later = store.today("default", DAY + dt.timedelta(days=2), paused=paused)
    assert later is not None and later.slot == 1
    assert asked[-1] == (DAY, ["ex-1b"])  # decided as of the session's own day
    kept = store.today("default", DAY, paused=lambda *_: set())
    assert kept is not None and kept.slot == 0 and kept.session_id == session_id


def test_the_warm_up_is_not_needed_to_move_on(store: Store) -> None:
    store.save_programme("default", {}, plan_json())
    today = store.today("default", DAY)
    assert today is not None
    session_id = store.begin_session("default", DAY, today.slot)
    for exercise in today.session.exercises[1:]:
        for _ in range(exercise.target.sets):
            store.log_set(session_id, exercise.id, exercise.target.amount)
    after = store.today("default", DAY)
    assert after is not None and after.slot == 1


def test_an_unfinished_session_is_offered_again_afresh_on_a_later_day(store: Store) -> None:
    store.save_programme("default", {}, plan_json())
    do_session(store, DAY, skip_last=True)
    later = store.today("default", DAY + dt.timedelta(days=2))
    assert later is not None and later.slot == 0
    assert later.session_id is None and later.done == {}


def test_after_the_last_session_the_last_week_repeats(store: Store) -> None:
    store.save_programme("default", {}, plan_json(weeks=2))
    slots = []
    for n in range(7):
        today, _ = do_session(store, DAY + dt.timedelta(days=n))
        slots.append((today.slot, today.session.week, today.session.day))
    assert slots == [
        (0, 1, 1),
        (1, 1, 2),
        (2, 2, 1),
        (3, 2, 2),
        (4, 2, 1),
        (5, 2, 2),
        (6, 2, 1),
    ]


def test_a_missing_next_morning_checkin_is_noticed(store: Store) -> None:
    store.save_programme("default", {}, plan_json())
    do_session(store, DAY)
    tomorrow = DAY + dt.timedelta(days=1)
    reminder = store.today("default", tomorrow)
    assert reminder is not None and reminder.checkin_missing == DAY
    store.checkin("default", tomorrow, {"knee": 2})
    settled = store.today("default", tomorrow)
    assert settled is not None and settled.checkin_missing is None
    two_days = store.today("default", DAY + dt.timedelta(days=2))
    assert two_days is not None and two_days.checkin_missing is None


# --- writing sets ----------------------------------------------------------------------------


def test_each_set_is_committed_as_soon_as_it_is_logged(store: Store, data_dir: Path) -> None:
    session_id = store.begin_session("default", DAY)
    number = store.log_set(session_id, "tib", Amount(reps=20), target=Target(2, Amount(reps=20)))
    assert number == 1
    other = sqlite3.connect(data_dir / "kotcoach.db")
    assert other.execute("SELECT number, reps FROM sets").fetchall() == [(1, 20)]
    assert store.log_set(session_id, "tib", Amount(reps=18)) == 2


def test_pain_during_and_after_keep_the_highest_report(store: Store) -> None:
    session_id = store.begin_session("default", DAY)
    store.log_set(session_id, "tib", Amount(reps=20))
    store.set_pain_during(session_id, "tib", 4)
    store.set_pain_during(session_id, "tib", 2)
    store.set_pain_after(session_id, 3)
    store.set_pain_after(session_id, 1)
    (session,) = store.sessions("default")
    assert session.exercises[0].pain_during == 4
    assert session.exercises[0].status is Status.DONE
    assert session.pain_after == 3
    store.set_pain_during(session_id, "tib", 6)
    (session,) = store.sessions("default")
    assert session.exercises[0].status is Status.STOPPED


def test_log_exercise_writes_all_its_sets_and_adds_to_earlier_ones(store: Store) -> None:
    session_id = store.begin_session("default", DAY)
    target = Target(3, Amount(reps=10), per_side=True)
    store.log_exercise(session_id, "split", Amount(reps=10), 2, pain_during=3, target=target)
    log = store.log_exercise(session_id, "split", Amount(reps=8), 1, pain_during=1, note="tired")
    assert [(s.number, s.amount.reps) for s in log.sets] == [(1, 10), (2, 10), (3, 8)]
    assert log.pain_during == 3
    assert log.target == target
    assert log.note == "tired"
    assert log.describe_done() == "2 × 10 + 1 × 8"


def test_remove_set_takes_back_exactly_the_last_set_and_nothing_else(
    store: Store, data_dir: Path
) -> None:
    session_id = store.begin_session("default", DAY)
    target = Target(3, Amount(reps=10))
    store.log_set(session_id, "split", Amount(reps=10), target=target, load_kg=12)
    store.log_set(session_id, "split", Amount(reps=9), target=target, load_kg=12)
    store.log_set(session_id, "tib", Amount(reps=20))
    with pytest.raises(UsageError, match="not the last set"):
        store.remove_set(session_id, "split", 1)
    with pytest.raises(UsageError, match="not logged"):
        store.remove_set(session_id, "hinge", 1)
    assert store.remove_set(session_id, "split", 2) is False
    (session,) = store.sessions("default")
    split, tib = session.exercises
    assert [(s.number, s.amount, s.load_kg) for s in split.sets] == [(1, Amount(reps=10), 12)]
    assert (split.target, [s.number for s in tib.sets]) == (target, [1])
    assert store.log_set(session_id, "split", Amount(reps=10), target=target) == 2
    assert (data_dir / "kotcoach.db").stat().st_mode & 0o777 == 0o600
    db = sqlite3.connect(data_dir / "kotcoach.db")
    assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def test_nothing_left_empty_by_a_take_back_stays_but_an_entry_with_pain_does(
    store: Store,
) -> None:
    session_id = store.begin_session("default", DAY)
    store.log_set(session_id, "split", Amount(reps=10))
    assert store.remove_set(session_id, "split", 1) is True  # the session went with it
    assert (store.exercise_history("default"), store.sessions("default")) == ([], [])
    session_id = store.begin_session("default", DAY)
    store.set_status(session_id, "hinge", Status.SKIPPED)
    assert store.undo_skip(session_id, "hinge") is True
    assert store.sessions("default") == []
    session_id = store.begin_session("default", DAY)
    store.log_exercise(session_id, "tib", Amount(reps=20), 1, pain_during=3)
    store.remove_set(session_id, "tib", 1)
    (tib,) = store.exercise_history("default")
    assert (tib.sets, tib.pain_during) == ((), 3)


def test_a_failed_remove_set_changes_nothing(store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    session_id = store.begin_session("default", DAY)
    store.log_set(session_id, "split", Amount(reps=10))
    store.log_set(session_id, "split", Amount(reps=8))
    before = store.export_rows()

    def broken(*_: Any) -> None:
        raise sqlite3.OperationalError("disk I/O error")

    monkeypatch.setattr(Store, "_drop_if_empty", broken)
    with pytest.raises(StoreError, match="disk I/O error"):
        store.remove_set(session_id, "split", 2)
    assert store.export_rows() == before  # rolled back: the set is still there


def test_undo_skip_takes_back_a_skip_only(store: Store) -> None:
    session_id = store.begin_session("default", DAY)
    store.log_set(session_id, "split", Amount(reps=10))
    store.set_status(session_id, "split", Status.SKIPPED)
    store.set_status(session_id, "tib", Status.SKIPPED)
    store.log_exercise(session_id, "hinge", Amount(reps=8), 1, pain_during=7)
    store.undo_skip(session_id, "split")
    store.undo_skip(session_id, "tib")
    with pytest.raises(UsageError, match="not skipped"):
        store.undo_skip(session_id, "hinge")  # a stop for pain stays
    logs = {log.exercise: log for log in store.exercise_history("default")}
    assert sorted(logs) == ["hinge", "split"]  # the entry the skip alone made is gone
    assert (logs["split"].status, len(logs["split"].sets)) == (Status.DONE, 1)
    assert logs["hinge"].status is Status.STOPPED


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda s, sid: s.log_exercise(sid, "x", Amount(reps=5), 0), "--sets"),
        (lambda s, sid: s.log_exercise(sid, "x", Amount(reps=5), 21), "--sets"),
        (lambda s, sid: s.log_exercise(sid, "x", Amount(reps=5), 2, pain_during=11), "11"),
        (lambda s, sid: s.set_pain_during(sid, "x", -1), "-1"),
        (lambda s, sid: s.set_pain_after(sid, 12), "12"),
        (lambda s, sid: s.log_set(sid, "x", Amount(reps=5000)), "5000"),
        (lambda s, sid: s.log_set(sid, "x", Amount(hold_seconds=0)), "hold seconds"),
        (lambda s, sid: s.log_set(sid, "x", Amount(reps=5, minutes=2)), "exactly one"),
        (lambda s, sid: s.checkin("default", DAY, {"elbow": 2}), "elbow"),
        (lambda s, sid: s.checkin("default", DAY, {"knee": 2}, {"hip": 3}), "hip"),
    ],
)
def test_bad_values_are_refused_and_nothing_is_written(
    store: Store, call: Any, message: str
) -> None:
    session_id = store.begin_session("default", DAY)
    with pytest.raises(UsageError, match=message):
        call(store, session_id)
    assert store.export_rows() == []
    assert store.checkins("default") == []


def test_history_for_the_coach(store: Store) -> None:
    for n, pain in enumerate([1, 3, 6]):
        session_id = store.begin_session("ana", DAY + dt.timedelta(days=2 * n))
        store.log_exercise(
            session_id,
            "tib",
            Amount(reps=20),
            2,
            pain_during=pain,
            target=Target(2, Amount(reps=20)),
        )
        store.log_exercise(session_id, "calf", Amount(reps=15), 1, pain_during=0)
    store.checkin("ana", DAY + dt.timedelta(days=1), {"knee": 2, "ankle": 1}, {"knee": 4})
    tib = store.exercise_history("ana", "tib")
    assert [(h.date.day, h.pain_during, len(h.sets)) for h in tib] == [
        (3, 1, 2),
        (5, 3, 2),
        (7, 6, 2),
    ]
    assert [
        h.date.day for h in store.exercise_history("ana", since=DAY + dt.timedelta(days=2))
    ] == [
        5,
        5,
        7,
        7,
    ]
    assert [(c.area, c.pain, c.stiffness) for c in store.checkins("ana")] == [
        ("ankle", 1, None),
        ("knee", 2, 4),
    ]
    assert store.exercise_history("ben") == []
    last = store.sessions("ana", last=2)
    assert [s.date.day for s in last] == [5, 7]
    only_calf = store.sessions("ana", exercise="calf", since=DAY + dt.timedelta(days=2))
    assert [[e.exercise for e in s.exercises] for s in only_calf] == [["calf"], ["calf"]]


def test_a_second_checkin_replaces_the_first(store: Store) -> None:
    store.checkin("default", DAY, {"knee": 5}, {"knee": 5})
    store.checkin("default", DAY, {"knee": 2})
    assert [(c.pain, c.stiffness) for c in store.checkins("default")] == [(2, None)]


# --- export, import and backup ---------------------------------------------------------------


def _rows(text: str) -> list[tuple[int, dict[str, str | None]]]:
    import csv
    import io

    reader = csv.DictReader(io.StringIO(textwrap.dedent(text)))
    return [(n, row) for n, row in enumerate(reader, start=2)]


def test_export_then_import_elsewhere_gives_the_same_rows(store: Store, tmp_path: Path) -> None:
    store.save_programme("ana", {}, plan_json())
    do_session(store, DAY, profile="ana")
    _, sid = do_session(store, DAY + dt.timedelta(days=1), profile="ana", skip_last=True)
    store.set_status(sid, "ex-2b", Status.STOPPED)
    store.set_pain_after(sid, 4, note="long day")
    rows = store.export_rows()
    assert set(rows[0]) == set(exchange.COLUMNS)
    assert any(r["status"] == "stopped" and r["set"] is None for r in rows)
    text_rows = [
        (n, {k: "" if v is None else str(v) for k, v in row.items()})
        for n, row in enumerate(rows, start=2)
    ]
    other = Store.open(tmp_path / "other.db", write=True)
    parsed = exchange.parse_rows(text_rows, "log.csv", DAY + dt.timedelta(days=5))
    sets = sum(1 for r in rows if r["set"] is not None)
    # Another log has no programme: the rows come in whole but outside any programme session.
    assert other.import_rows(parsed) == transfer.Imported(added=sets, unplanned=len(rows))
    unplanned = [row | {"slot": None} for row in rows]
    assert other.export_rows() == unplanned
    assert other.import_rows(parsed).added == 0
    assert other.export_rows() == unplanned
    # Into the log they came from, each row finds its own session again: nothing changes.
    assert store.import_rows(parsed) == transfer.Imported(present=sets)
    assert store.export_rows() == rows


def test_import_reports_every_bad_line_and_writes_nothing(store: Store) -> None:
    text = """\
        profile,date,exercise,set,reps,pain_during
        ana,2025-03-01,tib,1,20,2
        ana,2025-13-01,tib,2,20,2
        ana,2025-03-01,tib,3,20,11
        ana,2025-03-01,tib,x,20,2
        """
    with pytest.raises(ImportFileError) as caught:
        exchange.parse_rows(_rows(text), "log.csv", DAY)
    message = str(caught.value)
    assert message.startswith("log.csv:3: date '2025-13-01' is not a real date")
    assert "log.csv:4: pain_during must be a whole number from 0 to 10, not 11" in message
    assert "log.csv:5: set must be a whole number, not 'x'" in message
    assert "2 more problems" in message


def test_import_refuses_future_dates_and_missing_columns() -> None:
    with pytest.raises(ImportFileError, match="in the future"):
        exchange.parse_rows(_rows("profile,date,exercise,set,reps\na,2025-03-04,t,1,5\n"), "f", DAY)
    with pytest.raises(ImportFileError, match="missing column 'set'"):
        exchange.parse_rows(_rows("profile,date,exercise,reps\na,2025-03-01,t,5\n"), "f", DAY)


def test_backup_is_a_complete_copy_and_replaces_nothing_half_way(
    store: Store, tmp_path: Path
) -> None:
    store.save_programme("ana", {}, plan_json())
    do_session(store, DAY, profile="ana")
    target = tmp_path / "copy.db"
    store.backup(target)
    with Store.open(target) as copy:
        assert copy.export_rows() == store.export_rows()
        assert copy.programme("ana") == store.programme("ana")
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


# --- many processes at once ------------------------------------------------------------------

WRITER = """
import sys, datetime as dt
from kotcoach.store import Store, Amount
worker = int(sys.argv[1])
with Store.open(write=True) as store:
    for n in range(25):
        sid = store.begin_session(f"p{worker % 3}", dt.date(2025, 1, 1 + n % 28))
        store.log_set(sid, f"ex{worker}", Amount(reps=n + 1))
"""


KILLED = """
import sys, datetime as dt
from kotcoach.store import Store, Amount
with Store.open(write=True) as store:
    sid = store.begin_session("default", dt.date(2025, 1, 1))
    n = 0
    while True:
        n = store.log_set(sid, "tib", Amount(reps=n % 50 + 1))
        print(n, flush=True)
"""


def test_opening_a_new_log_waits_for_another_opener_instead_of_failing_at_once(
    data_dir: Path,
) -> None:
    # SQLite fails the switch to WAL at once, without its busy handler, while another opener
    # holds the write lock (making the same switch): eight writers creating one log together on
    # a loaded machine saw "gave up after 0.0 s". Opening must wait, as every write does.
    import threading

    data_dir.mkdir()
    path = data_dir / "kotcoach.db"
    path.touch(mode=0o600)
    other = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    other.execute("BEGIN IMMEDIATE")  # as another opener holds it while it makes the switch
    timer = threading.Timer(0.3, lambda: other.execute("ROLLBACK"))
    timer.start()
    try:
        with Store.open(write=True, timeout=10) as store:
            sid = store.begin_session("default", dt.date(2025, 1, 1))
            store.log_set(sid, "tib", Amount(reps=12))
    finally:
        timer.join()
        other.close()
    with sqlite3.connect(path) as check:
        assert check.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert check.execute("SELECT reps FROM sets").fetchall() == [(12,)]


def test_a_killed_writer_keeps_every_set_it_had_written(data_dir: Path) -> None:
    import signal

    writer = subprocess.Popen(
        [sys.executable, "-c", KILLED], stdout=subprocess.PIPE, text=True, bufsize=1
    )
    assert writer.stdout is not None
    written = 0
    while written < 40:
        written = int(writer.stdout.readline())
    writer.send_signal(signal.SIGKILL)
    writer.wait(timeout=30)
    writer.stdout.close()
    with Store.open() as store:
        (session,) = store.sessions("default")
        numbers = [s.number for s in session.exercises[0].sets]
    assert numbers[:written] == list(range(1, written + 1))
    assert len(numbers) >= written


def test_many_processes_logging_at_once_lose_nothing(data_dir: Path) -> None:
    # A loaded CI machine can keep a writer waiting longer than the default 5 s.
    patient = {**os.environ, "KOTCOACH_BUSY_TIMEOUT": "60"}
    workers = [
        subprocess.Popen(
            [sys.executable, "-c", WRITER, str(w)], stderr=subprocess.PIPE, env=patient
        )
        for w in range(8)
    ]
    for worker in workers:
        _, err = worker.communicate(timeout=60)
        assert worker.returncode == 0, err.decode()
    with Store.open() as store:
        rows = store.export_rows()
    assert len(rows) == 8 * 25
    for w in range(8):
        assert sorted(r["reps"] for r in rows if r["exercise"] == f"ex{w}") == list(range(1, 26))
