"""What the training log holds, as plain frozen dataclasses, and the rules every value obeys.

Stdlib only. The store returns these; the CLI, the guided session and the coach read them. The
checks here are the single source of the limits: the store enforces them on every write and the
CLI's messages come from them (a `UsageError`, exit 2, naming the bad value).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any, NamedTuple

from kotcoach.base.errors import UsageError

# The largest believable value of each count. Anything above is a typing slip (an extra zero),
# not training, and is refused rather than stored.
MAX_SETS = 20
MAX_REPS = 500
MAX_HOLD_SECONDS = 3600
MAX_MINUTES = 600
MAX_LOAD_KG = 500.0  # per rep: more than any dumbbell, sled or leg press a person logs here
PAIN_RANGE = (0, 10)
EARLIEST_DATE = dt.date(2000, 1, 1)
PROFILE_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,39}$")
MAX_NOTE = 500
MAX_TEXT = 120  # a profile's "for" and "clinic" lines
DEFAULT_PROFILE = "default"


class Status(StrEnum):
    """How an exercise of a session ended."""

    DONE = "done"  # sets were done (also while the exercise is still going)
    SKIPPED = "skipped"  # passed over on purpose
    STOPPED = "stopped"  # stopped for today: pain during went above 5/10


def check_pain(value: int, what: str = "pain") -> int:
    """A 0-10 pain (or stiffness) score, or a UsageError naming the value."""
    low, high = PAIN_RANGE
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise UsageError(f"{what} must be a whole number from {low} to {high}, not {value!r}")
    return value


def check_checkin(pain: Mapping[str, int], stiffness: Mapping[str, int]) -> None:
    """A check-in's scores: known areas, 0-10, and no stiffness without the area's pain."""
    from kotcoach.base.vocab import AREA_NAMED, Area

    if not pain:
        raise UsageError("a check-in needs the pain in at least one area")
    for area, score in [*pain.items(), *stiffness.items()]:
        if area not in AREA_NAMED:
            raise UsageError(f"unknown area '{area}' (valid: {', '.join(Area)})")
        check_pain(score, f"{area} score")
    extra = sorted(set(stiffness) - set(pain))
    if extra:
        raise UsageError(f"stiffness given for {', '.join(extra)} without its pain: give both")


def check_count(value: int, what: str, high: int, low: int = 1) -> int:
    """A count of sets, reps, seconds or minutes inside its believable range."""
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise UsageError(f"{what} must be a whole number from {low} to {high}, not {value!r}")
    return value


def check_load(value: float, what: str = "--load") -> float:
    """A load in kg per rep, 0 (body weight only) to 500, rounded to 0.01 kg."""
    import math

    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise UsageError(f"{what} must be a number of kg, not {value!r}")
    if not 0 <= value <= MAX_LOAD_KG:
        raise UsageError(f"{what} must be from 0 to {MAX_LOAD_KG:g} kg, not {value:g}")
    return round(float(value), 2)


def describe_kg(value: float) -> str:
    """20, 22.5, 1.25: a load as people write it."""
    return f"{value:.2f}".rstrip("0").rstrip(".")


def check_date(value: dt.date, today: dt.date, what: str = "date") -> dt.date:
    """A training date: not in the future and not before 2000."""
    if value > today:
        raise UsageError(f"{what} {value.isoformat()} is in the future (today is {today})")
    if value < EARLIEST_DATE:
        raise UsageError(f"{what} {value.isoformat()} is before {EARLIEST_DATE.isoformat()}")
    return value


def parse_date(text: str, today: dt.date, what: str = "--date") -> dt.date:
    """'YYYY-MM-DD' into a date, refusing malformed, impossible and future dates."""
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", text.strip()):
        raise UsageError(f"{what} '{text}' must look like YYYY-MM-DD, e.g. {today.isoformat()}")
    try:
        value = dt.date.fromisoformat(text.strip())
    except ValueError:
        raise UsageError(f"{what} '{text}' is not a real date") from None
    return check_date(value, today, what)


def check_profile_name(name: str) -> str:
    """Profile names are short and filename-safe: letters, digits, '.', '_' and '-'."""
    if not PROFILE_NAME.fullmatch(name):
        raise UsageError(
            f"profile name '{name}' must be 1-40 letters, digits, '.', '_' or '-', "
            "starting with a letter or digit"
        )
    return name


def check_text(value: str | None, what: str, limit: int = MAX_NOTE) -> str | None:
    """Free text: one line, at most `limit` characters; empty means none."""
    if value is None:
        return None
    value = value.strip()
    if "\n" in value or "\r" in value:
        raise UsageError(f"{what} must be one line")
    if "\x00" in value:
        raise UsageError(f"{what} must not hold a NUL character")
    if len(value) > limit:
        raise UsageError(f"{what} is {len(value)} characters; the limit is {limit}")
    return value or None


@dataclass(frozen=True)
class Amount:
    """What one set measures: exactly one of reps, a hold in seconds, or minutes of work."""

    reps: int | None = None
    hold_seconds: int | None = None
    minutes: int | None = None

    def __post_init__(self) -> None:
        given = [
            (name, value, high)
            for name, value, high in (
                ("reps", self.reps, MAX_REPS),
                ("hold seconds", self.hold_seconds, MAX_HOLD_SECONDS),
                ("minutes", self.minutes, MAX_MINUTES),
            )
            if value is not None
        ]
        if len(given) != 1:
            raise UsageError("give exactly one of reps, hold seconds or minutes")
        name, value, high = given[0]
        check_count(value, name, high)

    @property
    def value(self) -> int:
        for measure in (self.reps, self.hold_seconds, self.minutes):
            if measure is not None:
                return measure
        raise AssertionError("unreachable: __post_init__ requires one measure")

    @property
    def measure(self) -> str:
        """'reps', 'hold_seconds' or 'minutes'."""
        if self.reps is not None:
            return "reps"
        return "hold_seconds" if self.hold_seconds is not None else "minutes"

    @property
    def timed(self) -> bool:
        return self.reps is None

    @property
    def seconds(self) -> int:
        """The countdown a timed amount runs for."""
        if self.minutes is not None:
            return self.minutes * 60
        return self.hold_seconds or 0

    def with_value(self, value: int) -> Amount:
        """The same measure with another number, e.g. 12 reps instead of the target 15."""
        return Amount(**{self.measure: value})

    def count_held(self, seconds: float) -> int:
        """What a timed amount stopped early after `seconds` comes to, in its own unit (0: less
        than one second, or than half a minute)."""
        if self.minutes is not None:
            return round(seconds / 60)
        return int(seconds)

    def describe(self) -> str:
        """As a dose writes it after its sets: the 15 of '3 × 15', '45 s', '10 min'."""
        if self.minutes is not None:
            return f"{self.minutes} min"
        if self.hold_seconds is not None:
            return f"{self.hold_seconds} s"
        return str(self.reps)

    def describe_alone(self) -> str:
        """Standing alone, reps named too: '15 reps', '1 rep', '45 s', '10 min'."""
        if self.reps is not None:
            return f"{self.reps} rep{'s' if self.reps != 1 else ''}"
        return self.describe()


@dataclass(frozen=True)
class Target:
    """What the programme asked for: sets of an amount, maybe per side. Mirrors a catalogue Dose."""

    sets: int
    amount: Amount
    per_side: bool = False

    def __post_init__(self) -> None:
        check_count(self.sets, "target sets", MAX_SETS)

    @classmethod
    def from_dose(cls, dose: Mapping[str, Any]) -> Target:
        """From a dose as JSON (`dose_detail`: sets, reps | hold_seconds | minutes, per_side)."""
        return cls(
            sets=int(dose["sets"]),
            amount=Amount(dose.get("reps"), dose.get("hold_seconds"), dose.get("minutes")),
            per_side=bool(dose.get("per_side", False)),
        )

    def describe(self) -> str:
        """'3 × 15', '5 × 45 s', '1 × 10 min', with ' per side' when it applies."""
        return f"{self.sets} × {self.amount.describe()}" + (" per side" if self.per_side else "")


@dataclass(frozen=True)
class SetLog:
    """One set as done. `number` counts from 1 within its exercise in its session."""

    number: int
    amount: Amount
    logged_at: str  # ISO 8601 UTC timestamp of when it was written
    load_kg: float | None = None  # kg per rep (per hand where the catalogue says); None: not logged


@dataclass(frozen=True)
class ExerciseLog:
    """One exercise in one logged session: its target, the sets done, and the pain during it."""

    session_id: int
    date: dt.date
    exercise: str
    name: str
    target: Target | None
    sets: tuple[SetLog, ...]
    pain_during: int | None
    status: Status
    note: str | None = None

    def describe_done(self) -> str:
        """The sets done, compactly: '3 × 15', '2 × 15 + 1 × 12', or the status when none."""
        if not self.sets:
            return self.status.value if self.status is not Status.DONE else "no sets yet"
        groups: list[tuple[int, Amount, float | None]] = []
        for one in self.sets:
            if groups and groups[-1][1:] == (one.amount, one.load_kg):
                groups[-1] = (groups[-1][0] + 1, one.amount, one.load_kg)
            else:
                groups.append((1, one.amount, one.load_kg))
        return " + ".join(
            f"{count} × {amount.describe()}"
            + (f" at {describe_kg(load)} kg" if load is not None else "")
            for count, amount, load in groups
        )

    @property
    def load_kg(self) -> float | None:
        """The load of the last set that has one (None: no load logged)."""
        return next((s.load_kg for s in reversed(self.sets) if s.load_kg is not None), None)


class EntryLog(NamedTuple):
    """One logged exercise as `progress` reads years of them: what `ExerciseLog` says, with each
    set reduced to its amount (a tuple is cheap to make tens of thousands of times)."""

    date: dt.date
    exercise: str
    target: Target | None
    done: tuple[int, ...]  # each set's reps, seconds or minutes, in order
    measure: str | None  # the first set's: "reps", "hold_seconds" or "minutes"; None: no sets
    pain_during: int | None
    status: Status
    load_kg: float | None = None  # the last set's load, kg per rep; None: not logged


@dataclass(frozen=True)
class SessionLog:
    """One logged session: its date, which programme session it was, and its exercises."""

    id: int
    date: dt.date
    slot: int | None  # 0-based position in the programme; None when logged outside one
    pain_after: int | None
    note: str | None
    exercises: tuple[ExerciseLog, ...]


@dataclass(frozen=True)
class Checkin:
    """A next-morning check-in for one area: pain and stiffness, 0-10."""

    date: dt.date
    area: str
    pain: int
    stiffness: int | None = None


@dataclass(frozen=True)
class Assessment:
    """A test result (issue 11): e.g. a knee-to-wall distance or a single-leg balance time."""

    date: dt.date
    test: str
    side: str | None
    value: float


@dataclass(frozen=True)
class Score:
    """One item of a patient-reported score on a day: a PSFS activity and its 0-10 rating."""

    date: dt.date
    instrument: str
    item: str
    value: float


@dataclass(frozen=True)
class Profile:
    """A person training: their saved plan defaults and the lines their handouts carry."""

    name: str
    level: str | None = None
    days: int | None = None
    minutes: int | None = None
    equipment: tuple[str, ...] = ()
    conditions: tuple[str, ...] = ()
    goals: tuple[str, ...] = ()
    handout_for: str | None = None  # "for: Sam" on handouts
    clinic: str | None = None  # the clinic or coach named on handouts
    age: int | None = None  # at 65 or over, plans add support and leave out hops
    fell_last_year: bool = False  # likewise after a fall in the last year


@dataclass(frozen=True)
class PlannedExercise:
    """One exercise of a saved programme's session, as `today` shows it."""

    id: str
    name: str
    dose: str  # as a coach writes it: '3 × 15 per side'
    dose_detail: dict[str, Any]  # sets, reps | hold_seconds | minutes, per_side, rest_seconds...
    key_cue: str
    warm_up: bool = False
    # What the plan changed for pain now or a condition, as the planner wrote it: `today` and
    # the session show it on the exercise's row (coaching.wording.row_note).
    changes: tuple[str, ...] = ()
    cautions: tuple[str, ...] = ()

    @property
    def target(self) -> Target:
        return Target.from_dose(self.dose_detail)


@dataclass(frozen=True)
class PlannedSession:
    """One session of a programme. `slot` counts sessions from 0 across all its weeks."""

    slot: int
    week: int
    day: int
    minutes: int
    exercises: tuple[PlannedExercise, ...]

    def exercise(self, exercise_id: str) -> PlannedExercise | None:
        return next((e for e in self.exercises if e.id == exercise_id), None)


@dataclass(frozen=True)
class Programme:
    """A saved plan: the request that made it and the plan as JSON (`serialise.plan_json`).

    Sessions run in order through every week; after the last, the last week repeats, so
    `session(slot)` answers for any slot.
    """

    id: int
    profile: str
    created: str
    request: dict[str, Any]
    plan: dict[str, Any]
    sessions: tuple[PlannedSession, ...] = field(repr=False)

    def session(self, slot: int) -> PlannedSession:
        count = len(self.sessions)
        if slot < count:
            base = self.sessions[slot]
        else:
            last_week = self.sessions[-1].week
            week = [s for s in self.sessions if s.week == last_week]
            base = week[(slot - count) % len(week)]
        return PlannedSession(slot, base.week, base.day, base.minutes, base.exercises)


@dataclass(frozen=True)
class Today:
    """What to do today: the next session of the programme and what is logged of it so far.

    `session_id` is the stored session for this date and slot, once a set of it is written;
    `done` maps exercise ids of that session to what is logged. `checkin_missing` is the date of
    yesterday's session when it has no next-morning check-in yet.
    """

    profile: str
    date: dt.date
    programme: Programme
    session: PlannedSession
    session_id: int | None
    done: dict[str, ExerciseLog]
    checkin_missing: dt.date | None

    @property
    def slot(self) -> int:
        return self.session.slot

    @property
    def remaining(self) -> tuple[PlannedExercise, ...]:
        """The exercises not finished yet: no set logged, or some of their sets still to do
        (and neither skipped nor stopped for pain)."""
        return tuple(e for e in self.session.exercises if self.sets_left(e) > 0)

    def sets_left(self, exercise: PlannedExercise) -> int:
        """How many of the exercise's prescribed sets are still to do today (0: finished)."""
        return sets_left(exercise, self.done.get(exercise.id))


def sets_left(exercise: PlannedExercise, log: ExerciseLog | None) -> int:
    """The sets of a planned exercise still to do, given what is logged of it in the session.

    An exercise is finished once all its prescribed sets are logged, or it was skipped or
    stopped for pain; a set logged short of its reps still counts as a set done. The prescription
    is the target stored with the log (what the person was asked that day, after the coach's
    changes), else the programme's."""
    if log is None:
        return exercise.target.sets
    if log.status is not Status.DONE:
        return 0
    target = log.target or exercise.target
    return max(0, target.sets - len(log.sets))


@dataclass
class Imported:
    """What an import did: sets added, sets that were already in the log, and rows whose
    programme slot did not fit the current programme (imported as unplanned sessions)."""

    added: int = 0
    present: int = 0
    unplanned: int = 0
