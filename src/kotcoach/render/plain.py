"""Tables as plain lines, laid out exactly as rich lays them out, without importing rich's console.

Into a pipe or a file (no colours, no cursor control) a rich table is only its text; importing
rich's console and table and measuring every cell through them cost `kotcoach list` more than the
rest of the command. This module lays out the two table shapes the catalogue listing uses (rich's
`Table(box=SIMPLE_HEAD, pad_edge=False, show_edge=False)` and `Table.grid()`, neither expanded)
with rich's own rules: each column measured from its cells' longest word and longest line,
wrapping columns collapsed widest first when the table is too wide, then every cell wrapped,
folded and padded as rich's Text does. The word wrapping and the cell widths of characters are
rich's own functions (`rich._wrap`, `rich.cells`), which import nothing heavy; the sharing out of
widths is rich's `ratio_reduce` copied (`rich._ratio` imports `fractions` and with it `decimal`,
about 3 ms of every `list`, `show` and `today`), held to rich's own by a test.
tests/test_plain_table.py holds the output to rich's, line for line, at every width from 1 to 160
columns and on any text.

`None` where a case is outside what is laid out here (a column too narrow for its padding): the
caller then draws the table with rich.
"""

from __future__ import annotations

from collections.abc import Sequence

from rich._wrap import divide_line
from rich.cells import cell_len, set_cell_size


class Column:
    """A column as rich's Column has it, of what matters to its plain text. (Plain classes, not
    dataclasses: a dataclass costs a compile at import, and this module is on `list`'s path.)"""

    __slots__ = ("header", "min_width", "no_wrap", "overflow")

    def __init__(
        self,
        header: str = "",
        *,
        no_wrap: bool = False,
        min_width: int | None = None,
        overflow: str = "ellipsis",  # rich's Column.overflow: "fold", "crop" or "ellipsis"
    ) -> None:
        self.header, self.no_wrap, self.min_width, self.overflow = (
            header,
            no_wrap,
            min_width,
            overflow,
        )


class Shape:
    """What a rich table is drawn with, of what matters to its plain text: the spaces either side
    of a cell (none at the table's outer edges; with `collapse`, as Table.grid's padding, only
    after each cell but the last), a header row with a rule of '─' under it, and what stands
    between two cells of a row."""

    __slots__ = ("collapse", "divider", "header", "padding")

    def __init__(self, *, padding: int, header: bool, divider: str, collapse: bool = False) -> None:
        self.padding, self.header, self.divider = padding, header, divider
        self.collapse = collapse


SIMPLE_HEAD = Shape(padding=1, header=True, divider=" ")  # Table(box=SIMPLE_HEAD, ...)
GRID = Shape(padding=0, header=False, divider="")  # Table.grid()


def grid(padding: int) -> Shape:
    """Table.grid(padding=(0, padding))."""
    return Shape(padding=padding, header=False, divider="", collapse=True)


Range = tuple[int, int]  # rich's Measurement: (minimum, maximum) cells


def _cells(text: str) -> int:
    """rich's cell_len, without its call for printable ASCII (a cell a character)."""
    return len(text) if text.isascii() and text.isprintable() else cell_len(text)


def _normalize(minimum: int, maximum: int) -> Range:
    minimum = min(max(0, minimum), maximum)
    return max(0, minimum), max(0, max(minimum, maximum))


def _text_range(text: str, max_width: int) -> Range:
    """Measurement.get of a Text: its longest word and its longest line, at most max_width."""
    if max_width < 1:
        return 0, 0
    lines = text.splitlines()
    longest = max(map(_cells, lines)) if lines else 0
    words = text.split()
    shortest = max(map(_cells, words)) if words else longest
    if 0 <= shortest <= longest:  # the usual case, already normal
        low, high = min(shortest, max_width), min(longest, max_width)
        return (0, 0) if high < 1 else (low, high)
    low, high = _normalize(shortest, longest)
    low, high = min(low, max_width), min(high, max_width)
    if high < 1:
        return 0, 0
    return _normalize(low, high)


def _cell_range(text: str, max_width: int, left: int, right: int) -> Range:
    """Measurement.get of a cell: the text, or the text in rich's Padding when a side pads."""
    if not (left or right):
        return _text_range(text, max_width)
    if max_width < 1:
        return 0, 0
    extra = left + right
    if max_width - extra < 1:
        low, high = max_width, max_width
    else:
        low, high = _text_range(text, max_width)
        low, high = min(low + extra, max_width), min(high + extra, max_width)
    low, high = _normalize(low, high)
    low, high = min(low, max_width), min(high, max_width)
    if high < 1:
        return 0, 0
    return _normalize(low, high)


def ratio_reduce(
    total: int, ratios: list[int], maximums: list[int], values: list[int]
) -> list[int]:
    """rich._ratio.ratio_reduce (rich 13 to 15): `total` taken off `values` in proportion to
    `ratios`, at most each of `maximums`."""
    ratios = [ratio if most else 0 for ratio, most in zip(ratios, maximums, strict=False)]
    total_ratio = sum(ratios)
    if not total_ratio:
        return values[:]
    remaining = total
    result: list[int] = []
    for ratio, most, value in zip(ratios, maximums, values, strict=False):
        if ratio and total_ratio > 0:
            taken = min(most, round(ratio * remaining / total_ratio))
            result.append(value - taken)
            remaining -= taken
            total_ratio -= ratio
        else:
            result.append(value)
    return result


def _collapse(widths: list[int], wrapable: list[bool], max_width: int) -> list[int]:
    """rich's Table._collapse_widths: the widest wrapping columns give way first."""
    total = sum(widths)
    excess = total - max_width
    if any(wrapable):
        while total and excess > 0:
            widest = max(w for w, wrap in zip(widths, wrapable, strict=True) if wrap)
            second = max(
                w if wrap and w != widest else 0 for w, wrap in zip(widths, wrapable, strict=True)
            )
            difference = widest - second
            ratios = [
                1 if (w == widest and wrap) else 0 for w, wrap in zip(widths, wrapable, strict=True)
            ]
            if not any(ratios) or not difference:
                break
            widths = ratio_reduce(excess, ratios, [min(excess, difference)] * len(widths), widths)
            total = sum(widths)
            excess = total - max_width
    return widths


# Characters whose lines rich's Text breaks or measures in ways this layout does not copy: text
# holding one is left to rich (None), whichever view lays it out.
ODD_LINES = frozenset("\t\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029")


def text_lines(text: str, width: int) -> list[str] | None:
    """A Text printed on its own at `width` columns (wrapped, long words folded), each line with
    its trailing spaces, as rich prints it into a pipe; [] where `width` is too narrow to print,
    None where the text holds what only rich lays out (ODD_LINES)."""
    if ODD_LINES.intersection(text):
        return None
    if width < 1:
        return []
    return _wrap(text, width, _TEXT)


def _wrap(text: str, width: int, column: Column) -> list[str]:
    """Text.wrap then render_lines: each line wrapped, folded or cropped, padded to `width`."""
    fold = column.overflow == "fold"
    lines: list[str] = []
    for line in text.split("\n"):
        if column.no_wrap or _cells(line) <= width:  # a line that fits is never broken
            pieces = [line]
        else:
            offsets = divide_line(line, width, fold=fold)
            bounds = [0, *offsets, len(line)]
            pieces = [line[start:end] for start, end in zip(bounds, bounds[1:], strict=False)]
        for piece in pieces:
            if len(piece) > width:  # Text.rstrip_end: trailing spaces past the width
                spaces = len(piece) - len(piece.rstrip())
                if spaces:
                    piece = piece[: len(piece) - min(spaces, len(piece) - width)]
            if _cells(piece) > width:  # Text.truncate
                if column.overflow == "ellipsis":
                    piece = set_cell_size(piece, width - 1) + "…"
                else:
                    piece = set_cell_size(piece, width)
            lines.append(_fit(piece, width))
    return lines


def _fit(text: str, width: int) -> str:
    """Segment.adjust_line_length: padded with spaces or cropped to exactly `width` cells."""
    length = _cells(text)
    if length < width:
        return text + " " * (width - length)
    if length > width:
        return set_cell_size(text, width)
    return text


def table_lines(
    columns: Sequence[Column], rows: Sequence[Sequence[str]], width: int, shape: Shape
) -> list[str] | None:
    """The table's lines as rich prints it at `width` columns (trailing spaces kept), or None
    (a case left to rich: text holding ODD_LINES, a column too narrow for its padding)."""
    count = len(columns)
    if not count or any(ODD_LINES.intersection(cell) for row in rows for cell in row):
        return None
    pads = [
        (
            0 if at == 0 or shape.collapse else shape.padding,
            0 if at == count - 1 else shape.padding,
        )
        for at in range(count)
    ]
    cells = [[c.header for c in columns], *rows] if shape.header else list(rows)
    extra = count - 1 if shape.divider else 0  # a box: one divider between two columns

    def measure(at: int, max_width: int) -> Range:
        if max_width < 1:
            return 0, 0
        left, right = pads[at]
        ranges = [_cell_range(row[at], max_width, left, right) for row in cells]
        low = max(r[0] for r in ranges) if ranges else 1
        high = max(r[1] for r in ranges) if ranges else max_width
        low, high = min(low, max_width), min(high, max_width)
        least = columns[at].min_width
        if least is not None:
            least = max(0, least + left + right)
            low, high = max(low, least), max(high, least)
        return low, high

    max_width = width - extra
    widths = [measure(at, max_width)[1] or 1 for at in range(count)]
    if sum(widths) > max_width:
        widths = _collapse(widths, [not c.no_wrap for c in columns], max_width)
        if sum(widths) > max_width:  # rich's last resort: every column gives way evenly
            widths = ratio_reduce(sum(widths) - max_width, [1] * count, widths, widths)
        widths = [measure(at, w)[1] or 0 for at, w in enumerate(widths)]
    if any(w - left - right < 1 for w, (left, right) in zip(widths, pads, strict=True)):
        return None
    out: list[str] = []
    for number, row in enumerate(cells):
        rendered = []
        for at, (text, w) in enumerate(zip(row, widths, strict=True)):
            left, right = pads[at]
            if columns[at].no_wrap and _spaces_past(text, w - left - right):
                return None
            wrapped = _wrap(text, w - left - right, columns[at])
            rendered.append([" " * left + line + " " * right for line in wrapped])
        height = max(len(lines) for lines in rendered)
        header = shape.header and number == 0
        for at, lines in enumerate(rendered):
            blank = [" " * widths[at]] * (height - len(lines))
            rendered[at] = blank + lines if header else lines + blank  # headers sit at the foot
        out += [shape.divider.join(parts) for parts in zip(*rendered, strict=True)]
        if header:
            out.append("─" * (sum(widths) + extra))
    return [_crop(line, width) for line in out]


def _spaces_past(text: str, width: int) -> bool:
    """A line longer than `width` that ends in spaces. In a no-wrap cell rich 15 cuts such a line
    as it is, spaces and all, where `_wrap` strips the spaces past the width first (as rich does
    for the lines it wraps); found by tests/test_plain_today.py's random grids. Rare (no shipped
    text ends in a space), so it is left to rich rather than copied."""
    return any(len(line) > width and line[-1:].isspace() for line in text.split("\n"))


_TEXT = Column(overflow="fold")  # a Text printed on its own: rich's default overflow


def _crop(line: str, width: int) -> str:
    return set_cell_size(line, width) if _cells(line) > width else line
