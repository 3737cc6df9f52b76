"""The guided session: a pure state machine (`machine`) the terminal UI (`kotcoach.tui`) drives."""

from kotcoach.coaching.session.machine import (
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
from kotcoach.store.records import Amount  # what a set is, shared with the training log

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
