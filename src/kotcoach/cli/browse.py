"""Browsing the catalogue: list, show, ladder, card, myths, conditions."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from kotcoach.base.errors import UsageError
from kotcoach.base.vocab import Area, Goal, Level
from kotcoach.cli._app import (
    EQUIPMENT_EPILOG,
    GOAL_EPILOG,
    _condition_ids,
    _emit_json,
    _out,
    _print,
    _state,
    app,
    condition_ids,
    parse_equipment,
)
from kotcoach.cli._handout import (
    ClinicOption,
    ForOption,
    OverwriteOption,
    PaperOption,
    byline,
    confirm,
    paper_size,
)
from kotcoach.cli._options import (
    JsonOption,
    condition_argument,
    condition_option,
    equipment_option,
    exercise_argument,
    exercise_option,
    path_option,
    text_option,
)

if TYPE_CHECKING:
    from rich.console import Console, RenderableType
    from rich.text import Text

    from kotcoach.catalogue.models import Exercise


@app.command("list", epilog=EQUIPMENT_EPILOG + "\n\n" + GOAL_EPILOG)
def list_command(
    ctx: typer.Context,
    level: Annotated[Level | None, typer.Option(help="Only this level.")] = None,
    area: Annotated[Area | None, typer.Option(help="Only exercises that train this area.")] = None,
    equipment: Annotated[
        list[str] | None, equipment_option("Only exercises you can do with this equipment.")
    ] = None,
    goal: Annotated[Goal | None, typer.Option(help="Only exercises that serve this goal.")] = None,
    condition: Annotated[
        str | None,
        condition_option(
            "Only exercises suited to this condition (favoured or with a caution for it); "
            "see 'kotcoach conditions'."
        ),
    ] = None,
    search: Annotated[
        str | None, text_option("Only exercises whose id, name, setup or cues contain TEXT.")
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
    from kotcoach.catalogue.listing import Filters, select

    listing = _state(ctx).listing()
    # `is not None`, here and below: an empty value ('') is a value to check, not an absent one.
    if condition is not None and condition not in listing.conditions:
        from kotcoach.base.suggest import unknown_condition

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
    from kotcoach.cli._pipe import plain_width, print_lines

    width = plain_width()
    if width is not None:  # into a pipe or a file: the same lines, without rich's console
        from kotcoach.render import exercise_lines

        lines = exercise_lines(chosen, filters.condition, width)
        if lines is not None:
            sys.stdout.writelines(line + "\n" for line in lines)
            return
    from kotcoach.render import exercise_table

    console = _out()
    print_lines(exercise_table(chosen, filters.condition, console.width), console)


PicturesOption = Annotated[
    bool | None,
    typer.Option(
        help="Draw the exercise's figure; the default is to draw it on a terminal and in an "
        "--export, not into a pipe."
    ),
]


def _with_figure(exercise: Exercise, pictures: bool | None, console: Console) -> list[Text]:
    """The exercise's figure, when asked for or when writing to a terminal."""
    if not (console.is_terminal if pictures is None else pictures):
        return []
    from kotcoach.render.figure import exercise_figure

    figure = exercise_figure(exercise.pose, console.width, sys.stdout.encoding)
    return [figure] if figure is not None else []


@app.command("show")
def show_command(
    ctx: typer.Context,
    exercise_id: Annotated[str, exercise_argument("The exercise's id.")],
    condition: Annotated[
        list[str] | None,
        condition_option("Show only the cautions for this condition (repeatable)."),
    ] = None,
    as_json: JsonOption = False,
    pictures: PicturesOption = None,
) -> None:
    """Show one exercise in full.

    Its ladder (easier <- this -> harder), dose, setup, cues, common mistakes, cautions and the
    evidence behind it.

    \b
    Examples:
      kotcoach show atg-split-squat-raised
      kotcoach show decline-squat --condition patellar-tendinopathy
    """
    if not as_json and not pictures and _show_cached(ctx, exercise_id, condition, pictures):
        return
    index = _state(ctx).index()
    exercise = index.exercise(exercise_id)
    conditions = _condition_ids(index, condition)
    if as_json:
        data = exercise.model_dump(mode="json", exclude_none=True)
        easier = index.easier(exercise.id)
        data["easier"] = easier.id if easier else None
        data["ladder"] = [step.id for step in index.ladder_of(exercise.id).steps]
        if exercise.pose is not None:
            from kotcoach.figures.pose import pose_json

            data["pose"] = pose_json(exercise.pose)
        _emit_json(data)
        return
    from kotcoach.catalogue.sheet import sheet_of
    from kotcoach.render.exercise import exercise_view

    console = _out()
    figure = _with_figure(exercise, pictures, console)
    _print(*figure, exercise_view(sheet_of(index, exercise), conditions), console=console)


def _show_cached(
    ctx: typer.Context, exercise_id: str, condition: list[str] | None, pictures: bool | None
) -> bool:
    """`show` from the exercise's cached sheet, without a model, where no figure is drawn: into a
    pipe or a file as plain lines without rich's console, to a terminal with rich. False where
    the cache has no sheet for the id (a miss, or an id to report or to follow a rename of)."""
    from kotcoach.cli._pipe import plain_width

    width = plain_width()
    console = None
    if width is None:
        console = _out()
        if console.is_terminal and pictures is None:  # a terminal gets the figure by default
            return False
    cached = _state(ctx).sheet(exercise_id)
    if cached is None:
        return False
    sheet, known = cached
    conditions = condition_ids(known, condition)
    if width is not None:
        from kotcoach.render import sheet_lines

        lines = sheet_lines(sheet, conditions, width)
        if lines is not None:
            sys.stdout.writelines(line + "\n" for line in lines)
            return True
    from kotcoach.render.exercise import exercise_view

    _print(exercise_view(sheet, conditions), console=console or _out())
    return True


@app.command("myths")
def myths_command(
    ctx: typer.Context,
    as_json: JsonOption = False,
) -> None:
    """Misused cues, what to say instead, and why.

    "Don't let your knees go past your toes" and its kin: what is wrong with each, the cue to use
    instead, and the evidence with its limits and sources.

    \b
    Examples:
      kotcoach myths
      kotcoach myths --json
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
        str | None, condition_argument("Show this condition in full.", "[ID]")
    ] = None,
    as_json: JsonOption = False,
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
    from kotcoach.base.errors import NotFoundError
    from kotcoach.base.suggest import suggestion_hint

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


@app.command("ladder")
def ladder_command(
    ctx: typer.Context,
    exercise_id: Annotated[
        str | None, exercise_argument("Show only the ladder containing ID.", "[ID]")
    ] = None,
    as_json: JsonOption = False,
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
    ladders = [index.ladder_of(exercise_id)] if exercise_id is not None else index.ladders
    if as_json:
        from kotcoach.coaching.serialise import ladder_json

        _emit_json([ladder_json(ladder) for ladder in ladders])
        return
    from kotcoach.render.views import ladder_view

    _print(ladder_view(index, ladders))


@app.command("card")
def card_command(
    ctx: typer.Context,
    exercise_ids: Annotated[
        list[str] | None, exercise_argument("Exercises to make cards for.", "[ID]...")
    ] = None,
    ladder: Annotated[
        list[str] | None,
        exercise_option("Cards for every step of the ladder containing this id (repeatable)."),
    ] = None,
    condition: Annotated[
        list[str] | None,
        condition_option("Put this condition's cautions on the cards (repeatable)."),
    ] = None,
    export: Annotated[
        Path | None,
        path_option("Write the cards to a printable file: .md, .html or .pdf (4 cards per page)."),
    ] = None,
    force: OverwriteOption = False,
    for_name: ForOption = None,
    clinic: ClinicOption = None,
    paper: PaperOption = None,
    pictures: PicturesOption = None,
) -> None:
    """Cue cards: on screen, or as a printable handout with --export.

    \b
    Examples:
      kotcoach card tib-raise-wall kot-calf-raise
      kotcoach card --ladder atg-split-squat-raised --condition patellofemoral-pain
      kotcoach card --ladder tib-raise-wall --export tib-cards.pdf
      kotcoach card wall-sit --export wall-sit.pdf --for "Ann Lee" --paper letter
    """
    if not exercise_ids and not ladder:
        raise UsageError("name at least one exercise ID, or --ladder ID")
    if export is not None and (for_name is None or clinic is None):
        from kotcoach.cli._plan_options import saved_profile

        saved = saved_profile(_state(ctx))  # 'profile set --for NAME --clinic TEXT'
        if saved is not None:
            for_name = for_name if for_name is not None else saved.handout_for
            clinic = clinic if clinic is not None else saved.clinic
    handout_byline = byline(for_name, clinic)
    paper_size(paper)
    if export is not None:
        from kotcoach.export import check_target

        check_target(export, force)
    index = _state(ctx).index()
    chosen: list[Exercise] = []
    for exercise_id in exercise_ids or []:
        exercise = index.exercise(exercise_id)
        if exercise not in chosen:  # 'card a a' is one card
            chosen.append(exercise)
    for ladder_id in ladder or []:  # '--ladder A --ladder B': both ladders, each card once
        chosen += [s for s in index.ladder_of(ladder_id).steps if s not in chosen]
    conditions = _condition_ids(index, condition)
    if export is not None:
        from kotcoach.export import Printing, export_cards

        printing = Printing(handout_byline, paper_size(paper), pictures is not False)
        written = export_cards(index, chosen, export, force, conditions, printing)
        count = len(chosen)
        confirm(export, written, f"{count} card{'s' if count != 1 else ''} to ")
        return
    from kotcoach.render.views import card_view

    console = _out()
    shown: list[RenderableType] = []
    for exercise in chosen:
        shown += _with_figure(exercise, pictures, console)
        shown.append(card_view(index, exercise, conditions))
    _print(*shown, console=console)
