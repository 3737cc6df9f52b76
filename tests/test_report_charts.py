"""The report's charts (issue 25): dates on every x axis, legends that read without colour, text
readable on a phone, and a sentence instead of a chart of one flat line."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date, timedelta

from kotcoach.base.vocab import Area
from kotcoach.coaching.progress import Progress, Week
from kotcoach.export.chart import LineChart, Series, date_ticks, is_flat, svg
from kotcoach.export.report import NARROW, WIDE, figures


def progress_of(weeks: int, flat: bool = False) -> Progress:
    start = date(2024, 1, 1)
    return Progress(
        first=start,
        last=start + timedelta(weeks=weeks),
        weeks=tuple(
            Week(
                start + timedelta(weeks=n),
                1 if flat else n % 4,
                {Area.KNEE: 1 if flat else (n % 3) / 2, Area.ANKLE: 1 if flat else n % 2},
                3 if flat else n % 5,
                3,
            )
            for n in range(weeks)
        ),
        ladders=(),
        assessments={},
        events=(),
        referral=None,
        areas=(Area.KNEE, Area.ANKLE),
        today=start + timedelta(weeks=weeks),
    )


def test_date_ticks_are_weeks_months_or_years_and_fit_their_room() -> None:
    weeks = date_ticks(date(2026, 10, 1), date(2026, 11, 12), 10)
    assert [label for _, label in weeks] == [
        "5 Oct",
        "12 Oct",
        "19 Oct",
        "26 Oct",
        "2 Nov",
        "9 Nov",
    ]
    assert all(day.weekday() == 0 for day, _ in weeks)
    months = date_ticks(date(2025, 11, 10), date(2026, 4, 2), 10)
    assert [label for _, label in months] == ["Dec 2025", "Jan 2026", "Feb", "Mar", "Apr"]
    years = date_ticks(date(2021, 12, 6), date(2026, 12, 6), 10)
    assert [label for _, label in years] == ["2022", "2023", "2024", "2025", "2026"]
    assert len(date_ticks(date(2021, 12, 6), date(2026, 12, 6), 3)) <= 3
    assert len(date_ticks(date(2024, 1, 1), date(2026, 6, 1), 4)) <= 4


def test_every_chart_has_dates_under_it_and_a_legend_that_reads_without_colour() -> None:
    for fig in figures(progress_of(60)):
        assert fig.chart is not None
        drawn = svg(fig.chart, *WIDE, "chart wide")
        labels = re.findall(r'text-anchor="middle">([^<]+)</text>', drawn)
        assert labels and all(re.fullmatch(r"20\d\d|[A-Z][a-z]{2}( 20\d\d)?", t) for t in labels)
        # Each line has its own marker shape or dash, drawn in its legend beside its name.
        lines = [s for s in fig.chart.series if not s.bars]
        assert len({(s.marker, s.dashed) for s in lines}) == len(lines)
        for series in fig.chart.series:
            assert f">{series.label}</text>" in drawn
        assert "<script" not in drawn


def test_chart_text_is_at_least_12_px_on_a_390_px_phone() -> None:
    # The narrow drawing is 360 units wide; on a 390-px screen the page leaves it 358 px.
    width, font, _ = NARROW
    assert font * 358 / width >= 12
    chart = figures(progress_of(10))[0].chart
    assert chart is not None
    sizes = {float(size) for size in re.findall(r'font-size="([\d.]+)"', svg(chart, *NARROW, "n"))}
    assert sizes == {font}


def test_a_flat_line_is_a_sentence_not_a_chart() -> None:
    found = {fig.title.split(" ")[0]: fig for fig in figures(progress_of(8, flat=True))}
    assert found["Pain"].chart is None
    assert found["Pain"].sentence == "Pain during and every next morning: 1/10 in every week."
    assert found["Days"].chart is None
    assert found["Days"].sentence == "3 days trained in every week, as planned."
    assert is_flat([Series("a", ((date(2024, 1, 1), 2.0), (date(2024, 2, 1), 2.0)), "#000")])
    assert not is_flat([Series("a", ((date(2024, 1, 1), 2.0), (date(2024, 2, 1), 3.0)), "#000")])


def test_a_log_of_one_week_is_drawn_on_weeks_not_years() -> None:
    chart = LineChart(
        "t", (Series("a", ((date(2026, 3, 4), 1.0), (date(2026, 3, 5), 2.0)), "#000"),), 0, 10
    )
    low, high = chart.span()
    assert 14 <= (high - low).days < 30
    labels = re.findall(r'text-anchor="middle">([^<]+)</text>', svg(chart, *WIDE, "w"))
    assert labels and all(re.fullmatch(r"\d{1,2} [A-Z][a-z]{2}", t) for t in labels)


def test_days_trained_counts_whole_weeks_only() -> None:
    one = replace(progress_of(1), days_done=1, days_planned=None, this_week=0)
    assert one.days_trained == "0 days this week so far (no whole week yet)"
    counted = replace(one, counted_to=date(2024, 1, 7), whole_weeks=1)
    assert counted.days_trained == "1 day in 1 whole week to 2024-01-07"
    planned = replace(counted, days_planned=3, this_week=2)
    assert planned.days_trained == (
        "1 day of 3 planned (33 %) in 1 whole week to 2024-01-07; 2 days this week so far"
    )
    # More done than planned still reads 100 %, not more.
    assert "4 days of 3 planned (100 %)" in replace(planned, days_done=4).days_trained
