"""Every command wraps and never crops, from 40 columns up: no line wider than the terminal, and
every word of the content (taken from the command's JSON or the catalogue) printed whole."""

from __future__ import annotations

import itertools
import json
import re
from collections.abc import Callable
from typing import Any

import pytest
from rich.cells import cell_len
from typer.testing import CliRunner

from kotcoach.cli import app
from kotcoach.coaching.wording import row_note

WIDTHS = (40, 60, 80, 120)
EDGE = "“”\"'()[]{},.;:!?…"


def _plan_words(data: dict[str, Any]) -> list[str]:
    """The compact plan's words: each row's name, dose, and its change (when pain or a
    condition changed it) or its key cue; the referral."""
    texts = [data.get("referral") or ""]
    weeks = len(data.get("weeks") or [1])
    for session in data["sessions"]:
        for item in [session["warm_up"], *session["exercises"]]:
            if item:
                texts += [item["name"], item["dose"]]
                note = row_note(item["changes"], item["cautions"], len(data["conditions"]))
                if weeks == 1:
                    texts.append(note or item["key_cue"])
    return texts


def _detailed_plan_words(data: dict[str, Any]) -> list[str]:
    """--details says everything: every row's cue and notes, what was left out, every rule."""
    texts = [data.get("referral") or "", *data["left_out"], *data["pain_rules"]]
    for session in data["sessions"]:
        for item in [session["warm_up"], *session["exercises"]]:
            if item:
                texts += [item["name"], item["dose"], item["key_cue"], *item["cautions"]]
    return texts


def _json(runner: CliRunner, args: list[str]) -> Any:
    result = runner.invoke(app, [*args, "--json"], prog_name="kotcoach")
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


CASES: dict[str, tuple[list[str], Callable[[Any], list[str]]]] = {
    "plan": (["plan"], _plan_words),
    "plan with pain": (
        ["plan", "--pain", "knee=4", "--condition", "patellofemoral-pain"],
        _plan_words,
    ),
    "plan referred": (["plan", "--pain", "knee=7", "--pain", "back=3"], _plan_words),
    "plan in full": (
        ["plan", "--pain", "knee=4", "--condition", "patellofemoral-pain", "--details"],
        _detailed_plan_words,
    ),
    "plan, 12 weeks": (
        ["plan", "--weeks", "12", "--level", "advanced", "--equipment", "step,box,dumbbells"],
        _plan_words,
    ),
    "list": (["list"], lambda rows: [t for r in rows for t in (r["id"], r["name"])]),
    "show": (["show", "atg-split-squat-raised"], lambda e: [e["name"], *e["cues"]]),
    "ladder": (
        ["ladder", "tib-raise-wall"],
        lambda ladders: [t for steps in ladders for s in steps for t in (s["id"], s["move_up"])],
    ),
    "myths": (["myths"], lambda ms: [t for m in ms for t in (m["cue"], m["instead"])]),
    "conditions": (
        ["conditions"],
        lambda cs: [t for c in cs for t in (c["id"], c["name"], c["summary"])],
    ),
    "condition": (
        ["conditions", "patellar-tendinopathy"],
        lambda c: [*c["pain_rules"], *c["favour"], *c["avoid"]],
    ),
    "check": (
        ["check", "--no-red-flags", "--pain", "knee=4", "--pain", "back=7"],
        lambda d: [a["advice"] for a in d["areas"]],
    ),
}


def _tokens(text: str) -> set[str]:
    return {word.strip(EDGE) for word in text.split()}


@pytest.mark.parametrize("case", list(CASES))
def test_every_command_wraps_and_never_crops(
    runner: CliRunner, monkeypatch: pytest.MonkeyPatch, case: str
) -> None:
    args, content = CASES[case]
    json_args = ["show", "atg-split-squat-raised"] if args[0] == "card" else args
    expected = _tokens(" ".join(content(_json(runner, json_args)))) - {""}
    assert len(expected) > 5
    for width in WIDTHS:
        monkeypatch.setenv("COLUMNS", str(width))
        result = runner.invoke(app, args, prog_name="kotcoach")
        assert result.exit_code == 0, result.output
        lines = result.stdout.splitlines()
        widest = max(cell_len(line) for line in lines)
        assert widest <= width, f"{case} at {width}: a line of {widest} columns"
        # A word longer than the width must break somewhere; every other word prints whole.
        missing = {w for w in expected - _tokens(result.stdout) if len(w) < width - 8}
        assert not missing, f"{case} at {width} columns lacks {sorted(missing)[:8]}"


@pytest.mark.parametrize("width", WIDTHS)
def test_cards_on_screen_keep_their_title_whole(
    runner: CliRunner, monkeypatch: pytest.MonkeyPatch, width: int
) -> None:
    monkeypatch.setenv("COLUMNS", str(width))
    result = runner.invoke(
        app,
        ["card", "--ladder", "atg-split-squat-raised", "--condition", "patellofemoral-pain"],
        prog_name="kotcoach",
    )
    assert result.exit_code == 0
    assert max(cell_len(line) for line in result.stdout.splitlines()) <= width
    for level in ("beginner", "intermediate", "advanced"):
        assert re.search(rf"\b{level}\b", result.stdout), (width, level)


def test_log_commands_wrap_and_never_crop(
    runner: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    # today and history once had names and cues cut with '…' to keep one line an exercise.
    assert runner.invoke(app, ["start", "--level", "beginner"]).exit_code == 0
    today = _json(runner, ["today"])
    logged = runner.invoke(
        app,
        ["log", today["exercises"][1]["id"], "--sets", "2", "--reps", "10", "--pain-during", "1"],
    )
    assert logged.exit_code == 0, logged.output
    expected = _tokens(
        " ".join(t for e in today["exercises"] for t in (e["name"], e["dose"], e["key_cue"]))
    ) - {""}
    for width in WIDTHS:
        monkeypatch.setenv("COLUMNS", str(width))
        for args in (["today"], ["history"]):
            result = runner.invoke(app, args, prog_name="kotcoach")
            assert result.exit_code == 0, result.output
            assert "…" not in result.stdout, (args, width)
            widest = max(cell_len(line) for line in result.stdout.splitlines())
            assert widest <= width, f"{args} at {width}: a line of {widest} columns"
        shown = _tokens(runner.invoke(app, ["today"], prog_name="kotcoach").stdout)
        missing = {w for w in expected - shown if len(w) < width - 8}
        assert not missing, f"today at {width} columns lacks {sorted(missing)[:8]}"


def _command_paths() -> list[list[str]]:
    """Every command and sub-command, as the words that name it: ['plan'], ['profile', 'set']."""
    import typer.main

    def walk(command: Any, path: list[str]) -> list[list[str]]:
        found = [path]
        for name, sub in sorted(getattr(command, "commands", {}).items()):
            found += walk(sub, [*path, name])
        return found

    return walk(typer.main.get_command(app), [])


@pytest.mark.parametrize("width", WIDTHS)
def test_every_help_fits_and_breaks_no_word(
    runner: CliRunner, monkeypatch: pytest.MonkeyPatch, width: int
) -> None:
    # The red flags under 'plan --help' once broke 'wh / en' at 40 columns: click's help never
    # went below 50 columns, and its unwrapped lists never wrapped at all.
    from kotcoach.base.vocab import RED_FLAG_TEXT

    monkeypatch.setenv("COLUMNS", str(width))
    paths = _command_paths()
    assert len(paths) > 20
    for path in paths:
        result = runner.invoke(app, [*path, "--help"], prog_name="kotcoach")
        assert result.exit_code == 0, (path, result.output)
        lines = result.stdout.splitlines()
        widest = max(cell_len(line) for line in lines)
        assert widest <= width, f"{' '.join(path)} --help at {width}: a line of {widest}"
        if path in (["plan"], ["start"], ["check"]):
            expected = _tokens(" ".join(RED_FLAG_TEXT.values())) - {""}
            missing = expected - _tokens(result.stdout)
            assert not missing, (path, width, sorted(missing)[:5])


def test_next_and_today_keep_their_indent_and_doses_whole(
    runner: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Wrapped lines of 'next' once fell back to the left edge, and a dose split '2 / × 20'.
    import datetime as dt

    def ago(days: int) -> str:
        return (dt.date.today() - dt.timedelta(days=days)).isoformat()

    def ok(*args: str) -> str:
        result = runner.invoke(app, list(args), prog_name="kotcoach")
        assert result.exit_code == 0, result.output
        return result.stdout

    ok("start", "--level", "intermediate", "--pain", "knee=4", "--equipment", "step,band")
    for days, pain in ((5, 3), (3, 2)):
        ok("log", "step-down", "--sets", "3", "--reps", "10", "--pain-during", str(pain),
           "--date", ago(days))  # fmt: skip
        ok(
            "log",
            "wall-sit",
            "--sets",
            "3",
            "--hold",
            "30",
            "--pain-during",
            "1",
            "--date",
            ago(days),
        )
    for width in WIDTHS:
        monkeypatch.setenv("COLUMNS", str(width))
        for args in (["next", "step-down"], ["next", "wall-sit"], ["today"]):
            lines = ok(*args).splitlines()
            assert max(cell_len(line) for line in lines) <= width, (args, width)
            for above, below in itertools.pairwise(lines):
                # A dose is never split: no line ends on its sets with '×' starting the next.
                assert not (re.search(r"\d$", above) and below.lstrip().startswith("×")), (
                    args,
                    width,
                    above,
                )
            if args[0] == "next":
                # Only the decision's first line starts at the left edge, and the 'why'
                # label; everything else is indented under the text.
                edge = [line for line in lines if line and not line.startswith(" ")]
                assert len(edge) == 2, (width, edge)
                assert edge[0].startswith("= hold") or edge[0][0] in "↑↓•■"
                assert edge[1].startswith("why ")


def test_history_has_its_column_names_and_columns_that_stay_in_line(
    runner: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    # At 40 columns history once had no column names, a long name ran back to the left edge,
    # and the 'of' column drifted with each dose's length.
    def ok(*args: str) -> str:
        result = runner.invoke(app, list(args), prog_name="kotcoach")
        assert result.exit_code == 0, result.output
        return result.stdout

    ok("start", "--level", "intermediate")
    ok("log", "seated-good-morning-bar", "--sets", "3", "--reps", "10", "--pain-during", "1")
    ok("log", "wall-sit", "--sets", "3", "--hold", "30", "--pain-during", "2")
    ok("log", "kot-calf-raise-single", "--sets", "2", "--reps", "15", "--pain-during", "0")
    for width in WIDTHS:
        monkeypatch.setenv("COLUMNS", str(width))
        lines = ok("history").splitlines()
        assert max(cell_len(line) for line in lines) <= width, width
        assert "Exercise" in lines[0] and re.search(r"Done\s+Target\s+Pain", "\n".join(lines[:2]))
        dated = [line for line in lines if re.match(r"\d{4}-\d\d-\d\d", line)]
        assert len(dated) == 1
        rest = [line for line in lines if line and line not in dated and "--since" not in line]
        assert all(line.startswith("  ") for line in rest), (width, rest)
        # One column of 'of' for every exercise, whatever the length of its dose.
        columns = {line.index(" of ") for line in rest if " of " in line}
        assert len(columns) == 1, (width, columns)
        flat = " ".join(" ".join(lines).split())
        assert "Seated good morning with a stick or light bar" in flat
