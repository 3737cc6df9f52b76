"""A scene drawn in Unicode braille (2 x 4 dots a character), as plain lines with the style of
each character. Pure: the terminal (kotcoach.render.figure) colours it, Markdown prints it."""

from __future__ import annotations

import math

from kotcoach.figures.pose import Scene, Style

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
# Braille dot bits by (column, row) within a character.
_BITS = ((0x01, 0x02, 0x04, 0x40), (0x08, 0x10, 0x20, 0x80))
THICK_FROM = 18.0  # dots a metre: from this scale the body is drawn two dots thick
RING_FROM = 2.5  # dots: a head smaller than this is drawn filled


class Canvas:
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

    def line(
        self, a: tuple[float, float], b: tuple[float, float], style: Style, thick: bool = False
    ) -> None:
        """A line of dots; a thick one is two dots across, doubled on the side away from the
        line's own direction (beside a steep line, below a flat one)."""
        dx, dy = b[0] - a[0], b[1] - a[1]
        steps = max(1, round(max(abs(dx), abs(dy))))
        across = (1, 0) if abs(dy) >= abs(dx) else (0, 1)
        for i in range(steps + 1):
            if style == "guide" and (i // 2) % 2:  # dashed
                continue
            t = i / steps
            x, y = round(a[0] + dx * t), round(a[1] + dy * t)
            self.dot(x, y, style)
            if thick:
                self.dot(x + across[0], y + across[1], style)

    def disc(self, centre: tuple[float, float], radius: float, style: Style) -> None:
        """A filled circle: at a few dots across, a ring reads as noise and a disc as a head."""
        cx, cy = centre
        reach = math.ceil(radius)
        for y in range(round(cy) - reach, round(cy) + reach + 1):
            for x in range(round(cx) - reach, round(cx) + reach + 1):
                if (x - cx) ** 2 + (y - cy) ** 2 <= radius**2 + 0.5:
                    self.dot(x, y, style)

    def cells(self) -> list[list[tuple[str, Style | None]]]:
        """Each line's characters (a space where no dot is set) and the style each is drawn in."""
        return [
            [
                (chr(0x2800 + bits) if bits else " ", style if bits else None)
                for bits, style in zip(self.bits[r], self.style[r], strict=True)
            ]
            for r in range(self.rows)
        ]

    def plain(self) -> str:
        """The lines as text, without the spaces that end them."""
        return "\n".join("".join(c for c, _ in line).rstrip() for line in self.cells())


def draw(drawing: Scene, width: int, rows: int) -> Canvas:
    """The scene in at most `width` characters and `rows` lines, as large as they allow.

    Unlike on paper, a lying or kneeling figure is not kept at a standing one's scale: in a
    terminal the lines are what is scarce, and the figure fills them."""
    scale = min((width * 2 - 2) / drawing.width, (rows * 4 - 2) / drawing.height)  # dots a metre
    columns = min(width, math.ceil((drawing.width * scale + 2) / 2))
    lines = min(rows, math.ceil((drawing.height * scale + 2) / 4))
    canvas = Canvas(columns, lines)
    top = lines * 4 - 1
    thick = scale >= THICK_FROM

    def at(point: tuple[float, float]) -> tuple[float, float]:
        return point[0] * scale, top - point[1] * scale

    for stroke in drawing.strokes:
        points = [at(p) for p in stroke.points]
        if stroke.closed:
            points.append(points[0])
        for a, b in zip(points, points[1:], strict=False):
            canvas.line(a, b, stroke.style, thick and stroke.style == "body")
    for circle in drawing.circles:
        centre = at(circle.centre)
        radius = circle.radius * scale
        if circle.style == "body" and radius < RING_FROM:
            canvas.disc(centre, radius, circle.style)
            continue
        count = max(8, round(radius * 8))
        ring = [
            (
                centre[0] + radius * math.cos(2 * math.pi * i / count),
                centre[1] + radius * math.sin(2 * math.pi * i / count),
            )
            for i in range(count + 1)
        ]
        for a, b in zip(ring, ring[1:], strict=False):
            canvas.line(a, b, circle.style)
    return canvas
