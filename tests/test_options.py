"""The options several commands share are declared once (`cli/_options.py`, `_plan_options.py`)
and reach each command the same way."""

from __future__ import annotations

import json
from dataclasses import fields

import typer
from typer.testing import CliRunner

from kotcoach.cli import app
from kotcoach.cli._plan_options import PlanAsked


def _params(*path: str) -> list[str]:
    command = typer.main.get_command(app)
    for name in path:
        command = command.get_command(typer.Context(command), name)
    return [param.name for param in command.params]


def test_plan_and_start_list_the_plan_options_first_in_one_order() -> None:
    group = [option.name for option in fields(PlanAsked)]
    assert _params("plan")[: len(group)] == group
    assert _params("start")[: len(group)] == group
    assert "asked" not in _params("plan") + _params("start")


def test_the_plan_options_reach_plan_and_start_as_given(runner: CliRunner) -> None:
    asked = ["--level", "intermediate", "--days", "2", "--minutes", "25", "--weeks", "2"]
    planned = json.loads(runner.invoke(app, ["plan", *asked, "--json"]).stdout)
    started = json.loads(runner.invoke(app, ["start", *asked, "--json"]).stdout)["plan"]
    for plan in (planned, started):
        assert (plan["level"], plan["days"], plan["minutes"]) == ("intermediate", 2, 25)
        assert len(plan["weeks"]) == 2
