"""The coach on the command line: `next`, `test`, `progress`, and the decisions `today` shows.

The decisions come from `coaching.coach` (pure); this module reads only what they need from the
store: each ladder's last sessions and the check-ins of the last three weeks. The charts and the
report import their libraries inside the commands that draw them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, NamedTuple, TypeVar

import typer

from kotcoach.base.errors import UsageError
from kotcoach.base.vocab import Area
from kotcoach.cli._app import _emit_json, _Group, _out, _print, _state, app
from kotcoach.cli._types import integer

if TYPE_CHECKING:
    from kotcoach.cli._app import State
    from kotcoach.coaching.coach import Decision, Index, Logged, Mornings, Person
    from kotcoach.coaching.load import LoadChange
    from kotcoach.coaching.stages import Staged
    from kotcoach.store import PlannedExercise, PlannedSession, Programme, Store, Today

JsonOption = Annotated[bool, typer.Option("--json", help="Write JSON to stdout.")]
T = TypeVar("T")
RECENT = 3  # sessions read per ladder step besides the window: the last two, and a spare


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


def _ladder_sessions(
    index: Index, store: Store, profile: str, exercise_id: str, on: dt.date, before: bool
) -> list[Logged]:
    """The ladder's sessions a decision on `on` reads (`coaching.coach.window`), oldest first:
    those up to `on` (before it, with `before`) of the last HISTORY days, and the last two
    whenever they were. A day in the past reads every session of the ladder's steps."""
    from kotcoach.coaching.coach import HISTORY
    from kotcoach.coaching.progress import logged_of

    past = on < _today()
    seen: set[int] = set()
    found: list[Logged] = []
    for step in index.ladder_of(exercise_id).steps:
        reads = [store.sessions(profile, exercise=step.id, since=on - HISTORY)]
        reads.append(store.sessions(profile, exercise=step.id, last=None if past else RECENT))
        for sessions in reads:
            for session in sessions:
                if session.id in seen or session.date > on or (before and session.date == on):
                    continue
                seen.add(session.id)
                for log in session.exercises:
                    logged = logged_of(log)
                    if logged is not None and logged.exercise_id == step.id:
                        found.append(logged)
    found.sort(key=lambda s: s.day)
    return found


def _mornings(store: Store, profile: str, on: dt.date, sessions: list[Logged]) -> Mornings:
    """The check-ins the rules read, up to the morning of `on`: four weeks back, and the week
    before each session read."""
    from kotcoach.coaching.coach import BASELINE_DAYS, CHECKIN_LOOKBACK, HISTORY, Mornings
    from kotcoach.coaching.progress import checkins_of

    since = on - CHECKIN_LOOKBACK
    recent = [s.day for s in sessions if s.day >= on - HISTORY] or [s.day for s in sessions]
    if recent:
        since = min(since, min(recent) - dt.timedelta(days=BASELINE_DAYS))
    found = [c for c in store.checkins(profile, since=since) if c.date <= on]
    return Mornings(checkins_of(found))


def _saved_person(store: Store, profile: str, programme: Programme | None) -> Person:
    """The person as the programme and the profile's saved defaults describe them."""
    from kotcoach.coaching.progress import person_of

    saved = store.profile(profile)
    return person_of(
        programme,
        conditions=saved.conditions if saved else (),
        equipment=list(saved.equipment) if saved and saved.equipment else None,
        age=saved.age if saved else None,
        fell_last_year=saved.fell_last_year if saved else False,
        level=saved.level if saved else None,
    )


def _person(index: Index, store: Store, profile: str, programme: Programme | None) -> Person:
    """The saved person, with the areas of their conditions from the catalogue."""
    from kotcoach.coaching.coach import with_condition_areas

    return with_condition_areas(index, _saved_person(store, profile, programme))


def _programme_steps(index: Index, programme: Programme | None) -> dict[str, frozenset[str]]:
    """Each programme exercise that shares its ladder with another programme exercise, with
    the ids of those others: each is decided from its own sessions."""
    if programme is None:
        return {}
    ids = {e.id for s in programme.sessions for e in s.exercises}
    return _shared(index, ids)


def _shared(index: Index, ids: set[str]) -> dict[str, frozenset[str]]:
    ladders: dict[str, set[str]] = {}
    for exercise_id in ids:
        ladders.setdefault(ladder_key(index)(exercise_id), set()).add(exercise_id)
    return {
        exercise_id: frozenset(group - {exercise_id})
        for group in ladders.values()
        if len(group) > 1
        for exercise_id in group
    }


Row = tuple["PlannedExercise", "PlannedExercise | None", "Decision"]


def coach_session(
    state: State,
    index: Index,
    store: Store,
    on: dt.date,
    exercises: tuple[PlannedExercise, ...],
    programme: Programme | None,
) -> tuple[list[Row], str | None]:
    """Each exercise of a session with what the coach makes of it (None: leave it out today)
    and the decision, as made the morning of `on` from the sessions before it; and the
    referral for the day. Pain now is that morning's check-in."""
    from kotcoach.coaching.coach import (
        Prescription,
        decide,
        ladder_facts,
        referral_text,
        referrals,
    )
    from kotcoach.coaching.progress import coached_exercise, volume_of

    person = _person(index, store, state.profile, programme)
    sessions = {
        e.id: _ladder_sessions(index, store, state.profile, e.id, on, before=True)
        for e in exercises
    }
    mornings = _mornings(store, state.profile, on, [s for r in sessions.values() for s in r])
    person = replace(person, pain_now=mornings.day(on))
    shared = _shared(index, {e.id for e in exercises})
    for exercise_id, others in _programme_steps(index, programme).items():
        shared[exercise_id] = shared.get(exercise_id, frozenset()) | others
    from kotcoach.coaching.stages import staged, with_stages

    person = with_stages(person, staged(index, store, state.profile, person.conditions, on))
    rows: list[Row] = []
    for planned in exercises:
        facts = ladder_facts(index, planned.id, person)
        start = Prescription(planned.id, volume_of(planned.target))  # this session's dose
        decision = decide(
            facts,
            planned.id,
            sessions[planned.id],
            mornings,
            person,
            on,
            start,
            taken=shared.get(planned.id, frozenset()),
        )
        decision, load = _loaded(index, store, state.profile, decision, on)
        coached = coached_exercise(index, planned, decision)
        if coached is not None and load is not None and load.dose.load_kg is not None:
            coached = with_load_detail(coached, load.dose.load_kg, index, decision.exercise_id)
        rows.append((planned, coached, decision))
    return rows, referral_text(referrals(mornings, person, on))


def _loaded(
    index: Index, store: Store, profile: str, decision: Decision, on: dt.date
) -> tuple[Decision, LoadChange | None]:
    """The decision with its load, for a step that carries one (`kotcoach.coaching.load`)."""
    from kotcoach.coaching.load_coach import load_logs, plan_of, with_load

    step = index.exercise(decision.exercise_id)
    if plan_of(step) is None:
        return decision, None
    history = store.exercise_history(profile, step.id)
    return with_load(decision, step, load_logs([h for h in history if h.date < on]), on)


def with_load_detail(
    planned: PlannedExercise, load_kg: float, index: Index, exercise_id: str
) -> PlannedExercise:
    """The exercise's dose with its load: '4 × 6 per side at 12 kg per hand', `load_kg`."""
    from kotcoach.coaching.load import describe_load
    from kotcoach.coaching.load_coach import plan_of

    plan = plan_of(index.exercise(exercise_id))
    per_hand = plan is not None and plan.per_hand
    return replace(
        planned,
        dose=f"{planned.dose} at {describe_load(load_kg, per_hand)}",
        dose_detail={**planned.dose_detail, "load_kg": load_kg},
    )


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
        state, index, store, on, today.session.exercises, today.programme
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
    return {
        "decision": decision.kind.value,
        "reason": decision.reason,
        "referral": decision.referral,
        "stage": decision.stage,
    }


class Coached(NamedTuple):
    """What the coach decided for one exercise on a day, and what came with it."""

    decision: Decision
    referral: str | None
    load: LoadChange | None  # the load's change, for a step that carries one
    stages: list[Staged]  # the person's staged conditions and the stage each has reached


def decision_on(
    state: State, index: Index, store: Store, exercise_id: str, on: dt.date, before: bool
) -> Coached:
    """The decision for one exercise's ladder as of `on` (the morning's, from the sessions before
    it, with `before`), its load, the stages, and the referral for the day: what `next` says and
    `log` stores."""
    from kotcoach.coaching.coach import (
        Prescription,
        decide,
        ladder_facts,
        referral_text,
        referrals,
    )
    from kotcoach.coaching.progress import programme_prescription, volume_of

    programme = store.programme(state.profile)
    sessions = _ladder_sessions(index, store, state.profile, exercise_id, on, before)
    mornings = _mornings(store, state.profile, on, sessions)
    person = replace(_person(index, store, state.profile, programme), pain_now=mornings.day(on))
    from kotcoach.coaching.stages import staged, with_stages

    found = staged(index, store, state.profile, person.conditions, on)
    person = with_stages(person, found)
    shared = _programme_steps(index, programme)
    # The programme's dose of this very exercise first; else its first on the ladder (the step
    # a plan put there), unless another step of the ladder is in the programme too.
    own = [
        Prescription(planned.id, volume_of(planned.target))
        for session in (programme.sessions if programme else ())
        for planned in session.exercises
        if planned.id == exercise_id
    ]
    start = own[0] if own else None
    if start is None and exercise_id not in shared:
        start = programme_prescription(index, programme, exercise_id)
    decision = decide(
        ladder_facts(index, exercise_id, person),
        exercise_id,
        sessions,
        mornings,
        person,
        on,
        start,
        taken=shared.get(exercise_id, frozenset()),
    )
    decision, load = _loaded(index, store, state.profile, decision, on)
    return Coached(decision, referral_text(referrals(mornings, person, on)), load, found)


# --- next --------------------------------------------------------------------------------------

OnOption = Annotated[
    str | None,
    typer.Option(
        "--on",
        help="Decide as of the morning of this day, YYYY-MM-DD, from the log before it.",
        metavar="DATE",
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
    from kotcoach.coaching.progress import dose_detail
    from kotcoach.store import Store

    state = _state(ctx)
    day = on_date(on)
    when = day or _today()

    from kotcoach.coaching.stages import staged_json, staged_lines

    def work(index: Index) -> tuple[Decision, str | None, Any, LoadChange | None, list[Staged]]:
        step = index.exercise(exercise)
        with Store.open() as store:
            found = decision_on(state, index, store, step.id, when, before=day is not None)
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
    from kotcoach.coaching.load import describe_load
    from kotcoach.render.progress import next_view

    shown = None
    if load is not None and load.dose.load_kg is not None:
        shown = describe_load(load.dose.load_kg, getattr(chosen, "load_per_hand", False))
    _print(next_view(chosen.name, chosen.id, decision, referral, shown, staged_lines(found)))


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
    on_day: OnOption = None,
    note: Annotated[
        str | None,
        typer.Option(help="With --export: the clinician's note, printed in a box.", metavar="TEXT"),
    ] = None,
    review: Annotated[
        str | None,
        typer.Option(
            help="With --export: the date of the next review, YYYY-MM-DD.", metavar="DATE"
        ),
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
        person = _person(index, store, state.profile, programme)
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


# --- what `today` adds -------------------------------------------------------------------------


def coach_unsaved(
    state: State, store: Store, on: dt.date, session: PlannedSession
) -> tuple[PlannedSession, list[Row], str | None]:
    """Day 1 of a plan that is not saved yet, with the coach's decisions (the log may still
    hold sessions of its exercises)."""
    rows, referral = coach_catalogue(
        state, lambda index: coach_session(state, index, store, on, session.exercises, None)
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
