"""The records a step of a ladder is read into by both light reads of the catalogue: the exercise
as plans read it (`Exercise`, with its `Caution`s), its dose (`Dose`) and the ladder it is on
(`Ladder`, `chain`).

The planner's records (`kotcoach.catalogue.plan_catalog`) and the coach's
(`kotcoach.catalogue.coach_catalog`, whose step is this `Exercise` with the coach's few facts
besides) both hold these; they live here so that `today` and `next`, which read the coach's, never
import the planner's. Stdlib only, and the dose's
wording. The cache key covers this file (`catalogue.cache._MODEL_CODE`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Generic, Protocol, TypeVar

from kotcoach.base.vocab import Area, Equipment, Goal, Level
from kotcoach.catalogue.doses import describe, details

# The order of a dose's values as the cache stores it: its fields' order.
DOSE_FIELDS = (
    "sets",
    "reps",
    "hold_seconds",
    "minutes",
    "per_side",
    "tempo",
    "rest_seconds",
    "note",
)


@dataclass(frozen=True, slots=True)
class Dose:
    """A dose as the catalogue's Dose model holds it (catalogue.models.Dose), already valid."""

    sets: int
    reps: int | None = None
    hold_seconds: int | None = None
    minutes: int | None = None
    per_side: bool = False
    tempo: str | None = None
    rest_seconds: int | None = None
    note: str | None = None

    def describe(self) -> str:
        return describe(self)

    def details(self) -> str:
        return details(self)

    def as_json(self) -> dict[str, Any]:
        """Its fields, the unset (None) ones left out, as the model's JSON dump gives them."""
        return {
            name: getattr(self, name) for name in DOSE_FIELDS if getattr(self, name) is not None
        }


@dataclass(frozen=True, slots=True)
class Caution:
    """How an exercise changes with a condition: not its note, a paragraph plans never show."""

    condition: str
    modification: str
    substitute: str | None = None
    needs_one_of: tuple[Equipment, ...] = ()  # the modification needs one of these


@dataclass(frozen=True, slots=True)
class Exercise:
    id: str
    name: str
    level: Level
    key_cue: str  # the first of its cues: the one a plan prints
    progression: str | None
    warm_up: bool
    isometric: bool
    dose: Dose | None
    areas: tuple[Area, ...]
    equipment: tuple[Equipment, ...]
    goals: tuple[Goal, ...]
    cautions: tuple[Caution, ...]
    pain_hold: bool = False  # given only to an area at 6/10 or more now
    plyometric: bool = False  # a hop, bound or landing: gated by level, pain, conditions, age
    start_for_every_level: bool = False  # every level starts its ladder here


class Step(Protocol):
    @property
    def id(self) -> str: ...
    @property
    def progression(self) -> str | None: ...


S = TypeVar("S", bound=Step)


@dataclass(frozen=True)
class Ladder(Generic[S]):
    """One line of steps, easiest first. A lone exercise is a ladder of one step."""

    steps: tuple[S, ...]

    @property
    def first(self) -> S:
        return self.steps[0]

    def position(self, exercise_id: str) -> int:
        return [step.id for step in self.steps].index(exercise_id)


def chain(exercises: Sequence[S]) -> tuple[dict[str, S], list[Ladder[S]], dict[str, Ladder[S]]]:
    """The exercises by id, the ladders their `progression` links draw (in catalogue order of
    their first steps), and each exercise's ladder. Raises KeyError for a link to no exercise
    and ValueError for links that loop or leave an exercise on no ladder (a validated catalogue
    has neither)."""
    by_id = {exercise.id: exercise for exercise in exercises}
    easier = {e.progression for e in exercises if e.progression}
    ladders: list[Ladder[S]] = []
    ladder_of: dict[str, Ladder[S]] = {}
    for exercise in exercises:
        if exercise.id in easier:
            continue
        steps = [exercise]
        while (following := steps[-1].progression) is not None:
            steps.append(by_id[following])
            if len(steps) > len(by_id):
                raise ValueError("progression links loop")
        ladder = Ladder(tuple(steps))
        ladders.append(ladder)
        for step in steps:
            ladder_of[step.id] = ladder
    if len(ladder_of) != len(by_id):
        raise ValueError("an exercise on no ladder")
    return by_id, ladders, ladder_of
