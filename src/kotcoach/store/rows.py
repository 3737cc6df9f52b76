"""Rows of the log's tables as the records `kotcoach.store` returns, and a saved plan's sessions.

Reading five years of log builds tens of thousands of records from a few hundred distinct values:
amounts, targets and dates are made (and checked) once each and shared, as frozen values may be.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import sqlite3
from collections.abc import Mapping
from typing import Any

from kotcoach.catalogue.renamed import current_conditions
from kotcoach.store.records import (
    Amount,
    ExerciseLog,
    PlannedExercise,
    PlannedSession,
    Profile,
    Programme,
    SetLog,
    Status,
    Target,
)


def target_columns(target: Target | None) -> tuple[Any, ...]:
    if target is None:
        return (None, None, None, None, 0)
    a = target.amount
    return (target.sets, a.reps, a.hold_seconds, a.minutes, int(target.per_side))


@functools.lru_cache(maxsize=4096)
def cached_amount(reps: int | None, hold_seconds: int | None, minutes: int | None) -> Amount:
    return Amount(reps, hold_seconds, minutes)


@functools.lru_cache(maxsize=4096)
def cached_target(
    sets: int, reps: int | None, hold_seconds: int | None, minutes: int | None, per_side: bool
) -> Target:
    return Target(sets, cached_amount(reps, hold_seconds, minutes), per_side)


@functools.lru_cache(maxsize=8192)
def cached_date(text: str) -> dt.date:
    return dt.date.fromisoformat(text)


def exercise_log(row: sqlite3.Row, sets: tuple[SetLog, ...]) -> ExerciseLog:
    target = None
    if row["target_sets"] is not None:
        target = cached_target(
            row["target_sets"],
            row["target_reps"],
            row["target_hold_seconds"],
            row["target_minutes"],
            bool(row["per_side"]),
        )
    return ExerciseLog(
        session_id=row["session_id"],
        date=cached_date(row["date"]),
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


def profile(row: sqlite3.Row) -> Profile:
    return Profile(
        name=row["name"],
        level=row["level"],
        days=row["days"],
        minutes=row["minutes"],
        equipment=_split(row["equipment"]),
        conditions=current_conditions(_split(row["conditions"]))[0],
        goals=_split(row["goals"]),
        handout_for=row["handout_for"],
        clinic=row["clinic"],
        age=row["age"],
        fell_last_year=bool(row["fell_last_year"]),
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
                    changes=tuple(item.get("changes") or ()),
                    cautions=tuple(item.get("cautions") or ()),
                )
                for item, warm_up in items
            )
            sessions.append(
                PlannedSession(
                    len(sessions), week["week"], session["day"], session["minutes"], exercises
                )
            )
    return tuple(sessions)


def programme(row: sqlite3.Row) -> Programme:
    plan = json.loads(row["plan"])
    return Programme(
        id=row["id"],
        profile=row["profile"],
        created=row["created"],
        request=json.loads(row["request"]),
        plan=plan,
        sessions=planned_sessions(plan),
    )
