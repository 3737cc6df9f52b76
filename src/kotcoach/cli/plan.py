"""Planning: plan and check (red-flag screening and the pain traffic light)."""

from __future__ import annotations

import sys
from collections.abc import Iterable
from pathlib import Path
from typing import Annotated

import typer

from kotcoach.base.errors import UsageError
from kotcoach.base.vocab import (
    RED_FLAG_QUESTIONS,
    RED_FLAG_URGENCY,
    Area,
    Equipment,
    Level,
    RedFlag,
    Urgency,
)
from kotcoach.cli._app import (
    RED_FLAG_EPILOG,
    _emit_json,
    _out,
    _print,
    _state,
    app,
    parse_equipment,
    parse_pain,
    stop_for_red_flags,
)
from kotcoach.cli._handout import (
    ClinicOption,
    ForOption,
    OverwriteOption,
    PaperOption,
    byline,
    check_byline,
    confirm,
    paper_size,
)
from kotcoach.cli._options import path_option
from kotcoach.cli._plan_options import (
    PLAN_EPILOG,
    AgeOption,
    ConditionOption,
    EquipmentOption,
    FellOption,
    PainOption,
    PlanAsked,
    RedFlagOption,
    plan_request,
    saved_profile,
    with_plan_options,
)


@app.command("plan", epilog=PLAN_EPILOG)
@with_plan_options
def plan_command(
    ctx: typer.Context,
    asked: PlanAsked,
    age: AgeOption = None,
    fell: FellOption = None,
    export: Annotated[
        Path | None, path_option("Also write the plan as a handout: .md, .html or .pdf.")
    ] = None,
    force: OverwriteOption = False,
    for_name: ForOption = None,
    clinic: ClinicOption = None,
    paper: PaperOption = None,
    details: Annotated[
        bool,
        typer.Option(
            "--details", help="The full view: ids, dose notes, tempo and every note on its row."
        ),
    ] = False,
    pictures: Annotated[
        bool, typer.Option(help="Draw the figures on the handout's cards (with --export).")
    ] = True,
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
    from kotcoach.coaching.pain import RedFlagStop
    from kotcoach.coaching.planner import make_plan

    saved = saved_profile(_state(ctx))
    request = plan_request(saved, asked, age=age, fell=fell)
    if saved is not None:  # the profile's handout lines, unless given here
        for_name = for_name if for_name is not None else saved.handout_for
        clinic = clinic if clinic is not None else saved.clinic
    check_byline(for_name, clinic)  # the handout itself, and its imports, only with --export
    paper_size(paper)
    if export is not None:
        from kotcoach.export import check_target

        check_target(export, force)
    try:
        plan = make_plan(_state(ctx).plan_index(), request)
    except RedFlagStop as stop:
        stop_for_red_flags(stop, as_json)
    if export is not None:
        from kotcoach.export import Printing, export_plan

        index = _state(ctx).index()  # the handout's cards show whole exercises
        printing = Printing(byline(for_name, clinic), paper_size(paper), pictures)
        written = export_plan(index, plan, export, force, printing)
        confirm(export, written)
        if not as_json:
            return  # the handout is the plan: the terminal gets the one-line confirmation
    if as_json:
        from kotcoach.coaching.serialise import plan_json

        _emit_json(plan_json(plan))
        return
    from kotcoach.render.plan import plan_view

    console = _out()
    upcoming = _programme_next(ctx)
    _print(plan_view(plan, console.width, details=details, next_line=upcoming), console=console)


def _programme_next(ctx: typer.Context) -> str | None:
    """With a saved programme, which of its sessions is next and when; else None."""
    from kotcoach.store.paths import database_path

    if not database_path().is_file():  # no log, no programme: plan imports nothing of the store
        return None
    from kotcoach.base.errors import NotFoundError, StoreError
    from kotcoach.cli.coach import _today
    from kotcoach.coaching.schedule import next_line
    from kotcoach.coaching.today import programme_today, upcoming_session
    from kotcoach.store import Store

    on = _today()
    try:
        with Store.open() as store:
            today = programme_today(_state(ctx), store, on)  # a paused exercise counts as done
            if today is None:
                return None
            upcoming = upcoming_session(store, today, on)
    except (StoreError, NotFoundError):  # a plan needs no log (nor the programme's catalogue):
        # one that cannot be read only loses this line
        return None
    return f"Your programme: {next_line(upcoming, on)[0].lower()}{next_line(upcoming, on)[1:]}"


def _stdin_is_terminal() -> bool:
    return sys.stdin.isatty()


@app.command("check", epilog=RED_FLAG_EPILOG)
def check_command(
    ctx: typer.Context,
    red_flag: RedFlagOption = None,
    no_red_flags: Annotated[
        bool, typer.Option("--no-red-flags", help="Confirm that none of the red flags applies.")
    ] = False,
    pain: PainOption = None,
    level: Annotated[
        Level, typer.Option(help="Your level, for the suggested plan command.")
    ] = Level.BEGINNER,
    equipment: EquipmentOption = None,
    condition: ConditionOption = None,
    fell: Annotated[
        bool,
        typer.Option("--fell", help="You had a fall in the last year (for the plan command)."),
    ] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Write the result as JSON.")] = False,
) -> None:
    """Red-flag screening and a pain traffic light.

    It says whether to train, and gives the command for a plan that fits your pain.

    In a terminal with no options, it asks the red-flag questions one by one (numbered; yes is
    always the worrying answer, and each needs an explicit y or n), then your pain now (0-10) in
    each area, your level, equipment, conditions and any fall in the last year, so that the plan
    command it suggests is complete. Otherwise give the answers as options. A red flag stops
    everything (exit 3).

    \b
    Examples:
      kotcoach check
      kotcoach check --no-red-flags --pain knee=4 --pain back=1
      kotcoach check --red-flag locked-knee
    """
    from kotcoach.coaching.pain import RedFlagStop, referral, screen

    flags = list(red_flag or [])
    scores = parse_pain(pain)
    screened = no_red_flags or bool(flags)
    have = parse_equipment(equipment)
    conditions = list(condition or [])
    if conditions:
        from kotcoach.cli._app import _condition_ids

        _condition_ids(_state(ctx).index(), conditions)
    if not (flags or no_red_flags or scores):
        if not _stdin_is_terminal():
            raise UsageError(
                "no answers given and no terminal to ask in: pass --no-red-flags or "
                "--red-flag NAME, and --pain AREA=N"
            )
        flags, scores = _ask()
        if not flags:
            level, have, conditions = _ask_person(ctx)
            fell = _ask_fell()
        screened = True
    elif no_red_flags and flags:
        raise UsageError("--no-red-flags contradicts --red-flag: give one or the other")
    try:
        screen(tuple(flags))
    except RedFlagStop as stop:
        stop_for_red_flags(stop, as_json)
    scores = {area: scores.get(area, 0) for area in Area} | scores
    refer = referral(scores)
    command = suggested_command(level, have, conditions, scores, fell)
    if as_json:
        from kotcoach.coaching.pain import worst_zone, zones

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


def suggested_command(
    level: Level,
    equipment: Iterable[Equipment],
    conditions: Iterable[str],
    scores: dict[Area, int],
    fell: bool = False,
) -> str:
    """The plan command that fits the answers: what check suggests running next."""
    parts = [f"kotcoach plan --level {level}"]
    if fell:
        parts.append("--fell")
    have = sorted(equipment)
    if have:
        parts.append("--equipment " + ",".join(have))
    parts += [f"--condition {c}" for c in dict.fromkeys(conditions)]
    parts += [f"--pain {area}={score}" for area, score in scores.items() if score > 0]
    return " ".join(parts)


def _ask() -> tuple[list[RedFlag], dict[Area, int]]:
    """The red-flag questions, most urgent first, until one is answered yes; then pain now.

    Questions go to stderr so that stdout holds only the result (JSON with --json), even when it
    is redirected to a file; answers are read from stdin."""
    order = list(Urgency)
    questions = sorted(RedFlag, key=lambda flag: order.index(RED_FLAG_URGENCY[flag]))
    _say(
        f"First, {len(questions)} questions about warning signs. Answer each with y (yes) or "
        "n (no)."
    )
    for number, flag in enumerate(questions, start=1):
        if _ask_yes_no(f"{number} of {len(questions)}. {RED_FLAG_QUESTIONS[flag]}"):
            return [flag], {}  # asked most urgent first: the first yes decides what to do
    _say("Now your pain right now, in daily life: 0 (none) to 10 (the worst imaginable).")
    return [], {area: _ask_score(area) for area in Area}


def _ask_person(ctx: typer.Context) -> tuple[Level, frozenset[Equipment], list[str]]:
    """Level, equipment and conditions, so that the suggested plan command is complete."""
    _say("Last, four questions for your plan. Press Enter to take the value in brackets.")
    levels = list(Level)
    level = _ask_choice(
        "Your training level",
        [(str(lv), "") for lv in levels],
        default=Level.BEGINNER.value,
        many=False,
    )
    equipment = _ask_choice(
        "Equipment you have",
        [(str(e), e.help) for e in Equipment],
        default="none",
        many=True,
    )
    catalogue = _state(ctx).index().conditions
    conditions = _ask_choice(
        "Conditions a clinician has told you that you have",
        [(c.id, c.name) for c in catalogue.values()],
        default="none",
        many=True,
    )
    return Level(level[0]), frozenset(Equipment(e) for e in equipment), conditions


def _ask_fell() -> bool:
    """Falls: a yes means support for balance work and no hops; Enter alone means no."""
    while True:
        answer = _answer("Have you had a fall in the last year? [y/N]: ").casefold()
        if answer in {"", "n", "no"}:
            return False
        if answer in {"y", "yes"}:
            return True
        _say("Answer y (yes) or n (no).")


def _ask_choice(
    question: str, choices: list[tuple[str, str]], default: str, many: bool
) -> list[str]:
    """A numbered menu; the answer is numbers or names (several, with commas, when `many`)."""
    _say(f"{question}:")
    for number, (value, text) in enumerate(choices, start=1):
        _say(f"  {number:>2}. {value}" + (f": {text}" if text else ""))
    values = [value for value, _ in choices]
    hint = "numbers or names, separated by commas" if many else "a number or a name"
    while True:
        answer = _answer(f"{question} ({hint}) [{default}]: ").strip() or default
        if many and answer.casefold() == "none":
            return []
        chosen: list[str] = []
        wrong = ""
        for part in filter(None, (p.strip() for p in answer.split(","))):
            if part.isascii() and part.isdigit() and 1 <= int(part) <= len(choices):
                chosen.append(values[int(part) - 1])
            elif part.casefold() in values:
                chosen.append(part.casefold())
            else:
                wrong = part
                break
        if wrong or not chosen or (not many and len(chosen) > 1):
            from kotcoach.base.suggest import did_you_mean

            close = did_you_mean(wrong, values) if wrong else None
            _say(f"Give {hint} from the list" + (f" ({close})" if close else "") + ".")
            continue
        return list(dict.fromkeys(chosen))


def _say(text: str) -> None:
    import shutil
    import textwrap

    width = max(40, shutil.get_terminal_size().columns - 1)
    sys.stderr.write("\n".join(textwrap.wrap(text, width) or [""]) + "\n")


def _answer(question: str) -> str:
    """One line from stdin; end of input (Ctrl-D) raises EOFError, which the app reports.
    A long question wraps between words, as the rest of the output does."""
    import shutil
    import textwrap

    width = max(40, shutil.get_terminal_size().columns - 1)
    text = question.rstrip()
    lines = textwrap.wrap(text, width, subsequent_indent="  ") or [text]
    sys.stderr.write("\n".join(lines) + question[len(text) :])
    sys.stderr.flush()
    line = sys.stdin.readline()
    if not line:
        raise EOFError
    return line.strip()


def _ask_yes_no(question: str) -> bool:
    """A warning sign needs an explicit answer: Enter alone asks again."""
    while True:
        answer = _answer(f"{question} [y/n]: ").casefold()
        if answer in {"n", "no"}:
            return False
        if answer in {"y", "yes"}:
            return True
        _say("Answer y (yes) or n (no).")


def _ask_score(area: Area) -> int:
    while True:
        answer = _answer(f"Pain now in your {area} (0-10) [0]: ") or "0"
        if answer.isascii() and answer.isdigit() and len(answer) <= 2 and int(answer) <= 10:
            return int(answer)
        _say("Give a whole number from 0 to 10.")
