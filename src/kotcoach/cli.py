"""The command line: options in, a domain call, rendered results out.

Kept thin and light: only typer, the vocabularies and the errors are imported up front, so that
`--help` and `--version` never load pydantic, YAML or the catalogue. Domain errors become one line
on stderr and the exit code their class names; nothing else prints them.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, NoReturn

import typer
from typer.core import TyperGroup

from kotcoach.errors import ExitCode, KotcoachError, UsageError
from kotcoach.vocab import (
    EQUIPMENT_HELP,
    GOAL_HELP,
    RED_FLAG_QUESTIONS,
    RED_FLAG_TEXT,
    Area,
    Equipment,
    Goal,
    Level,
    RedFlag,
)

if TYPE_CHECKING:
    from rich.console import Console, RenderableType

    from kotcoach.ladders import Index
    from kotcoach.listing import Listing
    from kotcoach.pain import RedFlagStop


def _report(error: KotcoachError, command: str) -> NoReturn:
    from kotcoach.render import clean

    line = clean(str(error)).replace("\n", " ")
    if error.exit_code == ExitCode.USAGE:
        line += f". See '{command} --help'"
    sys.stderr.write(f"kotcoach: error: {line}\n")
    raise typer.Exit(int(error.exit_code))


class _Group(TyperGroup):
    """Turns domain errors raised by any command into one line on stderr and an exit code."""

    def invoke(self, ctx: Any) -> Any:
        try:
            return super().invoke(ctx)
        except KotcoachError as error:
            _report(error, " ".join(filter(None, [ctx.command_path, ctx.invoked_subcommand])))


app = typer.Typer(
    cls=_Group,
    help=(
        "A coach for knees-over-toes strength training: browse exercise ladders, get a week's "
        "plan that respects your pain, and print cue cards."
    ),
    epilog=(
        "\b\nExamples:\n"
        "  kotcoach plan --level beginner\n"
        "  kotcoach plan --level beginner --pain knee=4 --condition patellofemoral-pain\n"
        "  kotcoach list --area ankle --equipment none\n"
        "  kotcoach show tib-raise-wall\n"
        "  kotcoach card --ladder atg-split-squat-raised --export cards.pdf\n"
        "\b\nExit codes: 0 ok, 1 data or catalogue problem, 2 usage error, 3 red flag (see a "
        "clinician)."
    ),
    rich_markup_mode=None,  # plain click help: about half the start-up time of rich panels
    pretty_exceptions_enable=False,
    add_completion=False,
    no_args_is_help=True,
)
catalog_app = typer.Typer(
    cls=_Group,
    help="Validate a catalogue file, or print its format as JSON Schema.",
    no_args_is_help=True,
    rich_markup_mode=None,
)
app.add_typer(catalog_app, name="catalog")


class State:
    """What the global options chose; the catalogue is read only when a command needs it."""

    def __init__(self, catalog_path: Path | None) -> None:
        self.catalog_path = catalog_path
        self._index: Index | None = None

    def index(self) -> Index:
        if self._index is None:
            from kotcoach.catalog import load_catalog
            from kotcoach.ladders import Index

            self._index = Index(load_catalog(self.path()))
        return self._index

    def listing(self) -> Listing:
        """The catalogue's rows, without building models when the cache has them."""
        from kotcoach.listing import load_listing

        return load_listing(self.path())

    def path(self) -> Path:
        from kotcoach.source import resolve_catalog_path

        return resolve_catalog_path(self.catalog_path)


def _state(ctx: typer.Context) -> State:
    state = ctx.find_root().obj
    assert isinstance(state, State)
    return state


def _version(value: bool) -> None:
    if value:
        from importlib.metadata import PackageNotFoundError, version

        try:
            typer.echo(f"kotcoach {version('kotcoach')}")
        except PackageNotFoundError:
            typer.echo("kotcoach (not installed: run pip install -e .)")
        raise typer.Exit()


@app.callback()
def main_options(
    ctx: typer.Context,
    catalog: Annotated[
        Path | None,
        typer.Option(
            "--catalog",
            envvar="KOTCOACH_CATALOG",
            help="Use this catalogue file instead of the built-in one.",
            show_envvar=True,
            metavar="PATH",
        ),
    ] = None,
    version: Annotated[
        bool,
        typer.Option("--version", callback=_version, is_eager=True, help="Show the version."),
    ] = False,
) -> None:
    ctx.obj = State(catalog)


def _out() -> Console:
    from rich.console import Console

    return Console()


def _print(*renderables: RenderableType, console: Console | None = None) -> None:
    """Print to stdout. Into a pipe or file, lines lose the padding rich adds to fill the width."""
    console = console or _out()
    if console.is_terminal:
        for renderable in renderables:
            console.print(renderable)
        return
    with console.capture() as capture:
        for renderable in renderables:
            console.print(renderable)
    sys.stdout.write("\n".join(line.rstrip() for line in capture.get().splitlines()) + "\n")


def _emit_json(data: Any) -> None:
    import json

    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")


def parse_equipment(values: list[str] | None) -> frozenset[Equipment]:
    """What a person has; 'none' (or nothing) means body weight only."""
    have: set[Equipment] = set()
    for raw in values or []:
        for name in filter(None, (part.strip() for part in raw.split(","))):
            if name == "none":
                continue
            try:
                have.add(Equipment(name))
            except ValueError:
                valid = ", ".join(["none", *Equipment])
                raise UsageError(f"unknown equipment '{name}' (valid: {valid})") from None
    return frozenset(have)


def _condition_ids(index: Index, values: list[str] | None) -> list[str]:
    from kotcoach.ladders import unknown_condition

    for name in values or []:
        if name not in index.conditions:
            raise unknown_condition(name, index.conditions)
    return list(values or [])


EQUIPMENT_OPTION_HELP = (
    "Repeat it or separate with commas; 'none' means body weight only. One of: "
    + ", ".join(["none", *Equipment])
    + "."
)
EQUIPMENT_EPILOG = "\b\nEquipment:\n" + "\n".join(
    f"  {e.value:<12} {text}" for e, text in EQUIPMENT_HELP.items()
)
GOAL_EPILOG = "\b\nGoals:\n" + "\n".join(f"  {g.value:<13} {text}" for g, text in GOAL_HELP.items())


@app.command("list", epilog=EQUIPMENT_EPILOG + "\n\n" + GOAL_EPILOG)
def list_command(
    ctx: typer.Context,
    level: Annotated[Level | None, typer.Option(help="Only this level.")] = None,
    area: Annotated[Area | None, typer.Option(help="Only exercises that train this area.")] = None,
    equipment: Annotated[
        list[str] | None,
        typer.Option(
            help="Only exercises you can do with this equipment. " + EQUIPMENT_OPTION_HELP,
            metavar="ITEM",
        ),
    ] = None,
    goal: Annotated[Goal | None, typer.Option(help="Only exercises that serve this goal.")] = None,
    condition: Annotated[
        str | None,
        typer.Option(
            help="Only exercises suited to this condition (favoured or with a caution for it); "
            "see 'kotcoach conditions'.",
            metavar="ID",
        ),
    ] = None,
    search: Annotated[
        str | None,
        typer.Option(
            help="Only exercises whose id, name, setup or cues contain TEXT.", metavar="TEXT"
        ),
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Write a JSON array to stdout.")] = False,
) -> None:
    """Browse and filter the exercise catalogue.

    \b
    Examples:
      kotcoach list --level beginner
      kotcoach list --area ankle --equipment none
      kotcoach list --condition patellar-tendinopathy --json
    """
    from kotcoach.listing import Filters, select

    listing = _state(ctx).listing()
    if condition and condition not in listing.conditions:
        from kotcoach.ladders import unknown_condition

        raise unknown_condition(condition, listing.conditions)
    filters = Filters(
        level=level,
        area=area,
        equipment=parse_equipment(equipment) if equipment else None,
        goal=goal,
        condition=condition,
        search=search,
    )
    chosen = select(listing, filters)
    if as_json:
        _emit_json([listing.details[row.id] for row in chosen])
        return
    if not chosen:
        sys.stderr.write("kotcoach: no exercise matches these filters; try fewer of them\n")
        return
    from kotcoach.render import exercise_table

    console = _out()
    _print(exercise_table(chosen, filters.condition, console.width), console=console)


@app.command("show")
def show_command(
    ctx: typer.Context,
    exercise_id: Annotated[str, typer.Argument(metavar="ID", help="The exercise's id.")],
    condition: Annotated[
        list[str] | None,
        typer.Option(help="Show only the cautions for this condition (repeatable).", metavar="ID"),
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Write JSON to stdout.")] = False,
) -> None:
    """Show one exercise in full.

    Its ladder (easier <- this -> harder), dose, setup, cues, common mistakes, cautions and the
    evidence behind it.

    \b
    Examples:
      kotcoach show atg-split-squat-raised
      kotcoach show decline-squat --condition patellar-tendinopathy
    """
    index = _state(ctx).index()
    exercise = index.exercise(exercise_id)
    conditions = _condition_ids(index, condition)
    if as_json:
        data = exercise.model_dump(mode="json", exclude_none=True)
        easier = index.easier(exercise.id)
        data["easier"] = easier.id if easier else None
        data["ladder"] = [step.id for step in index.ladder_of(exercise.id).steps]
        _emit_json(data)
        return
    from kotcoach.render.views import exercise_view

    _print(exercise_view(index, exercise, conditions))


@catalog_app.command("validate")
def validate_command(
    ctx: typer.Context,
    path: Annotated[
        Path | None,
        typer.Argument(help="The catalogue file (default: the one in use).", show_default=False),
    ] = None,
) -> None:
    """Check a catalogue file and report every problem.

    Each problem is reported as file:line:column: field.path: what is wrong. Exit 0 when the file
    is valid, 1 when it is not.

    \b
    Example:
      kotcoach catalog validate my-exercises.yaml
    """
    from kotcoach.catalog import check_catalog
    from kotcoach.ladders import Index
    from kotcoach.render import clean

    target = path or _state(ctx).path()
    catalog, problems = check_catalog(target)
    if problems or catalog is None:
        for problem in problems:
            sys.stderr.write(clean(str(problem)) + "\n")
        count = len(problems)
        sys.stderr.write(f"kotcoach: {target}: {count} problem{'s' if count != 1 else ''} found\n")
        raise typer.Exit(int(ExitCode.DATA))
    index = Index(catalog)
    long_ladders = sum(1 for ladder in index.ladders if len(ladder.steps) >= 3)
    typer.echo(
        f"{target}: valid: {len(catalog.exercises)} exercises in {len(index.ladders)} ladders "
        f"({long_ladders} of 3 or more steps), {len(catalog.conditions)} conditions, "
        f"{len(catalog.myths)} myths, {len(catalog.references)} references"
    )


@catalog_app.command("schema")
def schema_command() -> None:
    """Print the catalogue format as JSON Schema.

    Point your editor's YAML plugin at it to check a catalogue as you type; docs/catalogue.md
    describes the same format in words.

    \b
    Example:
      kotcoach catalog schema > kotcoach.schema.json
    """
    from kotcoach.models import Catalog

    schema = Catalog.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "kotcoach catalogue"
    _emit_json(schema)


@app.command("myths")
def myths_command(
    ctx: typer.Context,
    as_json: Annotated[bool, typer.Option("--json", help="Write JSON to stdout.")] = False,
) -> None:
    """Misused cues, what to say instead, and why.

    "Don't let your knees go past your toes" and its kin: what is wrong with each, the cue to use
    instead, and the evidence with its limits and sources.
    """
    index = _state(ctx).index()
    myths = index.catalog.myths
    if as_json:
        _emit_json([m.model_dump(mode="json", exclude_none=True) for m in myths])
        return
    if not myths:
        sys.stderr.write("kotcoach: this catalogue has no 'myths' section\n")
        return
    from kotcoach.render.views import myth_view

    _print(*(myth_view(index, myth) for myth in myths))


@app.command("conditions")
def conditions_command(
    ctx: typer.Context,
    condition_id: Annotated[
        str | None, typer.Argument(metavar="[ID]", help="Show this condition in full.")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Write JSON to stdout.")] = False,
) -> None:
    """Pain conditions: their pain rules, exercises and red flags.

    Without ID, a table of the conditions. With ID, one in full: its pain rules, what to favour,
    modify and avoid, and the red flags that mean stop and see a clinician.

    \b
    Examples:
      kotcoach conditions
      kotcoach conditions patellofemoral-pain
    """
    index = _state(ctx).index()
    if condition_id is None:
        conditions = index.catalog.conditions
        if as_json:
            _emit_json([c.model_dump(mode="json") for c in conditions])
        elif not conditions:
            sys.stderr.write("kotcoach: this catalogue has no 'conditions' section\n")
        else:
            from kotcoach.render.views import condition_table

            console = _out()
            _print(condition_table(conditions, console.width), console=console)
        return
    from kotcoach.errors import NotFoundError
    from kotcoach.ladders import suggestion_hint

    condition = index.conditions.get(condition_id)
    if condition is None:
        raise NotFoundError(
            f"no condition has the id '{condition_id}'",
            hint=suggestion_hint(condition_id, index.conditions, "kotcoach conditions"),
        )
    if as_json:
        _emit_json(condition.model_dump(mode="json"))
        return
    from kotcoach.render.views import condition_view

    _print(condition_view(index, condition))


def parse_pain(values: list[str] | None) -> dict[Area, int]:
    """'knee=4' pairs into a mapping; anything malformed is a usage error."""
    pain: dict[Area, int] = {}
    areas = ", ".join(Area)
    for raw in values or []:
        name, sep, score = raw.partition("=")
        name, score = name.strip(), score.strip()
        if not sep or not name or not score:
            raise UsageError(f"--pain '{raw}' must look like AREA=0..10, e.g. knee=4")
        try:
            area = Area(name)
        except ValueError:
            raise UsageError(f"--pain: unknown area '{name}' (valid: {areas})") from None
        if not score.isdigit() or not 0 <= int(score) <= 10:
            raise UsageError(f"--pain {raw}: the score must be a whole number from 0 to 10")
        pain[area] = int(score)
    return pain


RED_FLAG_EPILOG = "\b\nRed flags (--red-flag NAME):\n" + "\n".join(
    f"  {flag.value:<22} {RED_FLAG_TEXT[flag]}" for flag in RedFlag
)
PAIN_HELP = f"Pain now in an area, AREA=0..10 (repeatable). Areas: {', '.join(Area)}."
RED_FLAG_HELP = "A red flag you have (repeatable); with any, no plan is made. Names below."


def _stop(stop: RedFlagStop, as_json: bool) -> NoReturn:
    if as_json:
        _emit_json(
            {
                "stop": True,
                "advice": stop.headline,
                "red_flags": [flag.value for flag in stop.flags],
                "reasons": stop.reasons,
            }
        )
    else:
        from kotcoach.render.views import stop_view

        _print(stop_view(stop))
    raise typer.Exit(int(ExitCode.RED_FLAG))


@app.command("plan", epilog=RED_FLAG_EPILOG + "\n\n" + EQUIPMENT_EPILOG + "\n\n" + GOAL_EPILOG)
def plan_command(
    ctx: typer.Context,
    level: Annotated[Level, typer.Option(help="Your training level.")] = Level.BEGINNER,
    days: Annotated[
        int | None,
        typer.Option(
            help="Sessions a week, 1-7 [default: 3 beginner, 3 intermediate, 4 advanced]."
        ),
    ] = None,
    minutes: Annotated[
        int | None,
        typer.Option(help="Minutes per session, 5-180 [default: 20 / 35 / 45 by level]."),
    ] = None,
    equipment: Annotated[
        list[str] | None,
        typer.Option(help="Equipment you have. " + EQUIPMENT_OPTION_HELP, metavar="ITEM"),
    ] = None,
    goal: Annotated[
        list[Goal] | None, typer.Option(help="Favour exercises for this goal (repeatable).")
    ] = None,
    pain: Annotated[list[str] | None, typer.Option(help=PAIN_HELP, metavar="AREA=N")] = None,
    condition: Annotated[
        list[str] | None,
        typer.Option(
            help="A condition you have (repeatable); see 'kotcoach conditions'.", metavar="ID"
        ),
    ] = None,
    red_flag: Annotated[
        list[RedFlag] | None, typer.Option("--red-flag", help=RED_FLAG_HELP, metavar="NAME")
    ] = None,
    weeks: Annotated[
        int, typer.Option(help="Weeks to plan, 1-12: shows how doses and steps advance.")
    ] = 1,
    export: Annotated[
        Path | None,
        typer.Option(help="Also write the plan as a handout: .md, .html or .pdf.", metavar="PATH"),
    ] = None,
    force: Annotated[bool, typer.Option(help="Overwrite an existing --export file.")] = False,
    as_json: Annotated[
        bool, typer.Option("--json", help="Write the plan as JSON to stdout.")
    ] = False,
) -> None:
    """A week of training for your level, time, equipment and pain.

    Each session starts with backward walking, then balances knee, ankle, hip and back work
    within your minutes. Pain 3-5/10 in an area moves its exercises one step down their ladder;
    6-10/10 drops them to the easiest step; conditions swap or modify exercises. Every change is
    listed with its reason. With a red flag, no plan is made (exit 3).

    \b
    Examples:
      kotcoach plan --level beginner
      kotcoach plan --level beginner --equipment step,band --minutes 15
      kotcoach plan --level intermediate --pain knee=4 --condition patellofemoral-pain
      kotcoach plan --level beginner --weeks 4 --export week.pdf
    """
    from kotcoach.pain import RedFlagStop
    from kotcoach.planner import PlanRequest, make_plan

    request = PlanRequest(
        level=level,
        days=days,
        minutes=minutes,
        equipment=parse_equipment(equipment),
        goals=tuple(goal or ()),
        pain=parse_pain(pain),
        conditions=tuple(condition or ()),
        red_flags=tuple(red_flag or ()),
        weeks=weeks,
    )
    if export is not None:
        from kotcoach.export import check_target

        check_target(export, force)
    try:
        index = _state(ctx).index()
        plan = make_plan(index, request)
    except RedFlagStop as stop:
        _stop(stop, as_json)
    if export is not None:
        from kotcoach.export import export_plan

        export_plan(index, plan, export, force)
        sys.stderr.write(f"kotcoach: wrote {export}\n")
    if as_json:
        from kotcoach.serialise import plan_json

        _emit_json(plan_json(plan))
        return
    from kotcoach.render.views import plan_view

    console = _out()
    _print(plan_view(plan, console.width), console=console)


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
    from kotcoach.pain import RedFlagStop, screen

    flags = list(red_flag or [])
    scores = parse_pain(pain)
    if not (flags or no_red_flags or scores):
        if not _stdin_is_terminal():
            raise UsageError(
                "no answers given and no terminal to ask in: pass --no-red-flags or "
                "--red-flag NAME, and --pain AREA=N"
            )
        flags, scores = _ask()
    elif no_red_flags and flags:
        raise UsageError("--no-red-flags contradicts --red-flag: give one or the other")
    try:
        screen(tuple(flags))
    except RedFlagStop as stop:
        _stop(stop, as_json)
    scores = {area: scores.get(area, 0) for area in Area} | scores
    command = f"kotcoach plan --level {level}" + "".join(
        f" --pain {area}={score}" for area, score in scores.items() if score > 0
    )
    if as_json:
        from kotcoach.pain import worst_zone, zones

        _emit_json(
            {
                "stop": False,
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

    _print(check_view(scores, command))


def _ask() -> tuple[list[RedFlag], dict[Area, int]]:
    typer.echo("Red flags first. Answer y or n.")
    flags = [flag for flag in RedFlag if typer.confirm(RED_FLAG_QUESTIONS[flag], default=False)]
    if flags:
        return flags, {}
    typer.echo("Now your pain right now, 0 (none) to 10 (worst imaginable).")
    return flags, {area: _ask_score(area) for area in Area}


def _ask_score(area: Area) -> int:
    while True:
        score = typer.prompt(f"Pain in your {area} (0-10)", default=0, type=int)
        if 0 <= score <= 10:
            return int(score)
        typer.echo("Give a whole number from 0 to 10.")


@app.command("ladder")
def ladder_command(
    ctx: typer.Context,
    exercise_id: Annotated[
        str | None, typer.Argument(metavar="[ID]", help="Show only the ladder containing ID.")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Write JSON to stdout.")] = False,
) -> None:
    """Ladders of steps, easy to hard, and when to move.

    Every ladder, or the one containing ID: each step, its level and dose, and when to move up
    or down.

    \b
    Examples:
      kotcoach ladder
      kotcoach ladder tib-raise-wall
    """
    index = _state(ctx).index()
    ladders = [index.ladder_of(exercise_id)] if exercise_id else index.ladders
    if as_json:
        from kotcoach.serialise import ladder_json

        _emit_json([ladder_json(ladder) for ladder in ladders])
        return
    from kotcoach.render.views import ladder_view

    _print(ladder_view(index, ladders))


@app.command("card")
def card_command(
    ctx: typer.Context,
    exercise_ids: Annotated[
        list[str] | None, typer.Argument(metavar="[ID]...", help="Exercises to make cards for.")
    ] = None,
    ladder: Annotated[
        str | None,
        typer.Option(help="Cards for every step of the ladder containing this id.", metavar="ID"),
    ] = None,
    condition: Annotated[
        list[str] | None,
        typer.Option(help="Put this condition's cautions on the cards (repeatable).", metavar="ID"),
    ] = None,
    export: Annotated[
        Path | None,
        typer.Option(
            help="Write the cards to a printable file: .md, .html or .pdf (4 cards per page).",
            metavar="PATH",
        ),
    ] = None,
    force: Annotated[bool, typer.Option(help="Overwrite an existing --export file.")] = False,
) -> None:
    """Cue cards: on screen, or as a printable handout with --export.

    \b
    Examples:
      kotcoach card tib-raise-wall kot-calf-raise
      kotcoach card --ladder atg-split-squat-raised --condition patellofemoral-pain
      kotcoach card --ladder tib-raise-wall --export tib-cards.pdf
    """
    if not exercise_ids and not ladder:
        raise UsageError("name at least one exercise ID, or --ladder ID")
    if export is not None:
        from kotcoach.export import check_target

        check_target(export, force)
    index = _state(ctx).index()
    chosen = [index.exercise(exercise_id) for exercise_id in exercise_ids or []]
    if ladder:
        chosen += [s for s in index.ladder_of(ladder).steps if s not in chosen]
    conditions = _condition_ids(index, condition)
    if export is not None:
        from kotcoach.export import export_cards

        export_cards(index, chosen, export, force, conditions)
        count = len(chosen)
        sys.stderr.write(f"kotcoach: wrote {count} card{'s' if count != 1 else ''} to {export}\n")
        return
    from kotcoach.render.views import card_view

    _print(*(card_view(index, exercise, conditions) for exercise in chosen))


def main() -> None:
    """The console-script entry point."""
    app()
