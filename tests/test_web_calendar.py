"""Reminders: `start --calendar FILE.ics` and the calendar's training days."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import icalendar
from typer.testing import CliRunner

from kotcoach.cli import app as cli
from kotcoach.export.calendar import SPACING, training_dates
from kotcoach.store import PlannedSession


def _week(week: int, days: int) -> list[PlannedSession]:
    return [PlannedSession(0, week, day, 20, ()) for day in range(1, days + 1)]


def test_sessions_are_spread_with_a_day_off_where_the_week_allows() -> None:
    monday = dt.date(2025, 3, 3)
    dates = [d for d, _ in training_dates(_week(1, 3), monday, min_weeks=1)]
    assert dates == [monday, monday + dt.timedelta(days=2), monday + dt.timedelta(days=4)]
    for days, offsets in SPACING.items():
        assert len(offsets) == days and len(set(offsets)) == days and max(offsets) <= 6


def test_the_last_week_repeats_until_four_weeks_are_covered() -> None:
    start = dt.date(2025, 1, 1)
    sessions = _week(1, 2) + _week(2, 3)
    found = training_dates(sessions, start)
    assert [s.week for _, s in found] == [1, 1, 2, 2, 2, 2, 2, 2, 2, 2, 2]
    assert found[-1][0] == start + dt.timedelta(days=7 * 3 + 4)


def test_start_writes_a_calendar_a_phone_imports(runner: CliRunner, tmp_path: Path) -> None:
    target = tmp_path / "training.ics"
    args = ["start", "--level", "beginner", "--days", "3", "--calendar", str(target)]
    result = runner.invoke(cli, args, prog_name="kotcoach")
    assert result.exit_code == 0, result.stderr
    assert f"wrote the training days to {target}" in result.stderr
    calendar = icalendar.Calendar.from_ical(target.read_bytes())
    events = list(calendar.walk("VEVENT"))
    assert len(events) == 12  # 3 a week, the one week repeated to four
    first = events[0]
    assert first.decoded("dtstart") == dt.datetime.combine(dt.date.today(), dt.time(18, 0))
    assert [a.decoded("trigger") for a in first.walk("VALARM")] == [dt.timedelta(minutes=-30)]
    assert len({e["uid"] for e in events}) == 12
    # No exercise or health data in a file that may end up in a cloud calendar.
    assert b"backward" not in target.read_bytes().lower()
    # Not overwritten without --force, and then the programme is not replaced either.
    again = runner.invoke(cli, [*args, "--level", "advanced"], prog_name="kotcoach")
    assert again.exit_code == 1 and "already exists" in again.stderr
    from kotcoach.store import Store

    with Store.open() as store:
        programme = store.programme("default")
    assert programme is not None and programme.request["level"] == "beginner"
    forced = runner.invoke(cli, [*args, "--force"], prog_name="kotcoach")
    assert forced.exit_code == 0


def test_a_calendar_file_must_be_ics(runner: CliRunner, tmp_path: Path) -> None:
    result = runner.invoke(
        cli, ["start", "--calendar", str(tmp_path / "x.txt")], prog_name="kotcoach"
    )
    assert result.exit_code == 2 and "ends in .ics" in result.stderr
    assert not (tmp_path / "data").exists()
