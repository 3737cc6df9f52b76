"""What a handout says, and a card laid out as blocks fitted into a fixed cell.

The content is gathered once into format-neutral records (`Card`, `Handout`); every format's
renderer lays a card out from the same `card_blocks` and fits it with the same `fit_card`, each
measuring text its own way.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, replace

from kotcoach.ladders import Index
from kotcoach.models import Exercise
from kotcoach.planner import Plan, PlanRequest, Session

CARDS_PER_PAGE = 4


@dataclass(frozen=True)
class CardCaution:
    condition: str  # the condition's name
    note: str
    modification: str
    substitute: str | None = None

    @property
    def text(self) -> str:
        text = f"{self.note} → {self.modification}"
        return text + (f" Instead: {self.substitute}." if self.substitute else "")


@dataclass(frozen=True)
class Card:
    exercise_id: str
    name: str
    level: str
    step: str  # 'step 2 of 4'
    dose: str  # '' when the catalogue gives none
    dose_details: str
    setup: str
    cues: tuple[str, ...]
    mistakes: tuple[str, ...]
    easier: str
    harder: str
    cautions: tuple[CardCaution, ...]
    pointer: str  # where to read the cautions not shown, or ''


@dataclass(frozen=True)
class Table:
    title: str
    header: tuple[str, ...]
    rows: tuple[tuple[tuple[str, ...], ...], ...]  # row -> cell -> lines


@dataclass(frozen=True)
class Section:
    title: str
    items: tuple[str, ...]


@dataclass(frozen=True)
class Handout:
    title: str
    summary: str
    cards: tuple[Card, ...]
    tables: tuple[Table, ...] = ()
    sections: tuple[Section, ...] = ()

    @property
    def has_intro(self) -> bool:
        """A plan handout opens with its tables and rules; a cards-only one is all cards."""
        return bool(self.tables or self.sections)


def plain(value: str) -> str:
    """Catalogue text with control characters removed: they mean nothing on paper."""
    if value.isprintable():
        return value
    return "".join(c for c in value if c in "\n\t" or unicodedata.category(c) != "Cc")


def _named(exercise: Exercise | None, missing: str) -> str:
    return f"{plain(exercise.name)} ({exercise.id})" if exercise else missing


def build_card(index: Index, exercise: Exercise, conditions: Sequence[str] = ()) -> Card:
    ladder = index.ladder_of(exercise.id)
    shown = [c for c in exercise.cautions if c.condition in conditions]
    cautions = tuple(
        CardCaution(
            plain(index.conditions[c.condition].name)
            if c.condition in index.conditions
            else c.condition,
            plain(c.note),
            plain(c.modification),
            _named(index.by_id.get(c.substitute), c.substitute) if c.substitute else None,
        )
        for c in shown
    )
    dose = exercise.dose
    return Card(
        exercise_id=exercise.id,
        name=plain(exercise.name),
        level=exercise.level.value,
        step=f"step {ladder.position(exercise.id) + 1} of {len(ladder.steps)}",
        dose=dose.describe() if dose else "",
        dose_details=plain(dose.details()) if dose else "",
        setup=plain(exercise.setup or ""),
        cues=tuple(plain(c) for c in exercise.cues),
        mistakes=tuple(plain(m) for m in exercise.mistakes),
        easier=_named(index.easier(exercise.id), "— (first step)"),
        harder=_named(index.harder(exercise.id), "— (top step)"),
        cautions=cautions,
        pointer=f"Cautions: kotcoach show {exercise.id}" if exercise.cautions and not shown else "",
    )


def _condition_names(index: Index, conditions: Sequence[str]) -> str:
    return ", ".join(
        plain(index.conditions[c].name) if c in index.conditions else c for c in conditions
    )


def cards_handout(
    index: Index, exercises: Sequence[Exercise], conditions: Sequence[str] = ()
) -> Handout:
    summary = _count(len(exercises), "card")
    if conditions:
        summary += f", with the cautions for {_condition_names(index, conditions)}"
    return Handout(
        title="kotcoach cue cards",
        summary=summary + ".",
        cards=tuple(build_card(index, e, conditions) for e in exercises),
    )


def plan_handout(index: Index, plan: Plan) -> Handout:
    request = plan.request
    sections = [Section("Pain rules", tuple(plain(r) for r in plan.pain_rules))]
    if plan.left_out:
        sections.append(Section("Left out", tuple(plain(r) for r in plan.left_out)))
    if plan.notes:
        sections.append(Section("Notes", tuple(plain(n) for n in plan.notes)))
    if len(plan.weeks) > 1:
        sections.append(Section("Day 1, week by week", _week_by_week(plan)))
    weeks = len(plan.weeks)
    span = "week" if weeks == 1 else f"{weeks}-week plan"
    return Handout(
        title=f"Your {request.level} {span}",
        summary=_request_summary(index, request),
        cards=tuple(build_card(index, e, request.conditions) for e in _plan_exercises(plan)),
        tables=tuple(_session_table(session) for session in plan.sessions),
        sections=tuple(sections),
    )


def _request_summary(index: Index, request: PlanRequest) -> str:
    equipment = ", ".join(sorted(request.equipment)) or "none (body weight)"
    pain = ", ".join(f"{a} {s}/10" for a, s in request.pain.items()) or "none reported"
    conditions = _condition_names(index, request.conditions) or "none"
    return (
        f"Level: {request.level} · {_count(request.session_days, 'day')} a week · about "
        f"{request.session_minutes} minutes a session · equipment: {equipment} · pain: {pain} · "
        f"conditions: {conditions}"
    )


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}{'' if number == 1 else 's'}"


def _session_table(session: Session) -> Table:
    rows = []
    for label, item in session.labelled():
        notes = [plain(c) for c in (*item.changes, item.held, *item.cautions, item.dose.note) if c]
        if len(notes) > 1:
            notes = [f"• {note}" for note in notes]
        name = (plain(item.exercise.name), item.exercise.id)
        cells = ((label,), name, (item.dose.describe(),), (plain(item.key_cue),), tuple(notes))
        rows.append(cells)
    return Table(
        title=f"Day {session.day} · about {session.minutes} min",
        header=("", "Exercise", "Dose", "Key cue", "Notes"),
        rows=tuple(rows),
    )


def _week_by_week(plan: Plan) -> tuple[str, ...]:
    lines = []
    for position, first in enumerate(plan.weeks[0].sessions[0].items):
        steps, previous = [], first.exercise.id
        for week in plan.weeks:
            item = week.sessions[0].items[position]
            moved = f"→ {item.exercise.id} " if item.exercise.id != previous else ""
            held = " (held)" if item.held else ""
            steps.append(f"week {week.number}: {moved}{item.dose.describe()}{held}")
            previous = item.exercise.id
        lines.append(f"{plain(first.exercise.name)}: " + "; ".join(steps))
    return tuple(lines)


def _plan_exercises(plan: Plan) -> list[Exercise]:
    """Every distinct exercise in the plan, in the order they first appear, warm-up first."""
    seen: dict[str, Exercise] = {}
    for week in plan.weeks:
        for session in week.sessions:
            for _, item in session.labelled():
                seen.setdefault(item.exercise.id, item.exercise)
    return list(seen.values())


@dataclass(frozen=True)
class Style:
    size: float  # points added to the card's body size
    bold: bool
    colour: tuple[int, int, int]
    gap: float  # space above, in body lines
    inset: float = 0.0  # mm of tinted padding each side (the dose box)


INK, GREY, ACCENT, TINT = (31, 41, 51), (100, 108, 120), (15, 118, 110), (232, 244, 242)
LEVEL_COLOUR = {"beginner": (21, 128, 61), "intermediate": (180, 83, 9), "advanced": (185, 28, 28)}
STYLES = {
    "title": Style(3.5, True, INK, 0.0),
    "meta": Style(-1.0, False, GREY, 0.1),
    "dose": Style(1.0, True, INK, 0.6, inset=1.5),
    "details": Style(-0.5, False, INK, 0.0, inset=1.5),
    "label": Style(-1.0, True, ACCENT, 0.75),
    "body": Style(0.0, False, INK, 0.1),
    "item": Style(0.0, False, INK, 0.15),
    "strong": Style(0.0, True, INK, 0.3),
    "note": Style(-1.0, False, GREY, 0.5),
}
SIZES = (10.0, 9.5, 9.0, 8.5, 8.0, 7.5, 7.0, 6.5, 6.0)  # body sizes tried, largest first
LEADING = 1.22  # line height as a multiple of the font size
PT = 25.4 / 72  # mm in a point


@dataclass(frozen=True)
class Block:
    text: str
    style: str = "body"
    marker: str = ""  # in bold in a hanging indent before the text: '1.', '•', 'Easier', a level
    hang: str = ""  # the widest marker of its group, which sets the indent


def card_blocks(card: Card) -> list[Block]:
    """A card from top to bottom. The stop line is the card's footer, not a block."""
    blocks = [
        Block(card.name, "title"),
        Block(f"· {card.step} · {card.exercise_id}", "meta", card.level, card.level),
    ]
    if card.dose:
        blocks.append(Block(card.dose, "dose"))
        if card.dose_details:
            blocks.append(Block(card.dose_details, "details"))
    if card.setup:
        blocks += [Block("Setup", "label"), Block(card.setup)]
    widest = f"{len(card.cues)}."
    blocks.append(Block("Cues", "label"))
    blocks += [Block(c, "item", f"{n}.", widest) for n, c in enumerate(card.cues, start=1)]
    if card.mistakes:
        blocks.append(Block("Common mistakes", "label"))
        blocks += [Block(m, "item", "•", "•") for m in card.mistakes]
    blocks.append(Block("Ladder", "label"))
    blocks += [
        Block(card.easier, "item", "Easier", "Harder"),
        Block(card.harder, "item", "Harder", "Harder"),
    ]
    if card.cautions:
        blocks.append(Block("Cautions", "label"))
        for caution in card.cautions:
            blocks += [Block(caution.condition, "strong"), Block(caution.text)]
    if card.pointer:
        blocks.append(Block(card.pointer, "note"))
    return blocks


def _reductions(card: Card) -> Iterator[Card]:
    """The card, then with less on it: no mistakes, then cautions cut one by one from the end."""
    yield card
    if card.mistakes:
        card = replace(card, mistakes=())
        yield card
    pointer = f"…see kotcoach show {card.exercise_id}"
    for keep in range(len(card.cautions) - 1, -1, -1):
        yield replace(card, cautions=card.cautions[:keep], pointer=pointer)


def fit_card(card: Card, fits: Callable[[Card, float], bool]) -> tuple[Card, float]:
    """The fullest version of a card, at the largest body size, that `fits` its cell: shrink the
    type first, then drop the mistakes, then cut cautions. When nothing fits (a catalogue with
    very long text), the smallest version at the smallest size; the renderer then clips."""
    candidate = card
    for candidate in _reductions(card):
        if fits(candidate, SIZES[0]):
            return candidate, SIZES[0]
        if fits(candidate, SIZES[-1]):
            return candidate, _largest_size(candidate, fits)
    return candidate, SIZES[-1]


def _largest_size(card: Card, fits: Callable[[Card, float], bool]) -> float:
    """Binary search of SIZES (largest first) for the largest that fits; the smallest does."""
    fitting, failing = len(SIZES) - 1, -1
    while fitting - failing > 1:
        middle = (fitting + failing) // 2
        if fits(card, SIZES[middle]):
            fitting = middle
        else:
            failing = middle
    return SIZES[fitting]


def chunks(cards: Sequence[Card]) -> list[Sequence[Card]]:
    return [cards[i : i + CARDS_PER_PAGE] for i in range(0, len(cards), CARDS_PER_PAGE)]
