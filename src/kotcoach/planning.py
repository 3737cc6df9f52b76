"""Plans made from only what the planner reads of each exercise, then shown with the whole of
the few exercises a plan holds.

The planner walks every ladder to choose one step from each, so it reads every exercise; but of
each it reads only a few fields (PLANNING_FIELDS: level, equipment, goals, areas, cautions, dose,
...), never the cues, setup, evidence or pose figure that make up most of an exercise. A cache
entry keeps those fields of every exercise as a table of their own (kotcoach.cache, the
'planning' section), so a plan on a 2,000-exercise catalogue builds 2,000 small models, not some
15,000 with their figures. The plan is made by the planner itself, unchanged, from an index of
these partial exercises; every exercise in the plan it returns is then swapped for the whole
exercise, read from the cache by its id. The plan is the one the whole catalogue gives (a test
compares them over grids of requests), and what is shown of it comes from whole exercises.

A partial exercise has only PLANNING_FIELDS (and its cautions only PLANNING_PARTS' fields):
asking one for any other field raises AttributeError, so a field the planner starts to read and
this table lacks fails loudly (and the tests with it) rather than reading a default. Add the
field here (the cache key covers this file, so every entry is rewritten with it).
"""

from __future__ import annotations

import dataclasses
from typing import Any

from pydantic import BaseModel

from kotcoach.ladders import Index
from kotcoach.models import Caution, Exercise
from kotcoach.planner import Plan, PlanRequest, make_plan

# What the planner (kotcoach.planner) reads of an exercise, in Exercise's field order.
PLANNING_FIELDS = (
    "id",
    "name",
    "level",
    "progression",
    "warm_up",
    "isometric",
    "dose",
    "areas",
    "equipment",
    "goals",
    "cautions",
)
# ... and of each caution: not its note, a paragraph for the person that plans never show.
PLANNING_PARTS: dict[type[BaseModel], tuple[str, ...]] = {
    Caution: ("condition", "modification", "substitute")
}


def plan_for(index: Index, request: PlanRequest) -> Plan:
    """make_plan's plan, made from the planning table when the index has one."""
    planning = index.for_planning()
    made = make_plan(planning, request)
    if planning is index:
        return made
    return whole(made, index)


def whole(made: Plan, index: Index) -> Plan:
    """The plan with each exercise in it (partial, from the planning table) swapped for the
    whole exercise from `index`. Every field of every dataclass is walked, so an exercise held
    anywhere in a plan is swapped."""
    found: dict[str, Exercise] = {}

    def swap(value: Any) -> Any:
        if isinstance(value, Exercise):
            if value.id not in found:
                found[value.id] = index.exercise(value.id)
            return found[value.id]
        if dataclasses.is_dataclass(value) and not isinstance(value, type):
            changes = {}
            for field in dataclasses.fields(value):
                old = getattr(value, field.name)
                new = swap(old)
                if new is not old:
                    changes[field.name] = new
            return dataclasses.replace(value, **changes) if changes else value
        if isinstance(value, tuple | list):
            items = [swap(item) for item in value]
            if all(new is old for new, old in zip(items, value, strict=True)):
                return value
            return type(value)(items)
        if isinstance(value, dict):
            return {key: swap(item) for key, item in value.items()}
        return value

    swapped = swap(made)
    assert isinstance(swapped, Plan)
    return swapped
