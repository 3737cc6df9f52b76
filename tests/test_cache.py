"""The catalogue cache: a hit skips parsing, any change is a miss, damage is harmless."""

from __future__ import annotations

from pathlib import Path

import pytest

from kotcoach import cache, catalog
from kotcoach.catalog import load_catalog
from kotcoach.errors import CatalogError
from kotcoach.ladders import Index
from kotcoach.listing import listing_of, load_listing
from tests.conftest import MINI


def refuse_to_parse(monkeypatch: pytest.MonkeyPatch) -> None:
    def parse(*args: object) -> None:
        raise AssertionError("the YAML was parsed")

    monkeypatch.setattr(catalog, "_compose", parse)


def test_a_hit_rebuilds_the_same_catalogue_without_parsing(
    mini: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    fresh = load_catalog(mini)
    refuse_to_parse(monkeypatch)
    cached = load_catalog(mini)
    assert cached == fresh
    assert cached.exercises[1].dose is not None
    assert cached.exercises[1].dose.describe() == "3 × 8 per side"
    assert cached.exercises[0].level.rank == 0


def test_the_listing_comes_from_the_cache(mini: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    expected = listing_of(Index(load_catalog(mini)))
    refuse_to_parse(monkeypatch)
    assert load_listing(mini) == expected


def test_an_edit_is_a_miss(mini: Path) -> None:
    load_catalog(mini)
    mini.write_text(MINI.replace("name: Step one", "name: Step 1"), encoding="utf-8")
    assert load_catalog(mini).exercises[0].name == "Step 1"
    assert load_listing(mini).rows[0].name == "Step 1"


def test_an_edit_that_breaks_the_file_is_reported(mini: Path) -> None:
    load_catalog(mini)
    mini.write_text(MINI.replace("level: advanced", "level: pro"), encoding="utf-8")
    with pytest.raises(CatalogError):
        load_catalog(mini)
    with pytest.raises(CatalogError):
        load_listing(mini)


def test_a_damaged_entry_is_a_miss_and_is_rewritten(mini: Path) -> None:
    load_catalog(mini)
    (entry,) = Path(cache.folder() or "").glob("*.json")
    entry.write_text("{not json", encoding="utf-8")
    assert len(load_catalog(mini).exercises) == 4
    assert entry.read_text(encoding="utf-8").startswith('{"key"')


def test_no_cache_when_turned_off(mini: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KOTCOACH_NO_CACHE", "1")
    load_catalog(mini)
    monkeypatch.delenv("KOTCOACH_NO_CACHE")
    assert not list(Path(cache.folder() or "").glob("*"))


def test_an_unwritable_cache_does_not_stop_anything(
    mini: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("", encoding="utf-8")
    monkeypatch.setenv("KOTCOACH_CACHE_DIR", str(blocker / "cache"))
    assert len(load_catalog(mini).exercises) == 4
    assert len(load_listing(mini).rows) == 4
