"""Plans made from the cache's planning table (kotcoach.planning) are the plans the whole
catalogue gives: over grids of levels, equipment, pain and conditions, on the shipped catalogue
and on a 2,000-exercise one; and a damaged table is a miss like any other damage."""

from __future__ import annotations

import importlib.util
import itertools
import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from kotcoach import cache
from kotcoach.cached_index import CachedIndex, part_builder
from kotcoach.catalog import load_catalog
from kotcoach.errors import NoFitError
from kotcoach.ladders import Index
from kotcoach.models import Exercise
from kotcoach.pain import RedFlagStop
from kotcoach.planner import Plan, PlanRequest, make_plan
from kotcoach.planning import PLANNING_FIELDS, plan_for
from kotcoach.serialise import plan_json
from kotcoach.source import builtin_catalog_path
from kotcoach.vocab import Area, Equipment, Level, RedFlag

EQUIPMENT = [frozenset(), frozenset({Equipment.STEP, Equipment.BOX}), frozenset(Equipment)]
PAIN: list[dict[Area, int]] = [
    {},
    {Area.KNEE: 4},
    {Area.KNEE: 7, Area.BACK: 3},
    {Area.ANKLE: 9, Area.HIP: 5},
    {Area.BACK: 6},
]


def exercises_in(plan: Plan) -> Iterator[Exercise]:
    for week in plan.weeks:
        for session in week.sessions:
            for _, item in session.labelled():
                yield item.exercise


def outcome(index: Index, request: PlanRequest, fast: bool) -> Plan | str:
    """The plan, or what stopped it (the message and hint a person would read)."""
    try:
        return plan_for(index, request) if fast else make_plan(index, request)
    except NoFitError as error:
        return f"no fit: {error} ({error.hint})"
    except RedFlagStop as stop:
        return f"red flag: {stop}"


def assert_same_plans(full: Index, cached: Index, requests: list[PlanRequest]) -> int:
    planned = 0
    for request in requests:
        expected = outcome(full, request, fast=False)
        got = outcome(cached, request, fast=True)
        assert type(got) is type(expected), request
        if isinstance(got, str):
            assert got == expected, request
            continue
        assert isinstance(expected, Plan)
        planned += 1
        assert got == expected, request
        assert plan_json(got) == plan_json(expected), request
        for exercise in exercises_in(got):  # whole exercises, not the planning table's
            assert set(vars(exercise)) == set(Exercise.model_fields), exercise.id
    return planned


def grid(conditions: list[tuple[str, ...]], weeks: int) -> list[PlanRequest]:
    return [
        PlanRequest(level=level, equipment=kit, pain=pain, conditions=c, weeks=weeks)
        for level, kit, pain, c in itertools.product(Level, EQUIPMENT, PAIN, conditions)
    ]


def condition_sets(index: Index, pairs: bool) -> list[tuple[str, ...]]:
    ids = sorted(index.conditions)
    sets: list[tuple[str, ...]] = [(), *[(c,) for c in ids]]
    return sets + (list(itertools.combinations(ids, 2)) if pairs else [(ids[0], ids[-1])])


def cached_index(path: Path) -> CachedIndex:
    load_catalog(path)  # validates and writes the entry
    index = cache.load_index(path)
    assert isinstance(index, CachedIndex)
    return index


def test_the_shipped_catalogue_plans_the_same_from_the_table() -> None:
    path = builtin_catalog_path()
    full = Index(load_catalog(path, cached=False))
    cached = cached_index(path)
    planning = cached.for_planning()
    assert planning is not cached
    assert len(planning.catalog.exercises) == len(full.catalog.exercises)
    requests = grid(condition_sets(full, pairs=True), weeks=5)[::2]
    requests.append(PlanRequest(level=Level.BEGINNER, red_flags=(RedFlag.LOCKED_KNEE,)))
    requests.append(PlanRequest(level=Level.BEGINNER, minutes=5))
    planned = assert_same_plans(full, cached, requests)
    assert planned >= 0.9 * len(requests)
    assert not cached._complete  # the whole catalogue was never built from the cache


def big_catalogue(out: Path) -> Path:
    where = Path(__file__).resolve().parents[1] / "benchmarks" / "big_catalog.py"
    spec = importlib.util.spec_from_file_location("big_catalog", where)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    module.write(out, 2000)
    return out


def test_a_2000_exercise_catalogue_plans_the_same_from_the_table(tmp_path: Path) -> None:
    path = big_catalogue(tmp_path / "big.yaml")
    full = Index(load_catalog(path, cached=False))
    assert len(full.catalog.exercises) == 2000
    cached = cached_index(path)
    ids = sorted(full.conditions)
    requests = grid([(), (ids[0],), (ids[2], ids[-1])], weeks=5)
    planned = assert_same_plans(full, cached, requests)
    assert planned >= 0.9 * len(requests)
    assert not cached._complete


def test_a_partial_exercise_has_only_the_planning_fields(mini: Path) -> None:
    planning = cached_index(mini).for_planning()
    exercise = planning.exercise("step-one")
    assert set(vars(exercise)) == set(PLANNING_FIELDS)
    assert exercise.cautions[0].modification == "Use a shorter range."
    with pytest.raises(AttributeError):
        _ = exercise.cues  # never an empty list standing in for the catalogue's cues
    with pytest.raises(AttributeError):
        _ = exercise.cautions[0].note  # a caution's note is no part of planning


def test_a_part_builder_takes_fields_in_the_models_order_only() -> None:
    with pytest.raises(ValueError, match="order"):
        part_builder(Exercise, ("name", "id"))
    with pytest.raises(ValueError, match="order"):
        part_builder(Exercise, ("id", "colour"))


def entry_file() -> Path:
    (entry,) = Path(cache.folder() or "").glob("*.kcache")
    return entry


def spoil_planning(new: bytes) -> None:
    """Put `new` in place of the entry's planning table, the header's spans moved to fit."""
    where = entry_file()
    head, body = where.read_bytes().split(b"\n", 1)
    header = json.loads(head)
    start, end = header["sections"]["planning"]
    assert end == len(body), "the planning table is the last section"
    header["sections"]["planning"] = [start, start + len(new)]
    where.write_bytes(json.dumps(header).encode() + b"\n" + body[:start] + new)


@pytest.mark.parametrize(
    "table",
    [
        b"{}",
        b"[[1]]",
        b"not json",
        b'[["step-one"]]',  # a row too short
        # every row of the right shape, but not the catalogue's exercises
        b'[["step-one","Step one","beginner",null,false,false,null,[],[],[],[]]]',
    ],
)
def test_a_damaged_planning_table_is_a_miss_and_is_rewritten(mini: Path, table: bytes) -> None:
    request = PlanRequest(level=Level.ADVANCED, equipment=frozenset(Equipment))
    expected = make_plan(Index(load_catalog(mini, cached=False)), request)
    cached_index(mini)
    spoil_planning(table)
    index = cache.load_index(mini)
    assert plan_for(index, request) == expected
    assert index.for_planning() is index  # fell back to the whole catalogue, from the file
    fresh = cache.load_index(mini)  # the entry was rewritten: a hit again
    assert isinstance(fresh, CachedIndex)
    assert fresh.for_planning() is not fresh
    assert plan_for(fresh, request) == expected


def test_an_entry_without_a_planning_table_is_a_miss_for_plans_only(mini: Path) -> None:
    cached_index(mini)
    where = entry_file()
    head, body = where.read_bytes().split(b"\n", 1)
    header = json.loads(head)
    start, _ = header["sections"].pop("planning")
    where.write_bytes(json.dumps(header).encode() + b"\n" + body[:start])
    index = cache.load_index(mini)
    assert isinstance(index, CachedIndex)
    assert index.exercise("step-two").name == "Step two"  # show still reads the entry
    request = PlanRequest(level=Level.BEGINNER)
    assert plan_for(index, request) == make_plan(Index(load_catalog(mini, cached=False)), request)
