"""The entry gate on hops, bounds, landings and snap-downs (`plyometric: true`), as one rule
that the planner applies, and that the coach can apply before moving anyone up into one.

kotcoach's own gate (each plyometric exercise's `entry_gate` says so, for clinician review):
intermediate level or above, every area it loads at 2/10 or less now, no condition that keeps
them out (`no_plyometrics`), and not at 65 or over or after a fall in the last year.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

from kotcoach.base.vocab import Area, Level
from kotcoach.coaching.pain import PainZone

OLDER_AGE = 65  # kotcoach's own: from this age balance and impact need care (issue 21)

# kotcoach's own (not a study's): the least time on a ladder step before the next, for the coach
# reading a log and the planner writing the weeks ahead alike. Tendons adapt more slowly than
# muscle, so a step that loads the knee or ankle waits longer.
TENDON_AREAS = frozenset({Area.KNEE, Area.ANKLE})
TENDON_WEEKS, OTHER_WEEKS = 2, 1
MIN_TIME_RULE = "two weeks on a step that loads the knee or ankle, one week on others"


def min_weeks_on_step(areas: Iterable[Area], weeks: int | None = None) -> int:
    """The least weeks on a step before the next: the catalogue's `min_weeks_on_step` when it
    sets one, else kotcoach's rule by the areas the step loads."""
    if weeks is not None:
        return weeks
    return TENDON_WEEKS if TENDON_AREAS & set(areas) else OTHER_WEEKS


def plyometric_block(
    areas: Sequence[Area],
    level: Level,
    pain_now: Mapping[Area, int],
    no_plyometrics: Iterable[tuple[str, str]] = (),
    fall_risk: str | None = None,
) -> str | None:
    """Why a plyometric exercise that loads `areas` is not for this person now, or None.

    `no_plyometrics` gives (condition label, reason) for each of the person's conditions that
    keeps hops out; `fall_risk` says why balance needs care ("age 70"), if it does."""
    if level is Level.BEGINNER:
        return "hops and landings start at intermediate level, after the landing drills"
    order = list(Area)
    sore = sorted(
        ((pain_now[a], a) for a in areas if a in pain_now), key=lambda p: (-p[0], order.index(p[1]))
    )
    if sore and PainZone.of(sore[0][0]) is not PainZone.GREEN:
        score, area = sore[0]
        return f"hops and landings wait until {area} pain now is 2/10 or less ({score}/10)"
    for label, reason in no_plyometrics:
        return f"with {label}, {reason}"
    if fall_risk:
        return f"no hops or landings with {fall_risk} (our own rule, not a study's)"
    return None
