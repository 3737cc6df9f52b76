"""The training log as rich renderables: history, a logged exercise, check-ins, profiles.

Light on purpose (rich and the store's dataclasses only, no pydantic): `history`
must start about as fast as the stack imports. Text that came from the log or a catalogue goes
through `safe()`.
"""

from __future__ import annotations

import datetime as dt
import textwrap
from collections.abc import Sequence

from rich.console import Group, RenderableType
from rich.padding import Padding
from rich.table import Table
from rich.text import Text

from kotcoach.base.text import plain
from kotcoach.base.vocab import MAX_PAIN_DURING
from kotcoach.render import WIDE, joined, safe
from kotcoach.store.records import (
    Checkin,
    ExerciseLog,
    Profile,
    Programme,
    SessionLog,
    Status,
)


def pain_style(score: int | None) -> str:
    if score is None:
        return "dim"
    return "green" if score <= 2 else "yellow" if score <= MAX_PAIN_DURING else "bold red"


def pain_text(score: int | None, label: str = "") -> Text:
    if score is None:
        return Text("—", style="dim")
    return Text(f"{label}{score}/10", style=pain_style(score))


def _cell(text: Text, width: int) -> Text:
    """Text padded to a column's width. Never cut: a longer text runs on, and the line wraps."""
    text = text.copy()
    text.pad_right(max(0, width - text.cell_len))
    return text


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
