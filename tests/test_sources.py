"""kotcoach sources: the bibliography, each reference with its DOI and what cites it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from kotcoach.base.errors import NotFoundError
from kotcoach.catalogue.bibliography import bibliography, find_source
from kotcoach.catalogue.loading import builtin_catalog_path
from kotcoach.catalogue.models import Catalog
from kotcoach.catalogue.read import load_catalog
from kotcoach.cli import app


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return load_catalog(builtin_catalog_path())


def run(runner: CliRunner, *args: str):  # type: ignore[no-untyped-def]
    return runner.invoke(app, list(args), prog_name="kotcoach")


def test_every_reference_is_listed_once_in_catalogue_order(catalog: Catalog) -> None:
    keys = [source.reference.key for source in bibliography(catalog)]
    assert keys == [reference.key for reference in catalog.references]


def test_cited_by_names_exactly_what_cites_a_reference(catalog: Catalog) -> None:
    young = find_source(bibliography(catalog), "young2005")
    expected = [
        e.id for e in catalog.exercises if e.evidence and "young2005" in e.evidence.references
    ]
    assert list(young.cited_by.exercises) == expected
    assert "decline-squat-single-leg" in young.cited_by.exercises
    assert young.cited_by.conditions == ("patellar-tendinopathy",)
    assert young.cited_by.myths == ("knee-forward-causes-pain",)
    assert young.doi_url == "https://doi.org/10.1136/bjsm.2003.010587"


def test_an_unknown_key_names_the_closest(catalog: Catalog) -> None:
    with pytest.raises(NotFoundError, match="young2005"):
        find_source(bibliography(catalog), "young2004")


def test_json_lists_every_reference_with_doi_and_citations(catalog: Catalog) -> None:
    result = run(CliRunner(), "sources", "--json")
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    assert [item["key"] for item in data] == [r.key for r in catalog.references]
    fry = next(item for item in data if item["key"] == "fry2003")
    assert fry["doi"] == "10.1519/1533-4287(2003)017<0629:EOKPOH>2.0.CO;2"
    assert fry["doi_url"] == "https://doi.org/10.1519/1533-4287(2003)017%3C0629:EOKPOH%3E2.0.CO;2"
    assert "knees-behind-toes" in fry["cited_by"]["myths"]
    atg = next(item for item in data if item["key"] == "atg-kaz")
    assert "doi" not in atg and "doi_url" not in atg


def test_one_key_in_full(catalog: Catalog) -> None:
    result = run(CliRunner(), "sources", "kongsgaard2009")
    assert result.exit_code == 0, result.stderr
    text = " ".join(result.stdout.split())
    assert "https://doi.org/10.1111/j.1600-0838.2009.00949.x" in text.replace(" ", "")
    assert "39 men" in text  # the note: what the trial found, in full
    assert "leg-press-heavy-slow" in text and "patellar-tendinopathy" in text


def test_one_key_as_json_is_an_object() -> None:
    result = run(CliRunner(), "sources", "atg-kaz", "--json")
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    assert data["key"] == "atg-kaz" and "not a trial" in data["note"]


def test_an_unknown_key_is_one_line_on_stderr_and_exit_1() -> None:
    result = run(CliRunner(), "sources", "young2004")
    assert result.exit_code == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "young2005" in lines[0] and "Traceback" not in result.stdout
    assert result.stdout == ""


def test_a_catalogue_without_references_lists_none(tmp_path: Path) -> None:
    path = tmp_path / "tiny.yaml"
    path.write_text(
        "exercises:\n  - id: a\n    name: A\n    level: beginner\n    cues: [Go]\n",
        encoding="utf-8",
    )
    result = run(CliRunner(), "--catalog", str(path), "sources", "--json")
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout) == []
