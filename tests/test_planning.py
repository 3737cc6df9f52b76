"""Plans made from the cache's planning section (catalogue.plan_catalog) are the plans the whole
catalogue gives: the plain records read from the cache are the records of the validated models,
on the shipped catalogue and on a 2,000-exercise one, and plans over grids of levels,
equipment, pain and conditions are the same; damage is a miss like any other damage; and a
plan on a cache hit never imports pydantic or the models."""

from __future__ import annotations

import copy
import importlib.util
import itertools
import json
import os
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from kotcoach.base.errors import NoFitError
from kotcoach.base.vocab import Area, Equipment, Level, RedFlag
from kotcoach.catalogue import cache, plan_catalog, read
from kotcoach.catalogue.cached_index import CachedIndex
from kotcoach.catalogue.ladders import Index
from kotcoach.catalogue.loading import check_catalog
from kotcoach.catalogue.plan_catalog import NotRecords, PlanIndex, decode, encode
from kotcoach.catalogue.read import load_catalog, read_plan_index
from kotcoach.catalogue.source import builtin_catalog_path
from kotcoach.coaching.pain import RedFlagStop
from kotcoach.coaching.planner import Plan, Plannable, PlanRequest, make_plan
from kotcoach.coaching.serialise import plan_json
from tests.conftest import MINI, stride
from tests.probes import imported

# Tests of the cache and what is read from it: each starts with an empty one, as a fresh
# install does (a first read parses the catalogue).
pytestmark = pytest.mark.cold_cache

EQUIPMENT = [frozenset(), frozenset({Equipment.STEP, Equipment.BOX}), frozenset(Equipment)]
PAIN: list[dict[Area, int]] = [
    {},
    {Area.KNEE: 4},
    {Area.KNEE: 7, Area.BACK: 3},
    {Area.ANKLE: 9, Area.HIP: 5},
    {Area.BACK: 6},
]


def outcome(catalogue: Plannable, request: PlanRequest) -> Plan | str:
    """The plan, or what stopped it (the message and hint a person would read)."""
    try:
        return make_plan(catalogue, request)
    except NoFitError as error:
        return f"no fit: {error} ({error.hint})"
    except RedFlagStop as stop:
        return f"red flag: {stop}"


def assert_same_plans(full: Index, cached: PlanIndex, requests: list[PlanRequest]) -> int:
    planned = 0
    for request in requests:
        expected = outcome(full, request)
        got = outcome(cached, request)
        assert got == expected, request
        if isinstance(got, Plan):
            planned += 1
            assert plan_json(got) == plan_json(expected), request  # type: ignore[arg-type]
    return planned


def grid(conditions: list[tuple[str, ...]], weeks: int) -> list[PlanRequest]:
    return [
        PlanRequest(level=level, equipment=kit, pain=pain, conditions=c, weeks=weeks)
        for level, kit, pain, c in itertools.product(Level, EQUIPMENT, PAIN, conditions)
    ]


def cached_records(path: Path) -> PlanIndex:
    load_catalog(path)  # validates and writes the entry
    found = read_plan_index(path)
    assert found is not None
    return found


def test_the_shipped_catalogue_reads_back_as_its_models_records() -> None:
    path = builtin_catalog_path()
    full = Index(load_catalog(path, cached=False))
    cached = cached_records(path)
    assert cached == full.for_planning()
    assert [e.id for e in cached.exercises] == [e.id for e in full.catalog.exercises]
    for exercise in cached.exercises:  # what a plan prints of each comes from the catalogue
        model = full.exercise(exercise.id)
        assert exercise.key_cue == model.cues[0]
        assert exercise.dose == (
            None if model.dose is None else plan_catalog.Dose(**model.dose.model_dump())
        )
        if model.dose is not None:
            assert exercise.dose is not None
            assert exercise.dose.describe() == model.dose.describe()
            assert exercise.dose.details() == model.dose.details()
            assert exercise.dose.as_json() == model.dose.model_dump(mode="json", exclude_none=True)
    ids = sorted(full.conditions)
    sets: list[tuple[str, ...]] = [(), *[(c,) for c in ids], *itertools.combinations(ids, 2)]
    requests = grid(sets, weeks=5)[:: 3 * stride(2)]  # every third in CI
    requests.append(PlanRequest(level=Level.BEGINNER, red_flags=(RedFlag.LOCKED_KNEE,)))
    requests.append(PlanRequest(level=Level.BEGINNER, minutes=5))
    assert assert_same_plans(full, cached, requests) >= 0.9 * len(requests)


def big_catalogue(out: Path) -> Path:
    """The benchmarks' 2,000-exercise catalogue (benchmarks/big_catalog.py), written as JSON,
    which is YAML too: the same catalogue, without the second and more that PyYAML's Python
    representer takes to write it in block style."""
    where = Path(__file__).resolve().parents[1] / "benchmarks" / "big_catalog.py"
    spec = importlib.util.spec_from_file_location("big_catalog", where)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    shipped = yaml.load(module.SHIPPED.read_text(encoding="utf-8"), Loader=yaml.CSafeLoader)
    out.write_text(json.dumps(module.big_catalog(shipped, 2000), ensure_ascii=False), "utf-8")
    return out


@pytest.fixture(scope="module")
def big(tmp_path_factory: pytest.TempPathFactory) -> tuple[Index, PlanIndex]:
    """A 2,000-exercise catalogue, as its models and as the records its cache entry holds."""
    path = big_catalogue(tmp_path_factory.mktemp("big") / "big.yaml")
    full = Index(load_catalog(path, cached=False))  # validates it and writes its entry
    cached = read_plan_index(path)
    assert cached is not None
    return full, cached


# The 2,000-exercise catalogue takes seconds to make and validate: one worker makes it once for
# the four tests that read it.
@pytest.mark.xdist_group("big-catalogue")
def test_a_2000_exercise_catalogue_reads_back_as_its_records(big: tuple[Index, PlanIndex]) -> None:
    full, cached = big
    assert len(full.catalog.exercises) == 2000
    assert cached == full.for_planning()


@pytest.mark.xdist_group("big-catalogue")
@pytest.mark.parametrize("level", list(Level))  # one grid per level
def test_a_2000_exercise_catalogue_plans_the_same(
    big: tuple[Index, PlanIndex], level: Level
) -> None:
    full, cached = big
    ids = sorted(full.conditions)
    requests = [
        r
        for r in grid([(), (ids[0],), (ids[2], ids[-1])], weeks=5)[:: 2 * stride(2)]
        if r.level == level
    ]
    assert assert_same_plans(full, cached, requests) >= 0.9 * len(requests)
    # What such a catalogue leaves out is counted past MAX_NAMED (20) names, not listed in
    # full: a line of hundreds of names (over 10,000 characters) would bury the plan on screen.
    for request in requests:
        plan = outcome(cached, request)
        if isinstance(plan, Plan):
            longest = max(map(len, (*plan.left_out, *plan.notes)), default=0)
            assert longest < 1500, request


def test_a_cached_index_plans_from_the_section_without_building_models(mini: Path) -> None:
    load_catalog(mini)
    index = read.load_index(mini)
    assert isinstance(index, CachedIndex)
    request = PlanRequest(level=Level.ADVANCED, equipment=frozenset(Equipment))
    assert make_plan(index, request) == make_plan(Index(load_catalog(mini, cached=False)), request)
    assert not index._complete  # the whole catalogue was never built from the cache


def test_a_record_has_only_what_plans_read(mini: Path) -> None:
    exercise = cached_records(mini).exercise("step-one")
    assert exercise.key_cue == "Heel stays down"
    assert exercise.cautions[0].modification == "Use a shorter range."
    with pytest.raises(AttributeError):
        _ = exercise.cues  # type: ignore[attr-defined]  # never an empty list standing in
    with pytest.raises(AttributeError):
        _ = exercise.cautions[0].note  # type: ignore[attr-defined]  # plans never show it


def stored(path: Path) -> dict[str, Any]:
    found = encode(cached_records(path))
    return json.loads(json.dumps(found))  # as the entry holds it


def test_records_survive_the_round_trip_through_json(mini: Path) -> None:
    records = cached_records(mini)
    assert decode(stored(mini)) == records
    assert decode(stored(mini), [e.id for e in records.exercises]) == records


def spoiled(data: dict[str, Any], where: tuple[Any, ...], value: Any) -> dict[str, Any]:
    data = copy.deepcopy(data)
    parent: Any = data
    for key in where[:-1]:
        parent = parent[key]
    parent[where[-1]] = value
    return data


# (where in the stored records, what is put there) -> each is damage decode refuses
DAMAGE: list[tuple[tuple[Any, ...], Any]] = [
    (("exercises",), {}),
    (("exercises", 0), ["step-one"]),  # a row too short
    (("exercises", 0, 0), 7),  # an id that is not text
    (("exercises", 0, 2), "expert"),  # not a level
    (("exercises", 0, 4), "nowhere"),  # a progression to no exercise
    (("exercises", 2, 4), "step-one"),  # a ladder that loops
    (("exercises", 0, 7), [2, 10]),  # a dose of the wrong shape
    (("exercises", 0, 7, 1), "ten"),
    (("exercises", 0, 8), ["elbow"]),  # not an area
    (("exercises", 0, 11, 0), ["sore-knee", "Use a shorter range.", "nowhere"]),
    (("conditions", 0, 4), "step-three"),  # avoid: not a list
    (("conditions",), None),
]


@pytest.mark.parametrize(("where", "value"), DAMAGE)
def test_damaged_records_are_refused(mini: Path, where: tuple[Any, ...], value: Any) -> None:
    with pytest.raises(NotRecords):
        decode(spoiled(stored(mini), where, value))


def test_records_that_are_not_the_catalogues_exercises_are_refused(mini: Path) -> None:
    data = stored(mini)
    data["exercises"] = data["exercises"][:1]  # well formed, but one exercise of four
    data["exercises"][0][4] = None
    with pytest.raises(NotRecords):
        decode(data, ["step-one", "step-two", "step-three", "lone-hinge"])


JSON = st.recursive(
    st.none() | st.booleans() | st.integers(-3, 300) | st.text(max_size=12),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=5), inner),
    max_leaves=8,
)


@settings(max_examples=150, deadline=None)
@given(data=st.data(), value=JSON)
def test_any_value_anywhere_is_read_whole_or_refused_as_damage(
    mini_stored: dict[str, Any], data: st.DataObject, value: Any
) -> None:
    """Whatever one value of the stored records becomes, decode gives records or raises
    NotRecords (to the cache, damage: a miss): never another exception, which would be a
    traceback for the person."""
    where: list[Any] = []
    node: Any = mini_stored
    while isinstance(node, list | dict) and node and data.draw(st.booleans()):
        key = data.draw(
            st.sampled_from(sorted(node) if isinstance(node, dict) else range(len(node)))
        )
        where.append(key)
        node = node[key]
    damaged = spoiled(mini_stored, tuple(where), value) if where else value
    try:
        records = decode(damaged)
    except NotRecords:
        return
    assert isinstance(records, PlanIndex)
    for exercise in records.exercises:  # what decode lets through, plans can walk
        assert records.ladder_of(exercise.id).steps


@pytest.fixture(scope="module")
def mini_stored(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    path = tmp_path_factory.mktemp("mini") / "mini.yaml"
    path.write_text(MINI, encoding="utf-8")
    catalog = check_catalog(path).catalog  # checked only: no cache written from here
    assert catalog is not None
    return json.loads(json.dumps(encode(Index(catalog).for_planning())))


def entry_file() -> Path:
    (entry,) = Path(cache.folder() or "").glob("*.kcache")
    return entry


def put_section(name: str, new: bytes | None) -> None:
    """Put `new` in place of the entry's section (None: take it out), the spans moved to fit."""
    where = entry_file()
    head, body = where.read_bytes().split(b"\n", 1)
    header = json.loads(head)
    start, end = header["sections"][name]
    assert end == len(body), f"{name} is the last section"
    if new is None:
        del header["sections"][name]
        new = b""
    else:
        header["sections"][name] = [start, start + len(new)]
    where.write_bytes(json.dumps(header).encode() + b"\n" + body[:start] + new)


@pytest.mark.parametrize("section", [b"[]", b"not json", b'{"exercises":[],"conditions":[]}'])
def test_a_damaged_planning_section_is_a_miss_and_is_rewritten(mini: Path, section: bytes) -> None:
    request = PlanRequest(level=Level.ADVANCED, equipment=frozenset(Equipment))
    expected = make_plan(Index(load_catalog(mini, cached=False)), request)
    put_section("planning", section)
    assert read_plan_index(mini) is None  # the light way in misses...
    index = read.load_index(mini)
    assert make_plan(index, request) == expected  # ...and the whole index falls back to the file
    rewritten = read_plan_index(mini)
    assert rewritten is not None
    assert make_plan(rewritten, request) == expected


def test_an_entry_without_a_planning_section_is_a_miss_for_plans_only(mini: Path) -> None:
    load_catalog(mini)
    put_section("planning", None)
    assert read_plan_index(mini) is None
    index = read.load_index(mini)
    assert isinstance(index, CachedIndex)
    assert index.exercise("step-two").name == "Step two"  # show still reads the entry
    request = PlanRequest(level=Level.BEGINNER)
    assert make_plan(index, request) == make_plan(Index(load_catalog(mini, cached=False)), request)


@pytest.mark.parametrize(
    "args",
    [
        ["plan", "--level", "beginner"],
        ["plan", "--level", "intermediate", "--pain", "knee=7", "--weeks", "4", "--details"],
        ["plan", "--condition", "patellofemoral-pain", "--json"],
    ],
)
def test_a_plan_on_a_cache_hit_imports_no_pydantic(tmp_path: Path, args: list[str]) -> None:
    """Importing pydantic and the models costs more than the rest of `plan` together (issue 14):
    on a cache hit, the plan is made and printed from the plain records alone."""
    env = {**os.environ, "KOTCOACH_CACHE_DIR": str(tmp_path / "cache"), "COLUMNS": "80"}
    heavy = ("pydantic", "kotcoach.catalogue.models")
    first, loaded = imported([args], heavy, env)
    assert "kotcoach.catalogue.models" in loaded  # a miss: validated, and the entry written
    again, loaded = imported([args], heavy, env)
    assert loaded == [] and again.stderr == ""
    assert again.stdout == first.stdout
    assert "Day 1" in again.stdout or '"day": 1' in again.stdout  # a plan, not an error
