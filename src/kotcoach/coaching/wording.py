"""Planner notes as words for people: control characters out, option hints and commands out,
shared notes said once. Pure and light (stdlib only at import), for the terminal views and the
handouts alike: `render` must not import `export` (and its PDF code) to print a plan.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from kotcoach.base.text import plain

if TYPE_CHECKING:
    from kotcoach.coaching.planner import Item, Plan

_OPTION = re.compile(r"\s*\((?:--[a-z-]+[^)]*)\)")
_COMMAND = re.compile(r"'?kotcoach [a-z][^']*'?")


def client_text(text: str) -> str:
    """A planner's note for paper: option hints and commands are dropped.

    The planner writes exercise names, not ids, so no id is looked up here: a hyphenated word in
    a name ('Assisted lateral step-down') must never be taken for an id and replaced."""
    text = _OPTION.sub("", plain(text))
    return _COMMAND.sub("your clinician", text)


def plan_changes(plan: Plan) -> tuple[str, ...]:
    """Every change and caution in the plan, said once: 'Wall sit, Calf raise: moved down...'.
    Notes shared by several exercises are gathered under one line."""
    by_note: dict[str, list[str]] = {}
    for week in plan.weeks[:1]:
        for session in week.sessions:
            for _, item in session.labelled():
                name = plain(item.exercise.name)
                held = (f"held: {item.held}",) if item.held else ()
                for note in (*item.changes, *held, *item.cautions):
                    holders = by_note.setdefault(client_text(note), [])
                    if name not in holders:
                        holders.append(name)
    by_holders: dict[tuple[str, ...], list[str]] = {}
    for note, holders in by_note.items():
        by_holders.setdefault(tuple(holders), []).append(note)
    return tuple(f"{' · '.join(h)}: {'; '.join(notes)}" for h, notes in by_holders.items())


def same_dose_reason(item: Item) -> str:
    """Why a later week keeps an exercise's dose; the screen and the handouts say it alike."""
    if item.held:
        return f"held for pain ({plain(item.held)})"
    if any("session is full" in change for change in item.changes):
        return "the session had no room for more that week"
    return "it is already at its top dose for your level"
