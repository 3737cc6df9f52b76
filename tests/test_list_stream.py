"""`list` reads the search texts only for --search, and into a pipe prints its table a line at a
time: the same text as printing it whole, without holding the whole rendering."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest
from rich.console import Console

from kotcoach import cache
from kotcoach.catalog import load_catalog
from kotcoach.cli._app import _print
from kotcoach.cli._pipe import print_lines
from kotcoach.ladders import Index
from kotcoach.listing import Filters, listing_of, load_listing, select
from kotcoach.render import exercise_table
from kotcoach.source import builtin_catalog_path


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
    listing = cache.read_listing(mini)
    assert listing is not None
    assert [row.id for row in select(listing, Filters(level="beginner"))] == [
        "step-one",
        "lone-hinge",
    ]
    entry = listing.details._entry  # type: ignore[attr-defined]
    assert "search" not in entry._parsed
    assert [row.id for row in select(listing, Filters(search="HINGE at"))] == ["lone-hinge"]
    assert "search" in entry._parsed


def entry_file() -> Path:
    (entry,) = Path(cache.folder() or "").glob("*.kcache")
    return entry


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
    fresh = cache.read_listing(mini)  # the entry was rewritten whole
    assert fresh is not None
    assert list(fresh.texts) == list(expected.texts)
