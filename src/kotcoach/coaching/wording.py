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
    """Why a later week keeps an exercise's dose, in a few words: 'held for pain', 'no room'
    or 'top' (the most this plan gives for the person's level and kit)."""
    if item.held:
        return "held"
    if any("session is full" in change for change in item.changes):
        return "full"
    return "top"


WEEKS_RULE = (
    "How the weeks move on: a set or a few reps more while the session has room, its spare "
    "minutes shared out over the weeks; once it is full, a harder step (↑) that starts no "
    "bigger than the last dose, or a set traded for longer sets. Each only after a week done "
    "in full at pain 2/10 or less and settled by the "
    "next morning, and a harder step only after two weeks on a step that loads the knee or "
    "ankle, one week on others: kotcoach's own rules, not a study's."
)


def _names(names: Sequence[str], verb: str, verbs: str) -> str:
    """'Wall sit moves', '3 exercises move': one name is named, more are counted (names carry
    commas of their own, so a list of them would not read)."""
    if len(names) == 1:
        return f"{names[0]} {verb}"
    return f"{_count(len(names), 'exercise')} {verbs}"


def week_notes(plan: Plan, day: int) -> tuple[str, ...]:
    """What the weeks after the first do on one day, in a line or three: what moves to a harder
    step or trades a set for longer sets because the session is full, and why the 'same' cells
    are the same (each exercise counted once, under its last reason)."""
    first = plan.weeks[0].sessions[day].labelled()
    minutes = plan.request.session_minutes
    up: list[str] = []
    traded: list[str] = []
    last_same: dict[str, str] = {}
    weeks: list[int] = []
    for position, (label, start) in enumerate(first):
        if label == "warm-up":
            continue  # the warm-up keeps its minutes: it is not what the weeks build
        name = plain(start.exercise.name)
        previous = start
        for week in plan.weeks[1:]:
            now = week.sessions[day].labelled()[position][1]
            if now.exercise.id != previous.exercise.id:
                up += [] if name in up else [name]
                weeks.append(week.number)
            elif now.dose == previous.dose:
                last_same[name] = same_dose_reason(now)
            elif any(c.startswith("a set traded for ") for c in now.changes):
                traded += [] if name in traded else [name]
                weeks.append(week.number)
            previous = now
    lines: list[str] = []
    moves = []
    if up:
        moves.append(_names(up, "moves to a harder step (↑)", "move to harder steps (↑)"))
    if traded:
        moves.append(_names(traded, "trades a set for longer sets", "trade a set for longer sets"))
    if moves:
        low, high = min(weeks), max(weeks)
        span = f"Week {low}" if low == high else f"Weeks {low}-{high}"
        lines.append(
            f"{span}: within the {minutes} minutes, {' and '.join(moves)}, rather than more of "
            "the same."
        )
    by_reason: dict[str, list[str]] = {"held": [], "full": [], "top": []}
    for name, reason in last_same.items():
        by_reason[reason].append(name)
    if held := by_reason["held"]:
        lines.append(
            f"{_names(held, 'stays', 'stay')} the same while pain holds "
            f"{'it' if len(held) == 1 else 'them'} (until 2/10 or less: kotcoach's rule)."
        )
    if full := by_reason["full"]:
        lines.append(
            f"'same': the {minutes} minutes are shared out over the weeks, so "
            f"{_names(full, 'waits its turn', 'take turns')} to grow; more minutes would let "
            f"{'it' if len(full) == 1 else 'them'} grow sooner."
        )
    if top := by_reason["top"]:
        lines.append(
            f"'same': {_names(top, 'is', 'are')} at the most this plan gives your level and kit."
        )
    return tuple(lines)


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
_WEEK = (
    "held: ",
    "one more set",
    "two more reps",
    "one more rep",
    "five seconds longer",
    "a set traded for ",
    "same dose",
    "moved up",
)


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
