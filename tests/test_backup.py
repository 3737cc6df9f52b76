"""`data backup` and `data export -o`: whole or not at all, never through a symbolic link, and
never over anything without --force (both write through kotcoach.base.writing.whole_file)."""

from __future__ import annotations

import datetime as dt
import sqlite3
from pathlib import Path

import pytest
from typer.testing import CliRunner

from kotcoach.base.errors import ExportError
from kotcoach.base.writing import whole_file
from kotcoach.cli import app
from kotcoach.store import Store

DAY = dt.date(2025, 3, 3)


@pytest.fixture
def out(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A folder to write into, and a training log (elsewhere) with one check-in."""
    monkeypatch.setenv("KOTCOACH_DATA_DIR", str(tmp_path / "data"))
    with Store.open(write=True) as store:
        store.checkin("default", DAY, {"knee": 2})
    folder = tmp_path / "out"
    folder.mkdir()
    return folder


def run(*args: str):  # type: ignore[no-untyped-def]
    return CliRunner().invoke(app, list(args), prog_name="kotcoach")


def checkins(path: Path) -> int:
    db = sqlite3.connect(path)
    try:
        return int(db.execute("SELECT count(*) FROM checkins").fetchone()[0])
    finally:
        db.close()


@pytest.mark.parametrize("command", [["data", "backup"], ["data", "export", "-o"]])
@pytest.mark.parametrize("kind", ["link to a file", "dangling link"])
def test_a_link_at_the_target_is_refused_without_force(
    out: Path, command: list[str], kind: str
) -> None:
    target, elsewhere = out / "copy", out / "elsewhere"
    if kind == "link to a file":
        elsewhere.write_text("mine", encoding="utf-8")
    target.symlink_to(elsewhere)
    result = run(*command, str(target))
    assert result.exit_code == 1
    assert result.stderr == (
        f"kotcoach: error: {target} already exists (a symbolic link) (pass --force to "
        "overwrite it)\n"
    )
    assert target.is_symlink() and sorted(p.name for p in out.iterdir()) == sorted(
        ["copy", *(["elsewhere"] if kind == "link to a file" else [])]
    )
    if kind == "link to a file":
        assert elsewhere.read_text(encoding="utf-8") == "mine"


@pytest.mark.parametrize("command", [["data", "backup"], ["data", "export", "-o"]])
def test_force_replaces_the_link_and_never_writes_through_it(out: Path, command: list[str]) -> None:
    target, elsewhere = out / "copy", out / "elsewhere"
    elsewhere.write_text("mine", encoding="utf-8")
    target.symlink_to(elsewhere)
    result = run(*command, str(target), "--force")
    assert result.exit_code == 0, result.stderr
    assert not target.is_symlink() and elsewhere.read_text(encoding="utf-8") == "mine"
    if command[1] == "backup":
        assert checkins(target) == 1
    else:
        assert target.read_text(encoding="utf-8-sig").startswith("profile,date,")
    assert sorted(p.name for p in out.iterdir()) == ["copy", "elsewhere"]  # no temporary file


def test_an_existing_backup_is_kept_without_force_and_replaced_with_it(out: Path) -> None:
    target = out / "copy.db"
    target.write_bytes(b"an older backup")
    result = run("data", "backup", str(target))
    assert result.exit_code == 1 and "already exists (a file)" in result.stderr
    assert target.read_bytes() == b"an older backup"
    target.chmod(0o600)
    assert run("data", "backup", str(target), "--force").exit_code == 0
    assert checkins(target) == 1
    assert target.stat().st_mode & 0o777 == 0o600  # a private backup stays private


@pytest.mark.parametrize("stage", ["copying", "taking the name"])
def test_a_backup_that_fails_half_way_leaves_nothing(
    out: Path, monkeypatch: pytest.MonkeyPatch, stage: str
) -> None:
    from kotcoach.base import writing

    target = out / "copy.db"
    target.write_bytes(b"an older backup")
    real_connect = sqlite3.connect

    def read_only_copy(path: object, *args: object, **kwargs: object) -> sqlite3.Connection:
        if str(path).endswith(".tmp"):  # the backup's own file: SQLite refuses to write it
            return real_connect(f"file:{path}?mode=ro", uri=True)
        return real_connect(path, *args, **kwargs)  # type: ignore[arg-type]

    def interrupt(*args: object) -> None:
        raise KeyboardInterrupt

    if stage == "copying":
        monkeypatch.setattr(sqlite3, "connect", read_only_copy)
    else:
        monkeypatch.setattr(writing.os, "chmod", interrupt)  # the copy made, not yet in place
    result = run("data", "backup", str(target), "--force")
    assert result.exit_code == (1 if stage == "copying" else 130), result.stderr
    assert "Traceback" not in result.stderr
    assert result.stderr.strip().count("\n") == 0  # one line
    if stage == "copying":  # the copy's fault, not the log's
        assert result.stderr.startswith(f"kotcoach: error: could not write {target}: attempt to")
    assert target.read_bytes() == b"an older backup"
    assert [p.name for p in out.iterdir()] == ["copy.db"]  # no temporary file, no journal


def test_whole_file_puts_nothing_in_place_when_the_block_fails(tmp_path: Path) -> None:
    target = tmp_path / "report.txt"
    with pytest.raises(ValueError), whole_file(target, force=False) as temp:
        temp.write_bytes(b"half")
        raise ValueError("stopped")
    assert list(tmp_path.iterdir()) == []
    with whole_file(target, force=False) as temp:
        temp.write_bytes(b"whole")
    assert target.read_bytes() == b"whole" and list(tmp_path.iterdir()) == [target]
    with pytest.raises(ExportError, match="appeared while it was being made"):
        with whole_file(target, force=False) as temp:
            temp.write_bytes(b"second")
    assert target.read_bytes() == b"whole" and list(tmp_path.iterdir()) == [target]
