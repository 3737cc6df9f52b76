"""Hostile input, class by class: encodings, prompts, interrupts, catalogues, export targets.

Each test names the class of input it covers; most run the real program in a subprocess, because
what they guard (stream encodings, terminals, signals) only exists in a real process.
"""

from __future__ import annotations

import json
import os
import select
import subprocess
import sys
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from kotcoach.cli import app
from kotcoach.cli import plan as cli_plan
from kotcoach.vocab import RedFlag


def kotcoach(
    *args: str, env: dict[str, str] | None = None, input: str | None = None
) -> subprocess.CompletedProcess[bytes]:
    """The real program in a fresh process, with the test's environment plus `env`."""
    return subprocess.run(
        [sys.executable, "-m", "kotcoach", *args],
        capture_output=True,
        input=input.encode() if input is not None else None,
        env={**os.environ, **(env or {})},
        check=False,
        timeout=60,
    )


def invoke(*args: str, input: str | None = None):  # type: ignore[no-untyped-def]
    return CliRunner().invoke(app, list(args), input=input, prog_name="kotcoach")


# --- 1. encodings that cannot hold the output --------------------------------------------------

NARROW = {
    "ascii": {"PYTHONIOENCODING": "ascii"},
    "latin-1": {"PYTHONIOENCODING": "latin-1"},
    "cp1252": {"PYTHONIOENCODING": "cp1252"},
    "C locale": {
        "LC_ALL": "C",
        "LANG": "C",
        "PYTHONCOERCECLOCALE": "0",
        "PYTHONUTF8": "0",
        "PYTHONIOENCODING": "",
    },
}


@pytest.mark.parametrize("name", NARROW)
def test_red_flag_stop_prints_in_any_encoding(name: str) -> None:
    result = kotcoach("plan", "--red-flag", "fever", env=NARROW[name])
    assert result.returncode == 3, result.stderr
    assert b"Traceback" not in result.stderr
    out = result.stdout.decode("latin-1")
    assert "Stop: do not train. See a doctor today" in out
    assert "fever, or feeling generally unwell" in out


@pytest.mark.parametrize(
    "args",
    [
        ["plan", "--weeks", "2"],
        ["show", "tib-raise-wall"],
        ["myths"],
        ["ladder", "tib-raise-wall"],
        ["check", "--no-red-flags", "--pain", "knee=4"],
    ],
)
def test_views_degrade_to_ascii_instead_of_crashing(args: list[str]) -> None:
    result = kotcoach(*args, env=NARROW["C locale"])
    assert result.returncode == 0, result.stderr
    assert result.stderr == b""
    assert result.stdout.isascii()
    # What the encoding cannot hold becomes its nearest ASCII, not a gap.
    if args[0] == "show":
        assert b"2 x 20" in result.stdout
        assert b"(first step) <- tib-raise-wall -> tib-raise-wall-far" in result.stdout


@pytest.mark.parametrize(
    ("name", "encoding"), [("ascii", "ascii"), ("latin-1", "latin-1"), ("C locale", "ascii")]
)
def test_json_stays_whole_in_any_encoding(name: str, encoding: str) -> None:
    wide = kotcoach("plan", "--json", env={"PYTHONIOENCODING": "utf-8"})
    narrow = kotcoach("plan", "--json", env=NARROW[name])
    assert narrow.returncode == 0, narrow.stderr
    # Readable in the stream's own encoding, and (by \u escapes where it cannot hold a
    # character) the same data, character for character.
    assert json.loads(narrow.stdout.decode(encoding)) == json.loads(wide.stdout)


# --- 2. prompts never on stdout; 10. interrupts ------------------------------------------------


def test_check_questions_go_to_stderr_and_stdout_is_only_json(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(cli_plan, "_stdin_is_terminal", lambda: True)
    result = invoke("check", "--json", input="n\n" * len(RedFlag) + "4\n0\n0\n0\n")
    assert result.exit_code == 0
    assert json.loads(result.stdout)["zone"] == "amber"
    assert "Is a joint hot, red or swollen? [y/N]: " in result.stderr


def test_check_end_of_input_at_a_question_exits_130_calmly(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(cli_plan, "_stdin_is_terminal", lambda: True)
    result = invoke("check", "--json", input="n\nn\n")  # the input ends at the third question
    assert result.exit_code == 130
    assert result.stdout == ""
    assert result.stderr.strip().splitlines()[-1] == (
        "kotcoach: no more input: stopped, nothing was saved"
    )
    assert "Aborted" not in result.stderr


def _read_until(fd: int, marker: bytes, seen: bytearray) -> None:
    deadline = time.monotonic() + 30
    while marker not in seen:
        assert time.monotonic() < deadline, bytes(seen)
        ready, _, _ = select.select([fd], [], [], 1)
        if ready:
            try:
                chunk = os.read(fd, 4096)
            except OSError:  # the child closed the terminal
                break
            if not chunk:
                break
            seen += chunk


def _take_the_terminal() -> None:
    # In the child: make the pty its controlling terminal, so Ctrl-C on it sends SIGINT.
    import fcntl
    import termios

    fcntl.ioctl(0, termios.TIOCSCTTY, 0)


@pytest.mark.skipif(sys.platform == "win32", reason="needs a POSIX terminal")
@pytest.mark.parametrize(
    ("key", "message"), [(b"\x03", b"interrupted"), (b"\x04", b"no more input")]
)
def test_ctrl_c_and_ctrl_d_at_a_terminal_prompt_exit_130(
    tmp_path: Path, key: bytes, message: bytes
) -> None:
    """A real terminal: answers typed on it, stdout redirected to a file as `> out.json` does."""
    import pty

    leader, follower = pty.openpty()
    out = tmp_path / "out.json"
    with out.open("wb") as stdout:
        child = subprocess.Popen(
            [sys.executable, "-m", "kotcoach", "check", "--json"],
            stdin=follower,
            stdout=stdout,
            stderr=follower,
            start_new_session=True,
            preexec_fn=_take_the_terminal,
        )
    os.close(follower)
    seen = bytearray()
    try:
        _read_until(leader, b"[y/N]: ", seen)
        os.write(leader, b"n\n")
        _read_until(leader, b"\n", seen)
        os.write(leader, key)
        _read_until(leader, b"nothing was saved", seen)
        assert child.wait(timeout=30) == 130
    finally:
        child.kill()
        os.close(leader)
    assert message in seen
    assert b"Aborted" not in seen
    assert b"Traceback" not in seen
    assert out.read_bytes() == b""  # the questions went to the terminal, not into the file
