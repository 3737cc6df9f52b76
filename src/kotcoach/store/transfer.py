"""The log in and out as a whole: export rows, import rows, and the backup copy.

An import is a stranger's file. Rows already in the log are left exactly as they are (a set
already logged, and every field of an exercise or session that was there before the import);
a `slot` is kept where the log has that session already, or where it fits the profile's current
programme (the exercise is in that programme session, on or after the day the programme was
saved, and no further on than two sessions a day since: kotcoach's own plausibility bound),
else the row joins an unplanned session. Rows are written in batches committed at least every
`IMPORT_BATCH_SECONDS`, with a pause between them, so a large file never keeps another kotcoach
(a session, a `log`) waiting for more than about a second.
"""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
import time
from collections.abc import Iterable
from contextlib import AbstractContextManager
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from kotcoach.base.errors import ExportError, StoreError
from kotcoach.store import entries, files
from kotcoach.store.connection import RESTORE_HINT, guard, is_busy, is_full, quick_check
from kotcoach.store.exchange import ScoreRow
from kotcoach.store.records import Imported
from kotcoach.store.rows import planned_sessions

if TYPE_CHECKING:
    from kotcoach.store.exchange import Row


class Store(Protocol):
    """What this module uses of `db.Store` (a protocol, so that db can import this module and
    this module need not import db)."""

    path: Path
    timeout: float
    _db: sqlite3.Connection

    def _read(self) -> AbstractContextManager[sqlite3.Connection]: ...
    def _write(self) -> AbstractContextManager[sqlite3.Connection]: ...
    def _guard(self) -> AbstractContextManager[None]: ...
    def _profile_id(self, db: sqlite3.Connection, name: str, create: bool) -> int | None: ...
    def _session_id(
        self, db: sqlite3.Connection, profile_id: int | None, on: dt.date, slot: int | None
    ) -> int: ...


IMPORT_BATCH_SECONDS = 0.75
# A pause between batches, longer than the longest sleep of SQLite's busy handler (100 ms), so
# that a process waiting for the lock gets it instead of finding it taken again at once.
BETWEEN_BATCHES_SECONDS = 0.12
MAX_SESSIONS_A_DAY = 2  # kotcoach's own bound for a plausible programme slot on import


EXPORT_QUERY = (
    "SELECT profiles.name AS profile, sessions.date AS date, sessions.slot AS slot, "
    'entries.exercise AS exercise, entries.name AS name, sets.number AS "set", '
    "sets.reps AS reps, sets.hold_seconds AS hold_seconds, sets.minutes AS minutes, "
    "sets.load_kg AS load_kg, entries.target_sets AS target_sets, "
    "entries.target_reps AS target_reps, "
    "entries.target_hold_seconds AS target_hold_seconds, "
    "entries.target_minutes AS target_minutes, entries.per_side AS per_side, "
    "entries.pain_during AS pain_during, sessions.pain_after AS pain_after, "
    "entries.status AS status, entries.note AS note, "
    "sessions.note AS session_note, sets.logged_at AS logged_at "
    "FROM entries JOIN sessions ON sessions.id = entries.session_id "
    "JOIN profiles ON profiles.id = sessions.profile_id "
    "LEFT JOIN sets ON sets.entry_id = entries.id "
    "{where} ORDER BY profiles.name, sessions.date, sessions.id, entries.id, sets.number"
)


SCORES_QUERY = (
    "SELECT profiles.name AS profile, scores.date AS date, scores.instrument AS score, "
    "scores.item AS score_item, scores.value AS score_value, "
    "scores.logged_at AS logged_at FROM scores "
    "JOIN profiles ON profiles.id = scores.profile_id "
    "{where} ORDER BY profiles.name, scores.date, scores.instrument, scores.position"
)


def export_rows(store: Store, profile: str | None = None) -> list[dict[str, Any]]:
    where = "WHERE profiles.name = ?" if profile is not None else ""
    params = [profile] if profile is not None else []
    with store._read() as db:
        found = db.execute(EXPORT_QUERY.format(where=where), params).fetchall()
        scores = db.execute(SCORES_QUERY.format(where=where), params).fetchall()
    from kotcoach.store.exchange import COLUMNS, SCORE_COLUMNS

    sets = [
        {column: None if column in SCORE_COLUMNS else row[column] for column in COLUMNS}
        for row in found
    ]
    return sets + [
        {column: row[column] if column in row.keys() else None for column in COLUMNS}
        for row in scores
    ]


class _Importer:
    """One import's state across its batches: ids already looked up, and which sessions and
    exercises this import made (only those take the rows' notes, status and pain)."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.result = Imported()
        self.profiles: dict[str, int] = {}
        self.programmes: dict[int, tuple[dt.date, Any] | None] = {}
        self.sessions: dict[tuple[int, str, int | None], int] = {}
        self.entries: dict[tuple[int, str], int] = {}
        self.new_sessions: set[int] = set()
        self.new_entries: set[int] = set()
        self.positions: dict[tuple[int, dt.date, str], int] = {}

    def add_score(self, db: sqlite3.Connection, row: ScoreRow) -> None:
        """A score item (a PSFS activity and its rating); one already there is left as it is."""
        profile_id = self.profiles.get(row.profile)
        if profile_id is None:
            profile_id = self.store._profile_id(db, row.profile, create=True) or 0
            self.profiles[row.profile] = profile_id
        key = (profile_id, row.date, row.instrument)
        position = self.positions[key] = self.positions.get(key, -1) + 1
        db.execute(
            "INSERT INTO scores (profile_id, date, instrument, item, position, value, logged_at) "
            "VALUES (?, ?, ?, ?, ?, ?, ?) "
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

    def add(self, db: sqlite3.Connection, row: Row | ScoreRow) -> None:
        if isinstance(row, ScoreRow):
            self.add_score(db, row)
            return
        store = self.store
        profile_id = self.profiles.get(row.profile)
        if profile_id is None:
            profile_id = store._profile_id(db, row.profile, create=True) or 0
            self.profiles[row.profile] = profile_id
        slot = self._slot(db, profile_id, row)
        key = (profile_id, row.date.isoformat(), slot)
        session = self.sessions.get(key)
        if session is None:
            found = db.execute(
                "SELECT id FROM sessions WHERE profile_id = ? AND date = ? AND slot IS ? "
                "ORDER BY id DESC LIMIT 1",
                key,
            ).fetchone()
            session = int(found[0]) if found else store._session_id(db, profile_id, row.date, slot)
            if not found:
                self.new_sessions.add(session)
            self.sessions[key] = session
        entry = self.entries.get((session, row.exercise))
        if entry is None:
            found = db.execute(
                "SELECT id FROM entries WHERE session_id = ? AND exercise = ?",
                (session, row.exercise),
            ).fetchone()
            entry = (
                int(found[0])
                if found
                else entries.entry_id(db, session, row.exercise, row.name, row.target)
            )
            if not found:
                self.new_entries.add(entry)
            self.entries[(session, row.exercise)] = entry
        if entry in self.new_entries:
            if row.status.value != "done":
                db.execute("UPDATE entries SET status = ? WHERE id = ?", (row.status, entry))
            if row.note:
                db.execute("UPDATE entries SET note = ? WHERE id = ?", (row.note, entry))
            entries.raise_pain(db, entry, row.pain_during)
        if session in self.new_sessions:
            if row.pain_after is not None:
                db.execute(
                    "UPDATE sessions SET pain_after = max(coalesce(pain_after, 0), ?) WHERE id = ?",
                    (row.pain_after, session),
                )
            if row.session_note:
                db.execute(
                    "UPDATE sessions SET note = coalesce(note, ?) WHERE id = ?",
                    (row.session_note, session),
                )
        if row.number is None or row.amount is None:
            return
        cursor = db.execute(
            "INSERT INTO sets (entry_id, number, reps, hold_seconds, minutes, logged_at, "
            "load_kg) VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (entry_id, number) DO NOTHING",
            (
                entry,
                row.number,
                row.amount.reps,
                row.amount.hold_seconds,
                row.amount.minutes,
                row.logged_at,
                row.load_kg,
            ),
        )
        if cursor.rowcount:
            self.result.added += 1
        else:
            self.result.present += 1

    def _slot(self, db: sqlite3.Connection, profile_id: int, row: Row) -> int | None:
        if row.slot is None:
            return None
        key = (profile_id, row.date.isoformat(), row.slot)
        if key in self.sessions:
            return row.slot
        found = db.execute(
            "SELECT id FROM sessions WHERE profile_id = ? AND date = ? AND slot = ? "
            "ORDER BY id DESC LIMIT 1",
            key,
        ).fetchone()
        if found is not None:  # the session it came from: the log's own export, back in
            self.sessions[key] = int(found[0])
            return row.slot
        if profile_id not in self.programmes:
            found = db.execute(
                "SELECT created, plan FROM programmes WHERE profile_id = ? ORDER BY id DESC "
                "LIMIT 1",
                (profile_id,),
            ).fetchone()
            self.programmes[profile_id] = (
                None
                if found is None
                else (dt.date.fromisoformat(found[0][:10]), planned_sessions(json.loads(found[1])))
            )
        programme = self.programmes[profile_id]
        if programme is not None:
            created, sessions = programme
            # +1: the programme's time is UTC, a session's date the local day.
            days = (row.date - created).days + 1
            if 0 <= days and row.slot < (days + 1) * MAX_SESSIONS_A_DAY:
                count = len(sessions)
                if row.slot < count:
                    planned = sessions[row.slot]
                else:
                    last = [s for s in sessions if s.week == sessions[-1].week]
                    planned = last[(row.slot - count) % len(last)]
                if any(e.id == row.exercise for e in planned.exercises):
                    return row.slot
        self.result.unplanned += 1
        return None


def import_rows(store: Store, rows: Iterable[Row | ScoreRow]) -> Imported:
    """Write validated rows (`exchange.parse_row`), a batch a transaction; see the module."""
    importer = _Importer(store)
    remaining = iter(rows)
    row = next(remaining, None)
    first = True
    while row is not None:
        if not first:
            time.sleep(BETWEEN_BATCHES_SECONDS)
        first = False
        started = time.monotonic()
        with store._write() as db:
            while row is not None:
                importer.add(db, row)
                row = next(remaining, None)
                if time.monotonic() - started > IMPORT_BATCH_SECONDS:
                    break
    return importer.result


def backup(store: Store, target: Path, force: bool = False) -> None:
    """A consistent copy of the whole log at `target` (0600), made with SQLite's backup API
    while others may be writing, written whole or not at all (`base.writing.whole_file`). A log
    that fails SQLite's quick check is refused: its copy would be as damaged."""
    from kotcoach.base.writing import whole_file

    with store._read() as db:
        with guard(store.path, store.timeout):
            problem = quick_check(db)
    if problem is not None:
        raise StoreError(
            f"the training log {store.path} is damaged (quick check: {problem}); a backup of it "
            "would be as damaged, so none was written",
            hint=RESTORE_HINT.replace("restore a backup", "restore an earlier backup"),
        )
    files.clean_leftovers(target.parent)
    with whole_file(target, force, mode=files.PRIVATE_FILE) as partial:
        try:
            copy = sqlite3.connect(partial)
            try:
                with store._guard():  # the log busy or unreadable: StoreError
                    try:
                        store._db.backup(copy)
                    except sqlite3.OperationalError as error:
                        if is_busy(error):
                            raise
                        if is_full(error):
                            raise ExportError(f"the disk is full: cannot write {target}") from None
                        # Anything else is the copy's side: read-only, I/O.
                        raise ExportError(f"could not write {target}: {error}") from None
            finally:
                copy.close()
        finally:  # a journal left by a copy that failed half-way
            Path(f"{partial}-journal").unlink(missing_ok=True)
