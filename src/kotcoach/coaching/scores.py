"""Patient-reported outcome scores: the instruments kotcoach offers, how each is scored, and the
change from the first scoring to the latest against its minimal important change.

Pure: records in, plain data out (no typer, rich or sqlite). Every figure printed about an
instrument (its paper, its minimal important change and where that comes from) is written once,
here, and was checked against its source before it was written down.

Only the Patient-Specific Functional Scale is offered. The condition questionnaires a clinic
would also use (VISA-P, VISA-A, the Anterior Knee Pain Scale) are left out: no terms of use that
allow putting their questions into software were found (see the README).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from kotcoach.base.errors import ImportFileError, UsageError
from kotcoach.store.records import Score

if TYPE_CHECKING:  # the CSV rows are imported where a score is checked, not by `today`
    from kotcoach.store.exchange import ScoreRow

MAX_ACTIVITIES = 5


@dataclass(frozen=True)
class Instrument:
    id: str
    short: str  # how a line names it: "PSFS"
    name: str
    low: int
    high: int  # the best score
    mic: float  # the minimal important change, in the score's points
    mic_text: str  # what that figure is, in a few words
    mic_source: str
    source: str  # the paper that made and tested it
    terms: str  # why kotcoach may use it
    asks: str  # what the person is asked, in kotcoach's words

    def points(self, value: float) -> str:
        return f"{value:.1f}".removesuffix(".0") if self.high <= 10 else f"{value:.0f}"


PSFS = Instrument(
    id="psfs",
    short="PSFS",
    name="Patient-Specific Functional Scale",
    low=0,
    high=10,
    mic=2.3,
    mic_text="the average change patients called a medium improvement (1.3 for a small one)",
    mic_source="J Orthop Sports Phys Ther 2014;44(8):560-564, doi:10.2519/jospt.2014.5248",
    source=(
        "Stratford, Gill, Westaway & Binkley, Physiother Can 1995;47(4):258-263, "
        "doi:10.3138/ptc.47.4.258"
    ),
    terms="free to use; printed forms carry it with the authors' permission",
    asks=(
        "Name up to five activities your problem makes hard or stops you doing, and rate each "
        "0-10: 0 = unable to do it, 10 = able to do it as well as before the problem. Later "
        "scorings re-rate the same activities and may add new ones. The score is the average."
    ),
)

INSTRUMENTS: dict[str, Instrument] = {PSFS.id: PSFS}


class ScoreError(UsageError):
    """Answers that cannot be scored; the message says which and how to fix it (exit 2)."""


@dataclass(frozen=True)
class Scoring:
    """One scoring on one day: each item (a PSFS activity) with its rating, in the order the
    items were first rated."""

    day: date
    instrument: str
    items: tuple[tuple[str, float], ...]

    @property
    def total(self) -> float:
        return sum(value for _, value in self.items) / len(self.items)

    def over(self, names: Iterable[str]) -> float | None:
        """The average over only these items (those rated both times), None if none is here."""
        wanted = {_key(name) for name in names}
        values = [value for name, value in self.items if _key(name) in wanted]
        return sum(values) / len(values) if values else None


def _key(activity: str) -> str:
    return " ".join(activity.lower().split())


def parse_activity(text: str) -> tuple[str, int]:
    """'climbing stairs=4' -> ('climbing stairs', 4)."""
    name, sep, rating = text.rpartition("=")
    name = " ".join(name.split())
    if not sep or not name:
        raise ScoreError(f'--activity \'{text}\': write it as "ACTIVITY=RATING", e.g. "stairs=4"')
    return check_activity(name), check_rating(rating.strip(), f"--activity '{text}'")


def check_activity(name: str) -> str:
    from kotcoach.store.exchange import MAX_SCORE_ITEM

    name = " ".join(name.split())
    if not name:
        raise ScoreError("an activity needs a name, e.g. 'climbing stairs'")
    if len(name) > MAX_SCORE_ITEM:
        raise ScoreError(f"activity '{name[:20]}...' is longer than {MAX_SCORE_ITEM} characters")
    if any(not ch.isprintable() for ch in name):
        raise ScoreError(f"activity '{name!r}' has control characters")
    return name


def check_rating(text: str | int, where: str) -> int:
    raw = str(text).strip()
    if not raw.isdigit() or not 0 <= int(raw) <= PSFS.high:
        raise ScoreError(f"{where}: a rating is a whole number 0-10, not '{raw}'")
    return int(raw)


def parse_answers(text: str) -> list[int]:
    """'4,6,7' -> [4, 6, 7]."""
    parts = [part.strip() for part in text.split(",")]
    if not text.strip() or any(not part for part in parts):
        raise ScoreError(f"--answers '{text}': give the ratings separated by commas, e.g. 4,6,7")
    return [check_rating(part, f"--answers '{text}'") for part in parts]


def activities(history: Sequence[Scoring]) -> list[str]:
    """Every activity rated so far, in the order first rated."""
    seen: dict[str, str] = {}
    for scoring in history:
        for name, _ in scoring.items:
            seen.setdefault(_key(name), name)
    return list(seen.values())


def psfs_scoring(
    day: date,
    known: Sequence[str],
    answers: Sequence[int] = (),
    named: Sequence[tuple[str, int]] = (),
) -> Scoring:
    """A PSFS scoring from `--answers` (the known activities re-rated, in order) and
    `--activity NAME=N` (a known one re-rated by name, or a new one). Every known activity must
    be rated again; at most five activities in all."""
    if len(answers) > len(known):
        have = len(known)
        before = f" ({', '.join(known)})" if known else ""
        raise ScoreError(
            f"--answers gives {len(answers)} rating{'s' if len(answers) != 1 else ''} but {have} "
            f"activit{'y was' if have == 1 else 'ies were'} rated before{before}; "
            'name new ones with --activity "ACTIVITY=RATING"'
        )
    known_keys = [_key(name) for name in known]
    rated: dict[str, tuple[str, int]] = {
        key: (name, value) for key, name, value in zip(known_keys, known, answers, strict=False)
    }
    for name, value in named:
        key = _key(name)
        if key in rated:
            raise ScoreError(f"'{name}' is rated twice (by --answers or --activity): give it once")
        original = known[known_keys.index(key)] if key in known_keys else name
        rated[key] = (original, value)
    missing = [name for key, name in zip(known_keys, known, strict=True) if key not in rated]
    if missing:
        raise ScoreError(
            "re-rate every activity rated before: "
            + ", ".join(f"'{name}'" for name in missing)
            + ' (--answers gives them in order, or --activity "ACTIVITY=RATING")'
        )
    if not rated:
        raise ScoreError(
            'name at least one activity your problem makes hard: --activity "stairs=4"'
        )
    if len(rated) > MAX_ACTIVITIES:
        raise ScoreError(f"the PSFS takes at most {MAX_ACTIVITIES} activities, not {len(rated)}")
    order = known_keys + [key for key in rated if key not in known_keys]
    return Scoring(day, PSFS.id, tuple((rated[k][0], float(rated[k][1])) for k in order))


def scorings(records: Iterable[Score]) -> dict[str, list[Scoring]]:
    """Stored score items, oldest first and in order within a scoring, as each instrument's
    scorings, oldest first. Items of an instrument kotcoach does not know are left out."""
    days: dict[tuple[str, date], list[tuple[str, float]]] = {}
    for record in records:
        if record.instrument in INSTRUMENTS:
            days.setdefault((record.instrument, record.date), []).append(
                (record.item, record.value)
            )
    found: dict[str, list[Scoring]] = {}
    for (instrument, day), items in sorted(days.items(), key=lambda kv: (kv[0][1], kv[0][0])):
        found.setdefault(instrument, []).append(Scoring(day, instrument, tuple(items)))
    return found


def check_rows(rows: Sequence[ScoreRow], source: str) -> None:
    """Imported score rows: a known instrument, a value in its range, at most five activities a
    scoring. Raises ImportFileError naming the first bad line; nothing is imported then."""
    counts: dict[tuple[str, date, str], int] = {}
    for row in rows:
        instrument = INSTRUMENTS.get(row.instrument)
        problem = None
        if instrument is None:
            problem = f"unknown score '{row.instrument}' (known: {', '.join(INSTRUMENTS)})"
        elif not instrument.low <= row.value <= instrument.high or row.value != int(row.value):
            problem = (
                f"a {instrument.short} rating is a whole number {instrument.low}-"
                f"{instrument.high}, not {row.value:g}"
            )
        else:
            key = (row.profile, row.date, row.instrument)
            counts[key] = counts.get(key, 0) + 1
            if counts[key] > MAX_ACTIVITIES:
                problem = f"more than {MAX_ACTIVITIES} {instrument.short} activities on {row.date}"
        if problem:
            raise ImportFileError(f"{source}:{row.line}: {problem}; nothing was imported")


@dataclass(frozen=True)
class Change:
    """An instrument's first and latest scoring, compared over the items rated both times."""

    instrument: Instrument
    first: Scoring
    last: Scoring
    start: float
    now: float
    common: int  # how many items both scorings rated

    @property
    def delta(self) -> float:
        return self.now - self.start

    @property
    def matters(self) -> bool:
        return abs(self.delta) >= self.instrument.mic

    def sentence(self) -> str:
        """'PSFS 3.5 -> 6 (average of 3 activities), +2.5 in 6 weeks: more than the 2.3-point
        change that matters'."""
        i = self.instrument
        sign = "+" if self.delta >= 0 else "-"
        change = f"{sign}{i.points(abs(self.delta))}"
        weeks = (self.last.day - self.first.day).days // 7
        span = (
            f"{weeks} week{'s' if weeks != 1 else ''}"
            if weeks
            else (f"{(self.last.day - self.first.day).days} days")
        )
        over = f" (average of {self.common} activit{'y' if self.common == 1 else 'ies'})"
        mic = f"{i.points(i.mic)}-point change that matters"
        if not self.matters:
            verdict = f"less than the {mic}"
        elif self.delta > 0:
            verdict = f"better by more than the {mic}"
        else:
            verdict = f"worse by more than the {mic}"
        return (
            f"{i.short} {i.points(self.start)} → {i.points(self.now)}{over}, {change} "
            f"in {span}: {verdict}"
        )


def change(history: Sequence[Scoring]) -> Change | None:
    """The change from the first scoring to the latest, None before a second scoring."""
    if len(history) < 2:
        return None
    first, last = history[0], history[-1]
    both = [name for name, _ in first.items if last.over([name]) is not None]
    start, now = first.over(both), last.over(both)
    if start is None or now is None:
        return None
    return Change(INSTRUMENTS[first.instrument], first, last, start, now, len(both))
