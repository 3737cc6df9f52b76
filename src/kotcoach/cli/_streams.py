"""Standard streams that never crash on a character their encoding cannot hold.

Under `PYTHONIOENCODING=ascii`, a latin-1 or cp1252 console, or `LC_ALL=C` without UTF-8 mode,
printing an en dash or an arrow raised UnicodeEncodeError, and the red-flag stop could be lost to
a traceback. At start-up every standard stream is switched to an error handler that writes the
nearest ASCII (a hyphen for a dash, "->" for an arrow) and "?" for anything else, so output
degrades instead of failing. Stdlib only: it runs before every command.
"""

from __future__ import annotations

import codecs
import io
import sys

HANDLER = "kotcoach-degrade"

# The typographic characters kotcoach's own text and catalogue use, and their nearest ASCII.
_NEAREST = {
    "\u2013": "-",  # en dash
    "\u2014": "-",  # em dash
    "\u2212": "-",  # minus sign
    "\u2018": "'",
    "\u2019": "'",
    "\u201c": '"',
    "\u201d": '"',
    "\u2022": "*",  # bullet
    "\u00b7": ".",  # middle dot
    "\u2026": "...",
    "\u00d7": "x",  # multiplication sign
    "\u00b0": " deg",
    "\u2190": "<-",
    "\u2192": "->",
    "\u2191": "^",
    "\u2193": "v",
    "\u00a0": " ",
}


def _degrade(error: UnicodeError) -> tuple[str, int]:
    if not isinstance(error, UnicodeEncodeError):
        raise error
    text = error.object[error.start : error.end]
    return "".join(_NEAREST.get(char, "?") for char in text), error.end


def _register() -> None:
    try:
        codecs.lookup_error(HANDLER)
    except LookupError:
        codecs.register_error(HANDLER, _degrade)


def harden_streams() -> None:
    """Make stdout and stderr degrade instead of raising, and stdin replace what it cannot read."""
    _register()
    for stream in (sys.stdout, sys.stderr):
        if isinstance(stream, io.TextIOWrapper):
            stream.reconfigure(errors=HANDLER)
    if isinstance(sys.stdin, io.TextIOWrapper):
        sys.stdin.reconfigure(errors="replace")


def can_encode(text: str, stream: object) -> bool:
    """Whether the stream's encoding holds every character of the text."""
    encoding = getattr(stream, "encoding", None) or "utf-8"
    try:
        text.encode(encoding)
    except (UnicodeEncodeError, LookupError):
        return False
    return True
