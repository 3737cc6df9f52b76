"""Planning: plan and check (red-flag screening and the pain traffic light)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from kotcoach.cli._app import (
    PAIN_HELP,
    RED_FLAG_EPILOG,
    RED_FLAG_HELP,
    _emit_json,
    _out,
    _print,
    _state,
    app,
    parse_pain,
    stop_for_red_flags,
)
from kotcoach.cli._handout import (
    ClinicOption,
    ForOption,
    PaperOption,
    byline,
    confirm,
    paper_size,
)
from kotcoach.cli._plan_options import (
    PLAN_EPILOG,
    ConditionOption,
    DaysOption,
    EquipmentOption,
    GoalOption,
    LevelOption,
    MinutesOption,
    PainOption,
    RedFlagOption,
    WeeksOption,
    plan_request,
    saved_profile,
)
from kotcoach.errors import UsageError
from kotcoach.vocab import RED_FLAG_QUESTIONS, Area, Level, RedFlag


@app.command("plan", epilog=PLAN_EPILOG)
def plan_command(
    ctx: typer.Context,
    level: LevelOption = None,
    days: DaysOption = None,
    minutes: MinutesOption = None,
    equipment: EquipmentOption = None,
    goal: GoalOption = None,
    pain: PainOption = None,
    condition: ConditionOption = None,
    red_flag: RedFlagOption = None,
    weeks: WeeksOption = 1,
    export: Annotated[
        Path | None,
        typer.Option(help="Also write the plan as a handout: .md, .html or .pdf.", metavar="PATH"),
    ] = None,
    force: Annotated[bool, typer.Option(help="Overwrite an existing --export file.")] = False,
    for_name: ForOption = None,
    clinic: ClinicOption = None,
    paper: PaperOption = None,
    details: Annotated[
        bool,
        typer.Option(
            "--details", help="The full view: ids, dose notes, tempo and every note on its row."
        ),
    ] = False,
    as_json: Annotated[
        bool, typer.Option("--json", help="Write the plan as JSON to stdout.")
    ] = False,
) -> None:
    """A week of training for your level, time, equipment and pain.

    Each session starts with backward walking, then balances knee, ankle, hip and back work
    within your minutes. --pain is pain now, in daily life. 3-5/10 in an area moves its
    exercises one step down their ladder and holds them there; 6-10/10 means no loading for
    that area at all (only still holds at a pain-free angle) and a referral to a physiotherapist
    or doctor at the top of the plan. Conditions swap out what they rule out and modify the
    rest, whatever their order. Every change is listed with its reason. With a red flag, no
    plan is made (exit 3), whatever else the command says.

    \b
    Examples:
      kotcoach plan --level beginner
      kotcoach plan --level beginner --equipment step,band --minutes 15
      kotcoach plan --level intermediate --pain knee=4 --condition patellofemoral-pain
      kotcoach plan --level beginner --weeks 4 --export week.pdf
      kotcoach plan --export week.pdf --for "Ann Lee" --clinic "Riverside Physio, 01234 567890"
      kotcoach plan --details
    """
    from kotcoach.pain import RedFlagStop
    from kotcoach.planner import make_plan

    saved = saved_profile(_state(ctx))
    request = plan_request(
        saved,
        level=level,
        days=days,
        minutes=minutes,
        equipment=equipment,
        goal=goal,
        pain=pain,
        condition=condition,
        red_flag=red_flag,
        weeks=weeks,
    )
    if saved is not None:  # the profile's handout lines, unless given here
        for_name = for_name if for_name is not None else saved.handout_for
        clinic = clinic if clinic is not None else saved.clinic
    handout_byline = byline(for_name, clinic)
    paper_size(paper)
    if export is not None:
        from kotcoach.export import check_target

        check_target(export, force)
    try:
        index = _state(ctx).index()
        plan = make_plan(index, request)
    except RedFlagStop as stop:
        stop_for_red_flags(stop, as_json)
    if export is not None:
        from kotcoach.export import export_plan

        written = export_plan(index, plan, export, force, handout_byline, paper_size(paper))
        confirm(export, written)
        if not as_json:
            return  # the handout is the plan: the terminal gets the one-line confirmation
    if as_json:
        from kotcoach.serialise import plan_json

        _emit_json(plan_json(plan))
        return
    from kotcoach.render.plan import plan_view

    console = _out()
    _print(plan_view(plan, console.width, details=details), console=console)


def _stdin_is_terminal() -> bool:
    return sys.stdin.isatty()


@app.command("check", epilog=RED_FLAG_EPILOG)
def check_command(
    red_flag: Annotated[
        list[RedFlag] | None, typer.Option("--red-flag", help=RED_FLAG_HELP, metavar="NAME")
    ] = None,
    no_red_flags: Annotated[
        bool, typer.Option("--no-red-flags", help="Confirm that none of the red flags applies.")
    ] = False,
    pain: Annotated[list[str] | None, typer.Option(help=PAIN_HELP, metavar="AREA=N")] = None,
    level: Annotated[
        Level, typer.Option(help="Your level, for the suggested plan command.")
    ] = Level.BEGINNER,
    as_json: Annotated[bool, typer.Option("--json", help="Write the result as JSON.")] = False,
) -> None:
    """Red-flag screening and a pain traffic light.

    It says whether to train, and gives the command for a plan that fits your pain.

    In a terminal with no options, it asks the red-flag questions, then your pain (0-10) in
    each area. Otherwise give the answers as options. A red flag stops everything (exit 3).

    \b
    Examples:
      kotcoach check
      kotcoach check --no-red-flags --pain knee=4 --pain back=1
      kotcoach check --red-flag locked-knee
    """
    from kotcoach.pain import RedFlagStop, referral, screen

    flags = list(red_flag or [])
    scores = parse_pain(pain)
    screened = no_red_flags or bool(flags)
    if not (flags or no_red_flags or scores):
        if not _stdin_is_terminal():
            raise UsageError(
                "no answers given and no terminal to ask in: pass --no-red-flags or "
                "--red-flag NAME, and --pain AREA=N"
            )
        flags, scores = _ask()
        screened = True
    elif no_red_flags and flags:
        raise UsageError("--no-red-flags contradicts --red-flag: give one or the other")
    try:
        screen(tuple(flags))
    except RedFlagStop as stop:
        stop_for_red_flags(stop, as_json)
    scores = {area: scores.get(area, 0) for area in Area} | scores
    refer = referral(scores)
    command = f"kotcoach plan --level {level}" + "".join(
        f" --pain {area}={score}" for area, score in scores.items() if score > 0
    )
    if as_json:
        from kotcoach.pain import worst_zone, zones

        _emit_json(
            {
                "stop": False,
                "red_flags_screened": screened,
                "referral": refer,
                "zone": worst_zone(scores).value,
                "areas": [
                    {"area": a.value, "pain": s, "zone": z.value, "advice": z.advice}
                    for a, s, z in zones(scores)
                ],
                "next": command,
            }
        )
        return
    from kotcoach.render.views import check_view

    _print(check_view(scores, command, screened, refer))


def _ask() -> tuple[list[RedFlag], dict[Area, int]]:
    # Questions go to stderr so that stdout holds only the result (JSON with --json), even when
    # it is redirected to a file; answers are read from stdin.
    _say("Red flags first. Answer y or n.")
    flags = [flag for flag in RedFlag if _ask_yes_no(RED_FLAG_QUESTIONS[flag])]
    if flags:
        return flags, {}
    _say("Now your pain right now, 0 (none) to 10 (worst imaginable).")
    return flags, {area: _ask_score(area) for area in Area}


def _say(text: str) -> None:
    sys.stderr.write(text + "\n")


def _answer(question: str) -> str:
    """One line from stdin; end of input (Ctrl-D) raises EOFError, which the app reports."""
    sys.stderr.write(question)
    sys.stderr.flush()
    line = sys.stdin.readline()
    if not line:
        raise EOFError
    return line.strip()


def _ask_yes_no(question: str) -> bool:
    while True:
        answer = _answer(f"{question} [y/N]: ").casefold()
        if answer in {"", "n", "no"}:
            return False
        if answer in {"y", "yes"}:
            return True
        _say("Answer y or n.")


def _ask_score(area: Area) -> int:
    while True:
        answer = _answer(f"Pain in your {area} (0-10) [0]: ") or "0"
        if answer.isascii() and answer.isdigit() and len(answer) <= 2 and int(answer) <= 10:
            return int(answer)
        _say("Give a whole number from 0 to 10.")
