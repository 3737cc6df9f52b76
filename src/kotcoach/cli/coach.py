"""The coach on the command line: `next`, `test`, `progress`, and the decisions `today` shows.

The decisions come from `coaching.coach` (pure), from the facts `coaching.today` reads from the
store (the same functions the phone's pages call): each ladder's sessions and the check-ins
they need. The charts and the report import their libraries inside the commands that draw
them.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from kotcoach.base.errors import UsageError
from kotcoach.base.vocab import Area
from kotcoach.cli._app import _emit_json, _out, _print, _state, app, command_group
from kotcoach.cli._options import (
    JsonOption,
    date_option,
    day_option,
    decimal_option,
    path_option,
    text_option,
    whole_option,
)
from kotcoach.cli._types import integer

if TYPE_CHECKING:
    from kotcoach.coaching.coach import Decision, Index
    from kotcoach.coaching.load import LoadChange
    from kotcoach.coaching.stages import Staged


def _today() -> dt.date:
    return dt.date.today()


# --- next --------------------------------------------------------------------------------------

OnOption = Annotated[
    str | None,
    date_option(
        "Decide as of the morning of this day, YYYY-MM-DD, from the log before it.", "--on"
    ),
]


def on_date(text: str | None) -> dt.date | None:
    from kotcoach.store import parse_date

    return None if text is None else parse_date(text, _today(), "--on")


@app.command("next")
def next_command(
    ctx: typer.Context,
    exercise: Annotated[str, typer.Argument(help="An exercise id: any step of its ladder.")],
    on: OnOption = None,
    as_json: JsonOption = False,
) -> None:
    """The next prescription for one exercise, decided from your log, with the reason.

    start: nothing logged on its ladder yet: your programme's dose. up: one thing more (two
    reps, a set, or the next step) after two sessions done in full at pain during 2/10 or less,
    settled by the next morning. hold: the same dose. down: less (a step back, or a third less
    volume): pain during above 5/10, a flare the next morning, a second week of rising
    mornings, or time off. pause: left out for now (pain now 6/10 or more, or no step suits
    you). A referral to a physiotherapist comes beside any of them. Pain now is that morning's
    check-in. The README's "How kotcoach decides" gives every rule.

    \b
    Examples:
      kotcoach next tib-raise-wall
      kotcoach next atg-split-squat-raised --on 2026-11-12 --json
    """
    from kotcoach.coaching.facts import dose_detail
    from kotcoach.coaching.today import coach_catalogue, decision_json, decision_on
    from kotcoach.store import Store

    state = _state(ctx)
    day = on_date(on)
    when = day or _today()

    from kotcoach.coaching.stages import staged_json, staged_lines

    def work(index: Index) -> tuple[Decision, str | None, Any, LoadChange | None, list[Staged]]:
        step = index.exercise(exercise)
        with Store.open() as store:
            found = decision_on(state.profile, index, store, step.id, when, before=day is not None)
        return (
            found.decision,
            found.referral,
            index.exercise(found.decision.exercise_id),
            found.load,
            found.stages,
        )

    decision, referral, chosen, load, found = coach_catalogue(state, work)
    rest = chosen.dose.rest_seconds if chosen.dose else None
    detail = dose_detail(decision.dose, rest) if decision.dose else None
    if detail is not None and load is not None and load.dose.load_kg is not None:
        detail["load_kg"] = load.dose.load_kg
    if as_json:
        _emit_json(
            {
                "profile": state.profile,
                "date": when.isoformat(),
                "id": chosen.id,
                "name": chosen.name,
                "dose": decision.dose.describe() if decision.dose else None,
                "dose_detail": detail,
                **decision_json(decision),
                "was": (
                    {"id": decision.was.exercise_id, "dose": decision.was.dose.describe()}
                    if decision.was
                    else None
                ),
                "referral": referral,
                "stage": staged_json(found),
            }
        )
        return
    from kotcoach.cli._pipe import print_parts
    from kotcoach.coaching.load import describe_load
    from kotcoach.render.today import next_parts

    shown = None
    if load is not None and load.dose.load_kg is not None:
        shown = describe_load(load.dose.load_kg, getattr(chosen, "load_per_hand", False))
    lines = staged_lines(found)
    print_parts(lambda _: next_parts(chosen.name, chosen.id, decision, referral, shown, lines))


# --- test --------------------------------------------------------------------------------------


def _record(
    ctx: typer.Context,
    test_id: str,
    results: dict[str | None, float],
    date: str | None,
    as_json: bool,
) -> None:
    from kotcoach.coaching.progress import TESTS, check_result, judge
    from kotcoach.store import Store, parse_date

    state = _state(ctx)
    test = TESTS[test_id]
    on = _today() if date is None else parse_date(date, _today())
    checked = {side: check_result(test, value, side) for side, value in results.items()}
    with Store.open(write=True) as store:
        for side, value in checked.items():
            store.add_assessment(state.profile, on, test.id, value, side)
        history = store.assessments(state.profile, test.id)
    if as_json:
        _emit_json(
            {
                "profile": state.profile,
                "test": test.id,
                "unit": test.unit,
                "date": on.isoformat(),
                "results": [{"side": side, "value": value} for side, value in checked.items()],
                "history": [
                    {"date": a.date.isoformat(), "side": a.side, "value": a.value} for a in history
                ],
                "judgement": list(judge(test, history)),
                "error": test.error,
                "error_source": test.error_source,
                "how": test.how,
                "meaning": test.meaning,
            }
        )
        return
    from kotcoach.render.progress import test_view

    _print(test_view(test, history, _out().width))


test_app = command_group(
    "test", "Measure what the training should improve, and see the results over time."
)
DateOption = Annotated[str | None, day_option("The day of the test")]


@test_app.command("knee-to-wall")
def knee_to_wall_command(
    ctx: typer.Context,
    left: Annotated[float | None, decimal_option("Left foot: toe to wall, cm.", "CM")] = None,
    right: Annotated[float | None, decimal_option("Right foot: toe to wall, cm.", "CM")] = None,
    date: DateOption = None,
    as_json: JsonOption = False,
) -> None:
    """Ankle bend: how far from the wall the toe can be with the knee touching it, heel down.

    The result shows the two sides compared (limb symmetry), each change read against the
    test's repeat error (about 1.9 cm, Powden 2015), and any sudden loss.

    \b
    Examples:
      kotcoach test knee-to-wall --left 9.5 --right 11
    """
    _record(ctx, "knee-to-wall", _sides(left, right), date, as_json)


@test_app.command("calf-raise")
def calf_raise_command(
    ctx: typer.Context,
    left: Annotated[int | None, whole_option("Left leg: reps to fatigue.")] = None,
    right: Annotated[int | None, whole_option("Right leg: reps to fatigue.")] = None,
    date: DateOption = None,
    as_json: JsonOption = False,
) -> None:
    """Single-leg calf raises to fatigue, each side, as the published norms were taken.

    Protocol (Hébert-Losier 2017): one leg on a 10-degree incline, toes up the slope (on flat
    ground the count is not comparable with the norms); fingertips on a wall at shoulder height
    for balance only; knee straight, body upright, no leaning forward; rise as high as you can,
    one rise every two seconds (metronome at 60, up on one beat, down on the next). Stop when
    you can no longer rise as high, keep the pace, keep the knee straight or the trunk still, or
    need more than fingertips on the wall. Count the full rises; rest, then the other leg.

    The result shows the two sides compared (limb symmetry), each change read against the test's
    repeat error (about 6 reps, Hébert-Losier 2017), and any sudden loss.

    \b
    Examples:
      kotcoach test calf-raise --left 18 --right 22
    """
    _record(ctx, "calf-raise", _sides(left, right), date, as_json)


@test_app.command("tib-raise")
def tib_raise_command(
    ctx: typer.Context,
    reps: Annotated[
        int,
        typer.Argument(parser=integer, help="Reps to fatigue, both feet together.", metavar="N"),
    ],
    date: DateOption = None,
    as_json: JsonOption = False,
) -> None:
    """Tibialis raises to fatigue, back against a wall.

    \b
    Examples:
      kotcoach test tib-raise 30
    """
    _record(ctx, "tib-raise", {None: reps}, date, as_json)


def _sides(left: float | None, right: float | None) -> dict[str | None, float]:
    results: dict[str | None, float] = {
        side: value for side, value in (("left", left), ("right", right)) if value is not None
    }
    if not results:
        raise UsageError("give --left, --right or both")
    return results


# --- progress ----------------------------------------------------------------------------------


@app.command("progress")
def progress_command(
    ctx: typer.Context,
    area: Annotated[
        str | None, typer.Option(help=f"Only this area: {', '.join(Area)}.", metavar="AREA")
    ] = None,
    export: Annotated[
        Path | None,
        path_option("Write a report for a physiotherapist: report.html or report.pdf."),
    ] = None,
    force: Annotated[bool, typer.Option("--force", help="Overwrite an existing report.")] = False,
    on_day: OnOption = None,
    note: Annotated[
        str | None, text_option("With --export: the clinician's note, printed in a box.")
    ] = None,
    review: Annotated[
        str | None, date_option("With --export: the date of the next review, YYYY-MM-DD.")
    ] = None,
    as_json: JsonOption = False,
) -> None:
    """Your progress: is it working? Pain and scores from start to now, days trained against
    the plan, then charts, ladder steps, tests, and the steps back.

    Only whole weeks count against the plan, so the figure does not change with the weekday.

    With --on, as it stood on that day: the log and check-ins up to it.

    \b
    Examples:
      kotcoach progress
      kotcoach progress --area knee
      kotcoach progress --on 2026-11-12
      kotcoach progress --export report.pdf
      kotcoach progress --export report.pdf --note "Knee settling; add hops" --review 2026-12-20
    """
    from kotcoach.coaching.progress import build_progress
    from kotcoach.coaching.today import person_of_store
    from kotcoach.store import Store

    state = _state(ctx)
    chosen = _area(area)
    if export is not None and export.suffix.lower() not in (".html", ".pdf"):
        raise UsageError(f"--export {export}: the report is .html or .pdf")
    if export is None and (note is not None or review is not None):
        raise UsageError("--note and --review go in the report: add --export report.pdf")
    on = on_date(on_day) or _today()
    review_day = None
    if review is not None:
        review_day = _review_date(review, _today())
    if note is not None and len(note) > 2000:
        raise UsageError(f"--note is {len(note)} characters; the limit is 2000")
    index = state.index()
    with Store.open() as store:
        programme = store.programme(state.profile)
        person = person_of_store(index, store, state.profile, programme)
        logs = [log for log in store.entry_history(state.profile) if log.date <= on]
        checkins = [c for c in store.checkins(state.profile) if c.date <= on]
        assessments = [a for a in store.assessments(state.profile) if a.date <= on]
        profile = store.profile(state.profile)
        score_records = store.scores(state.profile)
    progress = build_progress(
        index,
        logs,
        checkins,
        assessments,
        programme,
        person,
        on,
        area=chosen,
        score_records=score_records,
    )
    if export is not None:
        from kotcoach.export.report import write_report

        write_report(export, index, progress, state.profile, profile, on, force, note, review_day)
        import sys

        sys.stderr.write(f"kotcoach: wrote {export}\n")
        return
    if as_json:
        from kotcoach.render.progress import progress_json

        _emit_json(progress_json(state.profile, on, progress))
        return
    from kotcoach.render.progress import progress_view

    console = _out()
    _print(progress_view(index, state.profile, progress, console.width), console=console)


def _review_date(text: str, today: dt.date) -> dt.date:
    """A review date: YYYY-MM-DD, today or later (a review is planned, not past)."""
    try:
        day = dt.date.fromisoformat(text)
    except ValueError:
        raise UsageError(f"--review '{text}' is not a date: write YYYY-MM-DD") from None
    if day < today:
        raise UsageError(f"--review {text} is in the past: give the next review's date")
    return day


def _area(name: str | None) -> Area | None:
    if name is None:
        return None
    try:
        return Area(name)
    except ValueError:
        raise UsageError(f"unknown area '{name}' (valid: {', '.join(Area)})") from None
