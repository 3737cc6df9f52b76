"""The guided session's terminal UI: a Textual app that shows the session machine and sends it keys.

All the logic (sets, countdowns, skip, pause, the pain stop) lives in `coaching.session`; this
module only draws its state, turns keys into calls, ticks its clock and rings the bell. Text from
the catalogue (names, cues) is shown as plain text, never read as markup.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Protocol

from rich.table import Table
from rich.text import Text
from textual import events
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.css.query import NoMatches
from textual.screen import ModalScreen
from textual.widgets import Static

from kotcoach.base.errors import KotcoachError
from kotcoach.coaching.session import BadEntry, Event, Phase, SessionMachine
from kotcoach.render import clean
from kotcoach.store.records import describe_kg

if TYPE_CHECKING:
    from kotcoach.catalogue.models import Pose

TICK_SECONDS = 0.2
MAX_TYPED_DIGITS = 4
MAX_TYPED_LOAD = 6  # '112.5', '12,25'
COMMAND_KEYS = frozenset("suq")  # keys that act, never typed into an answer
MAX_CUES = 3


def clock_text(seconds: float) -> str:
    """A countdown as m:ss, rounded up so it reads 0:00 only when the time is over."""
    whole = math.ceil(seconds)
    return f"{whole // 60}:{whole % 60:02d}"


# The clock's digits, five rows a glyph, readable from the floor two metres away ('0:45' in 19
# columns). Drawn as they print: '#' is a block, '.' a blank; each glyph three columns wide, under
# its character in the first row.
FONT = """
 0   1   2   3   4   5   6   7   8   9   :   .
### .#. ### ### #.# ### ### ### ### ### ... ...
#.# ##. ..# ..# #.# #.. #.. ..# #.# #.# .#. ...
#.# .#. ### ### ### ### ### ..# ### ### ... ...
#.# .#. #.. ..# ..# ..# #.# ..# #.# ..# .#. ...
### ### ### ### ..# ### ### ..# ### ### ... .#.
"""


def _glyphs(font: str) -> dict[str, tuple[str, ...]]:
    """Each character of the font's first row with its rows as printed ('█' and spaces)."""
    names, *rows = font.strip("\n").splitlines()
    ink = [row.replace("#", "█").replace(".", " ") for row in rows]
    return {
        names[column + 1]: tuple(row[column : column + 3] for row in ink)
        for column in range(0, len(names), 4)
    }


GLYPHS = _glyphs(FONT)
BIG_ROWS = 5
BIG_FROM_HEIGHT = 20  # terminal rows from which the clock is drawn big


def big_digits(text: str) -> str:
    """Digits and ':' five rows tall, one column between glyphs; other characters as blanks."""
    blank = ("   ",) * BIG_ROWS
    glyphs = [GLYPHS.get(c, blank) for c in text]
    return "\n".join(" ".join(g[row] for g in glyphs) for row in range(BIG_ROWS))


class BigClock(Static):
    """The set's number or the countdown: five rows tall when the terminal has the room, one
    bold line otherwise. `value` is what it shows, as text."""

    def __init__(self, **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.value = ""

    def show(self, value: str, big: bool) -> None:
        self.value = value
        self.update(Text(big_digits(value) if big else value, style="bold"))


def pack(parts: list[str], width: int) -> str:
    """Join parts with ' · ', breaking lines only between parts (a part never splits)."""
    lines: list[str] = []
    for part in parts:
        if lines and len(lines[-1]) + 3 + len(part) <= width:
            lines[-1] += " · " + part
        else:
            lines.append(part)
    return "\n".join(lines)


class Saver(Protocol):
    """What the UI needs of the session's writer (`StoreRecorder`): how many writes wait for
    the log, why, whether saving stopped for good, and a nudge to try again."""

    @property
    def unsaved(self) -> int: ...

    problem: str | None
    stopped: str | None

    def retry(self) -> None: ...


class QuitScreen(ModalScreen[bool]):
    """Ctrl-C: the session is paused; quit (everything done is saved) or carry on."""

    DEFAULT_CSS = """
    QuitScreen { align: center middle; padding: 0; }
    QuitScreen > Static {
        width: auto; max-width: 90%; padding: 1 2; border: round $warning; background: $surface;
    }
    """
    BINDINGS = [
        Binding("y,q", "answer(True)", "quit", priority=True),
        Binding("n,escape,enter,space", "answer(False)", "carry on", priority=True),
    ]

    def __init__(self, sets_saved: int, waiting: int = 0) -> None:
        super().__init__()
        self.sets_saved = sets_saved
        self.waiting = waiting  # results queued for a busy log, not in it yet

    def compose(self) -> ComposeResult:
        saved = f"{self.sets_saved} set{'s' if self.sets_saved != 1 else ''} saved so far."
        if self.waiting:
            saved = (
                f"{self.waiting} result{'s' if self.waiting != 1 else ''} still saving: "
                "quitting waits until they are in."
            )
        yield Static(Text(f"Paused. Quit the session?\n{saved}\n\ny quit · n carry on"))

    def action_answer(self, quit_now: bool) -> None:
        self.dismiss(quit_now)


class SessionApp(App[None]):
    """One exercise at a time: its cues, the set, a countdown, what comes next, the keys."""

    TITLE = "kotcoach session"
    CSS = """
    Screen { padding: 0 1; }
    QuitScreen { padding: 0; }
    #top { color: $text-muted; }
    #referral { text-style: bold; color: $warning; margin-bottom: 1; }
    #referral.-empty { display: none; }
    #name { text-style: bold; color: $accent; }
    #dose { margin-bottom: 1; }
    #phase { text-style: bold; }
    #clock { width: auto; }
    #notice { color: $warning; margin-top: 1; }
    #notice.-empty { display: none; }
    #next { margin: 1 0; color: $text-muted; }
    #figure { height: auto; }
    #caution { color: $warning; margin-bottom: 1; }
    #caution.-empty { display: none; }
    #keys { dock: bottom; color: $text-muted; }
    """
    BINDINGS = [Binding("ctrl+c", "interrupt", show=False, priority=True)]

    def __init__(
        self,
        machine: SessionMachine,
        bell: bool = True,
        tick_seconds: float = TICK_SECONDS,
        referral: str | None = None,
        saver: Saver | None = None,
        poses: Mapping[str, Pose] | None = None,
    ) -> None:
        super().__init__()
        self.referral = referral
        self.saver = saver
        self._closing = False  # asked to end, waiting for the writes still queued
        self.poses = dict(poses or {})  # exercise id -> its figure, drawn in the room left
        self.machine = machine
        self.ring_bell = bell
        self.tick_seconds = tick_seconds
        self.typed = ""
        self.error: KotcoachError | None = None
        self.bells = 0
        self._asking = False
        self._leaving = False

    def compose(self) -> ComposeResult:
        # The set, its clock and what comes next stay at the same place for every exercise;
        # a condition's caution and the cues follow, so on a short terminal the last cue is
        # what gets cut, not the caution.
        with Vertical():
            for part in ("top", "referral", "name", "dose", "phase"):
                yield Static(id=part)
            yield BigClock(id="clock")
            for part in ("prompt", "notice", "next", "caution", "cues", "figure"):
                yield Static(id=part)
        yield Static(id="keys")

    def on_resize(self) -> None:
        self.show()

    def on_mount(self) -> None:
        self.set_interval(self.tick_seconds, self.tick)
        self.show()

    # Time.

    def tick(self) -> None:
        """Try the writes waiting for the log again, let the machine end a countdown whose time
        is up, then redraw."""
        if self._leaving:
            return
        if self.saver is not None:
            self.saver.retry()
        self._handle(self.machine.tick)

    def _leave(self, return_code: int = 0) -> None:
        """Close the app; a timer tick still queued must not redraw what is going away. Writes
        still waiting for the log are the CLI's to finish: it does not exit before they are in."""
        self._leaving = True
        self.exit(return_code=return_code)

    # Keys.

    def on_key(self, event: events.Key) -> None:
        if self._asking or self._leaving:
            return
        key, machine = event.key, self.machine
        event.stop()
        if key == "q":
            self._leave()
            return
        if key == "space":
            machine.toggle_pause()
        elif machine.paused:
            pass  # nothing else happens until the pause ends
        elif machine.phase == Phase.LOAD and key == "enter":
            typed, self.typed = self.typed, ""
            self._handle(lambda: machine.give_load(typed))
            return
        elif (
            machine.phase == Phase.LOAD
            and event.is_printable
            and event.character is not None
            and event.character not in COMMAND_KEYS
        ):
            # a load is typed as people write it ('12.5', '12,5'); anything else is explained
            # at Enter, and asked again
            if len(self.typed) < MAX_TYPED_LOAD:
                self.typed += event.character
        elif event.character is not None and event.character.isdigit():
            if machine.takes_number and len(self.typed) < MAX_TYPED_DIGITS:
                self.typed += event.character
        elif key == "backspace":
            self.typed = self.typed[:-1]
        elif key == "enter":
            number = int(self.typed) if self.typed else None
            self.typed = ""
            self._handle(lambda: machine.enter(number))
            return
        elif key == "s":
            self.typed = ""
            self._handle(machine.skip)
            return
        elif key == "u":
            self.typed = ""
            self._handle(machine.undo)
            return
        elif key in ("plus", "equals_sign"):
            machine.adjust_rest(15)
        elif key in ("minus", "underscore"):
            machine.adjust_rest(-15)
        self.show()

    def action_interrupt(self) -> None:
        """Ctrl-C: pause and ask; what is done is already saved either way. A second one quits."""
        if self._asking:
            self._leave()
            return
        was_paused = self.machine.paused
        self.machine.pause()
        self._asking = True
        self.show()

        def answered(quit_now: bool | None) -> None:
            self._asking = False
            if quit_now:
                self._leave()
                return
            if not was_paused:
                self.machine.resume()
            self.show()

        waiting = self.saver.unsaved if self.saver is not None else 0
        self.push_screen(QuitScreen(self.machine.sets_recorded, waiting), answered)

    def _handle(self, step: Callable[[], list[Event]]) -> None:
        try:
            happened = step()
        except BadEntry as error:
            self.machine.notice = str(error)
            happened = []
        except KotcoachError as error:
            # the store failed: stop here, and let the CLI report it (nothing is half-written)
            self.error = error
            self._leave(return_code=1)
            return
        if Event.COUNTDOWN_ENDED in happened and self.ring_bell:
            self.bells += 1
            self.bell()
        if Event.FINISHED in happened:
            self._leave()
            return
        self.show()

    # Drawing.

    def show(self) -> None:
        if self._leaving:
            return
        try:
            self._draw()
        except NoMatches:
            return  # a timer Textual ran while shutting down, after the widgets went away

    def _draw(self) -> None:
        m = self.machine
        planned = m.exercise
        total = len(m.exercises)
        self._set("top", f"kotcoach session · exercise {m.position + 1} of {total}")
        self._set("referral", self.referral or "")
        self.query_one("#referral", Static).set_class(not self.referral, "-empty")
        self._set("name", planned.name + (" (warm-up)" if planned.warm_up else ""))
        rest = f" · rest {planned.rest_seconds} s" if planned.sets > 1 else ""
        self._set("dose", planned.dose() + rest)
        cues = Table.grid(padding=(0, 1, 0, 0))
        cues.add_column(no_wrap=True)
        cues.add_column()
        for cue in planned.cues[:MAX_CUES]:
            cues.add_row("•", Text(clean(cue)))  # a wrapped cue keeps its indent under the bullet
        self.query_one("#cues", Static).update(cues)
        caution = self.query_one("#caution", Static)
        caution.update(Text(clean("\n".join(planned.cautions))))
        caution.set_class(not planned.cautions, "-empty")
        phase, clock, prompt, keys = self._describe()
        if m.paused:
            phase = "PAUSED · " + phase
            prompt = "Paused: the clock waits. Space carries on."
            keys = "space carry on · q save and quit"
        self._set("phase", phase)
        big = self.size.height >= BIG_FROM_HEIGHT
        self.query_one("#clock", BigClock).show(clock, big)
        self._set("prompt", prompt)
        self._set("next", f"Next: {m.coming_next()}")
        notice = self._saving() or m.notice or ""
        self._set("notice", notice)
        self.query_one("#notice", Static).set_class(not notice, "-empty")
        self._set("keys", pack(keys.split(" · "), self.size.width - 2))
        self._figure(planned.id, big)

    def _figure(self, exercise_id: str, big: bool) -> None:
        """The exercise's figure in the rows the rest leaves: up to 12, none below 4."""
        widget = self.query_one("#figure", Static)
        pose = self.poses.get(exercise_id)
        used = 14 + (BIG_ROWS - 1 if big else 0) + len(self.machine.exercise.cues[:MAX_CUES])
        rows = min(12, self.size.height - used)
        if pose is None or rows < 4:
            widget.update("")
            return
        from kotcoach.render.figure import pose_text

        widget.update(pose_text(pose, max(10, self.size.width - 2), rows))

    def _saving(self) -> str | None:
        """The line about writes waiting for the log, when any wait."""
        saver = self.saver
        if saver is None or not saver.unsaved:
            return None
        count = f"{saver.unsaved} result{'s' if saver.unsaved != 1 else ''}"
        if saver.stopped is not None:
            return f"NOT SAVED: {saver.stopped}. {count} kept; you choose where when you quit."
        why = saver.problem or "the log is busy"
        return f"saving ... {count} waiting: {why}. Nothing is lost: it keeps trying."

    def _describe(self) -> tuple[str, str, str, str]:
        """The phase line, the big number, the prompt and the key help for the current state."""
        m = self.machine
        planned = m.exercise
        typed = f"typed: {self.typed}" if self.typed else ""
        sets = f"SET {m.set_number} OF {planned.sets}"
        common = "s skip (asks first) · u undo · space pause · q save and quit"
        if m.phase == Phase.LOAD:
            per = "kg per hand" if planned.per_hand else "kg"
            default = planned.default_load
            if default is None:
                prompt = typed or f"Load, {per} (0: none)? Type it, then Enter."
                keys = f"type kg, Enter · {common}"
            else:
                prompt = typed or (
                    f"Load, {per} (0: none)? Enter keeps {describe_kg(default)}, or type it."
                )
                keys = f"Enter keep · or type kg, Enter · {common}"
            shown = self.typed if self.typed else "" if default is None else describe_kg(default)
            return f"LOAD · {sets}", shown, prompt, keys
        if m.phase == Phase.READY:
            side = {1: " · FIRST SIDE", 2: " · SECOND SIDE"}.get(m.side or 0, "")
            target = planned.target
            if target.timed:
                prompt = typed or f"Enter starts the {target.describe_alone()} countdown."
                keys = f"Enter start · or type what you did, Enter · {common}"
                return sets + side, clock_text(target.seconds), prompt, keys
            each = " each side" if planned.per_side else ""
            load = f" at {planned.load_text(m.load_kg)}" if m.load_kg is not None else ""
            prompt = typed or f"Do {target.describe_alone()}{each}{load}, then Enter."
            keys = f"Enter done · a different count: type it, Enter · {common}"
            return sets, str(target.value), prompt, keys
        left = clock_text(m.remaining() or 0.0)
        if m.phase == Phase.WORK:
            side = {1: " · FIRST SIDE", 2: " · SECOND SIDE"}.get(m.side or 0, "")
            keys = f"Enter stop early · {common}"
            doing = "Keep going" if planned.target.minutes is not None else "Hold it"
            prompt = typed or f"{doing}; the bell rings at 0:00."
            return sets + side + " · GO", left, prompt, keys
        if m.phase == Phase.REST:
            keys = f"Enter start now · +/- 15 s · {common}"
            done = "saving ..." if self.saver is not None and self.saver.unsaved else "saved."
            return "REST", left, f"Set {m.sets_done} of {planned.sets} {done}", keys
        if m.phase == Phase.PAIN_DURING:
            question = f"Pain during {planned.name}, 0-10? Type it, then Enter."
            return "HOW DID IT FEEL?", self.typed, question, "0-10 Enter · s skip question"
        if m.phase == Phase.PAIN_AFTER:
            question = "Pain now, after the session, 0-10? Type it, then Enter."
            return "SESSION DONE", self.typed, question, "0-10 Enter · s skip question"
        return "DONE", "", "", ""

    def _set(self, widget_id: str, text: str) -> None:
        """Show text as it is: never read as markup, control characters escaped."""
        self.query_one(f"#{widget_id}", Static).update(Text(clean(text)))
