"""Plans and ladders as plain JSON-ready data. Pure: no I/O."""

from __future__ import annotations

from typing import Any

from kotcoach.catalogue.ladders import Ladder, move_down_when, move_up_when
from kotcoach.coaching.planner import Item, Plan, Session


def ladder_json(ladder: Ladder) -> list[dict[str, Any]]:
    last = len(ladder.steps) - 1
    return [
        {
            "id": step.id,
            "level": step.level.value,
            "dose": step.dose.describe() if step.dose else None,
            "move_up": move_up_when(step, position < last),
            "move_down": move_down_when(position > 0, step),
        }
        for position, step in enumerate(ladder.steps)
    ]


def item_json(item: Item) -> dict[str, Any]:
    return {
        "id": item.exercise.id,
        "name": item.exercise.name,
        "level": item.exercise.level.value,
        "dose": item.dose.describe(),
        "dose_detail": item.dose.as_json(),
        "minutes": round(item.seconds / 60, 1),
        "key_cue": item.key_cue,
        "changes": list(item.changes),
        "cautions": list(item.cautions),
        "held": item.held,
    }


def session_json(session: Session) -> dict[str, Any]:
    return {
        "day": session.day,
        "minutes": session.minutes,
        "warm_up": item_json(session.warm_up) if session.warm_up else None,
        "exercises": [item_json(item) for item in session.items],
    }


def plan_json(plan: Plan) -> dict[str, Any]:
    request = plan.request
    return {
        "referral": plan.referral,
        "level": request.level.value,
        "days": request.session_days,
        "minutes": request.session_minutes,
        "equipment": sorted(e.value for e in request.equipment),
        "goals": [g.value for g in request.goals],
        "pain": {area.value: score for area, score in request.pain.items()},
        "conditions": list(request.conditions),
        "pain_rules": list(plan.pain_rules),
        "left_out": list(plan.left_out),
        "notes": list(plan.notes),
        "sessions": [session_json(s) for s in plan.sessions],
        "weeks": [
            {"week": week.number, "sessions": [session_json(s) for s in week.sessions]}
            for week in plan.weeks
        ],
    }
