"""'Did you mean ...?' for a mistyped value, and the errors for unknown exercises and conditions:
stdlib and the errors only, so option parsing stays light."""

from __future__ import annotations

import difflib
from collections.abc import Iterable

from kotcoach.base.errors import NotFoundError, UsageError


def did_you_mean(name: str, known: Iterable[str]) -> str | None:
    """The closest valid values as a hint, or None when nothing is close. Case is ignored.

    A typo is found by likeness ('alx' -> 'alex'); a short form by its start ('tib' ->
    'tib-raise-wall') or by its letters in order from the first ('pfp' ->
    'patellofemoral-pain')."""
    values = list(known)
    folded = {value.casefold(): value for value in values}
    wanted = name.casefold()
    close = difflib.get_close_matches(wanted, list(folded), n=3, cutoff=0.6)
    if not close and wanted:
        close = [value for value in folded if value.startswith(wanted)][:3]
    if not close and len(wanted) >= 2:
        close = [v for v in folded if v[0] == wanted[0] and _in_order(wanted, v)][:3]
    if not close:
        return None
    return "did you mean " + " or ".join(f"'{folded[c]}'" for c in close) + "?"


def _in_order(letters: str, word: str) -> bool:
    """Whether every letter of `letters` is in `word`, in that order."""
    rest = iter(word)
    return all(letter in rest for letter in letters)


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
    known = list(known)
    close = difflib.get_close_matches(name, known, n=3, cutoff=0.5)
    if close:
        return "did you mean " + " or ".join(f"'{c}'" for c in close) + "?"
    return did_you_mean(name, known) or f"run '{listing}' to see them all"
