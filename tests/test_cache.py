"""The catalogue cache: a hit skips parsing and reads only what it needs, any change is a miss,
damage of any kind is a miss, and the cache never changes what a command prints."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import date
from enum import StrEnum
from pathlib import Path
from typing import Any, Literal

import pytest
from pydantic import BaseModel, ConfigDict, Field
from typer.testing import CliRunner

from kotcoach.base.errors import CatalogError, NotFoundError
from kotcoach.catalogue import cache, cached_index, read
from kotcoach.catalogue import loading as catalog
from kotcoach.catalogue.cache import Damaged
from kotcoach.catalogue.cached_index import CachedIndex, builder, encode
from kotcoach.catalogue.ladders import Index
from kotcoach.catalogue.listing import listing_of
from kotcoach.catalogue.read import load_catalog, load_listing
from kotcoach.catalogue.source import builtin_catalog_path
from kotcoach.cli import app
from tests.conftest import MINI
from tests.probes import imported

# Tests of the cache and what is read from it: each starts with an empty one, as a fresh
# install does (a first read parses the catalogue).
pytestmark = pytest.mark.cold_cache


def refuse_to_parse(monkeypatch: pytest.MonkeyPatch) -> None:
    def parse(*args: object) -> None:
        raise AssertionError("the YAML was parsed")

    monkeypatch.setattr(catalog, "_compose", parse)


def entry_file() -> Path:
    (entry,) = Path(cache.folder() or "").glob("*.kcache")
    return entry


# ---- hits and misses -------------------------------------------------------------------------


def test_a_hit_rebuilds_the_same_catalogue_without_parsing(
    mini: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    fresh = load_catalog(mini)
    refuse_to_parse(monkeypatch)
    cached = load_catalog(mini)
    assert cached == fresh
    assert cached.model_dump() == fresh.model_dump()
    assert cached.exercises[1].dose is not None
    assert cached.exercises[1].dose.describe() == "3 × 8 per side"
    assert cached.exercises[0].level.rank == 0


def test_the_shipped_catalogue_survives_the_round_trip(monkeypatch: pytest.MonkeyPatch) -> None:
    path = builtin_catalog_path()
    fresh = load_catalog(path)
    refuse_to_parse(monkeypatch)
    cached = load_catalog(path)
    assert cached.model_dump(mode="json") == fresh.model_dump(mode="json")
    assert cached == fresh


def test_the_listing_comes_from_the_cache(mini: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    expected = listing_of(Index(load_catalog(mini)))
    refuse_to_parse(monkeypatch)
    listing = load_listing(mini)
    assert listing.rows == expected.rows
    assert listing.conditions == expected.conditions
    assert dict(listing.details) == dict(expected.details)


def test_an_edit_is_a_miss(mini: Path) -> None:
    load_catalog(mini)
    mini.write_text(MINI.replace("name: Step one", "name: Step 1"), encoding="utf-8")
    assert load_catalog(mini).exercises[0].name == "Step 1"
    assert load_listing(mini).rows[0].name == "Step 1"
    assert read.load_index(mini).exercise("step-one").name == "Step 1"


def test_an_edit_that_breaks_the_file_is_reported(mini: Path) -> None:
    load_catalog(mini)
    mini.write_text(MINI.replace("level: advanced", "level: pro"), encoding="utf-8")
    with pytest.raises(CatalogError):
        load_catalog(mini)
    with pytest.raises(CatalogError):
        load_listing(mini)
    with pytest.raises(CatalogError):
        read.load_index(mini)


def test_a_change_to_the_model_code_is_a_miss(mini: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    load_catalog(mini)
    old = cache._key(mini.read_bytes())
    monkeypatch.setattr(cache, "FORMAT", cache.FORMAT + 1)  # as an edit to the code would
    assert cache._key(mini.read_bytes()) != old
    assert cache.read(mini, mini.read_bytes()) is None


def test_no_cache_when_turned_off(mini: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KOTCOACH_NO_CACHE", "1")
    load_catalog(mini)
    monkeypatch.delenv("KOTCOACH_NO_CACHE")
    assert not list(Path(cache.folder() or "").glob("*"))


@pytest.mark.parametrize("value", ["1", "true", "yes", "TRUE", " Yes "])
def test_no_cache_values_that_turn_it_off(value: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KOTCOACH_NO_CACHE", value)
    assert cache.folder() is None


@pytest.mark.parametrize("value", ["0", "false", "no", ""])
def test_no_cache_values_that_leave_it_on(value: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KOTCOACH_NO_CACHE", value)
    assert cache.folder() == Path(os.environ["KOTCOACH_CACHE_DIR"])


@pytest.mark.skipif(sys.platform != "linux", reason="the XDG variables apply on Linux")
def test_the_cache_folder_follows_xdg_and_ignores_a_relative_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("KOTCOACH_CACHE_DIR")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert cache.folder() == tmp_path / "xdg" / "kotcoach"
    monkeypatch.setenv("XDG_CACHE_HOME", "relative/cache")
    assert cache.folder() == tmp_path / "home" / ".cache" / "kotcoach"
    monkeypatch.delenv("XDG_CACHE_HOME")
    assert cache.folder() == tmp_path / "home" / ".cache" / "kotcoach"


def test_an_unwritable_cache_does_not_stop_anything(
    mini: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("", encoding="utf-8")
    monkeypatch.setenv("KOTCOACH_CACHE_DIR", str(blocker / "cache"))
    assert len(load_catalog(mini).exercises) == 4
    assert len(load_listing(mini).rows) == 4
    assert read.load_index(mini).exercise("lone-hinge").name == "Lone hinge"


# ---- reading only what is needed -------------------------------------------------------------


def test_show_builds_one_ladder_not_the_catalogue(
    mini: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    load_catalog(mini)

    def whole(*args: object, **kwargs: object) -> None:
        raise AssertionError("the whole catalogue was built")

    monkeypatch.setattr(cached_index, "build_catalog", whole)
    index = read.load_index(mini)
    assert isinstance(index, CachedIndex)
    assert index.exercise("step-two").name == "Step two"
    assert [s.id for s in index.ladder_of("step-two").steps] == [
        "step-one",
        "step-two",
        "step-three",
    ]
    easier, harder = index.easier("step-two"), index.harder("step-two")
    assert (easier and easier.id, harder and harder.id) == ("step-one", "step-three")
    assert index.conditions["sore-knee"].name == "Sore knee"
    assert index.references["ref-a"].authors == "Doe J"
    assert sorted(index._built) == ["step-one", "step-three", "step-two"]


@pytest.mark.parametrize("which", ["mini", "shipped"])
def test_the_cached_index_answers_as_the_index_does(which: str, mini: Path) -> None:
    path = mini if which == "mini" else builtin_catalog_path()
    expected = Index(load_catalog(path))
    for exercise in expected.catalog.exercises:  # one question at a time, each on a new index
        lazy = read.load_index(path)
        assert isinstance(lazy, CachedIndex)
        assert lazy.exercise(exercise.id) == exercise
        assert lazy.ladder_of(exercise.id) == expected.ladder_of(exercise.id)
        assert lazy.easier(exercise.id) == expected.easier(exercise.id)
        assert lazy.harder(exercise.id) == expected.harder(exercise.id)
    lazy = read.load_index(path)
    assert lazy.conditions == expected.conditions
    assert lazy.references == expected.references
    assert lazy.ladders == expected.ladders
    assert lazy.by_id == expected.by_id
    assert lazy.catalog == expected.catalog
    lazy = read.load_index(path)  # the whole catalogue first, then the look-ups
    assert lazy.catalog == expected.catalog
    first = expected.catalog.exercises[0].id
    assert lazy.ladder_of(first) == expected.ladder_of(first)


def test_an_unknown_id_gets_the_same_suggestions(mini: Path) -> None:
    load_catalog(mini)
    with pytest.raises(NotFoundError) as lazy:
        read.load_index(mini).exercise("step-twoo")
    with pytest.raises(NotFoundError) as full:
        Index(load_catalog(mini)).exercise("step-twoo")
    assert (str(lazy.value), lazy.value.hint) == (str(full.value), full.value.hint)


def test_the_same_objects_before_and_after_building_everything(mini: Path) -> None:
    load_catalog(mini)
    index = read.load_index(mini)
    one = index.exercise("step-one")
    assert index.by_id["step-one"] is one
    assert index.catalog.exercises[0] is one


# ---- damage of every kind is a miss ----------------------------------------------------------


def forge(where: Path, key: str, sections: dict[str, bytes], fmt: int = cache.FORMAT) -> None:
    """Write an entry by hand: a header naming each section's span, then the sections."""
    body = b""
    spans = {}
    for name, data in sections.items():
        spans[name] = [len(body), len(body) + len(data)]
        body += data
    header = json.dumps({"format": fmt, "key": key, "sections": spans}).encode()
    where.write_bytes(header + b"\n" + body)


def good_sections(path: Path) -> dict[str, bytes]:
    """The sections of a good entry for `path`, to spoil one at a time."""
    load_catalog(path)
    entry = cache.read(path, path.read_bytes())
    assert entry is not None
    order = ("listing", "exercises", "details", "spans", "ladders", "conditions", "myths")
    order += ("references", "catalog")
    assert sorted(order) == sorted(cache._SECTIONS)
    sections = {name: entry.section_bytes(name)[1] for name in order}
    entry.close()
    # Forged unspoilt, the entry is a hit: so a test that spoils one part tests that part.
    forge(entry_file(), cache._key(path.read_bytes()), sections)
    assert read.read_listing(path, path.read_bytes()) is not None
    assert read.read_catalog(path, path.read_bytes()) is not None
    return sections


def assert_everything_still_works(mini: Path) -> None:
    assert [e.id for e in load_catalog(mini).exercises][:2] == ["step-one", "step-two"]
    assert [row.id for row in load_listing(mini).rows][:2] == ["step-one", "step-two"]
    assert load_listing(mini).details["lone-hinge"]["name"] == "Lone hinge"
    index = read.load_index(mini)
    assert index.exercise("step-two").name == "Step two"
    assert [s.id for s in index.ladder_of("step-three").steps][0] == "step-one"
    assert index.conditions["sore-knee"].avoid == ["step-three"]
    assert len(index.catalog.exercises) == 4


@pytest.mark.parametrize(
    "content",
    [b"[]", b"null", b"42", b'"text"', b"{}", b"{not json", b"", b"\xff\xfe\x00", b"[]\n{}"],
)
def test_a_file_of_the_wrong_kind_is_a_miss_and_is_rewritten(mini: Path, content: bytes) -> None:
    load_catalog(mini)
    entry = entry_file()
    entry.write_bytes(content)
    assert_everything_still_works(mini)
    assert entry.read_bytes().startswith(b'{"format":')


def test_a_header_of_the_wrong_shape_is_a_miss(mini: Path) -> None:
    sections = good_sections(mini)
    key = cache._key(mini.read_bytes())
    entry = entry_file()
    for header in (
        {"format": cache.FORMAT, "key": key},
        {"format": cache.FORMAT, "key": key, "sections": []},
        {"format": cache.FORMAT, "key": key, "sections": {"listing": "0-5"}},
        {"format": cache.FORMAT, "key": key, "sections": {n: [0, 10**9] for n in sections}},
        {"format": cache.FORMAT, "key": key, "sections": {n: [5, 1] for n in sections}},
        {"format": cache.FORMAT, "key": [key], "sections": {}},
        {"format": "2", "key": key, "sections": {}},
    ):
        entry.write_bytes(json.dumps(header).encode() + b"\n" + b"{}" * 100)
        assert_everything_still_works(mini)


def test_another_key_is_never_served(mini: Path) -> None:
    sections = good_sections(mini)
    stale = {**sections, "listing": sections["listing"].replace(b"Step one", b"Stale one")}
    forge(entry_file(), "0" * 64, stale)
    assert load_listing(mini).rows[0].name == "Step one"


@pytest.mark.parametrize(
    ("section", "old", "new"),
    [
        ("listing", b'"rows":[', b'"rows":[42,'),
        ("listing", b'"conditions":[', b'"conditions":[7,'),
        ("listing", b'"rows":[[', b'"rows":[[null,'),
        ("exercises", b'"Step two","intermediate"', b'"Step two","pro"'),
        ("exercises", b'"Step two","intermediate"', b'"Step two",["intermediate"]'),
        ("exercises", b'["Heel stays down"', b'[42,"Heel stays down"'),
        ("exercises", b"[2,10,", b'["2",10,'),
        ("exercises", b"[2,10,", b"[true,10,"),
        ("exercises", b"[3,8,null,null,true,", b"[3,8,null,null,1,"),
        ("exercises", b'"step-two","Step two",', b'"step-two",'),
        ("exercises", b'"step-two","Step two",', b'"step-two","Step two","red",'),
        ("exercises", b'["knee"],[],["less-pain"]', b'{"knee":1},[],["less-pain"]'),
        ("exercises", b'"step-two","Step two"', b'"step-2","Step two"'),
        ("details", b'{"id":"lone-hinge"', b'{"id":"lone-hinge-2"'),
        ("spans", b'["step-two",', b'["step-two",-5,'),
        ("spans", b"[[", b"[42,["),
        ("ladders", b'"step-two"', b"2"),
        ("ladders", b'"step-two",', b""),
        ("conditions", b'["step-one"],["step-three"]', b'["step-one"],"step-three"'),
        ("references", b'"Doe J",2020', b'"Doe J","2020"'),
        ("catalog", b"{}", b"[]"),
        ("catalog", b"{}", b'{"colour":"red"}'),
    ],
)
def test_a_section_of_the_wrong_shape_is_a_miss(
    mini: Path, section: str, old: bytes, new: bytes
) -> None:
    sections = good_sections(mini)
    assert old in sections[section], (section, old)
    spoilt = {**sections, section: sections[section].replace(old, new, 1)}
    if section == "exercises":  # keep the spans pointing at the spoilt exercises
        spoilt = respan(sections, spoilt["exercises"])
    forge(entry_file(), cache._key(mini.read_bytes()), spoilt)
    assert_everything_still_works(mini)


def respan(sections: dict[str, bytes], exercises: bytes) -> dict[str, bytes]:
    """The sections with `exercises` in place of theirs, the spans moved to fit: damage to an
    exercise inside a file that is otherwise whole (the spans keep the ids written)."""
    old_spans = json.loads(sections["spans"])
    start = len(sections["listing"])  # the exercises come right after the listing
    offsets = []
    at = start + 1
    for item in json.loads(exercises):
        size = len(json.dumps(item, ensure_ascii=False, separators=(",", ":")).encode())
        offsets.append((at, at + size))
        at += size + 1
    shift = start + len(exercises) - old_spans[0][3] + 1  # the details come next
    spans = [
        [span[0], *offsets[n], span[3] + shift, span[4] + shift] for n, span in enumerate(old_spans)
    ]
    return {**sections, "exercises": exercises, "spans": json.dumps(spans).encode()}


def test_a_truncated_entry_is_a_miss(mini: Path) -> None:
    load_catalog(mini)
    entry = entry_file()
    whole = entry.read_bytes()
    for size in (len(whole) - 1, len(whole) // 2, whole.index(b"\n") + 1):
        entry.write_bytes(whole[:size])
        assert_everything_still_works(mini)
        entry.write_bytes(whole[:size])  # it was rewritten: spoil it again for the index
        index = read.load_index(mini)
        assert index.exercise("lone-hinge").cues == ["Hinge at the hips"]


def test_damage_found_after_a_hit_falls_back_to_the_file(mini: Path) -> None:
    sections = good_sections(mini)
    exercises = sections["exercises"].replace(b'"Step three","advanced"', b'"Step three","pro"')
    spoilt = respan(sections, exercises)
    forge(entry_file(), cache._key(mini.read_bytes()), spoilt)
    index = read.load_index(mini)
    assert index.exercise("step-one").name == "Step one"  # a good exercise: read as a hit
    assert index.exercise("step-three").level == "advanced"  # the bad one: from the file
    assert index.ladders[0].steps[2].level == "advanced"
    assert b'"pro"' not in entry_file().read_bytes()  # and the entry was rewritten


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")
def test_a_fifo_in_place_of_the_entry_does_not_hang(mini: Path) -> None:
    load_catalog(mini)
    entry = entry_file()
    entry.unlink()
    os.mkfifo(entry)
    assert_everything_still_works(mini)  # would block forever reading a FIFO with no writer
    assert entry.is_file()  # replaced by a good entry


@pytest.mark.parametrize("target", ["/dev/zero", "/dev/urandom", "elsewhere.kcache"])
def test_a_symlink_in_place_of_the_entry_is_not_followed(
    mini: Path, tmp_path: Path, target: str
) -> None:
    load_catalog(mini)
    entry = entry_file()
    if not target.startswith("/"):  # a link to a good entry is still a link: not read
        target = str(tmp_path / target)
        Path(target).write_bytes(entry.read_bytes())
    if not Path(target).exists():
        pytest.skip(f"{target} is not on this system")
    entry.unlink()
    entry.symlink_to(target)
    assert_everything_still_works(mini)
    assert not entry.is_symlink()


def test_a_folder_in_place_of_the_entry_is_a_miss(mini: Path) -> None:
    load_catalog(mini)
    entry = entry_file()
    entry.unlink()
    entry.mkdir()
    assert_everything_still_works(mini)


def test_an_oversized_entry_is_not_read(mini: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    load_catalog(mini)
    monkeypatch.setattr(cache, "MAX_ENTRY_BYTES", entry_file().stat().st_size - 1)
    assert cache.read(mini, mini.read_bytes()) is None
    assert_everything_still_works(mini)


# ---- concurrency -----------------------------------------------------------------------------


def test_an_open_entry_keeps_reading_what_it_opened(mini: Path) -> None:
    load_catalog(mini)
    old = read.load_index(mini)
    mini.write_text(MINI.replace("name: Step two", "name: Step 2"), encoding="utf-8")
    load_catalog(mini)  # another run replaces the entry meanwhile
    assert old.exercise("step-two").name == "Step two"  # the old entry, whole and consistent
    assert read.load_index(mini).exercise("step-two").name == "Step 2"


def test_many_runs_at_once_agree(mini: Path, tmp_path: Path) -> None:
    env = {**os.environ, "KOTCOACH_CACHE_DIR": str(tmp_path / "shared-cache")}
    commands = [["show", "step-two"], ["list", "--json"], ["ladder", "step-one"]] * 2
    runs = [
        subprocess.Popen(
            [sys.executable, "-m", "kotcoach", "--catalog", str(mini), *command],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        for command in commands
    ]
    outputs = [run.communicate(timeout=120) for run in runs]
    assert [run.returncode for run in runs] == [0] * len(runs)
    for command, (out, err) in zip(commands, outputs, strict=True):
        assert err == b""
        assert out == outputs[commands.index(command)][0]
    assert len(list((tmp_path / "shared-cache").glob("*.kcache"))) == 1
    assert not list((tmp_path / "shared-cache").glob("*.tmp"))


# ---- the cache never changes what is printed --------------------------------------------------

SAME_OUTPUT = [
    ["list"],
    ["list", "--json"],
    ["list", "--search", "tib", "--condition", "knee-pain"],
    ["show", "tib-raise-wall"],
    ["show", "tib-raise-wall", "--json"],
    ["ladder"],
    ["ladder", "kot-calf-raise", "--json"],
    ["card", "--ladder", "tib-raise-wall"],
    ["conditions"],
    ["conditions", "knee-pain"],
    ["myths"],
    ["plan", "--level", "intermediate", "--pain", "knee=4", "--condition", "knee-pain"],
    ["plan", "--weeks", "5", "--json"],
    ["show", "tib-raise-wal"],
]


def test_every_command_prints_the_same_with_and_without_the_cache(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    runner = CliRunner()

    def outputs() -> list[tuple[int, str, str]]:
        results = [runner.invoke(app, args, prog_name="kotcoach") for args in SAME_OUTPUT]
        return [(r.exit_code, r.stdout, r.stderr) for r in results]

    monkeypatch.setenv("KOTCOACH_NO_CACHE", "1")
    uncached = outputs()
    monkeypatch.delenv("KOTCOACH_NO_CACHE")
    runner.invoke(app, ["list"])  # writes the entry
    assert entry_file().is_file()
    assert outputs() == uncached
    assert [code for code, _, _ in uncached][:-1] == [0] * (len(SAME_OUTPUT) - 1)


def test_list_does_not_import_pydantic(mini: Path, tmp_path: Path) -> None:
    env = {**os.environ, "KOTCOACH_CACHE_DIR": str(tmp_path / "c")}
    args = ["--catalog", str(mini), "list", "--search", "step"]
    _, loaded = imported([args], ("pydantic", "yaml"), env)
    assert loaded  # a miss: the file validated, the entry written
    for extra in ([], ["--json"]):
        done, loaded = imported([[*args, *extra]], ("pydantic", "yaml"), env)
        assert loaded == []
        assert "step" in done.stdout


# ---- the builders ----------------------------------------------------------------------------


class Colour(StrEnum):
    RED = "red"
    BLUE = "blue"


class Inner(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    label: str
    weight: float = 1.0


class Every(BaseModel):
    """A field of every kind the builders know, and one (a date) they hand to pydantic."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    text: str
    count: int = Field(ge=0)
    ratio: float
    flag: bool = False
    kind: Literal["side", "front"] = "side"
    colour: Colour
    colours: list[Colour] = Field(default_factory=list)
    words: list[str] = Field(default_factory=list)
    inner: Inner | None = None
    inners: list[Inner] = Field(default_factory=list)
    table: dict[Literal["a", "b"], Colour] = Field(default_factory=dict)
    maybe: int | None = None
    when: date | None = None


GOOD = Every(
    text="t",
    count=3,
    ratio=0.5,
    flag=True,
    kind="front",
    colour=Colour.RED,
    colours=[Colour.BLUE],
    words=["x", "y"],
    inner=Inner(label="i", weight=2),
    inners=[Inner(label="j")],
    table={"a": Colour.BLUE},
    maybe=None,
    when=date(2024, 2, 29),
)


def stored(model: type[BaseModel], value: BaseModel) -> Any:
    """A model in the form the cache stores it, through JSON."""
    return json.loads(json.dumps(encode(model, value.model_dump(mode="json"))))


def test_a_builder_rebuilds_every_kind_of_field() -> None:
    built = builder(Every)(stored(Every, GOOD))
    assert built == GOOD
    assert built.model_dump() == GOOD.model_dump()
    assert type(built.colour) is Colour and type(built.inners[0]) is Inner
    assert type(built.table["a"]) is Colour and type(built.when) is date
    least = Every(text="t", count=1, ratio=2, colour=Colour.RED)
    assert builder(Every)(stored(Every, least)) == least


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("text", 1),
        ("text", None),
        ("count", "3"),
        ("count", True),
        ("count", 1.5),
        ("ratio", "0.5"),
        ("flag", 1),
        ("kind", "back"),
        ("kind", 1),
        ("colour", "green"),
        ("colour", ["red"]),
        ("colours", "red"),
        ("colours", ["red", "green"]),
        ("words", ["x", 2]),
        ("inner", "i"),
        ("inner", [1, 1.0]),
        ("inner", ["i", 1.0, "extra"]),
        ("inner", {"label": "i", "weight": 1.0}),
        ("inners", [[]]),
        ("table", {"c": "red"}),
        ("table", ["a"]),
        ("maybe", "1"),
        ("when", "someday"),
    ],
)
def test_a_builder_refuses_a_value_of_the_wrong_type(field: str, value: Any) -> None:
    data = stored(Every, GOOD)
    data[list(Every.model_fields).index(field)] = value
    with pytest.raises(Damaged):
        builder(Every)(data)


@pytest.mark.parametrize("value", [[], None, 42, "text", {"text": "t"}, ["t"]])
def test_a_builder_refuses_what_is_not_the_model(value: Any) -> None:
    with pytest.raises(Damaged):
        builder(Every)(value)


def test_a_builder_refuses_a_field_too_many_or_too_few() -> None:
    data = stored(Every, GOOD)
    for spoilt in (data[:-1], [*data, None]):
        with pytest.raises(Damaged):
            builder(Every)(spoilt)
