"""Shell completion: commands, options and values, in bash, zsh and fish, without pydantic.

Each test runs a whole process as the shell would at a Tab: the completion variables set, the
words so far in COMP_WORDS (bash) or _TYPER_COMPLETE_ARGS (zsh, fish).
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

# Runs the CLI as the console script does, and reports on stderr whether pydantic, rich or YAML
# were imported: a completion request must not pay for them.
PROBE = (
    "import atexit, sys\n"
    "heavy = ('pydantic', 'rich', 'yaml')\n"
    "atexit.register(lambda: sys.stderr.write('LOADED ' + ' '.join("
    "m for m in heavy if m in sys.modules)))\n"
    "sys.argv = ['kotcoach']\n"
    "from kotcoach.cli import main\n"
    "main()\n"
)


@pytest.fixture(scope="module")
def cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A cache filled once, as any earlier command would have filled it."""
    folder = tmp_path_factory.mktemp("cache")
    env = {**os.environ, "KOTCOACH_CACHE_DIR": str(folder)}
    env.pop("KOTCOACH_CATALOG", None)
    subprocess.run(
        [sys.executable, "-m", "kotcoach", "list"], env=env, capture_output=True, check=True
    )
    return folder


def complete(cache: Path, shell: str, words: str) -> tuple[list[str], str]:
    env = {**os.environ, "KOTCOACH_CACHE_DIR": str(cache)}
    env["_KOTCOACH_COMPLETE"] = f"complete_{shell}"
    if shell == "bash":
        env["COMP_WORDS"] = words
        env["COMP_CWORD"] = str(len(words.split()) - (0 if words.endswith(" ") else 1))
    else:
        env["_TYPER_COMPLETE_ARGS"] = words
        env["_TYPER_COMPLETE_FISH_ACTION"] = "get-args"
    result = subprocess.run(
        [sys.executable, "-c", PROBE], env=env, capture_output=True, text=True, check=True
    )
    return result.stdout.splitlines(), result.stderr


@pytest.mark.parametrize(
    ("words", "expected"),
    [
        ("kotcoach pl", {"plan"}),
        ("kotcoach show tib-raise-w", {"tib-raise-wall", "tib-raise-wall-far"}),
        ("kotcoach ladder tib-raise-wal", {"tib-raise-wall", "tib-raise-wall-far"}),
        ("kotcoach card --ladder atg-split-squat-rai", {"atg-split-squat-raised"}),
        ("kotcoach plan --condition patellar", {"patellar-tendinopathy"}),
        ("kotcoach conditions patello", {"patellofemoral-pain"}),
        ("kotcoach plan --equipment step,dum", {"step,dumbbells"}),
        # One area fits: its scores, whose common prefix 'knee=' the shell inserts with no
        # space after it (a lone 'knee=' would get one: 'knee= 4').
        ("kotcoach plan --pain kn", {f"knee={n}" for n in range(11)}),
        ("kotcoach plan --pain ", {"knee=", "ankle=", "hip=", "back="}),
        ("kotcoach plan --pain knee=1", {"knee=1", "knee=10"}),
        # The morning check-in scores areas as plan's --pain does, and completes them alike.
        ("kotcoach checkin --pain ba", {f"back={n}" for n in range(11)}),
        ("kotcoach checkin --stiffness ", {"knee=", "ankle=", "hip=", "back="}),
        ("kotcoach list --area an", {"ankle"}),
        ("kotcoach plan --level int", {"intermediate"}),
        ("kotcoach check --red-flag hot-swollen-c", {"hot-swollen-calf"}),
        ("kotcoach card wall-sit --paper le", {"letter"}),
    ],
)
def test_bash_completes_commands_options_and_values(
    cache: Path, words: str, expected: set[str]
) -> None:
    offered, loaded = complete(cache, "bash", words)
    assert set(offered) == expected
    assert loaded.strip() == "LOADED", "completion imported " + loaded


def test_without_a_cached_catalogue_ids_are_not_offered_and_nothing_heavy_loads(
    tmp_path: Path,
) -> None:
    offered, loaded = complete(tmp_path, "bash", "kotcoach show tib-raise-w")
    assert offered in ([], [""])  # nothing to offer: the shell falls back to file names
    assert loaded.strip() == "LOADED"


def test_zsh_and_fish_complete_ids_with_their_names(cache: Path) -> None:
    # typer formats the names shown beside ids with rich; pydantic and YAML stay unloaded.
    zsh, loaded = complete(cache, "zsh", "kotcoach show tib-raise-wall-f")
    far = "tib-raise-wall-far"
    assert zsh == [f"""_arguments '*: :(("{far}":"Tibialis raise, feet further out"))'"""]
    assert "pydantic" not in loaded and "yaml" not in loaded
    fish, _ = complete(cache, "fish", "kotcoach show tib-raise-wall-f")
    assert fish == ["tib-raise-wall-far\tTibialis raise, feet further out"]


def test_the_completion_script_is_shown_for_each_shell() -> None:
    env = {**os.environ, "_TYPER_COMPLETE_TEST_DISABLE_SHELL_DETECTION": "1"}
    for shell, marker in (("bash", "complete -o"), ("zsh", "compdef"), ("fish", "complete")):
        probe = PROBE.replace("['kotcoach']", f"['kotcoach', '--show-completion', '{shell}']")
        result = subprocess.run(
            [sys.executable, "-c", probe], env=env, capture_output=True, text=True, check=False
        )
        assert result.returncode == 0, result.stderr
        assert "_KOTCOACH_COMPLETE" in result.stdout and marker in result.stdout
