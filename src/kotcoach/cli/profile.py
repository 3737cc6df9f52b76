"""Profiles: each person's saved plan defaults and handout lines (profile set, show, list)."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, Annotated, Any

import typer

from kotcoach.base.errors import UsageError
from kotcoach.cli._app import _emit_json, _print, _state, command_group, parse_equipment
from kotcoach.cli._options import JsonOption, text_option
from kotcoach.cli._plan_options import (
    PROFILE_EPILOG,
    AgeOption,
    ConditionOption,
    DaysOption,
    EquipmentOption,
    FellOption,
    GoalOption,
    LevelOption,
    MinutesOption,
)

if TYPE_CHECKING:
    from kotcoach.store import Profile, Programme

profile_app = command_group(
    "profile", "Profiles: who is training, with saved defaults for plan, start and today."
)


@profile_app.command("set", epilog=PROFILE_EPILOG)
def profile_set(
    ctx: typer.Context,
    level: LevelOption = None,
    days: DaysOption = None,
    minutes: MinutesOption = None,
    equipment: EquipmentOption = None,
    condition: ConditionOption = None,
    goal: GoalOption = None,
    age: AgeOption = None,
    fell: FellOption = None,
    handout_for: Annotated[
        str | None, text_option("The name printed on handouts ('for Sam').", "--for")
    ] = None,
    clinic: Annotated[str | None, text_option("The clinic or coach printed on handouts.")] = None,
    as_json: JsonOption = False,
) -> None:
    """Save defaults for the profile (--profile NAME, or 'default').

    Options given replace the saved ones; the rest stay. 'plan', 'start' and 'today' use
    them for any option you leave out. '--equipment none' saves body weight only.

    \b
    Examples:
      kotcoach profile set --level beginner --days 3 --equipment step,band
      kotcoach --profile sam profile set --condition patellofemoral-pain --for "Sam Lee"
    """
    from dataclasses import replace

    from kotcoach.store import Profile, Store

    state = _state(ctx)
    state.makes_profile = True
    name = state.profile
    changes: dict[str, Any] = {}
    if level is not None:
        changes["level"] = level.value
    if days is not None:
        changes["days"] = days
    if minutes is not None:
        changes["minutes"] = minutes
    if equipment:
        changes["equipment"] = tuple(sorted(e.value for e in parse_equipment(equipment)))
    if condition:
        from kotcoach.base.suggest import unknown_condition
        from kotcoach.catalogue.renamed import current_conditions

        known = state.index().conditions
        ids, renamed = current_conditions(c.casefold() for c in condition)
        for note in renamed:
            sys.stderr.write(f"kotcoach: note: {note}\n")
        for one in ids:
            if one not in known:
                raise unknown_condition(one, known)
        changes["conditions"] = ids
    if goal:
        changes["goals"] = tuple(dict.fromkeys(g.value for g in goal))
    if age is not None:
        changes["age"] = age
    if fell is not None:
        changes["fell_last_year"] = fell
    if handout_for is not None:
        changes["handout_for"] = handout_for
    if clinic is not None:
        changes["clinic"] = clinic
    if not changes:
        raise UsageError("nothing to set: give at least one option")
    with Store.open(write=True) as store:
        saved = store.save_profile(replace(store.profile(name) or Profile(name), **changes))
        programme = store.programme(name)
    _show(saved, programme, as_json, heading=f"Saved profile '{name}'")


@profile_app.command("show")
def profile_show(ctx: typer.Context, as_json: JsonOption = False) -> None:
    """Show the profile's saved defaults and its programme.

    \b
    Examples:
      kotcoach profile show
      kotcoach --profile sam profile show --json
    """
    from kotcoach.store import Profile, Store

    name = _state(ctx).profile
    with Store.open() as store:
        profile = store.profile(name)
        programme = store.programme(name)
    if profile is None:
        if as_json:
            _emit_json({**_profile_json(Profile(name), None), "saved": False})
            return
        typer.echo(
            f"No profile '{name}' yet: 'kotcoach profile set' saves defaults, "
            "'kotcoach start' saves a programme."
        )
        return
    _show(profile, programme, as_json, heading=f"Profile '{name}'")


@profile_app.command("list")
def profile_list(ctx: typer.Context, as_json: JsonOption = False) -> None:
    """List the profiles in the training log; '*' marks the one in use.

    \b
    Examples:
      kotcoach profile list
    """
    from kotcoach.store import Store

    current = _state(ctx).profile
    with Store.open() as store:
        names = [p.name for p in store.profiles()]
    if as_json:
        _emit_json({"current": current, "profiles": names})
        return
    if not names:
        typer.echo("No profiles yet: the first 'profile set', 'start' or 'log' makes one.")
        return
    for name in names:
        typer.echo(f"{'*' if name == current else ' '} {name}")


def _profile_json(profile: Profile, programme: Programme | None) -> dict[str, Any]:
    return {
        "name": profile.name,
        "saved": True,
        "level": profile.level,
        "days": profile.days,
        "minutes": profile.minutes,
        "equipment": list(profile.equipment),
        "conditions": list(profile.conditions),
        "goals": list(profile.goals),
        "for": profile.handout_for,
        "clinic": profile.clinic,
        "age": profile.age,
        "fell_last_year": profile.fell_last_year,
        "programme": None
        if programme is None
        else {
            "created": programme.created,
            "sessions": len(programme.sessions),
            "weeks": len({s.week for s in programme.sessions}),
        },
    }


def _show(profile: Profile, programme: Programme | None, as_json: bool, heading: str) -> None:
    if as_json:
        _emit_json(_profile_json(profile, programme))
        return
    from kotcoach.render.log import profile_view

    _print(profile_view(heading, profile, programme))
