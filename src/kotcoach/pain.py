"""The pain-monitoring model as code: zones, the rules people train by, and red-flag screening.

Source: Silbernagel et al. 2007 (pain during and after exercise may reach 5/10 and must settle by
the next morning, and must not rise week to week) and the traffic light clinics build on it.
Sources differ on whether green ends at 2 or 3; kotcoach takes the stricter 2.
"""

from __future__ import annotations

from enum import StrEnum

from kotcoach.errors import ExitCode, KotcoachError
from kotcoach.vocab import RED_FLAG_TEXT, URGENT_RED_FLAGS, Area, RedFlag

MAX_PAIN_DURING = 5

PAIN_RULES = (
    "Pain during exercise may reach 5/10, never more.",
    "Pain after exercise may reach 5/10 but must settle by the next morning.",
    "Pain and stiffness must not rise from week to week.",
)


STOP_LINE = "Stop if pain goes above 5/10 or a red flag appears."
DISCLAIMER = (
    "General guidance, not a diagnosis. Stop and see a clinician if a red flag appears "
    "(kotcoach check lists them)."
)


class PainZone(StrEnum):
    GREEN = "green"
    AMBER = "amber"
    RED = "red"

    @classmethod
    def of(cls, score: int) -> PainZone:
        if not 0 <= score <= 10:
            raise ValueError(f"pain must be 0 to 10, not {score}")
        if score <= 2:
            return cls.GREEN
        if score <= MAX_PAIN_DURING:
            return cls.AMBER
        return cls.RED

    @property
    def severity(self) -> int:
        return list(PainZone).index(self)

    @property
    def advice(self) -> str:
        return ZONE_ADVICE[self]

    @property
    def verdict(self) -> str:
        return ZONE_VERDICT[self]


ZONE_VERDICT = {
    PainZone.GREEN: "train as prescribed.",
    PainZone.AMBER: "train with care, within 5/10, settled by the next morning.",
    PainZone.RED: (
        "do not push through it: ease right off, and see a physiotherapist or doctor if it "
        "persists."
    ),
}
ZONE_ADVICE = {
    PainZone.GREEN: "0-2/10: train as prescribed.",
    PainZone.AMBER: (
        "3-5/10: acceptable. Exercises that load this area move one step down their ladder; "
        "pain may reach 5/10 during and must settle by the next morning. If it is worse next "
        "morning, reduce the load."
    ),
    PainZone.RED: (
        "6-10/10: too much. Exercises that load this area drop to their easiest step or a "
        "pain-free hold. Never train through pain above 5/10; if the pain persists, see a "
        "physiotherapist or doctor."
    ),
}


class RedFlagStop(KotcoachError):
    """Red flags were reported: no exercise advice applies and no plan may be produced."""

    exit_code = ExitCode.RED_FLAG

    def __init__(self, flags: tuple[RedFlag, ...]) -> None:
        self.flags = flags
        self.urgent = any(flag in URGENT_RED_FLAGS for flag in flags)
        super().__init__(self.headline)

    @property
    def headline(self) -> str:
        if self.urgent:
            return (
                "Stop: do not train. See a clinician today; go to an emergency department or "
                "urgent care if you cannot be seen."
            )
        return "Stop: do not train. See a doctor or physiotherapist before you train again."

    @property
    def reasons(self) -> list[str]:
        return [RED_FLAG_TEXT[flag] for flag in self.flags]


def screen(flags: tuple[RedFlag, ...]) -> None:
    """Raise RedFlagStop when any red flag is present."""
    if flags:
        raise RedFlagStop(tuple(dict.fromkeys(flags)))


def zones(pain: dict[Area, int]) -> list[tuple[Area, int, PainZone]]:
    """Each area's score and traffic-light zone, worst first (ties in body order)."""
    order = list(Area)
    rows = [(area, score, PainZone.of(score)) for area, score in pain.items()]
    return sorted(rows, key=lambda row: (-row[1], order.index(row[0])))


def worst_zone(pain: dict[Area, int]) -> PainZone:
    return PainZone.of(max(pain.values(), default=0))
