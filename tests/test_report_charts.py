"""The report's charts as the PDF receives them: glyphs written in place of their <use>s."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest

from kotcoach.base.vocab import Area
from kotcoach.catalogue.ladders import Index
from kotcoach.catalogue.read import load_catalog
from kotcoach.catalogue.source import builtin_catalog_path
from kotcoach.coaching.progress import LadderSteps, Progress, Week
from kotcoach.export.report import _glyphs_in_place, charts

pytest.importorskip("matplotlib")

GLYPH_SVG = (
    "<defs>"
    '<path id="G-31" d="M 0 0 L 9 9 z" transform="scale(0.015625)"/>'
    '<path id="G-20" transform="scale(0.015625)"/>'
    '<path id="m0a" d="M 0 0 L 0 3.5" style="stroke: #000000"/>'
    "</defs>"
    '<use xlink:href="#m0a" x="10" y="20" style="stroke: #000000"/>'
    '<g transform="translate(5 6) scale(0.08 -0.08)">'
    '<use xlink:href="#G-31"/>'
    '<use xlink:href="#G-20" transform="translate(31.8 0)"/>'
    '<use xlink:href="#G-31" transform="translate(63.6 0)"/>'
    "</g>"
)


def test_glyphs_are_written_where_they_are_used() -> None:
    placed = _glyphs_in_place(GLYPH_SVG)
    assert placed.endswith(
        '<g transform="translate(5 6) scale(0.08 -0.08)">'
        '<path d="M 0 0 L 9 9 z" transform="scale(0.015625)"/>'  # no use transform of its own
        # the space draws nothing
        '<path d="M 0 0 L 9 9 z" transform="translate(63.6 0) scale(0.015625)"/>'
        "</g>"
    )
    # A tick mark is not a glyph: its <use> (with x, y and a style) stays.
    assert '<use xlink:href="#m0a" x="10" y="20" style="stroke: #000000"/>' in placed


def progress_of(weeks: int) -> Progress:
    start = date(2024, 1, 1)
    return Progress(
        first=start,
        last=start + timedelta(weeks=weeks),
        weeks=tuple(
            Week(
                start + timedelta(weeks=n),
                n % 4,
                {Area.KNEE: (n % 3) / 2},
                n % 5,
                4,
            )
            for n in range(weeks)
        ),
        ladders=(
            LadderSteps(
                "tib-raise-wall",
                "Tibialis raise",
                ("tib-raise-wall", "tib-raise-wall-far"),
                ((start, 1), (start + timedelta(weeks=9), 2)),
            ),
        ),
        assessments={},
        events=(),
        referral=None,
        areas=(Area.KNEE,),
    )


def test_every_glyph_of_a_real_chart_is_placed_and_nothing_else_changes() -> None:
    drawn = charts(Index(load_catalog(builtin_catalog_path())), progress_of(60))
    assert [chart.title.split(" ")[0] for chart in drawn] == ["Pain", "Sessions", "Ladder"]
    for chart in drawn:
        glyphs = set(re.findall(r'<path id="(DejaVuSans-[^"]+)"', chart.svg))
        uses = re.findall(r'<use xlink:href="#([^"]+)"', chart.svg)
        blank = {g for g in glyphs if f'<path id="{g}" d=' not in chart.svg}
        placed = _glyphs_in_place(chart.svg)
        assert glyphs and sum(1 for u in uses if u in glyphs) > 20
        assert not any(u in glyphs for u in re.findall(r'<use xlink:href="#([^"]+)"', placed))
        drawn_glyphs = sum(1 for u in uses if u in glyphs and u not in blank)
        assert placed.count('scale(0.015625)"/>') - len(glyphs) == drawn_glyphs
        # Everything else is as matplotlib wrote it.
        rest = re.sub(r"<use [^>]*/>|<path d=[^>]*/>", "", placed)
        assert rest == re.sub(r"<use [^>]*/>|<path d=[^>]*/>", "", chart.svg)


def test_a_log_of_one_week_is_drawn_on_weeks_not_years(monkeypatch: pytest.MonkeyPatch) -> None:
    # With one day of data matplotlib widens a date axis by two years each way: the report's
    # single week of pain was a dot lost in 2025-2029. Every chart now spans at least six weeks
    # around its data, and a long log keeps its own span.
    from kotcoach.export import report

    spans: list[float] = []
    real_svg = report._svg

    def recording(figure, title):  # type: ignore[no-untyped-def]
        chart = real_svg(figure, title)
        low, high = figure.axes[0].get_xlim()
        spans.append(high - low)
        return chart

    monkeypatch.setattr(report, "_svg", recording)
    index = Index(load_catalog(builtin_catalog_path()))
    charts(index, progress_of(1))
    # (The ladder chart's data run 9 weeks, from the first step to the second.)
    assert spans and all(report.MIN_DAYS_SHOWN <= span < 120 for span in spans), spans
    assert report.MIN_DAYS_SHOWN in spans
    spans.clear()
    charts(index, progress_of(60))
    assert spans and all(span > 7 * 59 for span in spans), spans


def test_days_trained_reads_as_english_with_and_without_a_programme() -> None:
    from dataclasses import replace

    one = replace(progress_of(1), days_done=1, days_planned=None)
    assert one.days_trained == "1 day"
    assert replace(one, days_planned=3).days_trained == "1 day of 3 planned (33 %)"
    # More done than planned still reads 100 %, not more.
    assert replace(one, days_done=4, days_planned=3).days_trained == "4 days of 3 planned (100 %)"
