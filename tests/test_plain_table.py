"""`list` and `show` into a pipe or a file are laid out without rich's console
(kotcoach.render.plain): the same lines rich prints, at every width, on the shipped catalogue and
on any text; and only where rich itself would print plain text."""

from __future__ import annotations

import functools
import io
import sys
from dataclasses import replace

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rich.console import Console
from typer.testing import CliRunner

from kotcoach.catalogue.ladders import Index
from kotcoach.catalogue.listing import Filters, Row, select
from kotcoach.catalogue.read import load_catalog, load_listing
from kotcoach.catalogue.sheet import Sheet, sheet_of
from kotcoach.catalogue.source import builtin_catalog_path
from kotcoach.cli import _pipe
from kotcoach.cli._app import _print
from kotcoach.cli._pipe import plain_width, print_lines
from kotcoach.render import exercise_lines, exercise_table, sheet_lines
from kotcoach.render.exercise import exercise_view
from tests.conftest import stride


def rich_lines(rows: list[Row], condition: str | None, width: int) -> list[str]:
    """What `list` printed into a pipe before: rich's table, a line at a time."""
    out = io.StringIO()
    console = Console(file=io.StringIO(), width=width, emoji=False, force_terminal=False)
    saved, sys.stdout = sys.stdout, out
    try:
        print_lines(exercise_table(rows, condition, width), console)
    finally:
        sys.stdout = saved
    return out.getvalue().splitlines()


def shipped_rows(condition: str | None = None) -> list[Row]:
    return select(load_listing(builtin_catalog_path()), Filters(condition=condition))


# Every layout and the widths either side of each switch (the stacked lines under 80 columns,
# three columns under 100, six from 100); the property test below covers the widths between.
WIDTHS = [1, 2, 7, 20, 33, 40, 59, 60, 79, 80, 81, 90, 99, 100, 101, 123, 160]


@pytest.mark.parametrize("condition", [None, "knee-pain", "patellar-tendinopathy"])
def test_the_shipped_catalogue_is_laid_out_as_rich_lays_it_out(condition: str | None) -> None:
    rows = shipped_rows(condition)
    for width in WIDTHS:
        assert exercise_lines(rows, condition, width) == rich_lines(rows, condition, width), width


words = st.text(
    # ASCII, wide (CJK, emoji), combining and zero-width characters, dashes and spaces
    alphabet=st.sampled_from(list("abcdefghij-/ ,.") + ["漢", "字", "😀", "é", "\u0301", "—"]),
    min_size=0,
    max_size=40,
)


@settings(max_examples=60, deadline=None)
@given(
    names=st.lists(st.tuples(words, words), min_size=1, max_size=6),
    width=st.integers(min_value=1, max_value=130),
    fit=st.sampled_from(["", "favour", "modify", "avoid"]),
)
def test_any_names_are_laid_out_as_rich_lays_them_out(
    names: list[tuple[str, str]], width: int, fit: str
) -> None:
    """Long words folded, wide characters, empty names: any text of a row, any width."""
    base = shipped_rows()[:6]
    rows = [
        replace(row, id=ident or "x", name=name, fits={"c": fit} if fit else {})
        for row, (ident, name) in zip(base, names, strict=False)
    ]
    for condition in (None, "c"):
        assert exercise_lines(rows, condition, width) == rich_lines(rows, condition, width)


def test_text_that_only_rich_lays_out_is_left_to_rich() -> None:
    row = shipped_rows()[0]
    for odd in ("a\tb", "a\u2028b", "[bold]"):
        assert exercise_lines([replace(row, name=odd)], None, 80) is None


@pytest.mark.parametrize(
    ("environ", "plain"),
    [
        ({}, True),
        ({"COLUMNS": "43"}, True),
        ({"COLUMNS": "wide"}, True),
        ({"FORCE_COLOR": "1"}, False),
        ({"FORCE_COLOR": ""}, True),
        ({"TTY_COMPATIBLE": "1"}, False),
        ({"TTY_COMPATIBLE": "0", "FORCE_COLOR": "1"}, True),
    ],
)
def test_plain_lines_only_where_rich_prints_plain_text_at_the_same_width(
    environ: dict[str, str], plain: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in ("COLUMNS", "FORCE_COLOR", "TTY_COMPATIBLE"):
        monkeypatch.delenv(name, raising=False)
    for name, value in environ.items():
        monkeypatch.setenv(name, value)
    stdout = io.TextIOWrapper(io.BytesIO(), encoding="utf-8")
    monkeypatch.setattr(sys, "stdout", stdout)
    console = Console(emoji=False)  # as the CLI makes it
    assert console.is_terminal is not plain
    assert plain_width() == (console.width if plain else None)


def test_a_stream_that_is_not_utf8_is_left_to_rich(monkeypatch: pytest.MonkeyPatch) -> None:
    """rich draws its boxes in ASCII there."""
    monkeypatch.setattr(sys, "stdout", io.TextIOWrapper(io.BytesIO(), encoding="ascii"))
    assert plain_width() is None


def test_list_prints_the_lines_without_rich_and_the_same_with_it(
    runner: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    from kotcoach.cli import app

    for width in ("40", "80", "120"):
        monkeypatch.setenv("COLUMNS", width)
        plain = runner.invoke(app, ["list", "--condition", "knee-pain"])
        with monkeypatch.context() as patched:
            patched.setattr(_pipe, "plain_width", lambda: None)
            drawn = runner.invoke(app, ["list", "--condition", "knee-pain"])
        assert plain.exit_code == drawn.exit_code == 0
        assert plain.stdout == drawn.stdout
        assert len(plain.stdout.splitlines()) > len(shipped_rows("knee-pain"))


def rich_sheet_lines(sheet: Sheet, conditions: list[str], width: int) -> list[str]:
    """What `show` printed into a pipe before: rich's view of the exercise."""
    out = io.StringIO()
    console = Console(file=io.StringIO(), width=width, emoji=False, force_terminal=False)
    saved, sys.stdout = sys.stdout, out
    try:
        _print(exercise_view(sheet, conditions), console=console)
    finally:
        sys.stdout = saved
    return out.getvalue().splitlines()


@functools.cache
def shipped_sheets() -> list[Sheet]:
    index = Index(load_catalog(builtin_catalog_path()))
    return [sheet_of(index, exercise) for exercise in index.catalog.exercises]


def test_every_shipped_exercise_is_shown_as_rich_shows_it() -> None:
    # The stacked and table layouts of a list and the facts, either side of 60 and 80. Outside
    # CI each sheet is checked at one of the three in turn (every sheet and every layout still
    # checked); CI (stride 1) checks every sheet at all three.
    layouts = [([], 40), (["knee-pain"], 61), ([], 80)]
    step = stride(3)
    for number, sheet in enumerate(shipped_sheets()):
        for conditions, width in layouts[number % step :: step]:
            plain = sheet_lines(sheet, conditions, width)
            assert plain == rich_sheet_lines(sheet, conditions, width), (sheet.id, width)


@settings(max_examples=40, deadline=None)
@given(
    texts=st.lists(words, min_size=6, max_size=6),
    width=st.integers(min_value=20, max_value=130),
)
def test_any_exercise_text_is_shown_as_rich_shows_it(texts: list[str], width: int) -> None:
    """Long words, wide characters, empty texts in every kind of block of the view."""
    sheet = next(s for s in shipped_sheets() if s.cautions and s.evidence and s.mistakes)
    name, cue, mistake, note, change, summary = texts
    assert sheet.evidence is not None
    odd = sheet._replace(
        name=name,
        cues=(cue, *sheet.cues[1:]),
        mistakes=(mistake,),
        dose_details=note,
        cautions=tuple(c._replace(note=note, modification=change) for c in sheet.cautions),
        evidence=sheet.evidence._replace(summary=summary),
    )
    plain = sheet_lines(odd, [], width)
    # None: left to rich (a word of no width); the shipped sheets above are never left to it.
    assert plain is None or plain == rich_sheet_lines(odd, [], width)


def test_what_only_rich_lays_out_in_a_view_is_left_to_rich() -> None:
    sheet = shipped_sheets()[0]
    assert sheet_lines(sheet._replace(setup="a\tb"), [], 80) is None
    assert sheet_lines(sheet._replace(areas=("[bold]",)), [], 80) is None
    assert sheet_lines(sheet, [], 19) is None
    # A combining mark on its own, a word of no width: rich sizes its cell otherwise.
    assert sheet_lines(sheet._replace(mistakes=("\u0301",)), [], 20) is None
    assert sheet_lines(sheet._replace(mistakes=("cafe\u0301",)), [], 20) is not None
    assert sheet_lines(sheet._replace(name="[not markup]"), [], 80) is not None


@settings(max_examples=300, deadline=None)
@given(
    total=st.integers(min_value=0, max_value=200),
    rows=st.lists(
        st.tuples(st.integers(0, 5), st.integers(0, 80), st.integers(0, 120)), max_size=8
    ),
)
def test_the_copy_of_rich_s_ratio_reduce_shares_widths_as_rich_does(
    total: int, rows: list[tuple[int, int, int]]
) -> None:
    """render.plain keeps its own copy (rich._ratio imports fractions and decimal)."""
    from rich._ratio import ratio_reduce as rich_reduce

    from kotcoach.render.plain import ratio_reduce

    ratios, maximums, values = ([row[at] for row in rows] for at in range(3))
    assert ratio_reduce(total, ratios, maximums, values) == rich_reduce(
        total, ratios, maximums, values
    )


def test_spaces_past_a_no_wrap_cell_s_width_are_left_to_rich() -> None:
    """Rich cuts '[ ' in a one-column no-wrap cell to '…'; stripping the space first gave '['."""
    from kotcoach.render.plain import Column, grid, table_lines

    columns = [Column(no_wrap=True, overflow="fold"), Column(no_wrap=True)]
    rows = [["", "[ "], ["[" * 19, ""]]
    assert table_lines(columns, rows, 20, grid(0)) is None
    assert table_lines(columns, [["", "[x"], ["[" * 19, ""]], 20, grid(0)) is not None
