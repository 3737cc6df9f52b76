"""Where a card's figure goes: top right, beside the title, meta and dose, in space the text
does not need. Shared by the PDF and HTML cards; pure.

A card's text is laid out first, at the largest size that fits (export.content.layout_card);
the figure never makes it smaller. The top blocks are re-wrapped narrower beside the figure, and
the widest figure whose narrower text still fits the card at that size wins. On a card with no
such room, there is no figure.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from kotcoach.export.content import Block

GAP = 2.0  # mm between the figure and the text beside it
WIDTHS = (46.0, 40.0, 34.0, 28.0, 22.0, 18.0, 15.0)  # mm of the card's width offered to the figure
MIN_HEIGHT = 8.0  # mm: a smaller figure is not worth printing
MAX_HEIGHT = 42.0  # mm: taller than the blocks beside it only into room the card has spare
_BESIDE = ("title", "meta", "dose", "details")  # the blocks a figure may stand beside


@dataclass(frozen=True)
class Inset:
    blocks: int  # how many leading blocks wrap beside the figure
    width: float  # mm taken from the right of those blocks, the gap included
    height: float  # mm: the height of those blocks once narrowed
    extra: float = 0.0  # mm the figure reaches below them, into spare room: the next block waits

    @property
    def box(self) -> tuple[float, float]:
        """The figure's own width and height, in mm."""
        return self.width - GAP, self.height + self.extra


# (a block, the body size, mm taken from its width) -> the block's height in mm
Height = Callable[[Block, float, float], float]


def choose_inset(
    blocks: Sequence[Block], size: float, room: float, height: Height, aspect: float
) -> Inset | None:
    """The largest figure beside the top blocks that keeps the card within `room` mm at `size`.

    `aspect` is the figure's width over its height: the inset is no wider than the figure needs.
    """
    beside = 0
    while beside < len(blocks) and blocks[beside].style in _BESIDE:
        beside += 1
    measured: dict[tuple[int, float], float] = {}

    def block(number: int, narrower: float) -> float:
        if (number, narrower) not in measured:
            measured[number, narrower] = height(blocks[number], size, narrower)
        return measured[number, narrower]

    def heights(count: int, narrower: float) -> tuple[float, float]:
        """The narrowed blocks' height, and the whole card's."""
        top = sum(block(i, narrower) for i in range(count))
        return top, top + sum(block(i, 0.0) for i in range(count, len(blocks)))

    best: Inset | None = None
    for count in range(beside, 1, -1):
        if blocks[count - 1].style == "dose" and count < beside:
            continue  # the dose and its details share one tinted box: both beside, or neither
        for width in WIDTHS:
            span, total = heights(count, width)
            if total > room:
                continue
            tall = max(span, min(span + room - total, MAX_HEIGHT))
            needed = min(width, tall * aspect + GAP)  # no wider than the figure at that height
            if needed < width:
                span, total = heights(count, needed)
            extra = max(0.0, min(span + room - total, MAX_HEIGHT) - span)
            inset = Inset(count, needed, span, extra)
            if _drawn(inset, aspect) >= MIN_HEIGHT and (
                best is None or _drawn(inset, aspect) > _drawn(best, aspect)
            ):
                best = inset
            break  # a narrower offer at this count only makes a smaller figure
    return best


def _drawn(inset: Inset, aspect: float) -> float:
    """The height the figure is drawn at in its box, in mm."""
    width, height = inset.box
    return min(height, width / aspect)
