"""Where a card's figure goes: top right, beside the title, meta and dose, where it reads first.
Shared by the PDF and HTML cards; pure.

Every card with a pose gets its figure (`layout_with_figure`), and nothing shrinks for it: the
text keeps the body size it would have alone (export.content.layout_card). The top blocks are
re-wrapped narrower beside the figure, and the widest figure whose narrower text still fits the
card wins. When no figure MIN_HEIGHT tall fits, the gaps between blocks close up (GAPS, at most
to content.TIGHT);
when that is not enough either, the card continues, its first face keeping room for a figure of
CONTINUED_HEIGHT.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from kotcoach.export.content import (
    LEADING,
    PT,
    SIZES,
    TIGHT,
    Block,
    Card,
    block_height,
    card_blocks,
    continue_card,
)

GAP = 2.0  # mm between the figure and the text beside it
WIDTHS = (46.0, 40.0, 34.0, 28.0, 22.0, 18.0, 15.0)  # mm of the card's width offered to the figure
MIN_HEIGHT = 10.0  # mm, for a standing figure: smaller, a knee's angle is hard to read
CONTINUED_HEIGHT = 16.0  # mm: a figure worth closing gaps or continuing a card for
GAPS = (1.0, 0.85, 0.7, TIGHT)  # the gaps tried, as shares of the usual: widest first
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


# (a block, the body size, mm taken from its width) -> its lines
NarrowWrap = Callable[[Block, float, float], list[str]]


@dataclass(frozen=True)
class CardLayout:
    size: float  # the body size, in points
    faces: list[list[Block]]  # the first, then any continued faces
    inset: Inset | None  # the figure on the first face; None only for a card with no pose
    gaps: float = 1.0  # the gaps between blocks, as a share of the usual (one of GAPS)


def layout_with_figure(
    card: Card, wrap: NarrowWrap, room: float, aspect: float | None
) -> CardLayout:
    """A card laid out with its figure (`aspect`: the figure's width over its height; None for
    a card with no figure) in faces of `room` mm.

    The body size is the one the text alone would have. When the figure finds no room at it,
    the gaps between blocks close up, only as far as it needs, before the text gets a step
    smaller; at the smallest size, before the card continues."""
    lines: dict[tuple[Block, float, float], list[str]] = {}

    def wrapped(block: Block, size: float, narrower: float = 0.0) -> list[str]:
        key = (block, size, narrower)
        if key not in lines:
            lines[key] = wrap(block, size, narrower)
        return lines[key]

    def heights(gaps: float) -> Height:
        def height(block: Block, size: float, narrower: float) -> float:
            return block_height(block, len(wrapped(block, size, narrower)) or 1, size, gaps)

        return height

    blocks = card_blocks(card)
    for size in SIZES:
        fits = sum(heights(1.0)(b, size, 0.0) for b in blocks) <= room
        if aspect is None and fits:
            return CardLayout(size, [blocks], None)
        if aspect is None or not (fits or size == SIZES[-1]):
            continue  # closing the gaps never buys a larger size, only a place for the figure
        # Closing the gaps is worth it for a figure that reads: close them only as far as a
        # figure CONTINUED_HEIGHT tall needs, or else as far as they go for the largest one.
        tightened: tuple[float, CardLayout] | None = None
        for gaps in GAPS:
            inset = choose_inset(blocks, size, room, heights(gaps), aspect)
            if inset is None:
                continue
            drawn = _drawn(inset, aspect)
            if gaps == 1.0 or drawn >= CONTINUED_HEIGHT:
                return CardLayout(size, [blocks], inset, gaps)
            if tightened is None or drawn > tightened[0]:
                tightened = (drawn, CardLayout(size, [blocks], inset, gaps))
        if tightened is not None:
            return tightened[1]
    size = SIZES[-1]
    height = heights(1.0)
    faces = continue_card(card, blocks, wrapped, size, room)
    if aspect is None:
        return CardLayout(size, faces, None)
    # Leave the first face a line more room at a time until the figure is tall enough.
    line = size * LEADING * PT
    best = CardLayout(size, faces, choose_inset(faces[0], size, room, height, aspect))
    reserve = 0.0
    while reserve < room / 2 and (
        best.inset is None or _drawn(best.inset, aspect) < CONTINUED_HEIGHT
    ):
        reserve += line
        faces = continue_card(card, blocks, wrapped, size, room, room - reserve)
        inset = choose_inset(faces[0], size, room, height, aspect)
        if inset is not None and (
            best.inset is None or _drawn(inset, aspect) > _drawn(best.inset, aspect)
        ):
            best = CardLayout(size, faces, inset)
    return best
