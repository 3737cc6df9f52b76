"""`today` into a pipe or a file is laid out without rich's console (kotcoach.render.today's
parts through kotcoach.render.plain): byte for byte what rich prints there, on several logs at
every layout's widths, and on any text in any part."""

from __future__ import annotations

import datetime as dt
import io
import os
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rich.console import Console
from typer.testing import CliRunner

from kotcoach.cli import _pipe, app
from kotcoach.cli._app import _print
from kotcoach.render import today as drawn
from kotcoach.render.today import Grid, Indented, Part, Styled, plain_lines, rich_parts
from tests.conftest import stride

# Either side of each switch of `today`'s layout (the cue stacked under 70 columns, the ids in
# the table from 110) and of the list's, at the widths people use.
WIDTHS = [20, 33, 40, 59, 60, 69, 70, 80, 100, 109, 110, 120, 160]
TODAY = dt.date.today()


def _run(runner: CliRunner, *args: str) -> Any:
    result = runner.invoke(app, list(args), prog_name="kotcoach")
    assert result.exit_code in (0, 3), result.output
    return result


def _ids(runner: CliRunner, reps: bool = False) -> list[str]:
    """Today's exercises (only those dosed in reps)."""
    import json

    shown = json.loads(_run(runner, "today", "--json").stdout)["exercises"]
    return [e["id"] for e in shown if not reps or (e["dose_detail"] or {}).get("reps")]


def _conditions(runner: CliRunner) -> list[list[str]]:
    """A beginner with two conditions (their daily block and stages) and knee pain now: one
    exercise partly done, one stopped for pain, no check-in the next morning."""
    _run(runner, "start", "--level", "beginner", "--condition", "achilles-midportion")
    _run(runner, "start", "--condition", "patellar-tendinopathy", "--pain", "knee=3")
    first, second, *_ = _ids(runner)
    yesterday = (TODAY - dt.timedelta(days=1)).isoformat()
    _run(runner, "log", first, "--sets", "1", "--reps", "10", "--pain-during", "2")
    _run(runner, "log", second, "--sets", "1", "--reps", "8", "--pain-during", "7")
    _run(runner, "checkin", "--pain", "knee=4", "--others", "1", "--date", yesterday)
    return [[], ["--on", yesterday]]


def _loaded(runner: CliRunner) -> list[list[str]]:
    """An advanced programme with loads logged over three weeks, and the morning after."""
    _run(runner, "start", "--level", "advanced", "--equipment", "dumbbells,step,box")
    for days_ago in (20, 13, 6):
        on = (TODAY - dt.timedelta(days=days_ago)).isoformat()
        for exercise in _ids(runner, reps=True)[:4]:
            dose = ["--reps", "12", "--pain-during", "1", "--date", on]
            _run(runner, "log", exercise, "--sets", "3", "--load", "10", *dose)
    first, second, *_ = _ids(runner, reps=True)
    _run(runner, "log", first, "--sets", "1", "--reps", "9", "--load", "12", "--pain-during", "3")
    _run(runner, "log", second, "--sets", "4", "--reps", "30", "--pain-during", "0")
    return [[], ["--on", (TODAY - dt.timedelta(days=10)).isoformat()]]


def _unsaved(runner: CliRunner) -> list[list[str]]:
    """No programme yet: day 1 of a plan from the defaults."""
    return [[]]


@pytest.mark.parametrize("make", [_unsaved, _conditions, _loaded])
def test_today_and_next_print_the_lines_rich_printed(
    make: Any, runner: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`next` on a step of each of today's ladders, and on one with a load step."""
    commands = [["today", *args] for args in make(runner)]
    commands += [["next", ident] for ident in {*_ids(runner)[:3], "leg-press-heavy-slow"}]
    # Outside CI each command checks every other width, its neighbour the widths between, so
    # the run still sees every width; CI (stride 1) checks every width for every command.
    step = stride(2)
    for number, command in enumerate(commands):
        for width in WIDTHS[number % step :: step]:
            monkeypatch.setenv("COLUMNS", str(width))
            with monkeypatch.context() as patched:  # rich draws nothing on the plain path
                patched.setattr(drawn, "rich_parts", _no_rich)
                plain = _run(runner, *command)
            with monkeypatch.context() as patched:
                patched.setattr(_pipe, "plain_width", lambda: None)
                with_rich = _run(runner, *command)
            assert plain.stdout == with_rich.stdout, (make.__name__, command, width)
            said = " ".join(plain.stdout.split())
            assert "Stop if pain goes above 5/10" in said or "why" in said


def _no_rich(parts: Sequence[Part]) -> list[Any]:
    raise AssertionError("drawn with rich on the plain path")


def rich_text(parts: Sequence[Part], width: int) -> str:
    """What rich prints of the parts into a pipe at `width` columns, as `_print` writes it."""
    out = io.StringIO()
    console = Console(file=io.StringIO(), width=width, emoji=False, force_terminal=False)
    saved, sys.stdout = sys.stdout, out
    try:
        _print(*rich_parts(parts), console=console)
    finally:
        sys.stdout = saved
    return out.getvalue()


words = st.text(
    # ASCII, wide (CJK, emoji), combining and zero-width characters, dashes, spaces, new lines
    alphabet=st.sampled_from(list("abcdefghij-/ ,.\n[") + ["漢", "字", "😀", "é", "\u0301", "—"]),
    min_size=0,
    max_size=50,
)


@st.composite
def parts(draw: st.DrawFn) -> list[Part]:
    shown: list[Part] = []
    for kind in draw(st.lists(st.sampled_from(["text", "indented", "grid"]), max_size=5)):
        if kind == "text":
            shown.append(Styled(draw(words), "bold").add(draw(words), "dim"))
        elif kind == "indented":
            shown.append(Indented(Styled(draw(words)), draw(st.integers(1, 8))))
        else:
            columns = draw(
                st.lists(
                    st.tuples(st.booleans(), st.sampled_from(["fold", "ellipsis", "crop"])),
                    min_size=1,
                    max_size=5,
                )
            )
            grid = Grid(draw(st.integers(0, 2)), columns)
            for _ in range(draw(st.integers(1, 4))):
                grid.rows.append([Styled(draw(words)) for _ in columns])
            shown.append(grid)
    return shown


@settings(max_examples=150, deadline=None)
@given(shown=parts(), width=st.integers(min_value=20, max_value=130))
def test_any_text_in_any_part_is_laid_out_as_rich_lays_it_out(
    shown: list[Part], width: int
) -> None:
    """Long words folded or cut, wide characters, empty cells, lines in cells, narrow columns."""
    lines = plain_lines(shown, width)
    if lines is not None:
        assert "\n".join(lines) + "\n" == rich_text(shown, width)  # as the CLI writes them


def test_what_only_rich_lays_out_is_left_to_rich() -> None:
    assert plain_lines([Styled("a\tb")], 80) is None
    assert plain_lines([Indented(Styled("a\u2028b"), 2)], 80) is None
    assert plain_lines([Styled("fine")], 19) is None
    grid = Grid(2, [(True, "ellipsis"), (False, "fold")])
    grid.rows.append([Styled("x"), Styled("a\x0bb")])
    assert plain_lines([grid], 80) is None
    assert plain_lines([Styled("[not markup]")], 80) == ["[not markup]"]


def test_today_and_next_into_a_pipe_import_neither_rich_s_console_nor_the_report(
    tmp_path: Path,
) -> None:
    """What the plain path is for: rich's console and table, and the report's figures
    (coaching.progress), cost `today` more than reading the log. A fresh process shows what
    is imported; the log is a saved programme with a set logged."""
    env = {
        **os.environ,
        "KOTCOACH_CACHE_DIR": str(tmp_path / "cache"),
        "KOTCOACH_DATA_DIR": str(tmp_path / "data"),
        "COLUMNS": "80",
    }
    env.pop("FORCE_COLOR", None)
    env.pop("TTY_COMPATIBLE", None)

    def kotcoach(*args: str) -> subprocess.CompletedProcess[str]:
        command = [sys.executable, "-X", "importtime", "-m", "kotcoach", *args]
        return subprocess.run(command, capture_output=True, text=True, env=env, check=True)

    kotcoach("start", "--level", "beginner")
    kotcoach("log", "tib-raise-wall", "--sets", "1", "--reps", "10", "--pain-during", "1")
    for args in (["next", "tib-raise-wall"], ["today", "--json"], ["today"]):
        found = kotcoach(*args)
        imported = {line.split("|")[-1].strip() for line in found.stderr.splitlines()}
        assert "kotcoach.coaching.coach" in imported, args  # the coach decided
        assert not {"rich.console", "rich.table", "kotcoach.coaching.progress"} & imported, args
    assert "Tibialis raise" in found.stdout
