"""`show` draws a cached exercise from its sheet (kotcoach.catalogue.sheet), without pydantic: the
sheet read back equals the one made from the models, `show` prints the same either way, and a
damaged sheet is a miss that rewrites the entry."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from typer.testing import CliRunner

from kotcoach.catalogue import cache
from kotcoach.catalogue.ladders import Index
from kotcoach.catalogue.read import load_catalog, read_sheet
from kotcoach.catalogue.sheet import sheet_of
from kotcoach.catalogue.source import builtin_catalog_path
from kotcoach.cli._app import State
from tests.probes import imported


def test_every_cached_sheet_is_the_sheet_of_its_model() -> None:
    path = builtin_catalog_path()
    index = Index(load_catalog(path))  # a miss: validated, and the entry written
    assert any(e.cautions for e in index.catalog.exercises)
    assert any(e.evidence and e.evidence.references for e in index.catalog.exercises)
    for exercise in index.catalog.exercises:
        found = read_sheet(path, exercise.id)
        assert found == (sheet_of(index, exercise), list(index.conditions)), exercise.id


def test_an_id_the_catalogue_does_not_have_is_left_to_the_index(mini: Path) -> None:
    load_catalog(mini)
    assert read_sheet(mini, "no-such-step") is None
    assert read_sheet(mini, "step-two") is not None


@pytest.mark.parametrize("columns", ["80", "40"])
@pytest.mark.parametrize(
    "args",
    [
        ["show", "decline-squat"],
        ["show", "tib-raise-wall"],
        ["show", "decline-squat", "--condition", "patellar-tendinopathy"],
        ["show", "atg-split-squat-raised", "--condition", "Knee-Pain", "--no-pictures"],
    ],
)
def test_show_prints_the_same_from_the_sheet_as_from_the_models(
    args: list[str], columns: str, runner: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    from kotcoach.cli import app

    monkeypatch.setenv("COLUMNS", columns)
    runner.invoke(app, ["list"])  # writes the entry
    drawn = runner.invoke(app, args)
    with monkeypatch.context() as patched:
        patched.setattr(State, "sheet", lambda self, exercise_id: None)
        from_models = runner.invoke(app, args)
    assert drawn.exit_code == from_models.exit_code == 0
    assert drawn.stdout == from_models.stdout
    assert "Cues" in drawn.stdout


@pytest.mark.cold_cache  # the one entry in the cache is the test catalogue's
def test_a_damaged_sheet_is_a_miss_that_rewrites_the_entry(mini: Path) -> None:
    load_catalog(mini)
    entry = next(cache.folder().glob("*.kcache"))  # type: ignore[union-attr]
    whole = entry.read_bytes()
    header, _, body = whole.partition(b"\n")
    start, end = json.loads(header)["sections"]["sheets"]
    sheets = body[start:end]
    # A number for the name, as long as the text it replaces: valid JSON of the wrong type.
    spoilt_sheets = sheets.replace(b'["step-two","Step two",', b'["step-two",2         ,', 1)
    assert spoilt_sheets != sheets and len(spoilt_sheets) == len(sheets)
    spoilt = header + b"\n" + body[:start] + spoilt_sheets + body[end:]
    entry.write_bytes(spoilt)
    assert read_sheet(mini, "step-two") is None
    assert entry.read_bytes() == whole  # rewritten from the file
    found = read_sheet(mini, "step-two")
    assert found is not None and found[0].name == "Step two"


def test_show_and_list_on_a_cache_hit_import_no_pydantic(tmp_path: Path) -> None:
    """Nor, into a pipe, rich's console."""
    env = {**os.environ, "KOTCOACH_CACHE_DIR": str(tmp_path / "cache"), "COLUMNS": "80"}
    heavy = ("pydantic", "kotcoach.catalogue.models", "rich.console")
    show = [["show", "decline-squat"]]
    first, loaded = imported(show, heavy, env)
    assert "kotcoach.catalogue.models" in loaded  # a miss: validated, the entry written
    again, loaded = imported(show, heavy, env)
    assert loaded == [] and again.stderr == ""
    assert again.stdout == first.stdout and "Cues" in again.stdout
    listed, loaded = imported([["list"]], heavy, env)
    assert loaded == [] and listed.stderr == ""
    assert "decline-squat" in listed.stdout
