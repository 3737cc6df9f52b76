"""The training log as health data: restore, private files, full and read-only disks, a damaged
log never written, and import files treated as a stranger's (issue 23)."""

from __future__ import annotations

import datetime as dt
import os
import signal
import sqlite3
import stat
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from kotcoach.base.errors import StoreError
from kotcoach.cli import app
from kotcoach.store import Amount, Store

DAY = dt.date.today() - dt.timedelta(days=3)
# One set of the tibialis raise, logged for DAY: what the damaged- and busy-log tests try to write.
LOG_ONE_SET = [
    *"log tib-raise-wall --sets 1 --reps 5 --pain-during 1 --date".split(),
    DAY.isoformat(),
]


def run(runner: CliRunner, *args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, list(args), prog_name="kotcoach")
    assert "Traceback" not in result.stdout + result.stderr
    return result.exit_code, result.stdout, result.stderr


def log_one(profile: str, reps: int = 10, note: str | None = None) -> None:
    with Store.open(write=True) as store:
        session = store.begin_session(profile, DAY)
        store.log_exercise(session, "tib-raise-wall", Amount(reps=reps), 2, note=note)


def profiles(path: Path) -> list[str]:
    db = sqlite3.connect(path)
    try:
        return [row[0] for row in db.execute("SELECT name FROM profiles ORDER BY name")]
    finally:
        db.close()


@pytest.fixture
def data(tmp_path: Path) -> Path:
    return tmp_path / "data"  # conftest points KOTCOACH_DATA_DIR here


# --- restore -----------------------------------------------------------------------------------


def test_kill_and_restore_gives_back_the_backup_exactly(
    data: Path, tmp_path: Path, runner: CliRunner
) -> None:
    for name in ("ana", "ben"):
        log_one(name)
    backup = tmp_path / "backup.db"
    assert run(runner, "data", "backup", str(backup))[0] == 0
    assert stat.S_IMODE(backup.stat().st_mode) == 0o600
    # A process writes two more profiles and is killed with its WAL still beside the log.
    code = textwrap.dedent(
        """
        import datetime as dt, os, signal
        from kotcoach.store import Store, Amount
        store = Store.open(write=True)
        for name in ("cy", "di"):
            s = store.begin_session(name, dt.date.today())
            store.log_exercise(s, "tib-raise-wall", Amount(reps=5), 1)
        os.kill(os.getpid(), signal.SIGKILL)
        """
    )
    killed = subprocess.run([sys.executable, "-c", code], env=os.environ.copy(), check=False)
    assert killed.returncode == -signal.SIGKILL
    assert (data / "kotcoach.db-wal").exists()
    code, out, err = run(runner, "data", "restore", str(backup))
    assert code == 0, err
    assert profiles(data / "kotcoach.db") == ["ana", "ben"]  # no WAL replayed onto it
    [kept] = data.glob("kotcoach-replaced-*.db")
    assert profiles(kept) == ["ana", "ben", "cy", "di"]  # the replaced log, whole
    assert f"kept as {kept}" in out
    assert stat.S_IMODE((data / "kotcoach.db").stat().st_mode) == 0o600
    assert not list(data.glob(".kotcoach-*"))
    with Store.open() as store:
        assert [p.name for p in store.profiles()] == ["ana", "ben"]


def test_restore_refuses_a_damaged_foreign_or_newer_backup_changing_nothing(
    data: Path, tmp_path: Path, runner: CliRunner
) -> None:
    log_one("ana")
    before = (data / "kotcoach.db").read_bytes()
    damaged = tmp_path / "damaged.db"
    damaged.write_bytes(b"SQLite format 3\x00" + b"\x07" * 4000)
    foreign = tmp_path / "foreign.db"
    sqlite3.connect(foreign).execute("CREATE TABLE t (x)").connection.commit()
    newer = tmp_path / "newer.db"
    db = sqlite3.connect(newer)
    db.execute("PRAGMA user_version = 99")
    db.execute("CREATE TABLE profiles (x)")
    db.commit()
    db.close()
    for backup, said in (
        (damaged, "not a kotcoach backup"),
        (foreign, "is not a kotcoach training log"),
        (newer, "written by a newer kotcoach"),
        (tmp_path / "missing.db", "no such file"),
    ):
        code, _, err = run(runner, "data", "restore", str(backup))
        assert code == 1 and said in err and err.count("\n") == 1, err
    assert (data / "kotcoach.db").read_bytes() == before
    assert not list(data.glob("kotcoach-replaced-*"))


# --- private files -----------------------------------------------------------------------------


def test_the_log_its_folder_and_exports_are_private(
    data: Path, tmp_path: Path, runner: CliRunner
) -> None:
    old = os.umask(0o022)
    try:
        log_one("ana")
        assert stat.S_IMODE(data.stat().st_mode) == 0o700
        for name in ("kotcoach.db", "kotcoach.db-wal"):
            if (data / name).exists():
                assert stat.S_IMODE((data / name).stat().st_mode) == 0o600, name
        out = tmp_path / "log.csv"
        assert run(runner, "--profile", "ana", "data", "export", "-o", str(out))[0] == 0
        assert stat.S_IMODE(out.stat().st_mode) == 0o600
        out.chmod(0o644)  # a wider file replaced with --force: the export stays private
        assert run(runner, "--profile", "ana", "data", "export", "-o", str(out), "--force")[0] == 0
        assert stat.S_IMODE(out.stat().st_mode) == 0o600
    finally:
        os.umask(old)


def test_a_log_open_to_others_is_tightened_with_one_note(data: Path, runner: CliRunner) -> None:
    log_one("ana")
    (data / "kotcoach.db").chmod(0o644)
    code, _, err = run(runner, "--profile", "ana", "history")
    assert code == 0
    assert err.count("made the training log") == 1 and "(mode 0644, now 0600)" in err
    assert stat.S_IMODE((data / "kotcoach.db").stat().st_mode) == 0o600
    assert run(runner, "--profile", "ana", "history")[2] == ""  # said once


# --- full and read-only disks, a damaged log ---------------------------------------------------


def test_a_full_disk_says_so_naming_the_file_and_nothing_else(data: Path) -> None:
    log_one("ana")
    with Store.open(write=True) as store:
        pages = store._db.execute("PRAGMA page_count").fetchone()[0]
        store._db.execute(f"PRAGMA max_page_count = {pages}")  # SQLITE_FULL from here on
        with pytest.raises(StoreError) as caught:
            session = store.begin_session("ben", DAY)
            for _ in range(200):
                store.log_exercise(session, "tib-raise-wall", Amount(reps=10), 20, note="x" * 400)
    message = str(caught.value)
    assert message.startswith("the disk is full: cannot write the training log ")
    assert str(data / "kotcoach.db") in message
    assert "no transaction is active" not in message


def test_a_damaged_log_is_never_written_and_backup_refuses_it(
    data: Path, tmp_path: Path, runner: CliRunner
) -> None:
    for name in ("ana", "ben", "cy"):
        log_one(name, note="n" * 400)
    path = data / "kotcoach.db"
    with sqlite3.connect(path) as db:
        db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        size = db.execute("PRAGMA page_size").fetchone()[0]
        root = db.execute("SELECT rootpage FROM sqlite_master WHERE name = 'entries'").fetchone()[0]
    raw = bytearray(path.read_bytes())
    start = (root - 1) * size
    raw[start : start + 12] = b"\x0d\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff"  # its header
    path.write_bytes(bytes(raw))
    before = path.read_bytes()
    code, _, err = run(
        runner,
        *LOG_ONE_SET,
    )
    assert code == 1 and "kotcoach data restore" in err and err.count("\n") == 1, err
    assert path.read_bytes() == before
    code, _, err = run(runner, "data", "backup", str(tmp_path / "copy.db"))
    assert code == 1 and "would be as damaged" in err and "data restore" in err
    assert not (tmp_path / "copy.db").exists()


def test_reading_export_and_backup_work_on_a_read_only_folder(
    data: Path, tmp_path: Path, runner: CliRunner
) -> None:
    log_one("ana")
    if os.geteuid() == 0:
        # root ignores modes: a read-only bind mount makes the folder truly read-only
        mount = tmp_path / "ro"
        mount.mkdir()
        done = subprocess.run(["mount", "--bind", "-o", "ro", str(data), str(mount)], check=False)
        if done.returncode != 0:
            pytest.skip("no read-only bind mount here (needs root and mount)")
        folder = mount
    else:
        data.chmod(0o500)
        folder = data
    try:
        os.environ["KOTCOACH_DATA_DIR"] = str(folder)
        code, out, err = run(runner, "--profile", "ana", "history")
        assert code == 0 and "tib-raise-wall" in out, err
        code, out, err = run(runner, "--profile", "ana", "data", "export")
        assert code == 0 and "tib-raise-wall" in out, err
        for args in (["today"], ["progress"], ["profile", "list"], ["next", "tib-raise-wall"]):
            code, out, err = run(runner, "--profile", "ana", *args)
            assert code == 0 and err == "", (args, err)
        code, out, err = run(runner, "data", "backup", str(tmp_path / "rescued.db"))
        assert code == 0, err
        assert profiles(tmp_path / "rescued.db") == ["ana"]
    finally:
        os.environ["KOTCOACH_DATA_DIR"] = str(data)
        if folder != data:
            subprocess.run(["umount", str(folder)], check=False)
        else:
            data.chmod(0o700)


def test_backup_refuses_the_logs_own_files(data: Path, runner: CliRunner) -> None:
    log_one("ana")
    for name in ("kotcoach.db", "kotcoach.db-wal", "kotcoach.db-shm"):
        code, out, err = run(runner, "data", "backup", str(data / name), "--force")
        assert code == 2 and "is the training log or one of its own files" in err
    assert profiles(data / "kotcoach.db") == ["ana"]


# --- import as a stranger's file, export safe for spreadsheets ---------------------------------

HEADER = "profile,date,slot,exercise,name,set,reps,pain_during,status,note,session_note\n"


def write(tmp_path: Path, text: str, name: str = "in.csv") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8", newline="")
    return path


@pytest.mark.parametrize(
    ("row", "said"),
    [
        (f"ana,{DAY},,tib-raise-wall,Tib,1,\u00b2,1,done,,", "reps must be a whole number"),
        (f"ana,{DAY},,tib-raise-wall,Tib,\u0661,10,1,done,,", "set must be a whole number"),
        (f"ana,{DAY},,tib-raise-wall,Tib,1,1_0,1,done,,", "reps must be a whole number"),
        (f"ana,{DAY},,<script>,Tib,1,10,1,done,,", "exercise id '<script>' must be"),
        (f"ana,{DAY},,Tib-Raise,Tib,1,10,1,done,,", "exercise id 'Tib-Raise' must be"),
    ],
)
def test_import_refuses_what_is_not_ascii_digits_or_an_id_by_file_and_line(
    tmp_path: Path, runner: CliRunner, data: Path, row: str, said: str
) -> None:
    path = write(tmp_path, HEADER + row + "\n")
    code, _, err = run(runner, "data", "import", str(path))
    assert code == 1 and f"{path}:2: " in err and said in err, err
    assert not data.exists()


def test_a_huge_header_field_is_a_file_line_error(tmp_path: Path, runner: CliRunner) -> None:
    path = write(tmp_path, "profile," + "x" * 140_000 + "\n")
    code, _, err = run(runner, "data", "import", str(path))
    assert code == 1 and f"{path}:1: field larger than field limit" in err, err


def test_reimport_leaves_rows_already_there_exactly_as_they_are(
    tmp_path: Path, runner: CliRunner
) -> None:
    log_one("ana", note="mine")
    with Store.open() as store:
        before = store.export_rows()
    row = f"ana,{DAY},,tib-raise-wall,Tib,1,10,9,stopped,theirs,their session\n"
    code, out, err = run(runner, "data", "import", str(write(tmp_path, HEADER + row)))
    assert code == 0 and "Imported 0 new sets" in out and "1 already in the log" in out, err
    with Store.open() as store:
        assert store.export_rows() == before


def test_a_slot_that_fits_no_programme_is_imported_outside_it(
    tmp_path: Path, runner: CliRunner
) -> None:
    row = f"ana,{DAY},10000,tib-raise-wall,Tib,1,10,1,done,,\n"
    code, out, err = run(runner, "data", "import", str(write(tmp_path, HEADER + row)))
    assert code == 0 and "1 row did not fit the programme" in err, err
    with Store.open() as store:
        assert [s.slot for s in store.sessions("ana")] == [None]


NOTES = [
    "=cmd|' /C calc'!A0",
    "+1",
    "-2",
    "@SUM(A1)",
    "'=already quoted",
    "line\u2028separator",
    "next\u0085line",
    "vt\x0bff\x0cfs\x1cgs\x1drs\x1e",
    "ok",
]


def test_export_neutralises_formulas_and_the_round_trip_keeps_every_note(
    tmp_path: Path, runner: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    with Store.open(write=True) as store:
        for n, note in enumerate(NOTES):
            session = store.begin_session("ana", DAY - dt.timedelta(days=n))
            store.log_exercise(session, "tib-raise-wall", Amount(reps=10), 1, note=note)
        rows = store.export_rows()
    out = tmp_path / "out.csv"
    assert run(runner, "--profile", "ana", "data", "export", "-o", str(out))[0] == 0
    text = out.read_text(encoding="utf-8-sig")
    assert "\n=cmd" not in text and ",=cmd" not in text and ",'=cmd|" in text
    assert ",'+1," in text and ",'-2," in text and ",'@SUM(A1)," in text
    monkeypatch.setenv("KOTCOACH_DATA_DIR", str(tmp_path / "elsewhere"))
    code, output, err = run(runner, "data", "import", str(out))
    assert code == 0 and f"Imported {len(NOTES)} new sets" in output, err
    with Store.open() as store:
        assert sorted(r["note"] for r in store.export_rows()) == sorted(r["note"] for r in rows)


def test_export_to_a_terminal_shows_escape_sequences_never_obeys_them(
    runner: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    log_one("default", note="\x1b]52;c;ZXZpbA==\x07 clip")
    from kotcoach.cli import data as cli_data

    monkeypatch.setattr(cli_data, "_stdout_is_terminal", lambda: True)
    code, out, _ = run(runner, "data", "export")
    assert code == 0 and "\x1b" not in out and "\\x1b]52;c;ZXZpbA==\\x07 clip" in out


# --- one input rule ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "args",
    [
        [
            "log",
            "tib-raise-wall",
            "--sets",
            "1",
            "--reps",
            "5",
            "--pain-during",
            "1",
            "--note",
            "\udcff",
        ],
        ["--profile", "\udcff", "today"],
        ["history", "--exercise", "\udce9t\udce9"],
        ["profile", "set", "--for", "\udcff"],
    ],
)
def test_arguments_that_are_not_utf8_are_a_usage_error(runner: CliRunner, args: list[str]) -> None:
    code, _, err = run(runner, *args)
    assert code == 2 and "is not valid UTF-8 text" in err and err.count("\n") == 1, err


@pytest.mark.parametrize(
    "args",
    [
        ["log", "tib-raise-wall", "--sets", "\u0662", "--reps", "10", "--pain-during", "1"],
        ["log", "tib-raise-wall", "--sets", "2", "--reps", "1_0", "--pain-during", "1"],
        ["log", "tib-raise-wall", "--sets", "2", "--reps", "10", "--pain-during", "\u0663"],
        ["checkin", "--pain", "knee=\u0663"],
        ["--profile", "", "today"],
    ],
)
def test_unicode_digits_underscores_and_an_empty_profile_are_refused(
    runner: CliRunner, data: Path, args: list[str]
) -> None:
    code, _, err = run(runner, *args)
    assert code == 2 and err.startswith("kotcoach: error: "), err
    assert not data.exists()


def test_log_waits_for_a_busy_log_and_says_so_after_a_second(
    data: Path, runner: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    import threading
    import time

    log_one("default")
    lock = sqlite3.connect(data / "kotcoach.db", isolation_level=None, check_same_thread=False)
    timers: list[threading.Timer] = []
    opened = Store.open.__func__  # type: ignore[attr-defined]

    def open_then_lock(cls: type[Store], *args: object, **kwargs: object) -> Store:
        store = opened(cls, *args, **kwargs)
        if kwargs.get("write") and not timers:  # another kotcoach takes the lock for 2 s
            lock.execute("BEGIN IMMEDIATE")
            timers.append(threading.Timer(2.0, lambda: lock.execute("ROLLBACK")))
            timers[0].start()
        return store

    monkeypatch.setattr(Store, "open", classmethod(open_then_lock))
    started = time.monotonic()
    try:
        code, _, err = run(
            runner,
            *LOG_ONE_SET,
        )
    finally:
        for timer in timers:
            timer.join()
        lock.close()
    assert code == 0, err
    assert time.monotonic() - started >= 2.0
    assert "is busy (another kotcoach is writing it); waiting up to 30 s" in err
    with Store.open() as store:
        assert [len(e.sets) for e in store.exercise_history("default")] == [3]


def test_a_programme_from_another_catalogue_is_named_once_and_progress_still_counts(
    runner: CliRunner, tmp_path: Path
) -> None:
    from conftest import MINI

    assert run(runner, "start", "--level", "beginner")[0] == 0
    for days in (2, 1):
        day = (dt.date.today() - dt.timedelta(days=days)).isoformat()
        args = ("log", "tib-raise-wall", "--sets", "2", "--reps", "20", "--pain-during", "1")
        assert run(runner, *args, "--date", day)[0] == 0
    other = tmp_path / "other.yaml"
    other.write_text(MINI, encoding="utf-8")
    code, _, err = run(runner, "--catalog", str(other), "today")
    assert code == 1 and err.count("\n") == 1
    assert f"the programme of 'default' uses backward-walk, which {other} does not have" in err
    code, out, err = run(runner, "--catalog", str(other), "progress")
    assert code == 0 and "Trained: 2 days" in out, out + err


def test_what_a_killed_backup_or_session_left_is_cleaned_up(
    data: Path, tmp_path: Path, runner: CliRunner
) -> None:
    log_one("ana")
    folder = tmp_path / "backups"
    folder.mkdir()
    old = [folder / ".kotcoach-0a1b2c.tmp", folder / ".kotcoach-0a1b2c.tmp-journal"]
    for path in old:
        path.write_bytes(b"half a copy")
        os.utime(path, (1_000_000_000, 1_000_000_000))
    fresh = folder / ".kotcoach-3d4e5f.tmp"  # another backup writing right now: kept
    fresh.write_bytes(b"")
    assert run(runner, "data", "backup", str(folder / "b.db"))[0] == 0
    assert sorted(p.name for p in folder.iterdir()) == [".kotcoach-3d4e5f.tmp", "b.db"]
    # A session killed with SIGKILL leaves its lock file, unlocked: restore is not refused by it.
    (data / "kotcoach.db.held-by-999999").write_text("session 999999\n")
    code, _, err = run(runner, "data", "restore", str(folder / "b.db"))
    assert code == 0, err
    assert not (data / "kotcoach.db.held-by-999999").exists()


def test_a_really_full_disk_says_so_for_a_write_and_reads_still_work(
    tmp_path: Path, runner: CliRunner
) -> None:
    mount = tmp_path / "small"
    mount.mkdir()
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=320k", "tmpfs", str(mount)],
        capture_output=True,
        check=False,
    )
    if done.returncode != 0:
        pytest.skip("no tmpfs mount here (needs root); the injected SQLITE_FULL test covers it")
    try:
        os.environ["KOTCOACH_DATA_DIR"] = str(mount / "data")
        log_one("ana")
        filler = mount / "filler"
        descriptor = os.open(filler, os.O_WRONLY | os.O_CREAT)  # fill what is left of the disk
        try:
            while os.write(descriptor, b"\0" * 4096):
                pass
        except OSError:
            pass
        finally:
            os.close(descriptor)
        message = ""
        for n in range(50):
            code, _, err = run(
                runner,
                "--profile",
                "ana",
                "log",
                "tib-raise-wall",
                "--sets",
                "20",
                "--reps",
                "10",
                "--pain-during",
                "1",
                "--note",
                "x" * 400,
                "--date",
                (DAY - dt.timedelta(days=n)).isoformat(),
            )
            if code != 0:
                message = err
                break
        assert message.startswith(
            "kotcoach: error: the disk is full: cannot write the training "
            f"log {mount / 'data' / 'kotcoach.db'}"
        ), message
        assert "no transaction is active" not in message
        code, out, err = run(runner, "--profile", "ana", "history")
        assert code == 0 and "tib-raise-wall" in out, err  # reading needs no room
        filler.unlink()  # room again: everything written before is there, the file sound
        code, out, err = run(runner, "--profile", "ana", "history", "--json")
        assert code == 0 and '"tib-raise-wall"' in out, err
        with sqlite3.connect(mount / "data" / "kotcoach.db") as db:
            assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    finally:
        os.environ["KOTCOACH_DATA_DIR"] = str(tmp_path / "data")
        subprocess.run(["umount", "-l", str(mount)], check=False)


@pytest.mark.parametrize(
    "args",
    [
        ["test", "knee-to-wall", "--left", "\u0661\u0662"],
        ["test", "knee-to-wall", "--left", "nan"],
        ["test", "knee-to-wall", "--right", "1e3"],
        ["test", "tib-raise", "\u0661\u0660"],
        ["plan", "--days", "\u0663"],
        ["history", "--last", "1_0"],
    ],
)
def test_every_number_option_takes_ascii_digits_only(
    runner: CliRunner, data: Path, args: list[str]
) -> None:
    code, out, err = run(runner, *args)
    assert code == 2 and "is not a" in err and err.count("\n") == 1 and out == "", err
    assert not data.exists()


def test_a_large_import_commits_in_batches_bounded_in_time(
    data: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from types import SimpleNamespace

    from kotcoach.store import exchange, transfer

    lines = [
        {
            "profile": "ana",
            "date": (DAY - dt.timedelta(days=n)).isoformat(),
            "exercise": "tib-raise-wall",
            "set": "1",
            "reps": "10",
        }
        for n in range(30)
    ]
    rows = [exchange.parse_row(raw, n, dt.date.today()) for n, raw in enumerate(lines, start=2)]
    batches: list[float] = []
    clock = iter(range(10_000))
    fake = SimpleNamespace(monotonic=lambda: float(next(clock)) * 0.2, sleep=lambda _: None)
    monkeypatch.setattr(transfer, "time", fake)
    with Store.open(write=True) as store:
        opened = store._write

        def counted() -> object:
            batches.append(1)
            return opened()

        monkeypatch.setattr(store, "_write", counted)
        assert store.import_rows(rows).added == 30
    # Each row "takes" 0.2 s on this clock: a batch ends once it passes 0.75 s, so every fourth
    # row, and no transaction holds the lock for much more than three quarters of a second.
    assert len(batches) == 8


def test_the_progress_pdf_names_missing_glyphs_in_kotcoachs_words_and_is_private(
    runner: CliRunner, tmp_path: Path
) -> None:
    pytest.importorskip("fpdf")
    assert run(runner, "profile", "set", "--for", "Sam \U0001f9b5")[0] == 0
    log_one("default")
    target = tmp_path / "report.pdf"
    code, _, err = run(runner, "progress", "--export", str(target))
    assert code == 0, err
    assert "the report's font cannot draw \U0001f9b5: shown as empty boxes" in err
    assert "missing the following glyphs" not in err and "Warning" not in err
    assert stat.S_IMODE(target.stat().st_mode) == 0o600


@settings(max_examples=150, derandomize=True, deadline=None, database=None)
@given(
    note=st.text(
        alphabet=st.characters(blacklist_categories=["Cs"], blacklist_characters="\x00\r\n"),
        min_size=1,
        max_size=60,
    ).filter(lambda text: text.strip() == text and text != "")
)
def test_any_note_survives_export_and_import_unchanged(note: str) -> None:
    import io

    from kotcoach.cli.data import _csv
    from kotcoach.store.exchange import COLUMNS, csv_rows, parse_row

    row = dict.fromkeys(COLUMNS) | {
        "profile": "ana",
        "date": DAY.isoformat(),
        "exercise": "tib-raise-wall",
        "name": note[:80],
        "set": 1,
        "reps": 10,
        "status": "done",
        "note": note,
        "session_note": note,
    }
    text = _csv([row], COLUMNS)
    import csv

    for cell in [c for r in csv.reader(io.StringIO(text, newline="")) for c in r]:
        assert not cell.startswith(("=", "+", "-", "@", "\t", "\r"))  # never run as a formula
    [(line, raw)] = list(csv_rows(io.StringIO(text, newline=""), "x.csv"))
    parsed = parse_row(raw, line, dt.date.today())
    assert (parsed.note, parsed.session_note, parsed.name) == (note, note, note[:80].strip())
