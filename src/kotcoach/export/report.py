"""The progress report for a physiotherapist: HTML or PDF, and it answers "is it working?".

First the summary lines (each area's pain and each score, start to now, against the change that
matters; the days trained against the plan), the clinician's note and review date; then the
charts (every x axis dates; a sentence instead of a chart of one flat line); then each exercise
(sessions done against planned, the dose over time as a small line, its steps back and pauses);
the 20 most recent runs of steps back and pauses, merged, with their length; and the rules.
Names everywhere, never catalogue ids. It stays at two to four pages for any log.

Charts are `export.chart`'s: SVG in the HTML (a narrow drawing for phones), fpdf2's own lines
and text in the PDF. fpdf2 is imported only for the PDF.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from kotcoach.base.errors import ExportError
from kotcoach.base.vocab import MAX_PAIN_DURING
from kotcoach.base.writing import write_whole
from kotcoach.catalogue.ladders import Index
from kotcoach.coaching.coach import GREEN_MAX, Kind
from kotcoach.coaching.load import LoadSeries
from kotcoach.coaching.progress import TESTS, ExerciseProgress, Progress, summary_lines
from kotcoach.coaching.scores import INSTRUMENTS
from kotcoach.coaching.stages import StageStatus
from kotcoach.export import check_target
from kotcoach.export.chart import Band, LineChart, Rule, Series, is_flat, svg
from kotcoach.store.records import Profile

REPORT_HINT = "install it with pip install 'kotcoach[report]'"
FOOTNOTE = (
    "Made by kotcoach from the client's own training log: general exercise guidance, not a "
    "diagnosis. The decisions follow the rules above; a clinician's judgement comes first."
)
COLOURS = ("#1f5fa8", "#c0392b", "#2e7d32", "#b26a00", "#6a3d9a", "#00798c")
MARKERS = ("circle", "square", "triangle", "diamond")
EVENTS_SHOWN = 20
MAX_NOTE = 2000
RULES = (
    ("start", "nothing logged on the ladder yet: the programme's dose"),
    (
        "up",
        "one thing more (reps, then a set, then the next step at no more volume): the last two "
        f"sessions at one dose, 7 days apart at most, done in full, pain during {GREEN_MAX}/10 "
        "or less (kotcoach's edge), each settled the next morning in every area it loads "
        "(study); no step up before 2 weeks on a step loading the knee or ankle, 1 week "
        "otherwise (kotcoach)",
    ),
    (
        "hold",
        f"the same dose: pain during 3-{MAX_PAIN_DURING}/10, a missing area's check-in, not "
        "settled, one session at this dose, back after 7-13 days off, or a weekly mean morning "
        "pain or stiffness up 1 or more on the week before (study: no week-on-week rise); four "
        "weeks at one dose suggests a physiotherapist's review (kotcoach)",
    ),
    (
        "down",
        "one step back, or at least a third less volume: pain during above "
        f"{MAX_PAIN_DURING}/10 (study), the next morning up 2 or more (kotcoach's flare edge), "
        "a second rising week in a row, two mornings at 6/10 or more in a week, 14-27 days off "
        "(a third less) or 28 or more (a step back); missed reps set the next target to what "
        "was done",
    ),
    (
        "pause",
        "left out for now: pain now 6/10 or more in an area it loads (moving exercises), no "
        "step of its ladder suits you, or nothing left to cut",
    ),
    (
        "referral",
        "beside any decision: pain now 6/10 or more, 6/10 or more on two mornings in a week, or "
        "a third rising week (a rise after the deload; the deload stays)",
    ),
)


@dataclass(frozen=True)
class Figure:
    """A chart, or the sentence that says what a flat chart would have shown."""

    title: str
    chart: LineChart | None
    sentence: str = ""


@dataclass(frozen=True)
class ExerciseRow:
    name: str
    ladder: str  # empty when the step done now is the ladder's own name
    step: str
    sessions: str
    dose: tuple[tuple[date, float], ...]
    dose_text: str
    steps_back: str


@dataclass(frozen=True)
class Report:
    title: str
    about: list[tuple[str, str]]
    summary: list[str]
    referral: str | None
    note: str | None
    review: date | None
    figures: list[Figure]
    exercises: list[ExerciseRow]
    tests: list[tuple[str, str, str]]
    events: list[tuple[str, str, str, str, str]]
    events_total: int
    events_earlier: str
    rules: Sequence[tuple[str, str]] = field(default=RULES)
    loads: Sequence[tuple[str, str, str, str]] = ()  # exercise, first, latest, change
    stages: Sequence[tuple[str, str, str]] = ()  # condition, stage reached (since), next needs


def write_report(
    path: Path,
    index: Index,
    progress: Progress,
    profile_name: str,
    profile: Profile | None,
    today: date,
    force: bool = False,
    note: str | None = None,
    review: date | None = None,
) -> None:
    """Write the report as .html or .pdf; nothing is written if anything fails."""
    fmt = check_target(path, force)
    if fmt not in ("html", "pdf"):
        raise ExportError(f"cannot write the report as '{path.name}': use .html or .pdf")
    report = build_report(index, progress, profile_name, profile, today, note, review)
    data = render_report_html(report) if fmt == "html" else render_report_pdf(report)
    write_whole(path, data, force, mode=0o600)  # health data: the owner's alone


def build_report(
    index: Index,
    progress: Progress,
    profile_name: str,
    profile: Profile | None,
    today: date,
    note: str | None = None,
    review: date | None = None,
) -> Report:
    who = (profile.handout_for if profile and profile.handout_for else None) or profile_name
    about = [("Client", who)]
    if profile and profile.clinic:
        about.append(("Clinic or coach", profile.clinic))
    if profile and profile.conditions:
        about.append(("Conditions", ", ".join(profile.conditions)))
    if progress.first:
        about.append(("Log", f"{progress.first.isoformat()} to {progress.last}"))
    about.append(("Report made", today.isoformat()))
    if progress.area:
        about.append(("Area", str(progress.area)))
    tests = []
    for test_id, results in progress.assessments.items():
        test = TESTS.get(test_id)
        if test is None:
            continue
        first, last = results[0], results[-1]
        tests.append(
            (
                test.name,
                f"{len({r.date for r in results})} days, {first.date} to {last.date}",
                ", ".join(
                    f"{r.side or 'both'} {r.value:g} {test.unit}"
                    for r in results
                    if r.date == last.date
                ),
            )
        )
    recent = list(reversed(progress.events))
    events = [
        (
            e.day.isoformat() if e.until is None else f"{e.day.isoformat()} to {e.last}",
            e.name or index.exercise(e.exercise_id).name,
            _kind(e.kind),
            e.length,
            e.reason,
        )
        for e in recent[:EVENTS_SHOWN]
    ]
    loads = [_load_row(index, series) for series in progress.loads]
    stages = [_stage_row(name, status) for _, name, status in progress.stages]
    earlier = recent[EVENTS_SHOWN:]
    earlier_text = ""
    if earlier:
        downs = sum(1 for e in earlier if e.kind is Kind.DOWN)
        earlier_text = (
            f"And {len(earlier)} earlier ({downs} of steps back, {len(earlier) - downs} of "
            f"pauses), from {earlier[-1].day.isoformat()} to {earlier[0].last}: "
            "'kotcoach progress --json' lists every one."
        )
    return Report(
        title="Training progress report",
        about=about,
        summary=summary_lines(progress) if progress.first else ["Nothing logged yet."],
        referral=progress.referral,
        note=note.strip() if note and note.strip() else None,
        review=review,
        figures=figures(progress) if progress.first else [],
        exercises=[_exercise_row(e) for e in progress.exercises],
        tests=tests,
        events=events,
        events_total=len(progress.events),
        events_earlier=earlier_text,
        loads=loads,
        stages=stages,
    )


def _stage_row(name: str, status: StageStatus) -> tuple[str, str, str]:
    """A staged condition: the stage reached and since when, and what the next one needs."""
    from kotcoach.catalogue.staging import stage_label

    here = f"{stage_label(status.stages, status.current)} ({status.current + 1} of "
    here += f"{len(status.stages)})" + (f", since {status.since}" if status.since else "")
    following = status.next
    needs = "—"
    if following is not None:
        title = stage_label(status.stages, status.current + 1)
        needs = f"{title}: " + ("; ".join(status.needs) or "all met")
    return name, here, needs


def _load_row(index: Index, series: LoadSeries) -> tuple[str, str, str, str]:
    """An exercise's load, kg per rep: first and latest with their dates, and the change."""
    from kotcoach.coaching.load import describe_load, percent

    name = index.exercise(series.exercise_id).name if series.exercise_id in index.by_id else ""
    change = "—"
    if series.first:
        sign = "+" if series.last >= series.first else "-"
        change = f"{sign}{percent(series.last / series.first - 1)}"
    return (
        name or series.exercise_id,
        f"{describe_load(series.first)} on {series.points[0][0]}",
        f"{describe_load(series.last)} on {series.points[-1][0]}",
        change,
    )


def _kind(kind: Kind) -> str:
    return "step back" if kind is Kind.DOWN else str(kind.value)


def _exercise_row(e: ExerciseProgress) -> ExerciseRow:
    sessions = f"{e.done}" + (f" of {e.planned}" if e.planned is not None else "")
    dose_text = ""
    dose = e.dose
    if dose:
        (d0, v0), (d1, v1) = dose[0], dose[-1]
        dose_text = f"{v0:.0f} {e.unit} ({d0:%b %Y}) → {v1:.0f} {e.unit} ({d1:%b %Y})"
        if d0 == d1:
            dose_text = f"{v0:.0f} {e.unit} (week of {d0.isoformat()})"
        elif len({round(v, 1) for _, v in dose}) == 1:  # a flat line: a sentence says it
            dose_text = f"{v0:.0f} {e.unit} every week, {d0:%b %Y} to {d1:%b %Y}"
            dose = ()
    back = f"{e.downs} / {e.pauses}" if e.downs or e.pauses else "none"
    return ExerciseRow(
        name=e.name,
        ladder="" if e.ladder == e.name else e.ladder,
        step=f"{e.step} of {e.steps}",
        sessions=sessions,
        dose=dose,
        dose_text=dose_text,
        steps_back=back,
    )


# --- the charts ----------------------------------------------------------------------------------


def figures(progress: Progress) -> list[Figure]:
    start, end = progress.first, progress.today or progress.last
    found = [_pain(progress, start, end), _days(progress, start, end)]
    for instrument_id, history in progress.scores.items():
        if len(history) > 1:
            found.append(_score(instrument_id, history, start, end))
    if progress.assessments:
        found.append(_tests(progress, start, end))
    return found


def _style(n: int) -> dict[str, object]:
    return {
        "colour": COLOURS[n % len(COLOURS)],
        "marker": MARKERS[n % len(MARKERS)],
        "dashed": n % 2 == 1,
    }


def _pain(progress: Progress, start: date | None, end: date | None) -> Figure:
    title = "Pain by week, weekly averages (green 0-2, amber 3-5, red above 5)"
    series = []
    during = tuple((w.start, w.pain_during) for w in progress.weeks if w.pain_during is not None)
    if during:
        series.append(Series("pain during", during, "#222222", "circle"))
    for n, area in enumerate(progress.areas, start=1):
        points = tuple((w.start, w.mornings[area]) for w in progress.weeks if area in w.mornings)
        if points:
            series.append(Series(f"{area}, next morning", points, **_style(n)))  # type: ignore[arg-type]
    if not series:
        return Figure(title, None, "No pain scores yet: pain during sessions, and check-ins.")
    if is_flat(series):
        value = series[0].points[0][1]
        return Figure(
            title, None, f"Pain during and every next morning: {value:g}/10 in every week."
        )
    bands = (
        Band(0, GREEN_MAX, "#e3f1e1"),
        Band(GREEN_MAX, MAX_PAIN_DURING, "#fbf1d9"),
        Band(MAX_PAIN_DURING, 10, "#f8e1e1"),
    )
    return Figure(title, LineChart(title, tuple(series), 0, 10, bands, (), start, end))


def _days(progress: Progress, start: date | None, end: date | None) -> Figure:
    title = "Days trained by week"
    done = tuple((w.start, float(w.done)) for w in progress.weeks)
    series = [Series("days trained", done, COLOURS[0], bars=True)]
    planned = tuple((w.start, float(w.planned)) for w in progress.weeks if w.planned is not None)
    if planned:
        series.append(Series("planned", planned, COLOURS[1], "square", dashed=True))
    if not any(v for _, v in done):
        return Figure(title, None, "No day trained yet.")
    if is_flat(series):
        days = int(done[0][1])
        return Figure(
            title,
            None,
            f"{days} day{'s' if days != 1 else ''} trained in every week"
            + (", as planned." if planned else "."),
        )
    top = max(v for s in series for _, v in s.points)
    return Figure(
        title + (" and planned" if planned else ""),
        LineChart(title, tuple(series), 0, max(top + 1, 4), (), (), start, end),
    )


def _score(
    instrument_id: str, history: Sequence[object], start: date | None, end: date | None
) -> Figure:
    instrument = INSTRUMENTS[instrument_id]
    points = tuple((s.day, s.total) for s in history)  # type: ignore[attr-defined]
    title = f"{instrument.name} ({instrument.short}), 0-{instrument.high}, higher is better"
    line = Series(instrument.short, points, COLOURS[2], "diamond")
    if is_flat([line]):
        return Figure(title, None, f"{instrument.short} {points[0][1]:g} at every scoring.")
    mark = points[0][1] + instrument.mic
    rules: tuple[Rule, ...] = ()
    if mark <= instrument.high:
        rules = (
            Rule(mark, f"first + {instrument.points(instrument.mic)}: the change that matters"),
        )
    chart = LineChart(title, (line,), instrument.low, instrument.high, (), rules, start, end)
    return Figure(
        title, chart, f"Change that matters: {instrument.mic_text}; {instrument.mic_source}."
    )


def _tests(progress: Progress, start: date | None, end: date | None) -> Figure:
    title = "Tests over time"
    series = []
    n = 0
    for test_id, results in progress.assessments.items():
        test = TESTS.get(test_id)
        if test is None:
            continue
        for side in ("left", "right") if test.sided else (None,):
            points = tuple((r.date, r.value) for r in results if r.side == side)
            if points:
                label = f"{test.name} ({test.unit})" + (f", {side}" if side else "")
                series.append(Series(label, points, **_style(n)))  # type: ignore[arg-type]
                n += 1
    if not series:
        return Figure(title, None, "No tests yet.")
    top = max(v for s in series for _, v in s.points)
    return Figure(
        title, LineChart(title, tuple(series), 0, max(5.0, top * 1.15), (), (), start, end)
    )


# --- HTML --------------------------------------------------------------------------------------

CSS = """
body { font: 15px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; color: #222;
       max-width: 52rem; margin: 1.5rem auto; padding: 0 1rem; overflow-wrap: break-word; }
h1 { font-size: 1.5rem; margin: 0 0 .5rem; } h2 { font-size: 1.15rem; margin: 1.5rem 0 .4rem; }
dl { display: grid; grid-template-columns: max-content 1fr; gap: .1rem 1rem; margin: 0; }
dt { font-weight: 600; } dd { margin: 0; }
.summary { border-left: 4px solid #1f5fa8; background: #eef3fa; padding: .5rem .8rem;
           margin: 1rem 0; } .summary p { margin: .2rem 0; font-weight: 600; }
.referral { border: 2px solid #b3261e; background: #fdecea; padding: .6rem .8rem; margin: 1rem 0;
            font-weight: 600; }
.note { border: 1.5px solid #555; padding: .6rem .8rem; margin: 1rem 0; white-space: pre-wrap; }
figure { margin: 1rem 0; } figcaption { font-weight: 600; margin-bottom: .2rem; }
svg.chart { width: 100%; height: auto; display: block; } svg.narrow { display: none; }
@media (max-width: 600px) { svg.wide { display: none; } svg.narrow { display: block; } }
svg.spark { width: 8rem; height: 2rem; display: block; }
table { border-collapse: collapse; width: 100%; font-size: 14px; }
th, td { text-align: left; vertical-align: top; padding: .25rem .4rem;
         border-bottom: 1px solid #ddd; }
td.stop { color: #b3261e; font-weight: 600; } th, td.short, .nw { white-space: nowrap; }
.small { font-size: 13px; color: #555; }
@media (max-width: 600px) { table.wide-table thead { display: none; }
  table.wide-table tr { display: block; border-bottom: 1px solid #ccc; padding: .3rem 0; }
  table.wide-table td { display: block; border: 0; padding: .05rem .2rem; }
  table.wide-table td[data-label]::before { content: attr(data-label) ": "; font-weight: 600; } }
.pause { color: #b3261e; font-weight: 600; } .down { color: #7b2d8b; }
@media print { body { margin: 0; } figure, tr { break-inside: avoid; } }
"""
WIDE, NARROW = (700, 12.0, 150), (360, 13.5, 170)  # width, text height, plot height (units)


def _e(text: str) -> str:
    return html.escape(text, quote=True)


def render_report_html(report: Report) -> bytes:
    out = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{_e(report.title)}</title><style>{CSS}</style></head><body>",
        f"<h1>{_e(report.title)}</h1>",
        "<dl>" + "".join(f"<dt>{_e(k)}</dt><dd>{_e(v)}</dd>" for k, v in report.about) + "</dl>",
        '<div class="summary">'
        + "".join(f"<p>{_e(line)}</p>" for line in report.summary)
        + "</div>",
    ]
    if report.referral:
        out.append(f'<p class="referral">{_e(report.referral)}</p>')
    if report.note:
        out.append(f'<div class="note"><strong>Clinician\'s note</strong>\n{_e(report.note)}</div>')
    if report.review:
        out.append(f"<p><strong>Review:</strong> {report.review.isoformat()}</p>")
    for fig in report.figures:
        out.append(f"<figure><figcaption>{_e(fig.title)}</figcaption>")
        if fig.chart is not None:
            out.append(
                svg(fig.chart, *WIDE, "chart wide") + svg(fig.chart, *NARROW, "chart narrow")
            )
        if fig.sentence:
            out.append(f'<p class="small">{_e(fig.sentence)}</p>')
        out.append("</figure>")
    if report.exercises:
        head = ("exercise", "step", "sessions", "dose a session, by week", "steps back / pauses")
        rows = []
        for e in report.exercises:
            name = _e(e.name) + (
                f'<br><span class="small">{_e(e.ladder)} ladder</span>' if e.ladder else ""
            )
            cells = (
                name,
                _e(e.step),
                _e(e.sessions),
                _spark(e.dose) + _e(e.dose_text),
                _e(e.steps_back),
            )
            rows.append(
                "<tr>"
                + "".join(
                    f'<td data-label="{_e(h)}"{_cell_class(h, "")}>{c}</td>'
                    for h, c in zip(head, cells, strict=True)
                )
                + "</tr>"
            )
        out.append(
            "<h2>Each exercise</h2><p class='small'>Sessions: days it was done against the days "
            "the programme planned it, in the whole weeks counted.</p>"
            '<table class="wide-table"><thead><tr>'
            + "".join(f"<th>{_e(h)}</th>" for h in head)
            + f"</tr></thead><tbody>{''.join(rows)}</tbody></table>"
        )
    if report.stages:
        out.append(
            "<h2>Stages</h2>" + _table(("condition", "stage reached", "next needs"), report.stages)
        )
    if report.loads:
        out.append(
            "<h2>Loads (kg per rep)</h2>"
            + _table(("exercise", "first", "latest", "change"), report.loads)
        )
    if report.tests:
        out.append("<h2>Tests</h2>" + _table(("test", "results", "latest"), report.tests))
    out.append(_events_title(report, "h2"))
    if report.events:
        head = ("dates", "exercise", "decision", "length", "why")
        body = "".join(
            "<tr>"
            + "".join(
                f'<td data-label="{_e(h)}"{_cell_class(h, c)}>{_cell(h, c)}</td>'
                for h, c in zip(head, row, strict=True)
            )
            + "</tr>"
            for row in report.events
        )
        out.append(
            '<table class="wide-table"><thead><tr>'
            + "".join(f"<th>{_e(h)}</th>" for h in head)
            + f"</tr></thead><tbody>{body}</tbody></table>"
        )
        if report.events_earlier:
            out.append(f'<p class="small">{_e(report.events_earlier)}</p>')
    else:
        out.append("<p>None: no step back or pause so far.</p>")
    out.append("<h2>How kotcoach decides</h2>" + _table(("decision", "when"), report.rules))
    out.append(f'<p class="small">{_e(FOOTNOTE)}</p></body></html>')
    return "\n".join(out).encode()


SHORT = {"step", "sessions", "decision", "length", "steps back / pauses"}  # kept on one line


def _cell_class(head: str, cell: str) -> str:
    classes = [c for c, on in (("short", head in SHORT), ("stop", cell in ("stop", "pause"))) if on]
    return f' class="{" ".join(classes)}"' if classes else ""


def _cell(head: str, text: str) -> str:
    return _dates(text) if head == "dates" else _e(text)


def _dates(text: str) -> str:
    """'2026-10-12 to 2026-10-14' with each date kept whole on a narrow column."""
    return " to ".join(f'<span class="nw">{_e(part)}</span>' for part in text.split(" to "))


def _events_title(report: Report, tag: str) -> str:
    shown = len(report.events)
    if report.events_total > shown:
        text = f"Steps back and pauses: the {shown} most recent of {report.events_total}"
    else:
        text = f"Steps back and pauses ({report.events_total})"
    return f"<{tag}>{_e(text)}</{tag}>" if tag else text


def _spark(points: Sequence[tuple[date, float]], width: float = 120, height: float = 28) -> str:
    if len(points) < 2:
        return ""
    path = " ".join(f"{x:.1f},{y:.1f}" for x, y in _spark_points(points, width, height))
    return (
        f'<svg class="spark" viewBox="0 0 {width:.0f} {height:.0f}" role="img" '
        'aria-label="dose by week" xmlns="http://www.w3.org/2000/svg">'
        f'<polyline points="{path}" fill="none" stroke="#1f5fa8" stroke-width="1.6"/></svg>'
    )


def _spark_points(
    points: Sequence[tuple[date, float]], width: float, height: float
) -> list[tuple[float, float]]:
    """A small line's points in a width x height box, downsampled to at most 60."""
    step = max(1, len(points) // 60)
    chosen = list(points[::step])
    if chosen[-1] != points[-1]:
        chosen.append(points[-1])
    lo_day, hi_day = chosen[0][0], chosen[-1][0]
    days = max(1, (hi_day - lo_day).days)
    top = max(v for _, v in chosen) or 1
    return [
        (1 + (width - 2) * (d - lo_day).days / days, height - 2 - (height - 4) * v / top)
        for d, v in chosen
    ]


def _table(head: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    header = "".join(f"<th>{_e(h)}</th>" for h in head)
    body = "".join("<tr>" + "".join(f"<td>{_e(c)}</td>" for c in row) + "</tr>" for row in rows)
    return f"<table><thead><tr>{header}</tr></thead><tbody>{body}</tbody></table>"


# --- PDF ---------------------------------------------------------------------------------------


def render_report_pdf(report: Report) -> bytes:
    try:
        from fpdf import FPDF
    except ImportError:
        raise ExportError("PDF export needs fpdf2", hint=REPORT_HINT) from None
    from kotcoach.export.chart import draw_pdf
    from kotcoach.export.pdf import FONT, FONTS

    pdf = FPDF(format="A4")
    pdf.set_margins(15, 14, 15)
    pdf.set_auto_page_break(True, margin=14)
    pdf.add_font(FONT, "", FONTS / "DejaVuSansCondensed.ttf")
    pdf.add_font(FONT, "B", FONTS / "DejaVuSansCondensed-Bold.ttf")
    pdf.set_title(report.title)
    pdf.add_page()
    width = pdf.w - pdf.l_margin - pdf.r_margin
    pdf.set_font(FONT, "B", 16)
    pdf.cell(0, 8, report.title, new_x="LMARGIN", new_y="NEXT")
    for key, value in report.about:
        pdf.set_font(FONT, "B", 9.5)
        pdf.cell(32, 5, key)
        pdf.set_font(FONT, "", 9.5)
        pdf.multi_cell(0, 5, value, new_x="LMARGIN", new_y="NEXT")

    def box(text: str, bold: bool, draw: tuple[int, int, int], fill: tuple[int, int, int]) -> None:
        pdf.ln(2)
        pdf.set_draw_color(*draw)
        pdf.set_fill_color(*fill)
        pdf.set_line_width(0.3)
        pdf.set_font(FONT, "B" if bold else "", 10)
        pdf.multi_cell(0, 5.2, text, border=1, fill=True, padding=2, new_x="LMARGIN", new_y="NEXT")

    box("\n".join(report.summary), True, (31, 95, 168), (238, 243, 250))
    if report.referral:
        box(report.referral, True, (179, 38, 30), (253, 236, 234))
    if report.note:
        box("Clinician's note\n" + report.note, False, (85, 85, 85), (255, 255, 255))
    if report.review:
        pdf.ln(1)
        pdf.set_font(FONT, "B", 10)
        pdf.cell(0, 6, f"Review: {report.review.isoformat()}", new_x="LMARGIN", new_y="NEXT")
    for fig in report.figures:
        need = 62 if fig.chart is not None else 14
        if pdf.will_page_break(need):
            pdf.add_page()
        pdf.ln(2)
        pdf.set_font(FONT, "B", 10)
        pdf.cell(0, 6, fig.title, new_x="LMARGIN", new_y="NEXT")
        if fig.chart is not None:
            used = draw_pdf(pdf, fig.chart, pdf.l_margin, pdf.get_y(), width, FONT)
            pdf.set_y(pdf.get_y() + used)
        if fig.sentence:
            pdf.set_font(FONT, "", 8.5)
            pdf.multi_cell(0, 4.2, fig.sentence, new_x="LMARGIN", new_y="NEXT")

    def title(text: str) -> None:
        if pdf.will_page_break(24):
            pdf.add_page()
        pdf.ln(3)
        pdf.set_font(FONT, "B", 11)
        pdf.cell(0, 6, text, new_x="LMARGIN", new_y="NEXT")

    def table(head: Sequence[str], rows: Sequence[Sequence[str]], widths: Sequence[int]) -> None:
        _plain_table(pdf, head, rows, widths, width, FONT)

    if report.exercises:
        title("Each exercise")
        _exercise_table(pdf, report.exercises, width, FONT)
    if report.stages:
        title("Stages")
        table(("condition", "stage reached", "next needs"), report.stages, (2, 3, 5))
    if report.loads:
        title("Loads (kg per rep)")
        table(("exercise", "first", "latest", "change"), report.loads, (3, 2, 2, 1))
    if report.tests:
        title("Tests")
        table(("test", "results", "latest"), report.tests, (3, 3, 3))
    title(_events_title(report, ""))
    if report.events:
        table(("dates", "exercise", "decision", "length", "why"), report.events, (6, 6, 3, 4, 12))
        if report.events_earlier:
            pdf.set_font(FONT, "", 8.5)
            pdf.multi_cell(0, 4.2, report.events_earlier, new_x="LMARGIN", new_y="NEXT")
    else:
        pdf.set_font(FONT, "", 9)
        pdf.multi_cell(0, 5, "None: no step back or pause so far.", new_x="LMARGIN", new_y="NEXT")
    title("How kotcoach decides")
    table(("decision", "when"), report.rules, (1, 8))
    pdf.ln(3)
    pdf.set_font(FONT, "", 8)
    pdf.multi_cell(0, 4, FOOTNOTE, new_x="LMARGIN", new_y="NEXT")
    # fpdf2 logs missing glyphs in its own words; kotcoach says so once, in its own.
    from kotcoach.export.pdf_output import output_quietly

    data, missing = output_quietly(pdf)
    if missing:
        from kotcoach.base.notes import note

        shown = "".join(c if c.isprintable() else ascii(c)[1:-1] for c in missing[:12])
        note(f"the report's font cannot draw {shown}: shown as empty boxes in the PDF")
    return data


def _plain_table(
    pdf: object,
    head: Sequence[str],
    rows: Sequence[Sequence[str]],
    shares: Sequence[int],
    width: float,
    font: str,
    size: float = 8,
) -> None:
    """A table drawn by hand, each cell's text wrapped at words: fpdf2's own tables measured
    every character twice over and were two fifths of the PDF's time."""
    from typing import Any

    p: Any = pdf
    total = sum(shares)
    widths = [width * share / total for share in shares]
    line_h, pad = size * 0.46, 0.8  # millimetres: about 1.3 lines of the font's size
    words: dict[tuple[str, str], float] = {}

    def measure(word: str, style: str) -> float:
        key = (word, style)
        if key not in words:
            words[key] = p.get_string_width(word)
        return words[key]

    def wrap(text: str, room: float, style: str) -> list[str]:
        lines: list[str] = []
        for paragraph in text.split("\n"):
            line, used = "", 0.0
            for word in paragraph.split(" "):
                w = measure(word, style)
                gap = measure(" ", style) if line else 0.0
                if line and used + gap + w > room:
                    lines.append(line)
                    line, used = word, w
                else:
                    line, used = (f"{line} {word}" if line else word), used + gap + w
            lines.append(line)
        return lines

    def row(cells: Sequence[str], bold: bool) -> None:
        style = "B" if bold else ""
        p.set_font(font, style, size)
        wrapped = [wrap(c, w - 2 * pad, style) for c, w in zip(cells, widths, strict=True)]
        height = max(len(lines) for lines in wrapped) * line_h + 2 * pad
        if p.will_page_break(height):
            p.add_page()
            if not bold:
                row(head, True)
                p.set_font(font, style, size)
        y, x = p.get_y(), p.l_margin
        if bold:
            p.set_fill_color(235, 235, 235)
            p.rect(x, y, width, height, style="F")
        for lines, w in zip(wrapped, widths, strict=True):
            for n, line in enumerate(lines):
                p.text(x + pad, y + pad + line_h * (n + 0.78), line)
            x += w
        p.set_draw_color(210, 210, 210)
        p.set_line_width(0.2)
        p.line(p.l_margin, y + height, p.l_margin + width, y + height)
        p.set_y(y + height)

    row(head, True)
    for cells in rows:
        row(cells, False)


def _exercise_table(pdf: object, rows: Sequence[ExerciseRow], width: float, font: str) -> None:
    """Drawn by hand: each row has its dose as a small line, which fpdf2's tables cannot hold."""
    from typing import Any

    p: Any = pdf
    cols = (0.30, 0.08, 0.10, 0.36, 0.16)
    xs = [p.l_margin]
    for share in cols:
        xs.append(xs[-1] + share * width)
    heads = ("exercise", "step", "sessions", "dose a session, by week", "steps back / pauses")
    row_h = 9.0

    def header() -> None:
        p.set_fill_color(235, 235, 235)
        p.rect(p.l_margin, p.get_y(), width, 5, style="F")
        p.set_font(font, "B", 8)
        for x, text in zip(xs, heads, strict=False):
            p.text(x + 1, p.get_y() + 3.6, text)
        p.set_y(p.get_y() + 5)

    header()
    p.set_draw_color(200, 200, 200)
    p.set_line_width(0.2)
    for row in rows:
        if p.will_page_break(row_h):
            p.add_page()
            header()
        y = p.get_y()
        p.set_font(font, "", 8)
        p.text(xs[0] + 1, y + 3.8, _fit(p, row.name, xs[1] - xs[0] - 2))
        if row.ladder:
            p.set_font(font, "", 7)
            p.text(xs[0] + 1, y + 7.4, _fit(p, f"{row.ladder} ladder", xs[1] - xs[0] - 2))
            p.set_font(font, "", 8)
        p.text(xs[1] + 1, y + 3.8, row.step)
        p.text(xs[2] + 1, y + 3.8, row.sessions)
        if len(row.dose) > 1:
            spark_w = 22.0
            points = _spark_points(row.dose, spark_w, 7.0)
            p.set_draw_color(31, 95, 168)
            p.set_line_width(0.35)
            p.polyline([(xs[3] + 1 + x, y + 0.8 + yy) for x, yy in points], style="D")
            p.set_draw_color(200, 200, 200)
            p.set_line_width(0.2)
            p.set_font(font, "", 7)
            text_x = xs[3] + spark_w + 3
        else:
            p.set_font(font, "", 7)
            text_x = xs[3] + 1
        p.text(text_x, y + 3.8, _fit(p, row.dose_text.split(" → ")[0], xs[4] - text_x - 1))
        if " → " in row.dose_text:
            p.text(
                text_x, y + 7.4, _fit(p, "→ " + row.dose_text.split(" → ")[1], xs[4] - text_x - 1)
            )
        p.set_font(font, "", 8)
        p.text(xs[4] + 1, y + 3.8, _fit(p, row.steps_back, xs[5] - xs[4] - 2))
        p.line(p.l_margin, y + row_h, p.l_margin + width, y + row_h)
        p.set_y(y + row_h)


def _fit(pdf: object, text: str, room: float) -> str:
    """The text, shortened with an ellipsis to fit `room` millimetres at the current font."""
    from typing import Any

    p: Any = pdf
    width = p.get_string_width(text)
    if width <= room:
        return text
    text = text[: int(len(text) * room / width)]  # about right at once, then a few trims
    while text and p.get_string_width(text + "…") > room:
        text = text[:-1]
    return text.rstrip() + "…"
