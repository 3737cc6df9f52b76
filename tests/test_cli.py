"""The command line's wiring: exit codes, stdout versus stderr, and messages people can act on."""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from kotcoach.base.vocab import RED_FLAG_TEXT, RED_FLAG_URGENCY, URGENCY_ADVICE, RedFlag
from kotcoach.cli import app
from kotcoach.cli import plan as cli_plan
from tests.conftest import MINI

ESC = "\x1b"


def run(runner: CliRunner, *args: str, input: str | None = None):  # type: ignore[no-untyped-def]
    return runner.invoke(app, list(args), input=input, prog_name="kotcoach")


def one_error_line(result) -> str:  # type: ignore[no-untyped-def]
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert "Traceback" not in result.stderr + result.stdout
    return lines[0]


# --- every command is documented -------------------------------------------------------------


def _commands() -> list[list[str]]:
    import typer.main

    group = typer.main.get_command(app)
    names: list[list[str]] = []
    for name, command in group.commands.items():  # type: ignore[attr-defined]
        subcommands = getattr(command, "commands", None)
        if subcommands:
            names += [[name, sub] for sub in subcommands]
        else:
            names.append([name])
    return names


def test_all_commands_are_present() -> None:
    assert sorted(" ".join(c) for c in _commands()) == [
        "card",
        "catalog schema",
        "catalog validate",
        "check",
        "checkin",
        "conditions",
        "data backup",
        "data export",
        "data import",
        "data path",
        "data restore",
        "history",
        "ladder",
        "list",
        "log",
        "myths",
        "next",
        "plan",
        "profile list",
        "profile set",
        "profile show",
        "progress",
        "score",
        "serve",
        "session",
        "show",
        "sources",
        "start",
        "test calf-raise",
        "test knee-to-wall",
        "test tib-raise",
        "today",
    ]


@pytest.mark.parametrize("command", _commands(), ids=" ".join)
def test_every_command_has_help_and_an_example(runner: CliRunner, command: list[str]) -> None:
    result = run(runner, *command, "--help")
    assert result.exit_code == 0
    assert "Usage: kotcoach " + " ".join(command) in result.stdout
    assert "Example" in result.stdout
    usage = result.stdout.splitlines()[0]
    assert "{" not in usage, usage  # 'show [OPTIONS] ID', not typer's '{ID}'
    assert ESC not in result.stdout
    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
    assert f"kotcoach {' '.join(command)}" in readme, "every command is documented in the README"


def test_version_reads_package_metadata(runner: CliRunner) -> None:
    from importlib.metadata import version

    result = run(runner, "--version")
    assert result.exit_code == 0
    assert result.stdout.strip() == f"kotcoach {version('kotcoach')}"


# --- list ---------------------------------------------------------------------------------------


def test_list_json_is_only_json_with_required_keys(runner: CliRunner, mini: Path) -> None:
    result = run(runner, "--catalog", str(mini), "list", "--json")
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    assert [row["id"] for row in data] == ["step-one", "step-two", "step-three", "lone-hinge"]
    assert {"id", "name", "level"} <= set(data[0])
    assert result.stderr == ""


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["--level", "beginner"], ["step-one", "lone-hinge"]),
        (["--area", "back"], ["lone-hinge"]),
        (["--equipment", "none"], ["step-one", "lone-hinge"]),
        (["--equipment", "step"], ["step-one", "step-two", "lone-hinge"]),
        (["--equipment", "step,dumbbells"], ["step-one", "step-two", "step-three", "lone-hinge"]),
        (["--search", "HINGE"], ["lone-hinge"]),
        (["--goal", "less-pain"], ["step-one"]),
        (["--condition", "sore-knee"], ["step-one", "step-three"]),
    ],
)
def test_list_filters(runner: CliRunner, mini: Path, args: list[str], expected: list[str]) -> None:
    result = run(runner, "--catalog", str(mini), "list", *args, "--json")
    assert result.exit_code == 0, result.stderr
    assert [row["id"] for row in json.loads(result.stdout)] == expected


def test_list_table_shows_ladder_position(runner: CliRunner, mini: Path) -> None:
    result = run(runner, "--catalog", str(mini), "list")
    assert result.exit_code == 0
    row = next(line for line in result.stdout.splitlines() if "step-two" in line)
    assert "intermediate" in row and "2/3" in row and "step" in row


@pytest.mark.parametrize("columns", ["60", "80", "120"])
def test_list_keeps_every_id_whole_at_any_width(
    runner: CliRunner, monkeypatch: pytest.MonkeyPatch, columns: str
) -> None:
    from kotcoach.catalogue.loading import builtin_catalog_path
    from kotcoach.catalogue.read import load_catalog

    monkeypatch.setenv("COLUMNS", columns)
    result = run(runner, "list")
    assert result.exit_code == 0
    words = set(re.findall(r"[a-z0-9]+(?:-[a-z0-9]+)*", result.stdout))
    for exercise in load_catalog(builtin_catalog_path()).exercises:
        assert exercise.id in words, exercise.id
    assert max(len(line) for line in result.stdout.splitlines()) <= int(columns)


def test_output_to_a_file_has_no_colour_codes(runner: CliRunner) -> None:
    result = run(runner, "show", "tib-raise-wall")
    assert result.exit_code == 0
    assert ESC not in result.stdout


def test_unknown_level_is_a_usage_error_listing_levels(runner: CliRunner) -> None:
    result = run(runner, "list", "--level", "expert")
    assert result.exit_code == 2
    assert "beginner" in result.stderr and "intermediate" in result.stderr


def test_unknown_equipment_lists_valid_values(runner: CliRunner) -> None:
    result = run(runner, "list", "--equipment", "kettlebel")
    assert result.exit_code == 2
    line = one_error_line(result)
    assert "unknown equipment 'kettlebel'" in line and "slant-board" in line


# --- show ---------------------------------------------------------------------------------------


def test_show_prints_ladder_dose_cues_and_cautions(runner: CliRunner, mini: Path) -> None:
    result = run(runner, "--catalog", str(mini), "show", "step-one")
    assert result.exit_code == 0
    out = result.stdout
    assert "(first step) ← step-one → step-two" in out
    assert "2 × 10" in out
    assert "1. Heel stays down" in out
    assert "Sore knee: Watch the kneecap." in out
    assert "→ Use a shorter range." in out
    assert "[ref-a] Doe J (2020). J Test 1(2):3–4" in out


def test_show_json(runner: CliRunner, mini: Path) -> None:
    result = run(runner, "--catalog", str(mini), "show", "step-two", "--json")
    data = json.loads(result.stdout)
    assert data["id"] == "step-two"
    assert data["easier"] == "step-one"
    assert data["ladder"] == ["step-one", "step-two", "step-three"]


def test_show_unknown_id_suggests(runner: CliRunner, mini: Path) -> None:
    result = run(runner, "--catalog", str(mini), "show", "step-too")
    assert result.exit_code == 1
    line = one_error_line(result)
    assert "no exercise has the id 'step-too'" in line
    assert "did you mean 'step-two'" in line
    assert result.stdout == ""


# --- catalogue choice and validation ---------------------------------------------------------


def test_environment_variable_chooses_catalogue(
    runner: CliRunner, mini: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("KOTCOACH_CATALOG", str(mini))
    result = run(runner, "list", "--json")
    assert len(json.loads(result.stdout)) == 4


def test_validate_reports_every_problem(runner: CliRunner, write_yaml) -> None:  # type: ignore[no-untyped-def]
    path = write_yaml(
        MINI.replace("level: intermediate", "level: expert").replace(
            "progression: step-three", "progression: step-three\n    colour: red"
        )
    )
    result = run(runner, "catalog", "validate", str(path))
    assert result.exit_code == 1
    lines = result.stderr.strip().splitlines()
    assert lines[0] == (
        f"{path}:20:12: exercises.1.level: Input should be 'beginner', 'intermediate' or 'advanced'"
    )
    assert lines[1].startswith(f"{path}:22:5: exercises.1.colour: unknown key 'colour'")
    assert lines[2] == f"kotcoach: {path}: 2 problems found"
    assert result.stdout == ""


def test_validate_valid_file(runner: CliRunner, mini: Path) -> None:
    result = run(runner, "catalog", "validate", str(mini))
    assert result.exit_code == 0
    assert "valid: 4 exercises in 2 ladders (1 of 3 or more steps), 1 conditions" in result.stdout


def test_schema_is_json_schema_of_the_format(runner: CliRunner) -> None:
    result = run(runner, "catalog", "schema")
    schema = json.loads(result.stdout)
    assert schema["required"] == ["exercises"]
    exercise = schema["$defs"]["Exercise"]
    assert exercise["additionalProperties"] is False
    assert {"id", "name", "level", "cues"} <= set(exercise["required"])


@pytest.mark.parametrize(
    ("text", "where", "what"),
    [
        ("exercises:\n  - id: a\n    name: [x\n", ":4:1", "YAML syntax error"),
        ("exercises: []\n", ":1:12: exercises", "at least 1 item"),
        ("", "", "the file is empty"),
        (MINI.replace("level: advanced", "level: pro"), ":28:12: exercises.2.level", "'advanced'"),
        (
            MINI.replace("sets: 2, reps: 10", "sets: two, reps: 10"),
            ":7:18: exercises.0.dose.sets",
            "integer",
        ),
        (
            MINI.replace("    name: Lone hinge\n", "    name: Lone hinge\n    nmae: x\n"),
            ":35:5: exercises.3.nmae",
            "did you mean 'name'",
        ),
        (MINI.replace("id: lone-hinge", "id: step-two"), ":33:9: exercises.3.id", "duplicate id"),
        (
            MINI.replace("progression: step-three", "progression: nowhere"),
            ":21:18: exercises.1.progression",
            "no exercise has the id 'nowhere'",
        ),
        (
            MINI.replace("progression: step-three", "progression: step-two"),
            ":21:18: exercises.1.progression",
            "cannot progress to itself",
        ),
    ],
)
def test_bad_catalogue_gives_one_line_with_file_and_line(
    runner: CliRunner,
    write_yaml,
    text: str,
    where: str,
    what: str,  # type: ignore[no-untyped-def]
) -> None:
    path = write_yaml(text)
    result = run(runner, "--catalog", str(path), "list")
    assert result.exit_code == 1
    line = one_error_line(result)
    assert line.startswith(f"kotcoach: error: {path}{where}"), line
    assert what in line
    assert result.stdout == ""


def test_non_utf8_catalogue(runner: CliRunner, tmp_path: Path) -> None:
    path = tmp_path / "bad.yaml"
    path.write_bytes(b"exercises:\n  - id: \xff\n")
    result = run(runner, "--catalog", str(path), "list")
    assert result.exit_code == 1
    assert f"{path}:2:9: byte 0xff is not UTF-8" in one_error_line(result)


@pytest.mark.parametrize("kind", ["missing", "directory"])
def test_catalogue_path_problems(runner: CliRunner, tmp_path: Path, kind: str) -> None:
    path = tmp_path / "nope.yaml" if kind == "missing" else tmp_path
    result = run(runner, "--catalog", str(path), "list")
    assert result.exit_code == 1
    line = one_error_line(result)
    assert str(path) in line
    assert ("no such file" if kind == "missing" else "is a directory") in line


def test_many_problems_point_to_validate(runner: CliRunner, write_yaml) -> None:  # type: ignore[no-untyped-def]
    path = write_yaml(MINI.replace("level: beginner", "level: newbie"))
    result = run(runner, "--catalog", str(path), "list")
    line = one_error_line(result)
    assert f"1 more problem: run 'kotcoach catalog validate {path}' to see them" in line


# --- catalogue text is data --------------------------------------------------------------------


def test_markup_in_catalogue_text_prints_literally(runner: CliRunner, write_yaml) -> None:  # type: ignore[no-untyped-def]
    path = write_yaml(MINI.replace("name: Step one", 'name: "[bold red]x[/bold red]"'))
    for args in (["list"], ["show", "step-one"]):
        result = run(runner, "--catalog", str(path), *args)
        assert result.exit_code == 0
        assert "[bold red]x[/bold red]" in result.stdout


def test_control_characters_are_escaped(runner: CliRunner, write_yaml) -> None:  # type: ignore[no-untyped-def]
    path = write_yaml(MINI.replace("name: Step one", 'name: "Step \\e[31mone\\a"'))
    result = run(runner, "--catalog", str(path), "show", "step-one")
    assert result.exit_code == 0
    assert ESC not in result.stdout and "\a" not in result.stdout
    assert "Step \\x1b[31mone\\x07" in result.stdout


# --- myths, conditions, ladder --------------------------------------------------------------


def test_myths_and_conditions(runner: CliRunner, mini: Path) -> None:
    myths = run(runner, "--catalog", str(mini), "myths")
    assert "Keep your knees back" in myths.stdout and "Back load was not measured." in myths.stdout
    conditions = run(runner, "--catalog", str(mini), "conditions")
    assert "sore-knee" in conditions.stdout
    one = run(runner, "--catalog", str(mini), "conditions", "sore-knee")
    assert "A hot, swollen knee" in one.stdout
    assert "Pain may reach 5/10 during exercise." in one.stdout
    missing = run(runner, "--catalog", str(mini), "conditions", "sore-kne")
    assert missing.exit_code == 1
    assert "did you mean 'sore-knee'" in one_error_line(missing)


def test_ladder_shows_steps_and_criteria(runner: CliRunner, mini: Path) -> None:
    result = run(runner, "--catalog", str(mini), "ladder", "step-two", "--json")
    (ladder,) = json.loads(result.stdout)
    assert [step["id"] for step in ladder] == ["step-one", "step-two", "step-three"]
    assert ladder[0]["move_up"].startswith("2 × 10 done in full with pain 2/10 or less")
    assert ladder[2]["move_up"].startswith("top step")
    assert "pain above 5/10" in ladder[1]["move_down"]
    text = run(runner, "--catalog", str(mini), "ladder")
    assert "lone-hinge" in text.stdout and "up:" in text.stdout


# --- plan ---------------------------------------------------------------------------------------


def test_plan_json_shape(runner: CliRunner) -> None:
    result = run(runner, "plan", "--level", "beginner", "--json")
    assert result.exit_code == 0, result.stderr
    plan = json.loads(result.stdout)
    assert len(plan["sessions"]) == 3
    for session in plan["sessions"]:
        assert session["warm_up"]["id"] == "backward-walk"
        assert session["minutes"] <= 20
        for exercise in session["exercises"]:
            assert {"id", "level", "dose"} <= set(exercise)
            assert exercise["level"] == "beginner"


def test_plan_table_shows_days_and_reasons(runner: CliRunner) -> None:
    result = run(runner, "plan", "--level", "beginner", "--pain", "knee=4")
    assert result.exit_code == 0
    assert "A beginner week: 3 days, about 20 minutes each" in result.stdout
    assert "Day 1 · about" in result.stdout and "Day 3 · about" in result.stdout
    assert "knee 4/10: less range, depth or pace" in result.stdout
    assert "During exercise: pain may reach 5/10, never more." in result.stdout


def test_plan_red_flag_stops_with_exit_3(runner: CliRunner) -> None:
    result = run(runner, "plan", "--level", "beginner", "--red-flag", "cannot-bear-weight")
    assert result.exit_code == 3
    assert "See a doctor today" in result.stdout
    assert "cannot bear weight or take four steps" in result.stdout
    assert "Day 1" not in result.stdout
    as_json = run(runner, "plan", "--level", "beginner", "--red-flag", "numbness", "--json")
    assert as_json.exit_code == 3
    assert json.loads(as_json.stdout)["stop"] is True


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--level", "expert"], "beginner"),
        (["--level", "beginner", "--pain", "knee="], "must look like AREA=0..10"),
        (["--level", "beginner", "--pain", "knee=abc"], "whole number from 0 to 10"),
        (["--level", "beginner", "--pain", "knee=11"], "whole number from 0 to 10"),
        (["--level", "beginner", "--pain", "elbow=3"], "unknown area 'elbow'"),
        (["--level", "beginner", "--goal", "fame"], "less-pain"),
        (["--level", "beginner", "--condition", "gout"], "unknown condition 'gout'"),
        (["--level", "beginner", "--equipment", "rings"], "unknown equipment 'rings'"),
        (["--level", "beginner", "--red-flag", "sore"], "hot-swollen-joint"),
        (["--level", "beginner", "--days", "9"], "--days must be 1 to 7"),
    ],
)
def test_plan_bad_input_exits_2_listing_valid_values(
    runner: CliRunner, args: list[str], message: str
) -> None:
    result = run(runner, "plan", *args)
    assert result.exit_code == 2
    assert message in result.stderr
    assert "Traceback" not in result.stderr
    assert result.stdout == ""


def test_plan_no_fit_exits_1_naming_what_to_relax(runner: CliRunner, write_yaml) -> None:  # type: ignore[no-untyped-def]
    long_walk = MINI.replace("dose: {sets: 2, reps: 10}", "dose: {sets: 1, minutes: 30}")
    path = write_yaml(
        long_walk.replace("dose: {sets: 2, reps: 12}", "dose: {sets: 1, minutes: 30}")
    )
    result = run(runner, "--catalog", str(path), "plan", "--level", "beginner", "--minutes", "20")
    assert result.exit_code == 1
    line = one_error_line(result)
    assert "no exercise fits in 20 minutes" in line and "raise --minutes" in line
    sled_only = write_yaml(
        MINI.replace("areas: [back, hip]", "areas: [back]\n    equipment: [sled]")
    )
    result = run(
        runner, "--catalog", str(sled_only), "plan", "--level", "beginner", "--goal", "daily-life"
    )
    assert result.exit_code == 1
    assert (
        "no exercise fits these constraints (drop --goal; add --equipment you have)"
        in one_error_line(result)
    )


# --- check ----------------------------------------------------------------------------------


def test_check_without_answers_or_terminal_is_a_usage_error(runner: CliRunner) -> None:
    result = run(runner, "check")
    assert result.exit_code == 2
    assert "--no-red-flags" in one_error_line(result)


def test_check_from_flags(runner: CliRunner) -> None:
    result = run(runner, "check", "--no-red-flags", "--pain", "knee=4", "--json")
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    assert data["zone"] == "amber"
    assert data["areas"][0] == {
        "area": "knee",
        "pain": 4,
        "zone": "amber",
        "advice": data["areas"][0]["advice"],
    }
    assert data["next"] == "kotcoach plan --level beginner --pain knee=4"


def test_check_red_flag_from_flags(runner: CliRunner) -> None:
    result = run(runner, "check", "--red-flag", "saddle-numbness")
    assert result.exit_code == 3
    assert "Go to an emergency department now" in result.stdout
    assert "numbness or tingling around the groin, genitals or buttocks" in result.stdout


def test_check_asks_in_a_terminal(runner: CliRunner, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(cli_plan, "_stdin_is_terminal", lambda: True)
    # level, equipment, conditions, a fall in the last year
    answers = "n\n" * len(RedFlag) + "7\n0\n2\n\n" + "\n\n\n\n"
    result = run(runner, "check", input=answers)
    assert result.exit_code == 0, result.stdout
    assert f"of {len(RedFlag)}. Is a joint hot, red or swollen? [y/n]" in result.stderr
    assert "Pain now in your knee (0-10)" in result.stderr
    assert "Overall: red — no loading exercise for this area" in result.stdout
    # The referral comes before any plan command.
    referral = result.stdout.index("See a physiotherapist or doctor before loading your knee")
    command = result.stdout.index("kotcoach plan --level beginner --pain knee=7 --pain hip=2")
    assert referral < command


def test_check_in_a_terminal_stops_at_a_red_flag(
    runner: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(cli_plan, "_stdin_is_terminal", lambda: True)
    result = run(runner, "check", input="y\n")
    assert result.exit_code == 3
    # The most urgent signs are asked first, and the first yes stops the questions.
    assert "loss of bladder or bowel control" in result.stdout
    assert "emergency department" in result.stdout
    assert "Pain now in your knee" not in result.stderr


def test_check_reasks_out_of_range_pain(runner: CliRunner, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(cli_plan, "_stdin_is_terminal", lambda: True)
    answers = "n\n" * len(RedFlag) + "12\n3\n0\n0\n0\n" + "\n\n\n\n"
    result = run(runner, "check", "--json", input=answers)
    assert "Give a whole number from 0 to 10." in result.stderr
    assert result.exit_code == 0
    knee = json.loads(result.stdout)["areas"][0]  # stdout is only the JSON, prompts and all
    assert (knee["area"], knee["pain"], knee["zone"]) == ("knee", 3, "amber")


def test_no_color_removes_colour_even_on_a_forced_terminal(
    runner: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    colour = re.compile(r"\x1b\[[0-9;]*(3[0-7]|38;|9[0-7])[0-9;]*m")
    monkeypatch.setenv("FORCE_COLOR", "1")
    coloured = run(runner, "show", "tib-raise-wall")
    assert colour.search(coloured.stdout), "the forced terminal should get colour"
    monkeypatch.setenv("NO_COLOR", "1")
    plain = run(runner, "show", "tib-raise-wall")
    assert not colour.search(plain.stdout)


@pytest.mark.parametrize(
    "command",
    [
        ["plan", "--level", "beginner"],
        ["card", "--ladder", "fhl-calf-raise-floor"],
        ["ladder"],
        ["conditions", "knee-pain"],
    ],
)
def test_narrow_terminal_keeps_ids_whole(
    runner: CliRunner, monkeypatch: pytest.MonkeyPatch, command: list[str]
) -> None:
    monkeypatch.setenv("COLUMNS", "60")
    result = run(runner, *command)
    assert result.exit_code == 0
    assert max(len(line) for line in result.stdout.splitlines()) <= 60
    words = set(re.findall(r"[a-z0-9]+(?:-[a-z0-9]+)+", result.stdout))
    from kotcoach.catalogue.loading import builtin_catalog_path
    from kotcoach.catalogue.read import load_catalog

    ids = {e.id for e in load_catalog(builtin_catalog_path()).exercises}
    # Every id-shaped fragment printed is a whole id, never a cut one ("fhl-calf-raise-flo").
    from kotcoach.base.vocab import Equipment

    words -= set(Equipment)  # "slant-board" is equipment, not a cut "slant-board-squat"
    fragments = {w for w in words if any(i.startswith(w) for i in ids) and w not in ids}
    assert not {f for f in fragments if f.count("-") >= 1 and len(f) > 8}, fragments


# --- card and --export ---------------------------------------------------------------------


def test_card_shows_cues_steps_and_condition_cautions(runner: CliRunner, mini: Path) -> None:
    result = run(runner, "--catalog", str(mini), "card", "step-one", "--condition", "sore-knee")
    assert result.exit_code == 0
    out = result.stdout
    assert "Step one" in out and "2 × 10" in out
    assert "1. Heel stays down" in out
    assert "Harder: Step two" in out
    assert "Sore knee: Watch the kneecap." in out
    plain = run(runner, "--catalog", str(mini), "card", "step-one")
    assert "Cautions: kotcoach show step-one" in plain.stdout
    assert "Watch the kneecap" not in plain.stdout


def test_card_ladder_gives_every_step(runner: CliRunner, mini: Path) -> None:
    result = run(runner, "--catalog", str(mini), "card", "--ladder", "step-two")
    titles = [line for line in result.stdout.splitlines() if line.startswith("╭─ Step")]
    assert [t.split("─ ")[1].split("  ")[0] for t in titles] == [
        "Step one",
        "Step two",
        "Step three",
    ]


def test_card_needs_an_id(runner: CliRunner) -> None:
    result = run(runner, "card")
    assert result.exit_code == 2
    assert "name at least one exercise ID, or --ladder ID" in one_error_line(result)


def test_card_export_writes_the_file(runner: CliRunner, mini: Path, tmp_path: Path) -> None:
    target = tmp_path / "cards.md"
    result = run(
        runner, "--catalog", str(mini), "card", "--ladder", "step-one", "--export", str(target)
    )
    assert result.exit_code == 0
    assert result.stderr.strip() == f"kotcoach: wrote 3 cards to {target}"
    text = target.read_text(encoding="utf-8")
    assert "### Step one" in text and "Go all the way" in text


def test_export_unknown_id_writes_nothing(runner: CliRunner, mini: Path, tmp_path: Path) -> None:
    target = tmp_path / "cards.html"
    result = run(runner, "--catalog", str(mini), "card", "step-on", "--export", str(target))
    assert result.exit_code == 1
    assert "did you mean 'step-one'" in one_error_line(result)
    assert not target.exists()


def test_export_unknown_suffix_is_a_usage_error(runner: CliRunner, tmp_path: Path) -> None:
    result = run(runner, "card", "tib-raise-wall", "--export", str(tmp_path / "cards.docx"))
    assert result.exit_code == 2
    line = one_error_line(result)
    assert ".md, .html or .pdf" in line


def test_export_missing_folder_and_existing_file(runner: CliRunner, tmp_path: Path) -> None:
    missing = run(runner, "card", "tib-raise-wall", "--export", str(tmp_path / "no" / "c.md"))
    assert missing.exit_code == 1
    assert f"the folder {tmp_path / 'no'} does not exist" in one_error_line(missing)
    existing = tmp_path / "c.md"
    existing.write_text("keep me", encoding="utf-8")
    refused = run(runner, "card", "tib-raise-wall", "--export", str(existing))
    assert refused.exit_code == 1
    assert "pass --force to overwrite it" in one_error_line(refused)
    assert existing.read_text(encoding="utf-8") == "keep me"
    forced = run(runner, "card", "tib-raise-wall", "--export", str(existing), "--force")
    assert forced.exit_code == 0
    assert "Tibialis raise" in existing.read_text(encoding="utf-8")


def test_plan_export_is_a_handout(runner: CliRunner, tmp_path: Path) -> None:
    target = tmp_path / "week.html"
    result = run(runner, "plan", "--level", "beginner", "--export", str(target))
    assert result.exit_code == 0
    page = target.read_text(encoding="utf-8")
    assert page.index("Day 1") < page.index('class="card"')
    assert "http://" not in page and "https://" not in page


def test_plan_export_with_a_red_flag_writes_nothing(runner: CliRunner, tmp_path: Path) -> None:
    target = tmp_path / "week.pdf"
    result = run(
        runner, "plan", "--level", "beginner", "--red-flag", "fever", "--export", str(target)
    )
    assert result.exit_code == 3
    assert not target.exists()


def test_pdf_without_fpdf2_says_how_to_install(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import sys

    monkeypatch.setitem(sys.modules, "fpdf", None)
    result = run(runner, "card", "tib-raise-wall", "--export", str(tmp_path / "c.pdf"))
    assert result.exit_code == 1
    assert "pip install 'kotcoach[pdf]'" in one_error_line(result)
    assert not (tmp_path / "c.pdf").exists()


def test_a_misspelt_level_in_a_catalogue_gets_a_suggestion(runner: CliRunner, write_yaml) -> None:  # type: ignore[no-untyped-def]
    path = write_yaml(MINI.replace("level: beginner", "level: beginer", 1))
    result = run(runner, "--catalog", str(path), "list")
    assert "(did you mean 'beginner'?)" in one_error_line(result)


def test_plan_defaults_to_beginner(runner: CliRunner) -> None:
    result = run(runner, "plan", "--json")
    assert result.exit_code == 0
    assert json.loads(result.stdout)["level"] == "beginner"


def test_python_dash_m_runs_the_cli() -> None:
    import subprocess
    import sys

    result = subprocess.run(
        [sys.executable, "-m", "kotcoach", "list", "--level", "advanced", "--json"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert {row["level"] for row in json.loads(result.stdout)} == {"advanced"}


def test_plan_header_grammar_for_one_day(runner: CliRunner) -> None:
    result = run(runner, "plan", "--level", "intermediate", "--days", "1")
    assert "An intermediate week: 1 day, about 35 minutes\n" in result.stdout


@pytest.mark.parametrize("command", [["list"], ["show", "tib-raise-wall"], ["plan"], ["myths"]])
def test_piped_output_has_no_trailing_padding(runner: CliRunner, command: list[str]) -> None:
    result = run(runner, *command)
    assert result.exit_code == 0
    assert [line for line in result.stdout.splitlines() if line != line.rstrip()] == []


def test_usage_errors_point_at_the_command_help(runner: CliRunner) -> None:
    result = run(runner, "plan", "--pain", "knee")
    assert one_error_line(result).endswith("See 'kotcoach plan --help'")


@pytest.mark.parametrize("flag", list(RedFlag))
@pytest.mark.parametrize(
    "trouble",
    [
        [],
        ["--level", "begginer"],  # a bad option value
        ["--catalog", "/nonexistent/catalogue.yaml"],  # a catalogue that cannot be read
        ["--export", "README.md"],  # a handout that exists already
        ["--no-red-flags"],  # a contradiction
    ],
    ids=["alone", "bad-level", "no-catalogue", "existing-export", "contradiction"],
)
def test_every_red_flag_stops_plan_and_check_whatever_else_is_wrong(
    runner: CliRunner, flag: RedFlag, trouble: list[str]
) -> None:
    for command in ("plan", "check"):
        if command == "check" and trouble and trouble[0] in ("--export",):
            continue
        args = [command, "--red-flag", flag.value, *trouble]
        if trouble and trouble[0] == "--catalog":
            args = [*trouble, command, "--red-flag", flag.value]
        result = run(runner, *args)
        assert result.exit_code == 3, (args, result.stdout, result.stderr)
        advice = URGENCY_ADVICE[RED_FLAG_URGENCY[flag]]
        assert advice in " ".join(result.stdout.replace("┃", " ").split()), args
        assert RED_FLAG_TEXT[flag].split(",")[0] in " ".join(result.stdout.split()), args
        assert "Day 1" not in result.stdout


def test_red_flag_json_stop_names_urgency(runner: CliRunner) -> None:
    result = run(runner, "plan", "--red-flag=hot-swollen-calf", "--json")
    assert result.exit_code == 3
    data = json.loads(result.stdout)
    assert data["stop"] is True and data["urgency"] == "emergency"
    assert data["red_flags"] == ["hot-swollen-calf"]


def test_plan_json_has_a_referral_exactly_at_six_or_more(runner: CliRunner) -> None:
    calm = json.loads(run(runner, "plan", "--pain", "knee=5", "--json").stdout)
    assert calm["referral"] is None
    severe = json.loads(run(runner, "plan", "--pain", "knee=6", "--json").stdout)
    assert severe["referral"].startswith("See a physiotherapist or doctor before loading your knee")


def test_plan_shows_the_referral_before_day_1(runner: CliRunner) -> None:
    result = run(runner, "plan", "--pain", "knee=9")
    assert result.exit_code == 0
    text = " ".join(result.stdout.replace("│", " ").split())
    assert text.index("See a physiotherapist or doctor") < text.index("Day 1")


def test_check_without_a_terminal_says_red_flags_were_not_screened(runner: CliRunner) -> None:
    unscreened = run(runner, "check", "--pain", "knee=4")
    assert unscreened.exit_code == 0
    assert "Red flags were not screened" in unscreened.stdout
    assert "No red flags reported" not in unscreened.stdout
    screened = run(runner, "check", "--no-red-flags", "--pain", "knee=4")
    assert "No red flags reported" in screened.stdout
    as_json = json.loads(run(runner, "check", "--pain", "knee=4", "--json").stdout)
    assert as_json["red_flags_screened"] is False


def test_an_area_given_twice_keeps_its_worst_pain(runner: CliRunner) -> None:
    for order in (["knee=6", "knee=0"], ["knee=0", "knee=6"]):
        args = [a for value in order for a in ("--pain", value)]
        data = json.loads(run(runner, "check", "--no-red-flags", *args, "--json").stdout)
        assert data["zone"] == "red", order
        assert data["referral"] is not None


@pytest.mark.parametrize("value", ["knee=²", "knee=①", "knee=" + "9" * 5000, "knee=١", "knee=11"])
def test_pain_scores_must_be_ascii_whole_numbers(runner: CliRunner, value: str) -> None:
    result = run(runner, "plan", "--pain", value)
    assert result.exit_code == 2
    assert "whole number from 0 to 10" in one_error_line(result)


def test_every_command_is_mapped_to_the_module_that_registers_it() -> None:
    # main() imports only the named command's module; a command missing from the map would
    # be "No such command" from the console script while every CliRunner test passed.
    from typer.main import get_command

    from kotcoach.cli import COMMAND_MODULES, modules_for

    group = get_command(app)
    assert set(COMMAND_MODULES) == set(group.commands)  # type: ignore[attr-defined]
    for name, command in group.commands.items():  # type: ignore[attr-defined]
        callback = command.callback or next(iter(command.commands.values())).callback
        assert callback.__module__ == f"kotcoach.cli.{COMMAND_MODULES[name]}", name
    assert modules_for(["--catalog", "list", "show", "x"]) == ["browse"]
    assert modules_for(["--profile=sam", "today"]) == ["log"]
    assert modules_for(["--help"]) is None and modules_for(["nonsense"]) is None


def test_the_console_script_runs_a_command_from_each_module(tmp_path: Path) -> None:
    import subprocess
    import sys

    env = {**os.environ, "KOTCOACH_DATA_DIR": str(tmp_path / "data")}
    for args in (
        ["list", "--level", "advanced"],
        ["sources"],
        ["catalog", "validate"],
        ["profile", "list"],
        ["history"],
        ["plan", "--json"],
    ):
        result = subprocess.run(
            [sys.executable, "-m", "kotcoach", *args], capture_output=True, text=True, env=env
        )
        assert result.returncode == 0, (args, result.stderr)
        assert "No such command" not in result.stderr


def test_the_console_script_builds_only_the_named_command() -> None:
    """main() registers only the command named (typer builds every registered one first); each
    name keeps exactly its own command, and the app itself keeps them all."""
    from typer.main import get_command

    from kotcoach.cli import COMMAND_MODULES, command_for, load_commands, only

    everything = set(get_command(app).commands)  # type: ignore[attr-defined]
    for name, module in COMMAND_MODULES.items():
        alone = get_command(only(load_commands([module]), name))
        assert list(alone.commands) == [name], name  # type: ignore[attr-defined]
    assert set(get_command(app).commands) == everything  # type: ignore[attr-defined]
    assert command_for(["--profile", "sam", "today", "--json"]) == "today"
    assert command_for(["--help", "list"]) is None  # the help lists every command
    assert command_for(["--version"]) is None and command_for(["lis"]) is None
