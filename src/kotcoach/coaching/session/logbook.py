"""The guided session and the training log: today's exercises in, each result written as it comes.

`planned_for_today` turns the programme's next session (what `kotcoach today` shows) into the
machine's plain list, leaving out what is already logged today and carrying on a half-done
exercise from its next set. `StoreRecorder` writes each set, pain score and skip to the store
in its own transaction the moment the machine reports it; the stored session itself is made on
the first write, so starting and quitting at once leaves nothing behind.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from kotcoach.coaching.session.machine import Amount, Ending, Planned, SetDone
from kotcoach.store import Amount as StoredAmount
from kotcoach.store import Status, Store, Target, Today


def planned_for_today(
    today: Today, describe: Callable[[str], tuple[tuple[str, ...], int]]
) -> list[Planned]:
    """The exercises of today's session still to do. `describe(id)` gives an exercise's cues
    and its default rest in seconds (used when the dose names none)."""
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
        planned.append(
            Planned(
                id=exercise.id,
                name=exercise.name,
                cues=cues or (exercise.key_cue,),
                sets=target.sets,
                target=Amount(amount.reps, amount.hold_seconds, amount.minutes),
                rest_seconds=int(rest) if rest is not None else default_rest,
                per_side=target.per_side,
                already_done=already,
                warm_up=exercise.warm_up,
                cautions=cautions.get(exercise.id, ()),
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


class StoreRecorder:
    """Writes the session to the store, one committed transaction per event."""

    def __init__(
        self,
        store: Store,
        profile: str,
        on: dt.date,
        slot: int | None,
        exercises: Sequence[Planned],
        session_id: int | None = None,
    ) -> None:
        self.store = store
        self.profile = profile
        self.on = on
        self.slot = slot
        self.exercises = tuple(exercises)
        self.session_id = session_id

    def _session(self) -> int:
        if self.session_id is None:
            self.session_id = self.store.begin_session(self.profile, self.on, self.slot)
        return self.session_id

    def _about(self, position: int) -> tuple[str, Target]:
        planned = self.exercises[position]
        return planned.name, Target(planned.sets, _stored(planned.target), planned.per_side)

    def set_done(self, done: SetDone) -> None:
        name, target = self._about(done.position)
        self.store.log_set(
            self._session(), done.exercise_id, _stored(done.actual), name=name, target=target
        )

    def exercise_pain(self, exercise_id: str, position: int, pain: int) -> None:
        self.store.set_pain_during(self._session(), exercise_id, pain)

    def exercise_ended(self, exercise_id: str, position: int, ending: Ending) -> None:
        name, target = self._about(position)
        self.store.set_status(
            self._session(), exercise_id, Status(ending.value), name=name, target=target
        )

    def session_pain_after(self, pain: int) -> None:
        self.store.set_pain_after(self._session(), pain)


def _stored(amount: Amount) -> StoredAmount:
    return StoredAmount(amount.reps, amount.hold_seconds, amount.minutes)
