"""A programme's training days as an iCalendar file (.ics), with a reminder before each.

Phone and desktop calendars import it (`start --calendar FILE.ics`, and the link on the phone's
today page). Each event says only "kotcoach training, session N, about M minutes": no exercise,
condition or pain score goes into a file that may end up in a calendar synced to a cloud.

Which days of the week: kotcoach's own spacing, not a study's. Sessions are spread over the week
with a day off between them where the week allows (3 days: days 1, 3 and 5 from the start).
After the programme's last week that week repeats (as `today` does), so at least
`MIN_WEEKS` weeks are written. The icalendar library is imported inside, only when a file is made.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Sequence
from typing import TYPE_CHECKING

from kotcoach.base.errors import ExportError

if TYPE_CHECKING:
    from kotcoach.store import PlannedSession

MIN_WEEKS = 4
DEFAULT_TIME = dt.time(18, 0)
REMINDER_MINUTES = 30
# Day offsets from the start of each week for 1 to 7 sessions a week.
SPACING: dict[int, tuple[int, ...]] = {
    1: (0,),
    2: (0, 3),
    3: (0, 2, 4),
    4: (0, 1, 3, 4),
    5: (0, 1, 2, 3, 4),
    6: (0, 1, 2, 3, 4, 5),
    7: (0, 1, 2, 3, 4, 5, 6),
}


def training_dates(
    sessions: Sequence[PlannedSession], start: dt.date, min_weeks: int = MIN_WEEKS
) -> list[tuple[dt.date, PlannedSession]]:
    """Each session of the programme with its date, from `start`; the last week repeats until
    `min_weeks` weeks are covered."""
    if not sessions:
        return []
    weeks: dict[int, list[PlannedSession]] = {}
    for session in sessions:
        weeks.setdefault(session.week, []).append(session)
    order = [weeks[w] for w in sorted(weeks)]
    while len(order) < min_weeks:
        order.append(order[-1])
    found: list[tuple[dt.date, PlannedSession]] = []
    for number, week in enumerate(order):
        offsets = SPACING[min(max(len(week), 1), 7)]
        for offset, session in zip(offsets, week, strict=False):
            found.append((start + dt.timedelta(days=7 * number + offset), session))
    return found


def programme_calendar(
    sessions: Sequence[PlannedSession],
    start: dt.date,
    *,
    owner: str,
    at: dt.time = DEFAULT_TIME,
    reminder_minutes: int = REMINDER_MINUTES,
    stamp: dt.datetime | None = None,
) -> bytes:
    """The .ics file's bytes. `owner` (the profile) only seeds the events' ids, hashed, so that
    importing a newer file replaces the events of an older one instead of doubling them."""
    try:
        import icalendar
    except ImportError:
        raise ExportError(
            "writing a calendar needs the icalendar package: pip install 'kotcoach[serve]'"
        ) from None
    stamp = stamp or dt.datetime.now(dt.UTC).replace(microsecond=0)
    seed = hashlib.sha256(f"kotcoach {owner}".encode()).hexdigest()[:16]
    calendar = icalendar.Calendar()
    calendar.add("prodid", "-//kotcoach//training days//EN")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", "kotcoach training")
    for number, (day, session) in enumerate(training_dates(sessions, start), start=1):
        event = icalendar.Event()
        event.add("uid", f"{seed}-{day.isoformat()}@kotcoach.invalid")
        event.add("dtstamp", stamp)
        event.add("dtstart", dt.datetime.combine(day, at))  # floating: the phone's own time zone
        event.add("duration", dt.timedelta(minutes=max(session.minutes, 5)))
        event.add("summary", f"kotcoach training, session {number}")
        event.add(
            "description",
            f"About {session.minutes} minutes. Open kotcoach for today's exercises and doses.",
        )
        alarm = icalendar.Alarm()
        alarm.add("action", "DISPLAY")
        alarm.add("description", "kotcoach training soon")
        alarm.add("trigger", dt.timedelta(minutes=-reminder_minutes))
        event.add_component(alarm)
        calendar.add_component(event)
    return bytes(calendar.to_ical())
