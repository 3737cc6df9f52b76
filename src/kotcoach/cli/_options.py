"""Option declarations that commands of several groups share, so that the same option reads,
parses and helps alike everywhere. A command lists one as `as_json: JsonOption = False`, or
builds one with its own help: `Annotated[int | None, whole_option("Sets done, 1-20.")]`."""

from __future__ import annotations

from typing import Annotated, Any

import typer

from kotcoach.cli._types import decimal, integer

JsonOption = Annotated[bool, typer.Option("--json", help="Write JSON to stdout.")]


def whole_option(help: str, metavar: str = "N") -> Any:
    """An option that takes a count or a 0-10 score, by the one input rule (`_types.integer`)."""
    return typer.Option(parser=integer, metavar=metavar, help=help)


def decimal_option(help: str, metavar: str) -> Any:
    """An option that takes an amount such as kg or cm, by the one input rule."""
    return typer.Option(parser=decimal, metavar=metavar, help=help)


def day_option(which: str) -> Any:
    """An option naming a day: `which` day it is, as YYYY-MM-DD; today when left out."""
    return typer.Option(help=f"{which}, YYYY-MM-DD [default: today].", metavar="DATE")
