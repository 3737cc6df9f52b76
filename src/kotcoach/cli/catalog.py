"""The catalogue file itself: validate and schema."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from kotcoach.base.errors import ExitCode
from kotcoach.cli._app import (
    _emit_json,
    _state,
    catalog_app,
)


@catalog_app.command("validate")
def validate_command(
    ctx: typer.Context,
    path: Annotated[
        Path | None,
        typer.Argument(
            help="The catalogue file (default: the one in use).",
            show_default=False,
            readable=False,  # an unreadable file is a data problem (exit 1), not a usage error
        ),
    ] = None,
) -> None:
    """Check a catalogue file and report every problem.

    Each problem is reported as file:line:column: field.path: what is wrong; after the first 50,
    the rest are counted. Exit 0 when the file is valid, 1 when it is not.

    \b
    Example:
      kotcoach catalog validate my-exercises.yaml
    """
    from kotcoach.catalogue.ladders import Index
    from kotcoach.catalogue.loading import check_catalog
    from kotcoach.render import clean

    if path is not None:
        target = path
        checked = check_catalog(target)
    else:
        with _state(ctx).reading() as target:
            checked = check_catalog(target)
    shown = clean(str(target))  # a path is user input: its control characters are not obeyed
    catalog, problems, unlisted = checked.catalog, checked.problems, checked.unlisted
    if catalog is None:
        for problem in problems:
            sys.stderr.write(clean(str(problem)) + "\n")
        if unlisted:
            sys.stderr.write(f"kotcoach: ... and {unlisted:,} more, not listed\n")
        count = len(problems) + unlisted
        sys.stderr.write(f"kotcoach: {shown}: {count:,} problem{'s' if count != 1 else ''} found\n")
        raise typer.Exit(int(ExitCode.DATA))
    index = Index(catalog)
    long_ladders = sum(1 for ladder in index.ladders if len(ladder.steps) >= 3)
    typer.echo(
        f"{shown}: valid: {len(catalog.exercises)} exercises in {len(index.ladders)} ladders "
        f"({long_ladders} of 3 or more steps), {len(catalog.conditions)} conditions, "
        f"{len(catalog.myths)} myths, {len(catalog.references)} references"
    )


@catalog_app.command("schema")
def schema_command() -> None:
    """Print the catalogue format as JSON Schema.

    Point your editor's YAML plugin at it to check a catalogue as you type; docs/catalogue.md
    describes the same format in words.

    \b
    Example:
      kotcoach catalog schema > kotcoach.schema.json
    """
    from kotcoach.catalogue.models import Catalog

    schema = Catalog.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "kotcoach catalogue"
    _emit_json(schema)
