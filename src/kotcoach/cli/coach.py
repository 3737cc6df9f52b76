"""The coach on the command line: `next`, `test`, `progress`, and the decisions `today` shows.

The decisions come from `coaching.coach` (pure); this module reads only what they need from the
store: each ladder's last sessions and the check-ins of the last three weeks. The charts and the
report import their libraries inside the commands that draw them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, TypeVar

import typer

from kotcoach.base.errors import UsageError
from kotcoach.base.vocab import Area
from kotcoach.cli._app import _emit_json, _Group, _out, _print, _state, app
from kotcoach.cli._types import decimal, integer

if TYPE_CHECKING:
    from kotcoach.cli._app import State
    from kotcoach.coaching.coach import Decision, Index, Logged, Mornings, Person
    from kotcoach.store import PlannedExercise, PlannedSession, Programme, Store, Today

JsonOption = Annotated[bool, typer.Option("--json", help="Write JSON to stdout.")]
T = TypeVar("T")
RECENT_PER_STEP = 3  # sessions read per ladder step: the last two, and one spare for a skip


def _today() -> dt.date:
    return dt.date.today()


# --- reading what the coach needs ---------------------------------------------------------------


def coach_catalogue(state: State, work: Callable[[Index], T]) -> T:
    """`work` done with the catalogue read straight from the cache (no pydantic models), or, on
    a miss or a damaged entry, with the full Index."""
    from kotcoach.catalogue.cache import Damaged
    from kotcoach.catalogue.coach_catalog import coach_catalogue as light

    fast = light(state.path())
    if fast is not None:
        try:
            return work(fast)
        except Damaged:
            pass
    return work(state.index())


def ladder_key(index: Index) -> Callable[[str], str]:
    """An exercise id to the first step of its ladder (itself when the catalogue lacks it), so a
    logged step counts for the programme's exercise on the same ladder."""
    from kotcoach.base.errors import NotFoundError

    def key(exercise_id: str) -> str:
        try:
            return index.ladder_of(exercise_id).first.id
        except NotFoundError:
            return exercise_id

    return key


def _recent(index: Index, store: Store, profile: str, exercise_id: str) -> list[Logged]:
    """The ladder's last sessions (a few per step), oldest first."""
    from kotcoach.coaching.progress import logged_of

    found: list[Logged] = []
    for step in index.ladder_of(exercise_id).steps:
        for session in store.sessions(profile, exercise=step.id, last=RECENT_PER_STEP):
            for log in session.exercises:
                logged = logged_of(log)
                if logged is not None:
                    found.append(logged)
    found.sort(key=lambda s: s.day)
    return found[-RECENT_PER_STEP:]


def _mornings(store: Store, profile: str, on: dt.date, recent: list[Logged]) -> Mornings:
    """The check-ins the rules read: the three weeks to `on`, and the week before each recent
    session to its next morning."""
    from kotcoach.coaching.coach import BASELINE_DAYS, CHECKIN_LOOKBACK, Mornings
    from kotcoach.coaching.progress import checkins_of

    since = on - CHECKIN_LOOKBACK
    if recent:
        since = min(since, min(s.day for s in recent) - dt.timedelta(days=BASELINE_DAYS))
    return Mornings(checkins_of(store.checkins(profile, since=since)))


def _person(store: Store, profile: str, programme: Programme | None) -> Person:
    from kotcoach.coaching.progress import person_of

    saved = store.profile(profile)
    return person_of(
        programme,
        conditions=saved.conditions if saved else (),
        equipment=list(saved.equipment) if saved and saved.equipment else None,
    )


Row = tuple["PlannedExercise", "PlannedExercise | None", "Decision"]


def coach_session(
    state: State,
    index: Index,
    store: Store,
    on: dt.date,
    exercises: tuple[PlannedExercise, ...],
    done: Mapping[str, Any],
    programme: Programme | None,
) -> tuple[list[Row], str | None]:
    """Each exercise of a session with what the coach makes of it (None: leave it out today)
    and the decision; and the referral for the day. Exercises already logged today keep the
    morning's decision; pain now is this morning's check-in."""
    from kotcoach.coaching.coach import Prescription, decide, referral_text, referrals
    from kotcoach.coaching.progress import coached_exercise, volume_of

    _check_programme_catalogue(state, index, exercises)
    person = _person(store, state.profile, programme)
    recent = {e.id: _recent(index, store, state.profile, e.id) for e in exercises}
    mornings = _mornings(store, state.profile, on, [s for r in recent.values() for s in r])
    person = replace(person, pain_now=mornings.day(on))
    ladders = [index.ladder_of(e.id).first.id for e in exercises]
    rows: list[Row] = []
    for planned, ladder in zip(exercises, ladders, strict=True):
        sessions, when = recent[planned.id], on
        if ladders.count(ladder) > 1:  # two steps of one ladder: each follows its own log
            sessions = [s for s in sessions if s.exercise_id == planned.id]
        if planned.id in done:
            sessions = [s for s in sessions if s.day < on]
        start = Prescription(planned.id, volume_of(planned.target))  # this session's dose
        decision = decide(index, planned.id, sessions, mornings, person, start, when)
        rows.append((planned, coached_exercise(index, planned, decision), decision))
    return rows, referral_text(referrals(mornings, person, on))


def _check_programme_catalogue(
    state: State, index: Index, exercises: tuple[PlannedExercise, ...]
) -> None:
    """A programme made with one catalogue and read with another that lacks one of its
    exercises: said once, naming the programme, the exercise and the catalogue (not as an id
    the person never typed)."""
    from kotcoach.base.errors import NotFoundError

    for exercise in exercises:
        try:
            index.ladder_of(exercise.id)
        except NotFoundError:
            catalogue = str(state.path()) if state.given_by else "the built-in catalogue"
            raise NotFoundError(
                f"the programme of '{state.profile}' uses {exercise.id}, which {catalogue} "
                "does not have",
                hint="use the catalogue it was made with (--catalog), or make a new programme "
                "with 'kotcoach start'",
            ) from None


def coached_today(
    state: State, store: Store, on: dt.date
) -> tuple[Today | None, list[Row], str | None]:
    """`store.today` with the coach's decisions applied: the session's exercises are the steps
    and doses to do today (those left out are gone), and `done` follows them."""
    return coach_catalogue(state, lambda index: _coached_today(state, index, store, on))


def _coached_today(
    state: State, index: Index, store: Store, on: dt.date
) -> tuple[Today | None, list[Row], str | None]:
    today = store.today(state.profile, on, same=ladder_key(index))
    if today is None:
        return None, [], None
    rows, referral = coach_session(
        state, index, store, on, today.session.exercises, today.done, today.programme
    )
    exercises = tuple(coached for _, coached, _ in rows if coached is not None)
    done = {
        coached.id: today.done[planned.id]
        for planned, coached, _ in rows
        if coached is not None and planned.id in today.done
    }
    session = replace(today.session, exercises=exercises)
    return replace(today, session=session, done=done), rows, referral


def decision_json(decision: Decision) -> dict[str, Any]:
    return {"decision": decision.kind.value, "reason": decision.reason}


def _morning_person(
    store: Store, profile: str, programme: Programme | None, mornings: Mornings, on: dt.date
) -> Person:
    return replace(_person(store, profile, programme), pain_now=mornings.day(on))


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
    from kotcoach.store import Store

    state = _state(ctx)
    on = _today()

    def work(index: Index) -> tuple[Decision, str | None, Any]:
        step = index.exercise(exercise)
        with Store.open() as store:
            programme = store.programme(state.profile)
            recent = _recent(index, store, state.profile, step.id)
            mornings = _mornings(store, state.profile, on, recent)
            person = _morning_person(store, state.profile, programme, mornings, on)
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
        float | None, typer.Option(parser=decimal, help="Left foot: toe to wall, cm.", metavar="CM")
    ] = None,
    right: Annotated[
        float | None,
        typer.Option(parser=decimal, help="Right foot: toe to wall, cm.", metavar="CM"),
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
        int | None,
        typer.Option(parser=integer, help="Left leg: reps to fatigue.", metavar="N"),
    ] = None,
    right: Annotated[
        int | None,
        typer.Option(parser=integer, help="Right leg: reps to fatigue.", metavar="N"),
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
    from kotcoach.store import Store

    state = _state(ctx)
    chosen = _area(area)
    if export is not None and export.suffix.lower() not in (".html", ".pdf"):
        raise UsageError(f"--export {export}: the report is .html or .pdf")
    index = state.index()
    on = _today()
    with Store.open() as store:
        programme = store.programme(state.profile)
        person = _person(store, state.profile, programme)
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


def coach_unsaved(
    state: State, store: Store, on: dt.date, session: PlannedSession
) -> tuple[PlannedSession, list[Row], str | None]:
    """Day 1 of a plan that is not saved yet, with the coach's decisions (the log may still
    hold sessions of its exercises)."""
    rows, referral = coach_catalogue(
        state, lambda index: coach_session(state, index, store, on, session.exercises, {}, None)
    )
    exercises = tuple(coached for _, coached, _ in rows if coached is not None)
    return replace(session, exercises=exercises), rows, referral


def decision_fields(rows: list[Row]) -> dict[str, dict[str, Any]]:
    """`decision` and `reason` for each exercise id `today` shows."""
    return {coached.id: decision_json(d) for _, coached, d in rows if coached is not None}


def left_out_json(rows: list[Row]) -> list[dict[str, Any]]:
    """The exercises the coach leaves out today, as `today --json` lists them: no dose."""
    return [
        {
            "id": planned.id,
            "name": planned.name,
            "dose": None,
            "dose_detail": None,
            "key_cue": planned.key_cue,
            "warm_up": planned.warm_up,
            "logged": None,
            **decision_json(decision),
        }
        for planned, coached, decision in rows
        if coached is None
    ]


def coach_lines(rows: list[Row], referral: str | None) -> tuple[list[Any], list[Any]]:
    """What `today` prints before its table (the referral) and after it (each decision)."""
    from kotcoach.render.progress import decision_lines, referral_text

    return referral_text(referral), decision_lines(rows)
