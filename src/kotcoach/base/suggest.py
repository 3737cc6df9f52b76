"""'Did you mean ...?' for a mistyped value, and the errors for unknown exercises and conditions:
stdlib and the errors only, so option parsing stays light."""

from __future__ import annotations

import difflib
from collections.abc import Iterable

from kotcoach.base.errors import NotFoundError, UsageError


def did_you_mean(name: str, known: Iterable[str]) -> str | None:
    """The closest valid values as a hint, or None when nothing is close. Case is ignored."""
    values = list(known)
    folded = {value.casefold(): value for value in values}
    close = difflib.get_close_matches(name.casefold(), list(folded), n=3, cutoff=0.6)
    if not close:
        return None
    return "did you mean " + " or ".join(f"'{folded[c]}'" for c in close) + "?"


def unknown_exercise(exercise_id: str, known: Iterable[str]) -> NotFoundError:
    """The error for an exercise id the catalogue does not have, with the closest ids."""
    return NotFoundError(
        f"no exercise has the id '{exercise_id}'",
        hint=suggestion_hint(exercise_id, known, "kotcoach list"),
    )


def unknown_condition(name: str, known: Iterable[str]) -> UsageError:
    """The usage error for a --condition the catalogue does not have, listing the valid ones."""
    known = list(known)
    return UsageError(
        f"unknown condition '{name}' (valid: {', '.join(known) or 'none in this catalogue'})",
        hint=suggestion_hint(name, known, "kotcoach conditions"),
    )


def suggestion_hint(name: str, known: Iterable[str], listing: str) -> str:
    """'did you mean …?' when something is close, else where to find the valid names."""
    close = difflib.get_close_matches(name, list(known), n=3, cutoff=0.5)
    if close:
        return "did you mean " + " or ".join(f"'{c}'" for c in close) + "?"
    return f"run '{listing}' to see them all"
