"""The CLI's side of the one input rule (`kotcoach.base.inputs`): the parser for counts and
scores, so that every command refuses '٣', '1_0' and '²' alike, as a usage error naming the
option (exit 2). Options declare them through `_options.whole_option` and `decimal_option`."""

from __future__ import annotations

import typer

from kotcoach.base.inputs import decimal_number, whole_number


def integer(value: str | int) -> int:
    if isinstance(value, int):  # a default, already a number
        return value
    try:
        return whole_number(value)
    except ValueError as error:
        raise typer.BadParameter(str(error)) from None


def decimal(value: str | float) -> float:
    """The parser for amounts such as kg of load: '12.5', ASCII digits only."""
    if isinstance(value, float | int):
        return float(value)
    try:
        return decimal_number(value)
    except ValueError as error:
        raise typer.BadParameter(str(error)) from None
