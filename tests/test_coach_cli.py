"""The coach's commands: next, today's decisions, test, progress and the report."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from kotcoach.cli import app

TODAY = dt.date.today()


def ago(days: int) -> str:
    return (TODAY - dt.timedelta(days=days)).isoformat()


def run(runner: CliRunner, *args: str):  # type: ignore[no-untyped-def]
    return runner.invoke(app, list(args), prog_name="kotcoach")


def ok(runner: CliRunner, *args: str) -> Any:
    result = run(runner, *args)
    assert result.exit_code == 0, result.stderr + result.stdout
    return json.loads(result.stdout) if "--json" in args else result.stdout


def error(runner: CliRunner, code: int, *args: str) -> str:
    result = run(runner, *args)
    assert result.exit_code == code, result.stdout + result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("kotcoach: error: "), result.stderr
    if "--json" in args:
        assert result.stdout == ""
    return lines[0]


def checkins(runner: CliRunner, area: str, scores: dict[int, int]) -> None:
    for days, score in scores.items():
        ok(runner, "checkin", "--pain", f"{area}={score}", "--others", "0", "--date", ago(days))


def log(runner: CliRunner, exercise: str, days: int, sets: int, reps: int, pain: int) -> None:
    ok(
        runner,
        *("log", exercise, "--sets", str(sets), "--reps", str(reps)),
        *("--pain-during", str(pain), "--date", ago(days)),
    )


@pytest.fixture
def started(runner: CliRunner) -> dict[str, Any]:
    ok(runner, "start", "--level", "beginner", "--equipment", "step", "--json")
    today: dict[str, Any] = ok(runner, "today", "--json")
    return today


def test_next_with_nothing_logged_starts_at_the_programme_dose(
    runner: CliRunner, started: dict[str, Any]
) -> None:
    found = ok(runner, "next", "tib-raise-wall", "--json")
    assert (found["id"], found["decision"], found["dose"]) == ("tib-raise-wall", "start", "2 × 20")
    assert found["dose_detail"]["sets"] == 2 and found["dose_detail"]["reps"] == 20
    assert found["reason"] == "2 × 20 from your programme: nothing logged yet"
    assert found["was"] is None and found["referral"] is None


def test_next_moves_up_after_two_green_settled_sessions(
    runner: CliRunner, started: dict[str, Any]
) -> None:
    checkins(runner, "ankle", {5: 1, 4: 1, 3: 1, 2: 1})
    # Two weeks on the step, never more than a week off (14 days off would cut the dose).
    log(runner, "tib-raise-wall", 16, 2, 20, 1)
    log(runner, "tib-raise-wall", 10, 2, 20, 1)
    log(runner, "tib-raise-wall", 4, 2, 20, 1)
    log(runner, "tib-raise-wall", 3, 2, 20, 2)
    found = ok(runner, "next", "tib-raise-wall", "--json")
    # The next step starts one set below its dose, 1 x 25, and no higher than the last: 1 x 20.
    assert (found["decision"], found["id"], found["dose"]) == ("up", "tib-raise-wall-far", "1 × 20")
    assert found["was"] == {"id": "tib-raise-wall", "dose": "2 × 20"}
    assert "done in full at pain 1/10 and 2/10, settled by the next morning" in found["reason"]
    text = ok(runner, "next", "tib-raise-wall")
    assert "↑ up" in text and "Tibialis raise, feet further out" in text


def test_today_carries_the_decisions_and_log_stores_the_coached_target(
    runner: CliRunner, started: dict[str, Any]
) -> None:
    checkins(runner, "ankle", {5: 1, 4: 1, 3: 1, 2: 1, 0: 1})
    log(runner, "tib-raise-wall", 16, 2, 20, 1)
    log(runner, "tib-raise-wall", 10, 2, 20, 1)
    log(runner, "tib-raise-wall", 4, 2, 20, 1)
    log(runner, "tib-raise-wall", 3, 2, 20, 1)
    today = ok(runner, "today", "--json")
    assert today["referral"] is None
    by_id = {e["id"]: e for e in today["exercises"]}
    assert "tib-raise-wall" not in by_id
    moved = by_id["tib-raise-wall-far"]
    assert (moved["decision"], moved["dose"]) == ("up", "1 × 20")
    assert all(e["decision"] in ("start", "up") and e["reason"] for e in today["exercises"])
    # Logging the step the coach chose stores its target and counts for the programme's exercise.
    result = ok(
        runner,
        "log",
        "tib-raise-wall-far",
        "--sets",
        "1",
        "--reps",
        "20",
        "--pain-during",
        "1",
        "--json",
    )
    assert result["target"]["sets"] == 1 and result["target"]["reps"] == 20
    assert "tib-raise-wall" not in result["left_today"]
    again = {e["id"]: e for e in ok(runner, "today", "--json")["exercises"]}
    assert again["tib-raise-wall-far"]["logged"]["done"] == "1 × 20"
    assert again["tib-raise-wall-far"]["decision"] == "up"  # the morning's decision all day


def test_today_refers_after_six_twice_in_a_week(runner: CliRunner, started: dict[str, Any]) -> None:
    checkins(runner, "knee", {3: 6, 1: 7})
    today = ok(runner, "today", "--json")
    assert today["referral"].startswith("See a physiotherapist about your knee")
    assert "6/10 or more twice in a week" in today["referral"]
    knee_ids = {"patrick-step-low", "backward-walk"}
    for exercise in today["exercises"]:
        if exercise["id"] in knee_ids:  # nothing logged yet: the start dose, with the referral
            assert exercise["decision"] == "start", exercise
            assert exercise["referral"].startswith("See a physiotherapist about your knee")
            assert exercise["stage"] is None
    text = ok(runner, "today")
    assert text.splitlines()[0].startswith("See a physiotherapist about your knee")
    assert "Why these doses" in text


def test_pain_now_six_leaves_moving_knee_exercises_out_of_today(
    runner: CliRunner, started: dict[str, Any]
) -> None:
    ok(runner, "checkin", "--pain", "knee=8", "--others", "0")
    today = ok(runner, "today", "--json")
    left_out = [e for e in today["exercises"] if e["dose"] is None]
    assert left_out and all(e["decision"] == "pause" for e in left_out)
    assert any("knee pain now 8/10" in e["reason"] for e in left_out)
    assert "before you load the knee again: knee pain now 8/10" in today["referral"]


def test_next_unknown_exercise_exits_1_with_suggestions(runner: CliRunner) -> None:
    line = error(runner, 1, "next", "tib-raise-wal", "--json")
    assert "tib-raise-wall" in line


def test_tests_are_stored_and_shown_over_time(runner: CliRunner) -> None:
    ok(runner, "test", "knee-to-wall", "--left", "8", "--right", "9.5", "--date", ago(20))
    found = ok(runner, "test", "knee-to-wall", "--left", "10.25", "--json")
    assert found["results"] == [{"side": "left", "value": 10.2}]
    assert [(h["date"], h["side"], h["value"]) for h in found["history"]] == [
        (ago(20), "left", 8.0),
        (ago(20), "right", 9.5),
        (TODAY.isoformat(), "left", 10.2),
    ]
    assert "big toe" in found["how"]
    text = ok(runner, "test", "calf-raise", "--left", "18", "--right", "22")
    assert "Single-leg calf raise" in text and "What it means" in text
    assert ok(runner, "test", "tib-raise", "31", "--json")["results"] == [
        {"side": None, "value": 31}
    ]


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (("test", "knee-to-wall", "--left", "45"), "--left must be 0 to 30 cm, not 45"),
        (("test", "calf-raise"), "give --left, --right or both"),
        (("test", "tib-raise", "400"), "tib-raise must be 0 to 300 reps, not 400"),
        (("test", "tib-raise", "20", "--date", "2999-01-01"), "in the future"),
        (("progress", "--area", "elbow"), "unknown area 'elbow'"),
        (("progress", "--export", "report.docx"), "the report is .html or .pdf"),
    ],
)
def test_bad_input_exits_2_and_writes_nothing(
    runner: CliRunner, args: tuple[str, ...], says: str, tmp_path: Path
) -> None:
    assert says in error(runner, 2, *args, "--json")
    assert not (tmp_path / "data").exists()


def _history(runner: CliRunner) -> None:
    ok(runner, "start", "--level", "beginner", "--equipment", "step", "--json")
    for days in range(1, 15):  # one check-in a morning: a second would replace the first
        ok(runner, "checkin", "--pain", "knee=1", "--pain", "ankle=1", "--others", "0",
           "--date", ago(days))  # fmt: skip
    log(runner, "patrick-step-low", 12, 3, 15, 1)
    log(runner, "patrick-step-low", 10, 3, 15, 7)  # above 5/10: a step back
    log(runner, "patrick-step-low", 8, 2, 15, 1)
    log(runner, "tib-raise-wall", 12, 2, 20, 1)
    log(runner, "tib-raise-wall", 10, 2, 20, 1)
    log(runner, "tib-raise-wall-far", 8, 1, 25, 1)
    ok(runner, "test", "knee-to-wall", "--left", "8", "--right", "9", "--date", ago(12))
    ok(runner, "test", "knee-to-wall", "--left", "9", "--right", "10", "--date", ago(2))


def test_progress_json_has_weeks_ladders_tests_and_step_backs(runner: CliRunner) -> None:
    _history(runner)
    found = ok(runner, "progress", "--json")
    assert found["first"] == ago(14) and found["referral"] is None
    assert found["days_done"] == 3  # days with a set logged
    ladders = {ladder["ladder"]: ladder for ladder in found["ladders"]}
    assert ladders["tib-raise-wall"]["current"] == 2
    assert [c["step"] for c in ladders["tib-raise-wall"]["changes"]] == [1, 2]
    assert [a["value"] for a in found["assessments"]["knee-to-wall"]] == [8, 9, 9, 10]
    downs = [e for e in found["events"] if e["decision"] == "down"]
    assert [(e["date"], e["id"]) for e in downs] == [(ago(8), "patrick-step-low")]
    assert "pain during was 7/10" in downs[0]["reason"]
    week = found["weeks"][-1] if found["weeks"][-1]["pain_during"] is not None else None
    assert all(0 <= w["mornings"].get("knee", 1) <= 10 for w in found["weeks"])
    assert week is None or week["pain_during"] <= 10
    ankle = ok(runner, "progress", "--area", "ankle", "--json")
    assert {ladder["ladder"] for ladder in ankle["ladders"]} == {
        "tib-raise-wall",
        "patrick-step-low",
    }
    hip = ok(runner, "progress", "--area", "hip", "--json")
    assert hip["ladders"] == [] and hip["days_done"] == 0


def test_progress_draws_charts_in_the_terminal(runner: CliRunner) -> None:
    _history(runner)
    text = ok(runner, "progress")
    assert "Days trained by week" in text
    assert re.search(r"\d{4}-\d\d-\d\d", text.split("Days trained by week")[1])
    # The knee's and ankle's mornings were 1/10 throughout: a sentence, not a flat chart.
    assert "Knee pain, next morning: 1 → 1/10" in text and "knee, next morning\n" not in text
    assert "Each exercise" in text and "●●○○ 2/4" in text
    assert "Tibialis raise, back to wall ladder" in text  # the step done now differs
    assert "\x1b[" not in text  # colours only on a terminal
    assert "↓ down" in text and "pain during was 7/10" in text
    assert "Patrick step, low and assisted (1 day)" in text  # the name, not the id


def test_progress_with_nothing_logged_says_how_to_start(runner: CliRunner) -> None:
    assert "Nothing logged yet for profile 'default'" in ok(runner, "progress")


def test_the_html_report_is_self_contained(runner: CliRunner, tmp_path: Path) -> None:
    _history(runner)
    target = tmp_path / "report.html"
    ok(runner, "progress", "--export", str(target))
    page = target.read_text(encoding="utf-8")
    # Pain, days trained and tests, each drawn wide and narrow (for phones); no sparkline on
    # two weeks of one exercise... and one per exercise with a dose over two weeks or more.
    assert page.count('<svg class="chart wide"') == 3
    assert page.count('<svg class="chart narrow"') == 3
    assert "<script" not in page and "src=" not in page and "<link" not in page
    assert "Training progress report" in page and "Steps back and pauses (1)" in page
    assert "pain during was 7/10" in page
    assert "How kotcoach decides" in page
    # The same log always gives the same file.
    ok(runner, "progress", "--export", str(target), "--force")
    assert target.read_text(encoding="utf-8") == page
    assert "already exists" in error(runner, 1, "progress", "--export", str(target))


def test_the_pdf_report_draws_the_charts(runner: CliRunner, tmp_path: Path) -> None:
    _history(runner)
    target = tmp_path / "report.pdf"
    ok(runner, "progress", "--export", str(target))
    data = target.read_bytes()
    assert data.startswith(b"%PDF-")
    # The charts are drawn with fpdf2's own lines: hundreds of line operators.
    import re
    import zlib

    content = b"".join(
        zlib.decompress(stream)
        for stream in re.findall(
            rb"/FlateDecode[^>]*>>\s*stream\r?\n(.*?)\r?\nendstream", data, re.S
        )
    )
    assert len(re.findall(rb"[\d.]+ [\d.]+ l\b", content)) > 100
