"""The training log as rich renderables: today's session, history, a logged exercise, profiles.

Light on purpose (rich and the store's dataclasses only, no pydantic): `today` and `history`
must start about as fast as the stack imports. Text that came from the log or a catalogue goes
through `safe()`.
"""

from __future__ import annotations

import datetime as dt
import textwrap
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

from rich.console import Group, RenderableType
from rich.padding import Padding
from rich.table import Table
from rich.text import Text

from kotcoach.base.text import plain
from kotcoach.base.vocab import MAX_PAIN_DURING
from kotcoach.coaching.pain import STOP_LINE
from kotcoach.coaching.schedule import next_line, when
from kotcoach.coaching.wording import row_note
from kotcoach.render import WIDE, joined, safe
from kotcoach.store.records import (
    Checkin,
    ExerciseLog,
    PlannedSession,
    Profile,
    Programme,
    SessionLog,
    Status,
    sets_left,
)

if TYPE_CHECKING:
    from kotcoach.coaching.today import TodayPage

DONE_MARK = "✓"
PARTLY_MARK = "…"  # some of the prescribed sets logged, the rest still to do
WIDE_TODAY = 110  # from this many columns `today` has room for the ids in its table
STACK_TODAY = 70  # below this many columns `today` puts each key cue under its exercise


def pain_style(score: int | None) -> str:
    if score is None:
        return "dim"
    return "green" if score <= 2 else "yellow" if score <= MAX_PAIN_DURING else "bold red"


def pain_text(score: int | None, label: str = "") -> Text:
    if score is None:
        return Text("—", style="dim")
    return Text(f"{label}{score}/10", style=pain_style(score))


def session_heading(session: PlannedSession, weeks: int) -> str:
    where = f"week {session.week}, day {session.day}" if weeks > 1 else f"day {session.day}"
    return f"session {session.slot + 1} ({where}), about {session.minutes} min"


def _cell(text: Text, width: int) -> Text:
    """Text padded to a column's width. Never cut: a longer text runs on, and the line wraps."""
    text = text.copy()
    text.pad_right(max(0, width - text.cell_len))
    return text


def today_lines(
    session: PlannedSession, done: Mapping[str, ExerciseLog], width: int = WIDE
) -> list[RenderableType]:
    """One row an exercise: a tick when finished ('…' and the sets done when partly done),
    name, dose and key cue, and on a wide terminal the id to log it by. Names and cues wrap
    within their columns, never cut; on a narrow terminal the cue goes on the lines below its
    exercise."""
    exercises = session.exercises
    conditions = len({c.partition(": ")[0] for e in exercises for c in e.cautions})
    with_ids = width >= WIDE_TODAY
    stacked = width < STACK_TODAY
    table = Table.grid(padding=(0, 2) if not stacked else (0, 1))
    table.add_column(no_wrap=True)  # the tick
    table.add_column(overflow="fold", ratio=2 if not stacked else None)  # the name
    if with_ids:
        table.add_column(no_wrap=True)
    table.add_column(no_wrap=not stacked, overflow="fold")  # the dose
    if not stacked:
        table.add_column(overflow="fold", ratio=3)  # the key cue
    for exercise in exercises:
        log = done.get(exercise.id)
        left = sets_left(exercise, log)
        mark = Text(" ")
        if log is not None:
            mark = (
                Text("–", style="yellow")
                if log.status is not Status.DONE
                else Text(DONE_MARK, style="green")
                if left == 0
                else Text(PARTLY_MARK, style="yellow")
            )
        name = safe(exercise.name, "dim" if log is not None and left == 0 else "bold")
        if exercise.warm_up:
            name.append(Text(" (warm-up)", style="dim"))
        dose = safe(exercise.dose)
        if log is not None and log.status is not Status.DONE:
            dose = Text(log.status.value, style="yellow")
        elif log is not None and left > 0:
            # On a line of its own below the dose, so that the column stays the dose's width.
            dose.append(Text(f"\n{len(log.sets)} of {len(log.sets) + left} sets done", "yellow"))
        # The change pain now or a condition made to it, in plain words, stands where the cue
        # would: on that row it is the cue that matters today.
        note = row_note(exercise.changes, exercise.cautions, conditions)
        cue = safe(note, "yellow") if note else safe(exercise.key_cue, "italic")
        if note and log is None:  # in the tick's column: a '*' never wraps onto a line alone
            mark = Text("*", style="bold yellow")
        cells: list[RenderableType] = [mark, name]
        if with_ids:
            cells.append(safe(exercise.id, "dim"))
        cells.append(dose)
        if stacked:
            table.add_row(*cells)
            table.add_row(Text(""), cue, *([Text("")] * (len(cells) - 2)))
        else:
            table.add_row(*cells, cue)
    return [table]


def today_view(page: TodayPage, width: int = WIDE) -> RenderableType:
    """Today's session. After the day's session, or on a rest day, a line says so first
    ('Done for today. Next: session 2, Tuesday 8 December; rest until then.') and the session
    shown is headed with its day, not today."""
    on, upcoming, session = page.on, page.upcoming, page.session
    heading = Text(f"Today, {on.isoformat()}: ", style="bold")
    if upcoming is not None and upcoming.on != on:
        day = when(upcoming.on, on)
        heading = Text(f"{day[0].upper()}{day[1:]}: ", style="bold")
    heading.append(session_heading(session, page.weeks))
    heading.append(Text(f"  [{page.profile}]", style="dim"))
    parts: list[RenderableType] = []
    if page.missing is not None:
        parts.append(
            Text(
                f"Check in first: yesterday's session ({page.missing.isoformat()}) has no "
                "next-morning check-in. kotcoach checkin --pain knee=N",
                style="yellow",
            )
        )
    if upcoming is not None and (upcoming.done_today or upcoming.on != on):
        parts.append(Text(next_line(upcoming, on), style="bold green"))
    parts += [heading, *today_lines(session, page.done, width)]
    if width < WIDE_TODAY:
        ids = Text("ids: ", style="dim")
        ids.append(safe(", ".join(e.id for e in session.exercises), "dim"))
        parts.append(ids)
    if not page.saved:
        parts.append(
            Text(
                "No programme saved yet: this is day 1 of a plan from your saved defaults. "
                "'kotcoach start' saves it, and then 'today' follows it from session to session.",
                style="yellow",
            )
        )
    elif len(page.done) == 0:
        parts.append(
            Text(
                "Log each exercise as you finish it: kotcoach log ID --sets N --reps N "
                "--pain-during N (or follow along with: kotcoach session)",
                style="dim",
            )
        )
    parts.append(Text(STOP_LINE, style="dim"))
    return Group(*parts)


def logged_view(log: ExerciseLog) -> Text:
    """'Logged Tibialis raise on 2025-03-03: 2 × 20 (target 2 × 20), pain during 2/10.'"""
    text = Text("Logged ")
    text.append(safe(log.name, "bold"))
    text.append(f" on {log.date.isoformat()}: {log.describe_done()}")
    if log.target is not None:
        text.append(f" (target {log.target.describe()})", style="dim")
    text.append(", pain during ")
    text.append(pain_text(log.pain_during))
    text.append(".")
    return text


def pain_during_advice(score: int | None, exercise: str) -> str | None:
    """What the pain-monitoring model says about a pain-during score."""
    if score is None or score <= 2:
        return None
    if score <= MAX_PAIN_DURING:
        return (
            f"Pain {score}/10 during is acceptable if it settles by the next morning: "
            "check in tomorrow morning (kotcoach checkin)."
        )
    return (
        f"Pain {score}/10 is above 5/10: stop this exercise for today. Next time take the step "
        f"below it (kotcoach ladder {exercise}); if the pain stays high, see a physiotherapist "
        "or doctor."
    )


def pain_after_advice(score: int | None) -> str | None:
    if score is None or score <= MAX_PAIN_DURING:
        return None
    return (
        f"Pain {score}/10 after the session is more than 5/10: rest from loading that area "
        "until it settles, make the next session lighter, and see a physiotherapist or doctor "
        "if it has not settled by the next morning."
    )


def history_text(sessions: Sequence[SessionLog], width: int = WIDE) -> Text:
    """Sessions, oldest first: a heading line each (date, programme session, pain after), then
    a line an exercise: name, sets done, the target, pain during, under the columns' names.
    On a narrow terminal the name takes a line of its own and the numbers go below it, still in
    columns; a long name wraps under itself, never back to the left edge. Plain lines, not a
    table: five years of log render in a blink."""
    logs = [log for session in sessions for log in session.exercises]
    done_width = max((len(log.describe_done()) for log in logs), default=4)
    target_width = max((len(_target(log)) for log in logs), default=4)
    name_width = max(12, min(max((len(log.name) for log in logs), default=12), width // 3))
    fits = 2 + name_width + 2 + done_width + 4 + target_width + 7 <= width
    done_width = max(done_width, len("Done"))
    target_width = max(target_width, len("Target"))
    # Narrow: '    3 × 10    of 3 × 10    1/10' under '    Done      Target    Pain'.
    numbers = (2 + name_width if fits else 2) + 2 + done_width + 4 + target_width + 2
    pain = "Pain during" if numbers + len("Pain during") <= width else "Pain"
    aligned = fits or numbers + len("10/10") <= width
    text = Text()
    if fits:  # the columns' names, once: what each number is
        text.append("  " + "Exercise".ljust(name_width) + "  " + "Done".ljust(done_width), "dim")
        text.append("    " + "Target".ljust(target_width) + f"  {pain}\n", "dim")
    elif aligned:
        text.append("  Exercise\n    " + "Done".ljust(done_width), "dim")
        text.append("    " + "Target".ljust(target_width) + f"  {pain}\n", "dim")
    for n, session in enumerate(sessions):
        if n:
            text.append("\n")
        text.append(session.date.isoformat(), style="bold")
        if session.slot is not None:
            text.append(f"  session {session.slot + 1}", style="dim")
        if session.pain_after is not None:
            text.append("  pain after ")
            text.append(pain_text(session.pain_after))
        if session.note:
            text.append("  ")
            text.append(safe(session.note, "italic"))
        text.append("\n")
        if not session.exercises:
            text.append("  nothing logged\n", style="dim")
        for log in session.exercises:
            done = Text(log.describe_done(), style="" if log.status is Status.DONE else "yellow")
            text.append("  ")
            if fits and len(log.name) > name_width:  # the name on a line of its own: the
                text.append_text(_hanging(log.name, width))  # columns below stay in line
                text.append("\n  " + " " * name_width)
            elif fits:
                text.append(_cell(safe(log.name), name_width))
            else:
                text.append_text(_hanging(log.name, width))
            text.append("  " if fits else "\n    ")
            text.append(_cell(done, done_width) if aligned else done)
            text.append("  of " if aligned else " of ", style="dim")
            text.append(_cell(Text(_target(log), style="dim"), target_width if aligned else 0))
            text.append("  ")
            text.append(pain_text(log.pain_during))
            text.append("\n")
    return text


def _hanging(name: str, width: int) -> Text:
    """A name after two spaces of indent, wrapped under itself: its later lines keep the
    indent instead of falling back to the left edge."""
    lines = textwrap.wrap(plain(name), max(8, width - 2), break_on_hyphens=False) or [""]
    text = Text()
    for n, line in enumerate(lines):
        text.append_text(safe(("\n  " if n else "") + line))
    return text


def _target(log: ExerciseLog) -> str:
    return log.target.describe() if log.target else "—"


def history_view(
    profile: str, sessions: Sequence[SessionLog], shown_all: bool, width: int = WIDE
) -> RenderableType:
    if not sessions:
        return Text(
            f"Nothing logged yet for '{profile}'. Log an exercise with 'kotcoach log ID ...', "
            "or follow a session with 'kotcoach session'."
        )
    text = history_text(sessions, width)
    if not shown_all:
        count = "session" if len(sessions) == 1 else f"{len(sessions)} sessions"
        text.append(f"The last {count}; --since YYYY-MM-DD shows more.", style="dim")
    else:
        text.rstrip()
    return text


def checkin_view(on: dt.date, checkins: Sequence[Checkin], notes: Sequence[str]) -> Group:
    text = Text(f"Checked in for {on.isoformat()}: ")
    for n, checkin in enumerate(checkins):
        if n:
            text.append("; ")
        text.append(f"{checkin.area} pain ")
        text.append(pain_text(checkin.pain))
        if checkin.stiffness is not None:
            text.append(", stiffness ")
            text.append(pain_text(checkin.stiffness))
    text.append(".")
    return Group(text, *(Text(note, style="yellow") for note in notes))


def profile_view(heading: str, profile: Profile, programme: Programme | None) -> Group:
    """The profile in two labelled parts, never mixed: the defaults saved for new plans, and
    the programme `start` saved, with the request it was made from."""
    defaults = _facts()
    for label, value in (
        ("level", profile.level or "— (beginner)"),
        ("days", str(profile.days) if profile.days else "— (by level)"),
        ("minutes", str(profile.minutes) if profile.minutes else "— (by level)"),
        ("equipment", joined(profile.equipment) if profile.equipment else "none (body weight)"),
        ("conditions", joined(profile.conditions)),
        ("goals", joined(profile.goals)),
        ("for", profile.handout_for or "—"),
        ("clinic", profile.clinic or "—"),
        ("age", str(profile.age) if profile.age is not None else "—"),
        ("fell last year", "yes" if profile.fell_last_year else "no"),
    ):
        defaults.add_row(label, safe(value))
    parts: list[RenderableType] = [
        Text(heading, style="bold"),
        Text("Saved defaults (for new plans)", style="bold"),
        Padding(defaults, (0, 0, 0, 2)),
        Text("Programme (today follows it)", style="bold"),
    ]
    if programme is None:
        parts.append(Padding(Text("none yet: kotcoach start", style="dim"), (0, 0, 0, 2)))
        return Group(*parts)
    request = programme.request
    weeks = len({s.week for s in programme.sessions})
    facts = _facts()
    pain = ", ".join(f"{area} {score}/10" for area, score in (request.get("pain") or {}).items())
    for label, value in (
        ("sessions", f"{len(programme.sessions)} over {weeks} week{'s' if weeks > 1 else ''}"),
        ("saved", programme.created[:10]),
        ("level", str(request.get("level") or "—")),
        ("days", str(request.get("days") or "—")),
        ("minutes", str(request.get("minutes") or "—")),
        ("equipment", joined(request.get("equipment") or []) or "none (body weight)"),
        ("conditions", joined(request.get("conditions") or [])),
        ("pain", pain or "—"),
    ):
        facts.add_row(label, safe(value))
    parts.append(Padding(facts, (0, 0, 0, 2)))
    return Group(*parts)


def _facts() -> Table:
    table = Table.grid(padding=(0, 2))
    table.add_column(style="dim", no_wrap=True)
    table.add_column(overflow="fold")
    return table
