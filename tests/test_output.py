"""What people see: plans that fit the terminal, handouts' options, and the confirmations."""

from __future__ import annotations

import datetime
import json
import re
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import CliRunner

from kotcoach.cli import app
from kotcoach.cli._handout import byline, default_paper


def run(runner: CliRunner, *args: str):  # type: ignore[no-untyped-def]
    return runner.invoke(app, list(args), prog_name="kotcoach")


# --- Handout options --------------------------------------------------------------------------


def test_plan_export_prints_one_confirmation_line_and_no_plan(
    runner: CliRunner, tmp_path: Path
) -> None:
    target = tmp_path / "week.html"
    result = run(runner, "plan", "--export", str(target), "--for", "Ann Lee")
    assert result.exit_code == 0, result.stderr
    assert result.stdout == ""
    pages = 1 + target.read_text(encoding="utf-8").count('<section class="sheet">')
    assert result.stderr == f"kotcoach: wrote {target}, {pages} pages\n"


def test_plan_export_with_json_still_writes_the_json(runner: CliRunner, tmp_path: Path) -> None:
    result = run(runner, "plan", "--export", str(tmp_path / "w.md"), "--json")
    assert result.exit_code == 0
    assert result.stdout.startswith("{")


def test_for_and_clinic_print_on_the_header_with_the_date(
    runner: CliRunner, tmp_path: Path
) -> None:
    target = tmp_path / "week.md"
    result = run(
        runner,
        "plan",
        "--export",
        str(target),
        "--for",
        "Ann Lee",
        "--clinic",
        "Riverside Physio, 01234 567890",
    )
    assert result.exit_code == 0
    today = datetime.date.today()
    expected = f"**For Ann Lee · Riverside Physio, 01234 567890 · {today.day} {today:%B %Y}**"
    lines = target.read_text(encoding="utf-8").splitlines()
    assert lines[2] == expected


def test_a_very_long_name_is_a_usage_error(runner: CliRunner, tmp_path: Path) -> None:
    result = run(runner, "plan", "--export", str(tmp_path / "w.md"), "--for", "x" * 121)
    assert result.exit_code == 2
    assert "--for is limited to 120 characters" in result.stderr
    assert not (tmp_path / "w.md").exists()


def test_byline_dates_the_handout() -> None:
    made = byline("Ann", None, datetime.date(2026, 3, 5))
    assert made.text == "For Ann · 5 March 2026"


@pytest.mark.parametrize(
    ("environ", "paper"),
    [
        ({"LANG": "en_US.UTF-8"}, "letter"),
        ({"LANG": "en_GB.UTF-8"}, "a4"),
        ({"LC_PAPER": "en_CA.UTF-8", "LANG": "en_GB.UTF-8"}, "letter"),
        ({"LC_ALL": "de_DE.UTF-8", "LC_PAPER": "en_US.UTF-8"}, "a4"),
        ({"LANG": "C.UTF-8"}, "a4"),
        ({}, "a4"),
    ],
)
def test_paper_defaults_from_the_locale(environ: dict[str, str], paper: str) -> None:
    assert default_paper(environ) == paper


def test_paper_letter_makes_letter_pages(runner: CliRunner, tmp_path: Path) -> None:
    pdfinfo = shutil.which("pdfinfo")
    if pdfinfo is None:
        pytest.skip("pdfinfo is not installed")
    target = tmp_path / "cards.pdf"
    result = run(runner, "card", "wall-sit", "--export", str(target), "--paper", "Letter")
    assert result.exit_code == 0, result.stderr
    info = subprocess.run([pdfinfo, target], capture_output=True, text=True, check=True).stdout
    assert re.search(r"Page size:\s+612(\.\d+)? x 792", info), info


def test_a_misspelt_paper_is_a_usage_error_with_a_suggestion(runner: CliRunner) -> None:
    result = run(runner, "card", "wall-sit", "--paper", "leter")
    assert result.exit_code == 2
    assert "--paper must be a4 or letter, not 'leter' (did you mean 'letter'?)" in result.stderr


def test_the_same_card_twice_is_one_card(runner: CliRunner, tmp_path: Path) -> None:
    target = tmp_path / "cards.md"
    result = run(runner, "card", "wall-sit", "wall-sit", "--export", str(target))
    assert result.exit_code == 0
    assert result.stderr.startswith(f"kotcoach: wrote 1 card to {target}")
    assert target.read_text(encoding="utf-8").count("\n### Wall sit\n") == 1
    screen = run(runner, "card", "wall-sit", "wall-sit")
    assert screen.stdout.count("Wall sit") == 1


def test_a_pdf_says_which_characters_it_cannot_draw(
    runner: CliRunner, write_yaml: Callable[[str], Path], tmp_path: Path
) -> None:
    from tests.conftest import MINI

    catalog = write_yaml(MINI.replace("name: Step one", "name: Step one 膝 🦵"))
    target = tmp_path / "cards.pdf"
    result = run(runner, "--catalog", str(catalog), "card", "step-one", "--export", str(target))
    assert result.exit_code == 0, result.stderr
    lines = result.stderr.splitlines()
    assert lines[0].startswith(f"kotcoach: wrote 1 card to {target}, ")
    assert lines[1].startswith("kotcoach: note: the PDF font has no glyphs for 膝 🦵;")
    assert ".html" in lines[1]


# --- The plan on screen -----------------------------------------------------------------------


def test_the_compact_plan_says_each_reason_once_and_details_show_every_row(
    runner: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLUMNS", "80")
    args = ["plan", "--pain", "knee=4", "--condition", "patellofemoral-pain"]
    compact = run(runner, *args)
    full = run(runner, *args, "--details")
    assert compact.exit_code == full.exit_code == 0
    # The rule that keeps an eased row there is said once in the summary, on every row in full.
    said = "made easier until it is 2/10 or less (our rule)"
    assert " ".join(compact.stdout.split()).count("2/10 or less") == 1
    assert said in " ".join(compact.stdout.split())
    held = "until knee pain now is 2/10 or less"
    assert " ".join(full.stdout.split()).count(held) > 3
    days = [out.stdout.split("What changed")[0].splitlines() for out in (compact, full)]
    days[1] = full.stdout.split("Why the plan")[0].splitlines()
    assert len(days[0]) < 0.6 * len(days[1])
    assert "wall-sit" in full.stdout and "wall-sit" not in compact.stdout
    warm_up = compact.stdout.split("Day 1")[0]
    assert "Backward walking *" in warm_up  # changed rows are marked, their change under them
    assert "(the rows marked *)" in compact.stdout
    from kotcoach.base.vocab import RED_FLAG_TEXT

    # Every red flag in full with --details; the compact plan points to them in one line.
    flat = " ".join(full.stdout.split())
    for words in RED_FLAG_TEXT.values():
        assert words in flat
    assert "Red flags: 'kotcoach check', --details." in compact.stdout


def test_weeks_show_as_columns_with_the_reason_when_nothing_changes(
    runner: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLUMNS", "120")
    result = run(runner, "plan", "--weeks", "4", "--pain", "knee=4")
    assert result.exit_code == 0
    header = next(line for line in result.stdout.splitlines() if "Week 1" in line)
    assert re.search(r"Week 1\s+Week 2\s+Week 3\s+Week 4", header)
    assert result.stdout.count("Day 1 · about") == 1
    assert "Same dose for" not in result.stdout  # a sentence says why, not a list of names
    # Each changed row carries its change under its name, in the weeks view too.
    assert "Wall sit *  " in result.stdout
    assert "knee 4/10: less range, depth or pace" in result.stdout
    # The reason reads as the handouts put it (wording.week_notes).
    flat = " ".join(result.stdout.split())
    assert "stays the same while pain holds it (until 2/10 or less: kotcoach's rule)" in flat


# --- check's questions ------------------------------------------------------------------------


def _terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    from kotcoach.cli import plan as cli_plan

    monkeypatch.setattr(cli_plan, "_stdin_is_terminal", lambda: True)


def test_check_numbers_its_questions_and_enter_alone_asks_again(
    runner: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    from kotcoach.base.vocab import RED_FLAG_QUESTIONS, RedFlag

    _terminal(monkeypatch)
    total = len(RedFlag)
    answers = "\n" + "n\n" * total + "0\n0\n0\n0\n" + "\n\n\n\n"  # the last: no fall
    result = runner.invoke(app, ["check"], input=answers, prog_name="kotcoach")
    assert result.exit_code == 0, result.stderr
    numbers = [int(n) for n in re.findall(rf"(\d+) of {total}\. ", result.stderr)]
    assert numbers == [1, *range(1, total + 1)]  # Enter alone asked question 1 again
    assert result.stderr.count("Answer y (yes) or n (no).") == 1
    asked = " ".join(result.stderr.split())  # long questions wrap between words
    for question in RED_FLAG_QUESTIONS.values():
        assert question in asked
        # Yes is always the worrying answer: no "Can you not ...?", "Is it not ...?".
        assert not re.match(r"^\w+(\s+\w+)?\s+not\b|^\w+n't\b", question), question


def test_check_asks_level_equipment_and_conditions_for_a_complete_command(
    runner: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    from kotcoach.base.vocab import RedFlag

    _terminal(monkeypatch)
    person = "2\ndumbels\nstep,dumbbells\npatellar-tendinopathy\nn\n"  # n: no fall
    answers = "n\n" * len(RedFlag) + "4\n0\n0\n0\n" + person
    result = runner.invoke(app, ["check", "--json"], input=answers, prog_name="kotcoach")
    assert result.exit_code == 0, result.stderr
    assert "Your training level" in result.stderr
    assert "(did you mean 'dumbbells'?)" in result.stderr  # a bad answer is asked again
    assert json.loads(result.stdout)["next"] == (
        "kotcoach plan --level intermediate --equipment dumbbells,step "
        "--condition patellar-tendinopathy --pain knee=4"
    )


def test_check_options_make_the_same_complete_command(runner: CliRunner) -> None:
    result = run(
        runner,
        "check",
        "--no-red-flags",
        "--pain",
        "knee=3",
        "--level",
        "advanced",
        "--equipment",
        "box",
        "--condition",
        "knee-pain",
        "--json",
    )
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)["next"] == (
        "kotcoach plan --level advanced --equipment box --condition knee-pain --pain knee=3"
    )


# --- Suggestions and case ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("args", "said"),
    [
        (["plan", "--level", "begginer"], "(did you mean 'beginner'?)"),
        (["plan", "--equipment", "dumbells"], "(did you mean 'dumbbells'?)"),
        (["plan", "--condition", "patellar-tendinopath"], "did you mean 'patellar-tendinopathy'"),
        (["ladder", "tib-raise-wal"], "did you mean 'tib-raise-wall'"),
        (["list", "--area", "kne"], "(did you mean 'knee'?)"),
        (["list", "--goal", "sportt"], "(did you mean 'sport'?)"),
        (["check", "--red-flag", "fevr"], "(did you mean 'fever'?)"),
        (["card", "wall-sit", "--paper", "leter"], "(did you mean 'letter'?)"),
    ],
)
def test_a_misspelt_value_gets_one_line_naming_the_closest(
    runner: CliRunner, args: list[str], said: str
) -> None:
    result = run(runner, *args)
    assert result.exit_code in (1, 2)
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("kotcoach: error: "), result.stderr
    assert said in lines[0]


@pytest.mark.parametrize(
    "args",
    [
        ["plan", "--level", "Beginner", "--json"],
        ["plan", "--level", "BEGINNER", "--equipment", "Step,BOX", "--json"],
        ["plan", "--condition", "Patellofemoral-Pain", "--pain", "Knee=3", "--json"],
        ["plan", "--goal", "Sport", "--json"],
        ["list", "--area", "KNEE", "--level", "Beginner", "--json"],
    ],
)
def test_vocabularies_ignore_case_everywhere(runner: CliRunner, args: list[str]) -> None:
    result = run(runner, *args)
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    if args[0] == "plan":
        lowered = [a.lower() for a in args]
        if "--equipment" in args:
            assert data["equipment"] == ["box", "step"]
        if "--condition" in args:
            assert data["conditions"] == ["patellofemoral-pain"]
        assert data["level"] == "beginner"
        assert "beginner" in lowered or "--level" not in args


def test_cards_take_the_name_and_clinic_saved_in_the_profile(
    runner: CliRunner, tmp_path: Path
) -> None:
    saved = run(runner, "profile", "set", "--for", "Sam Lee", "--clinic", "Hillside Physio")
    assert saved.exit_code == 0, saved.stderr
    target = tmp_path / "cards.md"
    result = run(runner, "card", "wall-sit", "--export", str(target))
    assert result.exit_code == 0, result.stderr
    assert "**For Sam Lee · Hillside Physio · " in target.read_text(encoding="utf-8")
    given = tmp_path / "given.md"
    run(runner, "card", "wall-sit", "--export", str(given), "--for", "Ann")
    assert "**For Ann · Hillside Physio · " in given.read_text(encoding="utf-8")
