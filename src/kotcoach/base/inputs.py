"""One rule for what a person types, for every command and form.

Numbers are whole numbers in ASCII digits (Python's int() also takes '٣', '²'-less Unicode
digits, '1_0' and ' 5'; none of these is what a person meant to type into a training log).
Used as typer's `parser=` for every count and score option, by `--pain AREA=N`, by the import
and by the web forms, so each says the same thing about the same input. Stdlib only.
"""

from __future__ import annotations

import re

_DIGITS = re.compile(r"[0-9]{1,9}")
_DECIMAL = re.compile(r"[0-9]{1,6}(?:\.[0-9]{1,3})?")


def whole_number(text: str) -> int:
    """An ASCII whole number ('12'), else ValueError saying what is wrong (click turns it into
    a usage error naming the option)."""
    value = text.strip()
    if not _DIGITS.fullmatch(value):
        raise ValueError(f"'{text}' is not a whole number (digits 0-9 only)")
    return int(value)


def decimal_number(text: str) -> float:
    """An ASCII decimal such as '12.5' (kg of load), else ValueError saying what is wrong."""
    value = text.strip()
    if not _DECIMAL.fullmatch(value):
        raise ValueError(f"'{text}' is not a number such as 12.5 (digits 0-9 and one '.')")
    return float(value)


def is_whole_number(text: str) -> bool:
    return _DIGITS.fullmatch(text.strip()) is not None
