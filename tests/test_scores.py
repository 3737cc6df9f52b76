"""Patient-reported scores (issue 25): the PSFS's scoring, its rules for later scorings, the
change against the change that matters, `kotcoach score`, and scores in export and import."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from kotcoach.base.errors import ImportFileError, UsageError
from kotcoach.cli import app
from kotcoach.cli import score as cli_score
from kotcoach.coaching import scores
from kotcoach.coaching.scores import PSFS, Scoring, change, psfs_scoring
from kotcoach.store import Store, exchange

DAY = dt.date(2026, 10, 5)


def run(runner: CliRunner, *args: str, input: str | None = None):  # type: ignore[no-untyped-def]
    return runner.invoke(app, list(args), input=input, prog_name="kotcoach")


# --- scoring ---------------------------------------------------------------------------------


def test_the_psfs_score_is_the_sum_of_the_ratings_over_the_number_of_activities() -> None:
    # The scoring printed on the scale's form: total = sum of the activity scores / number of
    # activities. Three activities rated 3, 5 and 4 score 4; two rated 0 and 7 score 3.5.
    assert psfs_scoring(DAY, [], named=[("stairs", 3), ("kneel", 5), ("run", 4)]).total == 4
    assert psfs_scoring(DAY, [], named=[("stairs", 0), ("squat", 7)]).total == 3.5
    assert PSFS.low == 0 and PSFS.high == 10


def test_later_scorings_re_rate_the_same_activities_and_may_add_new_ones() -> None:
    first = psfs_scoring(DAY, [], named=[("Climbing stairs", 3), ("kneeling", 2)])
    known = scores.activities([first])
    later = psfs_scoring(DAY, known, answers=[6], named=[("KNEELING", 5), ("running", 1)])
    # Re-rated by position and by name (any case or spacing), in the order first rated.
    assert later.items == (("Climbing stairs", 6.0), ("kneeling", 5.0), ("running", 1.0))
    with pytest.raises(UsageError, match="re-rate every activity rated before: 'kneeling'"):
        psfs_scoring(DAY, known, answers=[6])
    with pytest.raises(UsageError, match="rated twice"):
        psfs_scoring(DAY, known, answers=[6, 5], named=[("kneeling", 4)])
    with pytest.raises(UsageError, match="3 ratings but 2 activities were rated before"):
        psfs_scoring(DAY, known, answers=[6, 5, 4])
    five = [(f"activity {n}", 5) for n in range(5)]
    with pytest.raises(UsageError, match="at most 5 activities, not 6"):
        psfs_scoring(DAY, [], named=[*five, ("one more", 1)])
    with pytest.raises(UsageError, match="at least one activity"):
        psfs_scoring(DAY, [])


def test_ratings_and_activities_are_checked() -> None:
    assert scores.parse_activity("climbing stairs = 4") == ("climbing stairs", 4)
    assert scores.parse_activity("a=b=3") == ("a=b", 3)
    for bad in ("stairs", "=4", "stairs=11", "stairs=-1", "stairs=4.5"):
        with pytest.raises(UsageError):
            scores.parse_activity(bad)
    assert scores.parse_answers("4, 6,7") == [4, 6, 7]
    for bad in ("", "4,,6", "4;6", "10,11"):
        with pytest.raises(UsageError):
            scores.parse_answers(bad)


def test_the_change_is_over_the_activities_rated_both_times_against_the_change_that_matters() -> (
    None
):
    first = Scoring(DAY, "psfs", (("stairs", 2.0), ("kneeling", 3.0)))
    later = Scoring(
        DAY + dt.timedelta(weeks=6), "psfs", (("stairs", 6.0), ("kneeling", 5.0), ("run", 0.0))
    )
    found = change([first, later])
    assert found is not None
    # The new activity (0/10) does not pull the later average down: 2.5 -> 5.5, not 3.7.
    assert (found.start, found.now, found.common) == (2.5, 5.5, 2)
    assert found.matters and found.delta == 3
    assert found.sentence() == (
        "PSFS 2.5 → 5.5 (average of 2 activities), +3 in 6 weeks: better by more than the "
        "2.3-point change that matters"
    )
    small = change([first, Scoring(later.day, "psfs", (("stairs", 3.0), ("kneeling", 4.0)))])
    assert small is not None and not small.matters
    assert small.sentence().endswith("+1 in 6 weeks: less than the 2.3-point change that matters")
    worse = change([first, Scoring(later.day, "psfs", (("stairs", 0.0), ("kneeling", 0.0)))])
    assert worse is not None and "-2.5" in worse.sentence() and "worse by more" in worse.sentence()
    assert change([first]) is None


def test_the_change_that_matters_is_the_checked_figure_with_its_source() -> None:
    assert PSFS.mic == 2.3
    assert "doi:10.2519/jospt.2014.5248" in PSFS.mic_source
    assert "doi:10.3138/ptc.47.4.258" in PSFS.source
    assert set(scores.INSTRUMENTS) == {"psfs"}  # VISA-P, VISA-A, AKPS: left out (README)


# --- the command ---------------------------------------------------------------------------------


def test_score_psfs_from_options_stores_and_compares(runner: CliRunner) -> None:
    first = run(
        runner,
        "score",
        "psfs",
        "--activity",
        "climbing stairs=2",
        "--activity",
        "kneeling=3",
        "--date",
        "2026-10-05",
    )
    assert first.exit_code == 0, first.stderr
    assert "PSFS 2.5 on 2026-10-05 (average of 2 activities, 0-10)" in first.stdout
    second = run(
        runner,
        "score",
        "psfs",
        "--answers",
        "6,5",
        "--activity",
        "running=1",
        "--date",
        "2026-11-16",
        "--json",
    )
    assert second.exit_code == 0, second.stderr
    data = json.loads(second.stdout)
    assert data["items"] == [
        {"activity": "climbing stairs", "rating": 6.0},
        {"activity": "kneeling", "rating": 5.0},
        {"activity": "running", "rating": 1.0},
    ]
    assert data["previous"] == {"date": "2026-10-05", "score": 2.5}
    assert data["change"]["start"] == 2.5 and data["change"]["now"] == 5.5
    assert data["change"]["matters"] is True
    assert data["minimal_important_change"] == 2.3
    with Store.open() as store:
        assert [(s.date, s.item, s.value) for s in store.scores("default")][-1] == (
            dt.date(2026, 11, 16),
            "running",
            1.0,
        )
    # A second scoring that day replaces the first.
    again = run(runner, "score", "psfs", "--answers", "7,7", "--date", "2026-11-16")
    assert again.exit_code == 0, again.stderr
    with Store.open() as store:
        that_day = [s for s in store.scores("default") if s.date == dt.date(2026, 11, 16)]
    assert [(s.item, s.value) for s in that_day] == [("climbing stairs", 7.0), ("kneeling", 7.0)]


def test_score_without_a_terminal_or_answers_exits_2_saying_what_to_give(
    runner: CliRunner,
) -> None:
    result = run(runner, "score", "psfs")
    assert result.exit_code == 2
    assert "no terminal to ask on: give --activity" in result.stderr
    assert "Traceback" not in result.stderr
    unknown = run(runner, "score", "visa-p", "--answers", "1")
    assert unknown.exit_code == 2 and "unknown score 'visa-p' (known: psfs" in unknown.stderr
    bad = run(runner, "score", "psfs", "--activity", "stairs=12")
    assert bad.exit_code == 2 and "a rating is a whole number 0-10, not '12'" in bad.stderr
    with Store.open() as store:
        assert store.scores("default") == []


def test_score_asks_on_a_terminal(runner: CliRunner, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(cli_score, "_stdin_is_terminal", lambda: True)
    result = run(runner, "score", "psfs", input="squatting\n11\n4\nstairs\n6\n\n")
    assert result.exit_code == 0, result.stderr
    assert "Give a whole number from 0 to 10." in result.stderr
    with Store.open() as store:
        assert [(s.item, s.value) for s in store.scores("default")] == [
            ("squatting", 4.0),
            ("stairs", 6.0),
        ]


def test_score_list_names_the_sources_and_what_is_left_out(runner: CliRunner) -> None:
    result = run(runner, "score", "--list")
    assert result.exit_code == 0
    text = " ".join(result.stdout.split())
    assert "Patient-Specific Functional Scale" in text
    assert "doi:10.3138/ptc.47.4.258" in text and "2.3 points" in text
    assert "VISA-P, VISA-A and the Anterior Knee Pain Scale are not offered" in text
    listed = json.loads(run(runner, "score", "--list", "--json").stdout)
    assert listed[0]["id"] == "psfs" and listed[0]["minimal_important_change"] == 2.3


# --- export and import -----------------------------------------------------------------------


def test_scores_go_out_and_back_in_with_the_log(tmp_path: Path) -> None:
    with Store.open(tmp_path / "a.db", write=True) as store:
        store.save_scoring("ana", DAY, "psfs", [("stairs", 2), ("kneeling", 3)])
        store.save_scoring("ana", DAY + dt.timedelta(days=7), "psfs", [("stairs", 4)])
        rows = store.export_rows()
    assert [(r["score"], r["score_item"], r["score_value"], r["exercise"]) for r in rows] == [
        ("psfs", "stairs", 2.0, None),
        ("psfs", "kneeling", 3.0, None),
        ("psfs", "stairs", 4.0, None),
    ]
    text = [(n, {k: "" if v is None else str(v) for k, v in r.items()}) for n, r in enumerate(rows)]
    parsed = exchange.parse_rows(text, "log.csv", DAY + dt.timedelta(days=30))
    scores.check_rows([r for r in parsed if isinstance(r, exchange.ScoreRow)], "log.csv")
    with Store.open(tmp_path / "b.db", write=True) as other:
        other.import_rows(parsed)
        other.import_rows(parsed)  # twice adds nothing
        assert other.export_rows() == rows


def test_imported_scores_are_checked_against_the_instrument() -> None:
    def parsed(instrument: str, value: str) -> list[exchange.ScoreRow]:
        row = {
            "profile": "ana",
            "date": "2026-10-05",
            "exercise": "",
            "set": "",
            "score": instrument,
            "score_item": "stairs",
            "score_value": value,
        }
        found = exchange.parse_rows([(7, row)], "log.csv", DAY)
        return [r for r in found if isinstance(r, exchange.ScoreRow)]

    scores.check_rows(parsed("psfs", "4"), "log.csv")
    with pytest.raises(ImportFileError, match="log.csv:7: a PSFS rating is a whole number 0-10"):
        scores.check_rows(parsed("psfs", "11"), "log.csv")
    with pytest.raises(ImportFileError, match="log.csv:7: unknown score 'visa-a'"):
        scores.check_rows(parsed("visa-a", "40"), "log.csv")
    with pytest.raises(ImportFileError, match="score_value must be a number"):
        parsed("psfs", "four")


def test_data_export_and_import_carry_scores_and_refuse_a_bad_one(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for args in (("stairs=2", "2026-10-05"), ("stairs=5", "2026-11-16")):
        assert run(runner, "score", "psfs", "--activity", args[0], "--date", args[1]).exit_code == 0
    out = tmp_path / "log.csv"
    assert run(runner, "data", "export", "-o", str(out)).exit_code == 0
    text = out.read_text(encoding="utf-8-sig")
    assert text.splitlines()[0].endswith(",score,score_item,score_value")
    monkeypatch.setenv("KOTCOACH_DATA_DIR", str(tmp_path / "elsewhere"))
    result = run(runner, "data", "import", str(out))
    assert result.exit_code == 0, result.stderr
    assert "and 2 score items." in result.stdout
    with Store.open() as store:
        assert [(s.date.isoformat(), s.value) for s in store.scores("default")] == [
            ("2026-10-05", 2.0),
            ("2026-11-16", 5.0),
        ]
    bad = tmp_path / "bad.csv"
    bad.write_text(text.replace(",psfs,stairs,5.0", ",psfs,stairs,12"), encoding="utf-8")
    refused = run(runner, "data", "import", str(bad))
    assert refused.exit_code == 1
    assert ":3: a PSFS rating is a whole number 0-10, not 12; nothing was imported" in (
        refused.stderr
    )


def test_progress_shows_a_score_before_any_training(runner: CliRunner) -> None:
    assert run(runner, "score", "psfs", "--activity", "stairs=3").exit_code == 0
    text = run(runner, "progress").stdout
    assert "PSFS 3 on" in text and "one scoring so far, score again to see the change" in text
    assert "Nothing logged yet" not in text
