"""The training log's file: where it is, export, import, backup and restore."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, Any, TextIO

import typer

from kotcoach.base.errors import (
    ExportError,
    ImportFileError,
    KotcoachError,
    StoreError,
    UsageError,
)
from kotcoach.cli._app import _state, command_group
from kotcoach.cli._options import path_option

data_app = command_group(
    "data", "The training log's file: where it is, export, import, backup and restore."
)

MAX_IMPORT_BYTES = 50 * 1024 * 1024  # the largest file `data import` accepts
FORMATS = ("csv", "json")


@data_app.command("path")
def data_path() -> None:
    """Print where the training log is (KOTCOACH_DATA_DIR moves it).

    The file is made on the first write; until then this is where it will be.

    \b
    Examples:
      kotcoach data path
    """
    from kotcoach.store import database_path

    typer.echo(str(database_path()))


@data_app.command("export")
def data_export(
    ctx: typer.Context,
    format: Annotated[str, typer.Option("--format", help="csv or json.", metavar="FORMAT")] = "csv",
    output: Annotated[
        Path | None, path_option("Write to this file instead of stdout.", "--output", "-o")
    ] = None,
    all_profiles: Annotated[
        bool, typer.Option("--all", help="Every profile, not only the one in use.")
    ] = False,
    force: Annotated[bool, typer.Option(help="Overwrite an existing --output file.")] = False,
) -> None:
    """Export the log, one row per set, for a spreadsheet or another kotcoach.

    Columns: profile, date, slot, exercise, name, set, reps, hold_seconds, minutes, the
    target's sets and amount, per_side, pain_during, pain_after, status, notes, logged_at,
    and score, score_item, score_value. A skipped or stopped exercise with no set is a row
    with an empty set; each item of a score (a PSFS activity) is a row with an empty exercise.
    'data import' reads the CSV back. Check-ins and programmes are not in it: 'data backup'
    copies everything. A text cell that starts with = + - @ (which a spreadsheet would run as
    a formula) is written with a leading ' (import takes it off again). The file is private
    (0600).

    \b
    Examples:
      kotcoach data export > log.csv
      kotcoach data export --format json --all -o log.json
    """
    from kotcoach.store import Store
    from kotcoach.store.exchange import COLUMNS

    if format not in FORMATS:
        raise UsageError(f"--format must be csv or json, not '{format}'")
    if output is not None:
        from kotcoach.base.writing import check_free

        check_free(output, force)
    state = _state(ctx)
    with Store.open() as store:
        rows = store.export_rows(None if all_profiles else state.profile)
    if output is None and _stdout_is_terminal():
        # On a terminal, a note's escape sequences are shown, never obeyed (the file keeps them).
        rows = [{key: _shown(value) for key, value in row.items()} for row in rows]
    text = _csv(rows, COLUMNS) if format == "csv" else _json(rows)
    if output is None:
        sys.stdout.write(text)
        return
    _write_whole(output, text, bom=format == "csv", force=force)
    from kotcoach.render import clean

    shown = clean(str(output))  # a path is user input: its control characters are not obeyed
    sys.stderr.write(f"kotcoach: wrote {len(rows)} rows to {shown}\n")


def _stdout_is_terminal() -> bool:
    return sys.stdout.isatty()


def _shown(value: Any) -> Any:
    if not isinstance(value, str) or value.isprintable():
        return value
    return "".join(char if char.isprintable() else ascii(char)[1:-1] for char in value)


def _csv(rows: list[dict[str, Any]], columns: tuple[str, ...]) -> str:
    import csv
    import io

    from kotcoach.store.exchange import spreadsheet_cell

    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=columns, lineterminator="\n")
    writer.writeheader()
    writer.writerows({key: spreadsheet_cell(value) for key, value in row.items()} for row in rows)
    return buffer.getvalue()


def _json(rows: list[dict[str, Any]]) -> str:
    import json

    return json.dumps(rows, ensure_ascii=False, indent=2) + "\n"


def _write_whole(path: Path, text: str, bom: bool, force: bool) -> None:
    """Whole or not at all, never over anything without --force (kotcoach.base.writing), and
    private: health data is the owner's alone."""
    from kotcoach.base.writing import write_whole

    # A byte-order mark makes spreadsheet programs read the CSV as UTF-8.
    write_whole(path, text.encode("utf-8-sig" if bom else "utf-8"), force, mode=0o600)


@data_app.command("import")
def data_import(
    ctx: typer.Context,
    file: Annotated[
        Path, typer.Argument(help="A CSV file in the export's format.", metavar="FILE")
    ],
) -> None:
    """Import sets from a CSV in the export's format (into the profiles its rows name).

    Every row is checked first; any problem is reported with its line number and nothing is
    written. Rows already in the log are left exactly as they are, so importing a file twice
    adds nothing. A row's session number (slot) is kept only where it fits the profile's
    programme; rows from another programme become sessions outside it. Numbers are ASCII
    digits; exercise ids look like tib-raise-wall. Up to 50 MB; it is written in batches, so
    a session or 'log' running meanwhile waits at most about a second.

    \b
    Examples:
      kotcoach data import log.csv
    """
    import datetime as dt

    from kotcoach.store import Store
    from kotcoach.store.exchange import check_rows, csv_rows

    shown = _path_text(file)
    today = dt.date.today()
    _check_import_file(file, shown)
    from kotcoach.store.exchange import ScoreRow

    score_rows: list[ScoreRow] = []  # a few per scoring: kept to check them as a whole

    def keep_scores(row: object) -> None:
        if isinstance(row, ScoreRow):
            score_rows.append(row)

    with _reading(file, shown) as stream:
        count = check_rows(csv_rows(stream, shown), shown, today, keep_scores)
    from kotcoach.coaching.scores import check_rows as check_scores

    check_scores(score_rows, shown)
    ids: set[str] = set()

    def rows() -> Any:
        from kotcoach.store.exchange import parse_row

        with _reading(file, shown) as stream:
            for line, raw in csv_rows(stream, shown):
                row = parse_row(raw, line, today)
                if not isinstance(row, ScoreRow):
                    ids.add(row.exercise)
                yield row

    with Store.open(write=True) as store:
        done = store.import_rows(rows())
    added = done.added
    scores = len(score_rows)
    typer.echo(
        f"Imported {added} new set{'s' if added != 1 else ''} from {shown}"
        + (f" ({done.present} already in the log)" if done.present else "")
        + (f", and {scores} score item{'s' if scores != 1 else ''}." if scores else ".")
    )
    if done.unplanned:
        sys.stderr.write(
            f"kotcoach: {done.unplanned} row{'s' if done.unplanned != 1 else ''} did not fit "
            "the programme's sessions (another programme's, or none saved): imported as "
            "sessions outside the programme\n"
        )
    try:
        known = {r.id for r in _state(ctx).listing().rows}
    except KotcoachError:  # the catalogue's own problem is reported by the commands that use it
        known = ids
    unknown = sorted(ids - known) if count else []
    if unknown:
        listed = ", ".join(unknown[:5]) + (", ..." if len(unknown) > 5 else "")
        sys.stderr.write(
            f"kotcoach: {len(unknown)} exercise id{'s' if len(unknown) != 1 else ''} not in the "
            f"catalogue in use, imported as they are: {_path_text(listed)}\n"
        )


def _path_text(value: Any) -> str:
    from kotcoach.render import clean

    return clean(str(value))


def _check_import_file(file: Path, shown: str) -> None:
    try:
        if not file.is_file():
            raise ImportFileError(f"{shown}: no such file")
        if file.stat().st_size > MAX_IMPORT_BYTES:
            raise ImportFileError(f"{shown}: larger than {MAX_IMPORT_BYTES // 2**20} MB")
    except OSError as error:
        raise ImportFileError(f"{shown}: cannot be read: {error.strerror or error}") from None


@contextmanager
def _reading(file: Path, shown: str) -> Iterator[TextIO]:
    """The file as text for the csv module: UTF-8 (a byte-order mark skipped), newline=''
    so that only the csv module decides where a row ends."""
    try:
        stream = file.open(encoding="utf-8-sig", newline="")
    except OSError as error:
        raise ImportFileError(f"{shown}: cannot be read: {error.strerror or error}") from None
    with stream:
        try:
            yield stream
        except OSError as error:
            raise ImportFileError(f"{shown}: cannot be read: {error.strerror or error}") from None


@data_app.command("backup")
def data_backup(
    target: Annotated[Path, typer.Argument(help="Where to write the copy.", metavar="PATH")],
    force: Annotated[bool, typer.Option(help="Overwrite an existing file.")] = False,
) -> None:
    """Copy the whole log (profiles, programmes, sessions, check-ins) to PATH.

    SQLite's backup API makes a consistent copy even while a session is writing; the copy is
    private (0600). A damaged log is refused (its copy would be as damaged). To put a backup
    back, use 'kotcoach data restore PATH'.

    \b
    Examples:
      kotcoach data backup ~/kotcoach-2025-03-01.db
    """
    from kotcoach.store import Store, database_path

    source = database_path()
    if not source.exists():
        raise StoreError(f"no training log yet at {_path_text(source)}: nothing to back up")
    if target.is_dir():
        raise ExportError(f"{target} is a folder: give a file name, e.g. {target / 'kotcoach.db'}")
    if _is_the_log(target, source):
        raise UsageError(
            f"{_path_text(target)} is the training log or one of its own files: back up to "
            "another name"
        )
    from kotcoach.base.writing import check_free

    check_free(target, force, "back up to")  # a symbolic link counts as taken, as a file does
    with Store.open() as store:
        store.backup(target, force)
    typer.echo(f"Backed up {_path_text(source)} to {_path_text(target)}")


def _is_the_log(target: Path, source: Path) -> bool:
    """The log itself, or its WAL, shared memory or journal (overwriting any loses data)."""
    names = {source.name + side for side in ("", "-wal", "-shm", "-journal")}
    try:
        same_folder = target.absolute().parent.resolve() == source.absolute().parent.resolve()
    except OSError:
        same_folder = False
    return (same_folder and target.name in names) or (
        target.exists() and target.resolve() == source.resolve()
    )


@data_app.command("restore")
def data_restore(
    backup: Annotated[
        Path, typer.Argument(help="A backup made by 'kotcoach data backup'.", metavar="FILE")
    ],
) -> None:
    """Put a backup back in place of the training log.

    The backup is checked first (SQLite's integrity check, a kotcoach log, a schema this
    kotcoach reads), copied with SQLite's backup API into a fresh file beside the log, and
    swapped in with one rename. The log it replaces is kept beside it as
    kotcoach-replaced-DATE.db. Refused while a guided session or the phone server has the
    log open: finish it first. Never copy a backup over the log by hand: a WAL left beside
    it would be replayed onto the copy.

    \b
    Examples:
      kotcoach data restore ~/kotcoach-2025-03-01.db
    """
    from kotcoach.store import database_path
    from kotcoach.store.db import busy_timeout
    from kotcoach.store.files import restore

    target = database_path()
    if _is_the_log(backup, target):
        raise UsageError("the backup to restore cannot be the training log itself")
    kept = restore(backup, target, busy_timeout())
    typer.echo(f"Restored {_path_text(backup)} to {_path_text(target)}")
    if kept is not None:
        typer.echo(f"The log it replaced is kept as {_path_text(kept)}")
