"""Condition ids the built-in catalogue has retired, and what each now reads as.

A saved profile or programme, or a habit on the command line, may still name an old id: it keeps
working, read as its stand-in, with a one-line note naming the conditions that replaced it.
"""

from __future__ import annotations

from collections.abc import Iterable

# old id -> (the id it is read as, the ids it was split into)
RENAMED_CONDITIONS: dict[str, tuple[str, tuple[str, ...]]] = {
    "ankle-achilles-pain": (
        "ankle-pain",
        ("achilles-midportion", "achilles-insertional", "ankle-pain"),
    ),
}


def renamed_note(old: str) -> str:
    """The one line that says what an old id became."""
    now, split = RENAMED_CONDITIONS[old]
    names = ", ".join(split[:-1]) + " and " + split[-1]
    return (
        f"'{old}' is now split into {names}; read as {now}. Use --condition with the one that fits."
    )


def current_conditions(ids: Iterable[str]) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The ids with each retired one read as its stand-in (order kept, no repeats), and a note
    for each retired id met."""
    current: list[str] = []
    notes: list[str] = []
    for condition in ids:
        if condition in RENAMED_CONDITIONS:
            notes.append(renamed_note(condition))
            condition = RENAMED_CONDITIONS[condition][0]
        if condition not in current:
            current.append(condition)
    return tuple(current), tuple(notes)
