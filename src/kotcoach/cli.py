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
from kotcoach.vocab import EQUIPMENT_HELP, GOAL_HELP, Area, Equipment, Goal, Level

if TYPE_CHECKING:
    from rich.console import Console, RenderableType

    from kotcoach.ladders import Index


def _report(error: KotcoachError) -> NoReturn:
    from kotcoach.render import clean

    line = clean(str(error)).replace("\n", " ")
    if error.exit_code == ExitCode.USAGE:
        line += ". See 'kotcoach COMMAND --help'"
    sys.stderr.write(f"kotcoach: error: {line}\n")
    raise typer.Exit(int(error.exit_code))


class _Group(TyperGroup):
    """Turns domain errors raised by any command into one line on stderr and an exit code."""

    def invoke(self, ctx: Any) -> Any:
        try:
            return super().invoke(ctx)
        except KotcoachError as error:
            _report(error)


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
    help="Check a catalogue file, or print the catalogue format as JSON Schema.",
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
            from kotcoach.catalog import load_catalog, resolve_catalog_path
            from kotcoach.ladders import Index

            self._index = Index(load_catalog(resolve_catalog_path(self.catalog_path)))
        return self._index


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


def _print(*renderables: RenderableType) -> None:
    console = _out()
    for renderable in renderables:
        console.print(renderable)


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
    from kotcoach.ladders import suggestion_hint

    ids = []
    for name in values or []:
        if name not in index.conditions:
            raise UsageError(
                f"unknown condition '{name}' (valid: {', '.join(index.conditions) or 'none'})",
                hint=suggestion_hint(name, index.conditions, "kotcoach conditions"),
            )
        ids.append(name)
    return ids


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
        typer.Option(help="Only exercises whose id, name, setup or cues contain TEXT.", metavar="TEXT"),
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
    from kotcoach.browse import Filters, select

    index = _state(ctx).index()
    filters = Filters(
        level=level,
        area=area,
        equipment=parse_equipment(equipment) if equipment else None,
        goal=goal,
        condition=_condition_ids(index, [condition])[0] if condition else None,
        search=search,
    )
    chosen = select(index, filters)
    if as_json:
        _emit_json([e.model_dump(mode="json", exclude_none=True) for e in chosen])
        return
    if not chosen:
        sys.stderr.write("kotcoach: no exercise matches these filters; try fewer of them\n")
        return
    from kotcoach.render import exercise_table

    _print(exercise_table(index, chosen, filters.condition))


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
    from kotcoach.render import exercise_view

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
    from kotcoach.catalog import check_catalog, resolve_catalog_path
    from kotcoach.ladders import Index
    from kotcoach.render import clean

    target = path or resolve_catalog_path(_state(ctx).catalog_path)
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
    from kotcoach.render import myth_view

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
            from kotcoach.render import condition_table

            _print(condition_table(conditions))
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
    from kotcoach.render import condition_view

    _print(condition_view(index, condition))


def main() -> None:
    """The console-script entry point."""
    app()
