"""Option declarations that commands of several groups share, so that the same option reads,
parses and helps alike everywhere. A command lists one as `as_json: JsonOption = False`, or
builds one of a kind with its own help: `Annotated[int | None, whole_option("Sets done, 1-20.")]`,
`Annotated[str | None, date_option("Sessions from this day on, YYYY-MM-DD.")]`."""

from __future__ import annotations

from typing import Annotated, Any

import typer

from kotcoach.cli import _complete
from kotcoach.cli._app import EQUIPMENT_OPTION_HELP
from kotcoach.cli._types import decimal, integer

JsonOption = Annotated[bool, typer.Option("--json", help="Write JSON to stdout.")]


def whole_option(help: str, metavar: str = "N") -> Any:
    """An option that takes a count or a 0-10 score, by the one input rule (`_types.integer`)."""
    return typer.Option(parser=integer, metavar=metavar, help=help)


def decimal_option(help: str, metavar: str) -> Any:
    """An option that takes an amount such as kg or cm, by the one input rule."""
    return typer.Option(parser=decimal, metavar=metavar, help=help)


def text_option(help: str, *names: str) -> Any:
    """An option that takes free text: a note, a name to print, words to search for."""
    return typer.Option(*names, help=help, metavar="TEXT")


def date_option(help: str, *names: str) -> Any:
    """An option naming a day, given as YYYY-MM-DD (the help says which day)."""
    return typer.Option(*names, help=help, metavar="DATE")


def day_option(which: str) -> Any:
    """An option naming a day: `which` day it is, as YYYY-MM-DD; today when left out."""
    return date_option(f"{which}, YYYY-MM-DD [default: today].")


def path_option(help: str, *names: str) -> Any:
    """An option naming a file to write: the help says what goes in it, and in which formats."""
    return typer.Option(*names, help=help, metavar="PATH")


def exercise_option(help: str) -> Any:
    """An option naming an exercise by id, completed from the catalogue's ids."""
    return typer.Option(help=help, metavar="ID", autocompletion=_complete.exercise_ids)


def exercise_argument(help: str, metavar: str = "ID") -> Any:
    """An argument naming exercises by id, completed from the catalogue's ids."""
    return typer.Argument(metavar=metavar, help=help, autocompletion=_complete.exercise_ids)


def condition_option(help: str) -> Any:
    """An option naming a condition by id, completed from the catalogue's conditions."""
    return typer.Option(help=help, metavar="ID", autocompletion=_complete.condition_ids)


def condition_argument(help: str, metavar: str) -> Any:
    """An argument naming a condition by id, completed from the catalogue's conditions."""
    return typer.Argument(metavar=metavar, help=help, autocompletion=_complete.condition_ids)


def area_scores_option(help: str) -> Any:
    """A repeatable option scoring areas 0-10, AREA=N (pain, stiffness), completing the areas."""
    return typer.Option(help=help, metavar="AREA=N", autocompletion=_complete.pain)


def equipment_option(lead: str) -> Any:
    """The equipment option: `lead`, then how to give it and every item there is."""
    return typer.Option(
        help=f"{lead} {EQUIPMENT_OPTION_HELP}", metavar="ITEM", autocompletion=_complete.equipment
    )
