"""The guided session's Textual app, driven by Textual's pilot with a fake clock."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable

from rich.console import Console
from session_fakes import HOLD, SQUAT, WALK, FakeClock, ListRecorder
from textual.pilot import Pilot
from textual.widgets import Static

from kotcoach.base.errors import KotcoachError
from kotcoach.coaching.session import Amount, Phase, Planned, SessionMachine, SetDone
from kotcoach.tui.app import BigClock, QuitScreen, SessionApp, big_digits, pack

Script = Callable[[SessionApp, Pilot[None], FakeClock, ListRecorder], Awaitable[None]]


def run(script: Script, *exercises: Planned, bell: bool = True) -> SessionApp:
    recorder, clock = ListRecorder(), FakeClock()
    app = Ticking(SessionMachine(exercises or (SQUAT, HOLD), recorder, clock), bell=bell)
    app.bell = lambda: None  # type: ignore[method-assign]  # a headless app has no terminal

    async def main() -> None:
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.pause()
            await script(app, pilot, clock, recorder)

    asyncio.run(main())
    return app


def shown(app: SessionApp, widget_id: str, width: int = 200) -> str:
    """A widget's text as a person would read it (non-breaking spaces read as spaces)."""
    content = app.query_one(f"#{widget_id}", Static).content
    console = Console(width=width, color_system=None)
    with console.capture() as capture:
        console.print(content)
    lines = capture.get().replace("\u00a0", " ").splitlines()
    return "\n".join(line.rstrip() for line in lines)


def big(app: SessionApp) -> str:
    return app.query_one("#clock", BigClock).value


async def tick(pilot: Pilot[None], clock: FakeClock, seconds: float) -> None:
    """Move the fake clock on and let the app's own interval timer notice: wait (up to 10 s on a
    busy machine) until the timer has ticked twice since, the second after the first's redraw."""
    clock.advance(seconds)
    app = pilot.app
    assert isinstance(app, Ticking)
    seen = app.ticks
    for _ in range(200):
        await pilot.pause(0.05)
        if app.ticks >= seen + 2:
            break


class Ticking(SessionApp):
    """The session app, counting the ticks of its own interval timer."""

    ticks = 0

    def tick(self) -> None:
        super().tick()
        self.ticks += 1


def test_the_screen_shows_the_exercise_its_cues_the_set_and_what_comes_next() -> None:
    async def script(app: SessionApp, pilot: Pilot[None], _: FakeClock, __: ListRecorder) -> None:
        assert shown(app, "top") == "kotcoach session · exercise 1 of 2"
        assert shown(app, "name") == "Split squat"
        assert shown(app, "dose") == "3 × 8 per side · rest 60 s"
        assert shown(app, "cues") == "• Front knee travels over the toes\n• Back knee soft"
        assert shown(app, "phase") == "SET 1 OF 3"
        assert big(app) == "8"
        assert shown(app, "prompt") == "Do 8 reps each side, then Enter."
        assert shown(app, "next") == "Next: set 2 of 3"
        assert "Enter done" in shown(app, "keys") and "q save and quit" in shown(app, "keys")

    run(script)


def test_enter_records_the_target_and_a_typed_number_records_what_differed() -> None:
    async def script(app: SessionApp, pilot: Pilot[None], _: FakeClock, rec: ListRecorder) -> None:
        await pilot.press("enter")
        assert rec.sets[-1].actual == Amount(reps=8)
        assert (shown(app, "phase"), big(app)) == ("REST", "1:00")
        await pilot.press("enter")  # rest over early
        await pilot.press("7", "9", "backspace")
        assert shown(app, "prompt") == "typed: 7"
        await pilot.press("enter")
        assert rec.sets[-1] == SetDone("split-squat", 0, 2, Amount(reps=8), Amount(reps=7))

    run(script)


def test_rest_counts_down_on_the_clock_and_rings_the_bell_at_the_end() -> None:
    async def script(app: SessionApp, pilot: Pilot[None], clk: FakeClock, _: ListRecorder) -> None:
        await pilot.press("enter")
        await tick(pilot, clk, 20.2)
        assert big(app) == "0:40"
        await pilot.press("plus")
        assert big(app) == "0:55"
        await pilot.press("minus", "minus")
        assert big(app) == "0:25"
        assert app.bells == 0
        await tick(pilot, clk, 25)
        assert app.bells == 1
        assert shown(app, "phase") == "SET 2 OF 3"

    run(script)


def test_a_hold_counts_down_and_is_saved_when_the_bell_rings() -> None:
    async def script(
        app: SessionApp, pilot: Pilot[None], clk: FakeClock, rec: ListRecorder
    ) -> None:
        assert big(app) == "0:30"
        await pilot.press("enter")
        assert shown(app, "phase") == "SET 1 OF 2 · GO"
        await tick(pilot, clk, 12)
        assert big(app) == "0:18"
        assert rec.sets == []
        await tick(pilot, clk, 18)
        assert rec.sets[0].actual == Amount(hold_seconds=30)
        assert (app.bells, shown(app, "phase"), big(app)) == (1, "REST", "0:45")

    run(script, HOLD)


def test_no_bell_keeps_quiet() -> None:
    rung: list[str] = []

    async def script(
        app: SessionApp, pilot: Pilot[None], clk: FakeClock, rec: ListRecorder
    ) -> None:
        app.bell = lambda: rung.append("bell")  # type: ignore[method-assign]
        await pilot.press("enter")
        await tick(pilot, clk, 30)
        assert len(rec.sets) == 1

    app = run(script, HOLD, bell=False)
    assert app.bells == 0 and rung == []


def test_space_pauses_the_countdown_and_ignores_other_keys_until_it_is_pressed_again() -> None:
    async def script(
        app: SessionApp, pilot: Pilot[None], clk: FakeClock, rec: ListRecorder
    ) -> None:
        await pilot.press("enter")
        await tick(pilot, clk, 10)
        await pilot.press("space")
        assert shown(app, "phase") == "PAUSED · SET 1 OF 2 · GO"
        assert shown(app, "keys") == "space carry on · q save and quit"
        await tick(pilot, clk, 300)
        await pilot.press("enter", "s")
        assert (big(app), rec.sets, app.machine.phase) == ("0:20", [], Phase.WORK)
        await pilot.press("space")
        await tick(pilot, clk, 20)
        assert rec.sets[0].actual == Amount(hold_seconds=30)

    run(script, HOLD)


def test_s_skips_the_exercise_and_pain_above_five_stops_it_and_says_so() -> None:
    async def script(app: SessionApp, pilot: Pilot[None], _: FakeClock, rec: ListRecorder) -> None:
        await pilot.press("enter", "s")
        assert shown(app, "notice") == "s again to skip Split squat, u to undo."
        await pilot.press("s")
        assert shown(app, "phase") == "HOW DID IT FEEL?"
        assert shown(app, "prompt") == "Pain during Split squat, 0-10? Type it, then Enter."
        await pilot.press("7")
        assert big(app) == "7"
        await pilot.press("enter")
        assert rec.pains == [("split-squat", 0, 7)]
        notice = shown(app, "notice")
        assert notice.startswith("Split squat stops here for today: pain 7/10 is above 5/10.")
        assert shown(app, "name") == "Wall sit"

    run(script)


def test_a_pain_score_out_of_range_is_explained_and_asked_again() -> None:
    async def script(app: SessionApp, pilot: Pilot[None], _: FakeClock, rec: ListRecorder) -> None:
        await pilot.press("enter", "1", "2", "enter")
        assert shown(app, "notice") == "type pain as a whole number from 0 to 10, then Enter"
        assert app.machine.phase == Phase.PAIN_DURING and rec.pains == []
        await pilot.press("2", "enter")
        assert rec.pains == [("w", 0, 2)]

    run(script, Planned("w", "Wall", ("c",), 1, Amount(reps=5), 0), HOLD)


def test_the_session_ends_with_pain_after_and_the_app_exits() -> None:
    async def script(app: SessionApp, pilot: Pilot[None], _: FakeClock, rec: ListRecorder) -> None:
        await pilot.press("enter", "0", "enter")
        assert shown(app, "phase") == "SESSION DONE"
        await pilot.press("3", "enter")
        await pilot.pause()
        assert rec.pain_after == [3]
        assert not app.is_running

    run(script, Planned("w", "Wall", ("c",), 1, Amount(reps=5), 0))


def test_ctrl_c_pauses_and_asks_and_carrying_on_resumes_the_countdown() -> None:
    async def script(
        app: SessionApp, pilot: Pilot[None], clk: FakeClock, rec: ListRecorder
    ) -> None:
        await pilot.press("enter")
        await pilot.press("ctrl+c")
        assert isinstance(app.screen, QuitScreen)
        assert app.machine.paused
        question = str(app.screen.query_one(Static).content)
        assert question == "Paused. Quit the session?\n1 set saved so far.\n\ny quit · n carry on"
        await tick(pilot, clk, 120)
        assert app.machine.phase == Phase.REST
        await pilot.press("n")
        assert not isinstance(app.screen, QuitScreen) and not app.machine.paused
        assert big(app) == "1:00"
        await pilot.press("ctrl+c", "y")
        await pilot.pause()
        assert not app.is_running
        assert len(rec.sets) == 1

    run(script)


def test_ctrl_c_twice_quits_and_q_quits_at_once() -> None:
    async def twice(app: SessionApp, pilot: Pilot[None], _: FakeClock, rec: ListRecorder) -> None:
        await pilot.press("enter", "enter", "enter", "ctrl+c", "ctrl+c")
        await pilot.pause()
        assert not app.is_running and len(rec.sets) == 2

    async def q(app: SessionApp, pilot: Pilot[None], _: FakeClock, rec: ListRecorder) -> None:
        await pilot.press("q")
        await pilot.pause()
        assert not app.is_running and rec.sets == []

    run(twice)
    run(q)


def test_a_store_failure_stops_the_app_and_keeps_the_error_for_the_cli() -> None:
    class Locked(ListRecorder):
        def set_done(self, done: SetDone) -> None:
            raise KotcoachError("database is locked")

    app = SessionApp(SessionMachine([SQUAT], Locked(), FakeClock()))

    async def main() -> None:
        async with app.run_test() as pilot:
            await pilot.press("enter")
            await pilot.pause()

    asyncio.run(main())
    assert str(app.error) == "database is locked"
    assert app.return_code == 1


def test_catalogue_text_is_shown_as_text_not_markup() -> None:
    odd = Planned(
        "odd", "[bold]Odd[/bold] \x1b[2Jsquat", ("[red]cue[/]\a",), 1, Amount(minutes=2), 0
    )

    async def script(app: SessionApp, pilot: Pilot[None], _: FakeClock, __: ListRecorder) -> None:
        assert shown(app, "name") == "[bold]Odd[/bold] \\x1b[2Jsquat"
        assert shown(app, "cues") == "• [red]cue[/]\\x07"
        assert big(app) == "2:00"

    run(script, odd, WALK)


def test_key_help_breaks_lines_between_keys_never_inside_one() -> None:
    parts = ["Enter done", "other count: type it, Enter", "s skip", "q save and quit"]
    assert pack(parts, 40) == "Enter done · other count: type it, Enter\ns skip · q save and quit"
    assert pack(parts, 20) == "Enter done\nother count: type it, Enter\ns skip\nq save and quit"


def test_a_warm_up_is_labelled_and_a_conditions_caution_is_shown_under_the_cues() -> None:
    careful = Planned(
        "squat",
        "Squat",
        ("Sit between the heels",),
        2,
        Amount(reps=5),
        30,
        cautions=("Kneecap pain: limit the depth to where it stays comfortable.",),
    )
    warm_up = Planned(
        "walk", "Backward walking", ("Toes first",), 1, Amount(minutes=5), 0, warm_up=True
    )

    async def script(app: SessionApp, pilot: Pilot[None], _: FakeClock, __: ListRecorder) -> None:
        assert shown(app, "name") == "Backward walking (warm-up)"
        assert app.query_one("#caution").display is False
        await pilot.press("5", "enter", "0", "enter")
        assert shown(app, "name") == "Squat"
        assert shown(app, "caution") == (
            "Kneecap pain: limit the depth to where it stays comfortable."
        )
        assert app.query_one("#caution").display is True

    run(script, warm_up, careful)


def test_the_coachs_referral_stays_on_screen_the_whole_session() -> None:
    referral = "Knee pain has risen two weeks running: see a physiotherapist."
    app = SessionApp(SessionMachine([SQUAT], ListRecorder(), FakeClock()), referral=referral)

    async def main() -> None:
        async with app.run_test() as pilot:
            await pilot.pause()
            assert shown(app, "referral") == referral
            await pilot.press("enter", "enter", "enter")
            assert app.machine.sets_recorded == 2
            assert shown(app, "referral") == referral
            assert app.query_one("#referral").display is True

    asyncio.run(main())
    plain = SessionApp(SessionMachine([SQUAT], ListRecorder(), FakeClock()))

    async def without() -> None:
        async with plain.run_test() as pilot:
            await pilot.pause()
            assert plain.query_one("#referral").display is False

    asyncio.run(without())


def test_the_clock_is_five_rows_tall_when_there_is_room() -> None:
    assert big_digits("0:45").splitlines() == [
        "███     █ █ ███",
        "█ █  █  █ █ █  ",
        "█ █     ███ ███",
        "█ █  █    █   █",
        "███       █ ███",
    ]

    async def script(app: SessionApp, pilot: Pilot[None], _: FakeClock, __: ListRecorder) -> None:
        clock = app.query_one("#clock", BigClock)
        assert clock.value == "0:30"
        assert len(str(clock.render()).splitlines()) == 5  # 80 × 24: readable from the floor

    run(script, HOLD)


def test_u_takes_back_an_s_on_screen() -> None:
    async def script(app: SessionApp, pilot: Pilot[None], _: FakeClock, rec: ListRecorder) -> None:
        await pilot.press("s")
        assert shown(app, "notice") == "s again to skip Split squat, u to undo."
        await pilot.press("u")
        assert shown(app, "notice") == "Not skipped: carry on with Split squat."
        assert shown(app, "name") == "Split squat" and rec.endings == []

    run(script)


def test_the_ctrl_c_question_keeps_the_screen_behind_it_in_place() -> None:
    # The app's 'Screen { padding: 0 1 }' reached the dialog's own screen and moved what shows
    # behind it a column right, cutting its right edge at 40 columns.
    async def script(app: SessionApp, pilot: Pilot[None], _: FakeClock, __: ListRecorder) -> None:
        await pilot.press("ctrl+c")
        await pilot.pause()
        assert isinstance(app.screen, QuitScreen)
        assert app.screen.styles.padding.left == 0

    run(script)


class SlowSaver(ListRecorder):
    """A recorder whose writes wait for the log, as StoreRecorder's queue does when locked."""

    def __init__(self) -> None:
        super().__init__()
        self.queued: list[SetDone] = []
        self.problem: str | None = "the log is locked"
        self.stopped: str | None = None

    @property
    def unsaved(self) -> int:
        return len(self.queued)

    def set_done(self, done: SetDone) -> None:
        self.queued.append(done)

    def retry(self) -> None:
        pass


def test_a_queued_write_shows_saving_and_the_rest_does_not_claim_saved() -> None:
    saver = SlowSaver()
    app = SessionApp(SessionMachine([SQUAT], saver, FakeClock()), saver=saver)

    async def main() -> None:
        async with app.run_test() as pilot:
            await pilot.press("enter")  # set 1: queued, not written
            await pilot.pause()
            assert shown(app, "notice").startswith("saving ... 1 result waiting: the log is locked")
            assert shown(app, "prompt") == "Set 1 of 3 saving ..."
            await pilot.press("ctrl+c")  # the pause question does not claim it is saved
            await pilot.pause()
            assert isinstance(app.screen, QuitScreen) and app.screen.waiting == 1

    asyncio.run(main())
    assert saver.unsaved == 1
