"""Planner notes as words for people: control characters out, option hints and commands out,
shared notes said once. Pure and light (stdlib only at import), for the terminal views and the
handouts alike: `render` must not import `export` (and its PDF code) to print a plan.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from kotcoach.coaching.planner import Item, Plan

# Kept on paper: the joiners that some scripts and emoji need. Every other format character (the
# bidi overrides such as U+202E among them) and every control character is dropped.
_KEPT_FORMAT = {"\u200c", "\u200d"}


def plain(value: str) -> str:
    """Text with control and bidi-override characters removed: they mean nothing on paper, and
    an override would make a printed line read backwards."""
    if value.isprintable():
        return value
    return "".join(
        c
        for c in value
        if c in "\n\t" or c in _KEPT_FORMAT or unicodedata.category(c) not in {"Cc", "Cf"}
    )


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


def merged_rules(
    groups: Sequence[tuple[str, Sequence[str]]],
) -> tuple[tuple[tuple[str, ...], str], ...]:
    """Several conditions' pain rules as one list, each rule once, with the names of the
    conditions that give it: `((('Knee pain',), 'Amber...'), (('Knee pain', 'Hip pain'), ...))`.

    The catalogue writes each condition's rules in the same order (during, after, week to week,
    green, amber, red, rising, evidence), so the lists are read side by side: every condition's
    first rule, then every second rule, and so on. Two rules are the same when they differ only
    in spacing or case. Nothing else is merged: a rule that differs by a word (the knee or the
    tendon; the load, or the range or load) is kept, under its condition's name."""
    holders: dict[str, list[str]] = {}
    texts: dict[str, str] = {}
    for position in range(max((len(rules) for _, rules in groups), default=0)):
        for name, rules in groups:
            if position < len(rules):
                text = " ".join(plain(rules[position]).split())
                key = text.casefold()
                texts.setdefault(key, text)
                names = holders.setdefault(key, [])
                if name not in names:
                    names.append(name)
    return tuple((tuple(holders[key]), texts[key]) for key in holders)


def rule_owner(names: Sequence[str], every: int) -> str:
    """Who a merged rule is for: 'Knee pain', 'Knee pain and Hip pain', or '' when it is for
    all `every` conditions."""
    if len(names) == every:
        return ""
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def same_dose_reason(item: Item) -> str:
    """Why a later week keeps an exercise's dose; the screen and the handouts say it alike."""
    if item.held:
        return f"held for pain ({plain(item.held)})"
    if any("session is full" in change for change in item.changes):
        return "the session had no room for more that week"
    return "it is already at its top dose for your level"
