"""Filtering the catalogue for `kotcoach list`. Pure: no typer, no rich, no I/O."""

from __future__ import annotations

from dataclasses import dataclass

from kotcoach.ladders import Index
from kotcoach.models import Exercise
from kotcoach.vocab import Area, Equipment, Goal, Level


@dataclass(frozen=True)
class Filters:
    level: Level | None = None
    area: Area | None = None
    equipment: frozenset[Equipment] | None = None  # what the person has; None: no filter
    goal: Goal | None = None
    condition: str | None = None
    search: str | None = None


def select(index: Index, filters: Filters) -> list[Exercise]:
    """The exercises that pass every filter, in ladder order (each ladder easiest first)."""
    ordered = [step for ladder in index.ladders for step in ladder.steps]
    return [exercise for exercise in ordered if _passes(index, exercise, filters)]


def _passes(index: Index, exercise: Exercise, filters: Filters) -> bool:
    if filters.level is not None and exercise.level != filters.level:
        return False
    if filters.area is not None and filters.area not in exercise.areas:
        return False
    if filters.equipment is not None and not set(exercise.equipment) <= filters.equipment:
        return False
    if filters.goal is not None and filters.goal not in exercise.goals:
        return False
    if filters.condition is not None and condition_fit(index, exercise, filters.condition) is None:
        return False
    if filters.search:
        needle = filters.search.casefold()
        haystack = " ".join([exercise.id, exercise.name, exercise.setup or "", *exercise.cues])
        if needle not in haystack.casefold():
            return False
    return True


def condition_fit(index: Index, exercise: Exercise, condition_id: str) -> str | None:
    """How an exercise stands for a condition: 'avoid', 'favour', 'modify' (it has a caution)."""
    condition = index.conditions[condition_id]
    if exercise.id in condition.avoid:
        return "avoid"
    if exercise.id in condition.favour:
        return "favour"
    if any(caution.condition == condition_id for caution in exercise.cautions):
        return "modify"
    return None
