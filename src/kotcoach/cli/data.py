"""The training log's file: where it is, export, import and backup."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated, Any

import typer

from kotcoach.base.errors import ExportError, ImportFileError, StoreError, UsageError
from kotcoach.cli._app import _Group, _state, app

data_app = typer.Typer(
    cls=_Group,
    help="The training log's file: where it is, export, import and backup.",
    no_args_is_help=True,
    rich_markup_mode=None,
)
app.add_typer(data_app, name="data")

MAX_IMPORT_BYTES = 50 * 1024 * 1024
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
        Path | None,
        typer.Option(
            "--output", "-o", help="Write to this file instead of stdout.", metavar="PATH"
        ),
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
    copies everything.

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
    text = _csv(rows, COLUMNS) if format == "csv" else _json(rows)
    if output is None:
        sys.stdout.write(text)
        return
    _write_whole(output, text, bom=format == "csv", force=force)
    from kotcoach.render import clean

    shown = clean(str(output))  # a path is user input: its control characters are not obeyed
    sys.stderr.write(f"kotcoach: wrote {len(rows)} rows to {shown}\n")


def _csv(rows: list[dict[str, Any]], columns: tuple[str, ...]) -> str:
    import csv
    import io

    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=columns, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue()


def _json(rows: list[dict[str, Any]]) -> str:
    import json

    return json.dumps(rows, ensure_ascii=False, indent=2) + "\n"


def _write_whole(path: Path, text: str, bom: bool, force: bool) -> None:
    """Whole or not at all, and never over anything without --force (kotcoach.base.writing)."""
    from kotcoach.base.writing import write_whole

    # A byte-order mark makes spreadsheet programs read the CSV as UTF-8.
    write_whole(path, text.encode("utf-8-sig" if bom else "utf-8"), force)


@data_app.command("import")
def data_import(
    file: Annotated[
        Path, typer.Argument(help="A CSV file in the export's format.", metavar="FILE")
    ],
) -> None:
    """Import sets from a CSV in the export's format (into the profiles its rows name).

    Every row is checked first; any problem is reported with its line number and nothing is
    written. Sets already in the log are left alone, so importing a file twice adds nothing.

    \b
    Examples:
      kotcoach data import log.csv
    """
    import csv
    import datetime as dt

    from kotcoach.store import Store
    from kotcoach.store.exchange import REQUIRED, Row, ScoreRow, parse_rows

    shown = str(file)
    try:
        if not file.is_file():
            raise ImportFileError(f"{shown}: no such file")
        if file.stat().st_size > MAX_IMPORT_BYTES:
            raise ImportFileError(f"{shown}: larger than {MAX_IMPORT_BYTES // 2**20} MB")
        text = file.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError:
        raise ImportFileError(f"{shown}: not UTF-8 text; save it as CSV UTF-8") from None
    except OSError as error:
        raise ImportFileError(f"{shown}: cannot be read: {error.strerror or error}") from None
    reader = csv.DictReader(text.splitlines())
    header = reader.fieldnames or []
    missing = [column for column in REQUIRED if column not in header]
    if missing:
        raise ImportFileError(
            f"{shown}:1: the header lacks {', '.join(missing)}; nothing was imported",
            hint="the first line must name the export's columns: kotcoach data export | head -1",
        )
    try:
        numbered = [(reader.line_num, row) for row in reader]
    except csv.Error as error:
        raise ImportFileError(f"{shown}:{reader.line_num}: {error}; nothing was imported") from None
    rows = parse_rows(numbered, shown, dt.date.today())
    from kotcoach.coaching.scores import check_rows

    check_rows([row for row in rows if isinstance(row, ScoreRow)], shown)
    with Store.open(write=True) as store:
        added = store.import_rows(rows)
    sets = sum(1 for row in rows if isinstance(row, Row) and row.number is not None)
    scores = sum(1 for row in rows if isinstance(row, ScoreRow))
    typer.echo(
        f"Imported {added} new set{'s' if added != 1 else ''} from {shown}"
        + (f" ({sets - added} already in the log)" if sets - added else "")
        + (f", and {scores} score item{'s' if scores != 1 else ''}." if scores else ".")
    )


@data_app.command("backup")
def data_backup(
    target: Annotated[Path, typer.Argument(help="Where to write the copy.", metavar="PATH")],
    force: Annotated[bool, typer.Option(help="Overwrite an existing file.")] = False,
) -> None:
    """Copy the whole log (profiles, programmes, sessions, check-ins) to PATH.

    SQLite's backup API makes a consistent copy even while a session is writing. To restore,
    copy it back to the path 'kotcoach data path' prints.

    \b
    Examples:
      kotcoach data backup ~/kotcoach-2025-03-01.db
    """
    from kotcoach.store import Store, database_path

    source = database_path()
    if not source.exists():
        raise StoreError(f"no training log yet at {source}: nothing to back up")
    if target.is_dir():
        raise ExportError(f"{target} is a folder: give a file name, e.g. {target / 'kotcoach.db'}")
    from kotcoach.base.writing import check_free

    check_free(target, force, "back up to")  # a symbolic link counts as taken, as a file does
    if target.resolve() == source.resolve():
        raise UsageError("the backup cannot be the log itself")
    with Store.open() as store:
        store.backup(target, force)
    from kotcoach.render import clean

    typer.echo(f"Backed up {clean(str(source))} to {clean(str(target))}")
