"""What a handout says, written for the client, and a card laid out as blocks fitted into cells.

The content is gathered once into format-neutral records (`Card`, `Handout`); every format's
renderer lays a card out from the same `card_blocks` and fits it with the same `layout_card`, each
measuring text its own way. Nothing on paper names a command, an option or an exercise id: a
client holding the page cannot run them. `client_text` keeps the planner's notes in plain words.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import TypeVar

from kotcoach.base.text import plain
from kotcoach.base.vocab import RED_FLAG_TEXT, RED_FLAG_URGENCY, RedFlag, Urgency
from kotcoach.catalogue.ladders import Index
from kotcoach.catalogue.models import Exercise, Pose
from kotcoach.coaching.planner import Item, Plan, PlanRequest, Session
from kotcoach.coaching.wording import (
    Kind,
    change_kind,
    change_summary,
    client_text,
    marked,
    row_note,
    short_condition,
    short_pain_rules,
    week_notes,
)

CARDS_PER_PAGE = 4
T = TypeVar("T")


@dataclass(frozen=True)
class CardCaution:
    condition: str  # the condition's name
    note: str
    modification: str
    substitute: str | None = None  # the substitute's name

    @property
    def text(self) -> str:
        text = f"{self.note} → {self.modification}"
        return text + (f" Instead: {self.substitute}." if self.substitute else "")


@dataclass(frozen=True)
class Card:
    exercise_id: str  # for ordering and tests; never printed
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
    pointer: str  # a plain note about cautions not shown, or ''
    pose: Pose | None = None  # drawn under the title, beside the dose (export.figure_inset)


@dataclass(frozen=True)
class Table:
    title: str
    header: tuple[str, ...]
    rows: tuple[tuple[tuple[str, ...], ...], ...]  # row -> cell -> lines
    kind: str = "plan"  # 'plan', 'weeks' or 'log' (a sheet to fill in: empty cells are boxes)
    note: str = ""  # a line under the table
    figures: tuple[Pose | None, ...] = ()  # a figure a row, drawn beside it; () for none


@dataclass(frozen=True)
class Section:
    title: str
    items: tuple[str, ...]
    lead: str = ""  # a sentence before the items
    urgent: bool = False  # printed to stand out: the referral and the warning signs


def _one_line(value: str) -> str:
    return " ".join(plain(value).split())


@dataclass(frozen=True)
class Byline:
    """Who a handout is for, who gave it, and when: printed in its header."""

    for_name: str = ""
    clinic: str = ""
    date: str = ""

    def __post_init__(self) -> None:
        for name in ("for_name", "clinic", "date"):
            object.__setattr__(self, name, _one_line(getattr(self, name)))

    @property
    def text(self) -> str:
        """'For Ann Lee · Riverside Physio, 01234 567890 · 26 November 2026'."""
        parts = [f"For {self.for_name}" if self.for_name else "", self.clinic, self.date]
        return " · ".join(p for p in parts if p)


@dataclass(frozen=True)
class Handout:
    title: str
    summary: str
    cards: tuple[Card, ...]
    tables: tuple[Table, ...] = ()
    sections: tuple[Section, ...] = ()
    referral: str = ""  # first on every handout when set
    who: Byline = Byline()
    log: tuple[Table, ...] = ()  # the pain log sheet, one table a week

    @property
    def byline(self) -> str:
        return self.who.text


# --- Words for the client ---------------------------------------------------------------------

DISCLAIMER = (
    "General guidance, not a diagnosis. Stop and see a clinician if any of the red flags listed "
    "here appears."
)
PAIN_SCALE = "Pain is scored from 0 (none) to 10 (the worst you can imagine)."
PAIN_BOX = "How much pain is OK"


def pain_box(condition_rules: Sequence[tuple[str, Sequence[str]]]) -> Section:
    """The one box of pain rules a handout carries: four plain lines, merged over the
    conditions, the strictest winning (wording.short_pain_rules). What a clinician reads
    (edges from other guides, what a study tested) stays on screen and in the physio report."""
    return Section(PAIN_BOX, short_pain_rules(condition_rules), PAIN_SCALE)


WARNING_GROUPS: dict[Urgency, tuple[str, str]] = {
    Urgency.EMERGENCY: (
        "Emergency: stop and get help now",
        "Go to an emergency department now, or call emergency services, if you have:",
    ),
    Urgency.SAME_DAY: (
        "Red flags: stop and see a doctor today",
        "Stop training and see a doctor today, or go to urgent care or an emergency department "
        "if you cannot be seen, if you have:",
    ),
    Urgency.BEFORE_TRAINING: (
        "Red flags: stop and get checked",
        "Stop training and see a doctor or physiotherapist before you train again if you have:",
    ),
}


def warning_signs() -> tuple[Section, ...]:
    """Every red flag in plain words, grouped by what to do and how soon."""
    sections = []
    for urgency, (title, lead) in WARNING_GROUPS.items():
        flags = [flag for flag in RedFlag if RED_FLAG_URGENCY[flag] is urgency]
        if flags:
            texts = tuple(_sentence(RED_FLAG_TEXT[flag]) for flag in flags)
            sections.append(Section(title, texts, lead, urgent=True))
    return tuple(sections)


def _sentence(text: str) -> str:
    return text[:1].upper() + text[1:]


def _names(index: Index) -> dict[str, str]:
    return {e.id: plain(e.name) for e in index.catalog.exercises}


# --- Cards ------------------------------------------------------------------------------------


def build_card(index: Index, exercise: Exercise, conditions: Sequence[str] = ()) -> Card:
    ladder = index.ladder_of(exercise.id)
    shown = [c for c in exercise.cautions if c.condition in conditions]
    names = _names(index)
    cautions = tuple(
        CardCaution(
            _condition_name(index, c.condition),
            plain(c.note),
            plain(c.modification),
            names.get(c.substitute, c.substitute) if c.substitute else None,
        )
        for c in shown
    )
    hidden = [c.condition for c in exercise.cautions if c.condition not in conditions]
    pointer = ""
    if hidden and not shown:
        pointer = (
            "Take care if you have "
            + _or([_condition_name(index, c).lower() for c in dict.fromkeys(hidden)])
            + ": ask your clinician how to adapt this exercise."
        )
    easier, harder = index.easier(exercise.id), index.harder(exercise.id)
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
        easier=plain(easier.name) if easier else "— (this is the first step)",
        harder=plain(harder.name) if harder else "— (this is the top step)",
        cautions=cautions,
        pointer=pointer,
        pose=exercise.pose,
    )


def _condition_name(index: Index, condition_id: str) -> str:
    condition = index.conditions.get(condition_id)
    return plain(condition.name) if condition else condition_id


def _or(words: list[str]) -> str:
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " or " + words[-1]


def _condition_names(index: Index, conditions: Sequence[str]) -> str:
    return ", ".join(_condition_name(index, c) for c in conditions)


def _safety_sections(index: Index, conditions: Sequence[str]) -> list[Section]:
    found = (index.conditions.get(i) for i in dict.fromkeys(conditions))
    groups = [(plain(c.name), tuple(c.pain_rules)) for c in found if c is not None]
    return [pain_box(groups), *warning_signs()]


def cards_handout(
    index: Index,
    exercises: Sequence[Exercise],
    conditions: Sequence[str] = (),
    byline: Byline | None = None,
) -> Handout:
    exercises = list({e.id: e for e in exercises}.values())  # one card an exercise
    summary = _count(len(exercises), "card")
    if conditions:
        summary += f", with the cautions for {_condition_names(index, conditions)}"
    return Handout(
        title="Your exercise cards",
        summary=summary + ".",
        cards=tuple(build_card(index, e, conditions) for e in exercises),
        sections=tuple(_safety_sections(index, conditions)),
        who=byline or Byline(),
    )


# --- Plans ------------------------------------------------------------------------------------


def plan_handout(index: Index, plan: Plan, byline: Byline | None = None) -> Handout:
    request = plan.request
    sections: list[Section] = []
    changes = change_summary(plan)
    if changes:
        sections.append(Section(_changes_title(plan), tuple(client_text(c) for c in changes)))
    equipment = _equipment_lines(plan)
    if equipment:
        sections.append(Section("With your equipment", equipment))
    sections += [pain_box(plan.condition_rules), *warning_signs()]
    conditions = len(plan.condition_rules)
    weeks = len(plan.weeks)
    span = "week" if weeks == 1 else f"{weeks}-week plan"
    poses = {exercise_id: index.exercise(exercise_id).pose for exercise_id in _plan_exercises(plan)}
    tables = (
        tuple(_session_table(session, conditions, poses) for session in plan.sessions)
        if weeks == 1
        else tuple(_weeks_table(plan, day, poses) for day in range(len(plan.sessions)))
    )
    referral = plan.referral or ""
    return Handout(
        title=f"Your {request.level} {span}",
        summary=_request_summary(index, request),
        cards=tuple(
            build_card(index, index.exercise(exercise_id), request.conditions)
            for exercise_id in _plan_exercises(plan)
        ),
        tables=tables,
        sections=tuple(sections),
        referral=client_text(referral),
        log=pain_log(plan),
        who=byline or Byline(),
    )


def _changes_title(plan: Plan) -> str:
    """A plain heading: 'Changes for your knee', 'Changes for your kneecap pain'."""
    areas = [str(area) for area, score in plan.request.pain.items() if score >= 3]
    names = areas or [short_condition(name) for name, _ in plan.condition_rules]
    if not names:
        return "Changes to your plan"
    return "Changes for your " + (" and ".join(names) if len(names) < 3 else "pain")


def _equipment_lines(plan: Plan) -> tuple[str, ...]:
    """What the equipment changed, for paper: how many exercises are the step it allows, and
    what needs equipment the person does not have, by name."""
    rows = {item.exercise.id: item for s in plan.sessions for _, item in s.labelled()}
    easier = sum(
        any(change_kind(c) is Kind.EQUIPMENT for c in item.changes) for item in rows.values()
    )
    lines = []
    if easier:
        verb = "is" if easier == 1 else "are"
        lines.append(
            f"{_count(easier, 'exercise')} {verb} the step your equipment allows; more "
            "equipment opens harder ones."
        )
    lines += [client_text(line) for line in plan.left_out if line.startswith("Needs ")]
    return tuple(lines)


def _exercise_cell(item: Item, conditions: int) -> tuple[str, ...]:
    """The name, marked '*' when pain or a condition changed it, and that change below."""
    name = plain(item.exercise.name)
    note = row_note(item.changes, item.cautions, conditions)
    if not marked(item.changes, item.cautions):
        return (name,)
    return (f"{name} *", client_text(note)) if note else (f"{name} *",)


def _request_summary(index: Index, request: PlanRequest) -> str:
    equipment = ", ".join(sorted(request.equipment)) or "none (body weight)"
    pain = ", ".join(f"{a} {s}/10" for a, s in request.pain.items()) or "none reported"
    conditions = _condition_names(index, request.conditions) or "none"
    return (
        f"Level: {request.level} · {_count(request.session_days, 'day')} a week · about "
        f"{request.session_minutes} minutes a session · equipment: {equipment} · pain now: "
        f"{pain} · conditions: {conditions}"
    )


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}{'' if number == 1 else 's'}"


def _label(label: str) -> str:
    return "Warm-up" if label == "warm-up" else label


def _session_table(
    session: Session, conditions: int = 1, poses: Mapping[str, Pose | None] | None = None
) -> Table:
    rows = []
    for label, item in session.labelled():
        dose = (item.dose.describe(), *([plain(item.dose.note)] if item.dose.note else []))
        name = _exercise_cell(item, conditions)
        cells = ((_label(label),), name, dose, (plain(item.key_cue),))
        rows.append(cells)
    return Table(
        title=f"Day {session.day} · about {session.minutes} min",
        header=("", "Exercise", "Dose", "Key cue"),
        rows=tuple(rows),
        figures=tuple((poses or {}).get(item.exercise.id) for _, item in session.labelled()),
    )


def _weeks_table(plan: Plan, day: int, poses: Mapping[str, Pose | None] | None = None) -> Table:
    """One day's exercises down, the weeks across; a cell says the dose, and what changed."""
    first = plan.weeks[0].sessions[day]
    rows = []
    conditions = len(plan.condition_rules)
    for position, (label, item) in enumerate(first.labelled()):
        cells: list[tuple[str, ...]] = [(_label(label),), _exercise_cell(item, conditions)]
        previous = item
        for week in plan.weeks:
            now = week.sessions[day].labelled()[position][1]
            lines = [now.dose.describe()]
            if now.exercise.id != previous.exercise.id:
                lines.insert(0, f"↑ {plain(now.exercise.name)}")
            elif week.number > 1 and now.dose == previous.dose:
                lines = ["same"]
            cells.append(tuple(lines))
            previous = now
        rows.append(tuple(cells))
    note = " ".join(client_text(line) for line in week_notes(plan, day))
    return Table(
        title=f"Day {first.day} · about {first.minutes} min in week 1",
        header=("", "Exercise", *(f"Week {w.number}" for w in plan.weeks)),
        rows=tuple(rows),
        kind="weeks",
        note=note,
        figures=tuple((poses or {}).get(item.exercise.id) for _, item in first.labelled()),
    )


LOG_HEADER = ("Session", "Date", "Done", "Pain during", "Pain after", "Next morning", "Notes")


def pain_log(plan: Plan) -> tuple[Table, ...]:
    """A sheet to fill in, like the training log: a table a week, a row a session."""
    return tuple(
        Table(
            title=f"Pain log · week {week.number}",
            header=LOG_HEADER,
            rows=tuple(
                ((f"Day {s.day}",), ("",), ("☐",), ("/10",), ("/10",), ("/10",), ("",))
                for s in week.sessions
            ),
            kind="log",
        )
        for week in plan.weeks
    )


def _plan_exercises(plan: Plan) -> list[str]:
    """The id of every distinct exercise in the plan, in the order they first appear, warm-up
    first."""
    seen: dict[str, None] = {}
    for week in plan.weeks:
        for session in week.sessions:
            for _, item in session.labelled():
                seen.setdefault(item.exercise.id)
    return list(seen)


# --- Card layout ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Style:
    size: float  # points added to the card's body size
    bold: bool
    colour: tuple[int, int, int]
    gap: float  # space above, in body lines
    inset: float = 0.0  # mm of tinted padding each side (the dose box)


INK, GREY, ACCENT, TINT = (31, 41, 51), (84, 92, 104), (15, 118, 110), (232, 244, 242)
ALERT, ALERT_TINT = (153, 27, 27), (254, 242, 242)  # the referral and the warning signs
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
MIN_POINTS = 8.0  # no text on paper is smaller than this
SIZES = (10.0, 9.5, 9.0, 8.5, 8.0)  # body sizes tried, largest first
STOP_POINTS = 9.0  # the stop line at the foot of every card: among the most legible text
LEADING = 1.22  # line height as a multiple of the font size
PT = 25.4 / 72  # mm in a point


def points(style: str, size: float) -> float:
    """The type size of a block's style at a card's body size, never below MIN_POINTS."""
    return max(MIN_POINTS, size + STYLES[style].size)


@dataclass(frozen=True)
class Block:
    text: str
    style: str = "body"
    marker: str = ""  # in bold in a hanging indent before the text: '1.', '•', 'Easier', a level
    hang: str = ""  # the widest marker of its group, which sets the indent


def card_blocks(card: Card) -> list[Block]:
    """A card from top to bottom. The stop line is the card's footer, not a block.

    A figure of the exercise belongs right after the meta line, before the dose: it is what a
    person reads first. A renderer that has one inserts it there (see `FIGURE_AFTER`)."""
    blocks = [
        Block(card.name, "title"),
        Block(f"· {card.step}", "meta", card.level, card.level),
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


FIGURE_AFTER = 2  # index in card_blocks after which a figure goes (after the title and meta)

Wrap = Callable[[Block, float], list[str]]  # a block's text broken into lines at a body size
_KEEP_WITH_NEXT = {"title", "label", "strong"}


def _keeps_with_next(block: Block) -> bool:
    return block.style in _KEEP_WITH_NEXT or block.marker == "Easier"


TIGHT = 0.5  # of the usual gaps between blocks: a card tightened to take its figure


def block_height(block: Block, lines: int, size: float, gaps: float = 1.0) -> float:
    """mm a block takes: its gap above (`gaps` times the usual), then its lines."""
    gap = STYLES[block.style].gap * size * LEADING * PT * gaps
    return gap + lines * points(block.style, size) * LEADING * PT


def layout_card(card: Card, wrap: Wrap, room: float) -> tuple[float, list[list[Block]]]:
    """The largest body size at which the whole card fits `room` mm; when it fits at none, the
    smallest size, and the card continues on as many further cards as it needs. Nothing is ever
    dropped or clipped: a caution cut off a card could be the one a person needed."""
    blocks = card_blocks(card)
    for size in SIZES:
        if _height(blocks, wrap, size) <= room:
            return size, [blocks]
    size = SIZES[-1]
    return size, continue_card(card, blocks, wrap, size, room)


def _height(blocks: Iterable[Block], wrap: Wrap, size: float) -> float:
    return sum(block_height(b, len(wrap(b, size)) or 1, size) for b in blocks)


MIN_LINES = 2  # of a block split between cards, on either card; of text on a continued card


def continue_card(
    card: Card,
    blocks: list[Block],
    wrap: Wrap,
    size: float,
    room: float,
    first_room: float | None = None,
) -> list[list[Block]]:
    """The card's blocks over as many faces as they need, each after the first headed
    '<name> (continued)'. The first face may be given less room (for a figure beside its top).

    No face holds a stray line: a block split between faces leaves at least MIN_LINES on each,
    and when the last face would hold fewer than MIN_LINES of text, the face before it gives
    up more."""
    rooms = {0: room if first_room is None else first_room}
    line = points("body", size) * LEADING * PT
    faces = _fill(card, blocks, wrap, size, lambda n: rooms.get(n, room))
    for _ in range(4 * MIN_LINES):  # each round moves at least a line: a few rounds suffice
        if len(faces) < 2:
            break
        short = MIN_LINES - sum(len(wrap(b, size) or [""]) for b in faces[-1][1:])
        if short <= 0:
            break
        giver = len(faces) - 2
        rooms[giver] = rooms.get(giver, room) - short * line
        faces = _fill(card, blocks, wrap, size, lambda n: rooms.get(n, room))
    return faces


def _fill(
    card: Card, blocks: list[Block], wrap: Wrap, size: float, room: Callable[[int], float]
) -> list[list[Block]]:
    """Blocks onto faces greedily, each face holding what its room allows."""
    head = [Block(f"{card.name} (continued)", "title")]
    faces: list[list[Block]] = []
    face: list[Block] = []
    used = 0.0
    queue = list(blocks)
    while queue:
        block = queue.pop(0)
        lines = wrap(block, size) or [""]
        limit = room(len(faces))
        if used + block_height(block, len(lines), size) <= limit:
            face.append(block)
            used += block_height(block, len(lines), size)
            continue
        line = points(block.style, size) * LEADING * PT
        fit = int((limit - used - block_height(block, 0, size)) // line)
        placed_any = len(face) > (len(head) if faces else 0)
        if placed_any:
            # Keep a paragraph's first and last lines in company: a split leaves at least
            # MIN_LINES on each face, or the whole block moves on.
            fit = min(fit, len(lines) - MIN_LINES)
            if fit < MIN_LINES or _keeps_with_next(block):
                fit = 0
        else:
            fit = max(fit, 1)  # a fresh card always takes something, so this always ends
        part = replace(block, text=" ".join(lines[:fit]))
        while fit > 1 and used + _height([part], wrap, size) > limit:
            fit -= 1  # the part re-wraps into more lines than it had in the whole: take fewer
            part = replace(block, text=" ".join(lines[:fit]))
        if fit > 0:
            face.append(part)
            if lines[fit:]:
                queue.insert(0, replace(block, text=" ".join(lines[fit:]), marker=""))
        else:
            queue.insert(0, block)
            # A heading never ends a card: it moves on with what it heads; so does 'Easier'
            # with 'Harder', the ladder read as one.
            while len(face) > 2 and _keeps_with_next(face[-1]) and face[-1].style != "title":
                queue.insert(0, face.pop())
        faces.append(face)
        face = list(head)
        used = _height(head, wrap, size)
    if len(face) > len(head):
        faces.append(face)
    return faces


def chunks(items: Sequence[T]) -> list[Sequence[T]]:
    """Four to a page."""
    return [items[i : i + CARDS_PER_PAGE] for i in range(0, len(items), CARDS_PER_PAGE)]
