"""Each condition's protocol at its own frequency (issue 20, item 10): the daily block's rounds
and spacing, and what `start` and `today` schedule, rest days included."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from typer.testing import CliRunner

from kotcoach.catalogue.read import load_catalog
from kotcoach.catalogue.source import builtin_catalog_path
from kotcoach.cli import app
from kotcoach.coaching.protocols import Frequency, block_item, due_today, frequency_text, rounds

DAY = dt.date(2026, 11, 4)
TWICE_DAILY = Frequency(2, 7)
HSR = Frequency(1, 3)


def run(runner: CliRunner, *args: str):  # type: ignore[no-untyped-def]
    return runner.invoke(app, list(args), prog_name="kotcoach")


def ok(runner: CliRunner, *args: str) -> Any:
    result = run(runner, *args)
    assert result.exit_code == 0, result.stderr + result.stdout
    return json.loads(result.stdout) if "--json" in args else result.stdout


def _days(*back: int) -> dict[dt.date, int]:
    return {DAY - dt.timedelta(days=n): 1 for n in back}


def test_rounds_count_the_days_sets_over_the_dose() -> None:
    assert rounds({DAY: 3}, 3) == {DAY: 1}
    assert rounds({DAY: 6}, 3) == {DAY: 2}
    assert rounds({DAY: 4}, 3) == {DAY: 2}  # a round begun counts
    assert rounds({DAY: 0}, 3) == {}


def test_twice_a_day_every_day_is_due_until_both_rounds_are_done() -> None:
    assert due_today(TWICE_DAILY, {}, DAY) == (True, "")
    assert due_today(TWICE_DAILY, {DAY: 1}, DAY)[0]
    assert due_today(TWICE_DAILY, {DAY - dt.timedelta(1): 2}, DAY)[0]  # yesterday: still today
    done, why = due_today(TWICE_DAILY, {DAY: 2}, DAY)
    assert not done and why == "done today (2 of 2)"


def test_three_days_a_week_rests_a_day_between_and_stops_at_three() -> None:
    assert due_today(HSR, _days(2, 4), DAY)[0]
    rested, why = due_today(HSR, _days(1), DAY)
    assert not rested and "done yesterday" in why and "kotcoach's own" in why
    full, why = due_today(HSR, _days(2, 4, 6), DAY)
    assert not full and why == "3 days done in the last week, 3 asked"
    assert due_today(HSR, _days(2, 4, 7), DAY)[0]  # 7 days ago is last week


def test_frequency_in_words() -> None:
    assert frequency_text(TWICE_DAILY) == "twice a day, every day"
    assert frequency_text(HSR) == "3 days a week"
    assert frequency_text(Frequency(1, 7)) == "once a day, every day"


def test_a_block_item_counts_todays_rounds_and_says_why() -> None:
    item = block_item("heel", "Heel drop", 6, TWICE_DAILY, {DAY: 6}, DAY, "Alfredson 1998")
    assert (item.rounds_done, item.due, item.rounds_left) == (1, True, 1)
    assert item.why == "twice a day, every day (Alfredson 1998)"


def test_the_shipped_protocols_are_the_trials_doses() -> None:
    catalog = load_catalog(builtin_catalog_path(), cached=False)
    conditions = {c.id: c for c in catalog.conditions}
    patellar = conditions["patellar-tendinopathy"].protocol
    assert patellar is not None and patellar.exercise == "decline-squat-single-leg"
    assert (patellar.dose.sets, patellar.dose.reps, patellar.per_day) == (3, 15, 2)
    assert set(patellar.references) == {"purdam2004", "young2005"}
    achilles = conditions["achilles-midportion"].protocol
    assert achilles is not None and achilles.exercise == "heel-drop-eccentric"
    # Alfredson 1998: 3 x 15 knee straight, then 3 x 15 knee bent, twice a day, every day.
    assert (achilles.dose.sets, achilles.dose.reps, achilles.per_day) == (3, 15, 2)
    assert achilles.days_per_week == 7 and "3 × 15 of the knee-bent" in (achilles.dose.note or "")
    hsr = [e for e in catalog.exercises if e.per_week == 3]
    assert {e.id for e in hsr} == {
        "calf-raise-heavy-slow",
        "leg-extension-heavy-slow",
        "leg-press-heavy-slow",
    }


def test_start_and_today_schedule_heel_drops_twice_a_day_on_any_day(runner: CliRunner) -> None:
    started = ok(runner, "start", "--level", "beginner", "--condition", "achilles-midportion",
                 "--equipment", "step", "--days", "2", "--json")  # fmt: skip
    (block,) = started["daily_block"]
    assert (block["id"], block["per_day"], block["days_per_week"]) == (
        "heel-drop-eccentric", 2, 7,
    )  # fmt: skip
    assert block["dose_detail"]["sets"] == 3 and block["dose_detail"]["reps"] == 15
    assert "Alfredson 1998" in block["why"]
    text = " ".join(ok(runner, "today").split())  # the lines wrap at the terminal's width
    assert "Daily block, on rest days too:" in text
    assert (
        "Eccentric heel drop, knee straight 3 × 15 per side (then 3 × 15 of the knee-bent" in text
    )
    assert "twice a day, every day (Alfredson 1998, Beyer 2015): 0 of 2 done today" in text

    # A rest day: yesterday's session done or not, the block is still due, round by round.
    ok(runner, "log", "heel-drop-eccentric", "--sets", "3", "--reps", "15", "--pain-during", "3")
    (block,) = ok(runner, "today", "--json")["daily_block"]
    assert (block["rounds_done"], block["rounds_left"], block["due"]) == (1, 1, True)
    ok(runner, "log", "heel-drop-eccentric", "--sets", "3", "--reps", "15", "--pain-during", "3")
    (block,) = ok(runner, "today", "--json")["daily_block"]
    assert (block["rounds_done"], block["due"]) == (2, False)
    assert block["why"] == "done today (2 of 2)"


def test_the_block_follows_the_coach_for_pain(runner: CliRunner) -> None:
    ok(runner, "start", "--level", "beginner", "--condition", "achilles-midportion",
       "--equipment", "step")  # fmt: skip
    yesterday = (dt.date.today() - dt.timedelta(days=1)).isoformat()
    ok(runner, "log", "heel-drop-eccentric", "--sets", "6", "--reps", "15", "--pain-during", "7",
       "--date", yesterday)  # fmt: skip
    (block,) = ok(runner, "today", "--json")["daily_block"]
    assert block["decision"] == "down"
    assert block["dose_detail"]["sets"] < 6  # the dose that hurt is not prescribed again


def test_heavy_slow_work_in_a_programme_comes_three_days_a_week(runner: CliRunner) -> None:
    started = ok(runner, "start", "--level", "intermediate", "--goal", "quads-ankles",
                 "--equipment", "leg-press,leg-extension", "--days", "3", "--minutes", "30",
                 "--json")  # fmt: skip
    ids = {e["id"] for s in started["plan"]["sessions"] for e in s["exercises"]}
    assert "leg-extension-heavy-slow" in ids
    block = {b["id"]: b for b in started["daily_block"]}
    heavy = block["leg-extension-heavy-slow"]
    assert (heavy["per_day"], heavy["days_per_week"]) == (1, 3)
    assert heavy["why"] == "3 days a week (Kongsgaard 2009)"
    yesterday = (dt.date.today() - dt.timedelta(days=1)).isoformat()
    ok(runner, "log", "leg-extension-heavy-slow", "--sets", "4", "--reps", "10", "--load", "30",
       "--pain-during", "1", "--date", yesterday)  # fmt: skip
    heavy = {b["id"]: b for b in ok(runner, "today", "--json")["daily_block"]}.get(
        "leg-extension-heavy-slow"
    )
    assert heavy is None or (heavy["due"] is False and "done yesterday" in heavy["why"])
