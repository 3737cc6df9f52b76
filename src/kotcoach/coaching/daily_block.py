"""What `today` (on the terminal and the phone), `next` and `start` add for a condition's
protocol: the daily block of exercises kept at their own frequency. The decisions are
`kotcoach.coaching.stages` and `.protocols` (pure); this reads the store and the catalogue for
them.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import replace
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from kotcoach.coaching.coach import Decision, Index
    from kotcoach.coaching.protocols import BlockItem
    from kotcoach.store import PlannedExercise, Programme, Store

BlockRow = tuple["BlockItem", "PlannedExercise | None", "Decision"]


def short_name(name: str) -> str:
    """'Patellar tendinopathy (jumper's knee)' -> 'Patellar tendinopathy'."""
    return name.split(" (")[0]


def sources(keys: Sequence[str]) -> str:
    """Reference keys as people cite them: 'purdam2004' -> 'Purdam 2004'."""
    cited = []
    for key in keys:
        found = re.fullmatch(r"([a-z-]+?)(\d{4})", key)
        cited.append(f"{found.group(1).capitalize()} {found.group(2)}" if found else key)
    return ", ".join(cited)


def block_exercises(
    index: Index, conditions: Sequence[str], programme: Programme | None
) -> list[tuple[PlannedExercise, Any, str | None]]:
    """The daily block's exercises as planned: each condition's protocol, then the programme's
    exercises done a few days a week (`per_week`), with their frequency and condition."""
    from kotcoach.store import PlannedExercise

    # The protocols' records are imported only when there is a block: most mornings none.
    found: list[tuple[PlannedExercise, Any, str | None]] = []
    for condition_id in conditions:
        from kotcoach.catalogue.staging import protocol_of
        from kotcoach.coaching.protocols import Frequency, frequency_text

        condition = index.conditions.get(condition_id)
        protocol = protocol_of(condition.protocol) if condition is not None else None
        if condition is None or protocol is None:
            continue
        step = index.exercise(protocol.exercise)
        detail: dict[str, Any] = {"sets": protocol.sets, "per_side": protocol.per_side}
        for field in ("reps", "hold_seconds", "minutes"):
            if getattr(protocol, field) is not None:
                detail[field] = getattr(protocol, field)
        frequency = Frequency(protocol.per_day, protocol.days_per_week)
        planned = PlannedExercise(
            id=step.id,
            name=step.name,
            dose=_describe(detail),
            dose_detail=detail,
            key_cue=protocol.note or step.cues[0],
        )
        why = f"{frequency_text(frequency)} ({sources(protocol.references)})"
        found.append((planned, (frequency, why), short_name(condition.name)))
    seen = {planned.id for planned, _, _ in found}
    for session in programme.sessions if programme is not None else ():
        for planned in session.exercises:
            step = index.exercise(planned.id)
            per_week = step.per_week
            if per_week is None or planned.id in seen:
                continue
            from kotcoach.coaching.protocols import Frequency, frequency_text

            seen.add(planned.id)
            frequency = Frequency(1, per_week)
            scheme = step.rep_scheme
            cited = sources(scheme.references) if scheme is not None else "the catalogue"
            found.append((planned, (frequency, f"{frequency_text(frequency)} ({cited})"), None))
    return found


def _describe(detail: dict[str, Any]) -> str:
    from kotcoach.store import Target

    return Target.from_dose(detail).describe()


def block_rows(
    profile: str,
    store: Store,
    on: dt.date,
    planned: Sequence[tuple[PlannedExercise, Any, str | None]],
    rows: Sequence[tuple[PlannedExercise, PlannedExercise | None, Decision]],
) -> list[BlockRow]:
    """The block for `on` from its `planned` exercises (`block_exercises`) and the coach's
    `rows` for them, decided as a session's (`coaching.today.block_on`): each exercise with the
    coach's decision (a step or dose it moved to, None when it is left out) and how many
    rounds are done and due."""
    from kotcoach.coaching.protocols import block_item

    since = on - dt.timedelta(days=7)
    block: list[BlockRow] = []
    for (plan, (frequency, why), condition), (_, coached, decision) in zip(
        planned, rows, strict=True
    ):
        exercise_id = coached.id if coached is not None else plan.id
        sets_by_day: dict[dt.date, int] = {}
        for log in store.exercise_history(profile, exercise_id, since=since):
            sets_by_day[log.date] = sets_by_day.get(log.date, 0) + len(log.sets)
        shown = coached or plan
        sets = int(shown.dose_detail.get("sets", 1))
        item = block_item(exercise_id, shown.name, sets, frequency, sets_by_day, on, "", condition)
        if item.due:
            item = replace(item, why=why)
        block.append((item, coached, decision))
    return block


def block_json(block: Sequence[BlockRow]) -> list[dict[str, Any]]:
    return [
        {
            "id": item.exercise_id,
            "name": item.name,
            "condition": item.condition,
            "dose": coached.dose if coached else None,
            "dose_detail": coached.dose_detail if coached else None,
            "per_day": item.frequency.per_day,
            "days_per_week": item.frequency.days_per_week,
            "rounds_done": item.rounds_done,
            "rounds_left": item.rounds_left,
            "due": item.due,
            "why": item.why,
            "decision": decision.kind.value,
            "reason": decision.reason,
        }
        for item, coached, decision in block
    ]


def block_lines(block: Sequence[BlockRow]) -> list[str]:
    """The block in words, one line an exercise."""
    if not block:
        return []
    lines = ["Daily block, on rest days too:"]
    for item, coached, decision in block:
        if coached is None:
            lines.append(f"  {item.name}: left out today: {decision.reason}")
            continue
        rounds = f"{item.rounds_done} of {item.frequency.per_day} done today"
        note = f" ({coached.key_cue})" if item.condition is not None else ""
        if item.due:
            lines.append(f"  {coached.name} {coached.dose}{note}, {item.why}: {rounds}")
        else:
            lines.append(f"  {coached.name}: not today, {item.why}")
    return lines
