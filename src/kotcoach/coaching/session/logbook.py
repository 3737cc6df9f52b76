"""The guided session and the training log: today's exercises in, each result written as it comes.

`planned_for_today` turns the programme's next session (what `kotcoach today` shows) into the
machine's plain list, leaving out what is already logged today and carrying on a half-done
exercise from its next set. `StoreRecorder` writes each set, pain score and skip to the store
in its own transaction the moment the machine reports it; the stored session itself is made on
the first write, so starting and quitting at once leaves nothing behind.
"""

from __future__ import annotations

import datetime as dt
import time
from collections import deque
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from kotcoach.base.errors import StoreError, UsageError
from kotcoach.coaching.session.machine import Ending, Planned, SetDone
from kotcoach.store import Status, Store, Target, Today
from kotcoach.store.connection import BusyError, DiskFullError
from kotcoach.store.db import LogReplacedError
from kotcoach.store.records import describe_kg


def planned_for_today(
    today: Today,
    describe: Callable[[str], tuple[tuple[str, ...], int]],
    loaded: Mapping[str, bool] | None = None,
) -> list[Planned]:
    """The exercises of today's session still to do. `describe(id)` gives an exercise's cues
    and its default rest in seconds (used when the dose names none). `loaded` maps the ids of
    the exercises that carry a load (the catalogue gives them a load step) to whether it is
    per hand: the session asks their load, the one logged today or else the coach's as the
    default."""
    loaded = loaded or {}
    cautions = _cautions(today.programme.plan)
    planned = []
    for exercise in today.session.exercises:
        target = exercise.target
        left = today.sets_left(exercise)  # the one rule for "finished", shared with `today`
        if left == 0:
            continue
        already = max(0, target.sets - left)
        cues, default_rest = describe(exercise.id)
        rest = exercise.dose_detail.get("rest_seconds")
        amount = target.amount
        prescribed = exercise.dose_detail.get("load_kg") if exercise.id in loaded else None
        logged = today.done.get(exercise.id) if exercise.id in loaded else None
        planned.append(
            Planned(
                id=exercise.id,
                name=exercise.name,
                cues=cues or (exercise.key_cue,),
                sets=target.sets,
                target=amount,
                rest_seconds=int(rest) if rest is not None else default_rest,
                per_side=target.per_side,
                already_done=already,
                warm_up=exercise.warm_up,
                cautions=cautions.get(exercise.id, ()),
                loaded=exercise.id in loaded,
                load_kg=None if prescribed is None else float(prescribed),
                per_hand=loaded.get(exercise.id, False),
                load_today=None if logged is None else logged.load_kg,
            )
        )
    return planned


def _cautions(plan: Mapping[str, Any]) -> dict[str, tuple[str, ...]]:
    """Each exercise's cautions in the saved plan (the modifications a condition asks for)."""
    found: dict[str, tuple[str, ...]] = {}
    weeks = plan.get("weeks") or [{"sessions": plan.get("sessions", [])}]
    for week in weeks:
        for session in week.get("sessions", []):
            items = [session.get("warm_up"), *session.get("exercises", [])]
            for item in filter(None, items):
                if item.get("cautions"):
                    found.setdefault(str(item["id"]), tuple(map(str, item["cautions"])))
    return found


RETRY_SECONDS = 1.0  # how often a write the log refused (busy, full) is tried again


@dataclass(frozen=True)
class Unsaved:
    """One write waiting for the log: what it is, in words, and the call that makes it."""

    what: str
    write: Callable[[], object]


class StoreRecorder:
    """Writes the session to the store, one committed transaction per event, in order.

    A write the log refuses (another kotcoach holds its lock, the disk is full) is kept in a
    queue and tried again (`retry`, from the UI's clock) until it goes in; nothing is lost and
    the workout goes on meanwhile. If the log's file was deleted or replaced, or it cannot be
    written at all (damaged, read-only), saving stops (`stopped` says why) and the queue is
    kept, to be written where the person chooses (`save_to`) or shown to them.
    """

    def __init__(
        self,
        store: Store,
        profile: str,
        on: dt.date,
        slot: int | None,
        exercises: Sequence[Planned],
        session_id: int | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.store = store
        self.profile = profile
        self.on = on
        self.slot = slot
        self.exercises = tuple(exercises)
        self.session_id = session_id
        self.clock = clock
        self.pending: deque[Unsaved] = deque()
        # each set written: (position, set number in the session) -> its number in the log
        self.numbers: dict[tuple[int, int], int] = {}
        self.problem: str | None = None  # why the last write did not go in
        self.stopped: str | None = None  # why saving stopped for good (the file is gone)
        self._next_try = 0.0

    @property
    def unsaved(self) -> int:
        return len(self.pending)

    def _queue(self, what: str, write: Callable[[], object]) -> None:
        self.pending.append(Unsaved(what, write))
        self.flush()

    def flush(self) -> None:
        """Write what waits, in order, until the log refuses one."""
        while self.pending and self.stopped is None:
            try:
                self.pending[0].write()
            except LogReplacedError as error:
                self.stopped = str(error)
                return
            except BusyError:
                self.problem = "another kotcoach is writing the training log"
                self._next_try = self.clock() + RETRY_SECONDS
                return
            except DiskFullError as error:  # space may be freed meanwhile: keep trying
                self.problem = str(error)
                self._next_try = self.clock() + RETRY_SECONDS
                return
            except (StoreError, UsageError) as error:  # a damaged or unwritable log, or a
                # take-back the log refuses (the set is no longer its last): trying again won't help
                self.problem = self.stopped = str(error)
                return
            self.pending.popleft()
            self.problem = None

    def retry(self) -> None:
        """Try the waiting writes again, at most once a second."""
        if self.pending and self.stopped is None and self.clock() >= self._next_try:
            self.flush()

    def save_to(self, store: Store) -> None:
        """Write what waits into another store (the log now at the path, once the person chose
        to): a new session there, since the old one went with the old file."""
        self.store, self.session_id, self.stopped = store, None, None
        self.flush()

    def _session(self) -> int:
        if self.session_id is None:
            self.session_id = self.store.begin_session(self.profile, self.on, self.slot)
        return self.session_id

    def _about(self, position: int) -> tuple[str, Target]:
        planned = self.exercises[position]
        return planned.name, Target(planned.sets, planned.target, planned.per_side)

    def set_done(self, done: SetDone) -> None:
        name, target = self._about(done.position)
        amount = done.actual
        load = "" if done.load_kg is None else f" at {describe_kg(done.load_kg)} kg"

        def write() -> None:
            number = self.store.log_set(
                self._session(),
                done.exercise_id,
                amount,
                name=name,
                target=target,
                load_kg=done.load_kg,
            )
            self.numbers[done.position, done.set_number] = number

        self._queue(f"{done.exercise_id}: a set of {amount.describe()}{load}", write)

    def set_undone(self, done: SetDone) -> None:
        """The set taken back from the log: the row `set_done` wrote, and only it. Writes go in
        order, so one still waiting is written first and then taken back."""

        def write() -> None:
            number = self.numbers.pop((done.position, done.set_number))
            if self.store.remove_set(self._session(), done.exercise_id, number):
                self.session_id = None  # it went with its last set: the next write makes one

        self._queue(f"{done.exercise_id}: set {done.set_number} taken back", write)

    def exercise_resumed(self, exercise_id: str, position: int) -> None:
        def write() -> None:
            if self.store.undo_skip(self._session(), exercise_id):
                self.session_id = None

        self._queue(f"{exercise_id}: not skipped after all", write)

    def exercise_pain(self, exercise_id: str, position: int, pain: int) -> None:
        self._queue(
            f"{exercise_id}: pain during {pain}/10",
            lambda: self.store.set_pain_during(self._session(), exercise_id, pain),
        )

    def exercise_ended(self, exercise_id: str, position: int, ending: Ending) -> None:
        name, target = self._about(position)
        status = Status(ending.value)
        self._queue(
            f"{exercise_id}: {status.value}",
            lambda: self.store.set_status(
                self._session(), exercise_id, status, name=name, target=target
            ),
        )

    def session_pain_after(self, pain: int) -> None:
        self._queue(
            f"pain after the session {pain}/10",
            lambda: self.store.set_pain_after(self._session(), pain),
        )
