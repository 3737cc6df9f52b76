"""Text for paper and screens: control and bidi-override characters out. Stdlib only."""

from __future__ import annotations

import unicodedata

# Kept on paper: the joiners that some scripts and emoji need. Every other format character (the
# bidi overrides such as U+202E among them) and every control character is dropped.
_KEPT_FORMAT = {"\u200c", "\u200d"}


def plain(value: str) -> str:
    """Text with control and bidi-override characters removed: they mean nothing on paper, and
    an override would make a printed line read backwards."""
    if value.isprintable():
        return value
    return "".join(
        c
        for c in value
        if c in "\n\t" or c in _KEPT_FORMAT or unicodedata.category(c) not in {"Cc", "Cf"}
    )
