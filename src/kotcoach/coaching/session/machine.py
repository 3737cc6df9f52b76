"""The guided session as a state machine: sets, countdowns, rest, skip, pause and the pain stop.

Pure logic: no terminal, no store, no real time. Time comes from an injected clock (a function
returning seconds, monotonic), so tests move it by hand; what was done goes to a `Recorder` the
moment it is done, before the machine moves on, so a session killed at any point has already
handed over every set finished before it.

The flow for one exercise:

- an exercise that carries a load (the catalogue gives it a load step) first asks in LOAD for
  the load used, kg per rep (per hand where the catalogue says), the prescribed load as the
  default; every set of it is recorded at that load;
- a set of reps waits in READY until the person says it is done (Enter), then REST counts down;
- a timed set (a hold, or minutes of walking) waits in READY, counts down in WORK when started,
  and is recorded when the countdown ends (or early, with the time actually held); per side, the
  second side follows the first;
- after the last set (or a skip, once a set was done), PAIN_DURING asks for pain 0-10; above 5
  the exercise stops for today, by the pain-monitoring model's rule;
- after the last exercise, PAIN_AFTER asks for pain after the session, then DONE.

'u' takes back the last set or skip, even a set already recorded: the recorder is told to take
it back, and the session is at that set again, with the same target. A pain score closes the
exercise: nothing before it can be taken back (a stop for pain above 5/10 is never undone).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from enum import StrEnum
from typing import Protocol

from kotcoach.base.errors import UsageError
from kotcoach.base.vocab import MAX_PAIN_DURING
from kotcoach.store.records import (
    MAX_HOLD_SECONDS,
    MAX_LOAD_KG,
    MAX_MINUTES,
    MAX_REPS,
    Amount,
    describe_kg,
)

Clock = Callable[[], float]


class BadEntry(UsageError):
    """A typed number that means nothing here; the UI shows it and waits for another."""


MAX_REST_SECONDS = 600
# The most one set may record, by measure (the store refuses more).
LIMITS = {"reps": MAX_REPS, "hold_seconds": MAX_HOLD_SECONDS, "minutes": MAX_MINUTES}


@dataclass(frozen=True)
class Planned:
    """One exercise of the session as planned: what to do and how it should feel."""

    id: str
    name: str
    cues: tuple[str, ...]
    sets: int
    target: Amount
    rest_seconds: int
    per_side: bool = False
    already_done: int = 0  # sets logged earlier today: the session carries on from there
    warm_up: bool = False
    cautions: tuple[str, ...] = ()  # how a condition changes it, from the plan
    loaded: bool = False  # it carries a load: the session asks for it before the first set
    load_kg: float | None = None  # the prescribed load, kg per rep, shown with the dose
    per_hand: bool = False  # the load is per hand (a dumbbell in each)
    load_today: float | None = None  # the load of its sets logged earlier today

    def __post_init__(self) -> None:
        if not 0 <= self.already_done < self.sets:
            raise ValueError(f"{self.id}: needs a set still to do")
        if (self.load_kg is not None or self.load_today is not None) and not self.loaded:
            raise ValueError(f"{self.id}: a load for an exercise that carries none")

    @property
    def default_load(self) -> float | None:
        """What Enter keeps when the load is asked: today's, carrying on, else the coach's."""
        return self.load_today if self.load_today is not None else self.load_kg

    def load_text(self, load_kg: float | None) -> str:
        """'12 kg per hand', '40 kg', 'body weight' (0 kg)."""
        if load_kg is None:
            return "load not given"
        if load_kg == 0:
            return "body weight"
        return f"{describe_kg(load_kg)} kg" + (" per hand" if self.per_hand else "")

    def dose(self) -> str:
        """'3 × 15 per side', '5 × 45 s hold', '10 min', as the plan writes doses."""
        target = self.target
        if target.reps is not None:
            text = f"{self.sets} × {target.reps}"
        else:
            amount = (
                f"{target.hold_seconds} s hold" if target.minutes is None else target.describe()
            )
            text = amount if self.sets == 1 else f"{self.sets} × {amount}"
        text += " per side" if self.per_side else ""
        if self.load_kg is not None:
            text += f" at {self.load_text(self.load_kg)}"
        return text


@dataclass(frozen=True)
class SetDone:
    """One finished set: its place in the session, the target and what was done."""

    exercise_id: str
    position: int  # the exercise's index in the session, from 0
    set_number: int  # from 1
    target: Amount
    actual: Amount
    load_kg: float | None = None  # kg per rep, for an exercise that carries a load


class Ending(StrEnum):
    """How an exercise ended when it did not simply finish."""

    SKIPPED = "skipped"  # the person passed over the rest of it
    STOPPED = "stopped"  # stopped for today: pain during above 5/10


class Recorder(Protocol):
    """Where the session's results go, each as it happens."""

    def set_done(self, done: SetDone) -> None: ...

    def exercise_pain(self, exercise_id: str, position: int, pain: int) -> None: ...

    def exercise_ended(self, exercise_id: str, position: int, ending: Ending) -> None: ...

    def session_pain_after(self, pain: int) -> None: ...

    def set_undone(self, done: SetDone) -> None:
        """Take back a set recorded by `set_done` (the last one recorded)."""

    def exercise_resumed(self, exercise_id: str, position: int) -> None:
        """Take back a skip recorded by `exercise_ended`: the exercise goes on."""


class Phase(StrEnum):
    LOAD = "load"  # asks the load used, for an exercise that carries one
    READY = "ready"  # a set to do: reps, or a timed set not started yet
    WORK = "work"  # a timed set counting down
    REST = "rest"  # rest between sets counting down
    PAIN_DURING = "pain-during"  # asks pain during the exercise just finished
    PAIN_AFTER = "pain-after"  # asks pain after the session
    DONE = "done"


class Event(StrEnum):
    COUNTDOWN_ENDED = "countdown-ended"  # a hold or a rest ran out: ring the bell
    SET_RECORDED = "set-recorded"
    EXERCISE_STOPPED = "exercise-stopped"  # pain above 5/10
    FINISHED = "finished"


@dataclass
class _Exercise:
    """Progress through the current exercise."""

    position: int
    sets_done: int = 0
    side: int = 1
    side_held: list[int] = field(default_factory=list)
    load_kg: float | None = None  # the load given in LOAD, for every set of it


@dataclass(frozen=True)
class _Undo:
    """What 'u' takes back: a set recorded (`done`) or a skip (`done` None), and the session
    as it was just before it."""

    done: SetDone | None
    current: _Exercise
    phase: Phase
    outcomes: int
    skipped: bool


@dataclass(frozen=True)
class Outcome:
    """How one exercise ended, for the summary."""

    position: int
    exercise: Planned
    sets_done: int
    pain: int | None = None
    stopped: bool = False
    skipped: bool = False


class SessionMachine:
    """The guided session's state; the terminal UI shows it and sends it the keys."""

    def __init__(self, exercises: Sequence[Planned], recorder: Recorder, clock: Clock) -> None:
        if not exercises:
            raise UsageError("there is nothing to train in this session")
        self.exercises = tuple(exercises)
        self.recorder = recorder
        self.clock = clock
        self.paused = False
        self.notice: str | None = None
        self.outcomes: list[Outcome] = []
        self.pain_after: int | None = None
        self.sets_recorded = 0
        self._current = _Exercise(position=0, sets_done=self.exercises[0].already_done)
        self.phase: Phase = self._first_phase()
        self._undo: list[_Undo] = []  # what 'u' can take back, the last first
        self._deadline: float | None = None
        self._started: float | None = None  # when the WORK countdown began, for early stops
        self._left_at_pause: float | None = None
        self._stopped_ids: set[str] = set()
        self._skipped = False
        self.skip_asked = False  # one 's' asks; a second skips; 'u' (or any other key) does not

    # What the UI shows.

    @property
    def exercise(self) -> Planned:
        return self.exercises[self._current.position]

    @property
    def position(self) -> int:
        return self._current.position

    @property
    def set_number(self) -> int:
        """The set being done now (or next, while resting), from 1."""
        return min(self._current.sets_done + 1, self.exercise.sets)

    @property
    def sets_done(self) -> int:
        return self._current.sets_done

    @property
    def side(self) -> int | None:
        """1 or 2 for a timed exercise done per side, otherwise None."""
        if self.exercise.per_side and self.exercise.target.timed:
            return self._current.side
        return None

    @property
    def takes_number(self) -> bool:
        """Whether a typed number means something now (a count, a time, a load or a pain
        score)."""
        return self.phase in (
            Phase.LOAD,
            Phase.READY,
            Phase.WORK,
            Phase.PAIN_DURING,
            Phase.PAIN_AFTER,
        )

    @property
    def load_kg(self) -> float | None:
        """The load given for the current exercise (None: none given, or it carries none)."""
        return self._current.load_kg

    def remaining(self) -> float | None:
        """Seconds left on the countdown, or None when nothing counts down."""
        if self._left_at_pause is not None:
            return self._left_at_pause
        if self._deadline is None:
            return None
        return max(0.0, self._deadline - self.clock())

    def coming_next(self) -> str:
        """One line: what follows what is happening now."""
        if self.phase in (Phase.PAIN_AFTER, Phase.DONE):
            return "the end of the session"
        following = self._following_position(self.position)
        then = (
            f"{self.exercises[following].name}, {self.exercises[following].dose()}"
            if following is not None
            else "pain after the session, then done"
        )
        if self.phase == Phase.PAIN_DURING:
            return then
        if self.phase == Phase.LOAD:
            return f"set {self.set_number} of {self.exercise.sets}"
        if self.phase == Phase.REST or self._current.sets_done + 1 < self.exercise.sets:
            upcoming = self.set_number + (0 if self.phase == Phase.REST else 1)
            return f"set {upcoming} of {self.exercise.sets}"
        if self.side == 1:
            return "the second side"
        return "a pain check, then " + then

    # The keys.

    def enter(self, number: int | None = None) -> list[Event]:
        """Enter: a set done at the target (or at `number`), a countdown started or ended early,
        or a pain score given."""
        if self.paused:
            return []
        if self.phase == Phase.LOAD:
            return self.give_load("" if number is None else str(number))
        self.notice = None
        self.skip_asked = False
        if self.phase == Phase.READY:
            if self.exercise.target.timed and number is None:
                self._start_countdown(Phase.WORK, self.exercise.target.seconds)
                self._started = self.clock()
                return []
            return self._finish_set(self._checked_amount(number))
        if self.phase == Phase.WORK:
            if number is not None:
                return self._finish_set(self._checked_amount(number))
            started = self._started if self._started is not None else self.clock()
            target = self.exercise.target
            held = target.count_held(self.clock() - started)
            if held == 0:
                self._ready()
                within = "a second" if target.hold_seconds is not None else "half a minute"
                self.notice = f"Stopped within {within}: nothing saved. Enter to start again."
                return []
            return self._finish_set(target.with_value(held))
        if self.phase == Phase.REST:
            self._ready()
            return []
        if self.phase == Phase.PAIN_DURING:
            return self._pain_during(number)
        if self.phase == Phase.PAIN_AFTER:
            return self._pain_after(number)
        return []

    def give_load(self, typed: str = "") -> list[Event]:
        """Enter in LOAD: the load typed, kg ('12.5' or '12,5'), or the prescribed load when
        nothing is typed. Anything else is refused (`BadEntry`) and asked again."""
        if self.paused or self.phase != Phase.LOAD:
            return []
        self.notice = None
        self.skip_asked = False
        self._current.load_kg = _load(typed, self.exercise)
        self.phase = Phase.READY
        return []

    def skip(self) -> list[Event]:
        """s: skip a question at once; leave an exercise only at the second 's' in a row (one
        slip of a finger once skipped four exercises), its remaining sets not done."""
        if self.paused or self.phase == Phase.DONE:
            return []
        self.notice = None
        if self.phase not in (Phase.PAIN_AFTER, Phase.PAIN_DURING) and not self.skip_asked:
            self.skip_asked = True
            self.notice = f"s again to skip {self.exercise.name}, u to undo."
            return []
        self.skip_asked = False
        if self.phase == Phase.PAIN_AFTER:
            self._undo.clear()
            self.phase = Phase.DONE
            return [Event.FINISHED]
        if self.phase == Phase.PAIN_DURING:
            self._undo.clear()  # the exercise is closed
            self.outcomes.append(self._outcome())
            return self._next_exercise()
        before = self._remember(None)
        self.recorder.exercise_ended(self.exercise.id, self.position, Ending.SKIPPED)
        self._undo.append(before)
        self._skipped = True
        self._clear_countdown()
        if self._current.sets_done:
            self.phase = Phase.PAIN_DURING
            return []
        self.outcomes.append(self._outcome())
        return self._next_exercise()

    def undo(self) -> list[Event]:
        """u: take back an 's' not yet confirmed, else the last set or skip, even a set already
        recorded (the recorder takes it back): the session is at that set again, with the same
        target. Not past a pain score: that closes the exercise."""
        if self.paused:
            return []
        if self.skip_asked:
            self.skip_asked = False
            self.notice = f"Not skipped: carry on with {self.exercise.name}."
            return []
        current = self._current
        if current.side_held:  # the first side of a set, not recorded yet
            self._clear_countdown()
            current.side, current.side_held = 1, []
            self.phase = Phase.READY
            self.notice = f"Taken back: the first side of set {self.set_number}. Do it again."
            return []
        if not self._undo:
            self.notice = "Nothing to undo here ('kotcoach log' corrects the log)."
            return []
        last = self._undo[-1]
        planned = self.exercises[last.current.position]
        if last.done is not None:
            self.recorder.set_undone(last.done)  # before anything moves, as a set is recorded
        else:
            self.recorder.exercise_resumed(planned.id, last.current.position)
        self._undo.pop()
        self._clear_countdown()
        self._current = replace(last.current, side_held=[])
        self.phase = last.phase
        del self.outcomes[last.outcomes :]
        self._skipped = last.skipped
        if last.done is not None:
            self.sets_recorded -= 1
            self.notice = (
                f"Taken back: set {last.done.set_number} of {planned.name} is not saved. "
                "Do it again."
            )
        else:
            self.notice = f"Not skipped: carry on with {planned.name}."
        return []

    def toggle_pause(self) -> None:
        """Space: freeze the countdown, or start it again where it stopped."""
        if self.phase == Phase.DONE:
            return
        if self.paused:
            self.resume()
        else:
            self.pause()

    def pause(self) -> None:
        if self.paused or self.phase == Phase.DONE:
            return
        self.paused = True
        if self._deadline is not None:
            self._left_at_pause = max(0.0, self._deadline - self.clock())
            self._deadline = None

    def resume(self) -> None:
        if not self.paused:
            return
        self.paused = False
        if self._left_at_pause is not None:
            now = self.clock()
            self._deadline = now + self._left_at_pause
            if self._started is not None and self.phase == Phase.WORK:
                # the hold's elapsed time must not count the pause
                self._started = now - (self.exercise.target.seconds - self._left_at_pause)
            self._left_at_pause = None

    def adjust_rest(self, seconds: int) -> None:
        """+ / -: more or less rest, 15 s at a time; never below zero or above ten minutes."""
        if self.phase != Phase.REST:
            return
        left = self.remaining() or 0.0
        left = min(float(MAX_REST_SECONDS), max(0.0, left + seconds))
        if self._left_at_pause is not None:
            self._left_at_pause = left
        else:
            self._deadline = self.clock() + left

    def tick(self) -> list[Event]:
        """Called often by the UI: ends a countdown whose time is up."""
        if self.paused or self._deadline is None or self.clock() < self._deadline:
            return []
        if self.phase == Phase.WORK:
            events = self._finish_set(self.exercise.target)
        else:
            self._ready()
            events = []
        return [Event.COUNTDOWN_ENDED, *events]

    # Inside.

    def _checked_amount(self, number: int | None) -> Amount:
        target = self.exercise.target
        if number is None:
            return target
        limit = LIMITS[target.measure]
        if not 1 <= number <= limit:
            unit = {"reps": "reps", "hold_seconds": "seconds", "minutes": "minutes"}
            raise BadEntry(f"{number} {unit[target.measure]} cannot be recorded (1-{limit})")
        return target.with_value(number)

    def _finish_set(self, actual: Amount) -> list[Event]:
        current = self._current
        planned = self.exercise
        if self.side == 1:
            current.side_held.append(actual.value)
            current.side = 2
            self._clear_countdown()
            self.phase = Phase.READY
            return []
        if current.side_held:
            actual = actual.with_value(min(current.side_held[0], actual.value))
        done = SetDone(
            planned.id,
            current.position,
            current.sets_done + 1,
            planned.target,
            actual,
            current.load_kg,
        )
        before = self._remember(done)
        self.recorder.set_done(done)  # before anything moves: a failure leaves the set to do
        self._undo.append(before)
        self.sets_recorded += 1
        current.sets_done += 1
        current.side, current.side_held = 1, []
        self._clear_countdown()
        if current.sets_done >= planned.sets:
            self.phase = Phase.PAIN_DURING
        elif planned.rest_seconds > 0:
            self._start_countdown(Phase.REST, planned.rest_seconds)
        else:
            self.phase = Phase.READY
        return [Event.SET_RECORDED]

    def _pain_during(self, number: int | None) -> list[Event]:
        pain = _pain_score(number)
        planned = self.exercise
        self.recorder.exercise_pain(planned.id, self.position, pain)
        self._undo.clear()  # a pain score closes the exercise: a stop for pain is never undone
        stopped = pain > MAX_PAIN_DURING
        if stopped:
            self.recorder.exercise_ended(planned.id, self.position, Ending.STOPPED)
        self.outcomes.append(self._outcome(pain=pain, stopped=stopped))
        if stopped:
            self._stopped_ids.add(planned.id)
            events = self._next_exercise()
            self.notice = (
                f"{planned.name} stops here for today: pain {pain}/10 is above "
                f"{MAX_PAIN_DURING}/10. Do not push through it; if the pain persists, see a "
                "physiotherapist or doctor."
            )
            return [Event.EXERCISE_STOPPED, *events]
        events = self._next_exercise()
        if pain > 2:
            self.notice = f"Pain {pain}/10: acceptable, as long as it settles by tomorrow morning."
        return events

    def _pain_after(self, number: int | None) -> list[Event]:
        pain = _pain_score(number)
        self.recorder.session_pain_after(pain)
        self._undo.clear()
        self.pain_after = pain
        self.phase = Phase.DONE
        return [Event.FINISHED]

    def _outcome(self, pain: int | None = None, stopped: bool = False) -> Outcome:
        current = self._current
        return Outcome(
            current.position, self.exercise, current.sets_done, pain, stopped, self._skipped
        )

    def _following_position(self, position: int) -> int | None:
        for later in range(position + 1, len(self.exercises)):
            if self.exercises[later].id not in self._stopped_ids:
                return later
        return None

    def _next_exercise(self) -> list[Event]:
        self._clear_countdown()
        self._skipped = False
        following = self._following_position(self.position)
        if following is None:
            self.phase = Phase.PAIN_AFTER if self.sets_recorded else Phase.DONE
            return [] if self.sets_recorded else [Event.FINISHED]
        self._current = _Exercise(following, sets_done=self.exercises[following].already_done)
        self.phase = self._first_phase()
        return []

    def _first_phase(self) -> Phase:
        """LOAD for an exercise that carries a load, else READY."""
        return Phase.LOAD if self.exercise.loaded else Phase.READY

    def _remember(self, done: SetDone | None) -> _Undo:
        """The session as it is now, for 'u' to come back to: at this set, its first side."""
        current = self._current
        state = _Exercise(current.position, current.sets_done, 1, [], current.load_kg)
        phase = Phase.LOAD if self.phase == Phase.LOAD else Phase.READY
        return _Undo(done, state, phase, len(self.outcomes), self._skipped)

    def _ready(self) -> None:
        self._clear_countdown()
        self.phase = Phase.READY

    def _start_countdown(self, phase: Phase, seconds: int) -> None:
        self.phase = phase
        self._deadline = self.clock() + seconds
        self._left_at_pause = None

    def _clear_countdown(self) -> None:
        self._deadline = None
        self._started = None
        self._left_at_pause = None


def _load(typed: str, planned: Planned) -> float:
    """The load typed, kg per rep, or the prescribed one for nothing typed; a `BadEntry` naming
    what was typed and what to type otherwise."""
    per = "kg per hand" if planned.per_hand else "kg"
    text = typed.strip().replace(",", ".")
    if not text:
        if planned.default_load is None:
            raise BadEntry(f"type the load in {per} (0: none), then Enter")
        return planned.default_load
    try:
        value = float(text)
    except ValueError:
        raise BadEntry(f"'{typed}' is not a load: type {per} as a number, e.g. 12.5") from None
    if not math.isfinite(value) or not 0 <= value <= MAX_LOAD_KG:
        raise BadEntry(f"{typed} kg cannot be recorded: type 0 to {MAX_LOAD_KG:g} {per}")
    return round(value, 2)


def _pain_score(number: int | None) -> int:
    if number is None or not 0 <= number <= 10:
        raise BadEntry("type pain as a whole number from 0 to 10, then Enter")
    return number
