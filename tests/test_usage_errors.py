"""Bad command lines: one line on stderr, exit 2, nothing on stdout, in every command group.

click's own report (a usage line, 'Try ... --help', a blank line, 'Error: ...') never reaches
the person; its suggestions are folded into the one line, which names the command's help.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from kotcoach.cli import app

# (command line, what the one line must say, the help it points to)
BAD = [
    (["list", "--bogus"], "no such option --bogus", "kotcoach list"),
    (
        ["list", "--serch", "x"],
        "no such option --serch (did you mean '--search'?)",
        "kotcoach list",
    ),
    (["nosuch"], "no such command 'nosuch'", "kotcoach"),
    (["lst"], "no such command 'lst' (did you mean 'list'?)", "kotcoach"),
    (["--bogus", "list"], "no such option --bogus", "kotcoach"),
    (["--catalog"], "--catalog needs a value", "kotcoach"),
    (["show"], "missing argument 'ID'", "kotcoach show"),
    (["show", "a", "b", "c"], "unexpected extra argument(s): b c", "kotcoach show"),
    (["plan", "--minutes", "abc"], "--minutes: 'abc' is not a whole number", "kotcoach plan"),
    (["list", "-h"], "no such option -h (did you mean '--help'?)", "kotcoach list"),
    (["plan", "--pain"], "--pain needs a value", "kotcoach plan"),
    (["plan", "--level", "expert"], "--level: 'expert' is not one of beginner", "kotcoach plan"),
    (["check", "--bogus"], "no such option --bogus", "kotcoach check"),
    (["profile", "nosuch"], "no such command 'nosuch'", "kotcoach profile"),
    (["profile", "set", "--bogus"], "no such option --bogus", "kotcoach profile set"),
    (["data", "nosuch"], "no such command 'nosuch'", "kotcoach data"),
    (["data", "bkup"], "no such command 'bkup' (did you mean 'backup'?)", "kotcoach data"),
    (["data", "backup"], "missing argument 'PATH'", "kotcoach data backup"),
    (
        ["catalog", "validate", "a", "b"],
        "unexpected extra argument(s): b",
        "kotcoach catalog validate",
    ),
    (["test", "nosuch"], "no such command 'nosuch'", "kotcoach test"),
    (["log", "--bogus"], "no such option --bogus", "kotcoach log"),
    (["start", "--minutes", "x"], "--minutes: 'x' is not a whole number", "kotcoach start"),
    (["checkin", "--others", "٣"], "--others: '٣' is not a whole number", "kotcoach checkin"),
    (
        ["history", "--limit", "3"],
        "no such option --limit (did you mean '--last'?)",
        "kotcoach history",
    ),
    (["session", "--bogus"], "no such option --bogus", "kotcoach session"),
    (["progress", "--bogus"], "no such option --bogus", "kotcoach progress"),
    (["myths", "extra"], "unexpected extra argument(s): extra", "kotcoach myths"),
    # click's own words were "'abc' is not a valid int range" and "not in the range 0<=x<=65535".
    (
        ["serve", "--port", "abc"],
        "--port: 'abc' is not a port number: give a whole number from 0 to 65535 (0 picks a "
        "free one)",
        "kotcoach serve",
    ),
    (["serve", "--port", "70000"], "--port: 70000 is not a port: give a whole", "kotcoach serve"),
    (["serve", "--port", "-1"], "--port: -1 is not a port: give a whole", "kotcoach serve"),
    (["serve", "--port", "80.5"], "--port: '80.5' is not a port number", "kotcoach serve"),
]


@pytest.mark.parametrize(("args", "says", "command"), BAD, ids=[" ".join(b[0]) for b in BAD])
def test_a_bad_command_line_is_one_line_and_exit_2(
    args: list[str], says: str, command: str
) -> None:
    result = CliRunner().invoke(app, args, prog_name="kotcoach")
    assert result.exit_code == 2, result.stderr
    assert result.stdout == ""
    assert "Traceback" not in result.stderr
    assert result.stderr.count("\n") == 1 and result.stderr.endswith("\n"), result.stderr
    line = result.stderr.rstrip("\n")
    assert line.startswith(f"kotcoach: error: {says}"), line
    assert line.endswith(f". See '{command} --help'"), line


def test_a_red_flag_wins_over_a_bad_command_line() -> None:
    for args in (["plan", "--bogus", "--red-flag", "fever"], ["nosuch", "--red-flag=fever"]):
        result = CliRunner().invoke(app, args, prog_name="kotcoach")
        assert result.exit_code == 3, args
        assert "clinician" in result.stdout.lower()
        assert "error" not in result.stderr


def test_a_command_group_without_a_command_still_shows_its_help() -> None:
    result = CliRunner().invoke(app, ["profile"], prog_name="kotcoach")
    assert result.stderr.startswith("Usage: kotcoach profile [OPTIONS] COMMAND")
    assert "Commands:" in result.stderr and "kotcoach: error" not in result.stderr


def test_an_unprintable_value_stays_on_the_one_line() -> None:
    result = CliRunner().invoke(
        app, ["plan", "--minutes", "a\u2028b\x1b[31m"], prog_name="kotcoach"
    )
    assert result.exit_code == 2
    assert result.stderr.count("\n") == 1
    assert "\\u2028" in result.stderr and "\\x1b" in result.stderr and "\x1b" not in result.stderr


def test_the_console_script_reports_one_line_too(tmp_path: Path) -> None:
    # Through main(), which loads only the named command's module, and real pipes.
    env = {**os.environ, "KOTCOACH_DATA_DIR": str(tmp_path)}
    for args, says in (
        (["list", "--bogus"], "kotcoach: error: no such option --bogus. See '"),
        (["data", "nosuch"], "kotcoach: error: no such command 'nosuch'. See '"),
    ):
        result = subprocess.run(
            [sys.executable, "-m", "kotcoach", *args], capture_output=True, text=True, env=env
        )
        assert (result.returncode, result.stdout) == (2, ""), result.stderr
        assert result.stderr.startswith(says) and result.stderr.count("\n") == 1, result.stderr
