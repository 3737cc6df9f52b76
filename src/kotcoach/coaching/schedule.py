"""When the next session of a programme is due: kotcoach's own spacing rule, not a study's.

With three days a week or fewer, a day's rest (or more) between sessions, as the ATG beginner
phase and the ACSM novice range space them: 7 // days days apart (3 -> every other day, 2 ->
every third). With four or more, the next day. Pure: dates in, dates out.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass


@dataclass(frozen=True)
class NextSession:
    number: int  # 1-based, through the programme's weeks
    on: dt.date  # when it is due (never before today)
    done_today: bool  # a session of the programme was finished today


def spacing(days_per_week: int) -> int:
    """Days from one session to the next: 2 for three days a week, 1 for four or more."""
    return max(1, 7 // max(1, days_per_week))


def next_session(
    slot: int, last: dt.date | None, days_per_week: int, today: dt.date, done_today: bool
) -> NextSession:
    """Session `slot` (0-based), due `spacing` days after the last one trained, or today."""
    due = today if last is None else max(today, last + dt.timedelta(days=spacing(days_per_week)))
    return NextSession(slot + 1, due, done_today)


def when(day: dt.date, today: dt.date) -> str:
    if day == today:
        return "today"
    if day == today + dt.timedelta(days=1):
        return "tomorrow"
    return f"{day:%A} {day.day} {day:%B}"


def next_line(upcoming: NextSession, today: dt.date) -> str:
    """'Done for today. Next: session 2, Wednesday 9 December; rest until then.'"""
    head = "Done for today. " if upcoming.done_today else ""
    text = f"{head}Next: session {upcoming.number}, {when(upcoming.on, today)}"
    if upcoming.on > today:
        text += "; rest until then" if upcoming.done_today else "; rest today"
    return text + "."
