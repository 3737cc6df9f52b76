"""The pain-monitoring model as code: zones, the rules people train by, and red-flag screening.

Two kinds of pain score, kept apart:
- pain *during* exercise: the pain-monitoring model (Silbernagel et al. 2007): it may reach 5/10,
  must settle by the next morning, and must not rise week to week;
- pain *now*, in daily life (`--pain AREA=N`): what a plan starts from. Its bands are stricter,
  because pain at rest of 3-5/10 is not "acceptable" the way pain during a set may be: 0-2 train
  as prescribed; 3-5 one step down and held; 6-10 no dynamic loading for that area at all (only
  still holds at a pain-free angle) and a referral to a physiotherapist or doctor first.
Sources differ on whether green ends at 2 or 3; kotcoach takes the stricter 2.
"""

from __future__ import annotations

from collections.abc import Sequence
from enum import StrEnum

from kotcoach.base.errors import ExitCode, KotcoachError
from kotcoach.base.text import plain
from kotcoach.base.vocab import (
    MAX_PAIN_DURING,
    RED_FLAG_TEXT,
    RED_FLAG_URGENCY,
    URGENCY_ADVICE,
    URGENT_RED_FLAGS,
    Area,
    RedFlag,
    Urgency,
)

MAX_PAIN_DURING_HOLD = 3  # a still hold for an area at 6/10 or more must stay this gentle
REFER_AT = 6  # pain now at or above this in an area: no dynamic loading, see a clinician first

PAIN_RULES = (
    "Pain during exercise may reach 5/10, never more.",
    "Pain after exercise may reach 5/10 but must settle by the next morning.",
    "Pain and stiffness must not rise from week to week.",
)


STOP_LINE = "Stop if pain goes above 5/10 or a red flag appears."
DISCLAIMER = (
    "General guidance, not a diagnosis. Stop and see a clinician if any of the warning signs "
    "listed with this plan appears."
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
    def advice(self) -> str:
        return ZONE_ADVICE[self]

    @property
    def verdict(self) -> str:
        return ZONE_VERDICT[self]


# The traffic light for pain *now* (check's verdicts and the bands a plan applies).
ZONE_VERDICT = {
    PainZone.GREEN: "train as prescribed.",
    PainZone.AMBER: (
        "train with care: one step easier for this area, within 5/10 during, settled by the next "
        "morning."
    ),
    PainZone.RED: (
        "no loading exercise for this area: see a physiotherapist or doctor first. Still holds "
        "at a pain-free angle only."
    ),
}
ZONE_ADVICE = {
    PainZone.GREEN: "0-2/10 now: train as prescribed.",
    PainZone.AMBER: (
        "3-5/10 now: train with care. Exercises that load this area move one step down their "
        "ladder and stay there. During exercise pain may reach 5/10, never more, and it must "
        "settle by the next morning; if it is worse the next morning, or rises week to week, do "
        "less and see a physiotherapist."
    ),
    PainZone.RED: (
        "6-10/10 now: too much to load. This area gets no moving exercise at all: only still "
        "holds at a pain-free angle, with pain during them at most 3/10, where a plan has one. "
        "See a physiotherapist or doctor before loading this area."
    ),
}


def referral(pain: dict[Area, int]) -> str | None:
    """The referral a plan or check puts first when any area hurts 6/10 or more now."""
    high = [(area, score) for area, score in pain.items() if score >= REFER_AT]
    if not high:
        return None
    order = list(Area)
    high.sort(key=lambda pair: (-pair[1], order.index(pair[0])))
    areas = _and([str(area) for area, _ in high])
    scores = _and([f"{area} {score}/10" for area, score in high])
    return (
        f"See a physiotherapist or doctor before loading your {areas}: pain now of {scores} is "
        f"too high for loading exercise. Until then this plan gives your {areas} only still "
        "holds at a pain-free angle (pain during them at most 3/10), or nothing; the other "
        "areas train as usual."
    )


def _and(words: list[str]) -> str:
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " and " + words[-1]


class RedFlagStop(KotcoachError):
    """Red flags were reported: no exercise advice applies and no plan may be produced."""

    exit_code = ExitCode.RED_FLAG

    def __init__(self, flags: tuple[RedFlag, ...]) -> None:
        self.flags = flags
        self.urgent = any(flag in URGENT_RED_FLAGS for flag in flags)
        self.urgency = min((RED_FLAG_URGENCY[flag] for flag in flags), key=list(Urgency).index)
        super().__init__(self.headline)

    @property
    def headline(self) -> str:
        return "Stop: do not train. " + URGENCY_ADVICE[self.urgency]

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


def merged_rules(
    groups: Sequence[tuple[str, Sequence[str]]],
) -> tuple[tuple[tuple[str, ...], str], ...]:
    """Several conditions' pain rules as one list, each rule once, with the names of the
    conditions that give it: `((('Knee pain',), 'Amber...'), (('Knee pain', 'Hip pain'), ...))`.

    The catalogue writes each condition's rules in the same order (during, after, week to week,
    green, amber, red, rising, evidence), so the lists are read side by side: every condition's
    first rule, then every second rule, and so on. Two rules are the same when they differ only
    in spacing or case. Nothing else is merged: a rule that differs by a word (the knee or the
    tendon; the load, or the range or load) is kept, under its condition's name."""
    holders: dict[str, list[str]] = {}
    texts: dict[str, str] = {}
    for position in range(max((len(rules) for _, rules in groups), default=0)):
        for name, rules in groups:
            if position < len(rules):
                text = " ".join(plain(rules[position]).split())
                key = text.casefold()
                texts.setdefault(key, text)
                names = holders.setdefault(key, [])
                if name not in names:
                    names.append(name)
    return tuple((tuple(holders[key]), texts[key]) for key in holders)


def rule_owner(names: Sequence[str], every: int) -> str:
    """Who a merged rule is for: 'Knee pain', 'Knee pain and Hip pain', or '' when it is for
    all `every` conditions."""
    if len(names) == every:
        return ""
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]
