"""Planner notes as words for people: control characters out, option hints and commands out,
shared notes said once. Pure and light (stdlib only at import), for the terminal views and the
handouts alike: `render` must not import `export` (and its PDF code) to print a plan.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from enum import StrEnum
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
    text = _OPTION.sub("", plain(text)).replace("kotcoach's rule", "this plan's own rule")
    text = text.replace("(our rule)", "(this plan's own rule)")
    return _COMMAND.sub("your clinician", text)


def same_dose_reason(item: Item) -> str:
    """Why a later week keeps an exercise's dose; the screen and the handouts say it alike."""
    if item.held:
        return f"held for pain ({plain(item.held)})"
    if any("session is full" in change for change in item.changes):
        return "the session had no room for more that week"
    return "it is already at its top dose for your level"


# --- The change on its row, and a short summary ---------------------------------------------

REFER_AT = 6  # as coaching.pain.REFER_AT: pain now at which an area gets still holds only


class Kind(StrEnum):
    """Why a planner note is there: what the body asked (pain now, a condition), what the
    equipment or the minutes allowed, or how a later week moves on."""

    PAIN = "pain"
    CONDITION = "condition"
    EQUIPMENT = "equipment"
    TIME = "time"
    WEEK = "week"


_PAIN_NOW = re.compile(r"(\w+) pain (\d+)/10 now")
_SWAP = re.compile(r"(?:still hold only: )?(.+?) instead of (.+?): (.+)$")
_DOWN = re.compile(r"moved down to (.+?), from (.+?): ")
_SUPPORT = (  # the planner's fall-risk notes (coaching.planner._supported)
    "with a rail to hold or a partner beside you: ",
    "keep a rail, door frame or sturdy chair in reach",
)
_WEEK = ("held: ", "one more set", "two more reps", "five seconds longer", "same dose", "moved up")


def change_kind(note: str) -> Kind:
    """Which kind of change a planner note is, read from the planner's own phrasing. A test
    over the planning grid holds every note the planner writes to one kind."""
    if note.startswith("easier step: "):
        return Kind.EQUIPMENT
    if note.startswith("shortened to "):
        return Kind.TIME
    if note.startswith(_WEEK):
        return Kind.WEEK
    if _PAIN_NOW.search(note):
        return Kind.PAIN
    if _SWAP.match(note) or note.startswith(_SUPPORT):
        return Kind.CONDITION  # a support for balance (age, a fall) is for the body, as a condition
    raise ValueError(f"a planner note of no known kind: {note!r}")


def marked(changes: Sequence[str], cautions: Sequence[str]) -> bool:
    """Whether a row gets the '*': changed for pain now or a condition, never for equipment."""
    return bool(cautions) or any(change_kind(c) in (Kind.PAIN, Kind.CONDITION) for c in changes)


def short_condition(name: str) -> str:
    """The words a person uses: 'Patellofemoral pain (kneecap pain)' -> 'kneecap pain',
    'Patellar tendinopathy (jumper's knee)' -> 'jumper's knee'; a one-word aside is not a name:
    'Knee pain (general)' -> 'knee pain'."""
    found = re.fullmatch(r"(.+?)\s*\(([^)]+)\)\s*", name)
    if found is None:
        return name.strip().lower()
    aside = found.group(2).strip()
    return (aside if " " in aside else found.group(1)).strip().lower()


def _first_sentence(text: str) -> str:
    text = " ".join(plain(text).split())
    cut = text.find(". ")
    return text if cut < 0 else text[: cut + 1]


def row_note(changes: Sequence[str], cautions: Sequence[str], conditions: int = 1) -> str:
    """The one plain line under a changed row: what to do differently and why, or '' when the
    row changed only for equipment or minutes: 'knee 4/10: Start high on the wall, then lower a
    few centimetres at a time over weeks as long as the kneecap stays quiet.' A condition's
    name leads its change only when the plan has `conditions` > 1 (the summary names it)."""
    why: list[str] = []
    swaps: list[str] = []
    step = ""
    for change in changes:
        kind = change_kind(change)
        if kind is Kind.CONDITION and (swap := _SWAP.match(change)):
            swaps.append(f"in place of {plain(swap.group(2))}")
        elif kind is Kind.PAIN and (found := _PAIN_NOW.search(change)):
            why.append(f"{found.group(1)} {found.group(2)}/10")
            if change.startswith("still hold only"):
                step = "still hold only, at a pain-free angle"
            elif _DOWN.match(change):
                step = "easier step"
            else:
                step = step or "less range, depth or pace"
    modified = []
    for caution in cautions:
        condition, _, modification = caution.partition(": ")
        text = _first_sentence(modification)
        modified.append(f"{short_condition(condition)}: {text}" if conditions > 1 else text)
    if modified and step == "less range, depth or pace":
        step = ""  # the caution says how to ease it
    parts = [part.removesuffix(".") for part in swaps + modified[:-1]] + modified[-1:]
    body = "; ".join([parts[0], *(_lower_first(part) for part in parts[1:])] if parts else [])
    if step:
        body = f"{step}. {body}" if body else step
    head = ", ".join(dict.fromkeys(why))
    return f"{head}: {body}" if head else body


def _lower_first(text: str) -> str:
    """'Lower only a hand's width' after a ';' reads 'lower only ...'; 'ATG' stays as it is."""
    return text[:1].lower() + text[1:] if text[1:2].islower() else text


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}{'' if number == 1 else 's'}"


def change_summary(plan: Plan) -> tuple[str, ...]:
    """What changed and why, in a few lines: one for each painful area, one for each condition,
    one for what had no room. The rows' own lines say what to do; --details says it all."""
    request = plan.request
    rows = {item.exercise.id: item for s in plan.sessions for _, item in s.labelled()}
    lines: list[str] = []
    for area, score in request.pain.items():
        if score < 3:
            continue
        said = f"{area} pain {score}/10 now"
        touched = [i for i in rows.values() if any(said in c for c in i.changes)]
        head = f"{str(area).capitalize()} {score}/10 now"
        if score >= REFER_AT:
            line = f"{head}: only still holds load the {area}, at a pain-free angle"
            for left in plan.left_out:
                if left.startswith(f"No loading for the {area}"):
                    line += "; nothing else loads it until a clinician has seen it"
            lines.append(line + ".")
        elif touched:
            lines.append(
                f"{head}: {_count(len(touched), 'exercise')} made easier until it is 2/10 or "
                "less (our rule)."
            )
    for name, _ in plan.condition_rules:
        label = name.split(" (")[0].lower()
        adapted = [
            i
            for i in rows.values()
            if any(c.startswith(f"{name}: ") for c in i.cautions)
            or any(change_kind(c) is Kind.CONDITION and label in c for c in i.changes)
        ]
        short = short_condition(plain(name))
        line = f"{short[:1].upper()}{short[1:]}: {len(adapted)} adapted"
        for left in plan.left_out:
            why, _, names = left.partition(": ")
            if f"with {label}" in why:
                line += f"; left out: {names} ({why.split(', and ')[-1]})"
        lines.append(line + ".")
    for left in plan.left_out:
        if left.startswith("Replaced by "):
            why, _, names = left.partition(": ")
            lines.append(f"{names}: r{why[1:]}.")
    if plan.no_room:
        more = len(plan.no_room)
        them = "it" if more == 1 else "them"
        lines.append(
            f"No room in {request.session_days} days of {request.session_minutes} min for "
            f"{_count(more, 'more exercise')}; add minutes or days for {them}."
        )
    lines += [client_text(n) for n in plan.notes if not n.startswith("No room this week")]
    return tuple(lines)


def equipment_lines(plan: Plan) -> tuple[str, ...]:
    """What the equipment changed, quietly, in one line: how many rows are the step it allows,
    and which kit opens more (--details names what it leaves out). No '*': nothing here is
    about the body."""
    rows = {item.exercise.id: item for s in plan.sessions for _, item in s.labelled()}
    easier = sum(
        any(change_kind(c) is Kind.EQUIPMENT for c in item.changes) for item in rows.values()
    )
    kit: list[str] = []
    for line in plan.left_out:
        if line.startswith("Needs "):
            why = line.partition(": ")[0].removeprefix("Needs ")
            kit += [k for k in why.split(" and ") if k not in kit]
    more = f"{_or(kit)} opens more" if kit else ""  # 'a step or a leg-extension opens more'
    if not easier:
        return (f"Left out for want of {_or(kit)}: --details names them.",) if kit else ()
    line = f"{_count(easier, 'exercise')} {'is' if easier == 1 else 'are'} the step your kit allows"
    return (f"{line}; {more or 'more kit opens harder ones'}.",)


def _or(words: Sequence[str]) -> str:
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " or " + words[-1]


BASE_RULES = (
    "During exercise: pain may reach 5/10, never more.",
    "After: pain may reach 5/10 but must settle by the next morning.",
    "Week to week: pain and stiffness must not rise; if they do, cut the load.",
    "Above 5/10, or rising after you ease off: stop and see a physiotherapist.",
)


def short_pain_rules(condition_rules: Sequence[tuple[str, Sequence[str]]]) -> tuple[str, ...]:
    """The pain rules in four plain lines, merged over the conditions, the strictest winning:
    a lower 'aim below' during exercise, a shorter time to settle, more reasons to stop. The
    5/10, next-morning and week-to-week limits are the pain-monitoring study's (Silbernagel
    2007); clinicians' notes (edges of green, what a study tested) stay in --details."""
    aims: dict[int, list[str]] = {}
    hour: list[str] = []
    spreads: list[str] = []
    for name, rules in condition_rules:
        who = short_condition(name)
        for rule in rules:
            text = plain(rule)
            for found in re.findall(r"below (\d+)/10", text):
                if int(found) < 5 and who not in aims.setdefault(int(found), []):
                    aims[int(found)].append(who)
            if "within an hour" in text and who not in hour:
                hour.append(who)
            if "down the leg" in text and who not in spreads:
                spreads.append(who)
    during, after, week, stop = BASE_RULES
    if aims:
        aim = min(aims)
        during = f"During exercise: aim below {aim}/10 ({', '.join(aims[aim])}), never above 5/10."
    if hour:
        after = f"After: back to normal within an hour ({', '.join(hour)}), no worse next morning."
    if spreads:
        stop = (
            "Above 5/10, rising after you ease off, or spreading down the leg: stop and see a "
            "physiotherapist."
        )
    return (during, after, week, stop)
