"""Ladders: the easy-to-hard lines that `progression` links draw through the catalogue."""

from __future__ import annotations

from typing import TYPE_CHECKING, TypeAlias

from kotcoach.base.suggest import unknown_exercise
from kotcoach.catalogue.steps import Ladder as Line
from kotcoach.catalogue.steps import chain

if TYPE_CHECKING:
    from kotcoach.catalogue.models import Catalog, Exercise
    from kotcoach.catalogue.plan_catalog import PlanIndex

    Ladder: TypeAlias = Line[Exercise]  # a ladder of the catalogue's models
else:
    Ladder = Line


class Index:
    """Look-ups over a validated catalogue (ids are unique and ladders are acyclic lines)."""

    def __init__(self, catalog: Catalog) -> None:
        self.catalog = catalog
        self.conditions = {condition.id: condition for condition in catalog.conditions}
        self.references = {reference.key: reference for reference in catalog.references}
        self.by_id, self.ladders, self._ladder_of = chain(catalog.exercises)
        self._records: PlanIndex | None = None

    def for_planning(self) -> PlanIndex:
        """What the planner walks: the plain records of this catalogue (catalogue.plan_catalog)."""
        if self._records is None:
            from kotcoach.catalogue.plan_catalog import records_of

            self._records = records_of(self.catalog)
        return self._records

    def exercise(self, exercise_id: str) -> Exercise:
        try:
            return self.by_id[exercise_id]
        except KeyError:
            raise unknown_exercise(exercise_id, self.by_id) from None

    def ladder_of(self, exercise_id: str) -> Ladder:
        return self._ladder_of[self.exercise(exercise_id).id]

    def easier(self, exercise_id: str) -> Exercise | None:
        ladder = self.ladder_of(exercise_id)
        position = ladder.position(exercise_id)
        return ladder.steps[position - 1] if position > 0 else None

    def harder(self, exercise_id: str) -> Exercise | None:
        following = self.exercise(exercise_id).progression
        return self.by_id[following] if following else None


def move_up_when(exercise: Exercise, has_harder: bool) -> str:
    """When to take the next step: the full dose, pain 2/10 or less, two sessions in a row."""
    dose = exercise.dose.describe() if exercise.dose else "the full dose"
    if has_harder:
        return (
            f"{dose} done in full with pain 2/10 or less, on two sessions in a row, "
            "and no worse the next morning (the 2/10 edge is our own rule, not a study's)"
        )
    return (
        f"top step: once {dose} is easy on two sessions in a row, add 2-10 % load "
        "or a little more time"
    )


def move_down_when(has_easier: bool, exercise: Exercise | None = None) -> str:
    """When to step back: the pain-monitoring limits (5/10 during, settled by morning)."""
    if has_easier:
        return (
            "pain above 5/10 during, pain not settled by the next morning, "
            "or you cannot keep the cues"
        )
    if exercise is not None and exercise.isometric:
        easing = "push less hard or hold at a pain-free angle"
    else:
        easing = "shorten the range and slow down"
    return f"first step: if it hurts above 5/10, {easing}, and see a physiotherapist if it persists"
