"""The Store: the training log's reads and writes, each its own transaction.

Each write method is one `BEGIN IMMEDIATE` transaction, committed before it returns: a process
killed at any moment keeps everything a write method had returned from. Reads run in a deferred
transaction, so each sees one consistent snapshot. Before writing, the store checks that the file
is still the one it opened (a log deleted or replaced meanwhile is never written through a stale
handle) and, on its first write and whenever another process changed the file, that SQLite's
quick check finds it sound: a damaged log is never written. How the file is opened and what each
SQLite failure means is `connection`; modes, lock files, backup and restore are `files`.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import sqlite3
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kotcoach.base.errors import StoreError, UsageError
from kotcoach.base.notes import note
from kotcoach.base.vocab import MAX_PAIN_DURING
from kotcoach.store import files, schema, transfer
from kotcoach.store import rows as convert
from kotcoach.store.connection import (
    begin_immediate,
    can_write,
    connect,
    damaged,
    guard,
    quick_check,
    quiet_rollback,
)
from kotcoach.store.paths import database_path
from kotcoach.store.records import (
    MAX_SETS,
    MAX_TEXT,
    Amount,
    Assessment,
    Checkin,
    EntryLog,
    ExerciseLog,
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
    check_load,
    check_pain,
    check_profile_name,
    check_text,
    sets_left,
)
from kotcoach.store.rows import planned_sessions

if TYPE_CHECKING:
    from kotcoach.store import exchange  # the CSV rows: imported only by export and import

TIMEOUT_ENV_VAR = "KOTCOACH_BUSY_TIMEOUT"
DEFAULT_TIMEOUT = 30.0  # seconds a write waits for another process's lock before giving up
IMPORT_BATCH_SECONDS = 0.5  # an import commits at least this often, so others wait less than 1 s


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


def busy_timeout() -> float:
    """How long a write waits for another process's lock: $KOTCOACH_BUSY_TIMEOUT, else 30 s."""
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


class LogReplacedError(StoreError):
    """The log's file was deleted or replaced since this store opened it: nothing is written
    to the old file (that would be lost), and the new one is not the one the caller read."""


def _identity(path: Path) -> tuple[int, int] | None:
    try:
        found = path.stat()
    except OSError:
        return None
    return (found.st_dev, found.st_ino)


def _fingerprint(path: Path) -> tuple[Any, ...]:
    """What changes when any process writes the file: size and time of the log and its WAL."""
    parts: list[Any] = []
    for file in (path, Path(f"{path}-wal")):
        try:
            found = file.stat()
        except OSError:
            parts.append(None)
            continue
        parts.append((found.st_ino, found.st_size, found.st_mtime_ns))
    return tuple(parts)


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
        self._identity = _identity(path) if writable else None
        self._checked: tuple[Any, ...] | None = None  # the fingerprint last found sound

    # --- opening and closing -----------------------------------------------------------------

    @classmethod
    def open(
        cls, path: Path | None = None, *, write: bool = False, timeout: float | None = None
    ) -> Store:
        """Open the log at `path` (default: `database_path()`).

        With `write=False` nothing is created or changed: a missing file reads as an empty log,
        the file is opened read-only (immutable where its folder cannot be written), and a file
        from an older kotcoach is migrated in a copy in memory. With `write=True` the folder
        (0700) and file (0600) are made when missing, an older file is migrated (each step its
        own transaction). A corrupt file, one from a newer kotcoach, or one that is not a
        kotcoach log raises `StoreError` and is left unchanged.
        """
        path = path if path is not None else database_path()
        timeout = busy_timeout() if timeout is None else timeout
        if not path.exists():
            if not write:
                return cls._empty(path, timeout)
            files.make_private_folder(path.parent)
            files.create_private(path)
        elif not path.is_file():
            raise StoreError(f"the training log {path} is not a regular file")
        db = connect(path, write=write, timeout=timeout)
        store = cls(db, path, timeout, writable=write)
        try:
            with guard(path, timeout):
                store._prepare()
        except BaseException:
            store.close()
            raise
        files.tighten(path)  # a kotcoach log, then: health data is its owner's alone
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
            quiet_rollback(self._db)
        if current > schema.LATEST:
            raise StoreError(
                f"the training log {self.path} was written by a newer kotcoach (schema version "
                f"{current}; this one reads up to {schema.LATEST}): upgrade kotcoach. The file "
                "was not changed"
            )
        if current == 0 and tables:
            raise self._not_a_log()
        self._db.execute("PRAGMA foreign_keys = ON")
        if current == schema.LATEST:
            if self.writable:
                # In WAL mode NORMAL skips the fsync on each commit: a killed process still
                # loses nothing committed (the WAL is in the OS's hands); only a power cut can
                # lose the last few commits, never the file's integrity.
                self._db.execute("PRAGMA synchronous = NORMAL")
            return
        if not self.writable:
            # An older file is brought up to date once, by whoever opens it first; where it
            # cannot be written, a copy in memory is, and the file stays as it is.
            if can_write(self.path):
                self._db.close()
                self._db = connect(self.path, write=True, timeout=self.timeout)
            else:
                copy = sqlite3.connect(":memory:", isolation_level=None, check_same_thread=False)
                self._db.backup(copy)
                self._db.close()
                self._db = copy
                self._db.row_factory = sqlite3.Row
                self._migrate()
                return
            self._db.row_factory = sqlite3.Row
            self._db.execute("PRAGMA foreign_keys = ON")
        self._db.execute("PRAGMA synchronous = NORMAL")
        self._check_sound(force=True)
        if self._db.execute("PRAGMA journal_mode").fetchone()[0].lower() != "wal":
            self._db.execute("PRAGMA journal_mode = WAL")
        self._migrate()

    def _migrate(self) -> None:
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
        with guard(self.path, self.timeout):
            yield

    def _check_identity(self) -> None:
        now = _identity(self.path)
        if now == self._identity:
            return
        what = "deleted" if now is None else "replaced by another file"
        raise LogReplacedError(
            f"the training log {self.path} was {what} while kotcoach had it open; nothing more "
            "is written to it"
        )

    def _check_sound(self, force: bool = False) -> None:
        """SQLite's quick check, inside the write transaction, on the first write and whenever
        the file changed since it was last found sound (another process wrote it). A damaged
        log is refused before anything is written to it."""
        seen = _fingerprint(self.path)
        if not force and seen == self._checked:
            return
        problem = quick_check(self._db)
        if problem is not None:
            raise damaged(self.path, f"quick check: {problem}")
        self._checked = seen

    @contextmanager
    def _write(self) -> Iterator[sqlite3.Connection]:
        if not self.writable:
            raise RuntimeError("this Store was opened read-only: use Store.open(write=True)")
        self._check_identity()
        with self._guard():
            begin_immediate(self._db, self.timeout, self._waiting)
            try:
                self._check_sound()
                yield self._db
                self._db.execute("COMMIT")
            except BaseException:
                quiet_rollback(self._db)
                raise
        self._checked = _fingerprint(self.path)

    def _waiting(self, timeout: float) -> None:
        note(
            f"the training log {self.path} is busy (another kotcoach is writing it); waiting up "
            f"to {timeout:g} s ({TIMEOUT_ENV_VAR} sets it)"
        )

    @contextmanager
    def _read(self) -> Iterator[sqlite3.Connection]:
        with self._guard():
            self._db.execute("BEGIN")
            try:
                yield self._db
            finally:
                quiet_rollback(self._db)  # a read changed nothing: ending it is all there is

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
            found = db.execute("SELECT * FROM profiles ORDER BY name").fetchall()
        return [convert.profile(row) for row in found]

    def profile(self, name: str) -> Profile | None:
        """The profile called `name`, or None."""
        with self._read() as db:
            row = db.execute("SELECT * FROM profiles WHERE name = ?", (name,)).fetchone()
        return convert.profile(row) if row else None

    def save_profile(self, profile: Profile) -> Profile:
        """Create or replace a profile's saved defaults and handout lines."""
        check_profile_name(profile.name)
        if profile.days is not None:
            check_count(profile.days, "days", 7)
        if profile.minutes is not None:
            check_count(profile.minutes, "minutes", 180, low=5)
        if profile.age is not None:
            check_count(profile.age, "age", 110, low=10)
        handout_for = check_text(profile.handout_for, "--for", MAX_TEXT)
        clinic = check_text(profile.clinic, "--clinic", MAX_TEXT)
        with self._write() as db:
            self._profile_id(db, profile.name, create=True)
            db.execute(
                "UPDATE profiles SET level = ?, days = ?, minutes = ?, equipment = ?, "
                "conditions = ?, goals = ?, handout_for = ?, clinic = ?, age = ?, "
                "fell_last_year = ? WHERE name = ?",
                (
                    profile.level,
                    profile.days,
                    profile.minutes,
                    ",".join(profile.equipment),
                    ",".join(profile.conditions),
                    ",".join(profile.goals),
                    handout_for,
                    clinic,
                    profile.age,
                    int(profile.fell_last_year),
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
        return convert.programme(row) if row else None

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
        load_kg: float | None = None,
    ) -> int:
        """Write one set just done, in its own transaction; returns its number (1, 2, ...).

        The exercise's entry is made on its first set, with `name` (default: the id) and the
        `target` it was meant to meet; a skipped exercise becomes done again. `load_kg` is the
        load per rep (None: none logged).
        """
        if load_kg is not None:
            load_kg = check_load(load_kg, "load")
        with self._write() as db:
            entry = self._entry_id(db, session_id, exercise, name, target)
            number = self._add_sets(db, entry, amount, 1, load_kg)
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
        load_kg: float | None = None,
    ) -> ExerciseLog:
        """Write `sets` sets of `amount` (at `load_kg` per rep, when given) and the pain during,
        in one transaction (`kotcoach log`). Sets add to any already logged for this exercise in
        this session. Pain during above 5/10 marks the exercise stopped for today."""
        check_count(sets, "--sets", MAX_SETS)
        if pain_during is not None:
            check_pain(pain_during, "--pain-during")
        if load_kg is not None:
            load_kg = check_load(load_kg)
        note = check_text(note, "--note")
        with self._write() as db:
            entry = self._entry_id(db, session_id, exercise, name, target)
            self._add_sets(db, entry, amount, sets, load_kg)
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
                    (*convert.target_columns(target), row["id"]),
                )
            return int(row["id"])
        self._check_session(db, session_id)
        cursor = db.execute(
            "INSERT INTO entries (session_id, exercise, name, target_sets, target_reps, "
            "target_hold_seconds, target_minutes, per_side) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (session_id, exercise, name or exercise, *convert.target_columns(target)),
        )
        return int(cursor.lastrowid or 0)

    def _add_sets(
        self,
        db: sqlite3.Connection,
        entry: int,
        amount: Amount,
        count: int,
        load_kg: float | None = None,
    ) -> int:
        first = db.execute(
            "SELECT coalesce(max(number), 0) + 1 FROM sets WHERE entry_id = ?", (entry,)
        ).fetchone()[0]
        now = _now()
        db.executemany(
            "INSERT INTO sets (entry_id, number, reps, hold_seconds, minutes, logged_at, load_kg) "
            "VALUES (?, ?, ?, ?, ?, ?, ?)",
            [
                (entry, first + n, amount.reps, amount.hold_seconds, amount.minutes, now, load_kg)
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
                "SELECT entry_id, reps, hold_seconds, minutes, load_kg FROM sets WHERE entry_id IN "
                "(SELECT entries.id FROM entries JOIN sessions ON sessions.id = entries.session_id "
                "JOIN profiles ON profiles.id = sessions.profile_id WHERE profiles.name = ?) "
                "ORDER BY entry_id, number",
                (profile,),
            ).fetchall()
        done: dict[int, list[int]] = {}
        measure: dict[int, str] = {}
        loads: dict[int, float] = {}
        for entry, reps, hold_seconds, minutes, load_kg in sets:
            if load_kg is not None:
                loads[entry] = load_kg
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
                convert.cached_date(day),
                exercise,
                None
                if sets_ is None
                else convert.cached_target(sets_, reps, hold, minutes, bool(per_side)),
                tuple(done.get(entry, ())),
                measure.get(entry),
                pain_during,
                statuses[status],
                loads.get(entry),
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
            "sets.logged_at AS logged_at, sets.load_kg AS load_kg FROM entries "
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
                logs.append(convert.exercise_log(head, tuple(sets)))

        for row in rows:
            if row["id"] != current:
                flush()
                current, head, sets = row["id"], row, []
            if row["number"] is not None:
                amount = convert.cached_amount(row["reps"], row["hold_seconds"], row["minutes"])
                sets.append(SetLog(row["number"], amount, row["logged_at"], row["load_kg"]))
        flush()
        return logs

    # --- the log as a whole (`transfer`) ------------------------------------------------------

    def export_rows(self, profile: str | None = None) -> list[dict[str, Any]]:
        """The log as flat rows, one a set (see `exchange.COLUMNS`), oldest first; every
        profile's unless `profile` is given. Values are str, int or None."""
        return transfer.export_rows(self, profile)

    def import_rows(self, rows: Iterable[exchange.Row]) -> transfer.Imported:
        """Add validated rows (`exchange.parse_row`), in batches of at most about half a
        second each. Rows already in the log are left exactly as they are, so importing the
        same file twice adds nothing; see `transfer` for the programme slots."""
        return transfer.import_rows(self, rows)

    def backup(self, target: Path, force: bool = False) -> None:
        """A consistent, private (0600) copy of the whole log at `target`, whole or not at all,
        never over an existing file without `force` nor through a link; a damaged log is
        refused (`transfer.backup`)."""
        transfer.backup(self, target, force)


def _ever_logged(db: sqlite3.Connection, exercise: str) -> bool:
    found = db.execute("SELECT 1 FROM entries WHERE exercise = ? LIMIT 1", (exercise,))
    return found.fetchone() is not None
