"""The training log's schema, one migration function per version.

`PRAGMA user_version` holds the version a file is at. `migrate` runs each missing step in order,
each in its own `BEGIN IMMEDIATE` transaction that also bumps `user_version`, so a file is always
at exactly one version: a crash mid-migration leaves it at the version before. To change the
schema, add a function and append it to `MIGRATIONS`; never edit one that has shipped. The tests
build a file at every older version and migrate it.

Dates are ISO 'YYYY-MM-DD' text, timestamps ISO 8601 UTC text; every pain and stiffness score is
checked 0-10 by the database too.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable


def _v1_training_log(db: sqlite3.Connection) -> None:
    """Profiles, programmes, sessions, the exercises and sets of each, and check-ins."""
    _run(
        db,
        """
        CREATE TABLE profiles (
            id INTEGER PRIMARY KEY,
            name TEXT NOT NULL UNIQUE,
            created TEXT NOT NULL,
            level TEXT,
            days INTEGER,
            minutes INTEGER,
            equipment TEXT NOT NULL DEFAULT '',   -- comma-separated vocabulary values
            conditions TEXT NOT NULL DEFAULT '',
            goals TEXT NOT NULL DEFAULT '',
            handout_for TEXT,
            clinic TEXT
        );
        CREATE TABLE programmes (
            id INTEGER PRIMARY KEY,
            profile_id INTEGER NOT NULL REFERENCES profiles(id) ON DELETE CASCADE,
            created TEXT NOT NULL,
            request TEXT NOT NULL,               -- JSON: the options the plan was made from
            plan TEXT NOT NULL                   -- JSON: serialise.plan_json, as saved
        );
        CREATE INDEX programmes_by_profile ON programmes(profile_id, id);
        CREATE TABLE sessions (
            id INTEGER PRIMARY KEY,
            profile_id INTEGER NOT NULL REFERENCES profiles(id) ON DELETE CASCADE,
            programme_id INTEGER REFERENCES programmes(id) ON DELETE SET NULL,
            slot INTEGER CHECK (slot >= 0),      -- position in the programme; NULL: outside one
            date TEXT NOT NULL,
            created TEXT NOT NULL,
            pain_after INTEGER CHECK (pain_after BETWEEN 0 AND 10),
            note TEXT
        );
        CREATE INDEX sessions_by_profile_date ON sessions(profile_id, date, id);
        CREATE TABLE entries (                   -- one exercise in one session
            id INTEGER PRIMARY KEY,
            session_id INTEGER NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
            exercise TEXT NOT NULL,
            name TEXT NOT NULL,
            target_sets INTEGER,
            target_reps INTEGER,
            target_hold_seconds INTEGER,
            target_minutes INTEGER,
            per_side INTEGER NOT NULL DEFAULT 0,
            pain_during INTEGER CHECK (pain_during BETWEEN 0 AND 10),
            status TEXT NOT NULL DEFAULT 'done' CHECK (status IN ('done', 'skipped', 'stopped')),
            note TEXT,
            UNIQUE (session_id, exercise)
        );
        CREATE INDEX entries_by_exercise ON entries(exercise, session_id);
        CREATE TABLE sets (
            id INTEGER PRIMARY KEY,
            entry_id INTEGER NOT NULL REFERENCES entries(id) ON DELETE CASCADE,
            number INTEGER NOT NULL CHECK (number >= 1),
            reps INTEGER CHECK (reps >= 1),
            hold_seconds INTEGER CHECK (hold_seconds >= 1),
            minutes INTEGER CHECK (minutes >= 1),
            logged_at TEXT NOT NULL,
            UNIQUE (entry_id, number)
        );
        CREATE TABLE checkins (                  -- next-morning pain and stiffness per area
            id INTEGER PRIMARY KEY,
            profile_id INTEGER NOT NULL REFERENCES profiles(id) ON DELETE CASCADE,
            date TEXT NOT NULL,
            area TEXT NOT NULL,
            pain INTEGER NOT NULL CHECK (pain BETWEEN 0 AND 10),
            stiffness INTEGER CHECK (stiffness BETWEEN 0 AND 10),
            logged_at TEXT NOT NULL,
            UNIQUE (profile_id, date, area)
        );
        """,
    )


def _v2_assessments(db: sqlite3.Connection) -> None:
    """Test results for issue 11 (knee-to-wall distance, balance time, ...), per side."""
    _run(
        db,
        """
        CREATE TABLE assessments (
            id INTEGER PRIMARY KEY,
            profile_id INTEGER NOT NULL REFERENCES profiles(id) ON DELETE CASCADE,
            date TEXT NOT NULL,
            test TEXT NOT NULL,
            side TEXT CHECK (side IN ('left', 'right')),
            value REAL NOT NULL,
            logged_at TEXT NOT NULL
        );
        CREATE INDEX assessments_by_profile ON assessments(profile_id, test, date);
        """,
    )


def _v3_load(db: sqlite3.Connection) -> None:
    """The load of each set, kg per rep (issue 20). Sets logged before it have none (NULL):
    nothing was recorded, which is not the same as body weight (0)."""
    _run(
        db,
        """
        ALTER TABLE sets ADD COLUMN load_kg REAL
            CHECK (load_kg IS NULL OR (load_kg >= 0 AND load_kg <= 500));
        """,
    )


def _v4_age_and_falls(db: sqlite3.Connection) -> None:
    """A profile's age and whether they fell in the last year (issue 21): at 65 or over, or
    after a fall, plans support backward walking and deep holds and leave out hops."""
    _run(
        db,
        """
        ALTER TABLE profiles ADD COLUMN age INTEGER;
        ALTER TABLE profiles ADD COLUMN fell_last_year INTEGER NOT NULL DEFAULT 0;
        """,
    )


def _v5_scores(db: sqlite3.Connection) -> None:
    """Patient-reported scores (issue 25): one row per item of a scoring, e.g. each activity of
    a Patient-Specific Functional Scale with its 0-10 rating. One scoring per instrument and
    day: a second one that day replaces the first (the store deletes, then inserts)."""
    _run(
        db,
        """
        CREATE TABLE scores (
            id INTEGER PRIMARY KEY,
            profile_id INTEGER NOT NULL REFERENCES profiles(id) ON DELETE CASCADE,
            date TEXT NOT NULL,
            instrument TEXT NOT NULL,
            item TEXT NOT NULL,                  -- the activity, or the question's number
            position INTEGER NOT NULL CHECK (position >= 0),  -- the item's place in the scoring
            value REAL NOT NULL CHECK (value >= 0),
            logged_at TEXT NOT NULL,
            UNIQUE (profile_id, date, instrument, item)
        );
        CREATE INDEX scores_by_profile ON scores(profile_id, instrument, date);
        """,
    )


# MIGRATIONS[n] takes a file from version n to version n + 1.
MIGRATIONS: tuple[Callable[[sqlite3.Connection], None], ...] = (
    _v1_training_log,
    _v2_assessments,
    _v3_load,
    _v4_age_and_falls,
    _v5_scores,
)
LATEST = len(MIGRATIONS)


def version(db: sqlite3.Connection) -> int:
    row = db.execute("PRAGMA user_version").fetchone()
    return int(row[0])


class NotALog(Exception):
    """The file is an SQLite database with tables of its own, not a kotcoach log."""


def migrate(db: sqlite3.Connection, upto: int = LATEST) -> None:
    """Bring the file up to `upto`, one transaction per step. Safe against a concurrent opener:
    each step re-reads the version under the write lock and skips work already done. Raises
    NotALog, changing nothing, for a version-0 file that already has tables."""
    while True:
        db.execute("BEGIN IMMEDIATE")
        try:
            current = version(db)
            if current == 0 and db.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]:
                raise NotALog()
            if current >= upto:
                db.execute("ROLLBACK")
                return
            MIGRATIONS[current](db)
            db.execute(f"PRAGMA user_version = {current + 1}")
            db.execute("COMMIT")
        except BaseException:
            if db.in_transaction:
                db.execute("ROLLBACK")
            raise


def _run(db: sqlite3.Connection, script: str) -> None:
    """Run a script statement by statement, inside the caller's transaction (sqlite3's own
    executescript would commit first)."""
    for statement in _statements(script):
        db.execute(statement)


def _statements(script: str) -> list[str]:
    """Split a script into complete statements (sqlite3.complete_statement knows quoting)."""
    statements: list[str] = []
    current = ""
    for line in script.splitlines(keepends=True):
        current += line
        if sqlite3.complete_statement(current):
            statements.append(current.strip())
            current = ""
    if current.strip():
        statements.append(current.strip())
    return statements
