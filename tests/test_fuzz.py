"""Fuzz the command line with hypothesis: option values and mutated catalogues.

Whatever the input, the contract holds: the exit code is 0, 1, 2 or 3; nothing raises through
the CLI (no traceback); with --json, stdout is JSON and nothing else (empty on an error); a failed
--export leaves no file and no temporary file behind.

The examples are derandomised, so CI is repeatable; KOTCOACH_FUZZ_EXAMPLES=2000 runs a longer,
random search locally.
"""

from __future__ import annotations

import copy
import json
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from kotcoach.cli import app
from tests.conftest import MINI

LONG_RUN = int(os.environ.get("KOTCOACH_FUZZ_EXAMPLES", "0"))
FUZZ = settings(
    max_examples=LONG_RUN or 60,
    derandomize=not LONG_RUN,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

# Text that has broken command lines before: empty, control and bidi characters, digits that
# are not ASCII, huge numbers, markup, paths, very long names.
HOSTILE = st.one_of(
    st.sampled_from(
        [
            "",
            " ",
            "-",
            "--",
            "0",
            "-1",
            "11",
            "knee=",
            "=4",
            "knee=²",
            "knee=①",
            "knee=٣",
            "knee=" + "9" * 5000,
            "9" * 5000,
            "\x1b[31mred",
            "\u202eevil",
            "[bold]x[/bold]",
            "a" * 300,
            "../x",
            "/dev/null",
            "tib-raise-wall",
            "knee",
            "beginner",
            "none",
            "step,band",
            "knee=4",
            "fever",
        ]
    ),
    st.text(max_size=40),
)

OPTIONS: dict[str, list[str]] = {
    "list": ["--level", "--area", "--equipment", "--goal", "--condition", "--search"],
    "show": ["--condition"],
    "plan": [
        "--level",
        "--days",
        "--minutes",
        "--equipment",
        "--goal",
        "--pain",
        "--condition",
        "--red-flag",
        "--weeks",
    ],
    "check": ["--red-flag", "--pain", "--level"],
    "ladder": [],
    "card": ["--ladder", "--condition"],
    "myths": [],
    "conditions": [],
}
TAKES_ID = {"show", "ladder", "card", "conditions"}
HAS_JSON = {"list", "show", "plan", "check", "ladder", "myths", "conditions"}


@st.composite
def command_lines(draw: st.DrawFn) -> list[str]:
    command = draw(st.sampled_from(sorted(OPTIONS)))
    args = [command]
    if command in TAKES_ID and draw(st.booleans()):
        args.append(draw(HOSTILE))
    for option in draw(st.lists(st.sampled_from(OPTIONS[command] or ["--json"]), max_size=4)):
        args += [option] if option == "--json" else [option, draw(HOSTILE)]
    if command == "check" and draw(st.booleans()):
        args.append("--no-red-flags")
    if command in HAS_JSON and draw(st.booleans()):
        args.append("--json")
    return args


def assert_contract(result: Any, args: list[str]) -> None:
    """The promises every command keeps, whatever it was given."""
    assert result.exception is None or isinstance(result.exception, SystemExit), (
        args,
        repr(result.exception),
    )
    assert result.exit_code in {0, 1, 2, 3}, (args, result.exit_code, result.stderr)
    assert "Traceback" not in result.stderr, args
    if "--json" in args:
        if result.exit_code in {0, 3}:
            json.loads(result.stdout)  # all of stdout is one JSON document
        else:
            assert result.stdout == "", (args, result.stdout)
    if result.exit_code == 1:  # one line, or (catalog validate) problems then a summary line
        assert result.stderr.splitlines()[-1].startswith("kotcoach: "), (args, result.stderr)
    if result.exit_code == 2:  # click's usage errors too: one line, nothing on stdout
        assert result.stderr.startswith("kotcoach: error: "), (args, result.stderr)
        assert result.stderr.count("\n") == 1 and result.stdout == "", (args, result.stderr)


def invoke(args: list[str], input: str | None = None) -> Any:
    return CliRunner().invoke(app, args, input=input, prog_name="kotcoach")


@FUZZ
@given(args=command_lines())
def test_any_option_values_keep_the_contract(args: list[str]) -> None:
    assert_contract(invoke(args), args)


@FUZZ
@given(
    args=command_lines().filter(lambda a: a[0] in {"plan", "card"}),
    name=st.one_of(
        # .pdf only rarely: fpdf2 takes a second a handout, and the writing is the same.
        st.sampled_from(["cards.md", "cards.html", "cards.md", "x.txt", "a" * 300 + ".md", ".md"]),
        st.text(
            alphabet=st.characters(blacklist_categories=["Cs"], blacklist_characters="/\x00"),
            min_size=1,
            max_size=30,
        ).map(lambda name: name + ".md"),
    ),
    existing=st.sampled_from(["none", "file", "dangling link"]),
    force=st.booleans(),
)
def test_a_failed_export_leaves_nothing_behind(
    tmp_path_factory: pytest.TempPathFactory,
    args: list[str],
    name: str,
    existing: str,
    force: bool,
) -> None:
    folder = tmp_path_factory.mktemp("export")
    target = folder / name
    if len(name.encode()) > 255:  # no file can have that name, so none can be there already
        existing = "none"
    if args[0] == "card" and len(args) == 1:
        args = [*args, "tib-raise-wall"]
    if existing == "file":
        target.write_text("mine", encoding="utf-8")
    elif existing == "dangling link":
        target.symlink_to(folder / "nowhere")
    before = sorted(p.name for p in folder.iterdir())
    args = [*args, "--export", str(target), *(["--force"] if force else [])]
    result = invoke(args)
    assert_contract(result, args)
    after = sorted(p.name for p in folder.iterdir())
    if result.exit_code == 0:
        assert after == sorted({*before, name}), after
        assert not target.is_symlink()
    else:
        assert after == before, (args, result.stderr, after)
        if existing == "file":
            assert target.read_text(encoding="utf-8") == "mine"
    if existing != "none" and not force:
        assert result.exit_code != 0


# --- mutated catalogues ------------------------------------------------------------------------

BASE = yaml.safe_load(MINI)
VALUES = st.one_of(
    HOSTILE,
    st.integers(min_value=-(10**30), max_value=10**30),
    st.floats(allow_nan=True, allow_infinity=True),
    st.booleans(),
    st.none(),
    st.lists(st.text(max_size=5), max_size=3),
    st.dictionaries(st.text(max_size=5), st.integers(), max_size=2),
)


def _paths(node: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Every path to a value in the data, for mutations to aim at."""
    found = [prefix] if prefix else []
    if isinstance(node, dict):
        for key, value in node.items():
            found += _paths(value, (*prefix, key))
    elif isinstance(node, list):
        for i, value in enumerate(node):
            found += _paths(value, (*prefix, i))
    return found


PATHS = _paths(BASE)


def _parent(data: Any, path: tuple[Any, ...]) -> Any:
    for part in path[:-1]:
        data = data[part]
    return data


@st.composite
def catalogue_texts(draw: st.DrawFn) -> str:
    data = copy.deepcopy(BASE)
    for _ in range(draw(st.integers(min_value=1, max_value=3))):
        path = draw(st.sampled_from(PATHS))
        try:
            parent = _parent(data, path)
            key = path[-1]
            parent[key]  # noqa: B018  (an earlier mutation may have removed it)
        except (KeyError, IndexError, TypeError):
            continue
        action = draw(st.sampled_from(["set", "delete", "add-key", "copy-id"]))
        if action == "set":
            parent[key] = draw(VALUES)
        elif action == "delete":
            del parent[key]
        elif action == "add-key" and isinstance(parent, dict):
            parent[draw(st.text(min_size=1, max_size=20))] = draw(VALUES)
        elif action == "copy-id" and isinstance(parent, list) and parent:
            parent.append(copy.deepcopy(parent[0]))  # duplicate ids, doubled links
    text = yaml.safe_dump(data, allow_unicode=True, sort_keys=False)
    damage = draw(st.sampled_from(["none", "none", "truncate", "bytes", "anchor", "big-number"]))
    if damage == "truncate":
        text = text[: draw(st.integers(min_value=0, max_value=len(text)))]
    elif damage == "anchor":
        text = text.replace("- id: step-one", "- &a\n  id: step-one", 1) + "extra: *a\n"
    elif damage == "big-number":
        text = text.replace("sets: 2", "sets: " + "9" * draw(st.integers(4000, 6000)), 1)
    elif damage == "bytes":
        at = draw(st.integers(min_value=0, max_value=len(text)))
        return text[:at] + "\udcff" + text[at:]  # becomes a byte that is not UTF-8
    return text


COMMANDS_ON_A_CATALOGUE: list[Callable[[Path], list[str]]] = [
    lambda path: ["catalog", "validate", str(path)],
    lambda path: ["--catalog", str(path), "list", "--json"],
    lambda path: ["--catalog", str(path), "plan", "--json", "--condition", "sore-knee"],
    lambda path: ["--catalog", str(path), "show", "step-one", "--json"],
    lambda path: ["--catalog", str(path), "ladder"],
]


@FUZZ
@given(text=catalogue_texts(), which=st.sampled_from(range(len(COMMANDS_ON_A_CATALOGUE))))
def test_any_mutated_catalogue_keeps_the_contract(
    tmp_path_factory: pytest.TempPathFactory, text: str, which: int
) -> None:
    path = tmp_path_factory.mktemp("catalogue") / "mutated.yaml"
    path.write_bytes(text.encode("utf-8", "surrogateescape"))
    args = COMMANDS_ON_A_CATALOGUE[which](path)
    result = invoke(args)
    assert_contract(result, args)
    if result.exit_code == 1:
        # A catalogue problem names the file (and, past reading it, the line).
        assert str(path) in result.stderr


# --- the training log: log, checkin, score and data import -----------------------------------

LOG_OPTIONS = [
    "--sets",
    "--reps",
    "--hold",
    "--minutes",
    "--pain-during",
    "--pain-after",
    "--date",
    "--note",
    "--load",
]
LOG_FUZZ = settings(FUZZ, max_examples=LONG_RUN or 25)


@st.composite
def log_lines(draw: st.DrawFn) -> list[str]:
    which = draw(st.sampled_from(["checkin", "log", "score"]))
    if which == "checkin":
        args = ["checkin"]
        for option in draw(
            st.lists(st.sampled_from(["--pain", "--stiffness", "--date", "--others"]), max_size=3)
        ):
            args += [option, draw(HOSTILE)]
    elif which == "score":
        args = ["score", draw(st.one_of(st.just("psfs"), HOSTILE))]
        for option in draw(
            st.lists(st.sampled_from(["--activity", "--answers", "--date"]), max_size=3)
        ):
            args += [option, draw(st.one_of(HOSTILE, st.just("stairs=4")))]
    else:
        args = ["log", draw(st.one_of(st.just("tib-raise-wall"), HOSTILE))]
        for option in draw(st.lists(st.sampled_from(LOG_OPTIONS), max_size=5)):
            args += [option, draw(HOSTILE)]
    if draw(st.booleans()):
        args.append("--json")
    return args


@LOG_FUZZ
@given(args=log_lines())
def test_log_checkin_and_score_keep_the_contract(
    tmp_path_factory: pytest.TempPathFactory, args: list[str]
) -> None:
    os.environ["KOTCOACH_DATA_DIR"] = str(tmp_path_factory.mktemp("log") / "data")
    result = invoke(args, input="")  # no terminal: nothing is asked
    assert_contract(result, args)


CELLS = st.one_of(
    HOSTILE,
    st.sampled_from(
        [
            "ana",
            "2025-03-01",
            "1",
            "20",
            "done",
            "stopped",
            "'=1+1",
            "=1+1",
            "tib-raise-wall",
            "\u2028",
            "\x0b",
            "\x00",
            "\u00b2",
            "1_0",
        ]
    ),
)
IMPORT_COLUMNS = [
    "profile",
    "date",
    "slot",
    "exercise",
    "set",
    "reps",
    "pain_during",
    "status",
    "note",
]


@LOG_FUZZ
@given(
    rows=st.lists(
        st.lists(CELLS, min_size=len(IMPORT_COLUMNS), max_size=len(IMPORT_COLUMNS)), max_size=4
    ),
    header=st.booleans(),
)
def test_data_import_keeps_the_contract_and_writes_all_or_nothing(
    tmp_path_factory: pytest.TempPathFactory, rows: list[list[str]], header: bool
) -> None:
    import csv
    import io

    folder = tmp_path_factory.mktemp("import")
    os.environ["KOTCOACH_DATA_DIR"] = str(folder / "data")
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    if header:
        writer.writerow(IMPORT_COLUMNS)
    writer.writerows(rows)
    path = folder / "in.csv"
    path.write_text(buffer.getvalue(), encoding="utf-8", errors="surrogatepass", newline="")
    args = ["data", "import", str(path)]
    result = invoke(args)
    assert_contract(result, args)
    if result.exit_code != 0:
        assert not (folder / "data" / "kotcoach.db").exists(), result.stderr
