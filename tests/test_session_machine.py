"""The guided session's state machine, driven by hand with a fake clock (no terminal)."""

from __future__ import annotations

import pytest
from session_fakes import COUCH, HOLD, LOADED, SQUAT, WALK, FakeClock, ListRecorder

from kotcoach.base.errors import KotcoachError
from kotcoach.coaching.session import (
    Amount,
    BadEntry,
    Ending,
    Event,
    Phase,
    Planned,
    SessionMachine,
    SetDone,
)
from kotcoach.coaching.session.summary import summarise


def machine(*exercises: Planned) -> tuple[SessionMachine, ListRecorder, FakeClock]:
    recorder, clock = ListRecorder(), FakeClock()
    return SessionMachine(exercises, recorder, clock), recorder, clock


def test_enter_records_the_set_at_its_target_then_rest_counts_down() -> None:
    m, rec, clock = machine(SQUAT)
    assert (m.phase, m.set_number) == (Phase.READY, 1)
    assert m.enter() == [Event.SET_RECORDED]
    assert rec.sets == [SetDone("split-squat", 0, 1, Amount(reps=8), Amount(reps=8))]
    assert (m.phase, m.remaining()) == (Phase.REST, 60)
    clock.advance(59.5)
    assert m.tick() == []
    assert m.remaining() == pytest.approx(0.5)
    clock.advance(0.5)
    assert m.tick() == [Event.COUNTDOWN_ENDED]
    assert (m.phase, m.set_number, m.remaining()) == (Phase.READY, 2, None)


def test_a_typed_number_records_what_was_actually_done() -> None:
    m, rec, _ = machine(SQUAT)
    m.enter(6)
    assert rec.sets[0].actual == Amount(reps=6)
    assert rec.sets[0].target == Amount(reps=8)


def test_enter_during_rest_ends_it_early() -> None:
    m, rec, _ = machine(SQUAT)
    m.enter()
    assert m.enter() == []
    assert (m.phase, m.set_number, len(rec.sets)) == (Phase.READY, 2, 1)


def test_after_the_last_set_pain_is_asked_and_recorded() -> None:
    m, rec, _ = machine(SQUAT, HOLD)
    for _ in range(3):
        m.enter()
        if m.phase == Phase.REST:
            m.enter()
    assert m.phase == Phase.PAIN_DURING
    assert [s.set_number for s in rec.sets] == [1, 2, 3]
    m.enter(4)
    assert rec.pains == [("split-squat", 0, 4)]
    assert m.notice is not None and "4/10: acceptable" in m.notice
    assert (m.phase, m.exercise.id, m.set_number) == (Phase.READY, "wall-sit", 1)


def test_pain_above_five_stops_the_exercise_for_today_and_says_so() -> None:
    m, rec, _ = machine(
        Planned("a", "Calf raise", ("Up tall",), 1, Amount(reps=20), 30),
        HOLD,
        Planned("a", "Calf raise", ("Up tall",), 1, Amount(reps=20), 30),
    )
    m.enter()
    events = m.enter(6)
    assert Event.EXERCISE_STOPPED in events
    assert m.notice is not None
    assert "Calf raise stops here for today" in m.notice
    assert "above 5/10" in m.notice and "Do not push through it" in m.notice
    assert m.outcomes[0].stopped and m.outcomes[0].pain == 6
    assert rec.endings == [("a", 0, Ending.STOPPED)]
    # the wall sit is next; the calf raise planned again later is left out today
    assert m.exercise.id == "wall-sit"
    m.skip()
    m.skip()  # the second 's' skips
    assert m.phase == Phase.PAIN_AFTER
    assert [s.exercise_id for s in rec.sets] == ["a"]


def test_pain_of_five_is_within_the_rule_and_the_exercise_goes_on() -> None:
    m, _, _ = machine(Planned("a", "Calf raise", ("Up",), 1, Amount(reps=20), 0), HOLD)
    m.enter()
    assert Event.EXERCISE_STOPPED not in m.enter(5)
    assert not m.outcomes[0].stopped


def test_a_hold_counts_down_after_enter_and_is_recorded_with_a_bell() -> None:
    m, rec, clock = machine(HOLD)
    assert m.enter() == []
    assert (m.phase, m.remaining()) == (Phase.WORK, 30)
    clock.advance(30)
    assert m.tick() == [Event.COUNTDOWN_ENDED, Event.SET_RECORDED]
    assert rec.sets[0].actual == Amount(hold_seconds=30)
    assert (m.phase, m.remaining()) == (Phase.REST, 45)


def test_a_hold_ended_early_records_the_seconds_held_not_counting_a_pause() -> None:
    m, rec, clock = machine(HOLD)
    m.enter()
    clock.advance(10)
    m.toggle_pause()
    clock.advance(100)
    assert m.remaining() == 20
    m.toggle_pause()
    clock.advance(2.7)
    m.enter()
    assert rec.sets[0].actual == Amount(hold_seconds=12)


def test_a_hold_done_elsewhere_can_be_typed_without_starting_the_countdown() -> None:
    m, rec, _ = machine(HOLD)
    m.enter(25)
    assert rec.sets[0].actual == Amount(hold_seconds=25)
    assert m.phase == Phase.REST


def test_a_hold_per_side_runs_both_sides_and_records_the_shorter() -> None:
    m, rec, clock = machine(COUCH)
    m.enter()
    assert m.side == 1
    assert m.coming_next() == "the second side"
    clock.advance(60)
    assert m.tick() == [Event.COUNTDOWN_ENDED]
    assert (m.phase, m.side, rec.sets) == (Phase.READY, 2, [])
    m.enter()
    clock.advance(41)
    m.enter()
    assert rec.sets == [
        SetDone("couch-stretch", 0, 1, Amount(hold_seconds=60), Amount(hold_seconds=41))
    ]
    assert m.phase == Phase.PAIN_DURING


def test_minutes_stopped_early_are_recorded_to_the_nearest_minute() -> None:
    m, rec, clock = machine(WALK)
    m.enter()
    assert m.remaining() == 600
    clock.advance(4 * 60 + 40)
    m.enter()
    assert rec.sets[0].actual == Amount(minutes=5)


def test_pause_freezes_the_rest_and_resume_carries_on_from_there() -> None:
    m, _, clock = machine(SQUAT)
    m.enter()
    clock.advance(20)
    m.toggle_pause()
    assert m.paused
    clock.advance(500)
    assert m.tick() == []
    assert m.remaining() == 40
    assert m.enter() == [] and m.phase == Phase.REST  # keys wait while paused
    m.toggle_pause()
    clock.advance(39)
    assert m.tick() == []
    clock.advance(1)
    assert m.tick() == [Event.COUNTDOWN_ENDED]


def test_plus_and_minus_change_the_rest_by_fifteen_seconds_never_below_zero() -> None:
    m, _, clock = machine(SQUAT)
    m.enter()
    m.adjust_rest(15)
    assert m.remaining() == 75
    clock.advance(50)
    m.adjust_rest(-15)
    m.adjust_rest(-15)
    assert m.remaining() == 0
    assert m.tick() == [Event.COUNTDOWN_ENDED]
    m.adjust_rest(15)  # outside a rest it changes nothing
    assert m.remaining() is None


def test_rest_can_be_changed_while_paused() -> None:
    m, _, clock = machine(SQUAT)
    m.enter()
    m.pause()
    m.adjust_rest(-15)
    assert m.remaining() == 45
    m.resume()
    clock.advance(45)
    assert m.tick() == [Event.COUNTDOWN_ENDED]


def test_skip_before_any_set_moves_on_without_asking_pain() -> None:
    m, rec, _ = machine(SQUAT, HOLD)
    m.skip()
    m.skip()  # the second 's' skips
    assert (m.phase, m.exercise.id) == (Phase.READY, "wall-sit")
    assert m.outcomes[0].skipped and m.outcomes[0].sets_done == 0
    assert rec.pains == []
    assert rec.endings == [("split-squat", 0, Ending.SKIPPED)]


def test_skip_after_a_set_asks_pain_for_what_was_done() -> None:
    m, rec, _ = machine(SQUAT, HOLD)
    m.enter()
    m.skip()
    m.skip()  # the second 's' skips
    assert (m.phase, m.exercise.id, m.remaining()) == (Phase.PAIN_DURING, "split-squat", None)
    m.enter(2)
    assert rec.pains == [("split-squat", 0, 2)]
    assert m.outcomes[0].skipped and m.outcomes[0].sets_done == 1


def test_pain_after_ends_the_session() -> None:
    m, rec, _ = machine(Planned("a", "A", ("c",), 1, Amount(reps=5), 0))
    m.enter()
    m.enter(1)
    assert m.phase == Phase.PAIN_AFTER
    assert m.coming_next() == "the end of the session"
    assert m.enter(3) == [Event.FINISHED]
    assert (m.phase, rec.pain_after, m.pain_after) == (Phase.DONE, [3], 3)


def test_skipping_everything_finishes_without_asking_pain_after() -> None:
    m, rec, _ = machine(SQUAT)
    assert m.skip() == []  # the first 's' asks
    assert m.skip() == [Event.FINISHED]
    assert (m.phase, rec.pain_after) == (Phase.DONE, [])


@pytest.mark.parametrize("score", [None, 11, -1])
def test_a_pain_score_outside_0_to_10_is_refused_and_nothing_moves(score: int | None) -> None:
    m, rec, _ = machine(Planned("a", "A", ("c",), 1, Amount(reps=5), 0))
    m.enter()
    with pytest.raises(BadEntry, match="0 to 10"):
        m.enter(score)
    assert (m.phase, rec.pains) == (Phase.PAIN_DURING, [])


@pytest.mark.parametrize("count", [0, 501])
def test_a_count_of_nothing_or_absurdly_many_is_refused(count: int) -> None:
    m, rec, _ = machine(SQUAT)
    with pytest.raises(BadEntry, match=f"^{count} reps cannot be recorded \\(1-500\\)$"):
        m.enter(count)
    assert rec.sets == [] and m.phase == Phase.READY


def test_a_hold_stopped_within_its_first_second_saves_nothing() -> None:
    m, rec, clock = machine(HOLD)
    m.enter()
    clock.advance(0.6)
    m.enter()
    assert (rec.sets, m.phase) == ([], Phase.READY)
    assert m.notice == "Stopped within a second: nothing saved. Enter to start again."


def test_sets_logged_earlier_today_are_not_done_again() -> None:
    later = Planned("split-squat", "Split squat", ("c",), 3, Amount(reps=8), 0, already_done=2)
    m, rec, _ = machine(later)
    assert m.set_number == 3
    m.enter()
    assert rec.sets[0].set_number == 3
    assert m.phase == Phase.PAIN_DURING


def test_a_recorder_that_fails_leaves_the_set_still_to_do() -> None:
    class Broken(ListRecorder):
        def set_done(self, done: SetDone) -> None:
            raise KotcoachError("database is locked")

    m = SessionMachine([SQUAT], Broken(), FakeClock())
    with pytest.raises(KotcoachError):
        m.enter()
    assert (m.phase, m.sets_done, m.sets_recorded) == (Phase.READY, 0, 0)


def test_what_comes_next() -> None:
    m, _, _ = machine(SQUAT, HOLD)
    assert m.coming_next() == "set 2 of 3"
    m.enter()
    assert m.coming_next() == "set 2 of 3"  # resting before it
    m.enter()
    m.enter()
    m.enter()
    assert m.coming_next() == "a pain check, then Wall sit, 2 × 30 s hold"
    m.enter()
    assert m.coming_next() == "Wall sit, 2 × 30 s hold"
    m.enter(0)
    m.enter()
    assert m.coming_next() == "set 2 of 2"


def test_doses_read_like_the_plan() -> None:
    assert SQUAT.dose() == "3 × 8 per side"
    assert HOLD.dose() == "2 × 30 s hold"
    assert COUCH.dose() == "60 s hold per side"
    assert WALK.dose() == "10 min"


def test_an_empty_session_is_refused() -> None:
    with pytest.raises(KotcoachError, match="nothing to train"):
        SessionMachine([], ListRecorder(), FakeClock())


def test_the_summary_says_what_was_done_skipped_stopped_and_not_reached() -> None:
    calf = Planned("calf", "Calf raise", ("Up",), 2, Amount(reps=20), 0)
    m, _, _ = machine(SQUAT, calf, HOLD, WALK)
    m.enter()
    m.skip()
    m.skip()  # the second 's' skips
    m.enter(2)  # split squat: 1 set, skipped, pain 2
    m.enter()
    m.enter()
    m.enter(7)  # calf raise: both sets, then stopped for pain
    m.enter()  # the wall sit's hold starts, then the person quits
    assert summarise(m).lines() == [
        "Saved 3 sets.",
        "  Split squat: 1 of 3 sets, skipped, pain during 2/10",
        "  Calf raise: 2 of 2 sets, stopped for today (pain 7/10)",
        "  Wall sit: 0 of 2 sets, not finished",
        "  Not reached: Backward walking",
        "Stopped early: every set done is saved. Run kotcoach session again today to carry on.",
    ]


@pytest.mark.parametrize(
    ("pain", "advice"),
    [
        (3, "Pain after 3/10: it may reach 5/10 but must settle by the next morning."),
        (
            6,
            "Pain after 6/10 is above 5/10: ease off next time, and if the pain persists, see a "
            "physiotherapist or doctor.",
        ),
    ],
)
def test_the_summary_gives_the_rule_for_pain_after(pain: int, advice: str) -> None:
    m, _, _ = machine(Planned("a", "A", ("c",), 1, Amount(reps=5), 0))
    m.enter()
    m.enter(0)
    m.enter(pain)
    assert summarise(m).lines() == [
        "Saved 1 set.",
        "  A: 1 of 1 sets, pain during 0/10",
        advice,
        "Tomorrow morning, check in: kotcoach checkin --pain AREA=N",
    ]


def test_one_s_asks_and_u_takes_it_back() -> None:
    # One 's' once skipped a whole exercise: four went by accident in one try.
    m, rec, _ = machine(SQUAT, HOLD)
    assert m.skip() == []
    assert (m.phase, m.exercise.id, rec.endings) == (Phase.READY, "split-squat", [])
    assert m.notice == "s again to skip Split squat, u to undo."
    m.undo()
    assert m.notice == "Not skipped: carry on with Split squat."
    m.skip()
    m.enter()  # any answer but a second 's' keeps the exercise
    m.skip()
    assert m.exercise.id == "split-squat" and m.notice.startswith("s again")
    m.skip()
    assert m.phase == Phase.PAIN_DURING and rec.endings[-1][2] == Ending.SKIPPED
    m.enter(2)  # a pain score closes the exercise: nothing before it is taken back
    m.undo()
    assert m.notice == "Nothing to undo here ('kotcoach log' corrects the log)."
    assert (m.exercise.id, len(rec.sets), rec.undone) == ("wall-sit", 1, [])


def test_u_takes_back_a_recorded_set_and_the_same_set_comes_again() -> None:
    m, rec, _ = machine(SQUAT, HOLD)
    m.enter()
    m.enter()  # rest over
    m.enter(7)  # set 2: 7 reps, recorded
    assert (m.phase, m.sets_recorded) == (Phase.REST, 2)
    m.undo()
    assert rec.undone == [SetDone("split-squat", 0, 2, Amount(reps=8), Amount(reps=7))]
    assert [s.set_number for s in rec.sets] == [1]
    assert (m.phase, m.set_number, m.sets_done, m.remaining()) == (Phase.READY, 2, 1, None)
    assert (m.sets_recorded, m.exercise.target) == (1, Amount(reps=8))
    assert m.notice == "Taken back: set 2 of Split squat is not saved. Do it again."
    m.undo()  # and the one before
    assert (m.set_number, rec.sets) == (1, [])
    m.enter()
    assert rec.sets == [SetDone("split-squat", 0, 1, Amount(reps=8), Amount(reps=8))]


def test_u_after_the_last_set_takes_it_back_before_the_pain_question() -> None:
    m, rec, _ = machine(Planned("a", "A", ("c",), 2, Amount(reps=5), 0), HOLD)
    m.enter()
    m.enter()
    assert m.phase == Phase.PAIN_DURING
    m.undo()
    assert (m.phase, m.set_number, len(rec.sets), rec.pains) == (Phase.READY, 2, 1, [])


def test_u_takes_back_a_skip_even_after_moving_on() -> None:
    m, rec, _ = machine(SQUAT, HOLD)
    m.skip()
    m.skip()
    assert m.exercise.id == "wall-sit" and m.outcomes[0].skipped
    m.undo()
    assert (m.exercise.id, m.phase, m.set_number) == ("split-squat", Phase.READY, 1)
    assert (rec.resumed, rec.endings, m.outcomes) == ([("split-squat", 0)], [], [])
    assert m.notice == "Not skipped: carry on with Split squat."


def test_u_takes_back_a_skip_after_a_set_and_then_the_set() -> None:
    m, rec, _ = machine(SQUAT, HOLD)
    m.enter()
    m.skip()
    m.skip()
    assert m.phase == Phase.PAIN_DURING
    m.undo()
    assert (m.phase, m.set_number, rec.endings, rec.resumed) == (
        Phase.READY,
        2,
        [],
        [("split-squat", 0)],
    )
    m.undo()
    assert (m.set_number, rec.sets) == (1, [])


def test_a_stop_for_pain_above_five_is_never_undone() -> None:
    m, rec, _ = machine(Planned("a", "A", ("c",), 1, Amount(reps=5), 0), HOLD)
    m.enter()
    m.enter(7)  # above 5/10: stopped for today
    assert m.exercise.id == "wall-sit"
    m.undo()
    assert m.exercise.id == "wall-sit" and rec.endings == [("a", 0, Ending.STOPPED)]
    assert rec.undone == [] and len(rec.sets) == 1


def test_u_after_the_first_side_of_a_hold_takes_that_side_back() -> None:
    m, rec, _ = machine(COUCH)
    m.enter(50)  # first side typed
    assert m.side == 2
    m.undo()
    assert (m.side, m.phase, rec.sets, rec.undone) == (1, Phase.READY, [], [])


def test_a_loaded_exercise_asks_the_load_first_and_records_every_set_at_it() -> None:
    m, rec, _ = machine(LOADED, SQUAT)
    assert m.phase == Phase.LOAD
    assert m.exercise.dose() == "3 × 6 per side at 12 kg per hand"
    assert m.enter() == []  # Enter: the prescribed load
    assert (m.phase, m.load_kg) == (Phase.READY, 12.0)
    m.enter()
    assert rec.sets[-1].load_kg == 12.0


@pytest.mark.parametrize(("typed", "kg"), [("14", 14.0), ("12.5", 12.5), ("7,25", 7.25), ("0", 0)])
def test_a_typed_load_is_recorded(typed: str, kg: float) -> None:
    m, rec, _ = machine(LOADED)
    m.give_load(typed)
    m.enter()
    assert rec.sets == [SetDone(LOADED.id, 0, 1, Amount(reps=6), Amount(reps=6), kg)]


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("abc", "'abc' is not a load: type kg per hand as a number, e.g. 12.5"),
        ("-5", "-5 kg cannot be recorded: type 0 to 500 kg per hand"),
        ("900", "900 kg cannot be recorded: type 0 to 500 kg per hand"),
        ("nan", "nan kg cannot be recorded: type 0 to 500 kg per hand"),
        ("1e9", "1e9 kg cannot be recorded: type 0 to 500 kg per hand"),
    ],
)
def test_a_bad_load_is_refused_in_one_line_and_asked_again(typed: str, message: str) -> None:
    m, rec, _ = machine(LOADED)
    with pytest.raises(BadEntry) as refused:
        m.give_load(typed)
    assert str(refused.value) == message
    assert (m.phase, m.load_kg, rec.sets) == (Phase.LOAD, None, [])
    m.give_load("")
    assert m.load_kg == 12.0


def test_without_a_prescribed_load_enter_alone_asks_for_a_number() -> None:
    m, _, _ = machine(Planned("p", "Press", ("c",), 3, Amount(reps=8), 60, loaded=True))
    with pytest.raises(BadEntry, match=r"type the load in kg \(0: none\)"):
        m.enter()
    assert m.phase == Phase.LOAD
    m.give_load("40")
    assert (m.phase, m.load_kg) == (Phase.READY, 40.0)


def test_an_exercise_without_a_load_is_never_asked() -> None:
    m, rec, _ = machine(SQUAT, HOLD)
    phases = [m.phase]
    for _ in range(5):  # three sets, two rests
        m.enter()
        phases.append(m.phase)
    m.enter(0)  # pain during
    assert Phase.LOAD not in phases and m.exercise.id == "wall-sit" and m.phase == Phase.READY
    assert {s.load_kg for s in rec.sets} == {None}


def test_the_load_question_comes_after_moving_on_and_can_be_skipped() -> None:
    m, rec, _ = machine(SQUAT, LOADED)
    m.skip()
    m.skip()
    assert (m.exercise.id, m.phase) == (LOADED.id, Phase.LOAD)
    m.skip()
    assert m.notice == "s again to skip Loaded split squat, u to undo."
    m.undo()
    assert m.phase == Phase.LOAD
    m.give_load("10")
    m.enter()
    m.undo()  # the set taken back: the load stays, asked once
    assert (m.phase, m.load_kg, rec.sets) == (Phase.READY, 10.0, [])


def test_carrying_on_the_load_logged_today_is_the_default_and_the_dose_keeps_the_coachs() -> None:
    on = Planned(
        "p", "Press", ("c",), 3, Amount(reps=8), 60, already_done=1, loaded=True, load_kg=40.0,
        load_today=42.5,
    )  # fmt: skip
    m, rec, _ = machine(on)
    assert m.exercise.dose() == "3 × 8 at 40 kg"
    m.enter()
    m.enter()
    assert rec.sets[-1].load_kg == 42.5 and rec.sets[-1].set_number == 2


def test_a_load_for_an_exercise_that_carries_none_is_refused() -> None:
    with pytest.raises(ValueError, match="carries none"):
        Planned("a", "A", ("c",), 1, Amount(reps=5), 0, load_kg=5.0)
