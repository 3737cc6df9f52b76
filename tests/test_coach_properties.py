"""Properties of the coaching decisions over random logs on the shipped catalogue."""

from __future__ import annotations

import os
from datetime import date, timedelta
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from kotcoach.base.vocab import Area, Equipment
from kotcoach.catalogue.ladders import Index
from kotcoach.catalogue.read import load_catalog
from kotcoach.catalogue.source import builtin_catalog_path
from kotcoach.coaching.coach import (
    FLARE_RISE,
    GREEN_MAX,
    REFER_PAIN,
    Decision,
    Kind,
    Logged,
    Mornings,
    Person,
    Unit,
    Volume,
    decide,
    full_dose,
    ladder_facts,
    referrals,
    with_condition_areas,
)
from kotcoach.store.records import Checkin
from tests.conftest import examples

INDEX = Index(load_catalog(builtin_catalog_path()))
START = date(2026, 3, 2)
pain = st.integers(0, 10)

# CI replays a fixed set of examples, so a run fails only when the code changed; a developer's
# run searches afresh each time.
IN_CI = bool(os.environ.get("CI"))


@st.composite
def logs(draw: st.DrawFn) -> tuple[str, list[Logged], list[Checkin], Person]:
    """Random logs, biased towards the near-green ones where "up" is possible: mostly one step
    at one target, done in full at low pain, with a check-in on most mornings."""
    ladder = draw(st.sampled_from(INDEX.ladders))
    usual = draw(st.sampled_from(ladder.steps))
    usual_target = Volume(draw(st.integers(1, 4)), draw(st.integers(1, 25)), full_dose(usual).unit)
    low = st.integers(0, 3)
    steady = draw(low)  # most mornings
    sessions, checkins = [], []
    day = START
    for _ in range(draw(st.sampled_from([0, 1, 2, 2, 3, 5]))):
        day += timedelta(days=draw(st.integers(1, 4)))
        if draw(st.integers(0, 7)):
            step, target = usual, usual_target
        else:
            step = draw(st.sampled_from(ladder.steps))
            target = Volume(draw(st.integers(1, 5)), draw(st.integers(1, 30)), full_dose(step).unit)
        full = (target.amount,) * target.sets
        done = full if draw(st.integers(0, 3)) else tuple(draw(st.lists(st.integers(0, 35))))
        during = draw(st.sampled_from([0, 1, 2, 0, 1, 2, 3, 5, 6, 9, None]))
        sessions.append(Logged(day, step.id, target, done, during))
        for area in step.areas:
            for morning in (day, day + timedelta(days=1)):
                if draw(st.integers(0, 5)):
                    score = steady if draw(st.integers(0, 3)) else draw(pain)
                    checkins.append(Checkin(morning, area, score))
    checkins += [
        Checkin(START + timedelta(days=draw(st.integers(0, 30))), draw(st.sampled_from(Area)), p)
        for p in draw(st.lists(pain, max_size=4))
    ]
    person = Person(
        conditions=tuple(draw(st.lists(st.sampled_from(sorted(INDEX.conditions)), max_size=1))),
        pain_now=draw(st.dictionaries(st.sampled_from(Area), low | pain, max_size=1)),
        equipment=draw(st.none() | st.frozensets(st.sampled_from(Equipment))),
    )
    return ladder.first.id, sessions, checkins, person


@st.composite
def near_green(draw: st.DrawFn) -> tuple[str, list[Logged], list[Checkin], Person]:
    """Two green sessions at one target with settled mornings, then one thing changed: the
    boundaries between up, hold, down and stop are all one change away."""
    ladder = draw(st.sampled_from(INDEX.ladders))
    step = draw(st.sampled_from(ladder.steps))
    target = Volume(draw(st.integers(1, 4)), draw(st.integers(1, 25)), full_dose(step).unit)
    steady = draw(st.integers(0, 3))
    days = [START, START + timedelta(days=draw(st.integers(1, 4)))]
    areas = step.areas or [Area.KNEE]
    sessions = [
        Logged(d, step.id, target, (target.amount,) * target.sets, draw(st.integers(0, 2)))
        for d in days
    ]
    checkins = [
        Checkin(d + timedelta(days=k), area, steady) for d in days for k in (0, 1) for area in areas
    ]
    person = Person()
    change = draw(
        st.sampled_from(
            ["during", "before", "morning", "short", "now", "condition", "week", "week"]
        )
    )
    which = draw(st.integers(0, 1))
    if change in ("during", "before"):
        at = 1 if change == "during" else 0
        during = draw(st.integers(0, 7))
        sessions[at] = Logged(days[at], step.id, target, sessions[at].done, during)
    elif change == "morning":
        at = draw(st.integers(0, len(checkins) - 1))
        score = max(0, steady + draw(st.integers(-1, 4)))  # near the boundaries
        checkins[at] = Checkin(checkins[at].date, checkins[at].area, score)
    elif change == "short":
        done = tuple(draw(st.lists(st.integers(0, target.amount), max_size=target.sets)))
        sessions[which] = Logged(days[which], step.id, target, done, 1)
    elif change == "now":
        person = Person(pain_now={draw(st.sampled_from(areas)): draw(st.integers(0, 7))})
    elif change == "week":
        # The week before was calmer in one area (or stiffer): this week may be a rising one.
        area = draw(st.sampled_from(areas))
        lower = max(0, steady - draw(st.integers(0, 2)))
        first = days[0] - timedelta(days=draw(st.integers(6, 12)))
        checkins += [
            Checkin(first + timedelta(days=k), area, lower, draw(st.none() | st.integers(0, 3)))
            for k in range(draw(st.integers(1, 6)))
        ]
    else:
        person = Person(conditions=(draw(st.sampled_from(sorted(INDEX.conditions))),))
    return ladder.first.id, sessions, checkins, person


@st.composite
def weeks(draw: st.DrawFn) -> tuple[str, list[Logged], list[Checkin], Person]:
    """Weeks of one step's sessions with time off between some (a week, two, a month), and
    daily check-ins whose weekly level drifts (pain and stiffness): the trend, time-off and
    time-on-a-step rules all have their edges in reach."""
    ladder = draw(st.sampled_from([ladder for ladder in INDEX.ladders if len(ladder.steps) > 1]))
    at = draw(st.integers(0, len(ladder.steps) - 1))
    target = full_dose(ladder.steps[at])
    sessions, checkins = [], []
    day = START
    for _ in range(draw(st.integers(1, 14))):
        day += timedelta(days=draw(st.sampled_from([1, 2, 2, 3, 3, 7, 10, 15, 29])))
        step = ladder.steps[at]
        done = (target.amount,) * target.sets
        if not draw(st.integers(0, 5)):
            done = (max(1, target.amount // 2),) * target.sets
        during = draw(st.sampled_from([0, 1, 2, 0, 1, 4]))
        sessions.append(Logged(day, step.id, target, done, during))
        if draw(st.integers(0, 3)) == 0 and at + 1 < len(ladder.steps):
            at += 1  # a step changed on the way
            target = full_dose(ladder.steps[at])
    areas = sorted({a for step in ladder.steps for a in step.areas}) or [Area.KNEE]
    level = {area: draw(st.integers(0, 2)) for area in areas}
    current = START
    while current <= day + timedelta(days=1):
        if current.weekday() == 0:
            level = {
                a: max(0, min(9, v + draw(st.sampled_from([-1, 0, 0, 1, 1, 2]))))
                for a, v in level.items()
            }
        for area in areas:
            if draw(st.integers(0, 20)):
                stiff = level[area] + draw(st.integers(0, 1)) if draw(st.booleans()) else None
                checkins.append(Checkin(current, area, level[area], stiff))
        current += timedelta(days=1)
    return ladder.first.id, sessions, checkins, Person()


def test_a_step_left_for_an_easier_one_refers_for_the_areas_the_easier_one_loads() -> None:
    """Found by the property below: hops are not for someone of unknown level, so the coach moves
    to an easier landing drill, which loads the hip; two hip mornings at 6/10 must then refer."""
    hops = Volume(3, 20, Unit.REPS)
    sessions = [
        Logged(date(2026, 3, 3), "snap-down-landing", Volume(3, 6, Unit.REPS), (3, 3, 3), 0),
        Logged(date(2026, 3, 6), "pogo-hops", hops, (10, 10, 10), 0),
        Logged(date(2026, 3, 16), "pogo-hops", hops, (10, 10, 10), 0),
    ]
    checkins = [Checkin(date(2026, 3, d), Area.HIP, 6, None) for d in (16, 17)]
    found = _decide("landing-stick-hold", sessions, Mornings(checkins), Person(), date(2026, 3, 17))
    assert Area.HIP in INDEX.exercise(found.exercise_id).areas
    assert found.referral is not None and "hip" in found.referral
    _check("landing-stick-hold", sessions, checkins, Person())


@settings(max_examples=examples(50), deadline=None, derandomize=IN_CI)
@given(weeks())
def test_decisions_over_weeks_follow_the_trend_time_off_and_time_on_a_step(
    log: tuple[str, list[Logged], list[Checkin], Person],
) -> None:
    exercise_id, sessions, checkins, person = log
    _check(exercise_id, sessions, checkins, person)
    # And on days after the log: the first decision after 7 or more days off is never up.
    for off in (7, 13, 14, 28):
        later = _today(sessions, checkins) + timedelta(days=off)
        found = _decide(exercise_id, sessions, Mornings(checkins), person, later)
        assert found.kind is not Kind.UP
        last = max(sessions, key=lambda s: s.day)
        gate = ladder_facts(INDEX, exercise_id, with_condition_areas(INDEX, person))
        not_for_you = gate.step(last.exercise_id).not_for_you
        back = f"back after {(later - last.day).days} days off" in found.reason
        # A step logged last that is not for this person: the gate may lead the reason instead.
        gated = not_for_you is not None and not_for_you in found.reason
        assert back or gated
        if gated:
            assert found.kind in (Kind.DOWN, Kind.PAUSE)
        if off >= 14:
            assert found.kind in (Kind.DOWN, Kind.PAUSE)


def _last_two(exercise_id: str, sessions: list[Logged]) -> list[Logged]:
    ids = {step.id for step in INDEX.ladder_of(exercise_id).steps}
    return sorted((s for s in sessions if s.exercise_id in ids), key=lambda s: s.day)[-2:]


def _next_mornings(session: Logged, checkins: list[Checkin]) -> list[tuple[int, int]]:
    """An independent reading of the morning rules: (next-morning pain, the last check-in of the
    week before the session or 2/10 without one) for each loaded area checked in next morning."""
    found = []
    for area in INDEX.exercise(session.exercise_id).areas or list(Area):
        after = [
            c.pain for c in checkins if c.area == area and c.date == session.day + timedelta(1)
        ]
        if not after:
            continue
        before = [
            c
            for c in checkins
            if c.area == area and session.day - timedelta(7) <= c.date <= session.day
        ]
        if before:
            last_day = max(c.date for c in before)
            baseline = max(c.pain for c in before if c.date == last_day)
        else:
            baseline = GREEN_MAX
        found.append((max(after), baseline))
    return found


def _flared(session: Logged, checkins: list[Checkin]) -> bool:
    return any(after - before >= FLARE_RISE for after, before in _next_mornings(session, checkins))


def _settled(session: Logged, checkins: list[Checkin]) -> bool:
    mornings = _next_mornings(session, checkins)
    return bool(mornings) and all(after <= before for after, before in mornings)


@settings(max_examples=examples(70), deadline=None, derandomize=IN_CI)
@given(logs())
def test_decisions_on_random_logs_are_safe_and_repeatable(
    log: tuple[str, list[Logged], list[Checkin], Person],
) -> None:
    _check(*log)


@settings(max_examples=examples(100), deadline=None, derandomize=IN_CI)
@given(near_green())
def test_decisions_one_change_from_up_are_safe_and_repeatable(
    log: tuple[str, list[Logged], list[Checkin], Person],
) -> None:
    _check(*log)


def _decide(
    exercise_id: str, sessions: list[Logged], mornings: Mornings, person: Person, today: date
) -> Decision:
    person = with_condition_areas(INDEX, person)
    facts = ladder_facts(INDEX, exercise_id, person)
    return decide(facts, exercise_id, sessions, mornings, person, today)


def _weekly_rise(checkins: list[Checkin], area: Area, today: date) -> bool:
    """An independent reading of the trend rule: this week's mean morning pain or stiffness in
    the area (the 7 days to `today`) 1 or more above the 7 days before."""

    def mean(values: list[int]) -> float | None:
        return sum(values) / len(values) if values else None

    for measure in ("pain", "stiffness"):
        weeks = []
        for back in (0, 7):
            end = today - timedelta(days=back)
            by_day: dict[date, int] = {}
            for c in checkins:
                value = c.pain if measure == "pain" else c.stiffness
                if (
                    c.area == area
                    and end - timedelta(days=6) <= c.date <= end
                    and value is not None
                ):
                    by_day[c.date] = max(by_day.get(c.date, 0), value)
            weeks.append(mean(list(by_day.values())))
        now, before = weeks
        if now is not None and before is not None and round(now - before, 6) >= 1:
            return True
    return False


def _check(
    exercise_id: str, sessions: list[Logged], checkins: list[Checkin], person: Person
) -> None:
    today = _today(sessions, checkins)
    found = _decide(exercise_id, sessions, Mornings(checkins), person, today)

    # The same log always gives the same decision, whatever order the check-ins come in.
    again = _decide(exercise_id, list(sessions), Mornings(reversed(checkins)), person, today)
    assert again == found

    recent = _last_two(exercise_id, sessions)
    if found.kind is Kind.UP:
        assert len(recent) == 2
        for session in recent:
            assert session.pain_during is not None and session.pain_during <= GREEN_MAX
            assert session.in_full or INDEX.exercise(session.exercise_id).to_fatigue
            assert _settled(session, checkins)
        for session in recent:
            loaded = INDEX.exercise(session.exercise_id).areas
            assert all(person.pain_now.get(area, 0) <= GREEN_MAX for area in loaded)
        # Never up for an exercise loading an area whose weekly morning mean rose.
        loaded = set(INDEX.exercise(found.exercise_id).areas)
        loaded |= set(INDEX.exercise(recent[-1].exercise_id).areas)
        assert not any(_weekly_rise(checkins, area, today) for area in loaded)
        # Never up as the first decision after 7 or more days off.
        assert (today - recent[-1].day).days < 7
        # Never a step up within the step's minimum time.
        if found.exercise_id != recent[-1].exercise_id:
            old = INDEX.exercise(recent[-1].exercise_id)
            least = 14 if {Area.KNEE, Area.ANKLE} & set(old.areas) else 7
            if old.min_weeks_on_step is not None:
                least = 7 * old.min_weeks_on_step
            mine = [s for s in sessions if s.exercise_id in {x.id for x in _ladder(exercise_id)}]
            mine.sort(key=lambda s: s.day)
            first = mine[-1].day
            for session in reversed(mine):
                if session.exercise_id != old.id:
                    break
                first = session.day
            assert (today - first).days >= least
            # A harder step starts at no more volume than the last dose of the easier one.
            assert found.dose is not None and found.was is not None
            if found.dose.unit is found.was.dose.unit:
                assert found.dose.sets <= found.was.dose.sets
                assert found.dose.amount <= found.was.dose.amount
    # Pain now 6/10 or more in an area the step loads: a still hold, no more, may stand.
    painful_hold = (
        found.kind is Kind.HOLD
        and found.dose is not None
        and any(
            person.pain_now.get(a, 0) >= REFER_PAIN for a in INDEX.exercise(found.exercise_id).areas
        )
    )
    if recent and ((recent[-1].pain_during or 0) > 5 or _flared(recent[-1], checkins)):
        assert found.kind in (Kind.DOWN, Kind.PAUSE) or painful_hold
    if not recent:
        assert found.kind in (Kind.START, Kind.DOWN, Kind.PAUSE) or painful_hold

    # Every down or pause lowers the step or the volume (at least a third on the same step).
    if found.kind in (Kind.DOWN, Kind.PAUSE) and found.was is not None and found.dose is not None:
        ids = [x.id for x in _ladder(exercise_id)]
        new_at, old_at = ids.index(found.exercise_id), ids.index(found.was.exercise_id)
        if new_at == old_at:
            assert found.dose.sets * found.dose.amount * 3 <= found.was.dose.sets * (
                found.was.dose.amount * 2
            )
        else:
            assert new_at < old_at

    _never_into_an_avoided_or_painful_step(found, person)
    step = INDEX.exercise(found.exercise_id)
    referred = {r.area for r in referrals(Mornings(checkins), person, today)}
    if referred & set(step.areas):
        assert found.referral is not None


def _ladder(exercise_id: str) -> list[Any]:
    return list(INDEX.ladder_of(exercise_id).steps)


def _today(sessions: list[Logged], checkins: list[Checkin]) -> date:
    return max([s.day for s in sessions] + [c.date for c in checkins] + [START])


def _never_into_an_avoided_or_painful_step(found: Decision, person: Person) -> None:
    if found.dose is None:
        assert found.kind is Kind.PAUSE
        return
    step = INDEX.exercise(found.exercise_id)
    for condition_id in person.conditions:
        assert step.id not in INDEX.conditions[condition_id].avoid
        assert not any(c.condition == condition_id and c.substitute for c in step.cautions), (
            f"{step.id} is swapped out with {condition_id}"
        )
    if person.equipment is not None:
        assert set(step.equipment) <= person.equipment
    if any(person.pain_now.get(area, 0) >= REFER_PAIN for area in step.areas):
        # Only a still hold: kept (or started, when nothing is logged yet), never more.
        assert found.kind in (Kind.HOLD, Kind.START) and found.dose.unit is Unit.SECONDS
