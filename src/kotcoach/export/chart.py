"""The report's charts, drawn by hand: one chart model and one layout, drawn on an SVG canvas for
the HTML and on fpdf2's own lines and text for the PDF.

Why not matplotlib: importing and drawing it was most of the report's time, its text came out as
paths that shrink with the chart (about 5 px high on a phone) and its date axis clipped. Here the
x axis is always dates, labelled at whole weeks, months or years; the legend names each line with
its own marker shape (and dash), so it reads without colour; and the HTML gets a second, narrow
drawing for phones whose text stays at least 12 px on a 390-px screen.
"""

from __future__ import annotations

import html
import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any, Protocol

INK = "#222222"
GRID = "#d9d9d9"
MARKERS = ("circle", "square", "triangle", "diamond")
MARKS_SHOWN = 10  # a long line marks this many of its points, evenly spread, and its last
CHAR = 0.56  # a character's width, in font sizes (DejaVu Sans Condensed and system sans)


@dataclass(frozen=True)
class Series:
    label: str
    points: tuple[tuple[date, float], ...]
    colour: str
    marker: str = "circle"
    dashed: bool = False
    bars: bool = False  # a bar a point (days trained by week)


@dataclass(frozen=True)
class Band:
    low: float
    high: float
    colour: str


@dataclass(frozen=True)
class Rule:
    """A labelled horizontal line, e.g. the first score plus the change that matters."""

    y: float
    label: str


@dataclass(frozen=True)
class LineChart:
    title: str
    series: tuple[Series, ...]
    y_low: float
    y_high: float
    bands: tuple[Band, ...] = ()
    rules: tuple[Rule, ...] = ()
    start: date | None = None  # the x axis's ends; from the points when None
    end: date | None = None

    def span(self) -> tuple[date, date]:
        days = [d for s in self.series for d, _ in s.points]
        lo = self.start or min(days)
        hi = self.end or max(days)
        if (hi - lo).days < 14:  # a day or a week of log still gets a readable axis
            middle = lo + (hi - lo) / 2
            lo, hi = middle - timedelta(days=7), middle + timedelta(days=7)
        return lo, hi

    def y_ticks(self) -> list[float]:
        span = self.y_high - self.y_low
        step = next((s for s in (1, 2, 5, 10, 20, 25, 50, 100, 200) if span / s <= 5), 500)
        first = math.ceil(self.y_low / step) * step
        return [first + step * n for n in range(int((self.y_high - first) / step) + 1)]


def is_flat(series: Sequence[Series]) -> bool:
    """Nothing, or one value throughout: a sentence says it better than a chart."""
    return len({y for s in series for _, y in s.points}) <= 1


# --- the date axis ------------------------------------------------------------------------------


def date_ticks(lo: date, hi: date, room: int) -> list[tuple[date, str]]:
    """At most `room` ticks at whole weeks (Mondays, '5 Jan'), months ('Mar', 'Jan 2026' where
    the year turns and first) or years ('2026'), between `lo` and `hi`."""
    days = (hi - lo).days
    if days <= 10 * 7:
        first = lo + timedelta(days=(7 - lo.weekday()) % 7)
        ticks = [first + timedelta(days=7 * n) for n in range((hi - first).days // 7 + 1)]
        ticks = _thin(ticks, room)
        return [(t, f"{t.day} {t.strftime('%b')}") for t in ticks]
    if days <= 3 * 365:
        ticks, year, month = [], lo.year, lo.month
        while True:
            year, month = (year + 1, 1) if month == 12 else (year, month + 1)
            if date(year, month, 1) > hi:
                break
            ticks.append(date(year, month, 1))
        ticks = _thin(ticks, room)
        return [
            (
                t,
                t.strftime("%b %Y")
                if n == 0 or t.month <= ticks[n - 1].month
                else t.strftime("%b"),
            )
            for n, t in enumerate(ticks)
        ]
    years = _thin([date(y, 1, 1) for y in range(lo.year + 1, hi.year + 1)], room)
    return [(t, str(t.year)) for t in years]


def _thin(ticks: list[date], room: int) -> list[date]:
    if len(ticks) <= room:
        return ticks
    return ticks[:: math.ceil(len(ticks) / max(1, room))]


# --- drawing ------------------------------------------------------------------------------------


class Canvas(Protocol):
    def rect(self, x: float, y: float, w: float, h: float, fill: str) -> None: ...
    def line(
        self, points: Sequence[tuple[float, float]], colour: str, width: float, dashed: bool
    ) -> None: ...
    def shape(self, points: Sequence[tuple[float, float]], colour: str) -> None: ...
    def text(self, x: float, y: float, text: str, size: float, anchor: str = "start") -> None: ...


def marker_points(kind: str, x: float, y: float, r: float) -> list[tuple[float, float]]:
    if kind == "square":
        r *= 0.9
        return [(x - r, y - r), (x + r, y - r), (x + r, y + r), (x - r, y + r)]
    if kind == "triangle":
        return [(x, y - 1.2 * r), (x + 1.1 * r, y + 0.8 * r), (x - 1.1 * r, y + 0.8 * r)]
    if kind == "diamond":
        r *= 1.2
        return [(x, y - r), (x + r, y), (x, y + r), (x - r, y)]
    return [
        (x + r * math.cos(a * math.pi / 6), y + r * math.sin(a * math.pi / 6)) for a in range(12)
    ]


def draw(chart: LineChart, canvas: Canvas, width: float, font: float, plot_height: float) -> float:
    """Draw `chart` `width` units wide with text `font` units high; returns the height used."""
    # The legend: one row or more of marker, line sample and label.
    x, y = 0.0, font * 1.0
    sample = 2.4 * font
    places = []
    for series in chart.series:
        item = sample + 0.4 * font + CHAR * font * len(series.label) + 1.2 * font
        if x and x + item > width:
            x, y = 0.0, y + 1.45 * font
        places.append((x, y))
        x += item
    top = y + 0.9 * font
    y_labels = [_number(t) for t in chart.y_ticks()]
    left = CHAR * font * max(len(t) for t in y_labels) + 0.7 * font
    right = width - 0.6 * font
    bottom = top + plot_height
    lo, hi = chart.span()
    days = max(1, (hi - lo).days)

    def px(day: date) -> float:
        return left + (right - left) * (day - lo).days / days

    def py(value: float) -> float:
        share = (value - chart.y_low) / (chart.y_high - chart.y_low)
        return bottom - plot_height * min(1.0, max(0.0, share))

    for band in chart.bands:
        canvas.rect(left, py(band.high), right - left, py(band.low) - py(band.high), band.colour)
    for value, label in zip(chart.y_ticks(), y_labels, strict=True):
        canvas.line([(left, py(value)), (right, py(value))], GRID, 0.04 * font, False)
        canvas.text(left - 0.35 * font, py(value) + 0.35 * font, label, font, "end")
    room = int((right - left) / (CHAR * font * 8 + font))
    for tick, label in date_ticks(lo, hi, room):
        at = px(tick)
        half = CHAR * font * len(label) / 2
        if at - half < 0 or at + half > width:
            continue  # a label cut off at the edge helps no one
        canvas.line([(at, bottom), (at, bottom + 0.35 * font)], INK, 0.05 * font, False)
        canvas.text(at, bottom + 1.35 * font, label, font, "middle")
    canvas.line([(left, bottom), (right, bottom)], INK, 0.06 * font, False)
    for rule in chart.rules:
        canvas.line([(left, py(rule.y)), (right, py(rule.y))], INK, 0.07 * font, True)
        canvas.text(left + 0.3 * font, py(rule.y) - 0.3 * font, rule.label, font)
    r = 0.32 * font
    for series, (lx, ly) in zip(chart.series, places, strict=True):
        points = [(px(d), py(v)) for d, v in series.points]
        if series.bars:
            bar = max(0.08 * font, 0.7 * (right - left) / max(1, days / 7))
            for bx, by in points:  # a week's bar starts on its Monday
                if bottom - by > 0:
                    canvas.rect(bx + 0.1 * bar, by, bar, bottom - by, series.colour)
        elif len(points) > 1:
            canvas.line(points, series.colour, 0.12 * font, series.dashed)
        if not series.bars:
            every = max(1, math.ceil(len(points) / MARKS_SHOWN))
            marked = points[::every] + ([points[-1]] if (len(points) - 1) % every else [])
            for mx, my in marked:
                canvas.shape(marker_points(series.marker, mx, my, r), series.colour)
        # the legend's sample: the marker on a short line, or a block for bars
        mid = ly - 0.35 * font
        if series.bars:
            canvas.rect(lx, mid - 0.4 * font, sample, 0.8 * font, series.colour)
        else:
            canvas.line([(lx, mid), (lx + sample, mid)], series.colour, 0.12 * font, series.dashed)
            canvas.shape(marker_points(series.marker, lx + sample / 2, mid, r), series.colour)
        canvas.text(lx + sample + 0.4 * font, ly, series.label, font)
    return bottom + 1.8 * font


def _number(value: float) -> str:
    return f"{value:g}"


# --- SVG ----------------------------------------------------------------------------------------


class SvgCanvas:
    def __init__(self) -> None:
        self.parts: list[str] = []

    def rect(self, x: float, y: float, w: float, h: float, fill: str) -> None:
        self.parts.append(
            f'<rect x="{x:.1f}" y="{y:.1f}" width="{w:.1f}" height="{h:.1f}" fill="{fill}"/>'
        )

    def line(
        self, points: Sequence[tuple[float, float]], colour: str, width: float, dashed: bool
    ) -> None:
        dash = f' stroke-dasharray="{4 * width:.1f} {3 * width:.1f}"' if dashed else ""
        path = " ".join(f"{x:.1f},{y:.1f}" for x, y in points)
        self.parts.append(
            f'<polyline points="{path}" fill="none" stroke="{colour}" stroke-width="{width:.2f}"'
            f' stroke-linejoin="round"{dash}/>'
        )

    def shape(self, points: Sequence[tuple[float, float]], colour: str) -> None:
        path = " ".join(f"{x:.1f},{y:.1f}" for x, y in points)
        self.parts.append(
            f'<polygon points="{path}" fill="{colour}" stroke="white" stroke-width="0.6"/>'
        )

    def text(self, x: float, y: float, text: str, size: float, anchor: str = "start") -> None:
        align = f' text-anchor="{anchor}"' if anchor != "start" else ""
        self.parts.append(
            f'<text x="{x:.1f}" y="{y:.1f}" font-size="{size:.1f}"{align}>'
            f"{html.escape(text)}</text>"
        )


def svg(chart: LineChart, width: float, font: float, plot_height: float, css_class: str) -> str:
    canvas = SvgCanvas()
    height = draw(chart, canvas, width, font, plot_height)
    return (
        f'<svg class="{css_class}" viewBox="0 0 {width:.0f} {height:.0f}" '
        f'xmlns="http://www.w3.org/2000/svg" role="img" aria-label="{html.escape(chart.title)}" '
        f'font-family="DejaVu Sans, Helvetica, Arial, sans-serif" fill="{INK}">'
        + "".join(canvas.parts)
        + "</svg>"
    )


# --- PDF ----------------------------------------------------------------------------------------


def _rgb(colour: str) -> tuple[int, int, int]:
    return int(colour[1:3], 16), int(colour[3:5], 16), int(colour[5:7], 16)


class PdfCanvas:
    """Draws on an fpdf2 page, offset to (x0, y0), in millimetres."""

    PT = 0.3528  # millimetres in a point

    def __init__(self, pdf: Any, x0: float, y0: float, font_family: str) -> None:
        self.pdf, self.x0, self.y0, self.family = pdf, x0, y0, font_family

    def rect(self, x: float, y: float, w: float, h: float, fill: str) -> None:
        self.pdf.set_fill_color(*_rgb(fill))
        self.pdf.rect(self.x0 + x, self.y0 + y, w, h, style="F")

    def line(
        self, points: Sequence[tuple[float, float]], colour: str, width: float, dashed: bool
    ) -> None:
        pdf = self.pdf
        pdf.set_draw_color(*_rgb(colour))
        pdf.set_line_width(width)
        if dashed:
            pdf.set_dash_pattern(dash=4 * width, gap=3 * width)
        pdf.polyline([(self.x0 + x, self.y0 + y) for x, y in points], style="D")
        if dashed:
            pdf.set_dash_pattern()

    def shape(self, points: Sequence[tuple[float, float]], colour: str) -> None:
        self.pdf.set_fill_color(*_rgb(colour))
        self.pdf.polygon([(self.x0 + x, self.y0 + y) for x, y in points], style="F")

    def text(self, x: float, y: float, text: str, size: float, anchor: str = "start") -> None:
        pdf = self.pdf
        pdf.set_font(self.family, "", size / self.PT)
        width = pdf.get_string_width(text)
        shift = {"start": 0.0, "middle": width / 2, "end": width}[anchor]
        pdf.text(self.x0 + x - shift, self.y0 + y, text)


def draw_pdf(pdf: Any, chart: LineChart, x: float, y: float, width: float, family: str) -> float:
    """Draw the chart at (x, y) `width` mm wide; returns the height used, in mm."""
    pdf.set_text_color(*_rgb(INK))
    return draw(chart, PdfCanvas(pdf, x, y, family), width, 8 * PdfCanvas.PT, 32)
