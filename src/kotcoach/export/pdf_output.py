"""Writing an fpdf2 document out, with fpdf2's own log of missing glyphs kept quiet: the
handouts and the report each say so once, in kotcoach's words. Shared by both, and light, so
the report need not load the card handout's code."""

from __future__ import annotations

import logging
from typing import Any


def output_quietly(pdf: Any) -> tuple[bytes, str]:
    """The document's bytes, and the characters its fonts had no glyph for (each once)."""
    logger = logging.getLogger("fpdf")
    level = logger.level
    logger.setLevel(logging.ERROR)
    try:
        data = bytes(pdf.output())
    finally:
        logger.setLevel(level)
    missing = "".join(
        dict.fromkeys(
            chr(c) for font in pdf.fonts.values() for c in getattr(font, "missing_glyphs", [])
        )
    )
    return data, missing
