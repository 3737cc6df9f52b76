"""The log as flat rows, one a set, for spreadsheets: the export's columns and the import's checks.

Pure: rows in, rows or problems out. The store reads and writes them (`Store.export_rows`,
`Store.import_rows`); the CLI reads and writes the CSV or JSON file.

A skipped or stopped exercise with no set done is one row with an empty `set`, so that nothing
logged is lost on the way out and back in. A patient-reported score is a row of its own: an empty
`exercise` and `set`, and `score`, `score_item` and `score_value` filled (one row per PSFS
activity). Files from before scores existed have no such columns and import as they did.
"""

from __future__ import annotations

import csv
import datetime as dt
import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import TextIO

from kotcoach.base.errors import ImportFileError, KotcoachError
from kotcoach.store.records import (
    MAX_HOLD_SECONDS,
    MAX_MINUTES,
    MAX_REPS,
    MAX_SETS,
    Amount,
    Status,
    Target,
    check_count,
    check_load,
    check_pain,
    check_profile_name,
    check_text,
    parse_date,
)

COLUMNS: tuple[str, ...] = (
    "profile",
    "date",
    "slot",
    "exercise",
    "name",
    "set",
    "reps",
    "hold_seconds",
    "minutes",
    "load_kg",
    "target_sets",
    "target_reps",
    "target_hold_seconds",
    "target_minutes",
    "per_side",
    "pain_during",
    "pain_after",
    "status",
    "note",
    "session_note",
    "logged_at",
    "score",
    "score_item",
    "score_value",
)
SCORE_COLUMNS = ("score", "score_item", "score_value")
REQUIRED = ("profile", "date", "exercise", "set")
SCORE_ID = re.compile(r"^[a-z][a-z0-9-]{0,19}$")
MAX_SCORE_ITEM = 60  # a PSFS activity's name
MAX_SCORE_VALUE = 100  # the largest score any instrument gives
SCORE_VALUE = re.compile(r"[0-9]{1,3}(?:\.[0-9]{1,2})?")
MAX_SET_NUMBER = 100  # a set's number within its exercise and session
MAX_SLOT = 10_000
SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
MAX_ID = 60
# What a spreadsheet reads as the start of a formula (OWASP's list): such a cell is exported
# with a leading apostrophe, which spreadsheets show as text and `plain_cell` takes off again.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
MAX_DIGITS = 6


@dataclass(frozen=True, slots=True)
class Row:
    """One validated import row."""

    line: int
    profile: str
    date: dt.date
    slot: int | None
    exercise: str
    name: str
    number: int | None
    amount: Amount | None
    target: Target | None
    pain_during: int | None
    pain_after: int | None
    status: Status
    note: str | None
    session_note: str | None
    logged_at: str
    load_kg: float | None = None  # kg per rep; an export from before issue 20 has no column


@dataclass(frozen=True)
class ScoreRow:
    """One validated item of a patient-reported score (`score` filled, no exercise)."""

    line: int
    profile: str
    date: dt.date
    instrument: str
    item: str
    value: float
    logged_at: str


def parse_score_row(get: Mapping[str, str], line: int, today: dt.date) -> ScoreRow:
    """A score row, checked for its shape (which instruments exist and their ranges are the
    coaching layer's: `kotcoach.coaching.scores.check_rows`)."""
    for column in ("profile", "date", "score_item", "score_value"):
        if not get.get(column):
            raise KotcoachError(f"{column} is empty in a score row")
    instrument = get["score"]
    if not SCORE_ID.match(instrument):
        raise KotcoachError(f"score '{instrument[:20]}' is not an instrument id (e.g. psfs)")
    if not SCORE_VALUE.fullmatch(get["score_value"]):  # ASCII digits, as every number column
        raise KotcoachError(f"score_value must be a number such as 7, not '{get['score_value']}'")
    value = float(get["score_value"])
    if not 0 <= value <= MAX_SCORE_VALUE:
        raise KotcoachError(f"score_value must be 0 to {MAX_SCORE_VALUE}, not {value:g}")
    date = parse_date(get["date"], today, "date")
    return ScoreRow(
        line=line,
        profile=check_profile_name(get["profile"]),
        date=date,
        instrument=instrument,
        item=check_text(plain_cell(get["score_item"]), "score_item", MAX_SCORE_ITEM) or "",
        value=value,
        logged_at=get.get("logged_at", "") or f"{date.isoformat()}T00:00:00+00:00",
    )


def _int(raw: str, column: str, low: int, high: int) -> int | None:
    if raw == "":
        return None
    # ASCII digits only: str.isdigit() also takes '²' and Arabic-Indic digits, int() '1_0'.
    if not (raw.isascii() and raw.isdigit()) or len(raw) > MAX_DIGITS:
        raise KotcoachError(f"{column} must be a whole number, not '{raw}'")
    value = int(raw)
    if column in ("pain_during", "pain_after"):
        return check_pain(value, column)
    return check_count(value, column, high, low)


def parse_row(raw: Mapping[str, str | None], line: int, today: dt.date) -> Row | ScoreRow:
    """One row of an export, checked as strictly as the commands that log. Raises
    KotcoachError (or UsageError) with a message naming the column."""
    get = {key: (value or "").strip() for key, value in raw.items() if key is not None}
    if get.get("score"):
        return parse_score_row(get, line, today)
    for column in REQUIRED:
        if column not in get:
            raise KotcoachError(f"missing column '{column}'")
    for column in ("profile", "date", "exercise"):
        if not get[column]:
            raise KotcoachError(f"{column} is empty")
    profile = check_profile_name(get["profile"])
    date = parse_date(get["date"], today, "date")
    number = _int(get["set"], "set", 1, MAX_SET_NUMBER)
    amounts = [
        _int(get.get("reps", ""), "reps", 1, MAX_REPS),
        _int(get.get("hold_seconds", ""), "hold_seconds", 1, MAX_HOLD_SECONDS),
        _int(get.get("minutes", ""), "minutes", 1, MAX_MINUTES),
    ]
    amount = Amount(*amounts) if number is not None else None
    if number is None and any(a is not None for a in amounts):
        raise KotcoachError("reps, hold_seconds or minutes given without a set number")
    load_kg = _load(get.get("load_kg", ""))
    if number is None and load_kg is not None:
        raise KotcoachError("load_kg given without a set number")
    target_sets = _int(get.get("target_sets", ""), "target_sets", 1, MAX_SETS)
    target_amounts = [
        _int(get.get("target_reps", ""), "target_reps", 1, MAX_REPS),
        _int(get.get("target_hold_seconds", ""), "target_hold_seconds", 1, MAX_HOLD_SECONDS),
        _int(get.get("target_minutes", ""), "target_minutes", 1, MAX_MINUTES),
    ]
    per_side = get.get("per_side", "").lower()
    if per_side not in ("", "0", "1", "true", "false", "yes", "no"):
        raise KotcoachError(f"per_side must be yes or no, not '{get['per_side']}'")
    target = None
    if target_sets is not None:
        target = Target(target_sets, Amount(*target_amounts), per_side in ("1", "true", "yes"))
    elif any(a is not None for a in target_amounts):
        raise KotcoachError("a target amount given without target_sets")
    status_text = get.get("status", "") or Status.DONE.value
    try:
        status = Status(status_text)
    except ValueError:
        valid = ", ".join(Status)
        raise KotcoachError(f"status must be one of {valid}, not '{status_text}'") from None
    if number is None and status is Status.DONE:
        raise KotcoachError("a row without a set number must be skipped or stopped")
    exercise = check_id(get["exercise"])
    return Row(
        line=line,
        profile=profile,
        date=date,
        slot=_int(get.get("slot", ""), "slot", 0, MAX_SLOT),
        exercise=exercise,
        name=check_text(plain_cell(get.get("name") or ""), "name", 80) or exercise,
        number=number,
        amount=amount,
        target=target,
        pain_during=_int(get.get("pain_during", ""), "pain_during", 0, 10),
        pain_after=_int(get.get("pain_after", ""), "pain_after", 0, 10),
        status=status,
        note=check_text(plain_cell(get.get("note") or ""), "note"),
        session_note=check_text(plain_cell(get.get("session_note") or ""), "session_note"),
        logged_at=get.get("logged_at", "") or f"{date.isoformat()}T00:00:00+00:00",
        load_kg=load_kg,
    )


LOAD = re.compile(r"[0-9]{1,4}(?:\.[0-9]{1,2})?")  # kg, as typed: 12.5


def check_id(raw: str, what: str = "exercise") -> str:
    """An exercise id as the catalogue writes them: lower-case letters and digits joined by
    single hyphens, at most 60 characters."""
    if len(raw) > MAX_ID:
        raise KotcoachError(f"{what} id is longer than {MAX_ID} characters")
    if not SLUG.fullmatch(raw):
        raise KotcoachError(
            f"{what} id '{raw}' must be lower-case letters and digits joined by hyphens, "
            "e.g. tib-raise-wall"
        )
    return raw


def spreadsheet_cell(value: object) -> object:
    """A text cell a spreadsheet would run as a formula gets a leading apostrophe; one that
    already starts with an apostrophe gets another, so that `plain_cell` undoes exactly this."""
    if isinstance(value, str) and value.startswith((*FORMULA_START, "'")):
        return "'" + value
    return value


def plain_cell(value: str) -> str:
    """The text `spreadsheet_cell` was given."""
    return value[1:] if value.startswith("'") else value


def csv_rows(stream: TextIO, source: str) -> Iterator[tuple[int, dict[str, str | None]]]:
    """The rows of a CSV file as (line, row), read as a stream (one row in memory at a time),
    by the csv module: a quoted field may hold a line break, and no other character (U+2028,
    \x0b, \x1c ...) ends a row. The header must name the required columns. Any problem
    reading it, a character that is not UTF-8 included, is an ImportFileError naming
    FILE:LINE."""
    reader = csv.DictReader(stream)
    try:
        try:
            header = reader.fieldnames or []
        except csv.Error as error:
            raise ImportFileError(f"{source}:1: {error}; nothing was imported") from None
        missing = [column for column in REQUIRED if column not in header]
        if missing:
            raise ImportFileError(
                f"{source}:1: the header lacks {', '.join(missing)}; nothing was imported",
                hint="the first line must name the export's columns: kotcoach data export | "
                "head -1",
            )
        while True:
            try:
                row = next(reader)
            except StopIteration:
                return
            except csv.Error as error:
                raise ImportFileError(
                    f"{source}:{reader.line_num}: {error}; nothing was imported"
                ) from None
            yield reader.line_num, row
    except UnicodeDecodeError:
        raise ImportFileError(
            f"{source}:{reader.line_num + 1}: not UTF-8 text; save it as CSV UTF-8; nothing was "
            "imported"
        ) from None


def _load(raw: str) -> float | None:
    if raw == "":
        return None
    if not LOAD.fullmatch(raw):  # ASCII digits only, as every number column
        raise KotcoachError(f"load_kg must be a number of kg such as 12.5, not '{raw}'")
    return check_load(float(raw), "load_kg")


def parse_rows(
    rows: Iterable[tuple[int, Mapping[str, str | None]]], source: str, today: dt.date
) -> list[Row | ScoreRow]:
    """Every row checked; all problems reported together as `source:line: message`, so a file
    is fixed in one pass. Raises ImportFileError when any row is bad."""
    good: list[Row | ScoreRow] = []
    check_rows(rows, source, today, good.append)
    return good


def check_rows(
    rows: Iterable[tuple[int, Mapping[str, str | None]]],
    source: str,
    today: dt.date,
    each: Callable[[Row | ScoreRow], object] | None = None,
) -> int:
    """Check every row as a stream (nothing kept but the first few problems and a count),
    giving each good one to `each`; returns how many rows there were. Raises ImportFileError
    naming the first problem and the next three when any row is bad."""
    problems: list[str] = []
    count = bad = 0
    for line, raw in rows:
        count += 1
        try:
            row = parse_row(raw, line, today)
        except KotcoachError as error:
            bad += 1
            if len(problems) < 4:
                problems.append(f"{source}:{line}: {error}")
            continue
        if each is not None:
            each(row)
    if bad:
        more = bad - 1
        hint = None
        if more:
            shown = "; ".join(problems[1:4]) + ("; ..." if more > 3 else "")
            hint = f"{more} more problem{'s' if more > 1 else ''}: {shown}"
        raise ImportFileError(problems[0] + "; nothing was imported", hint=hint)
    return count
