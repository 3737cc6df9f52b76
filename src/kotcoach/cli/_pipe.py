"""Printing a long renderable into a pipe or a file a line at a time.

`_app._print` captures the whole rendering and then writes it: for `list` on a 2,000-exercise
catalogue that holds every segment of 2,000 rows at once (several megabytes). Into a pipe or a
file (no colours, no cursor control) the same lines can be written as rich renders them: rich
lays a table out from all its rows first, then yields it row by row. The text written is the
same, line for line, without the padding rich adds to fill the width; a terminal still gets
rich's own print.
"""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Callable, Sequence

    from rich.console import Console, RenderableType

    from kotcoach.render.today import Part


def print_lines(renderable: RenderableType, console: Console) -> None:
    """Print to stdout as `_app._print` does, a line at a time when stdout is not a terminal."""
    if console.is_terminal:
        from kotcoach.cli._app import _print

        _print(renderable, console=console)
        return
    from rich.segment import Segment

    # The options and the cropping Console.print uses.
    options = console.options.update(
        justify=None, overflow=None, height=None, no_wrap=None, markup=None, highlight=None
    )
    segments = console.render(renderable, options)
    write = sys.stdout.write
    for line in Segment.split_and_crop_lines(segments, console.width, pad=False):
        text = "".join(segment.text for segment in line if not segment.control)
        # splitlines, as _print's: it also breaks at the rarer line ends (\v, \f, \x1c, ...)
        for part in text.splitlines() or [""]:
            write(part.rstrip() + "\n")


def plain_width() -> int | None:
    """The columns rich's Console (as `_app._out` makes it) would print stdout at, when by rich's
    own tests stdout is not a terminal and takes UTF-8, so that its output is plain text with
    nothing but the text in it; None otherwise (a terminal, a forced one, Windows, Jupyter, an
    ASCII stream, a width rich would not print at). Decided without importing rich's console."""
    import builtins
    import os

    if sys.platform == "win32" or hasattr(builtins, "get_ipython"):
        return None
    environ = os.environ
    compatible = environ.get("TTY_COMPATIBLE", "")
    if compatible == "1":
        return None
    if compatible != "0":
        force_color = environ.get("FORCE_COLOR")
        if force_color:
            return None
        if force_color is None:
            try:
                if sys.stdout.isatty():
                    return None
            except (AttributeError, ValueError):
                pass
    encoding = getattr(sys.stdout, "encoding", "utf-8") or "utf-8"
    if not encoding.lower().startswith("utf"):
        return None  # rich would draw its boxes in ASCII
    columns = environ.get("COLUMNS")
    if columns is not None and columns.isdigit():
        width = int(columns)
    else:
        width = 0
        for descriptor in (0, 1, 2):
            try:
                width = os.get_terminal_size(descriptor).columns
            except (AttributeError, ValueError, OSError):
                continue
            break
        width = width or 80
    return width if width >= 1 else None


def print_parts(parts: Callable[[int], Sequence[Part]]) -> None:
    """Print a page of kotcoach.render.today's parts, laid out for the width it is printed at:
    into a pipe or a file as plain lines without rich's console, to a terminal with rich."""
    width = plain_width()
    if width is not None:
        from kotcoach.render.today import plain_lines

        lines = plain_lines(parts(width), width)
        if lines is not None:
            sys.stdout.write("\n".join(lines) + "\n")
            return
    from kotcoach.cli._app import _out, _print
    from kotcoach.render.today import rich_parts

    console = _out()
    _print(*rich_parts(parts(console.width)), console=console)
