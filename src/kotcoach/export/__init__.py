"""Handouts: cue cards and plans written as Markdown, HTML or PDF.

`content` gathers what a handout says into format-neutral records and lays cards out as blocks;
`markdown`, `html` and `pdf` each render a whole handout. This module checks the target and
writes through kotcoach.base.writing: whole or not at all, and never over anything without --force.
fpdf2 is an optional extra (`kotcoach[pdf]`) imported only to write a PDF; nothing here imports
rich or typer.
"""

from __future__ import annotations

import importlib
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kotcoach.base.errors import ExportError, UsageError
from kotcoach.base.writing import check_free, write_whole

if TYPE_CHECKING:
    from kotcoach.catalogue.ladders import Index
    from kotcoach.catalogue.models import Exercise
    from kotcoach.coaching.pain import STOP_LINE
    from kotcoach.coaching.planner import Plan
    from kotcoach.export.content import (
        SIZES,
        Byline,
        Card,
        Handout,
        build_card,
        card_blocks,
        cards_handout,
        layout_card,
        plan_handout,
    )
    from kotcoach.export.html import HTML_CARD, render_html
    from kotcoach.export.markdown import render_markdown
    from kotcoach.export.pdf import FONTS, PAPERS, render_pdf

# The handout code is imported on first use: the progress report (export.report) needs only
# check_target from here, and should not pay for the cards' layout, HTML and PDF modules.
_LAZY = {
    "SIZES": "kotcoach.export.content",
    "Byline": "kotcoach.export.content",
    "Card": "kotcoach.export.content",
    "Handout": "kotcoach.export.content",
    "build_card": "kotcoach.export.content",
    "card_blocks": "kotcoach.export.content",
    "cards_handout": "kotcoach.export.content",
    "layout_card": "kotcoach.export.content",
    "plan_handout": "kotcoach.export.content",
    "HTML_CARD": "kotcoach.export.html",
    "render_html": "kotcoach.export.html",
    "render_markdown": "kotcoach.export.markdown",
    "FONTS": "kotcoach.export.pdf",
    "PAPERS": "kotcoach.export.pdf",
    "render_pdf": "kotcoach.export.pdf",
    "STOP_LINE": "kotcoach.coaching.pain",
}


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


__all__ = [
    "FONTS",
    "FORMATS",
    "HTML_CARD",
    "PAPERS",
    "SIZES",
    "STOP_LINE",
    "Byline",
    "Card",
    "Exported",
    "Handout",
    "Printing",
    "build_card",
    "card_blocks",
    "cards_handout",
    "check_target",
    "export_cards",
    "export_plan",
    "layout_card",
    "plan_handout",
    "render_html",
    "render_markdown",
    "render_pdf",
]

FORMATS = (".md", ".html", ".pdf")
PDF_HINT = "install it with pip install 'kotcoach[pdf]'"


def check_target(path: Path, force: bool) -> str:
    """Validate before any work: returns the format ('md', 'html' or 'pdf').

    What may be at the target's name is checked by kotcoach.base.writing, which checks again at the
    moment of writing, since a file can appear while the handout renders.
    """
    suffix = path.suffix.lower()
    if suffix not in FORMATS:
        raise UsageError(
            f"cannot export to '{path.name}': the name must end in "
            + ", ".join(FORMATS[:-1])
            + f" or {FORMATS[-1]}"
        )
    check_free(path, force, "export to")
    fmt = suffix[1:]
    if fmt == "pdf":
        _require_fpdf()
    return fmt


def _require_fpdf() -> None:
    try:
        import fpdf  # noqa: F401
    except ImportError:
        raise ExportError("PDF export needs fpdf2", hint=PDF_HINT) from None


@dataclass(frozen=True)
class Exported:
    """What was written, for the one-line confirmation."""

    pages: int | None  # None for Markdown, which has no pages
    missing: str = ""  # characters the PDF font could not draw ('' when none)


@dataclass(frozen=True)
class Printing:
    """How a handout is printed, as the handout options give it: whose it is (`--for`,
    `--clinic`, the date), the paper (None: A4) and whether the figures are drawn."""

    byline: Byline | None = None
    paper: str | None = None
    pictures: bool = True


def export_cards(
    index: Index,
    exercises: Sequence[Exercise],
    path: Path,
    force: bool,
    conditions: Sequence[str] = (),
    printing: Printing = Printing(),
) -> Exported:
    """Write cue cards for these exercises, with the cautions for `conditions`."""
    from kotcoach.export.content import cards_handout

    fmt = check_target(path, force)
    if not exercises:
        raise ExportError("no exercises to make cards for")
    handout = cards_handout(index, exercises, conditions, printing.byline)
    return _write(fmt, handout, printing, path, force)


def export_plan(
    index: Index, plan: Plan, path: Path, force: bool, printing: Printing = Printing()
) -> Exported:
    """Write a plan handout: the week's table, the pain rules, then a card per exercise."""
    from kotcoach.export.content import plan_handout

    fmt = check_target(path, force)
    return _write(fmt, plan_handout(index, plan, printing.byline), printing, path, force)


def _write(fmt: str, handout: Handout, printing: Printing, path: Path, force: bool) -> Exported:
    """Render the handout as `printing` says (without the figures when `pictures` is False:
    --no-pictures) and write it whole."""
    shown = handout if printing.pictures else without_figures(handout)
    data, exported = _render(fmt, shown, printing.paper)
    write_whole(path, data, force)
    return exported


def without_figures(handout: Handout) -> Handout:
    """The handout with no figure on any card or beside any row of its tables."""
    from dataclasses import replace

    return replace(
        handout,
        cards=tuple(replace(card, pose=None) for card in handout.cards),
        tables=tuple(replace(table, figures=()) for table in handout.tables),
    )


def _render(fmt: str, handout: Handout, paper: str | None) -> tuple[bytes, Exported]:
    if fmt == "md":
        from kotcoach.export.markdown import render_markdown

        return render_markdown(handout).encode("utf-8"), Exported(None)
    if fmt == "html":
        from kotcoach.export.html import render_html

        page = render_html(handout, paper)
        return page.encode("utf-8"), Exported(1 + page.count('<section class="sheet">'))
    from kotcoach.export.pdf import render_pdf

    result = render_pdf(handout, paper or "a4")
    return result.data, Exported(result.pages, result.missing)
