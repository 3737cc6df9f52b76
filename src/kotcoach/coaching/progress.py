"""Progress from the training log: the coach's records made from the store's, and the weekly
figures, ladder steps, assessments and step-backs that `progress` and the report show.

Pure: store records in, plain data out. Stdlib and the domain only (no typer, rich, sqlite).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from typing import TYPE_CHECKING

from kotcoach.base.vocab import AREA_NAMED, Area
from kotcoach.coaching.coach import (
    Decision,
    Kind,
    Logged,
    Mornings,
    Person,
    Replay,
    decide,
    ladder_facts,
    referral_text,
    referrals,
    with_condition_areas,
)
from kotcoach.coaching.facts import logged_of, programme_prescription
from kotcoach.coaching.load import LoadSeries, load_series
from kotcoach.coaching.stages import Staged, staged_from
from kotcoach.store.records import (
    Assessment,
    Checkin,
    EntryLog,
    Programme,
    Score,
)

if TYPE_CHECKING:
    from kotcoach.catalogue.ladders import Index
    from kotcoach.coaching.scores import Scoring

# --- progress ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Week:
    start: date  # the Monday
    pain_during: float | None  # the average over the exercises logged that week
    mornings: dict[Area, float]  # the average next-morning pain per area
    done: int  # days trained
    planned: int | None  # None for the week not over yet, and without a programme


@dataclass(frozen=True)
class LadderSteps:
    first_id: str
    name: str
    steps: tuple[str, ...]
    points: tuple[tuple[date, int], ...]  # (day, 1-based step) each time it changed

    @property
    def reached(self) -> int:
        return max((step for _, step in self.points), default=0)

    @property
    def current(self) -> int:
        return self.points[-1][1] if self.points else 0


@dataclass(frozen=True)
class Event:
    """A step back or a stop as the coach gave it, or a run of them on consecutive decisions
    of one ladder: from `day` to `until`, `count` decisions in a row, with the first's reason."""

    day: date
    exercise_id: str
    kind: Kind
    reason: str
    name: str = ""
    until: date | None = None
    count: int = 1

    @property
    def last(self) -> date:
        return self.until or self.day

    @property
    def length(self) -> str:
        """'1 day', or '3 decisions over 9 days'."""
        days = (self.last - self.day).days + 1
        if self.count == 1:
            return "1 day"
        return f"{self.count} in a row over {days} days"


@dataclass(frozen=True)
class ExerciseProgress:
    """One ladder as the report shows it: what is done now, sessions done against planned in
    the whole weeks counted, and the dose over time."""

    first_id: str
    ladder: str  # the ladder's name (its first step's)
    name: str  # the step done last
    step: int
    steps: int
    done: int
    planned: int | None
    dose: tuple[tuple[date, float], ...]  # weekly average of the work a session (reps, s, min)
    unit: str
    downs: int
    pauses: int


@dataclass(frozen=True)
class Progress:
    first: date | None
    last: date | None
    weeks: tuple[Week, ...]
    ladders: tuple[LadderSteps, ...]
    assessments: dict[str, tuple[Assessment, ...]]
    events: tuple[Event, ...]
    referral: str | None
    area: Area | None = None
    days_done: int = 0  # in the whole weeks counted
    days_planned: int | None = None
    areas: tuple[Area, ...] = field(default=())
    loads: tuple[LoadSeries, ...] = field(default=())  # loaded exercises, kg per rep over time
    stages: tuple[Staged, ...] = field(default=())  # each staged condition's stage reached
    today: date | None = None
    whole_weeks: int = 0
    counted_to: date | None = None  # the last day counted: the Sunday before `today`'s week
    this_week: int = 0  # days trained in the week not over yet
    exercises: tuple[ExerciseProgress, ...] = ()
    scores: dict[str, tuple[Scoring, ...]] = field(default_factory=dict)

    @property
    def adherence(self) -> float | None:
        if not self.days_planned:
            return None
        return min(1.0, self.days_done / self.days_planned)

    @property
    def days_trained(self) -> str:
        """'12 days of 15 planned (80 %) in 5 whole weeks to 2026-11-29; 2 days this week so
        far': the terminal and the report both say it. Only whole weeks count against the plan,
        so the figure does not move with the weekday it is read on."""
        if self.counted_to is None:
            text = f"{_days(self.this_week)} this week so far (no whole week yet)"
            return text
        text = f"{_days(self.days_done)}"
        if self.days_planned:
            share = round(100 * (self.adherence or 0))
            text += f" of {self.days_planned} planned ({share} %)"
        weeks = f"{self.whole_weeks} whole week{'s' if self.whole_weeks != 1 else ''}"
        text += f" in {weeks} to {self.counted_to.isoformat()}"
        if self.this_week:
            text += f"; {_days(self.this_week)} this week so far"
        return text


def _days(n: int) -> str:
    return f"{n} {'day' if n == 1 else 'days'}"


def monday(day: date) -> date:
    return day - timedelta(days=day.weekday())


def build_progress(
    index: Index,
    logs: Sequence[EntryLog],
    checkins: Sequence[Checkin],
    assessments: Sequence[Assessment],
    programme: Programme | None,
    person: Person,
    today: date,
    area: Area | None = None,
    score_records: Sequence[Score] = (),
) -> Progress:
    """Everything `progress` shows, from the log up to `today` (later entries are left out),
    as of `today`. With `area`, only the exercises that load it and its check-ins."""
    known = [log for log in logs if log.exercise in index.by_id and log.date <= today]
    # Days trained count what was logged, whatever the catalogue in use knows of it; only the
    # ladders (and an area's filter) need the catalogue's exercises.
    counted = [log for log in logs if log.date <= today]
    if area is not None:
        known = [log for log in known if area in index.by_id[log.exercise].areas]
        counted = known
    sessions = [s for s in (logged_of(log) for log in known) if s is not None]
    morning_records = [c for c in checkins if c.date <= today and c.area in AREA_NAMED]
    if area is not None:
        morning_records = [c for c in morning_records if c.area == area]
    mornings = Mornings(morning_records)
    from kotcoach.coaching.scores import scorings  # the report's, not the coach's: lazily

    scored = scorings([r for r in score_records if r.date <= today])
    dates = [log.date for log in counted] + [c.date for c in morning_records]
    dates += [s.day for history in scored.values() for s in history]
    first = min(dates, default=None)
    last = max(dates, default=None)
    per_week = _planned_per_week(programme)
    weeks = _weeks(counted, morning_records, first, today, per_week) if first else []
    this_monday = monday(today)
    whole = [w for w in weeks if w.start < this_monday]
    counted_to = this_monday - timedelta(days=1) if whole else None
    days_done = sum(w.done for w in whole)
    days_planned = sum(w.planned or 0 for w in whole) if per_week else None
    this_week = weeks[-1].done if weeks and weeks[-1].start == this_monday else 0
    ladders, events = _ladders_and_events(index, sessions, mornings, person, programme, today)
    found = referrals(mornings, person, today)
    if area is not None:
        found = [r for r in found if r.area is area]
    tests: dict[str, list[Assessment]] = {}
    for result in assessments:
        if result.date <= today:
            tests.setdefault(result.test, []).append(result)
    exercises = _exercises(index, known, ladders, events, programme, whole, per_week)
    return Progress(
        first=first,
        last=last,
        weeks=tuple(weeks),
        ladders=tuple(ladders),
        assessments={test: tuple(results) for test, results in tests.items()},
        events=tuple(events),
        referral=referral_text(found),
        area=area,
        days_done=days_done,
        days_planned=days_planned,
        areas=tuple(a for a in Area if a in mornings.areas),
        loads=tuple(load_series([(log.date, log.exercise, log.load_kg) for log in known])),
        stages=tuple(staged_from(index, person.conditions, logs, checkins, assessments, today)),
        today=today,
        whole_weeks=len(whole),
        counted_to=counted_to,
        this_week=this_week,
        exercises=tuple(exercises),
        scores={key: tuple(value) for key, value in scored.items()},
    )


def summary_lines(progress: Progress) -> list[str]:
    """The report's and the terminal's first lines, answering "is it working?": each area's
    next-morning pain and the pain during exercise, first week to latest; each score, first to
    latest, against the change that matters; and the days trained against the plan."""
    from kotcoach.coaching.scores import INSTRUMENTS, change

    lines = []
    for area in progress.areas:
        weekly = [(w.start, w.mornings[area]) for w in progress.weeks if area in w.mornings]
        lines.append(_pain_line(f"{str(area).capitalize()} pain, next morning", weekly))
    during = [(w.start, w.pain_during) for w in progress.weeks if w.pain_during is not None]
    if during:
        lines.append(_pain_line("Pain during exercise", during))
    for instrument_id, history in progress.scores.items():
        found = change(history)
        if found is not None:
            lines.append(found.sentence())
        elif history:
            i = INSTRUMENTS[instrument_id]
            lines.append(
                f"{i.short} {i.points(history[0].total)} on {history[0].day.isoformat()}: one "
                "scoring so far, score again to see the change"
            )
    lines.append(f"Trained: {progress.days_trained}")
    return lines


def _pain_line(what: str, weekly: Sequence[tuple[date, float]]) -> str:
    (start, first), (end, last) = weekly[0], weekly[-1]
    weeks = (end - start).days // 7 + 1  # weeks 1 to 6 are six weeks of scores
    if weeks == 1:
        return f"{what}: {_score(first)}/10 (week of {start.isoformat()}, weekly average)"
    trend = "down" if last < first else "up" if last > first else "the same"
    return (
        f"{what}: {_score(first)} → {_score(last)}/10 over {weeks} week{'s' if weeks > 1 else ''}"
        f" ({trend}; weekly averages, weeks of {start.isoformat()} and {end.isoformat()})"
    )


def _score(value: float) -> str:
    return f"{value:.1f}".removesuffix(".0")


def _planned_per_week(programme: Programme | None) -> int | None:
    if programme is None or not programme.sessions:
        return None
    last_week = programme.sessions[-1].week
    return sum(1 for s in programme.sessions if s.week == last_week)


def _ladder_per_week(index: Index, programme: Programme | None) -> dict[str, int]:
    """How many sessions of the programme's last week have each ladder."""
    if programme is None or not programme.sessions:
        return {}
    last_week = programme.sessions[-1].week
    found: dict[str, int] = {}
    for session in programme.sessions:
        if session.week != last_week:
            continue
        ladders = set()
        for planned in session.exercises:
            if planned.id in index.by_id:
                ladders.add(index.ladder_of(planned.id).first.id)
        for ladder in ladders:
            found[ladder] = found.get(ladder, 0) + 1
    return found


def _weeks(
    logs: Sequence[EntryLog],
    morning_records: Sequence[Checkin],
    first: date,
    today: date,
    per_week: int | None,
) -> list[Week]:
    during: dict[date, list[int]] = {}
    trained: dict[date, set[date]] = {}
    mondays: dict[date, date] = {}  # years of log: a dozen entries a day
    for log in logs:
        week = mondays.get(log.date)
        if week is None:
            week = mondays[log.date] = monday(log.date)
        if log.pain_during is not None:
            during.setdefault(week, []).append(log.pain_during)
        if log.done:
            trained.setdefault(week, set()).add(log.date)
    morning: dict[date, dict[Area, list[int]]] = {}
    for record in morning_records:
        area = AREA_NAMED[record.area]  # the caller kept only the areas there are
        morning.setdefault(monday(record.date), {}).setdefault(area, []).append(record.pain)
    weeks = []
    start = monday(first)
    end = monday(max(today, first))
    while start <= end:
        scores = during.get(start)
        planned = None
        if per_week is not None and start < monday(today):
            # The first week counts only the days from the first entry on.
            planned = min(per_week, 7 - (first - start).days) if start < first else per_week
        weeks.append(
            Week(
                start=start,
                pain_during=sum(scores) / len(scores) if scores else None,
                mornings={a: sum(v) / len(v) for a, v in morning.get(start, {}).items()},
                done=len(trained.get(start, ())),
                planned=planned,
            )
        )
        start += timedelta(days=7)
    return weeks


def _exercises(
    index: Index,
    logs: Sequence[EntryLog],
    ladders: Sequence[LadderSteps],
    events: Sequence[Event],
    programme: Programme | None,
    whole: Sequence[Week],
    per_week: int | None,
) -> list[ExerciseProgress]:
    per_ladder = _ladder_per_week(index, programme)
    counted = {w.start for w in whole}
    planned_days = {w.start: w.planned or 0 for w in whole}
    firsts: dict[str, str] = {}
    done_days: dict[str, set[date]] = {}
    work: dict[str, dict[date, list[int]]] = {}
    units: dict[str, str] = {}
    for log in logs:
        if not log.done:
            continue
        first_id = firsts.get(log.exercise)
        if first_id is None:
            first_id = firsts[log.exercise] = index.ladder_of(log.exercise).first.id
        week = monday(log.date)
        if week in counted:
            done_days.setdefault(first_id, set()).add(log.date)
        work.setdefault(first_id, {}).setdefault(week, []).append(sum(log.done))
        if log.measure:
            units.setdefault(first_id, _UNIT_WORDS.get(log.measure, log.measure))
    runs: dict[str, list[Event]] = {}
    for event in events:
        runs.setdefault(index.ladder_of(event.exercise_id).first.id, []).append(event)
    found = []
    for ladder in ladders:
        weekly = per_ladder.get(ladder.first_id)
        planned = None
        if weekly is not None and per_week:
            planned = sum(min(weekly, days) for days in planned_days.values())
        mine = runs.get(ladder.first_id, [])
        now = ladder.steps[ladder.current - 1] if ladder.current else ladder.first_id
        found.append(
            ExerciseProgress(
                first_id=ladder.first_id,
                ladder=ladder.name,
                name=index.exercise(now).name,
                step=ladder.current,
                steps=len(ladder.steps),
                done=len(done_days.get(ladder.first_id, ())),
                planned=planned,
                dose=tuple(
                    (week, sum(v) / len(v))
                    for week, v in sorted(work.get(ladder.first_id, {}).items())
                ),
                unit=units.get(ladder.first_id, "reps"),
                downs=sum(e.count for e in mine if e.kind is Kind.DOWN),
                pauses=sum(e.count for e in mine if e.kind is not Kind.DOWN),
            )
        )
    return found


_UNIT_WORDS = {"reps": "reps", "hold_seconds": "s", "minutes": "min"}


def _ladders_and_events(
    index: Index,
    sessions: Sequence[Logged],
    mornings: Mornings,
    person: Person,
    programme: Programme | None,
    today: date,
) -> tuple[list[LadderSteps], list[Event]]:
    person = with_condition_areas(index, person)
    by_ladder: dict[str, list[Logged]] = {}
    firsts: dict[str, str] = {}
    for session in sessions:
        exercise = session.exercise_id
        if exercise not in firsts:
            firsts[exercise] = index.ladder_of(exercise).first.id
        by_ladder.setdefault(firsts[exercise], []).append(session)
    ladders, events = [], []
    for first_id in by_ladder:  # in the order first trained
        ladder = index.ladder_of(first_id)
        ids = tuple(step.id for step in ladder.steps)
        mine = sorted(by_ladder[first_id], key=lambda s: s.day)
        points: list[tuple[date, int]] = []
        for session in mine:
            step = ids.index(session.exercise_id) + 1
            if not points or points[-1][1] != step:
                points.append((session.day, step))
        ladders.append(LadderSteps(first_id, ladder.first.name, ids, tuple(points)))
        planned = programme_prescription(index, programme, first_id)
        facts = ladder_facts(index, first_id, person)
        steps_back, days = Replay(
            facts, first_id, mine, mornings, person, planned, morning_is_pain_now=True
        ).steps_back()
        found = [(position, day, decision) for position, day, decision in steps_back]
        # What the coach says now, after the last session, counts too: as the next position.
        now = replace(person, pain_now={**person.pain_now, **mornings.day(today)})
        decision = decide(facts, first_id, mine, mornings, now, today, planned)
        if decision.kind in STEPS_BACK:
            found.append((days, today, decision))
        events += _runs(index, found)
    events.sort(key=lambda e: e.day)
    return ladders, events


# The decisions the report lists: a step back, and the stop (issue 20 names it "pause").
STEPS_BACK = frozenset(kind for kind in Kind if kind.value in ("down", "stop", "pause"))


def _runs(index: Index, found: Sequence[tuple[int, date, Decision]]) -> list[Event]:
    """Decisions of one kind on consecutive positions of a ladder's replay, as one event each:
    three days of "stop" in a row are one row with its length, not three (nor only the first)."""
    runs: list[Event] = []
    last_position = -2
    for position, day, decision in found:
        previous = runs[-1] if runs else None
        if (
            previous is not None
            and position == last_position + 1
            and previous.kind is decision.kind
        ):
            runs[-1] = replace(previous, until=day, count=previous.count + 1)
        else:
            name = index.exercise(decision.exercise_id).name
            runs.append(Event(day, decision.exercise_id, decision.kind, decision.reason, name))
        last_position = position
    return runs


# --- assessments ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Test:
    """A test a person can do at home to see a benefit change: how, and what the numbers mean.

    `error` is the test's known repeat error in its unit (a change this small may be noise),
    with `error_source` naming where it comes from; None where no figure is known."""

    id: str
    name: str
    unit: str
    sided: bool
    high: float  # the largest believable value
    how: str
    meaning: str
    error: float | None = None
    error_source: str | None = None


# A side more than this far behind the other (as a share of the stronger side) is flagged: the
# edge return-to-sport criteria commonly use for hop tests, borrowed here. kotcoach's own rule.
SYMMETRY_FLAG = 90.0
# With no known test error, a fall of more than this share between two tests is a sudden loss:
# kotcoach's own rule.
SUDDEN_LOSS_SHARE = 0.2
SUDDEN_LOSS_DAYS = 42  # a loss between tests at most six weeks apart counts as sudden

CALF_RAISE_HOW = (
    "Set up as the published norms were collected (Hébert-Losier 2017): stand on one leg on a "
    "10° incline (a wedge or slant board, toes up the slope; on flat ground the count is not "
    "comparable with the norms), fingertips on a wall at shoulder height for balance only. Keep "
    "the knee straight and the body upright, no leaning forward. Rise as high as you can and "
    "lower, one rise every two seconds (a metronome at 60: up on one beat, down on the next). "
    "Stop when you can no longer rise as high, keep the pace, keep the knee straight or the "
    "trunk still, or need more than fingertips on the wall. Count the full rises. Each side, "
    "with a rest between."
)

TESTS: dict[str, Test] = {
    test.id: test
    for test in (
        Test(
            "knee-to-wall",
            "Knee to wall (ankle bend)",
            "cm",
            True,
            30,
            "Face a wall barefoot, one foot in front pointing at it. Keep the heel down and bend "
            "the knee until it touches the wall. Slide the foot back until the knee only just "
            "touches with the heel still down, and measure from the big toe to the wall. Each "
            "side.",
            "More centimetres means the ankle bends further (more dorsiflexion), which lets the "
            "knee travel over the toes with the heel down. Compare with your own earlier "
            "results and left with right.",
            error=1.9,
            error_source="Powden 2015, one clinician measuring twice",
        ),
        Test(
            "calf-raise",
            "Single-leg calf raise to fatigue",
            "reps",
            True,
            200,
            CALF_RAISE_HOW,
            "More reps means more calf endurance. In the norms (566 healthy adults, 10° "
            "incline) the median was 24 reps for men and 21 for women, fewer with age; compare "
            "with your own earlier results and left with right first.",
            error=6,
            error_source="Hébert-Losier 2017, the same person a week apart",
        ),
        Test(
            "tib-raise",
            "Tibialis raise to fatigue",
            "reps",
            False,
            300,
            "Lean your back on a wall with the heels about a foot's length out, legs straight. "
            "Lift the toes and the front of the feet towards the shins as far as they go, and "
            "lower. Count the reps until the range starts to shrink.",
            "More reps means more endurance in the muscles at the front of the shin. Compare "
            "with your own earlier results.",
        ),
    )
}


def judge(test: Test, history: Sequence[Assessment]) -> tuple[str, ...]:
    """What a clinician would say of the latest results: the two sides compared (limb symmetry
    index), each side's change since the test before, read against the test's known error, and
    any sudden loss. Plain sentences, worst news first."""
    days: dict[date, dict[str | None, float]] = {}
    for result in sorted(history, key=lambda a: a.date):
        days.setdefault(result.date, {})[result.side] = result.value
    if not days:
        return ()
    warnings: list[str] = []
    notes: list[str] = []
    latest_day = max(days)
    latest = days[latest_day]
    error = _error_text(test)
    sides: tuple[str | None, ...] = ("left", "right") if test.sided else (None,)
    for side in sides:
        earlier = [(d, v[side]) for d, v in days.items() if d < latest_day and side in v]
        if side not in latest or not earlier:
            continue
        was_day, was = earlier[-1]
        now = latest[side]
        label = f"{side}: " if side else ""
        change = now - was
        span = (latest_day - was_day).days
        threshold = test.error if test.error is not None else SUDDEN_LOSS_SHARE * was
        if -change > threshold and span <= SUDDEN_LOSS_DAYS:
            where = "more than the test's error" if test.error is not None else "a fifth or more"
            warnings.append(
                f"Sudden loss, {label}{was:g} to {now:g} {test.unit} in {span} days, {where}. "
                "Ease back, and see a physiotherapist if it came with pain, swelling or an injury."
            )
        elif test.error is not None and abs(change) <= test.error:
            notes.append(
                f"{label.capitalize()}{was:g} to {now:g} {test.unit}: within the test's error "
                f"({error}), so not yet a real change."
            )
        else:
            notes.append(f"{label.capitalize()}{was:g} to {now:g} {test.unit} since {was_day}.")
    if test.sided and "left" in latest and "right" in latest:
        left, right = latest["left"], latest["right"]
        stronger = max(left, right)
        index = 100.0 if stronger == 0 else min(left, right) / stronger * 100
        behind = "left" if left < right else "right"
        line = f"Limb symmetry {index:.0f} % (the weaker side as a share of the stronger)"
        gap = abs(left - right)
        if index < SYMMETRY_FLAG and (test.error is None or gap > test.error):
            warnings.append(
                f"{line}: the {behind} side is behind by more than {100 - SYMMETRY_FLAG:g} % "
                "(kotcoach's own threshold, borrowed from return-to-sport hop tests). Work the "
                f"{behind} side, and see a physiotherapist if it follows an injury or hurts."
            )
        elif index < SYMMETRY_FLAG:
            notes.append(f"{line}: a gap within the test's error ({error}), not a clear one.")
        else:
            notes.append(f"{line}: the sides are close.")
    return (*warnings, *notes)


def _error_text(test: Test) -> str:
    if test.error is None:
        return "not known"
    return f"about ±{test.error:g} {test.unit}, {test.error_source}"


def check_result(test: Test, value: float, side: str | None = None) -> float:
    """A believable result, or a UsageError naming it (exit 2)."""
    from kotcoach.base.errors import UsageError

    where = f"--{side}" if side else test.id
    if not 0 <= value <= test.high:
        raise UsageError(f"{where} must be 0 to {test.high:g} {test.unit}, not {value:g}")
    return round(value, 1)
