"""Where a card's figure goes: under the title and the meta line, at the right with the dose and
what follows narrowed beside it, or across the card as a band when the text beside it would be
too narrow to read. Shared by the PDF and HTML cards; pure.

Every card with a pose gets its figure, at least at export.figure_fit's full size (a standing
person STANDING_MM tall), side by side or with its frames stacked, whichever keeps the card
shortest; a card with room to spare draws it larger (GROWTH). The text starts at the body size
it would have alone (export.content.layout_card). When the card does not fit its cell with the
figure, the gaps between blocks close up (GAPS, at most to content.TIGHT), then the text takes a
smaller size (never below 8 pt): one card an exercise reads better than a card cut in two. When
even that is not enough, the card continues, its first face holding the figure as a band.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from kotcoach.export.content import (
    MIN_LINES,
    SIZES,
    TIGHT,
    Block,
    Card,
    block_height,
    card_blocks,
    continue_card,
)
from kotcoach.export.figure_fit import SCALE, Fitted, fitted

if TYPE_CHECKING:
    from kotcoach.figures.pose import Scene

GAP = 2.5  # mm between the figure and the text beside it
TOP = 1.0  # mm between the meta line and the figure's top
BELOW = 1.0  # mm between the figure's foot and the text under it
MIN_TEXT = 22.0  # mm: text beside a figure no narrower than this (a dose box reads at that)
ABOVE = 2  # the title and the meta line stay above the figure, full width
GROWTH = (1.3, 1.15, 1.0)  # the figure's scale tried, as multiples of full size, largest first
GAPS = (1.0, 0.85, 0.7, TIGHT)  # the gaps tried, as shares of the usual: widest first

# A figure drawn from the scene (`figures.pose.scene`) for a card `width` mm wide, at a growth
# of its full size: the side-by-side and the stacked arrangements (export.figure_fit.fitted).
Figure = Callable[[float, float], Sequence[Fitted]]


@dataclass(frozen=True)
class Inset:
    blocks: int  # blocks after the title and meta narrowed beside the figure (0: a band)
    width: float  # mm taken from the right of those blocks, the gap included (0 for a band)
    height: float  # mm those blocks take once narrowed
    extra: float  # mm the figure reaches below them: the next block waits
    fit: Fitted  # the figure: its packed scene and scale
    above: int = ABOVE  # blocks above the figure, full width

    @property
    def box(self) -> tuple[float, float]:
        """The figure's own width and height, in mm."""
        return self.fit.width, self.fit.height

    @property
    def band(self) -> bool:
        return self.blocks == 0

    def beside(self, number: int) -> bool:
        """Whether block `number` is narrowed beside the figure."""
        return self.above <= number < self.above + self.blocks

    @property
    def below(self) -> int:
        """The first block under the figure: it waits for `extra`."""
        return self.above + self.blocks


# (a block, the body size, mm taken from its width) -> the block's height in mm
Height = Callable[[Block, float, float], float]
# (a block, the body size, mm taken from its width) -> its lines
NarrowWrap = Callable[[Block, float, float], list[str]]
_WHOLE = {"title", "meta", "dose", "details", "label", "strong"}  # never split beside a figure


def candidates(
    blocks: Sequence[Block],
    size: float,
    room_width: float,
    height: Height,
    wrap: NarrowWrap,
    fit: Fitted,
) -> list[tuple[float, Inset, list[Block]]]:
    """The figure beside the blocks under the meta line (when the text there stays wide enough)
    and as a band; each with the card's whole height and its blocks. Beside the figure the text
    flows as it would around it: a paragraph reaching below the figure is cut after its last
    line beside it and goes on at full width (at least MIN_LINES lines on each side)."""
    above = min(ABOVE, len(blocks))
    top = sum(height(blocks[i], size, 0.0) for i in range(above))
    reach = TOP + fit.height + BELOW
    found = []
    narrower = fit.width + GAP
    if room_width - narrower >= MIN_TEXT:
        span = 0.0
        beside: list[Block] = []
        queue = list(blocks[above:])
        while queue and span < reach:
            block = queue[0]
            whole = height(block, size, narrower)
            if span + whole <= reach or block.style in _WHOLE:
                beside.append(queue.pop(0))
                span += whole
                continue
            lines = wrap(block, size, narrower)
            line = block_height(block, 1, size, 0.0)
            gap = whole - len(lines) * line
            fits = max(0, math.ceil((reach - span - gap) / line))  # lines starting beside it
            if fits < MIN_LINES:
                break  # it starts too low beside the figure: it waits below it, at full width
            if len(lines) - fits < MIN_LINES:
                beside.append(queue.pop(0))
                span += whole
                continue
            queue.pop(0)
            first = replace(block, text=" ".join(lines[:fits]))
            rest = replace(block, text=" ".join(lines[fits:]), marker="")
            beside.append(first)
            queue.insert(0, rest)
            span += height(first, size, narrower)
        if (
            queue and beside and beside[-1].style == "dose" and queue[0].style == "details"
        ):  # the dose and its details share one tinted box: both beside, or neither
            span += height(queue[0], size, narrower)
            beside.append(queue.pop(0))
        rest_height = sum(height(b, size, 0.0) for b in queue)
        extra = max(0.0, reach - span)
        laid = [*blocks[:above], *beside, *queue]
        found.append(
            (
                top + span + extra + rest_height,
                Inset(len(beside), narrower, span, extra, fit, above),
                laid,
            )
        )
    rest_height = sum(height(b, size, 0.0) for b in blocks[above:])
    found.append((top + reach + rest_height, Inset(0, 0.0, 0.0, reach, fit, above), list(blocks)))
    return found


@dataclass(frozen=True)
class CardLayout:
    size: float  # the body size, in points
    faces: list[list[Block]]  # the first, then any continued faces
    inset: Inset | None  # the figure on the first face; None only for a card with no pose
    gaps: float = 1.0  # the gaps between blocks, as a share of the usual (one of GAPS)


def layout_with_figure(
    card: Card, wrap: NarrowWrap, room: tuple[float, float], figure: Figure | None
) -> CardLayout:
    """A card laid out with its figure (None for a card with no pose) in faces of `room`
    (width, height) mm, the text at the size it would have alone."""
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
    width, depth = room
    size = next(
        (s for s in SIZES if sum(heights(1.0)(b, s, 0.0) for b in blocks) <= depth), SIZES[-1]
    )
    if figure is None:
        if sum(heights(1.0)(b, size, 0.0) for b in blocks) <= depth:
            return CardLayout(size, [blocks], None)
        return CardLayout(size, continue_card(card, blocks, wrapped, size, depth), None)
    # Closing the gaps comes before a smaller size, and a smaller size (never below 8 pt)
    # before a card that continues onto another face.
    fits: dict[float, Sequence[Fitted]] = {}
    for smaller in SIZES[SIZES.index(size) :]:
        for gaps in GAPS:
            # Side by side reads start to end: stacked only where that alone fits; then the
            # largest figure, then the shortest card. The first arrangement that fits wins.
            for stacked in (False, True):
                for growth in GROWTH if gaps == 1.0 and smaller == size else GROWTH[-1:]:
                    if growth not in fits:
                        fits[growth] = figure(width, growth)
                    options = [
                        (total, inset, laid)
                        for fit in fits[growth]
                        if fit.full_size and fit.stacked == stacked
                        for total, inset, laid in candidates(
                            blocks, smaller, width, heights(gaps), wrapped, fit
                        )
                        if total <= depth
                    ]
                    if options:
                        _, inset, laid = min(options, key=lambda o: o[0])
                        return CardLayout(smaller, [laid], inset, gaps)
    # The card continues: its first face holds the figure as a band under the meta line.
    fit = next((f for f in figure(width, 1.0) if f.full_size), None)
    if fit is None:
        fit = max(figure(width, 1.0), key=lambda f: f.scale)
    band = Inset(0, 0.0, 0.0, TOP + fit.height + BELOW, fit)
    faces = continue_card(card, blocks, wrapped, size, depth, depth - band.extra)
    return CardLayout(size, faces, band)


def card_figure(drawing: Scene) -> Figure:
    """The `Figure` of a scene: its arrangements for a card's width at a growth."""

    def figure(width: float, growth: float) -> Sequence[Fitted]:
        return fitted(drawing, width, SCALE * growth)

    return figure
