"""The training-log commands: profile, start, today, log, checkin, history and data."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from kotcoach.cli import app
from kotcoach.cli import log as cli_log
from tests.probes import imported

TODAY = dt.date.today()
YESTERDAY = TODAY - dt.timedelta(days=1)


def run(runner: CliRunner, *args: str, input: str | None = None):  # type: ignore[no-untyped-def]
    return runner.invoke(app, list(args), input=input, prog_name="kotcoach")


def ok(runner: CliRunner, *args: str) -> Any:
    result = run(runner, *args)
    assert result.exit_code == 0, result.stderr + result.stdout
    return json.loads(result.stdout) if "--json" in args else result.stdout


def error(runner: CliRunner, code: int, *args: str) -> str:
    result = run(runner, *args)
    assert result.exit_code == code, result.stdout + result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("kotcoach: error: "), result.stderr
    assert "Traceback" not in result.stdout + result.stderr
    if "--json" in args:
        assert result.stdout == ""
    return lines[0]


@pytest.fixture
def data(tmp_path: Path) -> Path:
    return tmp_path / "data"  # conftest points KOTCOACH_DATA_DIR here


@pytest.fixture
def started(runner: CliRunner) -> dict[str, Any]:
    """A beginner's programme saved for the default profile; returns today's JSON."""
    ok(runner, "start", "--level", "beginner", "--json")
    today: dict[str, Any] = ok(runner, "today", "--json")
    return today


def log_all(runner: CliRunner, exercises: list[dict[str, Any]], pain: int = 1) -> None:
    for exercise in exercises:
        detail = exercise["dose_detail"]
        amount = (
            ["--minutes", str(detail["minutes"])]
            if "minutes" in detail
            else ["--hold", str(detail["hold_seconds"])]
            if "hold_seconds" in detail
            else ["--reps", str(detail["reps"])]
        )
        ok(
            runner,
            "log",
            exercise["id"],
            "--sets",
            str(detail["sets"]),
            *amount,
            "--pain-during",
            str(pain),
        )


# --- reading never creates -------------------------------------------------------------------


def test_reading_commands_create_nothing(runner: CliRunner, data: Path) -> None:
    for args in (
        ["today"],
        ["today", "--json"],
        ["history"],
        ["history", "--json"],
        ["profile", "show"],
        ["profile", "list"],
        ["data", "path"],
        ["data", "export"],
        ["plan", "--level", "beginner"],
        ["--help"],
    ):
        ok(runner, *args)
    assert not data.exists()
    assert ok(runner, "data", "path").strip() == str(data / "kotcoach.db")


def test_today_without_a_programme_shows_day_one_of_the_defaults(runner: CliRunner) -> None:
    today = ok(runner, "today", "--json")
    assert today["programme"] is False
    plan = ok(runner, "plan", "--json")
    first = plan["sessions"][0]
    assert [e["id"] for e in today["exercises"]] == [first["warm_up"]["id"]] + [
        e["id"] for e in first["exercises"]
    ]
    assert "kotcoach start" in ok(runner, "today")


# --- start, today and log --------------------------------------------------------------------


def test_start_saves_the_plan_and_today_follows_it(runner: CliRunner) -> None:
    plan = ok(runner, "start", "--level", "beginner", "--days", "2", "--json")["plan"]
    today = ok(runner, "today", "--json")
    assert today["programme"] is True
    assert today["session"] == {
        "number": 1,
        "week": 1,
        "day": 1,
        "minutes": plan["sessions"][0]["minutes"],
    }
    first = plan["sessions"][0]
    items = [first["warm_up"], *first["exercises"]]
    assert [
        {k: e[k] for k in ("id", "name", "dose", "dose_detail", "key_cue")}
        for e in today["exercises"]
    ] == [{k: item[k] for k in ("id", "name", "dose", "dose_detail", "key_cue")} for item in items]

    log_all(runner, today["exercises"][1:])  # the warm-up is not needed to move on
    second = ok(runner, "today", "--json")
    assert second["session"]["number"] == 2
    assert [e["id"] for e in second["exercises"][1:]] == [
        e["id"] for e in plan["sessions"][1]["exercises"]
    ]


def test_today_ticks_what_is_logged_and_log_says_what_is_left(
    runner: CliRunner, started: dict[str, Any]
) -> None:
    first, *rest = started["exercises"][1:]
    out = ok(
        runner,
        "log",
        first["id"],
        "--sets",
        "1",
        "--reps",
        "3",
        "--pain-during",
        "2",
        "--note",
        "easy",
    )
    assert f"Logged {first['name']} on {TODAY.isoformat()}: 1 × 3" in out.replace("\n", " ")
    sets = first["dose_detail"]["sets"]
    assert sets >= 2  # one set of several: partly done, and still to do
    assert f"(target {sets} × " in out
    to_go = f"{sets - 1} more set{'s' if sets > 2 else ''}"
    left = [f"{first['id']} ({to_go})", *(e["id"] for e in rest)]
    assert "Left in today's session: " + ", ".join(left) in out.replace("\n", " ")
    today = ok(runner, "today", "--json")
    logged = {e["id"]: e["logged"] for e in today["exercises"]}
    assert logged[first["id"]] == {
        "status": "done",
        "done": "1 × 3",
        "sets_done": 1,
        "sets_left": sets - 1,
        "pain_during": 2,
    }
    assert all(logged[e["id"]] is None for e in rest)
    text = ok(runner, "today")
    assert "…" in text and f"1 of {sets} sets done" in text and "✓" not in text

    more = ["--reps", "3", "--pain-during", "2", "--json"]
    finished = ok(runner, "log", first["id"], "--sets", str(sets - 1), *more)
    assert finished["left_today"] == [e["id"] for e in rest]
    assert ok(runner, "today", "--json")["exercises"][1]["logged"]["sets_left"] == 0
    assert "✓" in ok(runner, "today")


def test_pain_above_five_says_stop_for_today(runner: CliRunner, started: dict[str, Any]) -> None:
    exercise = started["exercises"][1]["id"]
    out = ok(
        runner,
        "log",
        exercise,
        "--sets",
        "1",
        "--reps",
        "5",
        "--pain-during",
        "7",
        "--pain-after",
        "6",
    ).replace("\n", " ")
    assert "7/10 is above 5/10: stop this exercise for today" in out
    assert f"kotcoach ladder {exercise}" in out
    assert "6/10 after the session is more than 5/10" in out
    today = ok(runner, "today", "--json")
    logged = next(e["logged"] for e in today["exercises"] if e["id"] == exercise)
    assert logged == {
        "status": "stopped",
        "done": "1 × 5",
        "sets_done": 1,
        "sets_left": 0,  # stopped for pain: finished for today, whatever sets were prescribed
        "pain_during": 7,
    }


def test_log_takes_its_target_from_the_catalogue_outside_the_programme(
    runner: CliRunner, data: Path
) -> None:
    result = ok(
        runner,
        "log",
        "tib-raise-wall",
        "--sets",
        "2",
        "--reps",
        "18",
        "--pain-during",
        "0",
        "--date",
        YESTERDAY.isoformat(),
        "--json",
    )
    assert result["target"]["sets"] >= 1 and result["target"]["reps"] is not None
    assert [s["reps"] for s in result["sets"]] == [18, 18]
    assert result["left_today"] is None
    history = ok(runner, "history", "--json")
    (session,) = history["sessions"]
    assert session["date"] == YESTERDAY.isoformat() and session["session"] is None


def test_a_missing_checkin_is_reminded_until_given(
    runner: CliRunner, started: dict[str, Any]
) -> None:
    ok(
        runner,
        "log",
        "tib-raise-wall",
        "--sets",
        "1",
        "--reps",
        "10",
        "--pain-during",
        "1",
        "--date",
        YESTERDAY.isoformat(),
    )
    assert ok(runner, "today", "--json")["checkin_missing"] == YESTERDAY.isoformat()
    assert "Check in first" in ok(runner, "today")
    ok(runner, "checkin", "--pain", "knee=1", "--others", "0")
    assert ok(runner, "today", "--json")["checkin_missing"] is None


@pytest.mark.parametrize(
    ("args", "named"),
    [
        (["--sets", "2", "--reps", "10", "--pain-during", "11"], "not 11"),
        (["--sets", "2", "--reps", "10", "--pain-during", "-1"], "'-1' is not a whole number"),
        (
            ["--sets", "0", "--reps", "10", "--pain-during", "1"],
            "--sets must be a whole number from 1 to 20, not 0",
        ),
        (["--sets", "500", "--reps", "10", "--pain-during", "1"], "not 500"),
        (
            ["--sets", "2", "--reps", "-4", "--pain-during", "1"],
            "--reps: '-4' is not a whole number (digits 0-9 only)",
        ),
        (["--sets", "2", "--reps", "5000", "--pain-during", "1"], "not 5000"),
        (["--sets", "2", "--hold", "86400", "--pain-during", "1"], "not 86400"),
        (
            ["--sets", "2", "--reps", "10", "--hold", "30", "--pain-during", "1"],
            "--reps and --hold",
        ),
        (
            ["--sets", "2", "--reps", "10", "--pain-during", "1", "--date", "2025-02-30"],
            "'2025-02-30' is not a real date",
        ),
        (
            ["--sets", "2", "--reps", "10", "--pain-during", "1", "--date", "yesterday"],
            "'yesterday' must look like YYYY-MM-DD",
        ),
        (
            [
                "--sets",
                "2",
                "--reps",
                "10",
                "--pain-during",
                "1",
                "--date",
                (TODAY + dt.timedelta(days=1)).isoformat(),
            ],
            "in the future",
        ),
        (["--sets", "2", "--reps", "10"], "missing --pain-during"),
        (["--reps", "10", "--pain-during", "1"], "missing --sets"),
    ],
)
def test_bad_log_input_is_a_usage_error_naming_the_value(
    runner: CliRunner, data: Path, args: list[str], named: str
) -> None:
    line = error(runner, 2, "log", "tib-raise-wall", *args, "--json")
    assert named in line
    assert not data.exists()


def test_an_unknown_exercise_names_the_closest_ids(runner: CliRunner, data: Path) -> None:
    line = error(
        runner, 1, "log", "tib-raise-wal", "--sets", "1", "--reps", "5", "--pain-during", "0"
    )
    assert "no exercise has the id 'tib-raise-wal'" in line
    assert "did you mean 'tib-raise-wall'" in line
    assert ok(runner, "data", "export") == ",".join(_columns()) + "\n"


def _columns() -> tuple[str, ...]:
    from kotcoach.store.exchange import COLUMNS

    return COLUMNS


def test_log_asks_on_a_terminal_with_the_target_as_default(
    runner: CliRunner, started: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(cli_log, "_stdin_is_terminal", lambda: True)
    exercise = started["exercises"][2]
    detail = exercise["dose_detail"]
    result = run(runner, "log", exercise["id"], input="\n\n3\n")
    assert result.exit_code == 0, result.stderr
    today = ok(runner, "today", "--json")
    logged = next(e for e in today["exercises"] if e["id"] == exercise["id"])["logged"]
    assert logged["pain_during"] == 3
    assert logged["done"].startswith(f"{detail['sets']} × ")


# --- checkin ---------------------------------------------------------------------------------


def test_checkin_saves_replaces_and_notices_a_rise(runner: CliRunner) -> None:
    ok(
        runner,
        "checkin",
        "--pain",
        "knee=1",
        "--stiffness",
        "knee=2",
        "--date",
        YESTERDAY.isoformat(),
    )
    result = ok(runner, "checkin", "--pain", "knee=3", "--pain", "ankle=0", "--json")
    assert result["areas"] == [
        {"area": "ankle", "pain": 0, "stiffness": None},
        {"area": "knee", "pain": 3, "stiffness": None},
    ]
    assert result["notes"] == [
        f"knee: pain 3/10 is up from 1/10 on {YESTERDAY.isoformat()}. Pain must not rise: make "
        "the next session lighter."
    ]
    again = ok(runner, "checkin", "--pain", "knee=2", "--json")
    assert [a["pain"] for a in again["areas"] if a["area"] == "knee"] == [2]
    high = ok(runner, "checkin", "--pain", "back=7")
    assert "7/10 this morning has not settled" in high.replace("\n", " ")


@pytest.mark.parametrize(
    ("args", "named"),
    [
        (["--pain", "knee=11"], "not 11"),
        (["--pain", "knee"], "must look like AREA=0..10"),
        (["--pain", "elbow=2"], "unknown area 'elbow'"),
        (["--pain", "knee=2", "--stiffness", "hip=3"], "stiffness given for hip without its pain"),
        (["--pain", "knee=2", "--date", "2025-13-01"], "not a real date"),
        ([], "give --pain AREA=N"),
    ],
)
def test_bad_checkin_input(runner: CliRunner, data: Path, args: list[str], named: str) -> None:
    assert named in error(runner, 2, "checkin", *args)
    assert not data.exists()


def test_checkin_asks_each_area_on_a_terminal(
    runner: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(cli_log, "_stdin_is_terminal", lambda: True)
    result = run(runner, "checkin", "--json", input="2\n3\n\n\n1\n0\n\n\n")
    assert result.exit_code == 0, result.stderr
    # CliRunner echoes the typed answers to stdout; a terminal would show them itself.
    answer = json.loads(result.stdout[result.stdout.index("{") :])
    areas = {a["area"]: (a["pain"], a["stiffness"]) for a in answer["areas"]}
    assert areas == {"knee": (2, 3), "ankle": (0, 0), "hip": (1, 0), "back": (0, 0)}


# --- history ---------------------------------------------------------------------------------


def test_history_shows_done_against_target_and_pain(
    runner: CliRunner, started: dict[str, Any]
) -> None:
    ok(
        runner,
        "log",
        "tib-raise-wall",
        "--sets",
        "2",
        "--reps",
        "12",
        "--pain-during",
        "4",
        "--pain-after",
        "3",
        "--date",
        YESTERDAY.isoformat(),
    )
    ok(
        runner,
        "log",
        "couch-stretch-upright",
        "--sets",
        "1",
        "--hold",
        "30",
        "--pain-during",
        "0",
        "--date",
        YESTERDAY.isoformat(),
    )
    history = ok(runner, "history", "--json")
    (session,) = history["sessions"]
    assert session["pain_after"] == 3
    tib = session["exercises"][0]
    assert (tib["id"], tib["done"], tib["pain_during"]) == ("tib-raise-wall", "2 × 12", 4)
    assert tib["target"] is not None
    text = ok(runner, "history")
    assert "2 × 12" in text and "4/10" in text and "pain after" in text
    only = ok(runner, "history", "--exercise", "couch-stretch-upright", "--json")
    assert [e["id"] for s in only["sessions"] for e in s["exercises"]] == ["couch-stretch-upright"]
    assert ok(runner, "history", "--since", TODAY.isoformat(), "--json")["sessions"] == []


def test_history_shows_the_last_ten_sessions_unless_asked(runner: CliRunner) -> None:
    for n in range(12):
        day = (TODAY - dt.timedelta(days=20 - n)).isoformat()
        ok(
            runner,
            "log",
            "tib-raise-wall",
            "--sets",
            "1",
            "--reps",
            str(n + 1),
            "--pain-during",
            "0",
            "--date",
            day,
        )
    recent = ok(runner, "history", "--json")["sessions"]
    assert len(recent) == 10 and recent[-1]["exercises"][0]["done"] == "1 × 12"
    assert "--since" in ok(runner, "history")
    assert len(ok(runner, "history", "--since", "2000-01-01", "--json")["sessions"]) == 12
    assert len(ok(runner, "history", "--last", "3", "--json")["sessions"]) == 3


def test_history_of_an_unknown_exercise_names_the_closest(runner: CliRunner) -> None:
    line = error(runner, 1, "history", "--exercise", "couch-strech-upright", "--json")
    assert "did you mean 'couch-stretch-upright'" in line


# --- profiles --------------------------------------------------------------------------------


def test_profiles_keep_separate_logs_and_defaults(
    runner: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    ok(
        runner,
        "--profile",
        "ana",
        "profile",
        "set",
        "--days",
        "2",
        "--minutes",
        "15",
        "--equipment",
        "step",
        "--for",
        "Ana Lima",
        "--clinic",
        "Knee Clinic",
    )
    monkeypatch.setenv("KOTCOACH_PROFILE", "ben")
    ok(runner, "profile", "set", "--level", "intermediate")
    shown = ok(runner, "--profile", "ana", "profile", "show", "--json")
    assert (shown["days"], shown["minutes"], shown["equipment"], shown["for"], shown["clinic"]) == (
        2,
        15,
        ["step"],
        "Ana Lima",
        "Knee Clinic",
    )
    assert ok(runner, "profile", "list", "--json") == {"current": "ben", "profiles": ["ana", "ben"]}
    assert "* ben" in ok(runner, "profile", "list")
    # Saved defaults fill what plan and start leave out; options given win.
    assert ok(runner, "--profile", "ana", "plan", "--json")["days"] == 2
    assert ok(runner, "--profile", "ana", "plan", "--days", "3", "--json")["days"] == 3
    assert ok(runner, "plan", "--json")["level"] == "intermediate"
    ok(
        runner,
        "--profile",
        "ana",
        "log",
        "tib-raise-wall",
        "--sets",
        "1",
        "--reps",
        "5",
        "--pain-during",
        "0",
    )
    assert ok(runner, "history", "--json")["sessions"] == []
    assert len(ok(runner, "--profile", "ana", "history", "--json")["sessions"]) == 1


def test_handouts_carry_the_profiles_lines_unless_given(runner: CliRunner, tmp_path: Path) -> None:
    ok(runner, "profile", "set", "--for", "Ana Lima", "--clinic", "Knee Clinic")
    saved, given = tmp_path / "saved.md", tmp_path / "given.md"
    run(runner, "plan", "--export", str(saved))
    run(runner, "plan", "--export", str(given), "--for", "Ben Hall")
    assert "For Ana Lima · Knee Clinic" in saved.read_text(encoding="utf-8")
    assert "For Ben Hall · Knee Clinic" in given.read_text(encoding="utf-8")


def test_profile_bad_input(runner: CliRunner, data: Path) -> None:
    assert "profile name 'no spaces'" in error(runner, 2, "--profile", "no spaces", "today")
    assert "unknown condition 'sore'" in error(runner, 2, "profile", "set", "--condition", "sore")
    assert "nothing to set" in error(runner, 2, "profile", "set")
    assert not data.exists()
    assert "No profile 'default' yet" in ok(runner, "profile", "show")


# --- data ------------------------------------------------------------------------------------


def test_export_import_round_trip_and_reimport_adds_nothing(
    runner: CliRunner, started: dict[str, Any], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    log_all(runner, started["exercises"][:3], pain=2)
    exported = ok(runner, "data", "export")
    rows = list(csv.DictReader(io.StringIO(exported)))
    assert {"profile", "date", "exercise"} <= set(rows[0])
    assert len(rows) == sum(e["dose_detail"]["sets"] for e in started["exercises"][:3])
    as_json = ok(runner, "data", "export", "--format", "json")
    assert len(json.loads(as_json)) == len(rows)
    target = tmp_path / "log.csv"
    ok(runner, "data", "export", "-o", str(target))
    assert target.read_bytes().startswith(b"\xef\xbb\xbf")  # spreadsheets then read UTF-8
    assert "exists" in error(runner, 1, "data", "export", "-o", str(target))

    monkeypatch.setenv("KOTCOACH_DATA_DIR", str(tmp_path / "elsewhere"))
    # No programme there: the rows keep everything but their programme session (slot).
    unplanned = [row | {"slot": ""} for row in rows]
    assert f"Imported {len(rows)} new sets" in ok(runner, "data", "import", str(target))
    assert list(csv.DictReader(io.StringIO(ok(runner, "data", "export")))) == unplanned
    assert "Imported 0 new sets" in ok(runner, "data", "import", str(target))
    assert list(csv.DictReader(io.StringIO(ok(runner, "data", "export")))) == unplanned


def test_import_reports_line_numbers_and_writes_nothing(
    runner: CliRunner, tmp_path: Path, data: Path
) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text(
        "profile,date,exercise,set,reps,pain_during\n"
        "ana,2025-03-01,tib,1,20,2\n"
        "ana,2025-03-01,tib,2,20,12\n"
        "ana,3025-03-01,tib,3,20,2\n",
        encoding="utf-8",
    )
    line = error(runner, 1, "data", "import", str(bad))
    assert f"{bad}:3: pain_during must be a whole number from 0 to 10, not 12" in line
    assert f"{bad}:4: date 3025-03-01 is in the future" in line
    assert not data.exists()
    assert "header lacks set" in error(
        runner, 1, "data", "import", _write(tmp_path, "profile,date,exercise\n")
    )
    assert "no such file" in error(runner, 1, "data", "import", str(tmp_path / "missing.csv"))


def _write(folder: Path, text: str) -> str:
    path = folder / "header.csv"
    path.write_text(text, encoding="utf-8")
    return str(path)


def test_backup_copies_everything(
    runner: CliRunner, started: dict[str, Any], tmp_path: Path
) -> None:
    log_all(runner, started["exercises"][:2])
    ok(runner, "checkin", "--pain", "knee=1", "--others", "0")
    copy = tmp_path / "copy.db"
    ok(runner, "data", "backup", str(copy))
    db = sqlite3.connect(copy)
    assert db.execute("SELECT count(*) FROM checkins").fetchone()[0] == 4  # every area it loads
    assert db.execute("SELECT count(*) FROM programmes").fetchone()[0] == 1
    db.close()
    assert "exists" in error(runner, 1, "data", "backup", str(copy))
    ok(runner, "data", "backup", str(copy), "--force")


def test_backup_without_a_log(runner: CliRunner, tmp_path: Path, data: Path) -> None:
    assert "nothing to back up" in error(runner, 1, "data", "backup", str(tmp_path / "b.db"))
    assert not data.exists()


# --- files the log must not touch ------------------------------------------------------------


def test_a_corrupt_log_is_named_and_left_alone(runner: CliRunner, data: Path) -> None:
    data.mkdir()
    path = data / "kotcoach.db"
    path.write_bytes(b"not sqlite at all\n" * 100)
    for args in (
        ["today", "--json"],
        ["history"],
        ["log", "tib-raise-wall", "--sets", "1", "--reps", "5", "--pain-during", "1"],
        ["checkin", "--pain", "knee=1"],
    ):
        line = error(runner, 1, *args)
        assert str(path) in line and "cannot be read" in line
    assert path.read_bytes() == b"not sqlite at all\n" * 100


def test_a_log_from_a_newer_kotcoach_is_refused(runner: CliRunner, data: Path) -> None:
    data.mkdir()
    db = sqlite3.connect(data / "kotcoach.db")
    db.execute("PRAGMA user_version = 99")
    db.close()
    assert "newer kotcoach" in error(runner, 1, "today")


def test_a_busy_log_says_so(runner: CliRunner, data: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    ok(runner, "checkin", "--pain", "knee=1")
    holder = sqlite3.connect(data / "kotcoach.db", isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    monkeypatch.setenv("KOTCOACH_BUSY_TIMEOUT", "0.1")
    try:
        assert "busy" in error(runner, 1, "checkin", "--pain", "knee=2")
    finally:
        holder.execute("ROLLBACK")
        holder.close()


# --- processes -------------------------------------------------------------------------------


def _kotcoach() -> list[str]:
    return [sys.executable, "-m", "kotcoach"]


def test_many_kotcoach_log_processes_at_once_lose_nothing(tmp_path: Path) -> None:
    env = {**os.environ, "KOTCOACH_DATA_DIR": str(tmp_path / "data"), "KOTCOACH_BUSY_TIMEOUT": "60"}
    day = YESTERDAY.isoformat()
    for name in ("p0", "p1"):  # only 'profile set' and 'start' make a profile
        made = [*_kotcoach(), "--profile", name, "profile", "set", "--level", "beginner"]
        subprocess.run(made, env=env, check=True, capture_output=True)
    processes = [
        subprocess.Popen(
            [
                *_kotcoach(),
                "--profile",
                f"p{n % 2}",
                "log",
                "tib-raise-wall",
                "--sets",
                "2",
                "--reps",
                str(n + 1),
                "--pain-during",
                "0",
                "--date",
                day,
            ],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        for n in range(6)
    ]
    for process in processes:
        _, err = process.communicate(timeout=120)
        assert process.returncode == 0, err.decode()
    db = sqlite3.connect(tmp_path / "data" / "kotcoach.db")
    reps = sorted(r for (r,) in db.execute("SELECT reps FROM sets"))
    assert reps == sorted([n + 1 for n in range(6)] * 2)


def test_list_and_help_never_import_the_log() -> None:
    _, loaded = imported([["list"], ["--help"]], ("sqlite3", "platformdirs", "kotcoach.store"))
    assert loaded == []


def test_history_never_loads_the_catalogue(runner: CliRunner, tmp_path: Path) -> None:
    """It reads the log alone: no YAML, no pydantic (benchmarks/history.py). (`today` reads
    the catalogue's ladders for the coach's decisions.)"""
    ok(runner, "start", "--level", "beginner")
    ok(runner, "log", "tib-raise-wall", "--sets", "1", "--reps", "5", "--pain-during", "0")
    env = {**os.environ, "KOTCOACH_DATA_DIR": str(tmp_path / "data")}
    heavy = ("pydantic", "yaml", "kotcoach.catalogue.loading", "kotcoach.catalogue.models")
    done, loaded = imported([["history"], ["history", "--json"]], heavy, env)
    assert loaded == []
    assert "tib-raise-wall" in done.stdout  # the log was read


def test_today_shows_the_change_on_its_row(
    runner: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The kneecap change to the squat is under its name in `today`, as in `plan`.
    ok(runner, "start", "--pain", "knee=4", "--condition", "patellofemoral-pain", "--json")
    monkeypatch.setenv("COLUMNS", "40")  # stacked: the change on the lines under the name
    flat = " ".join(ok(runner, "today").split())
    assert "* Assisted" in flat  # the mark in the tick's column
    assert "knee 4/10: Limit the depth to where it stays comfortable" in flat


def test_after_the_days_session_today_says_done_and_when_next(runner: CliRunner) -> None:
    ok(runner, "start", "--level", "beginner", "--days", "3", "--json")
    first = ok(runner, "today", "--json")
    assert first["next"] == {"session": 1, "date": TODAY.isoformat(), "done_today": False}
    assert "Done for today" not in ok(runner, "today")
    log_all(runner, first["exercises"][1:])
    after = ok(runner, "today", "--json")
    rest_until = TODAY + dt.timedelta(days=2)  # three days a week: a day's rest between
    assert after["next"] == {"session": 2, "date": rest_until.isoformat(), "done_today": True}
    text = " ".join(ok(runner, "today").split())
    assert text.startswith(f"Done for today. Next: session 2, {rest_until:%A} ")
    assert "rest until then" in text and f"Today, {TODAY.isoformat()}" not in text


def test_plan_says_which_programme_session_is_next(runner: CliRunner) -> None:
    assert "Your programme" not in ok(runner, "plan")
    ok(runner, "start", "--level", "beginner", "--json")
    first = ok(runner, "today", "--json")
    assert "Your programme: next: session 1, today." in ok(runner, "plan")
    log_all(runner, first["exercises"][1:])
    assert "Your programme: done for today. Next: session 2" in ok(runner, "plan")


def test_profile_names_ignore_case_and_a_typo_is_not_a_new_log(runner: CliRunner) -> None:
    ok(runner, "--profile", "Alex", "profile", "set", "--level", "beginner")
    assert ok(runner, "--profile", "alex", "profile", "show", "--json")["name"] == "alex"
    assert ok(runner, "--profile", "ALEX", "profile", "show", "--json")["name"] == "alex"
    line = error(runner, 2, "--profile", "alx", "today")
    assert "no profile is called 'alx'" in line and "did you mean 'alex'?" in line
    error(runner, 2, "--profile", "alx", "log", "tib-raise-wall", "--sets", "1", "--reps", "5")
    assert ok(runner, "profile", "list", "--json")["profiles"] == ["alex"]


def test_profile_show_labels_the_defaults_and_the_programme_apart(
    runner: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    # 'equipment none' was the defaults, read as if it were a programme made with a step.
    ok(runner, "profile", "set", "--level", "beginner")
    ok(runner, "start", "--equipment", "step,band", "--json")
    monkeypatch.setenv("COLUMNS", "40")
    out = ok(runner, "profile", "show")
    defaults, programme = out.split("Programme (today follows it)")
    assert "Saved defaults (for new plans)" in defaults
    assert "none (body weight)" in defaults and "band, step" not in defaults
    assert "band, step" in programme
    assert max(len(line) for line in out.splitlines()) <= 40
