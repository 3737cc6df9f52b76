"""The progress report for a physiotherapist: HTML or PDF, readable in a minute.

Charts are SVG drawn by matplotlib's SVG backend (no pyplot, no GUI), with text as paths and
styles inline, so the same SVG embeds in self-contained HTML (no network, no scripts) and draws
in the PDF through fpdf2's SVG support. matplotlib and fpdf2 are imported only here.
"""

from __future__ import annotations

import html
import io
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from kotcoach.base.errors import ExportError
from kotcoach.base.vocab import MAX_PAIN_DURING
from kotcoach.base.writing import write_whole
from kotcoach.catalogue.ladders import Index
from kotcoach.coaching.coach import GREEN_MAX
from kotcoach.coaching.progress import TESTS, Progress
from kotcoach.export import check_target
from kotcoach.store.records import Profile

REPORT_HINT = "install it with pip install 'kotcoach[report]'"
FOOTNOTE = (
    "Made by kotcoach from the client's own training log: general exercise guidance, not a "
    "diagnosis. The decisions follow the rules above; a clinician's judgement comes first."
)
COLOURS = ("#1f5fa8", "#d1495b", "#2e933c", "#edae49", "#7b4b94", "#00798c")
INK = "#222222"
RULES = (
    ("start", "nothing logged yet: the programme's dose"),
    (
        "up",
        f"the last two sessions at one target done in full, pain during {GREEN_MAX}/10 or less, "
        "and settled by the next morning",
    ),
    ("hold", "pain during 3-5/10, a missing check-in, or anything short of up"),
    (
        "down",
        f"pain during above {MAX_PAIN_DURING}/10, next-morning pain up 2 or more, or the target "
        "missed twice in a row",
    ),
    (
        "stop",
        "next-morning pain rising week on week, 6/10 or more twice in a week, or 6/10 now: no "
        "progression, see a physiotherapist",
    ),
)


@dataclass(frozen=True)
class Chart:
    title: str
    svg: str  # a standalone <svg> element
    aspect: float  # height / width


@dataclass(frozen=True)
class Report:
    title: str
    about: list[tuple[str, str]]
    referral: str | None
    charts: list[Chart]
    ladders: list[tuple[str, str, str]]
    tests: list[tuple[str, str, str]]
    events: list[tuple[str, str, str, str]]
    rules: Sequence[tuple[str, str]]


def write_report(
    path: Path,
    index: Index,
    progress: Progress,
    profile_name: str,
    profile: Profile | None,
    today: date,
    force: bool = False,
) -> None:
    """Write the report as .html or .pdf; nothing is written if anything fails."""
    fmt = check_target(path, force)
    if fmt not in ("html", "pdf"):
        raise ExportError(f"cannot write the report as '{path.name}': use .html or .pdf")
    report = build_report(index, progress, profile_name, profile, today)
    data = render_report_html(report) if fmt == "html" else render_report_pdf(report)
    write_whole(path, data, force, mode=0o600)  # health data: the owner's alone


def build_report(
    index: Index, progress: Progress, profile_name: str, profile: Profile | None, today: date
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
    about.append(("Trained", progress.days_trained))
    ladders = []
    for ladder in progress.ladders:
        now = index.exercise(ladder.steps[ladder.current - 1]).name if ladder.current else "—"
        ladders.append((ladder.name, f"{ladder.current} of {len(ladder.steps)}", now))
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
    events = [
        (e.day.isoformat(), e.exercise_id, e.kind.value, e.reason)
        for e in reversed(progress.events)
    ]
    return Report(
        title="Training progress report",
        about=about,
        referral=progress.referral,
        charts=charts(index, progress) if progress.first else [],
        ladders=ladders,
        tests=tests,
        events=events,
        rules=RULES,
    )


# --- charts ------------------------------------------------------------------------------------


def _figure(height: float) -> Any:
    try:
        import matplotlib
    except ImportError:
        raise ExportError("the progress report needs matplotlib", hint=REPORT_HINT) from None
    matplotlib.rcParams.update(
        {
            "svg.hashsalt": "kotcoach",  # the same log always gives the same file
            "svg.fonttype": "path",  # text as shapes: no font needed to view it, fpdf2 draws it
            "font.size": 8,
            "axes.spines.top": False,
            "axes.spines.right": False,
        }
    )
    from matplotlib.dates import AutoDateLocator, ConciseDateFormatter
    from matplotlib.figure import Figure

    # Fixed margins, in inches, fitted to the labels these charts have: a layout engine would
    # draw every chart twice over to measure them, which was the drawing's largest cost.
    width = 7.0
    figure = Figure(figsize=(width, height), dpi=100)
    figure.subplots_adjust(
        left=0.6 / width, right=1 - 0.1 / width, bottom=0.3 / height, top=1 - 0.08 / height
    )
    axes = figure.subplots()
    locator = AutoDateLocator()  # type: ignore[no-untyped-call]
    axes.xaxis.set_major_locator(locator)
    axes.xaxis.set_major_formatter(ConciseDateFormatter(locator))  # type: ignore[no-untyped-call]
    return figure, axes


MIN_DAYS_SHOWN = 42  # a short log is drawn on six weeks, not on matplotlib's default years
FEW_POINTS = 12  # up to this many points a line also marks each one, so a single week shows


def _at_least_weeks(axes: Any) -> None:
    """Widen a date axis whose data spans less than MIN_DAYS_SHOWN. With one day of log
    matplotlib's date locator widens the axis by two years each way, and the data vanishes."""
    lo, hi = axes.dataLim.intervalx  # matplotlib dates: days
    if math.isfinite(lo) and math.isfinite(hi) and hi - lo < MIN_DAYS_SHOWN:
        middle = (lo + hi) / 2
        axes.set_xlim(middle - MIN_DAYS_SHOWN / 2, middle + MIN_DAYS_SHOWN / 2)


def _marks(points: int) -> dict[str, Any]:
    return {"marker": "o", "markersize": 3} if points <= FEW_POINTS else {}


def _svg(figure: Any, title: str) -> Chart:
    for axes in figure.axes:
        _at_least_weeks(axes)
    buffer = io.StringIO()
    figure.savefig(buffer, format="svg", metadata={"Date": None, "Creator": None})
    text = buffer.getvalue()
    text = re.sub(
        r"<\?xml[^>]*>\s*|<!DOCTYPE[^>]*>\s*|<metadata>.*?</metadata>\s*", "", text, flags=re.S
    )
    width, height = figure.get_size_inches()
    return Chart(title, text, height / width)


def charts(index: Index, progress: Progress) -> list[Chart]:
    found = [_pain_chart(progress), _adherence_chart(progress)]
    if any(len(ladder.points) > 1 for ladder in progress.ladders):
        found.append(_ladder_chart(index, progress))
    if progress.assessments:
        found.append(_test_chart(progress))
    return found


def _pain_chart(progress: Progress) -> Chart:
    figure, axes = _figure(2.6)
    starts = [w.start for w in progress.weeks]
    axes.axhspan(0, GREEN_MAX, color="#e3f1e1", zorder=0)
    axes.axhspan(GREEN_MAX, MAX_PAIN_DURING, color="#fbf1d9", zorder=0)
    axes.axhspan(MAX_PAIN_DURING, 10, color="#f8e1e1", zorder=0)
    during = [
        (d, w.pain_during)
        for d, w in zip(starts, progress.weeks, strict=True)
        if w.pain_during is not None
    ]
    if during:
        axes.plot(
            *zip(*during, strict=True),
            color=INK,
            linewidth=1.4,
            label="pain during",
            **_marks(len(during)),
        )
    for n, area in enumerate(progress.areas):
        points = [
            (d, w.mornings[area])
            for d, w in zip(starts, progress.weeks, strict=True)
            if area in w.mornings
        ]
        if points:
            axes.plot(
                *zip(*points, strict=True),
                color=COLOURS[n % len(COLOURS)],
                linewidth=1,
                label=f"{area}, next morning",
                **_marks(len(points)),
            )
    axes.set_ylim(0, 10)
    axes.set_ylabel("pain /10, weekly average")
    if axes.get_legend_handles_labels()[0]:  # no pain reported yet: no legend (nor a warning)
        axes.legend(loc="upper left", fontsize=7, frameon=False, ncols=3)
    return _svg(figure, "Pain by week (green 0-2, amber 3-5, red above 5)")


def _adherence_chart(progress: Progress) -> Chart:
    figure, axes = _figure(1.7)
    starts = [w.start for w in progress.weeks]
    done = [w.done for w in progress.weeks]
    if len(starts) <= FEW_POINTS:  # a filled step shape of one week has no width
        axes.bar(starts, done, width=5, color=COLOURS[0], linewidth=0, label="days trained")
    else:  # one filled shape rather than a bar a week: five years stay light to draw in the PDF
        axes.fill_between(
            starts, done, step="mid", color=COLOURS[0], linewidth=0, label="days trained"
        )
    if progress.weeks and progress.weeks[0].planned is not None:
        axes.step(
            starts,
            [w.planned or 0 for w in progress.weeks],
            where="mid",
            color=COLOURS[1],
            linewidth=1,
            label="planned",
            **_marks(len(starts)),
        )
    axes.set_ylim(
        0,
        max([w.done for w in progress.weeks] + [w.planned or 0 for w in progress.weeks] + [1]) + 1,
    )
    axes.set_ylabel("days")
    axes.legend(loc="upper left", fontsize=7, frameon=False, ncols=2)
    return _svg(figure, "Sessions done and planned, by week")


def _ladder_chart(index: Index, progress: Progress) -> Chart:
    figure, axes = _figure(2.4)
    end = progress.last or date.today()
    moved = [ladder for ladder in progress.ladders if len(ladder.points) > 1]
    for n, ladder in enumerate(moved):  # the ladders table lists the rest
        days = [d for d, _ in ladder.points] + [end]
        steps = [s for _, s in ladder.points] + [ladder.points[-1][1]]
        axes.step(
            days,
            steps,
            where="post",
            color=COLOURS[n % len(COLOURS)],
            linewidth=1.2,
            label=ladder.name,
        )
    top = max(len(ladder.steps) for ladder in moved)
    axes.set_yticks(range(1, top + 1))
    axes.set_ylim(0.5, top + 0.5)
    axes.set_ylabel("step on its ladder")
    axes.legend(loc="upper left", fontsize=6, frameon=False, ncols=3)
    return _svg(figure, "Ladder step reached (ladders that changed step)")


def _test_chart(progress: Progress) -> Chart:
    figure, axes = _figure(2.2)
    n = 0
    for test_id, results in progress.assessments.items():
        test = TESTS.get(test_id)
        if test is None:
            continue
        for side in ("left", "right") if test.sided else (None,):
            points = [(r.date, r.value) for r in results if r.side == side]
            if points:
                label = f"{test.name} ({test.unit})" + (f", {side}" if side else "")
                axes.plot(
                    *zip(*points, strict=True),
                    marker="o",
                    markersize=3,
                    linewidth=1,
                    color=COLOURS[n % len(COLOURS)],
                    label=label,
                )
                n += 1
    axes.set_ylim(bottom=0)
    axes.legend(loc="upper left", fontsize=6, frameon=False, ncols=2)
    return _svg(figure, "Tests over time")


# --- HTML --------------------------------------------------------------------------------------

CSS = """
body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; color: #222;
       max-width: 52rem; margin: 1.5rem auto; padding: 0 1rem; }
h1 { font-size: 1.5rem; margin: 0 0 .5rem; } h2 { font-size: 1.1rem; margin: 1.5rem 0 .4rem; }
dl { display: grid; grid-template-columns: max-content 1fr; gap: .1rem 1rem; margin: 0; }
dt { font-weight: 600; } dd { margin: 0; }
.referral { border: 2px solid #b3261e; background: #fdecea; padding: .6rem .8rem; margin: 1rem 0;
            font-weight: 600; }
figure { margin: 1rem 0; } figcaption { font-weight: 600; margin-bottom: .2rem; }
svg { width: 100%; height: auto; }
table { border-collapse: collapse; width: 100%; font-size: 13px; }
th, td { text-align: left; vertical-align: top; padding: .25rem .4rem;
         border-bottom: 1px solid #ddd; }
.stop { color: #b3261e; font-weight: 600; } .down { color: #7b2d8b; }
.small { font-size: 12px; color: #555; }
@media print { body { margin: 0; } figure, tr { break-inside: avoid; } }
"""


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
    ]
    if report.referral:
        out.append(f'<p class="referral">{_e(report.referral)}</p>')
    for chart in report.charts:
        out.append(f"<figure><figcaption>{_e(chart.title)}</figcaption>{chart.svg}</figure>")
    if report.ladders:
        out.append("<h2>Ladders</h2>" + _table(("ladder", "step", "now doing"), report.ladders))
    if report.tests:
        out.append("<h2>Tests</h2>" + _table(("test", "results", "latest"), report.tests))
    out.append(f"<h2>Steps back and stops ({len(report.events)})</h2>")
    if report.events:
        rows = "".join(
            f'<tr><td>{_e(d)}</td><td>{_e(x)}</td><td class="{_e(k)}">{_e(k)}</td>'
            f"<td>{_e(r)}</td></tr>"
            for d, x, k, r in report.events
        )
        out.append(
            "<table><thead><tr><th>date</th><th>exercise</th><th>decision</th><th>why</th></tr>"
            f"</thead><tbody>{rows}</tbody></table>"
        )
    else:
        out.append("<p>None: no step back or stop so far.</p>")
    out.append("<h2>How kotcoach decides</h2>" + _table(("decision", "when"), report.rules))
    out.append(f'<p class="small">{_e(FOOTNOTE)}</p></body></html>')
    return "\n".join(out).encode()


def _table(head: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    header = "".join(f"<th>{_e(h)}</th>" for h in head)
    body = "".join("<tr>" + "".join(f"<td>{_e(c)}</td>" for c in row) + "</tr>" for row in rows)
    return f"<table><thead><tr>{header}</tr></thead><tbody>{body}</tbody></table>"


# --- PDF ---------------------------------------------------------------------------------------


def render_report_pdf(report: Report) -> bytes:
    try:
        from fpdf import FPDF
        from fpdf.fonts import FontFace
    except ImportError:
        raise ExportError("PDF export needs fpdf2", hint=REPORT_HINT) from None
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
    pdf.set_font(FONT, "", 9.5)
    for key, value in report.about:
        pdf.set_font(FONT, "B", 9.5)
        pdf.cell(32, 5, key)
        pdf.set_font(FONT, "", 9.5)
        pdf.multi_cell(0, 5, value, new_x="LMARGIN", new_y="NEXT")
    if report.referral:
        pdf.ln(2)
        pdf.set_draw_color(179, 38, 30)
        pdf.set_fill_color(253, 236, 234)
        pdf.set_font(FONT, "B", 10)
        pdf.multi_cell(
            0, 5.2, report.referral, border=1, fill=True, padding=2, new_x="LMARGIN", new_y="NEXT"
        )
    for chart in report.charts:
        height = width * chart.aspect
        if pdf.will_page_break(height + 8):
            pdf.add_page()
        pdf.ln(2)
        pdf.set_font(FONT, "B", 10)
        pdf.cell(0, 6, chart.title, new_x="LMARGIN", new_y="NEXT")
        svg = _glyphs_in_place(chart.svg)
        pdf.image(io.BytesIO(svg.encode()), x=pdf.l_margin, y=pdf.get_y(), w=width)
        pdf.set_y(pdf.get_y() + height)
    heading = FontFace(emphasis="BOLD", fill_color=(235, 235, 235))

    def table(
        title: str, head: Sequence[str], rows: Sequence[Sequence[str]], widths: Sequence[int]
    ) -> None:
        if pdf.will_page_break(20):
            pdf.add_page()
        pdf.ln(3)
        pdf.set_font(FONT, "B", 11)
        pdf.cell(0, 6, title, new_x="LMARGIN", new_y="NEXT")
        pdf.set_font(FONT, "", 8.5)
        with pdf.table(
            col_widths=widths, headings_style=heading, line_height=4.4, text_align="LEFT"
        ) as t:
            t.row(list(head))
            for row in rows:
                t.row(list(row))

    if report.ladders:
        table("Ladders", ("ladder", "step", "now doing"), report.ladders, (3, 1, 3))
    if report.tests:
        table("Tests", ("test", "results", "latest"), report.tests, (3, 3, 3))
    title = f"Steps back and stops ({len(report.events)})"
    if report.events:
        table(title, ("date", "exercise", "decision", "why"), report.events, (4, 6, 3, 16))
    else:
        pdf.ln(3)
        pdf.set_font(FONT, "B", 11)
        pdf.cell(0, 6, title, new_x="LMARGIN", new_y="NEXT")
        pdf.set_font(FONT, "", 9)
        pdf.multi_cell(0, 5, "None: no step back or stop so far.", new_x="LMARGIN", new_y="NEXT")
    table("How kotcoach decides", ("decision", "when"), report.rules, (1, 8))
    pdf.ln(3)
    pdf.set_font(FONT, "", 8)
    pdf.multi_cell(0, 4, FOOTNOTE, new_x="LMARGIN", new_y="NEXT")
    # fpdf2 logs missing glyphs in its own words; kotcoach says so once, in its own.
    import logging

    logger = logging.getLogger("fpdf")
    level = logger.level
    logger.setLevel(logging.ERROR)
    try:
        data = bytes(pdf.output())
    finally:
        logger.setLevel(level)
    missing = "".join(
        dict.fromkeys(
            chr(c) for font in pdf.fonts.values() for c in getattr(font, "missing_glyphs", [])
        )
    )
    if missing:
        from kotcoach.base.notes import note

        shown = "".join(c if c.isprintable() else ascii(c)[1:-1] for c in missing[:12])
        note(f"the report's font cannot draw {shown}: shown as empty boxes in the PDF")
    return data


# matplotlib writes text as paths: each glyph once in <defs>, placed by a <use> per character.
_GLYPH = re.compile(r'<path id="([^"]+)"(?: d="([^"]*)")?(?: transform="([^"]*)")?\s*/>')
_USE = re.compile(r'<use xlink:href="#([^"]+)"(?: transform="([^"]*)")?\s*/>')


def _glyphs_in_place(svg: str) -> str:
    """The chart with each glyph's shape written where it is used. fpdf2 copies a definition
    deeply at every <use>, which was most of its time on these charts; shapes in place draw the
    same and convert in about two thirds of the time. Other <use>s (tick marks) are kept."""
    glyphs = {name: (shape, own) for name, shape, own in _GLYPH.findall(svg)}

    def in_place(use: re.Match[str]) -> str:
        name, where = use.groups()
        if name not in glyphs:
            return use.group(0)
        shape, own = glyphs[name]
        if not shape:
            return ""  # a space
        transform = " ".join(part for part in (where, own) if part)
        return f'<path d="{shape}" transform="{transform}"/>'

    return _USE.sub(in_place, svg)
