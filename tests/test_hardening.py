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

from kotcoach.base.vocab import RedFlag
from kotcoach.cli import app
from kotcoach.cli import plan as cli_plan


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
    wide = invoke("plan", "--json")
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
    result = invoke("check", "--json", input="n\n" * len(RedFlag) + "4\n0\n0\n0\n\n\n\n\n")
    assert result.exit_code == 0
    assert json.loads(result.stdout)["zone"] == "amber"
    assert "Is a joint hot, red or swollen? [y/n]: " in result.stderr


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


def _read_until(fd: int, marker: bytes, seen: bytearray, times: int = 1) -> None:
    deadline = time.monotonic() + 30
    while seen.count(marker) < times:
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
    import signal
    import termios

    fcntl.ioctl(0, termios.TIOCSCTTY, 0)
    # A test run started in the background by a shell inherits SIGINT ignored; a person's
    # terminal session does not.
    signal.signal(signal.SIGINT, signal.SIG_DFL)


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
        _read_until(leader, b"[y/n]: ", seen)
        os.write(leader, b"n\n")
        # The key goes in once the second question waits for it, not while the first answer is
        # still being read (on a busy machine that raced).
        _read_until(leader, b"[y/n]: ", seen, times=2)
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


# --- 4. large broken catalogues are reported in seconds; 7. values YAML cannot build ---------


def _exercise(i: int, extra: str = "") -> str:
    return (
        f"  - id: ex-{i:05d}-squat\n    name: Exercise {i}\n    level: beginner\n"
        f"    cues: [Do it]\n    dose: {{sets: 2, reps: 10}}\n    areas: [knee]\n{extra}"
    )


CONDITION = (
    "conditions:\n  - id: sore-knee\n    name: Sore knee\n    summary: A knee that hurts.\n"
    "    areas: [knee]\n    pain_rules: [Pain may reach 5/10.]\n    red_flags: [A hot knee]\n"
)


def _broken_links(count: int, field: str) -> str:
    """`count` exercises, each linking to a mistyped id (one letter dropped) by `field`."""

    def link(i: int) -> str:
        target = f"ex-{(i + 1) % count:05d}-sqat"
        if field == "progression":
            return f"    progression: {target}\n"
        return (
            "    cautions:\n      - condition: sore-knee\n        note: Careful.\n"
            f"        modification: Less range.\n        substitute: {target}\n"
        )

    return "exercises:\n" + "".join(_exercise(i, link(i)) for i in range(count)) + CONDITION


@pytest.mark.parametrize("field", ["progression", "substitute"])
def test_every_link_broken_is_listed_to_a_cap_and_counted(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, field: str
) -> None:
    import difflib

    from kotcoach.catalogue import loading as catalog

    path = tmp_path / "broken.yaml"
    path.write_text(_broken_links(2000, field), encoding="utf-8")
    compared = []
    real = difflib.get_close_matches
    monkeypatch.setattr(
        difflib, "get_close_matches", lambda *a, **k: compared.append(a[0]) or real(*a, **k)
    )
    started = time.monotonic()
    checked = catalog.check_catalog(path)
    elapsed = time.monotonic() - started
    assert checked.catalog is None
    assert len(checked.problems) == catalog.MAX_LISTED
    assert checked.total == 2000
    # Suggestions come from the index of ids, not from comparing with all 2,000 ids each time.
    assert "(did you mean 'ex-00001-squat'?)" in checked.problems[0].message
    assert len(compared) == 0
    assert elapsed < 20, f"{elapsed:.1f} s: quadratic again? (it was minutes)"


def test_validate_lists_the_first_problems_and_counts_the_rest(tmp_path: Path) -> None:
    path = tmp_path / "broken.yaml"
    path.write_text(_broken_links(120, "progression"), encoding="utf-8")
    result = invoke("catalog", "validate", str(path))
    assert result.exit_code == 1
    lines = result.stderr.splitlines()
    assert len(lines) == 50 + 2
    assert lines[-2] == "kotcoach: ... and 70 more, not listed"
    assert lines[-1] == f"kotcoach: {path}: 120 problems found"
    listing = invoke("--catalog", str(path), "list")
    assert listing.exit_code == 1
    assert listing.stderr.endswith(
        f"(119 more problems: run 'kotcoach catalog validate {path}' to see them)\n"
    )


def test_many_unknown_keys_in_one_mapping_are_reported_in_seconds(tmp_path: Path) -> None:
    from kotcoach.catalogue.loading import check_catalog

    keys = "".join(f"    unknown-key-{k}: 1\n" for k in range(20_000))
    path = tmp_path / "keys.yaml"
    path.write_text("exercises:\n" + _exercise(0, keys), encoding="utf-8")
    started = time.monotonic()
    checked = check_catalog(path)
    elapsed = time.monotonic() - started
    assert checked.total == 20_000
    last = checked.problems[-1]
    assert (last.line, last.column, last.loc) == (57, 5, "exercises.0.unknown-key-49")
    assert elapsed < 20, f"{elapsed:.1f} s: quadratic again? (it was minutes)"


def test_suggester_finds_ids_one_edit_away() -> None:
    from kotcoach.catalogue.loading import Suggester

    ids = [f"ex-{i:05d}-squat" for i in range(1000)]
    suggest = Suggester(ids)
    assert suggest("ex-00007-sqat") == "ex-00007-squat"  # dropped
    assert suggest("ex-00007-squats") == "ex-00007-squat"  # added
    assert suggest("ex-00007-sqaut") == "ex-00007-squat"  # swapped
    assert suggest("ex-00007-sqxat") == "ex-00007-squat"  # changed
    assert suggest("something-else") is None


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("9" * 5000, "a number of 5,000 characters is too long to read"),
        ("2020-99-99", "'2020-99-99' is not a valid timestamp (quote it if it is text)"),
    ],
)
def test_scalars_yaml_cannot_build_are_problems_at_their_line(
    tmp_path: Path, value: str, message: str
) -> None:
    path = tmp_path / "big.yaml"
    path.write_text("exercises:\n" + _exercise(0).replace("sets: 2", f"sets: {value}"), "utf-8")
    for args in (["catalog", "validate", str(path)], ["--catalog", str(path), "plan"]):
        result = invoke(*args)
        assert result.exit_code == 1
        first = result.stderr.splitlines()[0]
        assert first == f"kotcoach: error: {path}:6:18: {message}" or first == (
            f"{path}:6:18: {message}"
        )
        assert result.exception is None or isinstance(result.exception, SystemExit)
    result = invoke("--catalog", str(path), "list", "--json")
    assert (result.exit_code, result.stdout) == (1, "")


def test_a_huge_unknown_key_is_cut_in_the_message(tmp_path: Path) -> None:
    from kotcoach.catalogue.loading import check_catalog

    path = tmp_path / "key.yaml"
    path.write_text("exercises:\n" + _exercise(0, f"    ? {'k' * 100_000}\n    : 1\n"), "utf-8")
    (problem,) = check_catalog(path).problems
    assert f"unknown key '{'k' * 57}... (100,000 characters)'" in problem.message
    # The message lists the valid keys (about 330 characters now): the key itself stays short.
    assert len(str(problem)) - len(str(path)) < 640  # the key cut; the allowed keys listed


# --- 11. an empty value is a value ------------------------------------------------------------


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (["list", "--condition", ""], 2, "unknown condition ''"),
        (["plan", "--condition", ""], 2, "unknown condition ''"),
        (["ladder", ""], 1, "no exercise has the id ''"),
        (["card", "--ladder", ""], 1, "no exercise has the id ''"),
        (["show", ""], 1, "no exercise has the id ''"),
    ],
)
def test_an_empty_id_is_checked_not_ignored(args: list[str], code: int, message: str) -> None:
    result = invoke(*args)
    assert result.exit_code == code
    assert result.stdout == ""
    assert message in result.stderr


# --- 9. a catalogue file that cannot be read ---------------------------------------------------


@pytest.mark.parametrize("given_by", ["--catalog", "KOTCOACH_CATALOG"])
def test_an_unreadable_catalogue_is_a_data_problem_naming_the_option_used(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, given_by: str
) -> None:
    from tests.conftest import MINI

    path = tmp_path / "mine.yaml"
    path.write_text(MINI, encoding="utf-8")
    # Tests may run as root, who reads any file: refuse as the kernel would for anyone else,
    # both in os.access (what click's own check asks) and in os.open (what kotcoach asks).
    real_open = os.open

    def refuse(name: object, *args: object, **kwargs: object) -> int:
        if str(name) == str(path):
            raise PermissionError(13, "Permission denied", str(name))
        return real_open(name, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(os, "open", refuse)
    monkeypatch.setattr(os, "access", lambda *args, **kwargs: False)
    if given_by == "--catalog":
        monkeypatch.setenv("KOTCOACH_CATALOG", str(tmp_path / "other.yaml"))
        result = invoke("--catalog", str(path), "list")
    else:
        monkeypatch.setenv("KOTCOACH_CATALOG", str(path))
        result = invoke("list")
    assert result.exit_code == 1
    assert result.stderr == (
        f"kotcoach: error: {path}: permission denied: make the file readable "
        f"(the file given by {given_by})\n"
    )


@pytest.mark.parametrize("kind", ["fifo", "long name", "directory"])
def test_a_catalogue_path_that_is_no_file_is_refused_at_once(tmp_path: Path, kind: str) -> None:
    if kind == "fifo":
        path = tmp_path / "pipe.yaml"
        os.mkfifo(path)  # reading it would wait for a writer for ever
        reason = "is not a regular file"
    elif kind == "long name":
        path = tmp_path / ("a" * 300)
        reason = "cannot be opened: File name too long"
    else:
        path = tmp_path
        reason = "is a directory, not a catalogue file"
    for args in (["--catalog", str(path), "list"], ["catalog", "validate", str(path)]):
        result = invoke(*args)
        assert result.exit_code == 1
        named = " (the file given by --catalog)" if args[0] == "--catalog" else ""
        assert result.stderr == f"kotcoach: error: {path}: {reason}{named}\n"


# --- 8. export targets -------------------------------------------------------------------------


@pytest.fixture
def shipped():  # type: ignore[no-untyped-def]
    from kotcoach.catalogue.ladders import Index
    from kotcoach.catalogue.loading import builtin_catalog_path
    from kotcoach.catalogue.read import load_catalog

    return Index(load_catalog(builtin_catalog_path()))


def _cards(shipped, target: Path, force: bool = False) -> None:  # type: ignore[no-untyped-def]
    from kotcoach import export

    export.export_cards(shipped, shipped.catalog.exercises[:1], target, force)


def _only(folder: Path) -> list[str]:
    """The folder's entries, less the test's cache folder."""
    return sorted(p.name for p in folder.iterdir() if p.name != "cache")


@pytest.mark.parametrize("kind", ["dangling link", "link loop", "link to a file", "fifo"])
def test_anything_at_the_name_is_kept_without_force(shipped, tmp_path: Path, kind: str) -> None:  # type: ignore[no-untyped-def]
    from kotcoach.base.errors import ExportError

    target = tmp_path / "cards.md"
    elsewhere = tmp_path / "elsewhere.md"
    if kind == "dangling link":
        target.symlink_to(elsewhere)
    elif kind == "link loop":
        target.symlink_to(target)
    elif kind == "link to a file":
        elsewhere.write_text("mine", encoding="utf-8")
        target.symlink_to(elsewhere)
    else:
        os.mkfifo(target)
    before = _only(tmp_path)
    with pytest.raises(ExportError, match="already exists.*--force"):
        _cards(shipped, target)
    assert _only(tmp_path) == before
    if kind == "link to a file":
        assert elsewhere.read_text(encoding="utf-8") == "mine"
    if kind == "dangling link":
        assert not elsewhere.exists()  # nothing written through the link


@pytest.mark.parametrize("kind", ["dangling link", "link to a file"])
def test_force_replaces_a_link_without_writing_through_it(
    shipped,  # type: ignore[no-untyped-def]
    tmp_path: Path,
    kind: str,
) -> None:
    target = tmp_path / "cards.md"
    elsewhere = tmp_path / "elsewhere.md"
    if kind == "link to a file":
        elsewhere.write_text("mine", encoding="utf-8")
    target.symlink_to(elsewhere)
    _cards(shipped, target, force=True)
    assert not target.is_symlink()
    assert target.read_text(encoding="utf-8").startswith("#")
    if kind == "link to a file":
        assert elsewhere.read_text(encoding="utf-8") == "mine"
    else:
        assert not elsewhere.exists()


def test_a_file_created_while_rendering_is_not_overwritten(
    shipped,  # type: ignore[no-untyped-def]
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from kotcoach.base.errors import ExportError
    from kotcoach.export import markdown

    target = tmp_path / "cards.md"
    real = markdown.render_markdown

    def render_while_someone_writes(handout):  # type: ignore[no-untyped-def]
        target.write_text("theirs", encoding="utf-8")
        return real(handout)

    monkeypatch.setattr(markdown, "render_markdown", render_while_someone_writes)
    with pytest.raises(ExportError, match="appeared while it was being made"):
        _cards(shipped, target)
    assert target.read_text(encoding="utf-8") == "theirs"
    assert _only(tmp_path) == ["cards.md"]


def test_where_hard_links_fail_the_target_is_still_created_exclusively(
    shipped,  # type: ignore[no-untyped-def]
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import errno

    def no_links(*args: object, **kwargs: object) -> None:
        raise OSError(errno.EPERM, "Operation not permitted")

    monkeypatch.setattr(os, "link", no_links)
    target = tmp_path / "out" / "cards.md"
    target.parent.mkdir()
    _cards(shipped, target)
    assert target.read_text(encoding="utf-8").startswith("#")
    assert _only(target.parent) == ["cards.md"]


@pytest.mark.parametrize("mode", [0o600, 0o444, 0o640])
def test_force_keeps_the_permissions_of_the_file_it_replaces(
    shipped,  # type: ignore[no-untyped-def]
    tmp_path: Path,
    mode: int,
) -> None:
    target = tmp_path / "cards.md"
    target.write_text("old", encoding="utf-8")
    target.chmod(mode)
    _cards(shipped, target, force=True)
    assert target.stat().st_mode & 0o777 == mode
    assert target.read_text(encoding="utf-8") != "old"


@pytest.mark.parametrize(("length", "code"), [(250, 0), (300, 1)])
def test_long_export_names(tmp_path: Path, length: int, code: int) -> None:
    target = tmp_path / ("c" * (length - 3) + ".md")
    result = invoke("card", "tib-raise-wall", "--export", str(target))
    assert result.exit_code == code
    assert "Traceback" not in result.stderr
    if code:
        assert result.stderr.startswith("kotcoach: error: cannot export to ")
        assert result.stderr.endswith(": File name too long\n")
    else:
        assert target.read_text(encoding="utf-8").startswith("#")
    assert _only(tmp_path) == ([target.name] if code == 0 else [])


# --- 11. a path the person typed is shown, never obeyed; data export writes like handouts ----


@pytest.mark.parametrize(
    "args",
    [
        ["card", "tib-raise-wall", "--export"],
        ["plan", "--export"],
        ["data", "export", "-o"],
        ["catalog", "validate"],
    ],
)
def test_escape_codes_in_a_path_are_shown_not_obeyed(tmp_path: Path, args: list[str]) -> None:
    name = "\x1b[2J\x1b]0;owned\x07x"
    if args[0] == "catalog":
        from tests.conftest import MINI

        target = tmp_path / f"{name}.yaml"
        target.write_text(MINI, encoding="utf-8")
    else:
        target = tmp_path / f"{name}.{'csv' if args[0] == 'data' else 'md'}"
    result = invoke(*args, str(target))
    assert result.exit_code == 0, result.stderr
    assert "\x1b" not in result.stderr + result.stdout
    assert "\x07" not in result.stderr + result.stdout
    assert "\\x1b[2J\\x1b]0;owned\\x07x" in result.stderr + result.stdout


def test_data_export_keeps_a_dangling_link_and_writes_whole(tmp_path: Path) -> None:
    target = tmp_path / "log.csv"
    target.symlink_to(tmp_path / "elsewhere.csv")
    refused = invoke("data", "export", "-o", str(target))
    assert refused.exit_code == 1
    assert "already exists (a symbolic link)" in refused.stderr
    assert not (tmp_path / "elsewhere.csv").exists()
    forced = invoke("data", "export", "-o", str(target), "--force")
    assert forced.exit_code == 0, forced.stderr
    assert not target.is_symlink()
    assert target.read_bytes().startswith(b"\xef\xbb\xbf")
    assert not (tmp_path / "elsewhere.csv").exists()


def test_ctrl_c_at_any_typer_prompt_exits_130_not_aborted(monkeypatch: pytest.MonkeyPatch) -> None:
    """typer.prompt (used by 'log') turns Ctrl-C and Ctrl-D into Abort: the same calm 130."""
    import typer

    def interrupted() -> None:
        raise typer.Abort()

    monkeypatch.setattr(cli_plan, "_stdin_is_terminal", lambda: True)
    monkeypatch.setattr(cli_plan, "_ask", interrupted)
    result = invoke("check")
    assert result.exit_code == 130
    assert result.stderr == "\nkotcoach: interrupted: stopped, nothing was saved\n"


@pytest.mark.parametrize("stage", ["render", "write"])
def test_ctrl_c_while_exporting_leaves_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, stage: str
) -> None:
    from kotcoach.base import writing
    from kotcoach.export import markdown

    def interrupt(*args: object, **kwargs: object) -> None:
        raise KeyboardInterrupt

    if stage == "render":
        monkeypatch.setattr(markdown, "render_markdown", interrupt)
    else:
        monkeypatch.setattr(writing.os, "link", interrupt)  # the last step: taking the name
    folder = tmp_path / "out"
    folder.mkdir()
    result = invoke("card", "tib-raise-wall", "--export", str(folder / "cards.md"))
    assert result.exit_code == 130
    assert result.stderr.endswith("kotcoach: interrupted: stopped, nothing was saved\n")
    assert list(folder.iterdir()) == []
