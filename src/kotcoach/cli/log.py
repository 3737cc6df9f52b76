"""The training log: start a programme, see today's session, log exercises, check in, history.

Reading commands (`today`, `history`) never create the log; they read the saved programme's
JSON and so never load the catalogue or pydantic, to start about as fast as the stack imports.
"""

from __future__ import annotations

import datetime as dt
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from kotcoach.base.errors import UsageError
from kotcoach.base.vocab import AREA_NAMED, Area
from kotcoach.cli._app import _emit_json, _out, _print, _state, app, stop_for_red_flags
from kotcoach.cli._options import (
    JsonOption,
    area_scores_option,
    date_option,
    day_option,
    decimal_option,
    whole_option,
)
from kotcoach.cli._plan_options import (
    PLAN_EPILOG,
    PlanAsked,
    plan_request,
    saved_profile,
    with_plan_options,
)

if TYPE_CHECKING:
    from kotcoach.cli._app import State
    from kotcoach.store import SessionLog, SetLog, Store, Target

DateOption = Annotated[str | None, day_option("The day it happened")]
HISTORY_LAST = 10  # sessions `history` shows without --since


def _today() -> dt.date:
    return dt.date.today()


def _stdin_is_terminal() -> bool:
    return sys.stdin.isatty()


def _date(text: str | None, option: str = "--date") -> dt.date:
    from kotcoach.store import parse_date

    return _today() if text is None else parse_date(text, _today(), option)


# --- start -----------------------------------------------------------------------------------


@app.command("start", epilog=PLAN_EPILOG)
@with_plan_options
def start_command(
    ctx: typer.Context,
    asked: PlanAsked,
    calendar: Annotated[
        Path | None,
        typer.Option(
            "--calendar",
            help="Also write the training days as a calendar file, a reminder 30 minutes before "
            "each (18:00), for a phone's calendar to import. Needs kotcoach[serve].",
            metavar="FILE.ics",
        ),
    ] = None,
    force: Annotated[
        bool, typer.Option("--force", help="Overwrite an existing --calendar file.")
    ] = False,
    as_json: JsonOption = False,
) -> None:
    """Make a plan, as 'plan' does, and save it as your programme.

    The options and rules are those of 'kotcoach plan'; options left out come from your
    profile's saved defaults. 'kotcoach today' then walks through the programme session by
    session; after its last week, that week repeats. Starting again replaces the programme;
    the log of what you did stays. With a red flag nothing is saved (exit 3).

    \b
    Examples:
      kotcoach start --level beginner --equipment step
      kotcoach --profile sam start --weeks 4 --condition patellofemoral-pain
      kotcoach start --calendar training.ics
    """
    from kotcoach.coaching.pain import RedFlagStop
    from kotcoach.coaching.planner import make_plan
    from kotcoach.coaching.serialise import plan_json
    from kotcoach.store import Store

    state = _state(ctx)
    if calendar is not None:
        from kotcoach.base.writing import check_free

        if calendar.suffix.lower() != ".ics":
            raise UsageError(f"--calendar {calendar}: a calendar file ends in .ics")
        check_free(calendar, force)  # before anything is saved
    state.makes_profile = True
    request = plan_request(saved_profile(state), asked)
    try:
        plan = make_plan(state.plan_index(), request)
    except RedFlagStop as stop:
        stop_for_red_flags(stop, as_json)
    data = plan_json(plan)
    saved_request = {
        key: data[key]
        for key in ("level", "days", "minutes", "equipment", "goals", "pain", "conditions")
    } | {"weeks": request.weeks}
    ics = None
    if calendar is not None:  # made before the programme is saved: a failure saves nothing
        from kotcoach.export.calendar import programme_calendar
        from kotcoach.store import planned_sessions

        ics = programme_calendar(planned_sessions(data), _today(), owner=state.profile)
    with Store.open(write=True) as store:
        programme = store.save_programme(state.profile, saved_request, data)
        block = _start_block(state, store, programme)
    if calendar is not None and ics is not None:
        from kotcoach.base.writing import write_whole

        write_whole(calendar, ics, force)
        sys.stderr.write(f"kotcoach: wrote the training days to {calendar}\n")
    if as_json:
        from kotcoach.coaching.daily_block import block_json

        _emit_json(
            {
                "profile": state.profile,
                "saved": True,
                "plan": data,
                "daily_block": block_json(block),
            }
        )
        return

    from kotcoach.coaching.daily_block import block_lines
    from kotcoach.render.plan import plan_view

    console = _out()
    _print(plan_view(plan, console.width), *_block_text(block_lines(block)), console=console)
    sys.stderr.write(
        f"kotcoach: saved as the programme of profile '{state.profile}' "
        f"({len(programme.sessions)} sessions). Next: kotcoach today\n"
    )


# --- today -----------------------------------------------------------------------------------


@app.command("today")
def today_command(
    ctx: typer.Context,
    on_day: Annotated[
        str | None,
        date_option(
            "As it was on the morning of this day, YYYY-MM-DD, from the log before it.", "--on"
        ),
    ] = None,
    as_json: JsonOption = False,
) -> None:
    """What to do today: the next session of your programme, one line an exercise.

    Once every exercise of a session is logged (done, skipped or stopped for pain), today
    shows the next one. It reminds you when yesterday's session has no next-morning check-in.
    Without a saved programme it shows day 1 of a plan from your profile's defaults. Each dose
    is the coach's decision made this morning from your log (see `kotcoach next --help`); an
    exercise paused for now is left out, with the reason under the table.

    A condition's own treatment comes at its own frequency, in a daily block shown every day,
    rest days too (eccentric heel drops twice a day; heavy slow resistance 3 days a week). A
    condition that runs in stages (tendinopathy) says the stage reached and what the next needs.

    \b
    Examples:
      kotcoach today
      kotcoach today --on 2026-11-12
      kotcoach --profile sam today --json
    """
    from kotcoach.cli.coach import on_date
    from kotcoach.coaching.today import (
        TodayPage,
        coach_unsaved,
        coached_today,
        protocol_parts,
        upcoming_session,
    )
    from kotcoach.store import Store

    state = _state(ctx)
    on = on_date(on_day) or _today()
    with Store.open() as store:
        today, rows, referral = coached_today(state, store, on)
        if today is None:
            unsaved, rows, referral = coach_unsaved(state, store, on, _unsaved_session(state))
            page = TodayPage(state.profile, on, unsaved, {})
        else:
            page = TodayPage.of(today, upcoming_session(store, today, on))
        found, block = protocol_parts(state, store, on, today, rows)
    if as_json:
        from kotcoach.coaching.today import today_json

        _emit_json(today_json(page, rows=rows, referral=referral, stages=found, block=block))
        return

    from kotcoach.coaching.daily_block import block_lines
    from kotcoach.coaching.stages import staged_lines
    from kotcoach.render.today import block_parts, decision_parts, page_parts, referral_parts

    def parts(width: int) -> list[Any]:
        return [
            *referral_parts(referral),
            *page_parts(page, width),
            *decision_parts(rows),
            *block_parts(block_lines(block)),
            *block_parts(staged_lines(found)),
        ]

    from kotcoach.cli._pipe import print_parts

    print_parts(parts)


def _block_text(lines: Sequence[str]) -> list[Any]:
    """Lines of the daily block or the stages, drawn with rich (kotcoach.render.today)."""
    from kotcoach.render.today import block_parts, rich_parts

    return rich_parts(block_parts(lines))


def _start_block(state: State, store: Store, programme: Any) -> list[Any]:
    """The daily block a new programme schedules besides its sessions (conditions' protocols,
    exercises done a few days a week), from today."""
    from kotcoach.coaching.today import block_on, coach_catalogue

    conditions = tuple(programme.request.get("conditions") or ())
    on = _today()
    return coach_catalogue(
        state, lambda index: block_on(state.profile, index, store, on, conditions, programme)
    )


def _unsaved_session(state: State) -> Any:
    """Day 1 of a plan from the profile's defaults, for `today` before any `start`."""
    from kotcoach.coaching.planner import make_plan
    from kotcoach.coaching.serialise import plan_json
    from kotcoach.store import planned_sessions

    request = plan_request(saved_profile(state))
    return planned_sessions(plan_json(make_plan(state.plan_index(), request)))[0]


# --- log -------------------------------------------------------------------------------------


@app.command("log")
def log_command(
    ctx: typer.Context,
    exercise: Annotated[str, typer.Argument(help="The exercise id, e.g. tib-raise-wall.")],
    sets: Annotated[int | None, whole_option("Sets done, 1-20.")] = None,
    reps: Annotated[int | None, whole_option("Reps in each set.")] = None,
    hold: Annotated[int | None, whole_option("Seconds held in each set.", "SECONDS")] = None,
    minutes: Annotated[int | None, whole_option("Minutes of each set.")] = None,
    load: Annotated[
        float | None,
        decimal_option(
            "Load lifted, kg per rep (per hand where the exercise says so); 0: none.", "KG"
        ),
    ] = None,
    pain_during: Annotated[int | None, whole_option("Worst pain during it, 0-10.")] = None,
    pain_after: Annotated[int | None, whole_option("Pain after the session, 0-10.")] = None,
    date: DateOption = None,
    note: Annotated[str | None, typer.Option(help="A note on this exercise.")] = None,
    as_json: JsonOption = False,
) -> None:
    """Log an exercise you did: its sets, and the pain during it.

    Give one of --reps, --hold or --minutes (each set's amount). On a terminal, anything left
    out is asked for, with today's target as the default, and for an exercise that carries a
    load (dumbbells, a bar, a machine) the load per rep, with the last one as the default. The
    target from your programme (or the catalogue) is stored next to what you did. Logging the
    same exercise again on the same day adds sets. Pain during above 5/10: stop that exercise
    for today.

    \b
    Examples:
      kotcoach log tib-raise-wall --sets 2 --reps 20 --pain-during 1
      kotcoach log atg-split-squat-loaded --sets 4 --reps 6 --load 10 --pain-during 2
      kotcoach log couch-stretch --sets 2 --hold 60 --pain-during 2 --pain-after 1
      kotcoach log backward-walk --sets 1 --minutes 10 --pain-during 0 --date 2025-03-01
    """
    from kotcoach.store import Amount, Store
    from kotcoach.store.records import (
        MAX_HOLD_SECONDS,
        MAX_MINUTES,
        MAX_REPS,
        MAX_SETS,
        check_count,
        check_load,
        check_pain,
    )

    state = _state(ctx)
    on = _date(date)
    if load is not None:
        load = check_load(load)
    if sets is not None:
        check_count(sets, "--sets", MAX_SETS)
    given = [
        n for n, v in (("--reps", reps), ("--hold", hold), ("--minutes", minutes)) if v is not None
    ]
    if len(given) > 1:
        raise UsageError(f"give one of --reps, --hold or --minutes, not {' and '.join(given)}")
    for option, value, high in (
        ("--reps", reps, MAX_REPS),
        ("--hold", hold, MAX_HOLD_SECONDS),
        ("--minutes", minutes, MAX_MINUTES),
    ):
        if value is not None:
            check_count(value, option, high)
    for option, score in (("--pain-during", pain_during), ("--pain-after", pain_after)):
        if score is not None:
            check_pain(score, option)

    with Store.open() as reader:  # nothing is created until the input is known to be good
        name, target, slot, coached_load = _what(state, reader, exercise, on)
    if sets is None or not given or pain_during is None:
        sets, amount, pain_during = _ask_missing(
            exercise, target, sets, reps, hold, minutes, pain_during
        )
    else:
        amount = Amount(reps, hold, minutes)
    if load is None and _stdin_is_terminal():
        load = _ask_load(state, exercise, coached_load)
    with Store.open(write=True) as store:
        session_id = store.begin_session(state.profile, on, slot)
        log = store.log_exercise(
            session_id,
            exercise,
            amount,
            sets,
            pain_during=pain_during,
            name=name,
            target=target,
            note=note,
            load_kg=load,
        )
        if pain_after is not None:
            store.set_pain_after(session_id, pain_after)
        left = _left_today(state, store, on, slot)
    if as_json:
        _emit_json(
            {
                "profile": state.profile,
                "date": on.isoformat(),
                "exercise": exercise,
                "name": name,
                "sets": _sets_json(log.sets),
                "target": _target_json(target),
                "pain_during": log.pain_during,
                "pain_after": pain_after,
                "left_today": None if left is None else list(left),
                "sets_left_today": left,
            }
        )
        return
    from rich.text import Text

    from kotcoach.render.log import logged_view, pain_after_advice, pain_during_advice

    lines: list[Any] = [logged_view(log)]
    for advice in (pain_during_advice(pain_during, exercise), pain_after_advice(pain_after)):
        if advice:
            lines.append(Text(advice, style="yellow"))
    if left is not None:
        lines.append(
            Text(
                "Left in today's session: "
                + ", ".join(
                    exercise
                    if to_go is None
                    else f"{exercise} ({to_go} more set{'s' * (to_go > 1)})"
                    for exercise, to_go in left.items()
                )
            )
            if left
            else Text(
                "Today's session is done. Tomorrow morning: kotcoach checkin --pain AREA=N",
                style="green",
            )
        )
    _print(*lines)


def _sets_json(sets: Sequence[SetLog]) -> list[dict[str, Any]]:
    """Logged sets as `log --json` and `history --json` both give them."""
    return [
        {
            "set": s.number,
            "reps": s.amount.reps,
            "hold_seconds": s.amount.hold_seconds,
            "minutes": s.amount.minutes,
            "load_kg": s.load_kg,
        }
        for s in sets
    ]


def _ask_load(state: State, exercise: str, coached: float | None = None) -> float | None:
    """On a terminal, the load per rep of an exercise that carries one (the catalogue gives it
    a load step), the coach's load for today as the default, else the last load logged; None
    for any other exercise."""
    from kotcoach.store import Store
    from kotcoach.store.records import check_load

    details = state.listing().details.get(exercise, {})
    if details.get("load_step") is None:
        return None
    with Store.open() as reader:
        logged = [log.load_kg for log in reader.exercise_history(state.profile, exercise)]
    last = (
        coached
        if coached is not None
        else next((kg for kg in reversed(logged) if kg is not None), None)
    )
    per = "kg per hand" if details.get("load_per_hand") else "kg"
    value = typer.prompt(f"Load per rep, {per} (0: none)", default=last, type=float, err=True)
    return check_load(float(value), "load")


def _target_json(target: Target | None) -> dict[str, Any] | None:
    if target is None:
        return None
    a = target.amount
    return {
        "sets": target.sets,
        "reps": a.reps,
        "hold_seconds": a.hold_seconds,
        "minutes": a.minutes,
        "per_side": target.per_side,
    }


def _what(
    state: State, store: Store, exercise: str, on: dt.date
) -> tuple[str, Target | None, int | None, float | None]:
    """The exercise's name, its target, the programme session it belongs to (None: none), and
    the load the coach set for it today (None: none).

    Today, an exercise of today's programme session takes its target from there, and anything
    logged today counts toward that session. On another date, it joins that day's session.
    Otherwise the target is what the coach prescribed for the exercise that morning, replayed
    from the log before it (`next --on`): never the catalogue's dose when the coach said less.
    """
    from kotcoach.store import Target

    slot: int | None = None
    if on == _today():
        from kotcoach.coaching.today import coached_today

        today = coached_today(state, store, on)[0]
        if today is not None:
            slot = today.slot
            planned = today.session.exercise(exercise)
            if planned is not None:
                load = planned.dose_detail.get("load_kg")
                return planned.name, planned.target, slot, None if load is None else float(load)
    else:
        earlier = [s for s in store.sessions(state.profile, since=on) if s.date == on]
        if earlier:
            slot = earlier[-1].slot
    listing = state.listing()
    row = next((r for r in listing.rows if r.id == exercise), None)
    if row is None:
        from kotcoach.base.errors import NotFoundError
        from kotcoach.base.suggest import suggestion_hint

        raise NotFoundError(
            f"no exercise has the id '{exercise}'",
            hint=suggestion_hint(exercise, [r.id for r in listing.rows], "kotcoach list"),
        )
    from kotcoach.coaching.today import protocol_target

    protocol = protocol_target(state, store, exercise)  # a round of the daily block
    if protocol is not None:
        return row.name, protocol, slot, None
    prescribed = _prescribed(state, store, exercise, on)
    if prescribed is not None:
        return row.name, prescribed, slot, None
    dose = listing.details.get(exercise, {}).get("dose")
    return row.name, Target.from_dose(dose) if dose else None, slot, None


def _prescribed(state: State, store: Store, exercise: str, on: dt.date) -> Target | None:
    """What the coach prescribed for `exercise` the morning of `on`: its dose when the coach
    chose this step, else the step's last target; None when neither (the catalogue's dose
    then)."""
    from kotcoach.coaching.facts import target_of
    from kotcoach.coaching.today import coach_catalogue, decision_on

    decision = coach_catalogue(
        state, lambda index: decision_on(state.profile, index, store, exercise, on, before=True)
    ).decision
    if decision.exercise_id == exercise and decision.dose is not None:
        return target_of(decision.dose)
    if decision.was is not None and decision.was.exercise_id == exercise:
        return target_of(decision.was.dose)
    return None


def _ask_missing(
    exercise: str,
    target: Target | None,
    sets: int | None,
    reps: int | None,
    hold: int | None,
    minutes: int | None,
    pain_during: int | None,
) -> tuple[int, Any, int]:
    from kotcoach.store import Amount
    from kotcoach.store.records import MAX_SETS, check_count, check_pain

    missing = [
        option
        for option, value in (
            ("--sets", sets),
            ("--reps, --hold or --minutes", reps or hold or minutes or None),
            ("--pain-during", pain_during),
        )
        if value is None
    ]
    if not _stdin_is_terminal():
        raise UsageError(f"missing {' and '.join(missing)}, and no terminal to ask in")
    if sets is None:
        sets = _ask_int("Sets done", target.sets if target else None)
        check_count(sets, "sets", MAX_SETS)
    if not (reps or hold or minutes):
        amount = target.amount if target else Amount(reps=1)
        if amount.minutes is not None:
            amount = Amount(minutes=_ask_int("Minutes of each set", amount.minutes))
        elif amount.hold_seconds is not None:
            amount = Amount(hold_seconds=_ask_int("Seconds held in each set", amount.hold_seconds))
        else:
            amount = Amount(
                reps=_ask_int("Reps in each set", target.amount.reps if target else None)
            )
    else:
        amount = Amount(reps, hold, minutes)
    if pain_during is None:
        pain_during = check_pain(_ask_int(f"Worst pain during {exercise}, 0-10", None), "pain")
    return sets, amount, pain_during


def _ask_int(question: str, default: int | None) -> int:
    value = typer.prompt(question, default=default, type=int, err=True)
    return int(value)


def _left_today(
    state: State, store: Store, on: dt.date, slot: int | None
) -> dict[str, int | None] | None:
    """Ids still to log in today's programme session, each with its sets to go when it is
    partly done (None: not begun); None when this was not one."""
    if slot is None or on != _today():
        return None
    from kotcoach.coaching.today import coached_today

    today = coached_today(state, store, on)[0]
    if today is None:
        return None
    if today.slot != slot:
        return {}
    return {
        e.id: today.sets_left(e) if e.id in today.done else None
        for e in today.remaining
        if not e.warm_up
    }


# --- checkin ---------------------------------------------------------------------------------


def _scores(values: list[str] | None, option: str) -> dict[str, int]:
    """'knee=2' pairs into a mapping; anything malformed is a usage error naming it."""
    from kotcoach.base.inputs import is_whole_number
    from kotcoach.store.records import check_pain

    scores: dict[str, int] = {}
    for raw in values or []:
        name, sep, score = (part.strip() for part in raw.partition("="))
        if not sep or not name or not score:
            raise UsageError(f"{option} '{raw}' must look like AREA=0..10, e.g. knee=2")
        if name not in AREA_NAMED:
            raise UsageError(f"{option}: unknown area '{name}' (valid: {', '.join(Area)})")
        if not is_whole_number(score):  # ASCII digits: the one input rule (base.inputs)
            raise UsageError(f"{option} {raw}: the score must be a whole number from 0 to 10")
        scores[name] = check_pain(int(score), f"{option} {name}")
    return scores


@app.command("checkin")
def checkin_command(
    ctx: typer.Context,
    pain: Annotated[
        list[str] | None,
        area_scores_option("Pain this morning in an area, AREA=0..10 (repeatable)."),
    ] = None,
    stiffness: Annotated[
        list[str] | None,
        area_scores_option("Stiffness this morning, AREA=0..10 (repeatable)."),
    ] = None,
    others: Annotated[
        int | None,
        whole_option("Pain in every other area your programme loads, 0-10 (e.g. --others 0)."),
    ] = None,
    date: DateOption = None,
    as_json: JsonOption = False,
) -> None:
    """The next-morning check-in: pain and stiffness per area, 0-10.

    The pain-monitoring model: pain after training may reach 5/10 but must settle by the next
    morning, and must not rise from week to week. The coach counts a session as settled only
    when the next morning scores every area the exercise loads, so a check-in scores every area
    your programme loads: given some, it asks for the others on a terminal; without one it
    exits 2 naming them, unless --others N scores them all. On a terminal with no --pain, it
    asks for each area. A second check-in on the same day replaces the first.

    \b
    Examples:
      kotcoach checkin --pain knee=2 --stiffness knee=3 --others 0
      kotcoach checkin --pain knee=1 --pain ankle=0 --date 2025-03-04
    """
    from kotcoach.store import Store
    from kotcoach.store.records import check_checkin, check_pain

    state = _state(ctx)
    on = _date(date)
    scores = _scores(pain, "--pain")
    stiff = _scores(stiffness, "--stiffness")
    if others is not None:
        check_pain(others, "--others")
    if not scores and others is None:
        if not _stdin_is_terminal():
            raise UsageError("give --pain AREA=N (and --stiffness AREA=N): no terminal to ask in")
        scores, stiff = _ask_checkin()
    # Areas already scored that morning stay as they are: a second check-in adds the rest.
    with Store.open() as reader:
        already = {str(c.area) for c in reader.checkins(state.profile) if c.date == on}
    missing = [
        area for area in _programme_areas(state) if area not in scores and area not in already
    ]
    if missing:
        if others is not None:
            scores.update(dict.fromkeys(missing, others))
        elif _stdin_is_terminal():
            more, more_stiff = _ask_checkin(missing)
            scores.update(more)
            stiff.update(more_stiff)
        else:
            named = ", ".join(missing)
            raise UsageError(
                f"no score for {named} on {on.isoformat()}: your programme loads "
                f"{'it' if len(missing) == 1 else 'them'}; give --pain AREA=N for each, or "
                "--others N to score them all"
            )
    if not scores:
        raise UsageError("give --pain AREA=N: your programme names no area to score")
    check_checkin(scores, stiff)
    with Store.open(write=True) as store:
        before = {c.area: c for c in store.checkins(state.profile) if c.date < on}
        saved = store.checkin(state.profile, on, scores, stiff)
    from kotcoach.coaching.today import checkin_notes

    notes = checkin_notes(saved, before)
    if as_json:
        _emit_json(
            {
                "profile": state.profile,
                "date": on.isoformat(),
                "areas": [
                    {"area": c.area, "pain": c.pain, "stiffness": c.stiffness} for c in saved
                ],
                "notes": notes,
            }
        )
        return
    from kotcoach.render.log import checkin_view

    _print(checkin_view(on, saved, notes))


def _ask_checkin(areas: Sequence[str] | None = None) -> tuple[dict[str, int], dict[str, int]]:
    from kotcoach.store.records import check_pain

    typer.echo("This morning, 0 (none) to 10 (worst imaginable).", err=True)
    pain: dict[str, int] = {}
    stiffness: dict[str, int] = {}
    for area in areas if areas is not None else [a.value for a in Area]:
        pain[area] = check_pain(_ask_int(f"Pain in your {area}", 0), "pain")
        stiffness[area] = check_pain(_ask_int(f"Stiffness in your {area}", 0), "stiffness")
    return pain, stiffness


def _programme_areas(state: State) -> list[str]:
    """The areas the saved programme's exercises load and its conditions are in, in body
    order; none without a programme."""
    from kotcoach.coaching.today import coach_catalogue
    from kotcoach.store import Store

    with Store.open() as store:
        programme = store.programme(state.profile)
    if programme is None:
        return []
    ids = {e.id for session in programme.sessions for e in session.exercises}
    conditions = programme.request.get("conditions") or []

    def areas(index: Any) -> set[str]:
        found: set[str] = set()
        for exercise_id in ids:
            found.update(str(a) for a in index.exercise(exercise_id).areas)
        for condition_id in conditions:
            condition = index.conditions.get(condition_id)
            if condition is not None:
                found.update(str(a) for a in condition.areas)
        return found

    wanted = coach_catalogue(state, areas)
    return [area.value for area in Area if area.value in wanted]


# --- history ---------------------------------------------------------------------------------


@app.command("history")
def history_command(
    ctx: typer.Context,
    exercise: Annotated[str | None, typer.Option(help="Only this exercise.", metavar="ID")] = None,
    since: Annotated[str | None, date_option("Sessions from this day on, YYYY-MM-DD.")] = None,
    last: Annotated[
        int | None,
        whole_option(f"Only the last N sessions [default: {HISTORY_LAST} without --since]."),
    ] = None,
    as_json: JsonOption = False,
) -> None:
    """Your logged sessions: each exercise done against its target, and the pain numbers.

    \b
    Examples:
      kotcoach history
      kotcoach history --exercise tib-raise-wall --since 2025-01-01
      kotcoach history --json
    """
    from kotcoach.store import Store

    state = _state(ctx)
    start = _date(since, "--since") if since is not None else None
    if last is not None:
        from kotcoach.store.records import check_count

        check_count(last, "--last", 100_000)
    elif start is None:
        last = HISTORY_LAST
    with Store.open() as store:
        sessions = store.sessions(state.profile, since=start, exercise=exercise, last=last)
        if exercise is not None and not sessions:
            _check_exercise(state, store, exercise)
    shown_all = start is not None or last is None or len(sessions) < last
    if as_json:
        _emit_json({"profile": state.profile, "sessions": [_session_json(s) for s in sessions]})
        return
    from kotcoach.render.log import history_view

    console = _out()
    _print(history_view(state.profile, sessions, shown_all, console.width), console=console)


def _check_exercise(state: State, store: Store, exercise: str) -> None:
    """An id neither logged nor in the catalogue is a typo: say the closest ids."""
    ids = [r.id for r in state.listing().rows]
    if exercise in ids:
        return
    from kotcoach.base.errors import NotFoundError
    from kotcoach.base.suggest import suggestion_hint

    logged = {log.exercise for log in store.exercise_history(state.profile)}
    raise NotFoundError(
        f"no exercise has the id '{exercise}'",
        hint=suggestion_hint(exercise, sorted(set(ids) | logged), "kotcoach list"),
    )


def _session_json(session: SessionLog) -> dict[str, Any]:
    return {
        "date": session.date.isoformat(),
        "session": None if session.slot is None else session.slot + 1,
        "pain_after": session.pain_after,
        "note": session.note,
        "exercises": [
            {
                "id": log.exercise,
                "name": log.name,
                "status": log.status.value,
                "done": log.describe_done(),
                "target": log.target.describe() if log.target else None,
                "sets": _sets_json(log.sets),
                "pain_during": log.pain_during,
                "note": log.note,
            }
            for log in session.exercises
        ],
    }
