"""What the web pages read from and write to the training log, with the CLI's own rules.

Every page reads through the same functions as the CLI (`coaching.today`): today's session is
the one `kotcoach today` shows, decided by the same coach. Every result a phone sends is written
the moment it arrives, each in its own transaction, by the store's own calls (`log_set`,
`set_pain_during`, `set_status`, `set_pain_after`), as the terminal session does.

A phone that lost its connection sends again what it is not sure was saved, so every write here
is safe to repeat: a set carries its number in the exercise (the 2nd set is logged once however
often it arrives), pain scores keep the highest report, and a skip is a status.

Each worker thread keeps one connection to the log open, and the day's session plan is kept
between requests (`session_plan`): that is what makes a page or a set a few milliseconds.
"""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kotcoach.base.errors import KotcoachError
from kotcoach.base.vocab import MAX_PAIN_DURING, Area

if TYPE_CHECKING:
    from kotcoach.catalogue.ladders import Index
    from kotcoach.coaching.session.machine import Planned
    from kotcoach.store import Checkin, SessionLog, Store, Target, Today

MEASURES = ("reps", "hold_seconds", "minutes")
# The session page's data, the ids of its exercises still to do, and the coach's referral.
Plan = tuple[dict[str, Any] | None, tuple[str, ...], str | None]
RESEND_DAYS = 2  # results kept on a phone may arrive this many days late (past midnight)
HISTORY_SESSIONS = 20


class Refused(KotcoachError):
    """A result the log cannot take as sent (the message says why); the phone drops it."""


class Gap(Refused):
    """A set whose earlier sets are not in the log (409). The phone sends in order, so this means
    an earlier set was refused; this one cannot be placed either, and the phone says so."""


class Catalogue:
    """The catalogue the server was started with, read once and shared by every request."""

    def __init__(self, path: Path) -> None:
        self._path = path
        self._index: Index | None = None
        self._lock = threading.Lock()

    def path(self) -> Path:
        return self._path

    def index(self) -> Index:
        with self._lock:
            if self._index is None:
                from kotcoach.catalogue.read import load_index

                self._index = load_index(self._path)
            return self._index


@dataclass(frozen=True)
class Trainee:
    """One profile with the server's catalogue: what the coaching functions ask for."""

    profile: str
    catalogue: Catalogue

    def path(self) -> Path:
        return self.catalogue.path()

    def index(self) -> Index:
        return self.catalogue.index()


class Logbook:
    """Reads and writes for the pages of one server: the catalogue, and a lock that makes each
    check-then-write of a resent set whole within this process."""

    def __init__(self, catalogue: Catalogue, clock: Callable[[], dt.date] = dt.date.today):
        self.catalogue = catalogue
        self.clock = clock
        self._write = threading.Lock()
        self._local = threading.local()
        self._opened: list[Store] = []
        self._opened_lock = threading.Lock()
        self._plans: dict[tuple[str, str], Plan] = {}
        self._cache_lock = threading.Lock()
        # Bumped when the log changed under us (every plan is forgotten), and per profile by our
        # own writes: a plan worked out while its profile was written to is not kept.
        self._generation = 0
        self._profile_generation: dict[str, int] = {}
        self._seen: tuple[tuple[int, int], ...] = ()
        # What each session's exercises were asked to be, as the session page showed them: the
        # name and target stored with a set. Filled by `session_page`; rebuilt after a restart.
        self._asked: dict[tuple[str, str, int], dict[str, tuple[str, Target]]] = {}

    def who(self, profile: str) -> Trainee:
        return Trainee(profile, self.catalogue)

    # --- the log, one connection per worker thread ---------------------------------------------

    @contextmanager
    def store(self) -> Iterator[Store]:
        """This thread's connection to the log, opened once and kept: closing the last
        connection to a log in WAL mode checkpoints it, which cost each request ~15 ms. Before the
        log exists, an empty one that makes nothing (reading never creates the log)."""
        from kotcoach.store import Store, database_path

        found: Store | None = getattr(self._local, "store", None)
        if found is None:
            if not database_path().exists():
                with Store.open() as empty:
                    yield empty
                return
            found = Store.open(write=True)
            self._local.store = found
            with self._opened_lock:
                self._opened.append(found)
        yield found

    @contextmanager
    def writing(self) -> Iterator[Store]:
        """The connection for a write, made on the first one; one write at a time in this
        process, so that a resent set's check and its write are one step."""
        from kotcoach.store import Store

        with self._write:
            if getattr(self._local, "store", None) is None:
                Store.open(write=True).close()  # makes the log, its folder and schema
            with self.store() as store:
                yield store

    def close(self) -> None:
        """Close every thread's connection (when the server stops)."""
        with self._opened_lock:
            for store in self._opened:
                store.close()
            self._opened.clear()

    def profiles(self) -> list[dict[str, Any]]:
        """Every profile in the log, each with whether it has a programme."""
        with self.store() as store:
            return [
                {"name": p.name, "programme": store.programme(p.name) is not None}
                for p in store.profiles()
            ]

    def known_profile(self, name: str) -> bool:
        with self.store() as store:
            return store.profile(name) is not None

    # --- reading --------------------------------------------------------------------------------

    def today(self, profile: str) -> tuple[Today | None, dict[str, Any] | None]:
        """Today's coached session and its JSON, exactly as `kotcoach today --json` gives it;
        (None, None) without a programme."""
        from kotcoach.coaching.today import (
            TodayPage,
            coached_today,
            protocol_parts,
            today_json,
            upcoming_session,
        )

        on = self.clock()
        who = self.who(profile)
        with self.store() as store:
            today, rows, referral = coached_today(who, store, on)
            if today is None:
                return None, None
            found, block = protocol_parts(who, store, on, today, rows)
            upcoming = upcoming_session(store, today, on)
        page = TodayPage.of(today, upcoming)
        return today, today_json(page, rows=rows, referral=referral, stages=found, block=block)

    def session_plan(self, profile: str) -> Plan:
        """The guided session's data for the page (None without a programme), the ids of its
        exercises still to do, and the coach's referral.

        Kept between requests: the coach's decisions for a day stand once made (an exercise
        logged today keeps the morning's decision), so a set, a skip or a pain score sent from a
        phone only moves the session on (`_moved_on`). A check-in, or any write by another
        program (the log's files change under us), makes it decide again."""
        on = self.clock()
        key = (profile, on.isoformat())
        with self._cache_lock:
            self._check_version()
            found = self._plans.get(key)
        if found is not None:
            return found
        return self._plan_and_keep(profile, on)

    def _stamp(self, profile: str) -> tuple[int, int]:
        return self._generation, self._profile_generation.get(profile, 0)

    def _plan_and_keep(self, profile: str, on: dt.date) -> Plan:
        with self._cache_lock:
            stamp = self._stamp(profile)
        plan = self._compute_plan(profile, on)
        with self._cache_lock:
            if stamp == self._stamp(profile):  # nothing was written while it was worked out
                self._plans[(profile, on.isoformat())] = plan
        return plan

    def _version(self) -> tuple[tuple[int, int], ...]:
        from kotcoach.store import database_path

        path = database_path()
        found = []
        for file in (path, path.with_name(path.name + "-wal")):
            try:
                stat = file.stat()
            except FileNotFoundError:
                continue
            found.append((stat.st_mtime_ns, stat.st_size))
        return tuple(found)

    def _check_version(self) -> None:
        """Forget every kept plan when the log's files changed other than by our own writes."""
        now = self._version()
        if now != self._seen:
            self._plans.clear()
            self._generation += 1
            self._seen = now

    def _moved_on(
        self, profile: str, on: dt.date, slot: int, exercise: str, sets: int | None
    ) -> None:
        """After our own write: the kept plan with `exercise` at `sets` sets done (None: it is
        finished: skipped, or stopped for pain). Called with the write lock held."""
        key = (profile, on.isoformat())
        with self._cache_lock:
            self._profile_generation[profile] = self._profile_generation.get(profile, 0) + 1
            found = self._plans.get(key)
            if found is not None and found[0] is not None and found[0]["slot"] == slot:
                data, referral = found[0], found[2]
                exercises = []
                for item in data["exercises"]:
                    if item["id"] == exercise:
                        if sets is None or sets >= item["sets"]:
                            continue  # finished: the page and `today` leave it out
                        item = item | {"already_done": max(item["already_done"], sets)}
                    exercises.append(item)
                if exercises:  # a new plan: a page being drawn from the old one keeps it whole
                    self._plans[key] = (data | {"exercises": exercises}, found[1], referral)
                else:
                    del self._plans[key]  # the session is done: `today` moves to the next one
            elif found is not None:
                del self._plans[key]
            self._seen = self._version()

    def _forget(self, profile: str) -> None:
        """After our own write that may change the coach's decisions (a check-in)."""
        with self._cache_lock:
            self._profile_generation[profile] = self._profile_generation.get(profile, 0) + 1
            for key in [k for k in self._plans if k[0] == profile]:
                del self._plans[key]
            self._seen = self._version()

    def _compute_plan(self, profile: str, on: dt.date) -> Plan:
        from kotcoach.coaching.session.logbook import planned_for_today
        from kotcoach.coaching.today import coached_today

        with self.store() as store:
            today, _, referral = coached_today(self.who(profile), store, on)
        if today is None:
            return None, (), referral
        planned = planned_for_today(today, self._describe)
        self._asked[(profile, on.isoformat(), today.slot)] = _asked(planned)
        data = {
            "profile": profile,
            "date": on.isoformat(),
            "slot": today.slot,
            "exercises": [
                {
                    "id": p.id,
                    "name": p.name,
                    "cues": list(p.cues),
                    "sets": p.sets,
                    "already_done": p.already_done,
                    "measure": p.target.measure,
                    "target": p.target.value,
                    "per_side": p.per_side,
                    "rest_seconds": p.rest_seconds,
                    "warm_up": p.warm_up,
                    "cautions": list(p.cautions),
                }
                for p in planned
            ],
        }
        return data, tuple(p.id for p in planned), referral

    def _describe(self, exercise_id: str) -> tuple[tuple[str, ...], int]:
        from kotcoach.base.vocab import Level
        from kotcoach.coaching.planner import REST_SECONDS

        found = self.catalogue.index().by_id.get(exercise_id)
        if found is None:
            return (), REST_SECONDS[Level.BEGINNER]
        return tuple(found.cues), REST_SECONDS[found.level]

    def checkin_areas(self, profile: str) -> list[str]:
        """The areas the profile's programme loads (every area without one), in the usual order."""

        with self.store() as store:
            programme = store.programme(profile)
        if programme is None:
            return [a.value for a in Area]
        index = self.catalogue.index()
        loaded: set[str] = set()
        for session in programme.sessions:
            for exercise in session.exercises:
                found = index.by_id.get(exercise.id)
                if found is not None:
                    loaded.update(str(a) for a in found.areas)
        return [a.value for a in Area if a.value in loaded] or [a.value for a in Area]

    def history(self, profile: str) -> list[SessionLog]:

        with self.store() as store:
            return store.sessions(profile, last=HISTORY_SESSIONS)

    # --- writing, one transaction a result -----------------------------------------------------

    def log_set(
        self,
        profile: str,
        on: dt.date,
        slot: int,
        exercise: str,
        number: int,
        measure: str,
        value: int,
        load_kg: float | None = None,
    ) -> bool:
        """Log set `number` of `exercise` (at `load_kg` kg per rep, for a loaded step); False
        when it was logged already (a resend)."""
        from kotcoach.store import Amount

        self._check_day(on)
        amount = Amount(**{measure: value})
        with self.writing() as store:
            logged = _sets_logged(store, profile, on, slot, exercise)
            if number <= logged:
                return False
            if number > logged + 1:
                raise Gap(f"set {number} of {exercise} came before set {logged + 1}")
            name, target = self._asked_of(store, profile, on, slot).get(exercise, (None, None))
            if name is None and logged == 0:
                raise Refused(f"{exercise} is not in that day's session")
            session_id = store.begin_session(profile, on, slot)
            store.log_set(session_id, exercise, amount, name=name, target=target, load_kg=load_kg)
            self._moved_on(profile, on, slot, exercise, number)
        return True

    def pain_during(self, profile: str, on: dt.date, slot: int, exercise: str, pain: int) -> None:

        self._check_day(on)
        with self.writing() as store:
            session_id = store.begin_session(profile, on, slot)
            store.set_pain_during(session_id, exercise, pain)
            self._moved_on(profile, on, slot, exercise, None if pain > MAX_PAIN_DURING else 0)

    def skip(self, profile: str, on: dt.date, slot: int, exercise: str) -> None:
        from kotcoach.store import Status

        self._check_day(on)
        with self.writing() as store:
            name, target = self._asked_of(store, profile, on, slot).get(exercise, (None, None))
            session_id = store.begin_session(profile, on, slot)
            store.set_status(session_id, exercise, Status.SKIPPED, name=name, target=target)
            self._moved_on(profile, on, slot, exercise, None)

    def pain_after(self, profile: str, on: dt.date, slot: int, pain: int) -> None:

        self._check_day(on)
        with self.writing() as store:
            store.set_pain_after(store.begin_session(profile, on, slot), pain)
            self._moved_on(profile, on, slot, "", 0)

    def checkin(
        self, profile: str, pain: Mapping[str, int], stiffness: Mapping[str, int]
    ) -> tuple[dt.date, list[Checkin], list[str]]:
        """The morning check-in, as `kotcoach checkin` records it, with the same notes."""
        from kotcoach.coaching.today import checkin_notes
        from kotcoach.store.records import check_checkin

        on = self.clock()
        check_checkin(pain, stiffness)
        with self.writing() as store:
            before = {c.area: c for c in store.checkins(profile) if c.date < on}
            saved = store.checkin(profile, on, pain, stiffness)
            self._forget(profile)
        return on, saved, checkin_notes(saved, before)

    def _check_day(self, on: dt.date) -> None:
        today = self.clock()
        if not today - dt.timedelta(days=RESEND_DAYS) <= on <= today:
            raise Refused(f"a result for {on.isoformat()} is too late or in the future")

    def _asked_of(
        self, store: Store, profile: str, on: dt.date, slot: int
    ) -> dict[str, tuple[str, Target]]:
        key = (profile, on.isoformat(), slot)
        if key not in self._asked:
            from kotcoach.coaching.session.logbook import planned_for_today
            from kotcoach.coaching.today import coached_today

            today = coached_today(self.who(profile), store, on)[0]
            if today is None or today.slot != slot:
                return {}  # that session is over: its exercises' entries exist already
            self._asked[key] = _asked(planned_for_today(today, self._describe))
        return self._asked[key]


def _asked(planned: list[Planned]) -> dict[str, tuple[str, Target]]:
    from kotcoach.store import Target

    return {p.id: (p.name, Target(p.sets, p.target, p.per_side)) for p in planned}


def _sets_logged(store: Store, profile: str, on: dt.date, slot: int, exercise: str) -> int:
    for session in store.sessions(profile, since=on):
        if session.date == on and session.slot == slot:
            for log in session.exercises:
                if log.exercise == exercise:
                    return len(log.sets)
    return 0
