"""When the next session is due (coaching.schedule, kotcoach's own spacing rule)."""

from __future__ import annotations

import datetime as dt

from kotcoach.coaching.schedule import next_line, next_session, spacing

MONDAY = dt.date(2026, 12, 7)


def test_three_days_a_week_rest_a_day_between_four_or_more_train_the_next() -> None:
    assert [spacing(days) for days in (1, 2, 3, 4, 5, 7)] == [7, 3, 2, 1, 1, 1]


def test_the_next_session_waits_its_rest_and_never_falls_in_the_past() -> None:
    done = next_session(1, MONDAY, 3, MONDAY, done_today=True)
    assert done.number == 2 and done.on == dt.date(2026, 12, 9)
    assert next_line(done, MONDAY) == (
        "Done for today. Next: session 2, Wednesday 9 December; rest until then."
    )
    tuesday = MONDAY + dt.timedelta(days=1)
    resting = next_session(1, MONDAY, 3, tuesday, done_today=False)
    assert next_line(resting, tuesday) == "Next: session 2, tomorrow; rest today."
    late = next_session(1, MONDAY, 3, MONDAY + dt.timedelta(days=10), done_today=False)
    assert late.on == MONDAY + dt.timedelta(days=10)
    assert next_line(late, late.on) == "Next: session 2, today."
    assert next_session(0, None, 3, MONDAY, done_today=False).on == MONDAY
