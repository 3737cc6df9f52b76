"""How a dose is written for people: '3 × 15 per side', '5 × 45 s hold', and its details.

Both the catalogue's pydantic Dose (models) and the plain planning Dose (plan_catalog) are
described here, so neither of those modules needs the other. Stdlib only.
"""

from __future__ import annotations

from typing import Protocol


class DoseFields(Protocol):
    """What describing a dose reads: a plain Dose here, or the catalogue model's."""

    @property
    def sets(self) -> int: ...
    @property
    def reps(self) -> int | None: ...
    @property
    def hold_seconds(self) -> int | None: ...
    @property
    def minutes(self) -> int | None: ...
    @property
    def per_side(self) -> bool: ...
    @property
    def tempo(self) -> str | None: ...
    @property
    def rest_seconds(self) -> int | None: ...
    @property
    def note(self) -> str | None: ...


def describe(dose: DoseFields) -> str:
    """The dose as a coach writes it: '3 × 15 per side', '5 × 45 s hold', '10 min'."""
    if dose.minutes is not None:
        amount = f"{dose.minutes} min"
        text = amount if dose.sets == 1 else f"{dose.sets} × {amount}"
    elif dose.hold_seconds is not None:
        text = f"{dose.sets} × {dose.hold_seconds} s hold"
    else:
        text = f"{dose.sets} × {dose.reps}"
    return text + (" per side" if dose.per_side else "")


def details(dose: DoseFields) -> str:
    """Tempo, rest and notes, for cards and the full view."""
    parts = []
    if dose.tempo:
        parts.append(f"tempo {dose.tempo}")
    if dose.rest_seconds is not None:
        parts.append(f"rest {dose.rest_seconds} s")
    if dose.note:
        parts.append(dose.note)
    return " · ".join(parts)
