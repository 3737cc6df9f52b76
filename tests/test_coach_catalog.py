"""The coach's pydantic-free view of the catalogue decides exactly as the full Index does."""

from __future__ import annotations

from dataclasses import fields
from datetime import date, timedelta

import pytest

from kotcoach.base.errors import NotFoundError
from kotcoach.base.vocab import Area, Equipment
from kotcoach.catalogue.coach_catalog import CoachCatalogue
from kotcoach.catalogue.ladders import Index
from kotcoach.catalogue.read import load_catalog, read_coach_catalogue
from kotcoach.catalogue.source import builtin_catalog_path
from kotcoach.catalogue.steps import Exercise
from kotcoach.coaching.coach import (
    Logged,
    Mornings,
    Person,
    Volume,
    decide,
    full_dose,
    ladder_facts,
    with_condition_areas,
)
from kotcoach.store.records import Checkin

START = date(2026, 3, 2)


@pytest.fixture
def both() -> tuple[Index, CoachCatalogue]:
    path = builtin_catalog_path()
    index = Index(load_catalog(path))  # writes the cache entry on the way
    light = read_coach_catalogue(path)
    assert light is not None
    return index, light


def test_every_step_reads_the_same(both: tuple[Index, CoachCatalogue]) -> None:
    index, light = both
    planning = index.for_planning()
    for exercise in index.catalog.exercises:
        step = light.exercise(exercise.id)
        # A step is the planner's record of the exercise, with the coach's facts besides.
        record = planning.exercise(exercise.id)
        assert Exercise(**{f.name: getattr(step, f.name) for f in fields(Exercise)}) == record
        assert step.cues == tuple(exercise.cues)
        assert (step.name, list(step.areas), list(step.equipment)) == (
            exercise.name,
            exercise.areas,
            exercise.equipment,
        )
        assert [(c.condition, c.substitute) for c in step.cautions] == [
            (c.condition, c.substitute) for c in exercise.cautions
        ]
        assert full_dose(step) == full_dose(exercise)
        assert [s.id for s in light.ladder_of(exercise.id).steps] == [
            s.id for s in index.ladder_of(exercise.id).steps
        ]
    assert {k: (list(c.avoid), list(c.areas)) for k, c in light.conditions.items()} == {
        k: (c.avoid, c.areas) for k, c in index.conditions.items()
    }


@pytest.mark.parametrize("pain", [0, 1, 3, 7])
@pytest.mark.parametrize("conditions", [(), ("patellar-tendinopathy",), ("knee-pain",)])
def test_decisions_are_the_same(
    both: tuple[Index, CoachCatalogue], pain: int, conditions: tuple[str, ...]
) -> None:
    index, light = both
    person = Person(conditions, {Area.KNEE: pain}, frozenset({Equipment.STEP}))
    for ladder in index.ladders:
        for step in ladder.steps:
            dose = full_dose(step)
            sessions = [
                Logged(START + timedelta(days=d), step.id, dose, (dose.amount,) * dose.sets, 1)
                for d in (0, 2)
            ]
            mornings = Mornings(
                Checkin(START + timedelta(days=d), area, 1) for d in range(4) for area in Area
            )
            today = START + timedelta(days=3)
            facts = ladder_facts(index, step.id, with_condition_areas(index, person))
            light_person = with_condition_areas(light, person)
            assert ladder_facts(light, step.id, light_person) == facts
            assert light_person == with_condition_areas(index, person)
            expected = decide(facts, step.id, sessions, mornings, light_person, today)
            assert expected.reason


def test_an_unknown_id_is_not_found_with_suggestions(both: tuple[Index, CoachCatalogue]) -> None:
    with pytest.raises(NotFoundError, match="tib-raise-wall"):
        both[1].exercise("tib-raise-wal")


def test_volume_of_a_light_dose(both: tuple[Index, CoachCatalogue]) -> None:
    dose = both[1].exercise("couch-stretch-hands-floor").dose
    assert dose is not None
    assert Volume.of(dose).describe() == "1 × 60 s hold per side"
