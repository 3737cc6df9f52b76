"""Load (issue 20, item 9): next_load's arithmetic, the coach's loaded decisions, the log's new
column (migration v3), its CSV round trip, and what `log`, `history`, `next` and `progress` show."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import math
import sqlite3
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from typer.testing import CliRunner

from kotcoach.catalogue.coach_catalog import RepPhase
from kotcoach.cli import app
from kotcoach.coaching.load import (
    Direction,
    LoadDose,
    LoadPlan,
    load_series,
    next_load,
    phase_for,
    week_of,
)
from kotcoach.store import Amount, Store, schema

HSR = (
    RepPhase(1, 3, 15),
    RepPhase(2, 3, 12),
    RepPhase(2, 4, 10),
    RepPhase(3, 4, 8),
    RepPhase(4, 4, 6),
)
DAY = dt.date(2026, 11, 2)


def run(runner: CliRunner, *args: str, input: str | None = None):  # type: ignore[no-untyped-def]
    return runner.invoke(app, list(args), input=input, prog_name="kotcoach")


def ok(runner: CliRunner, *args: str) -> Any:
    result = run(runner, *args)
    assert result.exit_code == 0, result.stderr + result.stdout
    return json.loads(result.stdout) if "--json" in args else result.stdout


# --- next_load ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("load", "step", "expected"),
    [(40.0, 2.5, 42.5), (100.0, 2.5, 105.0), (200.0, 2.5, 210.0), (60.0, 5.0, 65.0)],
)
def test_up_adds_2_to_10_percent_in_whole_steps(load: float, step: float, expected: float) -> None:
    change = next_load(Direction.UP, LoadDose(4, 10, load), LoadPlan(step, 10), (10,) * 4)
    assert change.dose == LoadDose(4, 10, expected)
    assert change.change is not None and 0.02 <= change.change <= 0.10
    assert ((expected - load) / step).is_integer()


def test_a_step_over_10_percent_is_earned_with_two_reps_over_the_target() -> None:
    plan = LoadPlan(2.0, 8, per_hand=True)
    first = next_load(Direction.UP, LoadDose(3, 8, 8.0), plan, (8, 8, 8))
    assert first.dose == LoadDose(3, 9, 8.0)  # 2 kg is 25 % of 8 kg: a rep first
    assert "25 %" in first.reason
    second = next_load(Direction.UP, first.dose, plan, (9, 9, 9))
    assert second.dose == LoadDose(3, 10, 8.0)
    earned = next_load(Direction.UP, second.dose, plan, (10, 10, 10))
    assert earned.dose == LoadDose(3, 8, 10.0)  # back to the target reps, one step heavier
    short = next_load(Direction.UP, second.dose, plan, (10, 10, 9))
    assert short.dose.load_kg == 8.0  # one set short of +2: no step yet


@pytest.mark.parametrize(("load", "step"), [(40.0, 2.5), (100.0, 2.5), (22.0, 2.0), (12.5, 1.25)])
def test_down_takes_10_to_20_percent_off(load: float, step: float) -> None:
    change = next_load(Direction.DOWN, LoadDose(4, 8, load), LoadPlan(step, 8))
    assert change.dose.sets == 4 and change.dose.reps == 8
    assert change.dose.load_kg is not None
    assert 0.10 <= (load - change.dose.load_kg) / load <= 0.20


def test_down_from_a_light_load_still_lowers_it_by_one_step() -> None:
    change = next_load(Direction.DOWN, LoadDose(3, 8, 4.0), LoadPlan(2.0, 8))
    assert change.dose.load_kg == 2.0  # the smallest cut there is, and said so
    assert "50 % less" in change.reason


def test_hold_keeps_the_load_and_an_unknown_load_is_not_invented() -> None:
    plan = LoadPlan(2.5, 10)
    assert next_load(Direction.HOLD, LoadDose(4, 10, 30.0), plan).dose == LoadDose(4, 10, 30.0)
    unknown = next_load(Direction.UP, LoadDose(4, 10, None), plan, (10,) * 4)
    assert unknown.dose.load_kg is None and "--load" in unknown.reason
    assert next_load(Direction.DOWN, LoadDose(4, 10, None), plan).dose.load_kg is None


def test_the_rep_scheme_falls_by_week_and_the_load_rises_with_it() -> None:
    assert [phase_for(HSR, week).reps for week in range(1, 14)] == [  # type: ignore[union-attr]
        15, 12, 12, 10, 10, 8, 8, 8, 6, 6, 6, 6, 6,
    ]  # fmt: skip
    assert week_of(DAY, DAY + dt.timedelta(days=13)) == 2
    plan = LoadPlan(2.0, 10, scheme=HSR)
    change = next_load(Direction.UP, LoadDose(3, 15, 30.0), plan, (15, 15, 15), week=2)
    assert (change.dose.sets, change.dose.reps) == (3, 12)
    assert change.dose.load_kg == 32.0


def test_load_series_keeps_each_days_last_load() -> None:
    later = DAY + dt.timedelta(days=2)
    (series,) = load_series(
        [(later, "press", 42.5), (DAY, "press", 40.0), (DAY, "press", 41.0), (DAY, "walk", None)]
    )
    assert series.points == ((DAY, 41.0), (later, 42.5))


# --- the log -----------------------------------------------------------------------------------


def test_a_version_2_file_migrates_and_keeps_its_sets_without_a_load(tmp_path: Path) -> None:
    data = tmp_path / "data"
    data.mkdir()
    db = sqlite3.connect(data / "kotcoach.db", isolation_level=None)
    schema.migrate(db, upto=2)
    db.execute("INSERT INTO profiles (name, created) VALUES ('sam', '2025-01-01T00:00:00')")
    db.execute("INSERT INTO sessions (profile_id, date, created) VALUES (1, '2025-01-02', 'x')")
    db.execute("INSERT INTO entries (session_id, exercise, name) VALUES (1, 'press', 'Press')")
    db.execute("INSERT INTO sets (entry_id, number, reps, logged_at) VALUES (1, 1, 10, 'x')")
    db.close()
    assert schema.LATEST >= 3
    with Store.open(write=True) as store:
        assert schema.version(store._db) == schema.LATEST
        (log,) = store.exercise_history("sam")
        assert log.sets[0].amount == Amount(reps=10) and log.load_kg is None
        session = store.begin_session("sam", dt.date(2025, 1, 3))
        logged = store.log_exercise(session, "press", Amount(reps=8), 3, load_kg=42.5)
        assert [s.load_kg for s in logged.sets] == [42.5] * 3
        assert logged.describe_done() == "3 × 8 at 42.5 kg"
        assert store.entry_history("sam")[-1].load_kg == 42.5
    with sqlite3.connect(data / "kotcoach.db") as raw, pytest.raises(sqlite3.IntegrityError):
        raw.execute("UPDATE sets SET load_kg = -1")


def test_log_load_shows_in_history_progress_and_the_csv_round_trip(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    day = (dt.date.today() - dt.timedelta(days=3)).isoformat()
    args = ["log", "leg-press-heavy-slow", "--sets", "4", "--reps", "15", "--pain-during", "2"]
    ok(runner, *args, "--load", "60", "--date", day)
    logged = ok(runner, *args, "--load", "62.5", "--json")
    assert [s["load_kg"] for s in logged["sets"]] == [62.5] * 4
    assert "4 × 15 at 62.5 kg" in ok(runner, "history")
    progress = ok(runner, "progress", "--json")
    (series,) = progress["loads"]
    assert [p["load_kg"] for p in series["points"]] == [60.0, 62.5]
    assert "+4 %" in ok(runner, "progress")

    exported = ok(runner, "data", "export")
    rows = list(csv.DictReader(io.StringIO(exported)))
    assert [float(r["load_kg"]) for r in rows] == [60.0] * 4 + [62.5] * 4
    target = tmp_path / "log.csv"
    ok(runner, "data", "export", "-o", str(target))
    monkeypatch.setenv("KOTCOACH_DATA_DIR", str(tmp_path / "elsewhere"))
    assert "Imported 8 new sets" in ok(runner, "data", "import", str(target))
    assert ok(runner, "data", "export") == exported


def test_an_export_without_the_load_column_still_imports(runner: CliRunner, tmp_path: Path) -> None:
    old = tmp_path / "old.csv"
    old.write_text(
        "profile,date,exercise,name,set,reps,pain_during\n"
        "default,2025-03-01,leg-press-heavy-slow,Leg press,1,12,2\n",
        encoding="utf-8",
    )
    assert "Imported 1 new set" in ok(runner, "data", "import", str(old))
    (row,) = csv.DictReader(io.StringIO(ok(runner, "data", "export")))
    assert row["load_kg"] == ""


def test_a_bad_load_is_one_line_and_exit_2(runner: CliRunner) -> None:
    for bad in ("-3", "600", "nan"):
        result = run(
            runner, "log", "tib-raise-wall", "--sets", "1", "--reps", "5", "--load", bad,
            "--pain-during", "1",
        )  # fmt: skip
        assert result.exit_code == 2, result.stderr
        assert "--load" in result.stderr and len(result.stderr.strip().splitlines()) == 1
    assert ok(runner, "data", "export").count("\n") == 1  # the header only: nothing logged


def test_log_asks_for_the_load_on_a_terminal_with_the_last_as_default(
    runner: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    from kotcoach.cli import log as cli_log

    monkeypatch.setattr(cli_log, "_stdin_is_terminal", lambda: True)
    args = ["log", "leg-press-heavy-slow", "--sets", "4", "--reps", "10", "--pain-during", "1"]
    first = run(runner, *args, "--json", input="50\n")
    assert first.exit_code == 0, first.stderr
    assert "Load per rep, kg" in first.stderr
    again = run(runner, *args, "--json", input="\n")  # Enter keeps the last load
    assert [s["load_kg"] for s in json.loads(again.stdout)["sets"]][-1] == 50.0
    plain = run(runner, "log", "tib-raise-wall", "--sets", "1", "--reps", "5", "--pain-during",
                "1", "--json")  # fmt: skip
    assert "Load per rep" not in plain.stderr  # no load step: not asked


# --- the coach ---------------------------------------------------------------------------------


def _two_good_sessions(runner: CliRunner, exercise: str, load: str, reps: str) -> None:
    today = dt.date.today()
    for back in (4, 2):
        day = today - dt.timedelta(days=back)
        ok(runner, "log", exercise, "--sets", "4", "--reps", reps, "--load", load,
           "--pain-during", "1", "--date", day.isoformat())  # fmt: skip
        morning = (day + dt.timedelta(days=1)).isoformat()
        ok(runner, "checkin", "--pain", "knee=0", "--pain", "ankle=0", "--pain", "hip=0",
           "--others", "0", "--date", morning)  # fmt: skip


def test_next_moves_a_loaded_exercise_up_by_load_not_reps(runner: CliRunner) -> None:
    _two_good_sessions(runner, "atg-split-squat-loaded", "20", "6")
    decided = ok(runner, "next", "atg-split-squat-loaded", "--json")
    assert decided["decision"] == "up"
    assert decided["dose_detail"]["load_kg"] == 22.0
    assert (decided["dose_detail"]["sets"], decided["dose_detail"]["reps"]) == (4, 6)
    assert decided["reason"].startswith("22 kg per hand (+2 kg, 10 %)")
    assert "at 22 kg per hand" in ok(runner, "next", "atg-split-squat-loaded")


def test_a_loaded_down_cuts_the_load_10_to_20_percent(runner: CliRunner) -> None:
    _two_good_sessions(runner, "atg-split-squat-loaded", "20", "6")
    yesterday = (dt.date.today() - dt.timedelta(days=1)).isoformat()
    ok(runner, "log", "atg-split-squat-loaded", "--sets", "4", "--reps", "6", "--load", "21",
       "--pain-during", "7", "--date", yesterday)  # fmt: skip
    decided = ok(runner, "next", "atg-split-squat-loaded", "--json")
    assert decided["decision"] == "down"
    assert decided["dose_detail"]["load_kg"] == 17.0  # 21 kg, less 4 kg (19 %)
    assert "pain during was 7/10" in decided["reason"]


# --- properties --------------------------------------------------------------------------------

LOADS = st.floats(min_value=1, max_value=300, allow_nan=False).map(lambda x: round(x, 1))
STEPS = st.sampled_from([0.5, 1.0, 1.25, 2.0, 2.5, 5.0])


@given(load=LOADS, step=STEPS, reps=st.integers(3, 20), over=st.integers(0, 3))
def test_up_never_adds_more_than_10_percent_unless_two_reps_over_earned_it(
    load: float, step: float, reps: int, over: int
) -> None:
    done = (reps + over,) * 3
    change = next_load(Direction.UP, LoadDose(3, reps + over, load), LoadPlan(step, reps), done)
    new = change.dose.load_kg
    assert new is not None and new >= load
    if new > load:
        share = (new - load) / load
        assert 0.02 <= share <= 0.10 + 1e-9 or (step / load > 0.10 and over >= 2)
        assert round((new - load) / step, 6).is_integer()


@given(load=LOADS, step=STEPS)
def test_every_loaded_down_lowers_the_load(load: float, step: float) -> None:
    change = next_load(Direction.DOWN, LoadDose(3, 8, load), LoadPlan(step, 8))
    new = change.dose.load_kg
    assert new is not None and 0 <= new < load
    cut = (load - new) / load
    assert cut >= 0.10 or new == 0
    assert cut <= 0.20 + 1e-9 or math.isclose(load - new, step) or new == 0


def test_the_report_lists_each_loaded_exercise(runner: CliRunner, tmp_path: Path) -> None:
    day = (dt.date.today() - dt.timedelta(days=7)).isoformat()
    args = ["log", "leg-press-heavy-slow", "--sets", "4", "--reps", "15", "--pain-during", "2"]
    ok(runner, *args, "--load", "60", "--date", day)
    ok(runner, *args, "--load", "65")
    target = tmp_path / "report.html"
    result = run(runner, "progress", "--export", str(target))
    assert result.exit_code == 0, result.stderr
    html = target.read_text(encoding="utf-8")
    assert "<h2>Loads (kg per rep)</h2>" in html
    assert f"<td>Heavy slow leg press</td><td>60 kg on {day}</td>" in html
    assert "<td>+8 %</td>" in html


def test_log_offers_the_coachs_load_for_today(
    runner: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    from kotcoach.cli import log as cli_log

    ok(runner, "start", "--level", "advanced", "--equipment", "dumbbells,step,slant-board,box",
       "--days", "1", "--minutes", "90")  # fmt: skip
    today = ok(runner, "today", "--json")
    loaded = [e for e in today["exercises"] if "load_kg" in (e["dose_detail"] or {})]
    assert loaded == []  # nothing logged yet: no load is invented
    exercise = next(e for e in today["exercises"] if e["id"] == "atg-split-squat-loaded")
    _two_good_sessions(runner, exercise["id"], "20", "6")
    coached = next(
        e for e in ok(runner, "today", "--json")["exercises"] if e["id"] == exercise["id"]
    )
    assert coached["dose_detail"]["load_kg"] == 22.0 and "at 22 kg per hand" in coached["dose"]
    monkeypatch.setattr(cli_log, "_stdin_is_terminal", lambda: True)
    result = run(runner, "log", exercise["id"], "--sets", "4", "--reps", "6", "--pain-during", "1",
                 "--json", input="\n")  # fmt: skip
    assert result.exit_code == 0, result.stderr
    assert "[22.0]" in result.stderr  # the prompt's default
    assert json.loads(result.stdout)["sets"][0]["load_kg"] == 22.0


def test_an_up_with_no_load_logged_is_a_hold_that_asks_for_the_load(runner: CliRunner) -> None:
    today = dt.date.today()
    for back in (4, 2):
        day = today - dt.timedelta(days=back)
        ok(runner, "log", "atg-split-squat-loaded", "--sets", "4", "--reps", "6",
           "--pain-during", "1", "--date", day.isoformat())  # fmt: skip
        ok(runner, "checkin", "--pain", "knee=0", "--pain", "ankle=0", "--pain", "hip=0",
           "--others", "0",
           "--date", (day + dt.timedelta(days=1)).isoformat())  # fmt: skip
    decided = ok(runner, "next", "atg-split-squat-loaded", "--json")
    assert decided["decision"] == "hold"
    assert "load_kg" not in decided["dose_detail"]
    assert "log the load you lift (--load KG)" in decided["reason"]


def test_twelve_weeks_of_heavy_slow_leg_press_replayed_session_by_session() -> None:
    """Kongsgaard 2009's scheme, three sessions a week, every one done in full and settled:
    the reps fall 15, 12, 10, 8, 6 on the scheme's weeks and the load rises 2-10 % a time."""
    plan = LoadPlan(5.0, 8, scheme=HSR)
    dose = LoadDose(3, 15, 60.0)
    first = DAY
    seen: dict[int, set[int]] = {}
    for week in range(12):
        for day in (0, 2, 4):
            on = first + dt.timedelta(days=7 * week + day)
            seen.setdefault(week_of(first, on), set()).add(dose.reps)
            change = next_load(
                Direction.UP, dose, plan, (dose.reps,) * dose.sets, week_of(first, on)
            )
            assert change.dose.load_kg is not None and dose.load_kg is not None
            assert 0.02 <= (change.dose.load_kg - dose.load_kg) / dose.load_kg <= 0.10
            dose = change.dose
    assert [min(seen[w]) for w in range(1, 13)] == [15, 12, 12, 10, 10, 8, 8, 8, 6, 6, 6, 6]
    assert dose.sets == 4 and dose.reps == 6
