"""An exercise's figure in the terminal, drawn with Unicode braille (2 x 4 dots a character)."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

from rich.text import Text

from kotcoach.pose import Scene, Style, fit_scale, scene

if TYPE_CHECKING:
    from kotcoach.models import Pose

# Which style a character takes when strokes of several styles share it: the body wins.
_RANK: dict[Style, int] = {
    "body": 6,
    "far": 5,
    "guide": 4,
    "band": 3,
    "prop": 2,
    "motion": 1,
    "floor": 0,
}
_LOOK: dict[Style, str] = {
    "body": "bold",
    "far": "dim",
    "guide": "red",
    "band": "yellow",
    "prop": "dim",
    "motion": "blue",
    "floor": "dim",
}
# Braille dot bits by (column, row) within a character.
_BITS = ((0x01, 0x02, 0x04, 0x40), (0x08, 0x10, 0x20, 0x80))
ROWS = 11  # the default height in lines: a standing figure is about 10 of them


class _Canvas:
    def __init__(self, columns: int, rows: int) -> None:
        self.columns, self.rows = columns, rows
        self.bits = [[0] * columns for _ in range(rows)]
        self.style: list[list[Style | None]] = [[None] * columns for _ in range(rows)]

    def dot(self, x: int, y: int, style: Style) -> None:
        """A dot at (x, y) in dots, y down."""
        if not (0 <= x < self.columns * 2 and 0 <= y < self.rows * 4):
            return
        column, row = x // 2, y // 4
        self.bits[row][column] |= _BITS[x % 2][y % 4]
        current = self.style[row][column]
        if current is None or _RANK[style] > _RANK[current]:
            self.style[row][column] = style

    def line(self, a: tuple[float, float], b: tuple[float, float], style: Style) -> None:
        steps = max(1, round(max(abs(b[0] - a[0]), abs(b[1] - a[1]))))
        for i in range(steps + 1):
            if style == "guide" and (i // 2) % 2:  # dashed
                continue
            t = i / steps
            self.dot(round(a[0] + (b[0] - a[0]) * t), round(a[1] + (b[1] - a[1]) * t), style)

    def text(self) -> Text:
        out = Text()
        for r in range(self.rows):
            for c in range(self.columns):
                bits, style = self.bits[r][c], self.style[r][c]
                out.append(chr(0x2800 + bits) if bits else " ", _LOOK[style] if style else "")
            if r < self.rows - 1:
                out.append("\n")
        out.rstrip()
        return out


def scene_text(drawing: Scene, width: int, rows: int = ROWS) -> Text:
    """The scene in at most `width` characters and `rows` lines."""
    scale = fit_scale(drawing, width * 2 - 1, rows * 4 - 1)  # dots per metre
    columns = min(width, math.ceil((drawing.width * scale + 1) / 2))
    lines = min(rows, math.ceil((drawing.height * scale + 1) / 4))
    canvas = _Canvas(columns, lines)
    top = lines * 4 - 1

    def at(point: tuple[float, float]) -> tuple[float, float]:
        return point[0] * scale, top - point[1] * scale

    for stroke in drawing.strokes:
        points = [at(p) for p in stroke.points]
        if stroke.closed:
            points.append(points[0])
        for a, b in zip(points, points[1:], strict=False):
            canvas.line(a, b, stroke.style)
    for circle in drawing.circles:
        cx, cy = at(circle.centre)
        radius = circle.radius * scale
        count = max(8, round(radius * 8))
        ring = [
            (
                cx + radius * math.cos(2 * math.pi * i / count),
                cy + radius * math.sin(2 * math.pi * i / count),
            )
            for i in range(count + 1)
        ]
        for a, b in zip(ring, ring[1:], strict=False):
            canvas.line(a, b, circle.style)
    return canvas.text()


def pose_text(pose: Pose, width: int, rows: int = ROWS) -> Text:
    """An exercise's figure for the terminal, start and end side by side."""
    return scene_text(scene(pose), width, rows)


def figure_rows(width: int) -> int:
    """Lines for a figure at a terminal width: 8 at 40 columns, 13 at 80 and wider."""
    return max(8, min(13, width // 6))


def exercise_figure(pose: Pose | None, width: int, encoding: str | None) -> Text | None:
    """The figure to print above an exercise, or None: no pose, or braille cannot be written."""
    if pose is None:
        return None
    try:
        "\u28ff".encode(encoding or "utf-8")
    except (UnicodeEncodeError, LookupError):
        return None
    return pose_text(pose, min(width, 100), figure_rows(width))
