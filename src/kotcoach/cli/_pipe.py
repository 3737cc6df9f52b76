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
    from rich.console import Console, RenderableType


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
