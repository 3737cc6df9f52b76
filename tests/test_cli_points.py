"""The smaller points of issue 24: what a person trips over at the command line."""

from __future__ import annotations

import re

import pytest
from typer.testing import CliRunner

from kotcoach.base.suggest import did_you_mean
from kotcoach.cli import app


def run(runner: CliRunner, *args: str):  # type: ignore[no-untyped-def]
    return runner.invoke(app, list(args), prog_name="kotcoach")


def test_card_keeps_every_ladder_asked_for(runner: CliRunner) -> None:
    result = run(runner, "card", "--ladder", "tib-raise-wall", "--ladder", "wall-sit")
    assert result.exit_code == 0, result.output
    titles = re.findall(r"╭─ (.+?)  (?:beginner|intermediate|advanced)", result.stdout)
    assert "Tibialis raise, back to wall" in titles and "Wall sit" in titles
    assert len(titles) == len(set(titles))


@pytest.mark.parametrize(
    ("args", "hint"),
    [
        (["ladder", "tib"], "did you mean 'tib-raise-wall'"),
        (["conditions", "pfp"], "did you mean 'patellofemoral-pain'"),
        (["show", "wal"], "did you mean 'wall-sit'"),
    ],
)
def test_a_short_form_gets_a_did_you_mean(runner: CliRunner, args: list[str], hint: str) -> None:
    result = run(runner, *args)
    assert result.exit_code == 1
    assert hint in result.stderr


def test_did_you_mean_by_likeness_start_and_letters_in_order() -> None:
    assert did_you_mean("alx", ["alex", "sam"]) == "did you mean 'alex'?"
    assert did_you_mean("pfp", ["knee-pain", "patellofemoral-pain"]) == (
        "did you mean 'patellofemoral-pain'?"
    )
    assert did_you_mean("zzz", ["knee-pain"]) is None


def test_top_level_help_lists_commands_in_the_order_a_person_meets_them(
    runner: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLUMNS", "80")
    out = run(runner, "--help").stdout
    listed = re.findall(r"^  ([a-z]+)  ", out.split("Commands:")[1], re.MULTILINE)
    assert listed[:5] == ["check", "plan", "start", "today", "session"]
    assert listed.index("history") < listed.index("list") < listed.index("profile")


def test_profile_set_help_lists_no_red_flags_it_cannot_take(
    runner: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLUMNS", "80")
    assert "hot-swollen-joint" not in run(runner, "profile", "set", "--help").stdout
    assert "hot-swollen-joint" in run(runner, "plan", "--help").stdout
    equipment = run(runner, "plan", "--help").stdout.split("Equipment:")[1]
    assert re.search(r"^    leg-extension  +a leg-extension machine", equipment, re.MULTILINE)


def test_history_names_its_columns_and_keeps_them_in_line(
    runner: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert run(runner, "start", "--level", "beginner").exit_code == 0
    for exercise, amount in (
        ("l-sit-one-leg", ["--hold", "10"]),
        ("tib-raise-wall", ["--reps", "20"]),
    ):
        logged = run(runner, "log", exercise, "--sets", "2", *amount, "--pain-during", "1")
        assert logged.exit_code == 0, logged.output
    monkeypatch.setenv("COLUMNS", "80")
    lines = run(runner, "history").stdout.splitlines()
    assert re.match(r"  Exercise +Done +Target +Pain during$", lines[0])
    column = lines[0].index("Done")
    rows = [line for line in lines if re.search(r"\d/10$", line)]
    assert len(rows) == 2 and all(line.index(" of ") < column + 12 for line in rows)
    assert len({line.index(" of ") for line in rows}) == 1


def test_todays_reasons_keep_their_indent_and_a_dose_whole_at_40_columns(
    runner: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert run(runner, "start", "--level", "beginner").exit_code == 0
    monkeypatch.setenv("COLUMNS", "40")
    out = run(runner, "today").stdout
    reasons = out.split("Why these doses\n")[1].splitlines()
    assert reasons and all(line.startswith("• ") or line.startswith(" " * 9) for line in reasons), (
        reasons
    )
    assert not any(line.rstrip().endswith(("2", "3")) for line in reasons)  # no '2 / × 20'
