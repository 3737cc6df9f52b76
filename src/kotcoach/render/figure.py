"""An exercise's figure in the terminal: the braille drawing (figures.braille), coloured."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text

from kotcoach.figures.braille import draw
from kotcoach.figures.pose import Scene, Style, scene

if TYPE_CHECKING:
    from kotcoach.catalogue.models import Pose

_LOOK: dict[Style, str] = {
    "body": "bold",
    "far": "dim",
    "guide": "red",
    "band": "yellow",
    "prop": "dim",
    "motion": "cyan",
    "floor": "dim",
}
ROWS = 12  # the default height in lines


def scene_text(drawing: Scene, width: int, rows: int = ROWS) -> Text:
    """The scene in at most `width` characters and `rows` lines, as large as they allow."""
    out = Text()
    lines = draw(drawing, width, rows).cells()
    for number, line in enumerate(lines):
        for char, style in line:
            out.append(char, _LOOK[style] if style else "")
        if number < len(lines) - 1:
            out.append("\n")
    out.rstrip()
    return out


def pose_text(pose: Pose, width: int, rows: int = ROWS) -> Text:
    """An exercise's figure for the terminal, start and end side by side."""
    return scene_text(scene(pose), width, rows)


def figure_rows(width: int) -> int:
    """Lines for a figure at a terminal width: 10 at 40 columns, 14 at 80, 16 from 100."""
    return max(10, min(16, 6 + width // 10))


def exercise_figure(pose: Pose | None, width: int, encoding: str | None) -> Text | None:
    """The figure to print above an exercise, or None: no pose, or braille cannot be written."""
    if pose is None:
        return None
    try:
        "\u28ff".encode(encoding or "utf-8")
    except (UnicodeEncodeError, LookupError):
        return None
    return pose_text(pose, min(width, 100), figure_rows(width))
