"""Reading catalogues: every kind of bad input gets one message naming the file and line."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

import pytest

from kotcoach.base.errors import CatalogError, Problem
from kotcoach.catalogue.loading import builtin_catalog_path, check_catalog
from kotcoach.catalogue.read import load_catalog
from tests.conftest import MINI

WriteYaml = Callable[..., Path]


def problems_of(path: Path) -> list[Problem]:
    try:
        catalog, problems = check_catalog(path)
    except CatalogError as error:
        return error.problems
    assert catalog is None, "expected the catalogue to be rejected"
    return problems


def only_problem(path: Path) -> Problem:
    problems = problems_of(path)
    assert len(problems) == 1, problems
    return problems[0]


def test_mini_catalogue_loads(mini: Path) -> None:
    catalog = load_catalog(mini)
    assert [e.id for e in catalog.exercises] == ["step-one", "step-two", "step-three", "lone-hinge"]
    assert catalog.exercises[1].dose is not None
    assert catalog.exercises[1].dose.describe() == "3 × 8 per side"


def test_yaml_syntax_error_names_line(write_yaml: WriteYaml) -> None:
    path = write_yaml("exercises:\n  - id: a\n    name: [unclosed\n    level: beginner\n")
    problem = only_problem(path)
    assert problem.path == str(path)
    assert problem.line == 4
    assert "YAML syntax error" in problem.message


def test_wrong_type_names_line_and_field(write_yaml: WriteYaml) -> None:
    text = MINI.replace("dose: {sets: 2, reps: 10}", "dose: {sets: lots, reps: 10}")
    path = write_yaml(text)
    problem = only_problem(path)
    assert problem.loc == "exercises.0.dose.sets"
    assert problem.line == 7
    assert "integer" in problem.message


def test_unknown_level_lists_valid_levels(write_yaml: WriteYaml) -> None:
    path = write_yaml(MINI.replace("level: intermediate", "level: expert"))
    problem = only_problem(path)
    assert problem.loc == "exercises.1.level"
    assert problem.line == 20
    assert "'beginner', 'intermediate' or 'advanced'" in problem.message


def test_unknown_key_suggests_the_right_one(write_yaml: WriteYaml) -> None:
    path = write_yaml(MINI.replace("    cues: [Go all the way]", "    cue: [Go all the way]"))
    problems = problems_of(path)
    by_loc = {p.loc: p for p in problems}
    assert "unknown key 'cue' (did you mean 'cues'?)" in by_loc["exercises.2.cue"].message
    assert by_loc["exercises.2.cue"].line == 29
    assert "missing required key 'cues'" in by_loc["exercises.2.cues"].message


def test_duplicate_ids(write_yaml: WriteYaml) -> None:
    path = write_yaml(MINI.replace("id: lone-hinge", "id: step-one"))
    problem = only_problem(path)
    assert problem.loc == "exercises.3.id"
    assert problem.line == 33
    assert "duplicate id 'step-one'" in problem.message


def test_progression_to_missing_exercise_suggests(write_yaml: WriteYaml) -> None:
    path = write_yaml(MINI.replace("progression: step-three", "progression: step-thre"))
    problem = only_problem(path)
    assert problem.loc == "exercises.1.progression"
    assert problem.line == 21
    assert "no exercise has the id 'step-thre' (did you mean 'step-three'?)" in problem.message


def test_progression_to_itself(write_yaml: WriteYaml) -> None:
    path = write_yaml(MINI.replace("progression: step-three", "progression: step-two"))
    problem = only_problem(path)
    assert problem.loc == "exercises.1.progression"
    assert "cannot progress to itself" in problem.message


def test_progression_cycle(write_yaml: WriteYaml) -> None:
    text = MINI.replace(
        "    cues: [Go all the way]", "    progression: step-one\n    cues: [Go all the way]"
    )
    problem = only_problem(write_yaml(text))
    assert "cycle (step-one -> step-two -> step-three -> step-one)" in problem.message
    assert problem.loc == "exercises.2.progression"
    assert problem.line == 29


def test_two_steps_cannot_share_a_harder_step(write_yaml: WriteYaml) -> None:
    text = MINI.replace(
        "    cues: [Hinge at the hips]", "    progression: step-two\n    cues: [Hinge at the hips]"
    )
    problem = only_problem(write_yaml(text))
    assert problem.loc == "exercises.3.progression"
    assert "'step-one' already progresses to 'step-two'" in problem.message


def test_unknown_condition_and_reference_are_caught(write_yaml: WriteYaml) -> None:
    text = MINI.replace("- condition: sore-knee", "- condition: sore-knees").replace(
        "      references: [ref-a]", "      references: [ref-b]"
    )
    problems = problems_of(write_yaml(text))
    messages = {p.loc: p.message for p in problems}
    assert "no condition has the id 'sore-knees'" in messages["exercises.0.cautions.0.condition"]
    assert "no reference has the key 'ref-b'" in messages["exercises.0.evidence.references.0"]


def test_every_problem_is_reported(write_yaml: WriteYaml) -> None:
    text = MINI.replace("level: intermediate", "level: expert").replace(
        "dose: {sets: 4, hold_seconds: 30}", "dose: {sets: 4}"
    )
    problems = problems_of(write_yaml(text))
    assert {p.loc for p in problems} == {"exercises.1.level", "exercises.2.dose"}
    assert any("exactly one of reps, hold_seconds or minutes" in p.message for p in problems)


@pytest.mark.parametrize("text", ["", "   \n\n", "# only a comment\n"])
def test_empty_file(write_yaml: WriteYaml, text: str) -> None:
    problem = only_problem(write_yaml(text))
    assert "the file is empty" in problem.message


def test_top_level_must_be_a_mapping(write_yaml: WriteYaml) -> None:
    problem = only_problem(write_yaml("- just\n- a list\n"))
    assert problem.line == 1
    assert "must be a mapping" in problem.message


def test_not_utf8_names_line_and_byte(tmp_path: Path) -> None:
    path = tmp_path / "latin1.yaml"
    path.write_bytes("exercises:\n  - id: a\n    name: Caf\xe9\n".encode("latin-1"))
    problem = only_problem(path)
    assert (problem.line, problem.column) == (3, 14)
    assert "0xe9 is not UTF-8" in problem.message


def test_missing_file(tmp_path: Path) -> None:
    problem = only_problem(tmp_path / "nope.yaml")
    assert problem.path.endswith("nope.yaml")
    assert "no such file" in problem.message


def test_directory(tmp_path: Path) -> None:
    problem = only_problem(tmp_path)
    assert "is a directory" in problem.message


def test_unreadable_file(mini: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # Tests may run as root, which reads any file whatever its mode, so simulate the refusal.
    import os

    real_open = os.open

    def refuse(path: object, *args: object, **kwargs: object) -> int:
        if str(path) == str(mini):
            raise PermissionError(13, "Permission denied", str(path))
        return real_open(path, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(os, "open", refuse)
    problem = only_problem(mini)
    assert problem.path == str(mini)
    assert "permission denied" in problem.message


def test_file_size_is_capped(tmp_path: Path) -> None:
    path = tmp_path / "huge.yaml"
    path.write_bytes(b"#" * (5 * 1024 * 1024 + 1))
    problem = only_problem(path)
    assert "capped at 5,242,880 bytes" in problem.message


def test_alias_bomb_is_refused_fast(write_yaml: WriteYaml) -> None:
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    lines += [f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 10) + "]" for i in range(1, 10)]
    path = write_yaml("\n".join(lines) + "\nexercises: *a9\n")
    started = time.perf_counter()
    problems = problems_of(path)
    elapsed = time.perf_counter() - started
    assert elapsed < 0.5
    assert problems[0].line == 1
    assert "anchors and aliases" in problems[0].message


def test_duplicate_keys_are_errors(write_yaml: WriteYaml) -> None:
    path = write_yaml(
        MINI.replace("    name: Step two\n", "    name: Step two\n    name: Step 2\n")
    )
    problem = only_problem(path)
    assert problem.line == 20
    assert "duplicate key 'name'" in problem.message


def test_long_strings_are_capped(write_yaml: WriteYaml) -> None:
    path = write_yaml(MINI.replace("name: Step two", "name: " + "x" * 81))
    problem = only_problem(path)
    assert problem.loc == "exercises.1.name"
    assert "at most 80 characters" in problem.message


def test_problem_formats_as_file_line_column() -> None:
    problem = Problem("cat.yaml", "bad level", 4, 12, "exercises.3.level")
    assert str(problem) == "cat.yaml:4:12: exercises.3.level: bad level"


def test_a_problem_is_a_frozen_value() -> None:
    """As the frozen dataclass it was: equal and hashed by its fields, never changed."""
    problem = Problem("cat.yaml", "bad level", 4, 12, "exercises.3.level")
    same = Problem(path="cat.yaml", message="bad level", line=4, column=12, loc="exercises.3.level")
    assert problem == same and hash(problem) == hash(same) and len({problem, same}) == 1
    assert problem != Problem("cat.yaml", "bad level", 4, 13, "exercises.3.level")
    assert repr(problem).startswith("Problem(path='cat.yaml', message='bad level', line=4")
    with pytest.raises(AttributeError):
        problem.line = 5


def test_builtin_catalogue_is_found() -> None:
    assert builtin_catalog_path().is_file()


def test_deep_nesting_is_refused_without_a_traceback(write_yaml: WriteYaml) -> None:
    path = write_yaml("exercises: " + "[" * 900 + "]" * 900 + "\n")
    problems = problems_of(path)
    assert problems[0].line == 1
    assert "nested deeper than 40 levels" in problems[0].message


def test_a_device_is_not_read(tmp_path: Path) -> None:
    problem = only_problem(Path("/dev/zero"))
    assert "is not a regular file" in problem.message


@pytest.mark.parametrize(
    "value", ["!!python/name:os.system x", "!!python/object:os.system [ls]", "!!binary aGk="]
)
def test_explicit_yaml_tags_are_refused(write_yaml: WriteYaml, value: str) -> None:
    path = write_yaml(MINI.replace("name: Step one", f"name: {value}"))
    problem = only_problem(path)
    assert problem.line == 3
    assert "is not allowed: remove it" in problem.message


def test_a_bad_id_says_what_an_id_looks_like(write_yaml: WriteYaml) -> None:
    problem = only_problem(write_yaml(MINI.replace("id: lone-hinge", "id: Lone Hinge")))
    assert problem.loc == "exercises.3.id"
    assert "lowercase letters, digits and single hyphens" in problem.message
