"""What the coach, `today`, `history` and `progress` read of the log: every read the Store makes.

A mixin of `db.Store`, which provides `_read` (one deferred transaction: a consistent snapshot)
and the connection; nothing here writes.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from collections.abc import Callable, Sequence
from contextlib import AbstractContextManager
from typing import TYPE_CHECKING, Any, TypeVar

from kotcoach.store import rows as convert
from kotcoach.store.records import (
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
    Today,
    sets_left,
)

# The tables of dated rows a profile's records are read from, in the order of the records'
# fields (the date first), and the order they are read in.
DATED = {
    "checkins": ("checkins.date, area, pain, stiffness", "date, area"),
    "assessments": ("assessments.date, test, side, value", "date, assessments.id"),
    "scores": (
        "scores.date, scores.instrument, scores.item, scores.value",
        "scores.date, scores.instrument, scores.position",
    ),
}
_Dated = TypeVar("_Dated", Checkin, Assessment, Score)

# The coach's word on a session's unfinished exercises: paused(day, session, unfinished) gives
# the ids of those it paused (left out) that day.
Paused = Callable[
    [dt.date, PlannedSession, tuple[PlannedExercise, ...]], "frozenset[str] | set[str]"
]


class Reading:
    """The Store's reads (see `db.Store`)."""

    if TYPE_CHECKING:

        def _read(self) -> AbstractContextManager[sqlite3.Connection]: ...

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
        self,
        profile: str,
        on: dt.date,
        same: Callable[[str], str] | None = None,
        paused: Paused | None = None,
    ) -> Today | None:
        """The programme session to do on `on`, with what is logged of it; None without one.

        It is the session after the last one logged up to `on`, once every exercise of that one
        (the warm-up aside) is finished: all its prescribed sets logged, or skipped, or stopped
        for pain (`records.sets_left`), or paused by the coach that day. Until then it is that
        same session, with what today's log holds of it in `done`, partly done exercises
        included. After the programme's last session its last week repeats. `same(id)` names an
        exercise's ladder, so that a step the coach moved to counts for the programme's
        exercise on that ladder. `paused(day, session, unfinished)` gives the ids of those of
        the session's exercises not finished on `day` that the coach left out that day
        (paused): once something of the session is logged, they do not keep it open.
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
            logged: dict[str, ExerciseLog] = {}
            unfinished: list[PlannedExercise] = []
            planned: PlannedSession | None = None
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
                unfinished = [
                    e
                    for e in planned.exercises
                    if not e.warm_up and sets_left(e, logged.get(e.id)) > 0
                ]
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
        done: dict[str, ExerciseLog] = {}
        slot, session_id = 0, None
        if latest is not None:
            day = dt.date.fromisoformat(latest["date"])
            if unfinished and logged and paused is not None and planned is not None:
                left_out = paused(day, planned, tuple(unfinished))  # outside the read: it reads
                unfinished = [e for e in unfinished if e.id not in left_out]
            if not unfinished:
                slot = latest["slot"] + 1
            else:
                slot = latest["slot"]
                if day == on:
                    session_id, done = int(latest["id"]), logged
        return Today(
            profile=profile,
            date=on,
            programme=programme,
            session=programme.session(slot),
            session_id=session_id,
            done=done,
            checkin_missing=on - dt.timedelta(days=1) if trained and not checked else None,
        )

    def checkins(
        self, profile: str, since: dt.date | None = None, area: str | None = None
    ) -> list[Checkin]:
        """The profile's check-ins, oldest first (by date, then area)."""
        return self._dated(Checkin, "checkins", profile, since, area=area)

    def assessments(self, profile: str, test: str | None = None) -> list[Assessment]:
        """The profile's test results, oldest first."""
        return self._dated(Assessment, "assessments", profile, test=test)

    def scores(self, profile: str, instrument: str | None = None) -> list[Score]:
        """The profile's scores, oldest first, each scoring's items in their order."""
        return self._dated(Score, "scores", profile, instrument=instrument)

    def _dated(
        self,
        record: Callable[..., _Dated],
        table: str,
        profile: str,
        since: dt.date | None = None,
        **equal: str | None,
    ) -> list[_Dated]:
        """The profile's records of one table of dated rows (`DATED`), oldest first: from
        `since` on, and where each column in `equal` given a value has it."""
        columns, order = DATED[table]
        where, params = ["profiles.name = ?"], [profile]
        if since is not None:
            where.append(f"{table}.date >= ?")
            params.append(since.isoformat())
        for column, value in equal.items():
            if value is not None:
                where.append(f"{table}.{column} = ?")
                params.append(value)
        with self._read() as db:
            rows = db.execute(
                f"SELECT {columns} FROM {table} JOIN profiles ON profiles.id = {table}.profile_id "
                f"WHERE {' AND '.join(where)} ORDER BY {order}",
                params,
            ).fetchall()
        return [record(dt.date.fromisoformat(day), *rest) for day, *rest in rows]

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

    def load_ends(
        self, profile: str, exercise: str, since: dt.date, before: dt.date
    ) -> list[ExerciseLog]:
        """Of the exercise's logs with a set in reps dated from `since` to the day before
        `before`: the first, the last with a load and the last, oldest first (fewer when they
        are the same log; none without one). All that the load rule reads of a year of them
        (`coaching.load_coach.with_load`: the week of the rep scheme, the last dose, the last
        load), without the year's other sets."""
        with self._read() as db:
            ids = [
                row[0]
                for row in db.execute(
                    "WITH mine AS (SELECT entries.id AS id, sessions.date AS date, "
                    "sessions.id AS session FROM entries "
                    "JOIN sessions ON sessions.id = entries.session_id "
                    "JOIN profiles ON profiles.id = sessions.profile_id "
                    "WHERE profiles.name = ? AND entries.exercise = ? AND sessions.date >= ? "
                    "AND sessions.date < ? AND EXISTS (SELECT 1 FROM sets "
                    "WHERE sets.entry_id = entries.id AND sets.reps IS NOT NULL)) "
                    "SELECT id FROM (SELECT id FROM mine ORDER BY date, session, id LIMIT 1) "
                    "UNION SELECT id FROM (SELECT id FROM mine "
                    "ORDER BY date DESC, session DESC, id DESC LIMIT 1) "
                    "UNION SELECT id FROM (SELECT id FROM mine WHERE EXISTS (SELECT 1 FROM sets "
                    "WHERE sets.entry_id = mine.id AND sets.load_kg IS NOT NULL) "
                    "ORDER BY date DESC, session DESC, id DESC LIMIT 1)",
                    (profile, exercise, since.isoformat(), before.isoformat()),
                ).fetchall()
            ]
            if not ids:
                return []
            return self._exercise_logs(
                db, f"entries.id IN ({','.join('?' * len(ids))})", tuple(ids)
            )

    def recent_logs(
        self, profile: str, exercises: Sequence[str], since: dt.date, last: int | None
    ) -> dict[str, list[ExerciseLog]]:
        """Each of `exercises` with its logs (its own entries only) in the sessions that have
        it and are dated from `since` on or are among its `last` most recent (every session
        that has it, when `last` is None), ordered by date, session and entry: what
        `sessions(profile, exercise=x, since=since)` and `sessions(profile, exercise=x,
        last=last)` hold of x together, in at most three queries for all of them (the coach
        reads every step of a session's ladders)."""
        ids = list(dict.fromkeys(exercises))
        found: dict[str, list[ExerciseLog]] = {exercise: [] for exercise in ids}
        if not ids:
            return found
        marks = ",".join("?" * len(ids))
        where = f"profiles.name = ? AND entries.exercise IN ({marks})"
        with self._read() as db:
            if last is None:
                for log in self._exercise_logs(db, where, (profile, *ids)):
                    found[log.exercise].append(log)
                return found
            recent = self._exercise_logs(
                db, f"{where} AND sessions.date >= ?", (profile, *ids, since.isoformat())
            )
            counted: dict[str, set[int]] = {exercise: set() for exercise in ids}
            for log in recent:
                counted[log.exercise].add(log.session_id)
            # The last `last` sessions are all dated from `since` on where that many are; else
            # the newest of the older ones make up the number.
            short = [(x, last - len(counted[x])) for x in ids if len(counted[x]) < last]
            if short:
                # One never logged would cost a scan of every session: the exercise's index
                # answers that first (most steps of a ladder are never done).
                asked = [x for x, _ in short]
                ever = {
                    x
                    for (x,) in db.execute(
                        " UNION ALL ".join(
                            "SELECT ? WHERE EXISTS (SELECT 1 FROM entries WHERE exercise = ?)"
                            for _ in asked
                        ),
                        [x for x in asked for _ in range(2)],
                    ).fetchall()
                }
                short = [(x, wanted) for x, wanted in short if x in ever]
            older: list[ExerciseLog] = []
            if short:
                picks = " UNION ALL ".join(
                    "SELECT * FROM (SELECT DISTINCT entries.exercise, sessions.id, sessions.date "
                    "FROM entries JOIN sessions ON sessions.id = entries.session_id "
                    "JOIN profiles ON profiles.id = sessions.profile_id WHERE profiles.name = ? "
                    "AND entries.exercise = ? AND sessions.date < ? "
                    "ORDER BY sessions.date DESC, sessions.id DESC LIMIT ?)"
                    for _ in short
                )
                params: list[Any] = []
                for exercise, wanted in short:
                    params += [profile, exercise, since.isoformat(), wanted]
                pairs = {(x, int(s)) for x, s, _ in db.execute(picks, params).fetchall()}
                if pairs:
                    sessions = sorted({s for _, s in pairs})
                    exercises_ = sorted({x for x, _ in pairs})
                    older = [
                        log
                        for log in self._exercise_logs(
                            db,
                            f"entries.session_id IN ({','.join('?' * len(sessions))}) "
                            f"AND entries.exercise IN ({','.join('?' * len(exercises_))})",
                            (*sessions, *exercises_),
                        )
                        if (log.exercise, log.session_id) in pairs
                    ]
        for log in older + recent:  # the older ones come first: dated before `since`
            found[log.exercise].append(log)
        return found

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


def _ever_logged(db: sqlite3.Connection, exercise: str) -> bool:
    found = db.execute("SELECT 1 FROM entries WHERE exercise = ? LIMIT 1", (exercise,))
    return found.fetchone() is not None
