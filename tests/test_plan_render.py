"""The plan on screen: what drawing it imports, and the layout's promises at every width.

The promises (render/plan.py's docstring): every layout wraps and never crops from 40 columns
up; below WIDE the tables stack into a grid of label and text; the full view with --details;
weeks as columns with --weeks. Piped output has no trailing spaces.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from typing import Any

import pytest
from rich.cells import cell_len
from typer.testing import CliRunner

from kotcoach.base.vocab import RED_FLAG_TEXT
from kotcoach.cli import app
from kotcoach.coaching.wording import BASE_RULES, row_note
from kotcoach.render import WIDE
from kotcoach.render.plan import STACKED

WIDTHS = (40, 60, 80, WIDE - 1, WIDE, 120)
PLANS = {
    "compact": ["plan", "--level", "beginner"],
    "details": ["plan", "--level", "advanced", "--equipment", "box,dumbbells", "--details"],
    "weeks": ["plan", "--level", "intermediate", "--weeks", "4", "--equipment", "step"],
    "referral": ["plan", "--pain", "knee=7", "--pain", "back=3", "--details"],
    "condition": ["plan", "--pain", "knee=4", "--condition", "patellofemoral-pain"],
}


def test_drawing_a_plan_imports_neither_pydantic_nor_the_models() -> None:
    # plan's start-up floor: the screen view must not pull in the validation stack.
    code = (
        "import sys, kotcoach.render.plan\n"
        "heavy = {'pydantic', 'kotcoach.catalogue.models', 'kotcoach.render.views'}\n"
        "heavy &= set(sys.modules)\n"
        "print(sorted(heavy))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    assert out.strip() == "[]"


def _screen(runner: CliRunner, monkeypatch: pytest.MonkeyPatch, args: list[str], width: int) -> str:
    monkeypatch.setenv("COLUMNS", str(width))
    result = runner.invoke(app, args, prog_name="kotcoach")
    assert result.exit_code == 0, result.output
    return result.stdout


def _data(runner: CliRunner, args: list[str]) -> Any:
    result = runner.invoke(app, [*args, "--json"], prog_name="kotcoach")
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def _items(data: Any) -> list[dict[str, Any]]:
    return [
        item
        for session in data["sessions"]
        for item in [session["warm_up"], *session["exercises"]]
        if item
    ]


def _flat(text: str) -> str:
    return " ".join(text.split())


@pytest.mark.parametrize("case", list(PLANS))
def test_no_line_is_wider_than_the_screen_nor_cut_short_nor_padded(
    runner: CliRunner, monkeypatch: pytest.MonkeyPatch, case: str
) -> None:
    for width in WIDTHS:
        out = _screen(runner, monkeypatch, PLANS[case], width)
        lines = out.splitlines()
        assert max(cell_len(line) for line in lines) <= width, (case, width)
        # '…' is how rich cuts a word short; the plan's own text never uses it.
        assert "…" not in out, (case, width)
        assert not [line for line in lines if line != line.rstrip()], (case, width)


@pytest.mark.parametrize("width", [40, 60, 80])
def test_names_cues_and_ids_read_whole_in_the_stacked_grid(
    runner: CliRunner, monkeypatch: pytest.MonkeyPatch, width: int
) -> None:
    # Below WIDE each exercise is its label, then its text wrapped beside it: read with the
    # line breaks taken out, every name, dose and cue (or, on a row that pain or a condition
    # changed, the change in plain words) is there in one piece.
    for case in ("compact", "condition", "details"):
        data = _data(runner, PLANS[case])
        flat = _flat(_screen(runner, monkeypatch, PLANS[case], width))
        for item in _items(data):
            assert _flat(item["name"]) in flat, (case, width, item["name"])
            assert _flat(item["dose"]) in flat, (case, width, item["dose"])
            note = row_note(item["changes"], item["cautions"], len(data["conditions"]))
            shown = note if note and case != "details" else f"“{item['key_cue']}”"
            assert _flat(shown) in flat, (case, width, shown)


@pytest.mark.parametrize("case", ["details", "referral"])
def test_details_show_each_id_whole_on_one_line(
    runner: CliRunner, monkeypatch: pytest.MonkeyPatch, case: str
) -> None:
    # The id is what 'kotcoach show ID' takes: it is never broken across lines nor cut.
    ids = {item["id"] for item in _items(_data(runner, PLANS[case]))}
    for width in WIDTHS:
        out = _screen(runner, monkeypatch, PLANS[case], width)
        words = {word.strip("“”") for word in out.split()}
        assert ids <= words, (width, sorted(ids - words)[:4])


def _hang(lines: list[str]) -> tuple[int, list[tuple[str, list[str]]]]:
    """Split a labelled grid's lines into rows, checking the hanging indent: a row starts with
    its label, labels end in one column, and every line's text starts in the same column, with
    only spaces before it on a row's later lines. Returns that column and (label, lines) rows."""
    first = re.match(r" *\S+ ", lines[0])
    assert first, lines[0]
    column = first.end()
    rows: list[tuple[str, list[str]]] = []
    for line in lines:
        head, text = line[:column], line[column:]
        assert text[:1] not in ("", " "), line
        if head.strip():
            assert head[-2] != " ", line
            rows.append((head.strip(), [text]))
        else:
            rows[-1][1].append(text)
    return column, rows


def _section(out: str, title: str) -> list[str]:
    """The lines under a title (which may wrap) up to the next blank line."""
    lines = out.splitlines()
    for start in range(len(lines)):
        for end in range(start + 1, start + 4):
            if " ".join(lines[start:end]) == title:
                return lines[end : lines.index("", end)]
    raise AssertionError(f"no {title!r}")


@pytest.mark.parametrize("width", WIDTHS)
def test_lists_hang_their_bullets(
    runner: CliRunner, monkeypatch: pytest.MonkeyPatch, width: int
) -> None:
    out = _screen(runner, monkeypatch, PLANS["compact"], width)
    column, rows = _hang(_section(out, "Pain rules"))
    assert column == 4  # indented two under the title, the bullet, a space
    assert {label for label, _ in rows} == {"•"}
    assert [" ".join(texts) for _, texts in rows] == list(BASE_RULES)
    data = _data(runner, PLANS["details"])
    out = _screen(runner, monkeypatch, PLANS["details"], width)
    sections = {
        "Left out": data["left_out"],
        "Notes": data["notes"],
        "Pain rules": data["pain_rules"],
    }
    for title, items in sections.items():
        column, rows = _hang(_section(out, title))
        assert column == 4, title
        assert [" ".join(texts) for _, texts in rows] == items, title
    column, rows = _hang(_section(out, "Red flags: stop training and see a clinician"))
    assert column == 4 and len(rows) == 3
    shown = " ".join(" ".join(texts) for _, texts in rows)
    assert all(sign in shown for sign in RED_FLAG_TEXT.values())


@pytest.mark.parametrize("width", [40, 60, 80, WIDE - 1])
def test_below_wide_a_session_is_a_grid_of_labels_and_text(
    runner: CliRunner, monkeypatch: pytest.MonkeyPatch, width: int
) -> None:
    data = _data(runner, PLANS["compact"])
    out = _screen(runner, monkeypatch, PLANS["compact"], width)
    column, rows = _hang(_section(out, "Day 1 · about 20 min"))
    assert column == len("1 ")  # the widest label sets the text's column
    first = data["sessions"][0]
    items = first["exercises"]
    assert [label for label, _ in rows] == ["1", "2", "3", "4", "5"]
    # The warm-up every day shares is shown once, above the days.
    _, warm_up = _hang(_section(out, "Warm-up, every day · about 6 min"))
    assert [label for label, _ in warm_up] == ["warm-up"]
    for (_, texts), item in zip(rows + warm_up, [*items, first["warm_up"]], strict=True):
        # The name and dose, then the cue starting a line of its own.
        cue = next(n for n, text in enumerate(texts) if text.startswith("“"))
        assert _flat(" ".join(texts[:cue])) == _flat(f"{item['name']} {item['dose']}")
        assert any(item["dose"] in text for text in texts[:cue])  # a dose is never split
        assert _flat(" ".join(texts[cue:])) == _flat(f"“{item['key_cue']}”")


def test_at_wide_a_session_is_a_table_of_name_dose_and_cue(
    runner: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    data = _data(runner, PLANS["compact"])
    out = _screen(runner, monkeypatch, PLANS["compact"], 160)
    lines = _section(out, "Day 1 · about 20 min")
    first = data["sessions"][0]
    for line, item in zip(lines, first["exercises"], strict=True):
        assert re.fullmatch(
            rf"\S+ +{re.escape(item['name'])} +{re.escape(item['dose'])} +"
            rf"{re.escape('“' + item['key_cue'] + '”')}",
            line,
        ), line


@pytest.mark.parametrize("width", [STACKED, 80, 120])
def test_weeks_are_columns_under_a_rule_from_stacked_up(
    runner: CliRunner, monkeypatch: pytest.MonkeyPatch, width: int
) -> None:
    out = _screen(runner, monkeypatch, PLANS["weeks"], width)
    lines = out.splitlines()
    heads = [n for n, line in enumerate(lines) if re.match(r" +Exercise +Week \d", line)]
    assert heads
    weeks = [int(week) for n in heads for week in re.findall(r"Week (\d+)", lines[n])]
    assert weeks[:4] == [1, 2, 3, 4]
    for n in heads:  # under each header, a rule as wide as the table and no wider than the screen
        rule = lines[n + 1]
        assert set(rule) == {"─"} and len(rule) <= width
        end = next(m for m in range(n + 2, len(lines)) if not lines[m].startswith(("  ", "w", "1")))
        assert max(cell_len(line) for line in lines[n:end]) == len(rule)
    assert "week 1:" not in out


def test_below_stacked_the_weeks_stack_under_each_name(
    runner: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = _screen(runner, monkeypatch, PLANS["weeks"], STACKED - 1)
    assert "Week 1" not in out and "─" not in out
    column, rows = _hang(_section(out, "Day 1 · about 35 min in week 1")[:5])
    assert rows[0][0] == "warm-up"
    assert [text.split(":")[0] for text in rows[0][1][1:]] == [f"week {n}" for n in (1, 2, 3, 4)]


@pytest.mark.parametrize("width", range(40, WIDE, 3))
def test_the_change_marker_never_starts_a_line_alone(
    runner: CliRunner, monkeypatch: pytest.MonkeyPatch, width: int
) -> None:
    # Nearly every row is marked here; at 40 columns 'Tibialis raise, feet further out *' once
    # left its '*' alone on a line.
    args = ["plan", "--level", "advanced", "--equipment", "step,box,dumbbells"]
    args += ["--condition", "patellofemoral-pain", "--pain", "knee=4"]
    out = _screen(runner, monkeypatch, args, width)
    assert out.count(" *") > 10
    assert not [line for line in out.splitlines() if line.strip() == "*"], width
