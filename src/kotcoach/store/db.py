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
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kotcoach.base.errors import StoreError, UsageError
from kotcoach.base.notes import note
from kotcoach.store import entries, files, schema
from kotcoach.store.connection import (
    DiskFullError,
    begin_immediate,
    can_write,
    connect,
    damaged,
    guard,
    quick_check,
    quiet_rollback,
    to_wal,
)
from kotcoach.store.paths import database_path
from kotcoach.store.reading import Reading
from kotcoach.store.records import (
    MAX_SETS,
    MAX_TEXT,
    Amount,
    Checkin,
    ExerciseLog,
    Imported,
    Profile,
    Programme,
    Status,
    Target,
    check_checkin,
    check_count,
    check_load,
    check_pain,
    check_profile_name,
    check_text,
)
from kotcoach.store.rows import planned_sessions

if TYPE_CHECKING:
    from kotcoach.store import exchange  # the CSV rows: imported only by export and import

# `transfer` (export, import, backup) is imported by those methods alone: with the CSV rows it
# pulls in, it cost every `today` and `next` some 10 ms.

TIMEOUT_ENV_VAR = "KOTCOACH_BUSY_TIMEOUT"
DEFAULT_TIMEOUT = 30.0  # seconds a write waits for another process's lock before giving up


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


def _wal_has_frames(path: Path) -> bool:
    try:
        return Path(f"{path}-wal").stat().st_size > 0
    except OSError:
        return False


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


class Store(Reading):
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
        try:
            store = cls._opened(path, write, timeout, immutable=False)
        except DiskFullError:
            # A full disk can leave the WAL's shared memory too small to read through. With no
            # WAL content to miss, the file itself is the whole log: read it as immutable.
            if write or _wal_has_frames(path):
                raise
            store = cls._opened(path, write, timeout, immutable=True)
        files.tighten(path)  # a kotcoach log, then: health data is its owner's alone
        return store

    @classmethod
    def _opened(cls, path: Path, write: bool, timeout: float, immutable: bool) -> Store:
        db = connect(path, write=write, timeout=timeout, immutable=immutable)
        store = cls(db, path, timeout, writable=write)
        try:
            with guard(path, timeout):
                store._prepare()
        except BaseException:
            store.close()
            raise
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
        to_wal(self._db, self.timeout)
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
                # Again under the lock: a restore may have swapped the file in while this waited.
                self._check_identity()
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
            entry = entries.entry_id(db, session_id, exercise, name, target)
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
            entry = entries.entry_id(db, session_id, exercise, name, target)
            self._add_sets(db, entry, amount, sets, load_kg)
            entries.raise_pain(db, entry, pain_during)
            if note:
                db.execute("UPDATE entries SET note = ? WHERE id = ?", (note, entry))
            logs = self._exercise_logs(db, "entries.id = ?", (entry,))
        return logs[0]

    def set_pain_during(self, session_id: int, exercise: str, pain: int) -> None:
        """Record pain during an exercise already begun. The highest report of a session stays:
        pain is never lowered after the fact. Above 5/10 the exercise is marked stopped."""
        check_pain(pain, "pain during")
        with self._write() as db:
            entry = entries.entry_id(db, session_id, exercise, None, None)
            entries.raise_pain(db, entry, pain)

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
            entry = entries.entry_id(db, session_id, exercise, name, target)
            db.execute("UPDATE entries SET status = ? WHERE id = ?", (Status(status).value, entry))

    def remove_set(self, session_id: int, exercise: str, number: int) -> bool:
        """Take back one set just logged (the guided session's 'u'): set `number` of the
        exercise in the session, which must be its last set. Only that row goes, in one
        transaction; an exercise left with no set and nothing else said of it (no pain, no
        note, not skipped or stopped) goes with it, so the coach never reads an empty entry as
        a session, and so does a session left with nothing in it (True: it went, and the next
        write begins a new one). A set that is not the last, or not there, is refused and
        nothing changes."""
        with self._write() as db:
            entry = self._existing_entry(db, session_id, exercise)
            last = db.execute(
                "SELECT max(number) FROM sets WHERE entry_id = ?", (entry,)
            ).fetchone()[0]
            if last is None or last != number:
                raise UsageError(
                    f"set {number} of {exercise} is not the last set logged in session "
                    f"{session_id}: only the last one can be taken back"
                )
            db.execute("DELETE FROM sets WHERE entry_id = ? AND number = ?", (entry, number))
            return self._drop_if_empty(db, entry, session_id)

    def undo_skip(self, session_id: int, exercise: str) -> bool:
        """Take back a skip (the guided session's 'u'): the exercise goes on, as if never
        skipped; an entry the skip alone made goes, and a session left empty (True, as for
        `remove_set`). Only a skip: a stop for pain above 5/10 stays, and an exercise not
        skipped is refused, nothing changed."""
        with self._write() as db:
            entry = self._existing_entry(db, session_id, exercise)
            status = db.execute("SELECT status FROM entries WHERE id = ?", (entry,)).fetchone()
            if status[0] != Status.SKIPPED.value:
                raise UsageError(f"{exercise} is not skipped in session {session_id}")
            db.execute("UPDATE entries SET status = 'done' WHERE id = ?", (entry,))
            return self._drop_if_empty(db, entry, session_id)

    def _existing_entry(self, db: sqlite3.Connection, session_id: int, exercise: str) -> int:
        row = db.execute(
            "SELECT id FROM entries WHERE session_id = ? AND exercise = ?", (session_id, exercise)
        ).fetchone()
        if row is None:
            raise UsageError(f"{exercise} is not logged in session {session_id}")
        return int(row[0])

    def _drop_if_empty(self, db: sqlite3.Connection, entry: int, session_id: int) -> bool:
        """Drop the entry if nothing is left in it, then its session likewise; True when the
        session went."""
        db.execute(
            "DELETE FROM entries WHERE id = ? AND status = 'done' AND pain_during IS NULL AND "
            "note IS NULL AND NOT EXISTS (SELECT 1 FROM sets WHERE entry_id = ?)",
            (entry, entry),
        )
        gone = db.execute(
            "DELETE FROM sessions WHERE id = ? AND pain_after IS NULL AND note IS NULL AND "
            "NOT EXISTS (SELECT 1 FROM entries WHERE session_id = ?)",
            (session_id, session_id),
        )
        return gone.rowcount > 0

    def set_pain_after(self, session_id: int, pain: int, note: str | None = None) -> None:
        """Record pain after the session (the highest report stays), and a note if given."""
        check_pain(pain, "pain after")
        note = check_text(note, "note")
        with self._write() as db:
            entries.check_session(db, session_id)
            db.execute(
                "UPDATE sessions SET pain_after = max(coalesce(pain_after, 0), ?) WHERE id = ?",
                (pain, session_id),
            )
            if note:
                db.execute("UPDATE sessions SET note = ? WHERE id = ?", (note, session_id))

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

    # --- the log as a whole (`transfer`) ------------------------------------------------------

    def export_rows(self, profile: str | None = None) -> list[dict[str, Any]]:
        """The log as flat rows, one a set (see `exchange.COLUMNS`), oldest first; every
        profile's unless `profile` is given. Values are str, int or None."""
        from kotcoach.store import transfer

        return transfer.export_rows(self, profile)

    def import_rows(self, rows: Iterable[exchange.Row]) -> Imported:
        """Add validated rows (`exchange.parse_row`), in batches of at most about half a
        second each. Rows already in the log are left exactly as they are, so importing the
        same file twice adds nothing; see `transfer` for the programme slots."""
        from kotcoach.store import transfer

        return transfer.import_rows(self, rows)

    def backup(self, target: Path, force: bool = False) -> None:
        """A consistent, private (0600) copy of the whole log at `target`, whole or not at all,
        never over an existing file without `force` nor through a link; a damaged log is
        refused (`transfer.backup`)."""
        from kotcoach.store import transfer

        transfer.backup(self, target, force)
