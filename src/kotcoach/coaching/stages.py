"""Tendinopathy in stages: which stage the log has reached, and what the next one needs. Pure.

A condition's `stages` in the catalogue (e.g. isometric holds, heavy slow loading, energy storage,
return to sport: the framework of Malliaras et al. 2015) each name their exercises and, after the
first, the criteria to enter them: the last N sessions of the stage before done in full at pain
during at most 3/10 and settled by the next morning, after some weeks in that stage, and perhaps a
calf-raise count. The first stage's sessions include the condition's daily protocol exercise (and
its ladder), which runs from day one.

Stages only go forward here: a flare is the coach's to handle (down, pause, referral), not a reason
to forbid what the person has already shown they can do. Exercises of a stage not reached yet are
"not yet" for the person, with what it takes to get there.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from kotcoach.store.records import Assessment, Checkin, EntryLog, ExerciseLog, Status

# The stages' records (kotcoach.catalogue.staging) are imported only for a condition that has
# them: most mornings have none.
if TYPE_CHECKING:
    import datetime as dt

    from kotcoach.catalogue.staging import Entry, Stage
    from kotcoach.coaching.coach import Index, Person
    from kotcoach.store import Store

GREEN_MAX = 2  # next-morning pain allowed without an earlier check-in to compare with
BASELINE_DAYS = 7  # a check-in older than this before a session is no baseline for it


@dataclass(frozen=True)
class Session:
    """One logged session of an exercise: its day, pain during (None: not scored), done in full."""

    day: date
    exercise_id: str
    pain_during: int | None
    in_full: bool


@dataclass(frozen=True)
class StageStatus:
    """Where a person is: the stage reached (0-based), since when, and for the next stage what
    is met and what is still needed."""

    stages: tuple[Stage, ...]
    current: int
    since: date | None
    met: tuple[str, ...] = ()
    needs: tuple[str, ...] = ()
    not_yet: Mapping[str, str] = field(default_factory=dict)

    @property
    def stage(self) -> Stage:
        return self.stages[self.current]

    @property
    def next(self) -> Stage | None:
        following = self.current + 1
        return self.stages[following] if following < len(self.stages) else None


def settled(session_day: date, mornings: Mapping[date, int]) -> bool | None:
    """Whether the morning after `session_day` was no worse than the last check-in up to it (in
    the week before), or than 2/10 without one; None without a check-in that morning."""
    after = mornings.get(session_day + timedelta(days=1))
    if after is None:
        return None
    baseline = None
    for back in range(BASELINE_DAYS + 1):
        found = mornings.get(session_day - timedelta(days=back))
        if found is not None:
            baseline = found
            break
    return after <= (baseline if baseline is not None else GREEN_MAX)


def current_stage(
    stages: Sequence[Stage],
    sessions: Sequence[Session],
    mornings: Mapping[date, int],
    on: date,
    first_pool: Collection[str] = (),
    calf_raises: Sequence[tuple[date, str | None, float]] = (),
) -> StageStatus:
    """The stage reached by `on`, from the sessions and check-ins up to it.

    `sessions`: the logged sessions of any exercise (only those of each stage's exercises
    count). `mornings`: the worst next-morning pain over the condition's areas, by day.
    `first_pool`: more exercises counted as the first stage's (the daily protocol's ladder).
    `calf_raises`: single-leg calf-raise test results (date, side, reps).
    """
    from kotcoach.catalogue.staging import not_yet_reason

    stages = tuple(stages)
    mine = sorted((s for s in sessions if s.day <= on), key=lambda s: s.day)
    seen = [s.day for s in mine if s.exercise_id in _pool(stages, 0, first_pool)]
    current, since = 0, (seen[0] if seen else None)
    needs: tuple[str, ...] = ()
    met: tuple[str, ...] = ()
    while current + 1 < len(stages):
        reached, met, needs = _entered(
            stages, current + 1, mine, mornings, on, since, first_pool, calf_raises
        )
        if reached is None:
            break
        current, since = current + 1, reached
        met, needs = (), ()
    not_yet = {
        exercise: not_yet_reason(stages, later)
        for later in range(current + 1, len(stages))
        for exercise in stages[later].exercises
    }
    return StageStatus(stages, current, since, met, needs, not_yet)


def _pool(stages: Sequence[Stage], index: int, first_pool: Collection[str]) -> set[str]:
    pool = set(stages[index].exercises)
    if index == 0:
        pool |= set(first_pool)
    return pool


def _entered(
    stages: Sequence[Stage],
    target: int,
    sessions: Sequence[Session],
    mornings: Mapping[date, int],
    on: date,
    since: date | None,
    first_pool: Collection[str],
    calf_raises: Sequence[tuple[date, str | None, float]],
) -> tuple[date | None, tuple[str, ...], tuple[str, ...]]:
    """The day stage `target` was entered (None: not yet), with the criteria met and those
    still needed as of `on`."""
    from kotcoach.catalogue.staging import stage_label

    entry = stages[target].entry
    assert entry is not None
    before = stage_label(stages, target - 1).split(":")[0].strip().lower()
    pool = _pool(stages, target - 1, first_pool)
    mine = [s for s in sessions if s.exercise_id in pool and (since is None or s.day >= since)]
    # Each day once: a day's sessions pass when all of them do, at the day's worst pain.
    days: dict[date, list[Session]] = {}
    for session in mine:
        days.setdefault(session.day, []).append(session)
    ordered = sorted(days)
    for position in range(entry.sessions - 1, len(ordered)):
        window = ordered[position - entry.sessions + 1 : position + 1]
        last = window[-1]
        ready = last if not entry.settled else last + timedelta(days=1)
        if ready > on:
            break
        if _passes(entry, window, days, mornings) and _long_enough(entry, since, last):
            best = _calf_best(calf_raises, ready)
            if entry.calf_raise_reps is None or (
                best is not None and best >= entry.calf_raise_reps
            ):
                return ready, (), ()
    return None, *_progress(entry, before, ordered, days, mornings, since, on, calf_raises)


def _passes(
    entry: Entry,
    window: Sequence[date],
    days: Mapping[date, Sequence[Session]],
    mornings: Mapping[date, int],
) -> bool:
    for day in window:
        for session in days[day]:
            if session.pain_during is None or session.pain_during > entry.pain_during_max:
                return False
            if not session.in_full:
                return False
        if entry.settled and settled(day, mornings) is not True:
            return False
    return True


def _long_enough(entry: Entry, since: date | None, last: date) -> bool:
    return since is not None and (last - since).days >= entry.weeks * 7


def _calf_best(results: Sequence[tuple[date, str | None, float]], by: date) -> float | None:
    """The weaker side's best single-leg calf-raise count up to `by` (both sides needed)."""
    best: dict[str | None, float] = {}
    for day, side, value in results:
        if day <= by:
            best[side] = max(best.get(side, 0.0), value)
    if "left" in best and "right" in best:
        return min(best["left"], best["right"])
    return None


def _progress(
    entry: Entry,
    before: str,
    ordered: Sequence[date],
    days: Mapping[date, Sequence[Session]],
    mornings: Mapping[date, int],
    since: date | None,
    on: date,
    calf_raises: Sequence[tuple[date, str | None, float]],
) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """What is met and what is missing for the entry, in words with today's numbers."""
    met: list[str] = []
    needs: list[str] = []
    recent = [day for day in ordered if day <= on][-entry.sessions :]
    sessions_text = f"{entry.sessions} sessions of {before}"
    if len(recent) < entry.sessions:
        needs.append(
            f"{sessions_text} at pain during {entry.pain_during_max}/10 or less, done in full"
            + (", each settled by the next morning" if entry.settled else "")
            + f" ({len(recent)} logged so far)"
        )
    else:
        worst = max(
            (s.pain_during if s.pain_during is not None else 11)
            for day in recent
            for s in days[day]
        )
        pain_ok = worst <= entry.pain_during_max
        shown = "not scored" if worst == 11 else f"{worst}/10"
        text = f"pain during {entry.pain_during_max}/10 or less on the last {sessions_text}"
        (met if pain_ok else needs).append(f"{text} (worst: {shown})")
        full = all(s.in_full for day in recent for s in days[day])
        (met if full else needs).append(f"the last {sessions_text} done in full")
        if entry.settled:
            missing = [d for d in recent if settled(d, mornings) is None]
            worse = [d for d in recent if settled(d, mornings) is False]
            if worse:
                needs.append(f"settled by the next morning (not after {worse[-1].isoformat()})")
            elif missing:
                after = (missing[-1] + timedelta(days=1)).isoformat()
                needs.append(f"a next-morning check-in on {after}")
            else:
                met.append("each settled by the next morning")
    if entry.weeks:
        so_far = 0 if since is None else max(0, (on - since).days) // 7
        text = f"{entry.weeks} weeks in {before}"
        (met if so_far >= entry.weeks else needs).append(f"{text} ({so_far} so far)")
    if entry.calf_raise_reps is not None:
        best = _calf_best(calf_raises, on)
        text = (
            f"{entry.calf_raise_reps} single-leg calf raises each side (kotcoach test calf-raise)"
        )
        shown = "not tested on both sides" if best is None else f"weaker side {best:g}"
        ok = best is not None and best >= entry.calf_raise_reps
        (met if ok else needs).append(f"{text}: {shown}")
    return tuple(met), tuple(needs)


# --- from the store's records --------------------------------------------------------------


def sessions_of(logs: Sequence[ExerciseLog | EntryLog]) -> list[Session]:
    """The store's logged exercises as stage sessions: done in full when every target set
    reached the target's amount (stopped or skipped never is)."""
    found = []
    for log in logs:
        if isinstance(log, EntryLog):
            amounts = list(log.done)
        else:
            amounts = [
                s.amount.reps or s.amount.hold_seconds or s.amount.minutes or 0 for s in log.sets
            ]
        if not amounts and log.status is Status.DONE:
            continue
        target = log.target
        if target is None:
            full = bool(amounts)
        else:
            wanted = target.amount.reps or target.amount.hold_seconds or target.amount.minutes or 0
            full = sum(1 for amount in amounts if amount >= wanted) >= target.sets
        full = full and log.status is Status.DONE
        found.append(Session(log.date, log.exercise, log.pain_during, full))
    return found


def worst_mornings(checkins: Sequence[Checkin], areas: Collection[str]) -> dict[date, int]:
    """Each day's worst check-in pain over `areas`."""
    worst: dict[date, int] = {}
    for checkin in checkins:
        if checkin.area in areas:
            worst[checkin.date] = max(worst.get(checkin.date, 0), checkin.pain)
    return worst


def status_of(
    stages: Sequence[Stage],
    areas: Collection[str],
    logs: Sequence[ExerciseLog | EntryLog],
    checkins: Sequence[Checkin],
    assessments: Sequence[Assessment],
    on: date,
    first_pool: Collection[str] = (),
) -> StageStatus:
    """`current_stage` from the store's records: the condition's areas' mornings, and the
    single-leg calf-raise tests."""
    calf = [(a.date, a.side, a.value) for a in assessments if a.test == "calf-raise"]
    return current_stage(
        stages,
        sessions_of(logs),
        worst_mornings(checkins, {str(a) for a in areas}),
        on,
        first_pool,
        calf,
    )


def stage_json(condition_id: str, name: str, status: StageStatus) -> dict[str, Any]:
    """A condition's stage as `today --json` and `next --json` give it under `stage`."""
    from kotcoach.catalogue.staging import stage_label

    following = status.next
    entry = following.entry if following is not None else None
    return {
        "condition": condition_id,
        "name": name,
        "number": status.current + 1,
        "of": len(status.stages),
        "id": status.stage.id,
        "title": stage_label(status.stages, status.current),
        "since": status.since.isoformat() if status.since else None,
        "next": None
        if following is None or entry is None
        else {
            "id": following.id,
            "title": stage_label(status.stages, status.current + 1),
            "needs": list(status.needs),
            "met": list(status.met),
            "pain": entry.pain,
            "strength": entry.strength,
        },
    }


def stage_lines(name: str, status: StageStatus) -> list[str]:
    """The stage in words: where the person is, and what the next stage needs."""
    from kotcoach.catalogue.staging import stage_label

    here = stage_label(status.stages, status.current)
    lines = [f"{name}: {here} ({status.current + 1} of {len(status.stages)})."]
    following = status.next
    if following is not None:
        title = stage_label(status.stages, status.current + 1)
        needs = "; ".join(status.needs) or "all met: it opens after the next check-in"
        lines.append(f"Next, {title}, needs: {needs}.")
        if status.met:
            lines.append(f"Already met: {'; '.join(status.met)}.")
    return lines


# --- for the commands: every staged condition of a person ------------------------------------

Staged = tuple[str, str, StageStatus]  # condition id, its short name, where the person is


def staged(
    index: Index, store: Store, profile: str, conditions: Sequence[str], on: dt.date
) -> list[Staged]:
    """Each of the person's conditions that runs in stages, with the stage reached by `on`."""
    if not any(_stages(index, condition_id) for condition_id in conditions):
        return []
    logs = [log for log in store.exercise_history(profile) if log.date <= on]
    return staged_from(
        index, conditions, logs, store.checkins(profile), store.assessments(profile), on
    )


def _stages(index: Index, condition_id: str) -> tuple[Stage, ...]:
    from kotcoach.catalogue.staging import stages_of

    condition = index.conditions.get(condition_id)
    return stages_of(condition.stages if condition is not None else ())


def staged_from(
    index: Index,
    conditions: Sequence[str],
    logs: Sequence[ExerciseLog | EntryLog],
    checkins: Sequence[Checkin],
    assessments: Sequence[Assessment],
    on: dt.date,
) -> list[Staged]:
    """`staged` from records already read (`progress` reads the whole log once)."""
    from kotcoach.catalogue.staging import protocol_of

    found: list[Staged] = []
    for condition_id in conditions:
        condition = index.conditions.get(condition_id)
        stages = _stages(index, condition_id)
        if condition is None or not stages:
            continue
        protocol = protocol_of(condition.protocol)
        pool: tuple[str, ...] = ()
        if protocol is not None:
            pool = tuple(step.id for step in index.ladder_of(protocol.exercise).steps)
        areas = [str(area) for area in condition.areas]
        status = status_of(stages, areas, logs, checkins, assessments, on, pool)
        found.append((condition_id, condition.name.split(" (")[0], status))
    return found


def with_stages(person: Person, found: Sequence[Staged]) -> Person:
    """The person with every exercise of a stage not reached yet marked to wait."""
    waits: dict[str, str] = {}
    for _, name, status in found:
        for exercise, why in status.not_yet.items():
            waits.setdefault(exercise, f"{why} ({name.lower()})")
    return replace(person, not_yet=waits) if waits else person


def staged_json(found: Sequence[Staged]) -> list[dict[str, Any]]:
    """`stage` in `today --json` and `next --json`: one object a staged condition."""
    return [stage_json(condition_id, name, status) for condition_id, name, status in found]


def staged_lines(found: Sequence[Staged]) -> list[str]:
    return [line for _, name, status in found for line in stage_lines(name, status)]
