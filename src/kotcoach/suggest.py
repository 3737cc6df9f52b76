"""'Did you mean ...?' for a mistyped value: stdlib only, so option parsing stays light."""

from __future__ import annotations

import difflib
from collections.abc import Iterable


def did_you_mean(name: str, known: Iterable[str]) -> str | None:
    """The closest valid values as a hint, or None when nothing is close. Case is ignored."""
    values = list(known)
    folded = {value.casefold(): value for value in values}
    close = difflib.get_close_matches(name.casefold(), list(folded), n=3, cutoff=0.6)
    if not close:
        return None
    return "did you mean " + " or ".join(f"'{folded[c]}'" for c in close) + "?"
