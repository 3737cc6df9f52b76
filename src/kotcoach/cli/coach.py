"""The coach on the command line: `next`, `test`, `progress`, and the decisions `today` shows.

The decisions come from `coaching.coach` (pure); this module reads only what they need from the
store: each ladder's last sessions and the check-ins of the last three weeks. The charts and the
report import their libraries inside the commands that draw them.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from kotcoach.base.errors import UsageError
from kotcoach.base.vocab import Area
from kotcoach.cli._app import _emit_json, _Group, _out, _print, _state, app

if TYPE_CHECKING:
    from kotcoach.coaching.coach import Decision, Index
    from kotcoach.coaching.today import Row

JsonOption = Annotated[bool, typer.Option("--json", help="Write JSON to stdout.")]


def _today() -> dt.date:
    return dt.date.today()


# --- next --------------------------------------------------------------------------------------


@app.command("next")
def next_command(
    ctx: typer.Context,
    exercise: Annotated[str, typer.Argument(help="An exercise id: any step of its ladder.")],
    as_json: JsonOption = False,
) -> None:
    """The next prescription for one exercise, decided from your log, with the reason.

    start: nothing logged yet, your programme's dose. up: the last two sessions were done in
    full at pain 2/10 or less and settled by the next morning. hold: pain 3-5/10, a missing
    check-in, or anything short of up. down: pain above 5/10, a flare the next morning, or the
    target missed twice. stop: pain rising week on week, 6/10 or more twice in a week, or 6/10
    now: no progression, see a physiotherapist. Pain now is this morning's check-in.

    \b
    Examples:
      kotcoach next tib-raise-wall
      kotcoach --profile sam next atg-split-squat-raised --json
    """
    from kotcoach.coaching.coach import decide, referral_text, referrals
    from kotcoach.coaching.progress import dose_detail, programme_prescription
    from kotcoach.coaching.today import (
        coach_catalogue,
        decision_json,
        morning_person,
        mornings_for,
        recent_logged,
    )
    from kotcoach.store import Store

    state = _state(ctx)
    on = _today()

    def work(index: Index) -> tuple[Decision, str | None, Any]:
        step = index.exercise(exercise)
        with Store.open() as store:
            programme = store.programme(state.profile)
            recent = recent_logged(index, store, state.profile, step.id)
            mornings = mornings_for(store, state.profile, on, recent)
            person = morning_person(store, state.profile, programme, mornings, on)
        start = programme_prescription(index, programme, step.id)
        decision = decide(index, step.id, recent, mornings, person, start, on)
        referral = referral_text(referrals(mornings, person, on))
        return decision, referral, index.exercise(decision.exercise_id)

    decision, referral, chosen = coach_catalogue(state, work)
    rest = chosen.dose.rest_seconds if chosen.dose else None
    if as_json:
        _emit_json(
            {
                "profile": state.profile,
                "date": on.isoformat(),
                "id": chosen.id,
                "name": chosen.name,
                "dose": decision.dose.describe() if decision.dose else None,
                "dose_detail": dose_detail(decision.dose, rest) if decision.dose else None,
                **decision_json(decision),
                "was": (
                    {"id": decision.was.exercise_id, "dose": decision.was.dose.describe()}
                    if decision.was
                    else None
                ),
                "referral": referral,
            }
        )
        return
    from kotcoach.render.progress import next_view

    _print(next_view(chosen.name, chosen.id, decision, referral))


# --- test --------------------------------------------------------------------------------------


def _record(
    ctx: typer.Context,
    test_id: str,
    results: dict[str | None, float],
    date: str | None,
    as_json: bool,
) -> None:
    from kotcoach.coaching.progress import TESTS, check_result
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
                "how": test.how,
                "meaning": test.meaning,
            }
        )
        return
    from kotcoach.render.progress import test_view

    _print(test_view(test, history, _out().width))


test_app = typer.Typer(
    cls=_Group,
    help="Measure what the training should improve, and see the results over time.",
    no_args_is_help=True,
    rich_markup_mode=None,
)
app.add_typer(test_app, name="test")
DateOption = Annotated[
    str | None,
    typer.Option(help="The day of the test, YYYY-MM-DD [default: today].", metavar="DATE"),
]


@test_app.command("knee-to-wall")
def knee_to_wall_command(
    ctx: typer.Context,
    left: Annotated[
        float | None, typer.Option(help="Left foot: toe to wall, cm.", metavar="CM")
    ] = None,
    right: Annotated[
        float | None, typer.Option(help="Right foot: toe to wall, cm.", metavar="CM")
    ] = None,
    date: DateOption = None,
    as_json: JsonOption = False,
) -> None:
    """Ankle bend: how far from the wall the toe can be with the knee touching it, heel down.

    \b
    Examples:
      kotcoach test knee-to-wall --left 9.5 --right 11
    """
    _record(ctx, "knee-to-wall", _sides(left, right), date, as_json)


@test_app.command("calf-raise")
def calf_raise_command(
    ctx: typer.Context,
    left: Annotated[
        int | None, typer.Option(help="Left leg: reps to fatigue.", metavar="N")
    ] = None,
    right: Annotated[
        int | None, typer.Option(help="Right leg: reps to fatigue.", metavar="N")
    ] = None,
    date: DateOption = None,
    as_json: JsonOption = False,
) -> None:
    """Single-leg calf raises to fatigue, each side.

    \b
    Examples:
      kotcoach test calf-raise --left 18 --right 22
    """
    _record(ctx, "calf-raise", _sides(left, right), date, as_json)


@test_app.command("tib-raise")
def tib_raise_command(
    ctx: typer.Context,
    reps: Annotated[int, typer.Argument(help="Reps to fatigue, both feet together.", metavar="N")],
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
    results: dict[str | None, float] = {}
    if left is not None:
        results["left"] = left
    if right is not None:
        results["right"] = right
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
        typer.Option(
            help="Write a report for a physiotherapist: report.html or report.pdf.", metavar="PATH"
        ),
    ] = None,
    force: Annotated[bool, typer.Option("--force", help="Overwrite an existing report.")] = False,
    as_json: JsonOption = False,
) -> None:
    """Your progress: pain by week, sessions done, ladder steps, tests, and every step back.

    \b
    Examples:
      kotcoach progress
      kotcoach progress --area knee
      kotcoach progress --export report.pdf
    """
    from kotcoach.coaching.progress import build_progress
    from kotcoach.coaching.today import person_of_store
    from kotcoach.store import Store

    state = _state(ctx)
    chosen = _area(area)
    if export is not None and export.suffix.lower() not in (".html", ".pdf"):
        raise UsageError(f"--export {export}: the report is .html or .pdf")
    index = state.index()
    on = _today()
    with Store.open() as store:
        programme = store.programme(state.profile)
        person = person_of_store(store, state.profile, programme)
        logs = store.entry_history(state.profile)
        checkins = store.checkins(state.profile)
        assessments = store.assessments(state.profile)
        profile = store.profile(state.profile)
    progress = build_progress(
        index, logs, checkins, assessments, programme, person, on, area=chosen
    )
    if export is not None:
        from kotcoach.export.report import write_report

        write_report(export, index, progress, state.profile, profile, on, force)
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


def _area(name: str | None) -> Area | None:
    if name is None:
        return None
    try:
        return Area(name)
    except ValueError:
        raise UsageError(f"unknown area '{name}' (valid: {', '.join(Area)})") from None


# --- what `today` adds -------------------------------------------------------------------------


def coach_lines(rows: list[Row], referral: str | None) -> tuple[list[Any], list[Any]]:
    """What `today` prints before its table (the referral) and after it (each decision)."""
    from kotcoach.render.progress import decision_lines, referral_text

    return referral_text(referral), decision_lines(rows)
