"""Each condition's protocol at its own frequency: the short daily block. Pure.

A condition names its primary treatment in the catalogue (`protocol`: one exercise, its dose, how
many times a day and how many days a week, e.g. eccentric heel drops twice a day every day,
Alfredson 1998; decline squats twice a day, Purdam 2004 and Young 2005). Exercises done a few days
a week (`per_week`, e.g. heavy slow resistance three times a week, Kongsgaard 2009 and Beyer 2015)
keep that frequency too. The programme's day rotation would put them on one day in three, so
`today` and `start` add them as a block of their own, on rest days too.

A round is one dose: the day's sets of the exercise, from every session that day, divided by the
dose's sets, counts the rounds done. Spacing for a few days a week is kotcoach's own: no two days
in a row when it is 3 days a week or fewer (the heavy slow trials spaced their sessions).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta

WEEK_DAYS = 7


@dataclass(frozen=True)
class Frequency:
    per_day: int  # rounds a day
    days_per_week: int


@dataclass(frozen=True)
class BlockItem:
    """One exercise of the daily block: what, how often, how far today is, and whether it is due."""

    exercise_id: str
    name: str
    sets: int  # the dose's sets: a round
    frequency: Frequency
    rounds_done: int
    due: bool
    why: str  # the frequency and its source, or why it is not due today
    condition: str | None = None  # the condition's name, for a protocol; None for per_week

    @property
    def rounds_left(self) -> int:
        return max(0, self.frequency.per_day - self.rounds_done) if self.due else 0


def rounds(sets_by_day: Mapping[date, int], sets: int) -> dict[date, int]:
    """Rounds done each day: the day's sets over the dose's sets (a short round counts once
    any set of it is done)."""
    return {day: -(-count // max(1, sets)) for day, count in sets_by_day.items() if count > 0}


def frequency_text(frequency: Frequency) -> str:
    """'twice a day, every day', '3 days a week', 'once a day, 5 days a week'."""
    times = {1: "once", 2: "twice"}.get(frequency.per_day, f"{frequency.per_day} times")
    if frequency.days_per_week >= WEEK_DAYS:
        return f"{times} a day, every day"
    days = f"{frequency.days_per_week} days a week"
    return days if frequency.per_day == 1 else f"{times} a day, {days}"


def due_today(frequency: Frequency, done: Mapping[date, int], on: date) -> tuple[bool, str]:
    """Whether the exercise is due on `on` given the rounds done each day, and why not."""
    today = done.get(on, 0)
    if today >= frequency.per_day:
        return False, f"done today ({today} of {frequency.per_day})"
    if today > 0 or frequency.days_per_week >= WEEK_DAYS:
        return True, ""
    week = [on - timedelta(days=n) for n in range(1, WEEK_DAYS)]
    trained = [day for day in week if done.get(day, 0) > 0]
    if len(trained) >= frequency.days_per_week:
        return False, f"{len(trained)} days done in the last week, {frequency.days_per_week} asked"
    spaced = frequency.days_per_week <= 3
    if spaced and done.get(on - timedelta(days=1), 0) > 0:
        return False, "done yesterday; a day's rest between sessions (kotcoach's own spacing)"
    return True, ""


def block_item(
    exercise_id: str,
    name: str,
    sets: int,
    frequency: Frequency,
    sets_by_day: Mapping[date, int],
    on: date,
    source: str,
    condition: str | None = None,
) -> BlockItem:
    """The block's line for one exercise on `on`, from the sets logged each day."""
    done = rounds(sets_by_day, sets)
    due, why_not = due_today(frequency, done, on)
    why = f"{frequency_text(frequency)} ({source})" if due else why_not
    return BlockItem(exercise_id, name, sets, frequency, done.get(on, 0), due, why, condition)
