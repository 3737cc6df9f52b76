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

from kotcoach.coaching.coach import Decision, Kind
from kotcoach.coaching.progress import TESTS, Progress, Test
from kotcoach.render import safe
from kotcoach.store.records import Assessment

if TYPE_CHECKING:
    from kotcoach.catalogue.ladders import Index

KIND_STYLE = {
    Kind.START: "cyan",
    Kind.UP: "green",
    Kind.HOLD: "yellow",
    Kind.DOWN: "magenta",
    Kind.PAUSE: "bold red",
}
KIND_MARK = {Kind.START: "•", Kind.UP: "↑", Kind.HOLD: "=", Kind.DOWN: "↓", Kind.PAUSE: "■"}
CHART_HEIGHT = 8
EVENTS_SHOWN = 10  # the latest step-backs listed on screen; the report lists them all


def decision_text(decision: Decision) -> Text:
    kind = decision.kind
    return Text(f"{KIND_MARK[kind]} {kind.value}", style=KIND_STYLE[kind])


def referral_text(referral: str | None) -> list[RenderableType]:
    return [safe(referral, "bold red"), Text()] if referral else []


def next_view(
    name: str,
    exercise_id: str,
    decision: Decision,
    referral: str | None,
    load: str | None = None,
    stage: Sequence[str] = (),
) -> Group:
    """`next`: the decision, the dose (with its load, e.g. 'at 12 kg per hand'), why, and for a
    condition in stages the stage and what the next needs."""
    head = Text.assemble(decision_text(decision), "  ", safe(name, "bold"), f"  ({exercise_id})")
    dose = decision.dose.describe() if decision.dose else "leave it out for now"
    if decision.dose and load:
        dose += f" at {load}"
    lines: list[RenderableType] = [
        *referral_text(referral),
        head,
        Text.assemble("  ", (dose, "bold")),
        Text.assemble("  why: ", safe(decision.reason)),
        *(Text.assemble("  ", safe(line)) for line in stage),
    ]
    return Group(*lines)


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
    series: Sequence[tuple[str, Sequence[float], Sequence[float]]],
    title: str,
    width: int,
    y_min: float | None = None,
    y_max: float | None = None,
) -> Text | None:
    """A line chart of (label, xs, ys) series, or None when there is too little to draw."""
    drawn = [(label, xs, ys) for label, xs, ys in series if len(ys) >= 2]
    if not drawn:
        return None
    from uniplot import plot_to_string

    options: dict[str, Any] = {
        "title": title,
        "width": max(20, min(width, 100) - 12),
        "height": CHART_HEIGHT,
        "lines": True,
        "color": True,  # rich turns the colours into styles, and drops them in a pipe
        "legend_labels": [label for label, _, _ in drawn] if len(drawn) > 1 else None,
        "line_length_hard_cap": max(30, width),
    }
    if y_min is not None:
        options["y_min"] = y_min
    # Headroom above the highest point: uniplot draws a line that touches the top edge as a
    # full-width bar.
    highest = max(max(ys) for _, _, ys in drawn)
    options["y_max"] = y_max if y_max is not None and y_max > highest else highest * 1.2 + 1
    text = plot_to_string(
        [list(ys) for _, _, ys in drawn], [list(xs) for _, xs, _ in drawn], **options
    )
    return Text.from_ansi(text)


def _assessment_chart(test: Test, history: Sequence[Assessment], width: int) -> Text | None:
    if not history:
        return None
    first = min(r.date for r in history)
    series = []
    for side in ("left", "right") if test.sided else (None,):
        points = [(float((r.date - first).days), r.value) for r in history if r.side == side]
        series.append((side or test.unit, [x for x, _ in points], [y for _, y in points]))
    return _chart(series, f"{test.name}, by days since {first.isoformat()}", width, y_min=0)


def progress_view(index: Index, profile: str, progress: Progress, width: int) -> Group:
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
    parts.append(Text(_adherence(progress)))
    weeks = progress.weeks
    xs = [float(i) for i in range(len(weeks))]
    during = [
        (x, w.pain_during) for x, w in zip(xs, weeks, strict=True) if w.pain_during is not None
    ]
    series = [("during", [x for x, _ in during], [y for _, y in during])]
    for area in progress.areas:
        points = [
            (x, w.mornings[area]) for x, w in zip(xs, weeks, strict=True) if area in w.mornings
        ]
        series.append((f"{area} morning", [x for x, _ in points], [y for _, y in points]))
    since = weeks[0].start.isoformat()
    chart = _chart(series, f"Pain /10 by week since {since}", width, y_min=0, y_max=10)
    if chart:
        parts += [Text(), chart]
    done = [float(w.done) for w in weeks]
    adherence = [("done", xs, done)]
    if weeks[0].planned is not None:
        adherence.append(("planned", xs, [float(w.planned or 0) for w in weeks]))
    chart = _chart(adherence, "Days trained by week", width, y_min=0)
    if chart:
        parts += [Text(), chart]
    if progress.ladders:
        parts += [Text(), _ladder_table(index, progress)]
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
            parts.append(
                Text.assemble(
                    f"{event.day}  ",
                    (f"{KIND_MARK[event.kind]} {event.kind.value}", KIND_STYLE[event.kind]),
                    f"  {event.exercise_id}: ",
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


def _adherence(progress: Progress) -> str:
    return f"Trained: {progress.days_trained}"


def _ladder_table(index: Index, progress: Progress) -> Table:
    table = Table(title="Ladder steps reached", title_justify="left")
    table.add_column("ladder")
    table.add_column("step", justify="right")
    table.add_column("now")
    for ladder in progress.ladders:
        bar = "".join("●" if n <= ladder.current else "○" for n in range(1, len(ladder.steps) + 1))
        now = index.exercise(ladder.steps[ladder.current - 1]).name if ladder.current else "—"
        table.add_row(safe(ladder.name), f"{bar} {ladder.current}/{len(ladder.steps)}", safe(now))
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
        "days_done": progress.days_done,
        "days_planned": progress.days_planned,
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
                "id": e.exercise_id,
                "decision": e.kind.value,
                "reason": e.reason,
            }
            for e in progress.events
        ],
    }


def decision_lines(rows: Sequence[tuple[Any, Any, Decision]]) -> list[RenderableType]:
    """Under `today`'s table: each exercise's decision and its reason."""
    if not rows:
        return []
    lines: list[RenderableType] = [Text(), Text("Why these doses", style="bold")]
    for planned, coached, decision in rows:
        name = coached.name if coached is not None else planned.name
        lines.append(
            Text.assemble(
                decision_text(decision), "  ", safe(name, "bold"), ": ", safe(decision.reason)
            )
        )
    return lines
