"""The Store: one SQLite connection to the training log, and every read and write of it.

Each write method is one `BEGIN IMMEDIATE` transaction, committed before it returns: a process
killed at any moment keeps everything a write method had returned from. Reads run in a deferred
transaction, so each sees one consistent snapshot. Every sqlite3 failure becomes a `StoreError`
naming the file; nothing here repairs, truncates or rewrites a file it cannot read.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import os
import sqlite3
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kotcoach.base.errors import ExportError, StoreError, UsageError
from kotcoach.base.vocab import MAX_PAIN_DURING
from kotcoach.store import schema
from kotcoach.store.paths import database_path
from kotcoach.store.records import (
    MAX_SETS,
    MAX_TEXT,
    Amount,
    Assessment,
    Checkin,
    EntryLog,
    ExerciseLog,
    PlannedExercise,
    PlannedSession,
    Profile,
    Programme,
    Score,
    SessionLog,
    SetLog,
    Status,
    Target,
    Today,
    check_checkin,
    check_count,
    check_pain,
    check_profile_name,
    check_text,
    sets_left,
)

if TYPE_CHECKING:
    from kotcoach.store import exchange  # the CSV rows: imported only by export and import

TIMEOUT_ENV_VAR = "KOTCOACH_BUSY_TIMEOUT"
DEFAULT_TIMEOUT = 5.0  # seconds to wait for another process's write before giving up


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


def _timeout() -> float:
    raw = os.environ.get(TIMEOUT_ENV_VAR)
    if not raw:
        return DEFAULT_TIMEOUT
    try:
        value = float(raw)
    except ValueError:
        raise UsageError(f"{TIMEOUT_ENV_VAR}='{raw}' must be a number of seconds") from None
    if not 0 <= value <= 600:
        raise UsageError(f"{TIMEOUT_ENV_VAR}='{raw}' must be 0 to 600 seconds")
    return value


class Store:
    """The training log. Open it with `Store.open()`; use it as a context manager to close it.

    Methods take a profile by name. Writes create the profile on first use; reads of a profile
    that does not exist return nothing. Not for use by two threads at the same time.
    """

    def __init__(self, db: sqlite3.Connection, path: Path, timeout: float, writable: bool):
        self._db = db
        self._db.row_factory = sqlite3.Row
        self.path = path
        self.timeout = timeout
        self.writable = writable

    # --- opening and closing -----------------------------------------------------------------

    @classmethod
    def open(
        cls, path: Path | None = None, *, write: bool = False, timeout: float | None = None
    ) -> Store:
        """Open the log at `path` (default: `database_path()`).

        With `write=False` a missing file is not created: the store is empty and refuses writes.
        With `write=True` the folder and file are made when missing. A file from an older
        kotcoach is migrated (each step its own transaction); a corrupt file, one from a newer
        kotcoach, or one that is not a kotcoach log raises `StoreError` and is left unchanged.
        """
        path = path if path is not None else database_path()
        timeout = _timeout() if timeout is None else timeout
        if not path.exists():
            if not write:
                return cls._empty(path, timeout)
            try:
                path.parent.mkdir(parents=True, exist_ok=True)
            except OSError as error:
                raise StoreError(
                    f"cannot make the folder for the training log {path.parent}: "
                    f"{error.strerror or error}"
                ) from None
        elif not path.is_file():
            raise StoreError(f"the training log {path} is not a regular file")
        try:
            db = sqlite3.connect(
                path, timeout=timeout, isolation_level=None, check_same_thread=False
            )
        except sqlite3.Error as error:
            raise StoreError(f"cannot open the training log {path}: {error}") from None
        store = cls(db, path, timeout, writable=True)
        try:
            with store._guard():
                store._prepare()
        except BaseException:
            db.close()
            raise
        store.writable = write
        return store

    @classmethod
    def _empty(cls, path: Path, timeout: float) -> Store:
        db = sqlite3.connect(":memory:", isolation_level=None, check_same_thread=False)
        schema.migrate(db)
        return cls(db, path, timeout, writable=False)

    def _prepare(self) -> None:
        # One read snapshot first: it detects a file that is not a database, and nothing is
        # written until the version is one we understand. (Version and tables are read
        # together so that another process creating the log at this moment is not mistaken
        # for a foreign file: a migration sets both in one transaction.)
        self._db.execute("BEGIN")
        try:
            current = schema.version(self._db)
            tables = self._db.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]
        finally:
            self._db.execute("COMMIT")
        if current > schema.LATEST:
            raise StoreError(
                f"the training log {self.path} was written by a newer kotcoach (schema version "
                f"{current}; this one reads up to {schema.LATEST}): upgrade kotcoach. The file "
                "was not changed"
            )
        if current == 0 and tables:
            raise self._not_a_log()
        self._db.execute("PRAGMA foreign_keys = ON")
        # In WAL mode NORMAL skips the fsync on each commit: a killed process still loses
        # nothing committed (the WAL is in the OS's hands); only a power cut can lose the last
        # few commits, never the file's integrity. FULL made each logged set cost ~20 ms.
        self._db.execute("PRAGMA synchronous = NORMAL")
        if current < schema.LATEST:
            if self._db.execute("PRAGMA journal_mode").fetchone()[0].lower() != "wal":
                self._db.execute("PRAGMA journal_mode = WAL")
            try:
                schema.migrate(self._db)
            except schema.NotALog:
                raise self._not_a_log() from None

    def _not_a_log(self) -> StoreError:
        return StoreError(
            f"{self.path} is an SQLite file but not a kotcoach training log; it was not "
            "changed. Move it aside or set KOTCOACH_DATA_DIR to another folder"
        )

    def close(self) -> None:
        self._db.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # --- transactions and errors -------------------------------------------------------------

    @contextmanager
    def _guard(self) -> Iterator[None]:
        started = time.monotonic()
        try:
            yield
        except sqlite3.OperationalError as error:
            text = str(error)
            if "locked" in text or "busy" in text:
                # The time actually waited, not the timeout: SQLite can also give up at once
                # (a lock it cannot wait for), and the message should not claim a wait it skipped.
                waited = time.monotonic() - started
                raise StoreError(
                    f"the training log {self.path} is busy: another kotcoach kept it locked "
                    f"(gave up after {waited:.1f} s; the limit is {self.timeout:g} s, "
                    f"{TIMEOUT_ENV_VAR} sets it). Try again"
                ) from None
            raise StoreError(f"cannot use the training log {self.path}: {text}") from None
        except sqlite3.DatabaseError as error:
            raise StoreError(
                f"the training log {self.path} cannot be read ({error}); it was not changed. "
                "Restore a backup, or move the file aside to start a new log"
            ) from None

    @contextmanager
    def _write(self) -> Iterator[sqlite3.Connection]:
        if not self.writable:
            raise RuntimeError("this Store was opened read-only: use Store.open(write=True)")
        with self._guard():
            self._db.execute("BEGIN IMMEDIATE")
            try:
                yield self._db
            except BaseException:
                self._db.execute("ROLLBACK")
                raise
            self._db.execute("COMMIT")

    @contextmanager
    def _read(self) -> Iterator[sqlite3.Connection]:
        with self._guard():
            self._db.execute("BEGIN")
            try:
                yield self._db
            finally:
                self._db.execute("COMMIT")

    def _profile_id(self, db: sqlite3.Connection, name: str, create: bool) -> int | None:
        row = db.execute("SELECT id FROM profiles WHERE name = ?", (name,)).fetchone()
        if row is not None:
            return int(row[0])
        if not create:
            return None
        check_profile_name(name)
        cursor = db.execute("INSERT INTO profiles (name, created) VALUES (?, ?)", (name, _now()))
        return int(cursor.lastrowid or 0)

    # --- profiles ----------------------------------------------------------------------------

    def profiles(self) -> list[Profile]:
        """Every profile, by name."""
        with self._read() as db:
            rows = db.execute("SELECT * FROM profiles ORDER BY name").fetchall()
        return [_profile(row) for row in rows]

    def profile(self, name: str) -> Profile | None:
        """The profile called `name`, or None."""
        with self._read() as db:
            row = db.execute("SELECT * FROM profiles WHERE name = ?", (name,)).fetchone()
        return _profile(row) if row else None

    def save_profile(self, profile: Profile) -> Profile:
        """Create or replace a profile's saved defaults and handout lines."""
        check_profile_name(profile.name)
        if profile.days is not None:
            check_count(profile.days, "days", 7)
        if profile.minutes is not None:
            check_count(profile.minutes, "minutes", 180, low=5)
        handout_for = check_text(profile.handout_for, "--for", MAX_TEXT)
        clinic = check_text(profile.clinic, "--clinic", MAX_TEXT)
        with self._write() as db:
            self._profile_id(db, profile.name, create=True)
            db.execute(
                "UPDATE profiles SET level = ?, days = ?, minutes = ?, equipment = ?, "
                "conditions = ?, goals = ?, handout_for = ?, clinic = ? WHERE name = ?",
                (
                    profile.level,
                    profile.days,
                    profile.minutes,
                    ",".join(profile.equipment),
                    ",".join(profile.conditions),
                    ",".join(profile.goals),
                    handout_for,
                    clinic,
                    profile.name,
                ),
            )
        saved = self.profile(profile.name)
        assert saved is not None
        return saved

    # --- programmes --------------------------------------------------------------------------

    def save_programme(
        self, profile: str, request: Mapping[str, Any], plan: Mapping[str, Any]
    ) -> Programme:
        """Save a plan as the profile's programme; it replaces the one `programme()` returns.

        `plan` is `coaching.serialise.plan_json(plan)`; `request` the options it was made from,
        as JSON-ready values. Older programmes stay, so their sessions keep their meaning.
        """
        sessions = planned_sessions(plan)
        if not sessions:
            raise UsageError("the plan has no sessions to save")
        with self._write() as db:
            profile_id = self._profile_id(db, profile, create=True)
            db.execute(
                "INSERT INTO programmes (profile_id, created, request, plan) VALUES (?, ?, ?, ?)",
                (profile_id, _now(), json.dumps(request), json.dumps(plan)),
            )
        saved = self.programme(profile)
        assert saved is not None
        return saved

    def programme(self, profile: str) -> Programme | None:
        """The profile's current programme (the last saved), or None."""
        with self._read() as db:
            row = db.execute(
                "SELECT programmes.*, profiles.name AS profile FROM programmes "
                "JOIN profiles ON profiles.id = programmes.profile_id "
                "WHERE profiles.name = ? ORDER BY programmes.id DESC LIMIT 1",
                (profile,),
            ).fetchone()
        return _programme(row) if row else None

    def today(
        self, profile: str, on: dt.date, same: Callable[[str], str] | None = None
    ) -> Today | None:
        """The programme session to do on `on`, with what is logged of it; None without one.

        It is the session after the last one logged up to `on`, once every exercise of that one
        (the warm-up aside) is finished: all its prescribed sets logged, or skipped, or stopped
        for pain (`records.sets_left`). Until then it is that same session, with what today's
        log holds of it in `done`, partly done exercises included. After the programme's last
        session its last week repeats. `same(id)` names an exercise's ladder, so that a step
        the coach moved to counts for the programme's exercise on that ladder.
        """
        key = same or (lambda exercise: exercise)
        programme = self.programme(profile)
        if programme is None:
            return None
        with self._read() as db:
            latest = db.execute(
                "SELECT * FROM sessions WHERE programme_id = ? AND slot IS NOT NULL "
                "AND date <= ? ORDER BY date DESC, id DESC LIMIT 1",
                (programme.id, on.isoformat()),
            ).fetchone()
            done: dict[str, ExerciseLog] = {}
            slot, session_id = 0, None
            if latest is not None:
                logs = [
                    log
                    for log in self._exercise_logs(db, "entries.session_id = ?", (latest["id"],))
                    if log.sets or log.status is not Status.DONE
                ]
                planned = programme.session(latest["slot"])
                ids = {e.id for e in planned.exercises}
                exact = {log.exercise: log for log in logs}
                moved = {key(log.exercise): log for log in logs if log.exercise not in ids}
                logged = {
                    e.id: found
                    for e in planned.exercises
                    if (found := exact.get(e.id) or moved.get(key(e.id))) is not None
                }
                if all(
                    sets_left(e, logged.get(e.id)) == 0 for e in planned.exercises if not e.warm_up
                ):
                    slot = latest["slot"] + 1
                else:
                    slot = latest["slot"]
                    if latest["date"] == on.isoformat():
                        session_id, done = int(latest["id"]), logged
            yesterday = (on - dt.timedelta(days=1)).isoformat()
            trained = db.execute(
                "SELECT 1 FROM sessions JOIN entries ON entries.session_id = sessions.id "
                "JOIN profiles ON profiles.id = sessions.profile_id "
                "WHERE profiles.name = ? AND sessions.date = ? LIMIT 1",
                (profile, yesterday),
            ).fetchone()
            checked = db.execute(
                "SELECT 1 FROM checkins JOIN profiles ON profiles.id = checkins.profile_id "
                "WHERE profiles.name = ? AND checkins.date = ? LIMIT 1",
                (profile, on.isoformat()),
            ).fetchone()
        return Today(
            profile=profile,
            date=on,
            programme=programme,
            session=programme.session(slot),
            session_id=session_id,
            done=done,
            checkin_missing=on - dt.timedelta(days=1) if trained and not checked else None,
        )

    # --- writing a session, set by set ------------------------------------------------------

    def begin_session(self, profile: str, on: dt.date, slot: int | None = None) -> int:
        """The id of the profile's session on `on` for programme session `slot` (None: outside
        the programme), made if it does not exist yet. Pass `Today.slot` for today's session."""
        with self._write() as db:
            profile_id = self._profile_id(db, profile, create=True)
            return self._session_id(db, profile_id, on, slot)

    def _session_id(
        self, db: sqlite3.Connection, profile_id: int | None, on: dt.date, slot: int | None
    ) -> int:
        row = db.execute(
            "SELECT id FROM sessions WHERE profile_id = ? AND date = ? AND slot IS ? "
            "ORDER BY id DESC LIMIT 1",
            (profile_id, on.isoformat(), slot),
        ).fetchone()
        if row is not None:
            return int(row[0])
        programme_id = None
        if slot is not None:
            found = db.execute(
                "SELECT id FROM programmes WHERE profile_id = ? ORDER BY id DESC LIMIT 1",
                (profile_id,),
            ).fetchone()
            programme_id = found[0] if found else None
        cursor = db.execute(
            "INSERT INTO sessions (profile_id, programme_id, slot, date, created) "
            "VALUES (?, ?, ?, ?, ?)",
            (profile_id, programme_id, slot, on.isoformat(), _now()),
        )
        return int(cursor.lastrowid or 0)

    def log_set(
        self,
        session_id: int,
        exercise: str,
        amount: Amount,
        *,
        name: str | None = None,
        target: Target | None = None,
    ) -> int:
        """Write one set just done, in its own transaction; returns its number (1, 2, ...).

        The exercise's entry is made on its first set, with `name` (default: the id) and the
        `target` it was meant to meet; a skipped exercise becomes done again.
        """
        with self._write() as db:
            entry = self._entry_id(db, session_id, exercise, name, target)
            number = self._add_sets(db, entry, amount, 1)
            db.execute(
                "UPDATE entries SET status = 'done' WHERE id = ? AND status = 'skipped'", (entry,)
            )
        return number

    def log_exercise(
        self,
        session_id: int,
        exercise: str,
        amount: Amount,
        sets: int,
        *,
        pain_during: int | None = None,
        name: str | None = None,
        target: Target | None = None,
        note: str | None = None,
    ) -> ExerciseLog:
        """Write `sets` sets of `amount` and the pain during, in one transaction (`kotcoach
        log`). Sets add to any already logged for this exercise in this session. Pain during
        above 5/10 marks the exercise stopped for today."""
        check_count(sets, "--sets", MAX_SETS)
        if pain_during is not None:
            check_pain(pain_during, "--pain-during")
        note = check_text(note, "--note")
        with self._write() as db:
            entry = self._entry_id(db, session_id, exercise, name, target)
            self._add_sets(db, entry, amount, sets)
            self._raise_pain(db, entry, pain_during)
            if note:
                db.execute("UPDATE entries SET note = ? WHERE id = ?", (note, entry))
            logs = self._exercise_logs(db, "entries.id = ?", (entry,))
        return logs[0]

    def set_pain_during(self, session_id: int, exercise: str, pain: int) -> None:
        """Record pain during an exercise already begun. The highest report of a session stays:
        pain is never lowered after the fact. Above 5/10 the exercise is marked stopped."""
        check_pain(pain, "pain during")
        with self._write() as db:
            entry = self._entry_id(db, session_id, exercise, None, None)
            self._raise_pain(db, entry, pain)

    def set_status(
        self,
        session_id: int,
        exercise: str,
        status: Status,
        *,
        name: str | None = None,
        target: Target | None = None,
    ) -> None:
        """Mark an exercise skipped, or stopped for today (pain above 5/10), or done."""
        with self._write() as db:
            entry = self._entry_id(db, session_id, exercise, name, target)
            db.execute("UPDATE entries SET status = ? WHERE id = ?", (Status(status).value, entry))

    def set_pain_after(self, session_id: int, pain: int, note: str | None = None) -> None:
        """Record pain after the session (the highest report stays), and a note if given."""
        check_pain(pain, "pain after")
        note = check_text(note, "note")
        with self._write() as db:
            self._check_session(db, session_id)
            db.execute(
                "UPDATE sessions SET pain_after = max(coalesce(pain_after, 0), ?) WHERE id = ?",
                (pain, session_id),
            )
            if note:
                db.execute("UPDATE sessions SET note = ? WHERE id = ?", (note, session_id))

    def _check_session(self, db: sqlite3.Connection, session_id: int) -> None:
        if db.execute("SELECT 1 FROM sessions WHERE id = ?", (session_id,)).fetchone() is None:
            raise RuntimeError(f"no session has the id {session_id}: call begin_session first")

    def _entry_id(
        self,
        db: sqlite3.Connection,
        session_id: int,
        exercise: str,
        name: str | None,
        target: Target | None,
    ) -> int:
        row = db.execute(
            "SELECT id, target_sets FROM entries WHERE session_id = ? AND exercise = ?",
            (session_id, exercise),
        ).fetchone()
        if row is not None:
            if target is not None and row["target_sets"] is None:
                db.execute(
                    "UPDATE entries SET target_sets = ?, target_reps = ?, "
                    "target_hold_seconds = ?, target_minutes = ?, per_side = ? WHERE id = ?",
                    (*_target_columns(target), row["id"]),
                )
            return int(row["id"])
        self._check_session(db, session_id)
        cursor = db.execute(
            "INSERT INTO entries (session_id, exercise, name, target_sets, target_reps, "
            "target_hold_seconds, target_minutes, per_side) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (session_id, exercise, name or exercise, *_target_columns(target)),
        )
        return int(cursor.lastrowid or 0)

    def _add_sets(self, db: sqlite3.Connection, entry: int, amount: Amount, count: int) -> int:
        first = db.execute(
            "SELECT coalesce(max(number), 0) + 1 FROM sets WHERE entry_id = ?", (entry,)
        ).fetchone()[0]
        now = _now()
        db.executemany(
            "INSERT INTO sets (entry_id, number, reps, hold_seconds, minutes, logged_at) "
            "VALUES (?, ?, ?, ?, ?, ?)",
            [
                (entry, first + n, amount.reps, amount.hold_seconds, amount.minutes, now)
                for n in range(count)
            ],
        )
        return int(first + count - 1)

    def _raise_pain(self, db: sqlite3.Connection, entry: int, pain: int | None) -> None:
        if pain is None:
            return
        db.execute(
            "UPDATE entries SET pain_during = max(coalesce(pain_during, 0), ?) WHERE id = ?",
            (pain, entry),
        )
        if pain > MAX_PAIN_DURING:  # the pain-monitoring model: above 5/10, stop for today
            db.execute("UPDATE entries SET status = 'stopped' WHERE id = ?", (entry,))

    # --- check-ins and assessments ------------------------------------------------------------

    def checkin(
        self,
        profile: str,
        on: dt.date,
        pain: Mapping[str, int],
        stiffness: Mapping[str, int] | None = None,
    ) -> list[Checkin]:
        """Record the next-morning pain (and stiffness) per area for `on`, in one transaction.
        A second check-in for the same date and area replaces the first."""
        stiffness = dict(stiffness or {})
        check_checkin(pain, stiffness)
        now = _now()
        with self._write() as db:
            profile_id = self._profile_id(db, profile, create=True)
            db.executemany(
                "INSERT INTO checkins (profile_id, date, area, pain, stiffness, logged_at) "
                "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (profile_id, date, area) DO UPDATE SET "
                "pain = excluded.pain, stiffness = excluded.stiffness, "
                "logged_at = excluded.logged_at",
                [
                    (profile_id, on.isoformat(), area, score, stiffness.get(area), now)
                    for area, score in pain.items()
                ],
            )
        return [c for c in self.checkins(profile, since=on) if c.date == on]

    def checkins(
        self, profile: str, since: dt.date | None = None, area: str | None = None
    ) -> list[Checkin]:
        """The profile's check-ins, oldest first (by date, then area)."""
        where, params = ["profiles.name = ?"], [profile]
        if since is not None:
            where.append("checkins.date >= ?")
            params.append(since.isoformat())
        if area is not None:
            where.append("checkins.area = ?")
            params.append(area)
        with self._read() as db:
            rows = db.execute(
                "SELECT checkins.* FROM checkins JOIN profiles ON profiles.id = "
                f"checkins.profile_id WHERE {' AND '.join(where)} ORDER BY date, area",
                params,
            ).fetchall()
        return [
            Checkin(dt.date.fromisoformat(r["date"]), r["area"], r["pain"], r["stiffness"])
            for r in rows
        ]

    def add_assessment(
        self, profile: str, on: dt.date, test: str, value: float, side: str | None = None
    ) -> None:
        """Record a test result (issue 11). `side` is 'left', 'right' or None."""
        if side not in (None, "left", "right"):
            raise UsageError(f"side must be left or right, not '{side}'")
        with self._write() as db:
            profile_id = self._profile_id(db, profile, create=True)
            db.execute(
                "INSERT INTO assessments (profile_id, date, test, side, value, logged_at) "
                "VALUES (?, ?, ?, ?, ?, ?)",
                (profile_id, on.isoformat(), test, side, float(value), _now()),
            )

    def assessments(self, profile: str, test: str | None = None) -> list[Assessment]:
        """The profile's test results, oldest first."""
        where, params = "profiles.name = ?", [profile]
        if test is not None:
            where += " AND assessments.test = ?"
            params.append(test)
        with self._read() as db:
            rows = db.execute(
                "SELECT assessments.* FROM assessments JOIN profiles ON profiles.id = "
                f"assessments.profile_id WHERE {where} ORDER BY date, assessments.id",
                params,
            ).fetchall()
        return [
            Assessment(dt.date.fromisoformat(r["date"]), r["test"], r["side"], r["value"])
            for r in rows
        ]

    def save_scoring(
        self, profile: str, on: dt.date, instrument: str, items: Sequence[tuple[str, float]]
    ) -> None:
        """Store one scoring of `instrument` on `on`, its items in order; it replaces any
        scoring of the same instrument that day."""
        if not items:
            raise UsageError("a scoring needs at least one item")
        now = _now()
        with self._write() as db:
            profile_id = self._profile_id(db, profile, create=True)
            db.execute(
                "DELETE FROM scores WHERE profile_id = ? AND date = ? AND instrument = ?",
                (profile_id, on.isoformat(), instrument),
            )
            db.executemany(
                "INSERT INTO scores (profile_id, date, instrument, item, position, value, "
                "logged_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
                [
                    (profile_id, on.isoformat(), instrument, item, n, float(value), now)
                    for n, (item, value) in enumerate(items)
                ],
            )

    def scores(self, profile: str, instrument: str | None = None) -> list[Score]:
        """The profile's scores, oldest first, each scoring's items in their order."""
        where, params = "profiles.name = ?", [profile]
        if instrument is not None:
            where += " AND scores.instrument = ?"
            params.append(instrument)
        with self._read() as db:
            rows = db.execute(
                "SELECT scores.date, scores.instrument, scores.item, scores.value FROM scores "
                f"JOIN profiles ON profiles.id = scores.profile_id WHERE {where} "
                "ORDER BY scores.date, scores.instrument, scores.position",
                params,
            ).fetchall()
        return [Score(dt.date.fromisoformat(r[0]), r[1], r[2], r[3]) for r in rows]

    # --- reading the log ---------------------------------------------------------------------

    def exercise_history(
        self, profile: str, exercise: str | None = None, since: dt.date | None = None
    ) -> list[ExerciseLog]:
        """Every logged exercise of the profile (or only `exercise`), oldest first: date,
        target, sets done, pain during and status. What the coach decides from."""
        where, params = ["profiles.name = ?"], [profile]
        if exercise is not None:
            where.append("entries.exercise = ?")
            params.append(exercise)
        if since is not None:
            where.append("sessions.date >= ?")
            params.append(since.isoformat())
        with self._read() as db:
            return self._exercise_logs(db, " AND ".join(where), tuple(params))

    def entry_history(self, profile: str) -> list[EntryLog]:
        """What `exercise_history` gives, in the same order, with each set as its amount only:
        what `progress` reads of five years of log (tens of thousands of sets) in a tenth of
        the time, as plain tuples from two queries, one for the entries and one for the sets."""
        with self._read() as db:
            cursor = db.cursor()
            cursor.row_factory = None  # tuples: sqlite3.Row costs more than the query
            entries = cursor.execute(
                "SELECT entries.id, sessions.date, entries.exercise, entries.target_sets, "
                "entries.target_reps, entries.target_hold_seconds, entries.target_minutes, "
                "entries.per_side, entries.pain_during, entries.status FROM entries "
                "JOIN sessions ON sessions.id = entries.session_id "
                "JOIN profiles ON profiles.id = sessions.profile_id WHERE profiles.name = ? "
                "ORDER BY sessions.date, sessions.id, entries.id",
                (profile,),
            ).fetchall()
            sets = cursor.execute(
                "SELECT entry_id, reps, hold_seconds, minutes FROM sets WHERE entry_id IN "
                "(SELECT entries.id FROM entries JOIN sessions ON sessions.id = entries.session_id "
                "JOIN profiles ON profiles.id = sessions.profile_id WHERE profiles.name = ?) "
                "ORDER BY entry_id, number",
                (profile,),
            ).fetchall()
        done: dict[int, list[int]] = {}
        measure: dict[int, str] = {}
        for entry, reps, hold_seconds, minutes in sets:
            if entry not in done:
                done[entry] = []
                measure[entry] = (
                    "reps"
                    if reps is not None
                    else "hold_seconds"
                    if hold_seconds is not None
                    else "minutes"
                )
            done[entry].append(reps or hold_seconds or minutes)
        statuses = {status.value: status for status in Status}
        return [
            EntryLog(
                _date(day),
                exercise,
                None if sets_ is None else _target(sets_, reps, hold, minutes, bool(per_side)),
                tuple(done.get(entry, ())),
                measure.get(entry),
                pain_during,
                statuses[status],
            )
            for (
                entry,
                day,
                exercise,
                sets_,
                reps,
                hold,
                minutes,
                per_side,
                pain_during,
                status,
            ) in entries
        ]

    def sessions(
        self,
        profile: str,
        since: dt.date | None = None,
        exercise: str | None = None,
        last: int | None = None,
    ) -> list[SessionLog]:
        """The profile's sessions, oldest first, each with its exercises (only `exercise` when
        given, and then only sessions that have it). `last` keeps the most recent N."""
        where, params = ["profiles.name = ?"], [profile]
        if since is not None:
            where.append("sessions.date >= ?")
            params.append(since.isoformat())
        if exercise is not None:
            where.append(
                "EXISTS (SELECT 1 FROM entries WHERE entries.session_id = sessions.id "
                "AND entries.exercise = ?)"
            )
            params.append(exercise)
        limit = f" LIMIT {int(last)}" if last is not None else ""
        with self._read() as db:
            # Newest first, the sessions with the exercise are found at once when it was done
            # lately; one that was never logged would cost a scan of every session, so the
            # exercise's index answers that first (the coach asks for every step of a ladder).
            if exercise is not None and not _ever_logged(db, exercise):
                return []
            rows = db.execute(
                "SELECT sessions.* FROM sessions JOIN profiles ON profiles.id = "
                f"sessions.profile_id WHERE {' AND '.join(where)} "
                f"ORDER BY sessions.date DESC, sessions.id DESC{limit}",
                params,
            ).fetchall()
            rows.reverse()
            ids = [row["id"] for row in rows]
            by_session: dict[int, list[ExerciseLog]] = {i: [] for i in ids}
            if ids:
                entry_where = f"entries.session_id IN ({','.join('?' * len(ids))})"
                entry_params: tuple[Any, ...] = tuple(ids)
                if exercise is not None:
                    entry_where += " AND entries.exercise = ?"
                    entry_params += (exercise,)
                for log in self._exercise_logs(db, entry_where, entry_params):
                    by_session[log.session_id].append(log)
        return [
            SessionLog(
                id=row["id"],
                date=dt.date.fromisoformat(row["date"]),
                slot=row["slot"],
                pain_after=row["pain_after"],
                note=row["note"],
                exercises=tuple(by_session[row["id"]]),
            )
            for row in rows
        ]

    def _exercise_logs(
        self, db: sqlite3.Connection, where: str, params: Sequence[Any]
    ) -> list[ExerciseLog]:
        rows = db.execute(
            "SELECT entries.*, sessions.date AS date, sets.number AS number, sets.reps AS reps, "
            "sets.hold_seconds AS hold_seconds, sets.minutes AS minutes, "
            "sets.logged_at AS logged_at FROM entries "
            "JOIN sessions ON sessions.id = entries.session_id "
            "JOIN profiles ON profiles.id = sessions.profile_id "
            "LEFT JOIN sets ON sets.entry_id = entries.id "
            f"WHERE {where} ORDER BY sessions.date, sessions.id, entries.id, sets.number",
            tuple(params),
        ).fetchall()
        logs: list[ExerciseLog] = []
        current: int | None = None
        sets: list[SetLog] = []
        head: sqlite3.Row | None = None

        def flush() -> None:
            if head is not None:
                logs.append(_exercise_log(head, tuple(sets)))

        for row in rows:
            if row["id"] != current:
                flush()
                current, head, sets = row["id"], row, []
            if row["number"] is not None:
                amount = _amount(row["reps"], row["hold_seconds"], row["minutes"])
                sets.append(SetLog(row["number"], amount, row["logged_at"]))
        flush()
        return logs

    # --- export and import -------------------------------------------------------------------

    def export_rows(self, profile: str | None = None) -> list[dict[str, Any]]:
        """The log as flat rows, one a set (see `exchange.COLUMNS`), oldest first; every
        profile's unless `profile` is given. Values are str, int or None."""
        where = "WHERE profiles.name = ?" if profile is not None else ""
        params = [profile] if profile is not None else []
        with self._read() as db:
            rows = db.execute(
                "SELECT profiles.name AS profile, sessions.date AS date, sessions.slot AS slot, "
                'entries.exercise AS exercise, entries.name AS name, sets.number AS "set", '
                "sets.reps AS reps, sets.hold_seconds AS hold_seconds, sets.minutes AS minutes, "
                "entries.target_sets AS target_sets, entries.target_reps AS target_reps, "
                "entries.target_hold_seconds AS target_hold_seconds, "
                "entries.target_minutes AS target_minutes, entries.per_side AS per_side, "
                "entries.pain_during AS pain_during, sessions.pain_after AS pain_after, "
                "entries.status AS status, entries.note AS note, "
                "sessions.note AS session_note, sets.logged_at AS logged_at "
                "FROM entries JOIN sessions ON sessions.id = entries.session_id "
                "JOIN profiles ON profiles.id = sessions.profile_id "
                "LEFT JOIN sets ON sets.entry_id = entries.id "
                f"{where} ORDER BY profiles.name, sessions.date, sessions.id, entries.id, "
                "sets.number",
                params,
            ).fetchall()
            scores = db.execute(
                "SELECT profiles.name AS profile, scores.date AS date, scores.instrument AS score, "
                "scores.item AS score_item, scores.value AS score_value, "
                "scores.logged_at AS logged_at FROM scores "
                "JOIN profiles ON profiles.id = scores.profile_id "
                f"{where} ORDER BY profiles.name, scores.date, scores.instrument, scores.position",
                params,
            ).fetchall()
        from kotcoach.store.exchange import COLUMNS, SCORE_COLUMNS

        sets = [
            {column: None if column in SCORE_COLUMNS else row[column] for column in COLUMNS}
            for row in rows
        ]
        return sets + [
            {column: row[column] if column in row.keys() else None for column in COLUMNS}
            for row in scores
        ]

    def import_rows(self, rows: Sequence[exchange.Row | exchange.ScoreRow]) -> int:
        """Add validated rows (`exchange.parse_rows`) in one transaction; returns how many sets
        were new. A set already logged (same profile, date, programme slot, exercise and set
        number) is left as it is, and so is a score item already there (same profile, date,
        instrument and item), so importing the same file twice adds nothing."""
        from kotcoach.store.exchange import ScoreRow

        added = 0
        positions: dict[tuple[int | None, dt.date, str], int] = {}
        with self._write() as db:
            for row in rows:
                if isinstance(row, ScoreRow):
                    profile_id = self._profile_id(db, row.profile, create=True)
                    key = (profile_id, row.date, row.instrument)
                    position = positions[key] = positions.get(key, -1) + 1
                    db.execute(
                        "INSERT INTO scores (profile_id, date, instrument, item, position, "
                        "value, logged_at) VALUES (?, ?, ?, ?, ?, ?, ?) "
                        "ON CONFLICT (profile_id, date, instrument, item) DO NOTHING",
                        (
                            profile_id,
                            row.date.isoformat(),
                            row.instrument,
                            row.item,
                            position,
                            row.value,
                            row.logged_at,
                        ),
                    )
                    continue
                profile_id = self._profile_id(db, row.profile, create=True)
                session = self._session_id(db, profile_id, row.date, row.slot)
                entry = self._entry_id(db, session, row.exercise, row.name, row.target)
                self._raise_pain(db, entry, row.pain_during)
                if row.status is not Status.DONE:
                    db.execute("UPDATE entries SET status = ? WHERE id = ?", (row.status, entry))
                if row.note:
                    db.execute("UPDATE entries SET note = ? WHERE id = ?", (row.note, entry))
                if row.pain_after is not None:
                    db.execute(
                        "UPDATE sessions SET pain_after = max(coalesce(pain_after, 0), ?) "
                        "WHERE id = ?",
                        (row.pain_after, session),
                    )
                if row.session_note:
                    db.execute(
                        "UPDATE sessions SET note = ? WHERE id = ?", (row.session_note, session)
                    )
                if row.number is None or row.amount is None:
                    continue
                cursor = db.execute(
                    "INSERT INTO sets (entry_id, number, reps, hold_seconds, minutes, logged_at) "
                    "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (entry_id, number) DO NOTHING",
                    (
                        entry,
                        row.number,
                        row.amount.reps,
                        row.amount.hold_seconds,
                        row.amount.minutes,
                        row.logged_at,
                    ),
                )
                added += cursor.rowcount
        return added

    # --- backup ------------------------------------------------------------------------------

    def backup(self, target: Path, force: bool = False) -> None:
        """A consistent copy of the whole log at `target`, made with SQLite's backup API while
        others may be writing. Written whole or not at all (`kotcoach.base.writing.whole_file`): a
        temporary file beside it takes the name at the end; never over an existing file without
        `force`, and never through a symbolic link (with `force`, the link itself is replaced)."""
        from kotcoach.base.writing import whole_file

        with whole_file(target, force) as partial:
            try:
                copy = sqlite3.connect(partial)
                try:
                    with self._guard():  # the log busy or unreadable: StoreError
                        try:
                            self._db.backup(copy)
                        except sqlite3.OperationalError as error:
                            if "locked" in str(error) or "busy" in str(error):
                                raise
                            # Anything else is the copy's side: full disk, read-only, I/O.
                            raise ExportError(f"could not write {target}: {error}") from None
                finally:
                    copy.close()
            finally:  # a journal left by a copy that failed half-way
                Path(f"{partial}-journal").unlink(missing_ok=True)


def _ever_logged(db: sqlite3.Connection, exercise: str) -> bool:
    found = db.execute("SELECT 1 FROM entries WHERE exercise = ? LIMIT 1", (exercise,))
    return found.fetchone() is not None


def _target_columns(target: Target | None) -> tuple[Any, ...]:
    if target is None:
        return (None, None, None, None, 0)
    a = target.amount
    return (target.sets, a.reps, a.hold_seconds, a.minutes, int(target.per_side))


# Reading five years of log builds tens of thousands of these from a few hundred distinct
# values: made (and checked) once each, they are shared, as frozen values may be.
@functools.lru_cache(maxsize=4096)
def _amount(reps: int | None, hold_seconds: int | None, minutes: int | None) -> Amount:
    return Amount(reps, hold_seconds, minutes)


@functools.lru_cache(maxsize=4096)
def _target(
    sets: int, reps: int | None, hold_seconds: int | None, minutes: int | None, per_side: bool
) -> Target:
    return Target(sets, _amount(reps, hold_seconds, minutes), per_side)


@functools.lru_cache(maxsize=8192)
def _date(text: str) -> dt.date:
    return dt.date.fromisoformat(text)


def _exercise_log(row: sqlite3.Row, sets: tuple[SetLog, ...]) -> ExerciseLog:
    target = None
    if row["target_sets"] is not None:
        target = _target(
            row["target_sets"],
            row["target_reps"],
            row["target_hold_seconds"],
            row["target_minutes"],
            bool(row["per_side"]),
        )
    return ExerciseLog(
        session_id=row["session_id"],
        date=_date(row["date"]),
        exercise=row["exercise"],
        name=row["name"],
        target=target,
        sets=sets,
        pain_during=row["pain_during"],
        status=Status(row["status"]),
        note=row["note"],
    )


def _split(text: str) -> tuple[str, ...]:
    return tuple(part for part in text.split(",") if part)


def _profile(row: sqlite3.Row) -> Profile:
    return Profile(
        name=row["name"],
        level=row["level"],
        days=row["days"],
        minutes=row["minutes"],
        equipment=_split(row["equipment"]),
        conditions=_split(row["conditions"]),
        goals=_split(row["goals"]),
        handout_for=row["handout_for"],
        clinic=row["clinic"],
    )


def planned_sessions(plan: Mapping[str, Any]) -> tuple[PlannedSession, ...]:
    """The sessions of a plan as JSON (`serialise.plan_json`), in order through its weeks."""
    sessions: list[PlannedSession] = []
    for week in plan.get("weeks") or [{"week": 1, "sessions": plan.get("sessions", [])}]:
        for session in week["sessions"]:
            items = [(session["warm_up"], True)] if session.get("warm_up") else []
            items += [(item, False) for item in session["exercises"]]
            exercises = tuple(
                PlannedExercise(
                    id=item["id"],
                    name=item["name"],
                    dose=item["dose"],
                    dose_detail=dict(item["dose_detail"]),
                    key_cue=item["key_cue"],
                    warm_up=warm_up,
                )
                for item, warm_up in items
            )
            sessions.append(
                PlannedSession(
                    len(sessions), week["week"], session["day"], session["minutes"], exercises
                )
            )
    return tuple(sessions)


def _programme(row: sqlite3.Row) -> Programme:
    plan = json.loads(row["plan"])
    return Programme(
        id=row["id"],
        profile=row["profile"],
        created=row["created"],
        request=json.loads(row["request"]),
        plan=plan,
        sessions=planned_sessions(plan),
    )
