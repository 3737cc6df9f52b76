"""Handouts: cue cards and plans written as Markdown, HTML or PDF.

`content` gathers what a handout says into format-neutral records and lays cards out as blocks;
`markdown`, `html` and `pdf` each render a whole handout. This module checks the target and
writes: to a temporary file in the target's folder, renamed over the target only once complete,
so a failure leaves nothing half-written. fpdf2 is an optional extra (`kotcoach[pdf]`) imported
only to write a PDF; nothing here imports rich or typer.
"""

from __future__ import annotations

import errno
import os
import secrets
import stat
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from kotcoach.errors import ExportError, UsageError
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
from kotcoach.ladders import Index
from kotcoach.models import Exercise
from kotcoach.pain import STOP_LINE
from kotcoach.planner import Plan

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

    Anything at the target's name counts as existing, a dangling or looping symlink included
    (lstat, not exists(), which follows links and says no for both). _write checks again at the
    moment of writing, since a file can appear while the handout renders.
    """
    suffix = path.suffix.lower()
    if suffix not in FORMATS:
        raise UsageError(
            f"cannot export to '{path.name}': the name must end in "
            + ", ".join(FORMATS[:-1])
            + f" or {FORMATS[-1]}"
        )
    try:
        existing = path.lstat()
    except (FileNotFoundError, NotADirectoryError):  # the folder checks below say which
        existing = None
    except OSError as error:  # a name too long, a loop in the folders above it, ...
        raise ExportError(f"cannot export to {path}: {error.strerror}") from None
    if existing is not None and stat.S_ISDIR(existing.st_mode):
        raise ExportError(f"{path} is a folder, not a file")
    if existing is not None and not force:
        what = "a symbolic link" if stat.S_ISLNK(existing.st_mode) else "a file"
        raise ExportError(f"{path} already exists ({what})", hint="pass --force to overwrite it")
    folder = path.parent
    if not folder.exists():
        raise ExportError(f"the folder {folder} does not exist")
    if not folder.is_dir():
        raise ExportError(f"{folder} is not a folder")
    if not os.access(folder, os.W_OK | os.X_OK):
        raise ExportError(f"cannot write in the folder {folder}", hint="check its permissions")
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


def export_cards(
    index: Index,
    exercises: Sequence[Exercise],
    path: Path,
    force: bool,
    conditions: Sequence[str] = (),
    byline: Byline | None = None,
    paper: str | None = None,
) -> Exported:
    """Write cue cards for these exercises, with the cautions for `conditions`."""
    fmt = check_target(path, force)
    if not exercises:
        raise ExportError("no exercises to make cards for")
    data, exported = _render(fmt, cards_handout(index, exercises, conditions, byline), paper)
    _write(path, data, force)
    return exported


def export_plan(
    index: Index,
    plan: Plan,
    path: Path,
    force: bool,
    byline: Byline | None = None,
    paper: str | None = None,
) -> Exported:
    """Write a plan handout: the week's table, the pain rules, then a card per exercise."""
    fmt = check_target(path, force)
    data, exported = _render(fmt, plan_handout(index, plan, byline), paper)
    _write(path, data, force)
    return exported


def _render(fmt: str, handout: Handout, paper: str | None) -> tuple[bytes, Exported]:
    if fmt == "md":
        return render_markdown(handout).encode("utf-8"), Exported(None)
    if fmt == "html":
        page = render_html(handout, paper)
        return page.encode("utf-8"), Exported(1 + page.count('<section class="sheet">'))
    result = render_pdf(handout, paper or "a4")
    return result.data, Exported(result.pages, result.missing)


def _write(path: Path, data: bytes, force: bool) -> None:
    """Write to a temporary file beside the target, then put it in place in one step.

    The target is never half-written. Without --force the last step is a hard link, which fails
    if anything has taken the name meanwhile, so a file created while the handout rendered is
    never overwritten. With --force, the file replaces what is there without following a link,
    and keeps the permissions of the file it replaces (a 0600 handout stays private).
    """
    mode = _final_mode(path, force)
    # A short name of its own: the target's name may already be near the 255-byte limit.
    temp = path.parent / f".kotcoach-{secrets.token_hex(6)}.tmp"
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0)
    try:
        # 0600 while it is written; the final mode is set just before it takes the name.
        descriptor = os.open(temp, flags, 0o600)
    except OSError as error:
        raise ExportError(f"could not write in {path.parent}: {error.strerror}") from error
    try:
        with os.fdopen(descriptor, "wb") as file:
            file.write(data)
            os.fchmod(file.fileno(), mode)
        if force:
            os.replace(temp, path)
        else:
            _link_exclusively(temp, path, data, mode)
    except FileExistsError:
        raise ExportError(
            f"{path} appeared while the handout was made", hint="pass --force to overwrite it"
        ) from None
    except OSError as error:
        raise ExportError(f"could not write {path}: {error.strerror or error}") from error
    finally:
        temp.unlink(missing_ok=True)  # already gone once renamed


def _final_mode(path: Path, force: bool) -> int:
    """The mode of the file being replaced (with --force), else the usual one (0666 - umask)."""
    if force:
        try:
            existing = path.lstat()
        except OSError:
            existing = None
        if existing is not None and stat.S_ISREG(existing.st_mode):
            return stat.S_IMODE(existing.st_mode)
    umask = os.umask(0o022)
    os.umask(umask)
    return 0o666 & ~umask


def _link_exclusively(temp: Path, path: Path, data: bytes, mode: int) -> None:
    """Give the finished file the target's name only if the name is free (FileExistsError if not).

    Where hard links are not supported (some network and FAT file systems), the target is
    created with O_EXCL instead and written directly; removed again if the write fails.
    """
    try:
        os.link(temp, path, follow_symlinks=False)
        return
    except FileExistsError:
        raise
    except OSError as error:
        if error.errno not in {errno.EPERM, errno.ENOTSUP, errno.EOPNOTSUPP, errno.EXDEV}:
            raise
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0)
    descriptor = os.open(path, flags, mode)
    try:
        with os.fdopen(descriptor, "wb") as file:
            file.write(data)
    except BaseException:
        path.unlink(missing_ok=True)
        raise
