"""One-line notes for the person at the terminal, from code that must not print.

Domain code calls `note(text)` (the training log was tightened to 0600, a write is waiting for
another kotcoach); the CLI decides where notes go (`set_notifier`: stderr). Without a notifier a
note goes nowhere. Stdlib only, and cheap to import.
"""

from __future__ import annotations

from collections.abc import Callable

_notify: Callable[[str], None] | None = None


def set_notifier(notify: Callable[[str], None] | None) -> None:
    global _notify
    _notify = notify


def note(text: str) -> None:
    if _notify is not None:
        _notify(text)
