"""A session's entry for one exercise, found or made: what logging a set (`db.Store`) and
importing a row (`transfer`) both write through, inside the caller's transaction."""

from __future__ import annotations

import sqlite3
from typing import TYPE_CHECKING

from kotcoach.base.vocab import MAX_PAIN_DURING
from kotcoach.store import rows as convert

if TYPE_CHECKING:
    from kotcoach.store.records import Target


def check_session(db: sqlite3.Connection, session_id: int) -> None:
    if db.execute("SELECT 1 FROM sessions WHERE id = ?", (session_id,)).fetchone() is None:
        raise RuntimeError(f"no session has the id {session_id}: call begin_session first")


def entry_id(
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
    check_session(db, session_id)
    cursor = db.execute(
        "INSERT INTO entries (session_id, exercise, name, target_sets, target_reps, "
        "target_hold_seconds, target_minutes, per_side) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        (session_id, exercise, name or exercise, *convert.target_columns(target)),
    )
    return int(cursor.lastrowid or 0)


def raise_pain(db: sqlite3.Connection, entry: int, pain: int | None) -> None:
    if pain is None:
        return
    db.execute(
        "UPDATE entries SET pain_during = max(coalesce(pain_during, 0), ?) WHERE id = ?",
        (pain, entry),
    )
    if pain > MAX_PAIN_DURING:  # the pain-monitoring model: above 5/10, stop for today
        db.execute("UPDATE entries SET status = 'stopped' WHERE id = ?", (entry,))
