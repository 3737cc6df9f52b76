"""The guided session: a pure state machine (`machine`) the terminal UI (`kotcoach.tui`) drives."""

from kotcoach.coaching.session.machine import (
    Amount,
    BadEntry,
    Ending,
    Event,
    Outcome,
    Phase,
    Planned,
    Recorder,
    SessionMachine,
    SetDone,
)

__all__ = [
    "Amount",
    "BadEntry",
    "Ending",
    "Event",
    "Outcome",
    "Phase",
    "Planned",
    "Recorder",
    "SessionMachine",
    "SetDone",
]
