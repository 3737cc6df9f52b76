"""The coach in the terminal: a decision, a test's results, and progress with charts.

Charts are drawn by uniplot (Unicode blocks), imported only inside `_chart`, so that nothing else
pays for it or for numpy. Text from the log or the catalogue goes through `safe()`.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import TYPE_CHECKING, Any

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

from kotcoach.coaching.progress import TESTS, Progress, Test, summary_lines
from kotcoach.render import safe
from kotcoach.render.today import (
    KIND_MARK,
    KIND_STYLE,
    referral_parts,
    rich_parts,
)
from kotcoach.store.records import Assessment

if TYPE_CHECKING:
    from kotcoach.catalogue.ladders import Index
    from kotcoach.coaching.scores import Change, Instrument, Scoring

CHART_HEIGHT = 8
EVENTS_SHOWN = 10  # the latest step-backs listed on screen; the report lists them all


def referral_text(referral: str | None) -> list[RenderableType]:
    return rich_parts(referral_parts(referral))


def test_view(test: Test, history: Sequence[Assessment], width: int) -> Group:
    table = Table(title=test.name, title_justify="left", expand=False)
    table.add_column("date")
    sides = ("left", "right") if test.sided else (None,)
    for side in sides:
        table.add_column(f"{side} ({test.unit})" if side else test.unit, justify="right")
    for day, values in _by_day(history).items():
        table.add_row(day.isoformat(), *[_number(values.get(side)) for side in sides])
    parts: list[RenderableType] = [table]
    chart = _assessment_chart(test, history, width)
    if chart:
        parts.append(chart)
    from kotcoach.coaching.progress import judge

    for line in judge(test, history):
        warn = line.startswith(("Sudden loss", "Limb symmetry")) and "behind" in line
        warn = warn or line.startswith("Sudden loss")
        parts.append(Text(line, style="bold yellow" if warn else ""))
    parts += [
        Text.assemble(("How: ", "bold"), test.how),
        Text.assemble(("What it means: ", "bold"), test.meaning),
    ]
    return Group(*parts)


def _by_day(history: Sequence[Assessment]) -> dict[date, dict[str | None, float]]:
    days: dict[date, dict[str | None, float]] = {}
    for result in history:
        days.setdefault(result.date, {})[result.side] = result.value  # the day's last counts
    return days


def _number(value: float | None) -> str:
    if value is None:
        return "—"
    return f"{value:g}"


def _chart(
    series: Sequence[tuple[str, Sequence[date], Sequence[float]]],
    title: str,
    width: int,
    y_min: float | None = None,
    y_max: float | None = None,
) -> Text | None:
    """A line chart of one (label, days, values) series a chart, dates on the x axis, or None
    when there is too little to draw. One series a chart, its name in the title: a legend of
    coloured blocks means nothing without colour."""
    # A flat line says nothing a sentence does not: the summary lines carry it.
    drawn = [(label, xs, ys) for label, xs, ys in series if len(ys) >= 2 and len(set(ys)) > 1]
    if not drawn:
        return None
    from uniplot import plot_to_string

    texts = []
    for label, xs, ys in drawn:
        options: dict[str, Any] = {
            "title": f"{title}: {label}" if len(drawn) > 1 else title,
            "width": max(20, min(width, 100) - 12),
            "height": CHART_HEIGHT,
            "lines": True,
            "color": True,  # rich turns the colours into styles, and drops them in a pipe
            "line_length_hard_cap": max(30, width),
        }
        if y_min is not None:
            options["y_min"] = y_min
        # Headroom above the highest point: uniplot draws a line that touches the top edge as
        # a full-width bar.
        highest = max(ys)
        options["y_max"] = y_max if y_max is not None and y_max > highest else highest * 1.2 + 1
        texts.append(plot_to_string(list(ys), list(xs), **options))
    return Text.from_ansi("\n".join(texts))


def _assessment_chart(test: Test, history: Sequence[Assessment], width: int) -> Text | None:
    if not history:
        return None
    series = []
    for side in ("left", "right") if test.sided else (None,):
        points = [(r.date, r.value) for r in history if r.side == side]
        series.append((side or test.unit, [x for x, _ in points], [y for _, y in points]))
    return _chart(series, f"{test.name} ({test.unit})", width, y_min=0)


def progress_view(index: Index, profile: str, progress: Progress, width: int) -> Group:
    """Is it working: the summary lines first (as the report's), then the charts, the ladders,
    the tests and the latest runs of steps back and stops."""
    parts: list[RenderableType] = [*referral_text(progress.referral)]
    about = f" ({progress.area})" if progress.area else ""
    if progress.first is None:
        parts.append(Text(f"Nothing logged yet for profile '{profile}'{about}."))
        parts.append(Text("Log with 'kotcoach log' or 'kotcoach session'; check in each morning."))
        return Group(*parts)
    head = Text.assemble(
        ("Progress", "bold"),
        f"{about} of '{profile}': {progress.first.isoformat()} to {progress.last}",
    )
    parts.append(head)
    for line in summary_lines(progress):
        parts.append(Text.assemble(("• ", "bold"), safe(line)))
    weeks = progress.weeks
    days = [w.start for w in weeks]
    during = [
        (d, w.pain_during) for d, w in zip(days, weeks, strict=True) if w.pain_during is not None
    ]
    series = [("pain during", [d for d, _ in during], [y for _, y in during])]
    for area in progress.areas:
        points = [
            (d, w.mornings[area]) for d, w in zip(days, weeks, strict=True) if area in w.mornings
        ]
        series.append((f"{area}, next morning", [d for d, _ in points], [y for _, y in points]))
    chart = _chart(series, "Pain /10, weekly average", width, 0, 10)
    if chart:
        parts += [Text(), chart]
    adherence = [("days trained", days, [float(w.done) for w in weeks])]
    chart = None
    if len({w.done for w in weeks}) > 1:
        chart = _chart(adherence, "Days trained by week", width, y_min=0)
    if chart:
        parts += [Text(), chart]
    from kotcoach.coaching.scores import INSTRUMENTS  # not for `today` and `next`: lazily

    for instrument_id, history in progress.scores.items():
        if len(history) > 1 and len({s.total for s in history}) > 1:
            instrument = INSTRUMENTS[instrument_id]
            chart = _chart(
                [(instrument.short, [s.day for s in history], [s.total for s in history])],
                f"{instrument.short} (0-{instrument.high}; change that matters "
                f"{instrument.points(instrument.mic)})",
                width,
                instrument.low,
                instrument.high,
            )
            if chart:
                parts += [Text(), chart]
    if progress.ladders:
        parts += [Text(), _ladder_table(index, progress, width)]
    if progress.loads:
        parts += [Text(), _load_table(index, progress)]
    if progress.stages:
        from kotcoach.coaching.stages import staged_lines

        lines = staged_lines(progress.stages)
        parts += [Text(), Text("Stages", style="bold"), *(safe(line) for line in lines)]
    for test_id, results in progress.assessments.items():
        test = TESTS.get(test_id)
        if test is None:
            continue
        latest = _by_day(results)
        last_day = max(latest)
        values = ", ".join(
            f"{side or 'both'} {_number(value)} {test.unit}"
            for side, value in latest[last_day].items()
        )
        parts += [Text(), Text.assemble((test.name, "bold"), f": {values} on {last_day}")]
        chart = _assessment_chart(test, results, width)
        if chart:
            parts.append(chart)
    if progress.events:
        parts += [Text(), Text("Steps back and pauses (latest first)", style="bold")]
        for event in list(reversed(progress.events))[:EVENTS_SHOWN]:
            dates = f"{event.day}" + (f" to {event.last}" if event.until else "")
            parts.append(
                Text.assemble(
                    f"{dates}  ",
                    (f"{KIND_MARK[event.kind]} {event.kind.value}", KIND_STYLE[event.kind]),
                    "  ",
                    safe(event.name or event.exercise_id, "bold"),
                    f" ({event.length}): ",
                    safe(event.reason),
                )
            )
        hidden = len(progress.events) - EVENTS_SHOWN
        if hidden > 0:
            parts.append(
                Text(
                    f"… and {hidden} earlier: 'kotcoach progress --export report.html'", style="dim"
                )
            )
    return Group(*parts)


def _ladder_table(index: Index, progress: Progress, width: int = 80) -> Table:
    """Each exercise by the name of the step done now (its ladder's name under it only where
    that differs), its step, sessions done against planned and its steps back and stops."""
    narrow = width < 60  # the step as 2/4, without its dots; shorter headings
    table = Table(title="Each exercise", title_justify="left")
    if narrow:
        from rich import box

        table = Table(title="Each exercise", title_justify="left", box=box.SIMPLE_HEAD)
        table.show_edge = False
    table.add_column("exercise", ratio=1)
    table.add_column("step", justify="right", no_wrap=True)
    table.add_column("done" if narrow else "sessions", justify="right", no_wrap=True)
    table.add_column("back/stop" if narrow else "back / stops", justify="right", no_wrap=True)
    for e in progress.exercises:
        bar = (
            ""
            if narrow
            else "".join("●" if n <= e.step else "○" for n in range(1, e.steps + 1)) + " "
        )
        name = safe(e.name)
        if e.ladder != e.name:
            name.append(f"\n{e.ladder} ladder", style="dim")
        of, slash = ("/", "/") if narrow else (" of ", " / ")
        sessions = f"{e.done}" + (f"{of}{e.planned}" if e.planned is not None else "")
        back = f"{e.downs}{slash}{e.pauses}" if e.downs or e.pauses else "none"
        table.add_row(name, f"{bar}{e.step}/{e.steps}", sessions, back)
    return table


def _load_table(index: Index, progress: Progress) -> Table:
    from kotcoach.coaching.load import describe_load, percent

    table = Table(title="Loads (kg per rep)", title_justify="left")
    table.add_column("exercise")
    table.add_column("first")
    table.add_column("now")
    table.add_column("change", justify="right")
    for series in progress.loads:
        known = series.exercise_id in index.by_id
        name = index.exercise(series.exercise_id).name if known else series.exercise_id
        change = "—"
        if series.first:
            sign = "+" if series.last >= series.first else "-"
            change = f"{sign}{percent(series.last / series.first - 1)}"
        table.add_row(
            safe(name),
            f"{describe_load(series.first)} ({series.points[0][0]})",
            f"{describe_load(series.last)} ({series.points[-1][0]})",
            change,
        )
    return table


def progress_json(profile: str, today: date, progress: Progress) -> dict[str, Any]:
    from kotcoach.coaching.stages import staged_json

    return {
        "profile": profile,
        "date": today.isoformat(),
        "area": progress.area.value if progress.area else None,
        "first": progress.first.isoformat() if progress.first else None,
        "last": progress.last.isoformat() if progress.last else None,
        "referral": progress.referral,
        "summary": summary_lines(progress) if progress.first else [],
        "days_done": progress.days_done,
        "days_planned": progress.days_planned,
        "whole_weeks": progress.whole_weeks,
        "counted_to": progress.counted_to.isoformat() if progress.counted_to else None,
        "days_this_week": progress.this_week,
        "scores": {
            instrument: [
                {
                    "date": s.day.isoformat(),
                    "score": round(s.total, 2),
                    "items": [{"activity": n, "rating": v} for n, v in s.items],
                }
                for s in history
            ]
            for instrument, history in progress.scores.items()
        },
        "exercises": [
            {
                "ladder": e.first_id,
                "name": e.name,
                "step": e.step,
                "steps": e.steps,
                "sessions_done": e.done,
                "sessions_planned": e.planned,
                "steps_back": e.downs,
                "stops": e.pauses,
            }
            for e in progress.exercises
        ],
        "weeks": [
            {
                "start": w.start.isoformat(),
                "pain_during": None if w.pain_during is None else round(w.pain_during, 2),
                "mornings": {str(a): round(v, 2) for a, v in w.mornings.items()},
                "days_done": w.done,
                "days_planned": w.planned,
            }
            for w in progress.weeks
        ],
        "ladders": [
            {
                "ladder": ladder.first_id,
                "name": ladder.name,
                "steps": list(ladder.steps),
                "current": ladder.current,
                "reached": ladder.reached,
                "changes": [{"date": d.isoformat(), "step": n} for d, n in ladder.points],
            }
            for ladder in progress.ladders
        ],
        "stages": staged_json(progress.stages),
        "loads": [
            {
                "id": series.exercise_id,
                "points": [{"date": d.isoformat(), "load_kg": kg} for d, kg in series.points],
            }
            for series in progress.loads
        ],
        "assessments": {
            test: [{"date": a.date.isoformat(), "side": a.side, "value": a.value} for a in results]
            for test, results in progress.assessments.items()
        },
        "events": [
            {
                "date": e.day.isoformat(),
                "until": e.last.isoformat(),
                "count": e.count,
                "id": e.exercise_id,
                "name": e.name,
                "decision": e.kind.value,
                "reason": e.reason,
            }
            for e in progress.events
        ],
    }


def instruments_view(instruments: Sequence[Instrument]) -> Group:
    """`score --list`: each score, what it asks, its source, the change that matters, its terms."""
    parts: list[RenderableType] = []
    for i in instruments:
        parts += [
            Text.assemble((f"{i.id}", "bold"), f"  {i.name} ({i.short})"),
            Text(f"  {i.asks}"),
            Text(f"  Source: {i.source}"),
            Text(f"  Change that matters: {i.points(i.mic)} points, {i.mic_text}; {i.mic_source}"),
            Text(f"  Terms: {i.terms}"),
            Text(),
        ]
    parts.append(
        Text(
            "VISA-P, VISA-A and the Anterior Knee Pain Scale are not offered: no terms allowing "
            "their use in software were found (see the README).",
            style="dim",
        )
    )
    return Group(*parts)


def scoring_view(
    instrument: Instrument, scoring: Scoring, previous: Scoring | None, change: Change | None
) -> Group:
    """What `score` prints: the score, each item against the last scoring, and the change."""
    before = dict(previous.items) if previous else {}
    head = Text.assemble(
        (f"{instrument.short} {instrument.points(scoring.total)}", "bold"),
        f" on {scoring.day.isoformat()} (average of {len(scoring.items)} "
        f"activit{'y' if len(scoring.items) == 1 else 'ies'}, 0-{instrument.high})",
    )
    parts: list[RenderableType] = [head]
    for name, value in scoring.items:
        was = before.get(name)
        since = (
            f"  (was {instrument.points(was)} on {previous.day})"
            if previous and was is not None
            else "  (new)"
            if previous
            else ""
        )
        parts.append(Text.assemble("  ", safe(name), f": {instrument.points(value)}{since}"))
    if change is not None:
        parts += [Text(), safe(change.sentence())]
        parts.append(Text(f"Change that matters: {instrument.mic_source}", style="dim"))
    return Group(*parts)
