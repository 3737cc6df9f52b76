"""The options that describe a plan, shared by `plan` and `start`, and the request they make.

Each option is an `Annotated` type, so a command lists it in its signature without repeating its
help; `plan` and `start` take the whole group through `with_plan_options`, which gives them as
one `PlanAsked`. Options left out fall back to the profile's saved defaults (`kotcoach profile
set`), read only when a training log already exists: `plan` never creates one.
"""

from __future__ import annotations

import functools
import inspect
import sys
from collections.abc import Callable
from dataclasses import dataclass, fields
from typing import TYPE_CHECKING, Annotated, Any, get_type_hints

import typer

from kotcoach.base.vocab import Goal, Level, RedFlag
from kotcoach.cli._app import (
    EQUIPMENT_EPILOG,
    GOAL_EPILOG,
    PAIN_HELP,
    RED_FLAG_EPILOG,
    RED_FLAG_HELP,
    State,
    parse_equipment,
    parse_pain,
)
from kotcoach.cli._options import (
    area_scores_option,
    condition_option,
    equipment_option,
    whole_option,
)

if TYPE_CHECKING:
    from kotcoach.coaching.planner import PlanRequest
    from kotcoach.store import Profile

PROFILE_EPILOG = EQUIPMENT_EPILOG + "\n\n" + GOAL_EPILOG  # profile set has no --red-flag
PLAN_EPILOG = RED_FLAG_EPILOG + "\n\n" + PROFILE_EPILOG
SAVED = "your profile's saved default, else"

LevelOption = Annotated[
    Level | None, typer.Option(help=f"Your training level [default: {SAVED} beginner].")
]
DaysOption = Annotated[
    int | None,
    whole_option(
        f"Sessions a week, 1-7 [default: {SAVED} 3 beginner, 3 intermediate, 4 advanced]."
    ),
]
MinutesOption = Annotated[
    int | None,
    whole_option(f"Minutes per session, 5-180 [default: {SAVED} 20 / 35 / 45 by level]."),
]
EquipmentOption = Annotated[
    list[str] | None,
    equipment_option("Equipment you have."),
]
GoalOption = Annotated[
    list[Goal] | None, typer.Option(help="Favour exercises for this goal (repeatable).")
]
PainOption = Annotated[
    list[str] | None,
    area_scores_option(PAIN_HELP),
]
ConditionOption = Annotated[
    list[str] | None,
    condition_option("A condition you have (repeatable); see 'kotcoach conditions'."),
]
RedFlagOption = Annotated[
    list[RedFlag] | None, typer.Option("--red-flag", help=RED_FLAG_HELP, metavar="NAME")
]
AgeOption = Annotated[
    int | None,
    whole_option("Your age. From 65, plans support backward walking and deep holds, no hops."),
]
FellOption = Annotated[
    bool | None,
    typer.Option(
        "--fell/--no-fell",
        help="A fall in the last year: plans support walking and holds, and leave out hops.",
        show_default=False,
    ),
]
WeeksOption = Annotated[
    int,
    whole_option("Weeks to plan, 1-12: shows how doses and steps advance."),
]


@dataclass(frozen=True)
class PlanAsked:
    """The plan options as given (None or empty: left out, for the profile's saved defaults to
    fill in `plan_request`), in the order `--help` lists them."""

    level: LevelOption = None
    days: DaysOption = None
    minutes: MinutesOption = None
    equipment: EquipmentOption = None
    goal: GoalOption = None
    pain: PainOption = None
    condition: ConditionOption = None
    red_flag: RedFlagOption = None
    weeks: WeeksOption = 1


def with_plan_options(command: Callable[..., None]) -> Callable[..., None]:
    """`command` with the plan options (`PlanAsked`'s fields) as parameters after its context,
    handed to it as one `asked`: typer builds a command's options from its signature and has no
    groups of them, so `plan` and `start` declare the group here, once."""
    own = inspect.signature(command, eval_str=True).parameters.values()
    ctx, *rest = [p for p in own if p.name != "asked"]
    declared = get_type_hints(PlanAsked, include_extras=True)
    group = [
        inspect.Parameter(
            option.name,
            inspect.Parameter.POSITIONAL_OR_KEYWORD,
            default=option.default,
            annotation=declared[option.name],
        )
        for option in fields(PlanAsked)
    ]

    @functools.wraps(command)
    def with_group(**given: Any) -> None:
        asked = {option.name: given.pop(option.name) for option in fields(PlanAsked)}
        command(asked=PlanAsked(**asked), **given)

    with_group.__signature__ = inspect.Signature([ctx, *group, *rest])  # type: ignore[attr-defined]
    return with_group


def saved_profile(state: State) -> Profile | None:
    """The profile's saved defaults, or None; never creates the log to find out."""
    from kotcoach.store import database_path

    if not database_path().exists():
        return None
    from kotcoach.store import Store

    with Store.open() as store:
        return store.profile(state.profile)


def plan_request(
    saved: Profile | None,
    asked: PlanAsked | None = None,
    *,
    age: int | None = None,
    fell: bool | None = None,
) -> PlanRequest:
    """The plan request from the options given, the saved defaults (`saved_profile`) filling
    the rest (all of it, with no options: one week from the profile alone)."""
    from kotcoach.coaching.planner import PlanRequest

    asked = asked or PlanAsked()
    level, days, minutes = asked.level, asked.days, asked.minutes
    equipment, goal, condition = asked.equipment, asked.goal, asked.condition
    if saved is not None:
        level = level or (Level(saved.level) if saved.level else None)
        days = days if days is not None else saved.days
        minutes = minutes if minutes is not None else saved.minutes
        # typer gives an empty list for a list option left out; '--equipment none' is not empty.
        equipment = equipment or list(saved.equipment)
        goal = goal or [Goal(g) for g in saved.goals]
        condition = condition or list(saved.conditions)
        age = age if age is not None else saved.age
        fell = fell if fell is not None else saved.fell_last_year
    from kotcoach.catalogue.renamed import current_conditions

    ids, renamed = current_conditions(c.casefold() for c in condition or ())  # ids: lower case
    for note in renamed:
        sys.stderr.write(f"kotcoach: note: {note}\n")
    return PlanRequest(
        level=level or Level.BEGINNER,
        days=days,
        minutes=minutes,
        equipment=parse_equipment(equipment),
        goals=tuple(goal or ()),
        pain=parse_pain(asked.pain),
        conditions=ids,
        red_flags=tuple(asked.red_flag or ()),
        weeks=asked.weeks,
        age=age,
        fell_last_year=bool(fell),
    )
