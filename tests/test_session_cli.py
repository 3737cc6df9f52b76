"""`kotcoach session` against the real training log: today's exercises in, every set written as
it is done, a session killed with SIGKILL keeping every set done before the kill."""

from __future__ import annotations

import datetime as dt
import json
import os
import signal
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from pty_terminal import Terminal, kotcoach, wait_for
from session_fakes import FakeClock
from typer.testing import CliRunner

from kotcoach.cli import app
from kotcoach.coaching.session import Amount, Phase, Planned, SessionMachine
from kotcoach.coaching.session.logbook import StoreRecorder, planned_for_today
from kotcoach.store import Status, Store, Target


def item(exercise_id: str, name: str, detail: dict[str, Any], dose: str) -> dict[str, Any]:
    return {
        "id": exercise_id,
        "name": name,
        "dose": dose,
        "dose_detail": detail,
        "key_cue": f"{name}: key cue",
    }


STEP = item("step-one", "Step one", {"sets": 2, "reps": 10}, "2 × 10")
HINGE = {
    **item("lone-hinge", "Lone hinge", {"sets": 3, "reps": 12, "rest_seconds": 20}, "3 × 12"),
    "cautions": ["Sore back: keep the range short."],
}
HOLD = item("step-three", "Step three", {"sets": 2, "hold_seconds": 30}, "2 × 30 s hold")
PLAN = {
    "weeks": [
        {
            "week": 1,
            "sessions": [
                {"day": 1, "minutes": 20, "warm_up": None, "exercises": [STEP, HINGE, HOLD]},
                {"day": 2, "minutes": 20, "warm_up": None, "exercises": [HINGE]},
            ],
        }
    ]
}


@pytest.fixture
def data(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    folder = tmp_path / "data"
    monkeypatch.setenv("KOTCOACH_DATA_DIR", str(folder))
    monkeypatch.delenv("KOTCOACH_PROFILE", raising=False)
    return folder


@pytest.fixture
def programme(data: Path) -> Path:
    with Store.open(write=True) as store:
        store.save_programme("default", {"level": "beginner"}, PLAN)
    return data


def describe(exercise_id: str) -> tuple[tuple[str, ...], int]:
    cues = {"step-one": ("Heel stays down", "Knee travels forward")}
    return cues.get(exercise_id, ()), 45


def test_today_becomes_the_machines_list_with_cues_targets_and_rest(programme: Path) -> None:
    with Store.open() as store:
        today = store.today("default", dt.date.today())
    assert today is not None
    assert planned_for_today(today, describe) == [
        Planned(
            "step-one",
            "Step one",
            ("Heel stays down", "Knee travels forward"),
            2,
            Amount(reps=10),
            45,
        ),
        Planned(
            "lone-hinge",
            "Lone hinge",
            ("Lone hinge: key cue",),
            3,
            Amount(reps=12),
            20,
            cautions=("Sore back: keep the range short.",),
        ),
        Planned(
            "step-three", "Step three", ("Step three: key cue",), 2, Amount(hold_seconds=30), 45
        ),
    ]


def test_what_is_logged_today_is_left_out_and_a_half_done_exercise_carries_on(
    programme: Path,
) -> None:
    on = dt.date.today()
    with Store.open(write=True) as store:
        session = store.begin_session("default", on, 0)
        store.log_set(session, "step-one", Amount_(reps=10))
        store.log_set(session, "step-one", Amount_(reps=9))
        store.log_set(session, "lone-hinge", Amount_(reps=12))
        today = store.today("default", on)
    assert today is not None
    planned = planned_for_today(today, describe)
    assert [(p.id, p.already_done) for p in planned] == [("lone-hinge", 1), ("step-three", 0)]


def test_an_exercise_skipped_or_stopped_today_is_not_offered_again(programme: Path) -> None:
    on = dt.date.today()
    with Store.open(write=True) as store:
        session = store.begin_session("default", on, 0)
        store.log_set(session, "step-one", Amount_(reps=10))
        store.set_status(session, "step-one", Status.STOPPED)
        store.set_status(session, "lone-hinge", Status.SKIPPED)
        today = store.today("default", on)
    assert today is not None
    assert [p.id for p in planned_for_today(today, describe)] == ["step-three"]


def Amount_(**measure: int) -> Any:  # noqa: N802  (the store's Amount, beside the machine's)
    from kotcoach.store import Amount as StoredAmount

    return StoredAmount(**measure)


def test_the_recorder_writes_each_set_pain_and_skip_with_its_target(programme: Path) -> None:
    on = dt.date.today()
    with Store.open() as reader:
        today = reader.today("default", on)
    assert today is not None
    planned = planned_for_today(today, describe)
    with Store.open(write=True) as store:
        recorder = StoreRecorder(store, "default", on, today.slot, planned)
        machine = SessionMachine(planned, recorder, FakeClock())
        machine.enter()
        machine.enter()  # rest over
        machine.enter(8)
        machine.enter(7)  # pain during above 5/10: stopped for today
        machine.skip()
        machine.skip()  # lone hinge, nothing done
        machine.enter(25)  # step three: 25 s typed
        machine.skip()
        machine.skip()
        machine.enter(3)
        assert machine.phase == Phase.PAIN_AFTER
        machine.enter(4)
    with Store.open() as store:
        [logged] = store.sessions("default")
        history = {log.exercise: log for log in store.exercise_history("default")}
    assert logged.pain_after == 4 and logged.slot == 0
    step = history["step-one"]
    assert [s.amount for s in step.sets] == [Amount_(reps=10), Amount_(reps=8)]
    assert step.target == Target(2, Amount_(reps=10))
    assert (step.pain_during, step.status) == (7, Status.STOPPED)
    assert (history["lone-hinge"].sets, history["lone-hinge"].status) == ((), Status.SKIPPED)
    three = history["step-three"]
    assert [s.amount for s in three.sets] == [Amount_(hold_seconds=25)]
    assert (three.pain_during, three.status) == (3, Status.SKIPPED)


def test_starting_and_quitting_at_once_writes_nothing(programme: Path) -> None:
    on = dt.date.today()
    with Store.open() as reader:
        today = reader.today("default", on)
    assert today is not None
    with Store.open(write=True) as store:
        StoreRecorder(store, "default", on, today.slot, planned_for_today(today, describe))
    with Store.open() as store:
        assert store.sessions("default") == []


def test_without_a_terminal_it_says_to_use_log(data: Path) -> None:
    result = CliRunner().invoke(app, ["session"], prog_name="kotcoach")
    assert result.exit_code == 2
    assert result.stderr == (
        "kotcoach: error: kotcoach session needs a terminal; without one, use 'kotcoach log'. "
        "See 'kotcoach session --help'\n"
    )
    assert not data.exists()


def test_without_a_programme_it_says_how_to_make_one_and_creates_nothing(
    data: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("kotcoach.cli.session._is_terminal", lambda: True)
    result = CliRunner().invoke(app, ["session"], prog_name="kotcoach")
    assert result.exit_code == 1
    assert result.stderr == (
        "kotcoach: error: profile 'default' has no programme yet (make one with 'kotcoach start')\n"
    )
    assert not data.exists()


def test_the_profile_option_chooses_whose_programme(
    programme: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("kotcoach.cli.session._is_terminal", lambda: True)
    runner = CliRunner()
    result = runner.invoke(app, ["--profile", "sam", "session"], prog_name="kotcoach")
    assert result.exit_code == 2  # only 'profile set' and 'start' make a profile
    assert "no profile is called 'sam'" in result.stderr
    made = runner.invoke(app, ["--profile", "sam", "profile", "set", "--level", "beginner"])
    assert made.exit_code == 0, made.stderr
    result = runner.invoke(app, ["--profile", "Sam", "session"], prog_name="kotcoach")
    assert result.exit_code == 1
    assert "profile 'sam' has no programme yet" in result.stderr


def start(catalog: Path, size: tuple[int, int] = (80, 24)) -> Terminal:
    env = {**os.environ, "KOTCOACH_CATALOG": str(catalog)}
    return Terminal(kotcoach("session", "--no-bell"), env, size)


def sets_stored() -> list[tuple[str, int]]:
    with Store.open() as store:
        return [(log.exercise, len(log.sets)) for log in store.exercise_history("default")]


def test_a_session_killed_mid_exercise_keeps_every_set_done_before_the_kill(
    programme: Path, mini: Path
) -> None:
    terminal = start(mini)
    try:
        wait_for(lambda: "Heel stays down" in terminal.text(), what="the first exercise")
        terminal.send("\r")  # step one, set 1 at its target
        wait_for(lambda: sets_stored() == [("step-one", 1)], what="set 1")
        terminal.send("\r")  # rest over
        terminal.send("9\r")  # set 2: 9 reps
        wait_for(lambda: sets_stored() == [("step-one", 2)], what="set 2")
        terminal.send("2\r")  # pain during 2/10
        wait_for(lambda: "Hinge at the hips" in terminal.text(), what="the second exercise")
        terminal.send("\r")  # lone hinge, set 1
        wait_for(lambda: sets_stored() == [("step-one", 2), ("lone-hinge", 1)], what="hinge")
        os.killpg(terminal.process.pid, signal.SIGKILL)  # mid-exercise: 2 of its sets to go
        assert terminal.process.wait(timeout=10) == -signal.SIGKILL
    finally:
        terminal.close()
    with Store.open() as store:
        history = {log.exercise: log for log in store.exercise_history("default")}
    assert [s.amount for s in history["step-one"].sets] == [Amount_(reps=10), Amount_(reps=9)]
    assert history["step-one"].pain_during == 2
    assert [s.amount for s in history["lone-hinge"].sets] == [Amount_(reps=12)]

    # run again: it carries on with the hinge's second set, and q saves and quits
    again = start(mini)
    try:
        wait_for(lambda: "SET 2 OF 3" in again.text(), what="the hinge's next set")
        assert "Step one" not in again.text()
        again.send("q")
        assert again.process.wait(timeout=20) == 0
        wait_for(lambda: "Saved 0 sets." in again.plain(), what="the summary")
    finally:
        again.close()
    summary = " ".join(again.plain()[again.plain().index("Saved 0 sets.") :].split())
    assert "Lone hinge: 1 of 3 sets, not finished" in summary
    assert "Not reached: Step three" in summary


@pytest.mark.parametrize("args", [["--help"], ["list"]])
def test_help_and_list_do_not_import_textual(args: list[str], tmp_path: Path) -> None:
    env = {**os.environ, "KOTCOACH_CACHE_DIR": str(tmp_path / "cache")}
    result = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "kotcoach", *args],
        capture_output=True,
        text=True,
        env=env,
        check=True,
    )
    imported = {line.split("|")[-1].strip().split(".")[0] for line in result.stderr.splitlines()}
    assert "kotcoach" in imported and "textual" not in imported


def test_on_a_real_terminal_s_asks_u_undoes_and_a_rerun_says_where_it_carries_on(
    programme: Path, mini: Path
) -> None:
    terminal = start(mini)
    try:
        wait_for(lambda: "Heel stays down" in terminal.text(), what="the first exercise")
        terminal.send("\r")  # step one, set 1
        wait_for(lambda: sets_stored() == [("step-one", 1)], what="set 1")
        terminal.send("u")  # takes the saved set back out of the log
        wait_for(lambda: sets_stored() == [], what="set 1 taken back")
        terminal.send("\r")  # and set 1 again
        wait_for(lambda: sets_stored() == [("step-one", 1)], what="set 1 again")
        terminal.send("s")
        wait_for(lambda: "s again to skip Step one" in terminal.text(), what="the question")
        terminal.send("u")
        wait_for(lambda: "Not skipped: carry on" in terminal.text(), what="the undo")
        assert "HOW DID IT FEEL?" not in terminal.text()
        terminal.send("q")
        assert terminal.process.wait(timeout=20) == 0
    finally:
        terminal.close()
    again = start(mini)
    try:
        wait_for(
            lambda: "Welcome back: carrying on at Step one, set 2 of 2." in again.plain(),
            what="the welcome back",
        )
        again.send("s")
        again.send("s")  # the second 's' skips: pain during for the set done
        wait_for(lambda: "HOW DID IT FEEL?" in again.text(), what="the pain question")
        again.send("q")
        assert again.process.wait(timeout=20) == 0
    finally:
        again.close()


def test_the_ctrl_c_question_fits_a_40_column_terminal(programme: Path, mini: Path) -> None:
    terminal = start(mini, size=(40, 24))
    try:
        wait_for(lambda: "Heel stays down" in terminal.text(), what="the first exercise")
        terminal.send("\x03")
        wait_for(lambda: "y quit · n carry on" in terminal.text(), what="the whole question")
        screen = terminal.text()
        assert "Paused. Quit the session?" in screen
        terminal.send("y")
        assert terminal.process.wait(timeout=20) == 0
    finally:
        terminal.close()


def test_a_session_under_a_held_lock_waits_saving_and_never_quits_with_a_set_unsaved(
    programme: Path, mini: Path
) -> None:
    import sqlite3

    terminal = start(mini)
    lock = sqlite3.connect(programme / "kotcoach.db", isolation_level=None)
    try:
        wait_for(lambda: "Heel stays down" in terminal.text(), what="the first exercise")
        lock.execute("BEGIN IMMEDIATE")  # another kotcoach writing, for as long as it takes
        terminal.send("\r")  # step one, set 1 at its target
        wait_for(lambda: "saving ..." in terminal.plain(), what="the saving line")
        assert "Set 1 of 2 saving" in " ".join(terminal.plain().split())
        assert terminal.process.poll() is None  # the workout goes on
        terminal.send("q")
        wait_for(lambda: "Ctrl-C stops waiting" in terminal.plain(), what="the wait")
        try:  # a session that quits on 'q' does so within milliseconds: a second is plenty
            terminal.process.wait(timeout=1)
        except subprocess.TimeoutExpired:
            pass
        assert terminal.process.poll() is None, "it quit with a set unsaved"
        assert lock.execute("SELECT count(*) FROM sets").fetchone()[0] == 0
        lock.execute("ROLLBACK")  # the other kotcoach is done
        assert terminal.process.wait(timeout=20) == 0
        wait_for(lambda: "kotcoach: saved." in terminal.plain(), what="saved")
    finally:
        lock.close()
        terminal.close()
    assert sets_stored() == [("step-one", 1)]


def test_restore_is_refused_by_name_while_a_session_holds_the_log(
    programme: Path, mini: Path, tmp_path: Path, runner: CliRunner
) -> None:
    backup = tmp_path / "backup.db"
    assert runner.invoke(app, ["data", "backup", str(backup)]).exit_code == 0
    terminal = start(mini)
    try:
        wait_for(lambda: "Heel stays down" in terminal.text(), what="the first exercise")
        result = runner.invoke(app, ["data", "restore", str(backup)])
        assert result.exit_code == 1
        assert (
            f"in use by a guided session ('kotcoach session'), process {terminal.process.pid}"
            in (result.stderr)
        )
        terminal.send("q")
        assert terminal.process.wait(timeout=20) == 0
    finally:
        terminal.close()
    result = runner.invoke(app, ["data", "restore", str(backup)])
    assert result.exit_code == 0, result.stderr
    assert not list(programme.glob("kotcoach.db.held-by-*"))


def test_a_log_deleted_mid_session_stops_saving_and_keeps_the_sets(programme: Path) -> None:
    with Store.open() as reader:
        today = reader.today("default", dt.date.today())
    assert today is not None
    planned = planned_for_today(today, describe)
    with Store.open(write=True) as store:
        recorder = StoreRecorder(store, "default", today.date, today.slot, planned)
        machine = SessionMachine(planned, recorder, FakeClock())
        machine.enter(None)  # set 1 of step one: saved
        assert recorder.unsaved == 0
        for name in ("kotcoach.db", "kotcoach.db-wal", "kotcoach.db-shm"):
            (programme / name).unlink(missing_ok=True)
        machine.enter(None)  # rest over
        machine.enter(9)  # set 2: 9 reps, after the file went
        assert recorder.stopped is not None and "was deleted" in recorder.stopped
        assert [item.what for item in recorder.pending] == ["step-one: a set of 9"]
        machine.enter(3)  # pain during: kept behind it, in order
        assert recorder.unsaved == 2
    assert not (programme / "kotcoach.db").exists()  # nothing was written anywhere meanwhile
    with Store.open(write=True) as fresh:
        recorder.save_to(fresh)
        assert recorder.unsaved == 0
        [log] = fresh.exercise_history("default")
    assert [s.amount.reps for s in log.sets] == [9] and log.pain_during == 3


def test_results_kept_from_a_replaced_log_are_listed_and_saved_where_the_person_says(
    programme: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from kotcoach.base.errors import StoreError
    from kotcoach.cli import session as cli_session

    with Store.open() as reader:
        today = reader.today("default", dt.date.today())
    assert today is not None
    planned = planned_for_today(today, describe)
    store = Store.open(write=True)
    recorder = StoreRecorder(store, "default", today.date, today.slot, planned)
    machine = SessionMachine(planned, recorder, FakeClock())
    replacement = programme / "other.db"
    Store.open(replacement, write=True).close()
    os.replace(replacement, programme / "kotcoach.db")  # another file takes the log's name
    machine.enter(None)
    assert recorder.stopped is not None and "replaced by another file" in recorder.stopped
    store.close()
    monkeypatch.setattr(cli_session, "_is_terminal", lambda: False)
    with pytest.raises(StoreError, match="1 result of this session was not saved"):
        cli_session._keep_unsaved(recorder)
    assert "  step-one: a set of 10\n" in capsys.readouterr().err
    monkeypatch.setattr(cli_session, "_is_terminal", lambda: True)
    monkeypatch.setattr("typer.confirm", lambda *a, **k: True)
    cli_session._keep_unsaved(recorder)  # yes: into the log now at the path
    assert sets_stored() == [("step-one", 1)]


def test_a_full_disk_is_retried_and_a_damaged_log_stops_saving() -> None:
    from kotcoach.base.errors import StoreError
    from kotcoach.coaching.session.machine import SetDone
    from kotcoach.store.connection import DiskFullError

    class Flaky:
        def __init__(self, failure: StoreError) -> None:
            self.failure: StoreError | None = failure
            self.sets: list[int] = []

        def begin_session(self, *args: object) -> int:
            return 1

        def log_set(self, session: int, exercise: str, amount: object, **kw: object) -> int:
            if self.failure is not None:
                raise self.failure
            self.sets.append(session)
            return len(self.sets)

    now = [0.0]
    planned = [Planned("step-one", "Step one", (), 2, Amount(reps=10), 45)]
    done = SetDone("step-one", 0, 1, Amount(reps=10), Amount(reps=10))
    full = Flaky(DiskFullError("the disk is full: cannot write the training log x"))
    recorder = StoreRecorder(full, "default", dt.date.today(), 0, planned, clock=lambda: now[0])  # type: ignore[arg-type]
    recorder.set_done(done)
    assert (recorder.unsaved, recorder.stopped) == (1, None)
    full.failure = None
    recorder.retry()  # not yet: once a second
    assert recorder.unsaved == 1
    now[0] = 1.5
    recorder.retry()
    assert recorder.unsaved == 0 and full.sets == [1]
    damaged = Flaky(StoreError("the training log x cannot be read (file is not a database)"))
    recorder = StoreRecorder(damaged, "default", dt.date.today(), 0, planned)  # type: ignore[arg-type]
    recorder.set_done(done)
    assert recorder.unsaved == 1 and recorder.stopped is not None
    assert "cannot be read" in recorder.stopped


# --- load and undo, through the whole command, driven in-process by Textual's pilot -----------

PRESS = item("leg-press-heavy-slow", "Heavy slow leg press", {"sets": 2, "reps": 15}, "2 × 15")
TIB = item("tib-raise-wall", "Tibialis raise", {"sets": 2, "reps": 20}, "2 × 20")
LOADED_PLAN = {
    "weeks": [
        {
            "week": 1,
            "sessions": [{"day": 1, "minutes": 20, "warm_up": None, "exercises": [PRESS, TIB]}],
        }
    ]
}


def drive(
    monkeypatch: pytest.MonkeyPatch, script: Any, size: tuple[int, int] = (80, 24)
) -> CliRunner:
    """`kotcoach session` in-process, as on a terminal, its app run by `script(app, pilot)`."""
    import asyncio

    from kotcoach.tui.app import SessionApp

    def run_with_pilot(self: SessionApp) -> None:
        self.bell = lambda: None  # type: ignore[method-assign]

        async def main() -> None:
            async with self.run_test(size=size) as pilot:
                await pilot.pause()
                await script(self, pilot)

        asyncio.run(main())

    monkeypatch.setattr("kotcoach.cli.session._is_terminal", lambda: True)
    monkeypatch.setattr(SessionApp, "run", run_with_pilot)
    return CliRunner()


def screen(app: Any, widget_id: str) -> str:
    from rich.console import Console
    from textual.widgets import Static

    console = Console(width=200, color_system=None)
    with console.capture() as capture:
        console.print(app.query_one(f"#{widget_id}", Static).content)
    return " ".join(capture.get().replace("\u00a0", " ").split())


@pytest.fixture
def loaded_programme(data: Path) -> Path:
    earlier = dt.date.today() - dt.timedelta(days=3)
    with Store.open(write=True) as store:
        store.save_programme("default", {"level": "beginner"}, LOADED_PLAN)
        session = store.begin_session("default", earlier, None)
        store.log_exercise(
            session, "leg-press-heavy-slow", Amount_(reps=15), 2, pain_during=1, load_kg=60
        )
    return data


def test_the_session_asks_the_load_stores_it_with_each_set_and_history_shows_it(
    loaded_programme: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    prescribed = CliRunner().invoke(app, ["today", "--json"])
    (press,) = [e for e in json.loads(prescribed.stdout)["exercises"] if e["id"] == PRESS["id"]]
    kg = press["dose_detail"]["load_kg"]
    assert kg is not None
    seen: dict[str, str] = {}

    async def script(session: Any, pilot: Any) -> None:
        seen["dose"] = screen(session, "dose")
        seen["prompt"] = screen(session, "prompt")
        await pilot.press("a", "b", "c", "enter")  # not a load: said, and asked again
        seen["abc"] = screen(session, "notice")
        await pilot.press("minus", "5", "enter")
        seen["negative"] = screen(session, "notice")
        await pilot.press("6", "2", ".", "5", "enter")
        seen["ready"] = screen(session, "prompt")
        await pilot.press("enter", "enter", "enter", "2", "enter")  # 2 sets, pain during 2
        seen["tib"] = screen(session, "phase")  # the tibialis raise: no load asked
        await pilot.press("q")

    result = drive(monkeypatch, script).invoke(app, ["session"], prog_name="kotcoach")
    assert result.exit_code == 0, result.stderr
    assert seen["dose"].startswith(f"2 × 15 at {kg:g} kg")
    assert seen["prompt"] == f"Load, kg (0: none)? Enter keeps {kg:g}, or type it."
    assert seen["abc"] == "'abc' is not a load: type kg as a number, e.g. 12.5"
    assert seen["negative"] == "-5 kg cannot be recorded: type 0 to 500 kg"
    assert seen["ready"] == "Do 15 reps at 62.5 kg, then Enter."
    assert seen["tib"] == "SET 1 OF 2"
    with Store.open() as store:
        logs = [log for log in store.exercise_history("default") if log.date == dt.date.today()]
    (today_press,) = logs
    assert [s.load_kg for s in today_press.sets] == [62.5, 62.5]
    runner = CliRunner()
    assert "2 × 15 at 62.5 kg" in runner.invoke(app, ["history"]).stdout
    loads = json.loads(runner.invoke(app, ["progress", "--json"]).stdout)["loads"]
    assert [p["load_kg"] for p in loads[0]["points"]] == [60.0, 62.5]


def test_enter_keeps_the_prescribed_load(
    loaded_programme: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    prescribed = CliRunner().invoke(app, ["today", "--json"])
    (press,) = [e for e in json.loads(prescribed.stdout)["exercises"] if e["id"] == PRESS["id"]]

    async def script(session: Any, pilot: Any) -> None:
        await pilot.press("enter", "enter", "q")  # the load kept, one set

    result = drive(monkeypatch, script).invoke(app, ["session"], prog_name="kotcoach")
    assert result.exit_code == 0, result.stderr
    with Store.open() as store:
        today = [log for log in store.exercise_history("default") if log.date == dt.date.today()]
    assert [s.load_kg for log in today for s in log.sets] == [press["dose_detail"]["load_kg"]]


def test_u_takes_a_saved_set_out_of_the_log_and_a_rerun_welcomes_back(
    loaded_programme: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    stored: list[int] = []

    def sets_today() -> int:
        with Store.open() as store:
            return sum(
                len(log.sets)
                for log in store.exercise_history("default")
                if log.date == dt.date.today()
            )

    seen: dict[str, str] = {}

    async def script(session: Any, pilot: Any) -> None:
        await pilot.press("7", "0", "enter", "enter")  # 70 kg, set 1 saved
        stored.append(sets_today())
        seen["rest"] = screen(session, "phase")
        await pilot.press("u")
        stored.append(sets_today())
        seen["back"] = screen(session, "phase")
        seen["notice"] = screen(session, "notice")
        seen["prompt"] = screen(session, "prompt")
        await pilot.press("enter")  # set 1 again, at the same target and load
        stored.append(sets_today())
        await pilot.press("enter", "s")
        seen["ask"] = screen(session, "notice")
        await pilot.press("q")

    result = drive(monkeypatch, script).invoke(app, ["session"], prog_name="kotcoach")
    assert result.exit_code == 0, result.stderr
    assert stored == [1, 0, 1]
    assert (seen["rest"], seen["back"]) == ("REST", "SET 1 OF 2")
    assert seen["notice"] == "Taken back: set 1 of Heavy slow leg press is not saved. Do it again."
    assert seen["prompt"] == "Do 15 reps at 70 kg, then Enter."
    assert seen["ask"] == "s again to skip Heavy slow leg press, u to undo."

    async def again(session: Any, pilot: Any) -> None:
        seen["welcome"] = screen(session, "notice")
        seen["load"] = screen(session, "prompt")
        await pilot.press("q")

    result = drive(monkeypatch, again).invoke(app, ["session"], prog_name="kotcoach")
    assert result.exit_code == 0, result.stderr
    assert seen["welcome"] == "Welcome back: carrying on at Heavy slow leg press, set 2 of 2."
    assert seen["load"] == "Load, kg (0: none)? Enter keeps 70, or type it."  # today's load


# --- a paused exercise does not keep the day's session open ------------------------------------

STEP_DOWN = item("step-down", "Step-down", {"sets": 2, "reps": 10}, "2 × 10")
PAUSE_PLAN = {
    "days": 3,
    "weeks": [
        {
            "week": 1,
            "sessions": [
                {"day": 1, "minutes": 20, "warm_up": None, "exercises": [STEP_DOWN, TIB]},
                {"day": 2, "minutes": 20, "warm_up": None, "exercises": [TIB]},
            ],
        }
    ],
}


def test_a_paused_exercise_is_not_presented_and_does_not_keep_the_session_open(
    data: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with Store.open(write=True) as store:
        store.save_programme("default", {"level": "beginner", "days": 3}, PAUSE_PLAN)
    runner = CliRunner()
    checkin = ["checkin", "--pain", "knee=6", "--others", "0"]
    assert runner.invoke(app, checkin).exit_code == 0  # knee 6/10: moving knee work paused
    decided = json.loads(runner.invoke(app, ["today", "--json"]).stdout)
    by_id = {e["id"]: e for e in decided["exercises"]}
    assert by_id["step-down"]["decision"] == "pause"
    names: list[str] = []

    async def script(session: Any, pilot: Any) -> None:
        names.extend(p.id for p in session.machine.exercises)
        await pilot.press("enter", "enter", "enter", "1", "enter", "0", "enter")

    result = drive(monkeypatch, script).invoke(app, ["session"], prog_name="kotcoach")
    assert result.exit_code == 0, result.stderr
    assert names == ["tib-raise-wall"]  # the paused step-down is not even presented
    today = runner.invoke(app, ["today"]).stdout
    assert "Done for today. Next: session 2," in " ".join(today.split())
    assert json.loads(runner.invoke(app, ["today", "--json"]).stdout)["next"]["done_today"]
    plan = " ".join(runner.invoke(app, ["plan"]).stdout.split())
    assert "Your programme: done for today. Next: session 2" in plan
    again = runner.invoke(app, ["session"], prog_name="kotcoach")
    assert "Done for today. Next: session 2" in again.stdout  # no second session at once
    assert not [log for log in sets_today_logs() if log.exercise == "step-down"]
    # Two days on, with the knee settled, it is session 2, not session 1 again from scratch.
    later = dt.date.today() + dt.timedelta(days=2)
    with Store.open() as store:
        upcoming = store.today("default", later)
    assert upcoming is not None and upcoming.slot == 0  # without the coach, still session 1
    from kotcoach.cli._app import State
    from kotcoach.coaching.today import coached_today

    with Store.open() as store:
        coached = coached_today(State(None), store, later)[0]
    assert coached is not None and coached.slot == 1


def sets_today_logs() -> list[Any]:
    with Store.open() as store:
        return [log for log in store.exercise_history("default") if log.date == dt.date.today()]


def test_a_take_back_waits_behind_its_set_for_a_busy_log_and_a_skip_is_taken_back_too(
    programme: Path,
) -> None:
    import sqlite3

    on = dt.date.today()
    with Store.open() as reader:
        today = reader.today("default", on)
    assert today is not None
    planned = planned_for_today(today, describe)
    lock = sqlite3.connect(programme / "kotcoach.db", isolation_level=None)
    now = [0.0]
    with Store.open(write=True, timeout=0.05) as store:
        recorder = StoreRecorder(store, "default", on, today.slot, planned, clock=lambda: now[0])
        machine = SessionMachine(planned, recorder, FakeClock())
        machine.enter()  # step one, set 1: saved
        lock.execute("BEGIN IMMEDIATE")  # another kotcoach writing
        machine.enter()  # rest over
        machine.enter(9)  # set 2: queued behind the lock
        machine.undo()  # its take-back queued behind it, in order
        assert (recorder.unsaved, machine.set_number) == (2, 2)
        lock.execute("ROLLBACK")
        now[0] = 2.0
        recorder.retry()
        assert recorder.unsaved == 0
        assert sets_stored() == [("step-one", 1)]
        machine.undo()  # set 1 too: the session, now empty, goes with it
        assert (sets_stored(), recorder.session_id) == ([], None)
        machine.skip()
        machine.skip()  # step one skipped with nothing done: the hinge is next
        assert machine.exercise.id == "lone-hinge"
        with Store.open() as reader:
            assert [log.status for log in reader.exercise_history("default")] == [Status.SKIPPED]
        machine.undo()
        assert (machine.exercise.id, machine.set_number) == ("step-one", 1)
        with Store.open() as reader:
            assert reader.sessions("default") == []  # nothing left of it
        machine.enter()  # and it carries on, in a new session
    lock.close()
    assert sets_stored() == [("step-one", 1)]
