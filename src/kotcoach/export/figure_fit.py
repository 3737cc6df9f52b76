"""A figure's size on paper: its frames packed close, side by side or one above the other, drawn
at one scale on every handout, a standing person STANDING_MM tall. Pure.

The scene (`figures.pose.scene`) gives every frame a panel as wide as the widest frame needs, so
that a figure which walks keeps its place; on paper that width is blank. `packed` cuts each frame
to what it draws (its own floor line kept under it) and sets the frames close together: beside
one another, read left to right, or one above the other, read top to bottom, for a column too
narrow for both side by side. Issue 24 asked for figures at least 35 mm tall that a patient can
follow: a standing person is drawn STANDING_MM tall, and a lying or kneeling one at that same
scale (beside a row, a figure shorter than a standing one larger, to the same height).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from kotcoach.figures.pose import HEIGHT, Circle, Scene, Stroke, split_panels

STANDING_MM = 36.0  # mm: a standing person's drawn height, head to sole (issue 24: at least 35)
SCALE = STANDING_MM / HEIGHT  # mm a metre: every handout figure is drawn at this scale or larger
PACK_GAP = 0.22  # metres between packed frames
STACK_GAP = 0.06  # metres between frames one above the other
EDGE = 0.05  # metres of floor beyond what a frame draws


@dataclass(frozen=True)
class Fitted:
    """A packed scene at a scale: its size on paper in mm."""

    scene: Scene
    scale: float  # mm a metre
    stacked: bool

    @property
    def width(self) -> float:
        return self.scene.width * self.scale

    @property
    def height(self) -> float:
        return self.scene.height * self.scale

    @property
    def full_size(self) -> bool:
        """Drawn at SCALE: a standing person STANDING_MM tall."""
        return self.scale >= SCALE - 1e-9


def _extent(strokes: Sequence[Stroke], circles: Sequence[Circle]) -> tuple[float, float]:
    xs = [x for s in strokes for x, _ in s.points]
    xs += [c.centre[0] + side * c.radius for c in circles for side in (-1, 1)]
    return (min(xs) - EDGE, max(xs) + EDGE) if xs else (0.0, 0.0)


def packed(drawing: Scene, stacked: bool = False, last_only: bool = False) -> Scene:
    """The scene's frames cut to what they draw, side by side or (`stacked`) first above last;
    or (`last_only`) only the last frame, where the movement ends, with its arrow."""
    panels = split_panels(drawing, "floor")
    if last_only:
        panels = panels[-1:]
    extents = [_extent(*panel) for panel in panels]
    widest = max(right - left for left, right in extents)
    count = len(panels)
    height = drawing.height
    strokes: list[Stroke] = []
    circles: list[Circle] = []
    x = 0.0
    for i, ((items, rounds), (left, right)) in enumerate(zip(panels, extents, strict=True)):
        if stacked:
            dx = (widest - (right - left)) / 2 - left
            dy = (count - 1 - i) * (height + STACK_GAP)
        else:
            dx, dy = x - left, 0.0
            x += right - left + PACK_GAP
        strokes.append(Stroke(((left + dx, dy), (right + dx, dy)), "floor"))
        strokes += [
            Stroke(tuple((px + dx, py + dy) for px, py in s.points), s.style, s.closed, s.filled)
            for s in items
        ]
        circles += [
            Circle((c.centre[0] + dx, c.centre[1] + dy), c.radius, c.style, c.filled)
            for c in rounds
        ]
    if stacked:
        width, total = widest, count * height + (count - 1) * STACK_GAP
    else:
        width, total = x - PACK_GAP, height
    return Scene(width, total, tuple(strokes), tuple(circles), count)


def fitted(drawing: Scene, width: float, most: float = SCALE) -> list[Fitted]:
    """The figure side by side and (with two frames or more) stacked, each at `most` mm a metre
    or as much less as `width` mm needs; the side-by-side first."""
    shapes = [(packed(drawing), False)]
    if drawing.panels > 1:
        shapes.append((packed(drawing, stacked=True), True))
    return [
        Fitted(shape, min(most, width / shape.width) if shape.width else most, stacked)
        for shape, stacked in shapes
    ]


def row_figure(drawing: Scene, width: float) -> Fitted:
    """The figure beside a row of a day's table, in a column `width` mm wide: its frames side
    by side at full size where they fit; else its last frame alone (the position the movement
    reaches, with its arrow; the card after the table shows every frame), at full size or as
    much smaller as the column needs. Never stacked: a row stays one figure tall. A figure
    shorter than a standing one (lying, kneeling, seated) is drawn larger, as far as the
    column's width and a standing figure's height allow: the row grows no taller for it."""
    both = packed(drawing)
    shape = both if both.width * SCALE <= width else packed(drawing, last_only=True)
    larger = max(SCALE, STANDING_MM / shape.height) if shape.height else SCALE
    return Fitted(shape, min(larger, width / shape.width) if shape.width else SCALE, False)


FIGURE_COLUMN = 68.0  # mm: the widest a figure beside a row of a day's table may be
WEEK_COLUMN = 16.0  # mm: a week's column in a plan over several weeks, at the least


def figure_column(weeks: int, width: float) -> float:
    """mm the figures beside a day table's rows may take of its `width`: FIGURE_COLUMN, less
    in a table of `weeks` weeks side by side (0 for one week), whose weeks need their columns
    (the label's and the name's 52 mm kept too); then a row shows its last frame."""
    if not weeks:
        return FIGURE_COLUMN
    return max(34.0, min(FIGURE_COLUMN, width - 16.0 - 36.0 - weeks * WEEK_COLUMN))
