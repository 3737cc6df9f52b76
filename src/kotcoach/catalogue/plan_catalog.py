"""The catalogue as plans are made from it: plain frozen records, no pydantic.

The planner reads a few things of each exercise (its level, equipment, areas, goals, ladder
link, dose, cautions, and the key cue a plan prints) and of each condition; never an exercise's
setup, evidence or figure. `PlanIndex` holds just those, as records with no other attribute
(slots), so strict typing checks every field the planner reads against what is here.

There are two ways in, and both give the same records:
- `Index.for_planning()` converts a validated catalogue's models (`records_of`): a cache miss,
  and the tests;
- the cache (`catalogue.cache.read_plan_index`) reads the planning section of the catalogue's
  entry, which `encode` wrote from those same records when the catalogue validated. `decode`
  checks every value's type and every link (a ladder step, a substitute) and raises NotRecords
  on anything else, which the cache takes as a damaged entry: a miss.

So on a cache hit `plan` imports neither pydantic nor the models: importing them costs more than
the rest of the command. Stdlib and the vocabularies only, up front. The exercise's record
(`Exercise`) lives in `kotcoach.catalogue.steps`, since the coach's step is built on it too. A
field the planner starts to read is added there, and to `records_of`, `encode` and `decode` here
and `coach_catalog._step` (the cache key covers these files, so every entry is rewritten).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from kotcoach.base.vocab import Area, Equipment, Goal, Level
from kotcoach.catalogue.steps import DOSE_FIELDS as _DOSE
from kotcoach.catalogue.steps import Caution, Dose, Exercise, Ladder, chain

if TYPE_CHECKING:
    from kotcoach.catalogue import models


@dataclass(frozen=True, slots=True)
class Condition:
    id: str
    name: str
    pain_rules: tuple[str, ...]
    favour: tuple[str, ...]
    avoid: tuple[str, ...]
    # Exercises of a later stage (catalogue `stages`), each with why it waits: a plan, made
    # without the log, starts everyone at the first stage.
    not_yet: tuple[tuple[str, str], ...] = ()
    no_plyometrics: str | None = None  # why no hop or landing suits it, if none does


class PlanIndex:
    """Look-ups over the plain records of a validated catalogue, as `catalogue.ladders.Index`
    gives them over its models: what `kotcoach.coaching.planner` walks."""

    def __init__(self, exercises: Iterable[Exercise], conditions: Iterable[Condition]) -> None:
        self.exercises = tuple(exercises)  # in catalogue order
        self.conditions = {condition.id: condition for condition in conditions}
        self.by_id, self.ladders, self._ladder_of = chain(self.exercises)

    def for_planning(self) -> PlanIndex:
        return self

    def exercise(self, exercise_id: str) -> Exercise:
        try:
            return self.by_id[exercise_id]
        except KeyError:
            from kotcoach.base.suggest import unknown_exercise

            raise unknown_exercise(exercise_id, self.by_id) from None

    def ladder_of(self, exercise_id: str) -> Ladder[Exercise]:
        return self._ladder_of[self.exercise(exercise_id).id]

    def harder(self, exercise_id: str) -> Exercise | None:
        following = self.exercise(exercise_id).progression
        return self.by_id[following] if following else None

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, PlanIndex):
            return NotImplemented
        return (self.exercises, self.conditions) == (other.exercises, other.conditions)

    __hash__ = None  # type: ignore[assignment]


# ---- from the models -------------------------------------------------------------------------


def records_of(catalog: models.Catalog) -> PlanIndex:
    """The plain records of a validated catalogue's models."""
    return PlanIndex(
        (_exercise_of(exercise) for exercise in catalog.exercises),
        (
            Condition(
                c.id,
                c.name,
                tuple(c.pain_rules),
                tuple(c.favour),
                tuple(c.avoid),
                _not_yet(c.stages),
                c.no_plyometrics,
            )
            for c in catalog.conditions
        ),
    )


def _not_yet(stages: Any) -> tuple[tuple[str, str], ...]:
    from kotcoach.catalogue.staging import not_yet_reason, stages_of

    records = stages_of(stages)
    return tuple(
        (exercise, not_yet_reason(records, index))
        for index in range(1, len(records))
        for exercise in records[index].exercises
    )


def _exercise_of(exercise: models.Exercise) -> Exercise:
    dose = exercise.dose
    return Exercise(
        id=exercise.id,
        name=exercise.name,
        level=exercise.level,
        key_cue=exercise.cues[0],
        progression=exercise.progression,
        warm_up=exercise.warm_up,
        isometric=exercise.isometric,
        dose=None if dose is None else Dose(*(getattr(dose, name) for name in _DOSE)),
        areas=tuple(exercise.areas),
        equipment=tuple(exercise.equipment),
        goals=tuple(exercise.goals),
        cautions=tuple(
            Caution(c.condition, c.modification, c.substitute, tuple(c.needs_one_of))
            for c in exercise.cautions
        ),
        pain_hold=exercise.pain_hold,
        plyometric=exercise.plyometric,
        start_for_every_level=exercise.start_for_every_level,
    )


# ---- stored in the cache ---------------------------------------------------------------------

# The order of the values each record is stored as: its fields' order.
_LEVELS = {member.value: member for member in Level}
_AREAS = {member.value: member for member in Area}
_EQUIPMENT = {member.value: member for member in Equipment}
_GOALS = {member.value: member for member in Goal}


def encode(index: PlanIndex) -> dict[str, Any]:
    """The records as JSON-ready lists of their fields' values, in their fields' order."""
    return {
        "exercises": [
            [
                e.id,
                e.name,
                e.level.value,
                e.key_cue,
                e.progression,
                e.warm_up,
                e.isometric,
                None if e.dose is None else [getattr(e.dose, name) for name in _DOSE],
                [a.value for a in e.areas],
                [q.value for q in e.equipment],
                [g.value for g in e.goals],
                [
                    [c.condition, c.modification, c.substitute, [q.value for q in c.needs_one_of]]
                    for c in e.cautions
                ],
                e.pain_hold,
                e.plyometric,
                e.start_for_every_level,
            ]
            for e in index.exercises
        ],
        "conditions": [
            [
                c.id,
                c.name,
                list(c.pain_rules),
                list(c.favour),
                list(c.avoid),
                [list(pair) for pair in c.not_yet],
                c.no_plyometrics,
            ]
            for c in index.conditions.values()
        ],
    }


class NotRecords(ValueError):
    """What decode was given is not what encode stores: to the cache, a damaged entry."""


def decode(data: Any, ids: Sequence[str] | None = None) -> PlanIndex:
    """The records `encode` stored, every value checked; `ids`, when given, are the catalogue's
    exercise ids in order, which the records must be. Raises NotRecords."""
    try:
        if type(data) is not dict:
            raise NotRecords("not an object")
        rows, conditions = data["exercises"], data["conditions"]
        if type(rows) is not list or type(conditions) is not list:
            raise NotRecords("not lists")
        index = PlanIndex(map(_exercise, rows), map(_condition, conditions))
        for exercise in index.exercises:
            for caution in exercise.cautions:
                if caution.substitute is not None and caution.substitute not in index.by_id:
                    raise NotRecords("a substitute that is not an exercise")
    except NotRecords:
        raise
    except (KeyError, TypeError, ValueError) as error:  # a wrong value, a broken link
        raise NotRecords(repr(error)) from None
    if ids is not None and [e.id for e in index.exercises] != list(ids):
        raise NotRecords("not the catalogue's exercises")
    return index


# The checks are written out in full rather than as a helper per value: decoding is most of what
# a plan on a 2,000-exercise catalogue does, and a call per value doubled it.


def _maybe(value: Any, kind: type) -> bool:
    return value is None or type(value) is kind


def _texts(value: Any) -> tuple[str, ...]:
    if type(value) is not list or not all(type(item) is str for item in value):
        raise TypeError("expected a list of text")
    return tuple(value)


def _dose(value: Any) -> Dose:
    if type(value) is not list or len(value) != len(_DOSE):
        raise TypeError("not a dose")
    sets, reps, hold_seconds, minutes, per_side, tempo, rest_seconds, note = value
    if not (
        type(sets) is int
        and _maybe(reps, int)
        and _maybe(hold_seconds, int)
        and _maybe(minutes, int)
        and type(per_side) is bool
        and _maybe(tempo, str)
        and _maybe(rest_seconds, int)
        and _maybe(note, str)
    ):
        raise TypeError("not the values of a dose")
    return Dose(sets, reps, hold_seconds, minutes, per_side, tempo, rest_seconds, note)


def _caution(value: Any) -> Caution:
    if type(value) is not list or len(value) != 4:
        raise TypeError("not a caution")
    condition, modification, substitute, needs = value
    if not (
        type(condition) is str
        and type(modification) is str
        and _maybe(substitute, str)
        and type(needs) is list
    ):
        raise TypeError("not the values of a caution")
    return Caution(condition, modification, substitute, tuple(map(_EQUIPMENT.__getitem__, needs)))


def _exercise(row: Any) -> Exercise:
    if type(row) is not list or len(row) != 15:
        raise TypeError("not an exercise")
    id_, name, level, key_cue, progression, warm_up, isometric, dose, *lists = row
    areas, kit, goals, cautions, pain_hold, plyometric, start_for_every_level = lists
    if not (
        type(id_) is str
        and type(name) is str
        and type(key_cue) is str
        and _maybe(progression, str)
        and type(warm_up) is bool
        and type(isometric) is bool
        and type(areas) is list
        and type(kit) is list
        and type(goals) is list
        and type(cautions) is list
        and type(pain_hold) is bool
        and type(plyometric) is bool
        and type(start_for_every_level) is bool
    ):
        raise TypeError("not the values of an exercise")
    return Exercise(
        id_,
        name,
        _LEVELS[level],
        key_cue,
        progression,
        warm_up,
        isometric,
        None if dose is None else _dose(dose),
        tuple(map(_AREAS.__getitem__, areas)),
        tuple(map(_EQUIPMENT.__getitem__, kit)),
        tuple(map(_GOALS.__getitem__, goals)),
        tuple(map(_caution, cautions)) if cautions else (),
        pain_hold,
        plyometric,
        start_for_every_level,
    )


def _condition(row: Any) -> Condition:
    if type(row) is not list or len(row) != 7:
        raise TypeError("not a condition")
    id_, name, pain_rules, favour, avoid, not_yet, no_plyometrics = row
    if type(id_) is not str or type(name) is not str or type(not_yet) is not list:
        raise TypeError("not the values of a condition")
    if not _maybe(no_plyometrics, str):
        raise TypeError("not the values of a condition")
    pairs = []
    for pair in not_yet:
        texts = _texts(pair)
        if len(texts) != 2:
            raise TypeError("not an exercise and why it waits")
        pairs.append((texts[0], texts[1]))
    return Condition(
        id_,
        name,
        _texts(pain_rules),
        _texts(favour),
        _texts(avoid),
        tuple(pairs),
        no_plyometrics,
    )
