"""`list` reads the search texts only for --search, and into a pipe prints its table a line at a
time: the same text as printing it whole, without holding the whole rendering."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest
from rich.console import Console

from kotcoach.catalogue import cache, read
from kotcoach.catalogue.ladders import Index
from kotcoach.catalogue.listing import Filters, listing_of, select
from kotcoach.catalogue.read import load_catalog, load_listing
from kotcoach.catalogue.source import builtin_catalog_path
from kotcoach.cli._app import _print
from kotcoach.cli._pipe import print_lines
from kotcoach.render import exercise_table


@pytest.mark.parametrize("width", [30, 40, 59, 60, 79, 80, 99, 100, 150])
@pytest.mark.parametrize("condition", [None, "knee-pain"])
def test_a_table_printed_line_by_line_is_the_table_printed_whole(
    width: int, condition: str | None, capsys: pytest.CaptureFixture[str]
) -> None:
    rows = select(load_listing(builtin_catalog_path()), Filters(condition=condition))
    console = Console(width=width, force_terminal=False)
    _print(exercise_table(rows, condition, width), console=console)
    whole = capsys.readouterr().out
    print_lines(exercise_table(rows, condition, width), console)
    assert capsys.readouterr().out == whole
    assert whole.count("\n") > len(rows)


def test_odd_line_ends_in_a_name_print_as_they_did(capsys: pytest.CaptureFixture[str]) -> None:
    """_print splits the whole text at every line end str.splitlines knows (\u2028, \v, ...),
    and strips each line's trailing spaces: so do the lines printed one by one."""
    rows = select(load_listing(builtin_catalog_path()), Filters(search="tib"))
    odd = [replace(row, name=row.name + "\u2028x\x0by  ") for row in rows]
    console = Console(width=100, force_terminal=False)
    _print(exercise_table(odd, None, 100), console=console)
    whole = capsys.readouterr().out
    print_lines(exercise_table(odd, None, 100), console)
    assert capsys.readouterr().out == whole
    assert "\u2028" not in whole and "y\n" in whole


def test_list_reads_the_search_texts_only_for_a_search(mini: Path) -> None:
    load_catalog(mini)
    listing = read.read_listing(mini)
    assert listing is not None
    assert [row.id for row in select(listing, Filters(level="beginner"))] == [
        "step-one",
        "lone-hinge",
    ]
    entry = listing.details._read.entry  # type: ignore[attr-defined]
    assert "search" not in entry._parsed
    assert [row.id for row in select(listing, Filters(search="HINGE at"))] == ["lone-hinge"]
    assert "search" in entry._parsed


def test_a_search_builds_only_the_rows_it_finds(mini: Path) -> None:
    load_catalog(mini)
    listing = read.read_listing(mini)
    assert listing is not None
    assert [row.id for row in select(listing, Filters(search="deeper"))] == ["step-two"]
    assert list(listing.rows._built) == [1]  # type: ignore[attr-defined]
    assert [row.id for row in listing.rows[-2:]] == ["step-three", "lone-hinge"]


@pytest.mark.cold_cache  # counts or damages the entries: an empty cache
def test_a_damaged_row_found_by_a_search_falls_back_to_the_file(mini: Path) -> None:
    load_catalog(mini)
    where = entry_file()
    whole = where.read_bytes()
    old, new = b'["step-two","Step two","intermediate"', b'["step-two",2,"intermediate"'
    spoilt = whole.replace(old, new, 1)  # in the listing, the first section
    assert spoilt != whole
    shift = len(old) - len(new)
    head, body = spoilt.split(b"\n", 1)
    header = json.loads(head)
    assert header["sections"]["listing"][0] == 0
    for name, (first, last) in header["sections"].items():
        header["sections"][name] = [first - shift if first else 0, last - shift]
    where.write_bytes(json.dumps(header).encode() + b"\n" + body)
    listing = load_listing(mini)
    assert [row.name for row in select(listing, Filters(search="deeper"))] == ["Step two"]
    assert [row.name for row in listing.rows] == [
        "Step one",
        "Step two",
        "Step three",
        "Lone hinge",
    ]
    assert b'"step-two",2,' not in where.read_bytes()  # the entry was rewritten


def entry_file() -> Path:
    (entry,) = Path(cache.folder() or "").glob("*.kcache")
    return entry


@pytest.mark.cold_cache  # counts or damages the entries: an empty cache
@pytest.mark.parametrize("texts", [b"{}", b'["just one"]', b"[1,2,3,4]", b"nope"])
def test_damaged_search_texts_fall_back_to_the_file(mini: Path, texts: bytes) -> None:
    expected = listing_of(Index(load_catalog(mini, cached=False)))
    where = entry_file()
    head, body = where.read_bytes().split(b"\n", 1)
    header = json.loads(head)
    start, end = header["sections"]["search"]
    shift = len(texts) - (end - start)
    header["sections"]["search"] = [start, start + len(texts)]
    for name, (first, last) in header["sections"].items():
        if first >= end:
            header["sections"][name] = [first + shift, last + shift]
    where.write_bytes(json.dumps(header).encode() + b"\n" + body[:start] + texts + body[end:])
    listing = load_listing(mini)
    assert [row.id for row in listing.rows] == [row.id for row in expected.rows]  # a hit
    assert [r.id for r in select(listing, Filters(search="step"))] == [
        "step-one",
        "step-two",
        "step-three",
    ]
    assert list(listing.texts) == list(expected.texts)
    fresh = read.read_listing(mini)  # the entry was rewritten whole
    assert fresh is not None
    assert list(fresh.texts) == list(expected.texts)
