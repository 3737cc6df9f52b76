"""The weeks after the first, over a grid of six-week plans: they move on within the session's
minutes, and never past the coach's rules.

Once a session is full, a plan progresses by intensity, not volume: the ladder's next step when
the time on this one allows (kotcoach's own rule: two weeks on a step that loads the knee or
ankle, one on others), starting at no more than the last dose, or a set traded for longer sets.
Beginners stay on beginner steps, no hop comes in past its gate, and nothing that loads an area
hurting 3/10 or more now moves on at all.
"""

from __future__ import annotations

import itertools

import pytest

from kotcoach.base.vocab import Area, Equipment, Level
from kotcoach.catalogue.ladders import Index
from kotcoach.catalogue.loading import builtin_catalog_path
from kotcoach.catalogue.models import Exercise
from kotcoach.catalogue.read import load_catalog
from kotcoach.coaching.gates import plyometric_block
from kotcoach.coaching.planner import Item, Plan, PlanRequest, make_plan
from kotcoach.coaching.wording import week_notes

EQUIPMENT = [
    frozenset(),
    frozenset({Equipment.STEP, Equipment.BAND}),
    frozenset(Equipment),
]
PAIN: list[dict[Area, int]] = [{}, {Area.KNEE: 4}, {Area.ANKLE: 7}, {Area.HIP: 3, Area.BACK: 2}]
CONDITIONS: list[tuple[str, ...]] = [(), ("patellofemoral-pain",), ("achilles-midportion",)]
TENDON = {Area.KNEE, Area.ANKLE}


@pytest.fixture(scope="module")
def index() -> Index:
    return Index(load_catalog(builtin_catalog_path()))


def plans(index: Index, level: Level) -> list[Plan]:
    found = []
    for equipment, pain, conditions in itertools.product(EQUIPMENT, PAIN, CONDITIONS):
        request = PlanRequest(
            level=level, equipment=equipment, pain=pain, conditions=conditions, weeks=6
        )
        found.append(make_plan(index, request))
    return found


def rows(plan: Plan) -> list[list[Item]]:
    """Each row of each day, as its item week by week."""
    return [
        [week.sessions[day].items[position] for week in plan.weeks]
        for day, session in enumerate(plan.sessions)
        for position in range(len(session.items))
    ]


def hurts(request: PlanRequest, exercise: Exercise) -> bool:
    return any(request.pain.get(area, 0) >= 3 for area in exercise.areas)


def closed(index: Index, request: PlanRequest, exercise: Exercise) -> bool:
    """The ladder's next step is not for this person now: there is none, or their level, kit,
    pain, a condition or the gate on hops keeps them off it."""
    harder = index.harder(exercise.id)
    if harder is None or harder.level.rank > request.level.rank:
        return True
    if not set(harder.equipment) <= request.equipment or hurts(request, harder):
        return True
    records = index.for_planning()  # the planner's own view: stages as 'not yet' lists
    for condition_id in request.conditions:
        condition = records.conditions[condition_id]
        if harder.id in condition.avoid or harder.id in dict(condition.not_yet):
            return True
        if any(c.condition == condition_id and c.substitute for c in harder.cautions):
            return True
    gates = [(c, index.conditions[c].no_plyometrics or "") for c in request.conditions]
    keeping = [(c, why) for c, why in gates if why]
    if harder.plyometric and plyometric_block(
        harder.areas, request.level, request.pain, keeping, request.fall_risk
    ):
        return True
    return False


@pytest.mark.parametrize("level", list(Level))
def test_weeks_four_to_six_move_on_unless_every_row_is_at_its_top_or_held(
    index: Index, level: Level
) -> None:
    for plan in plans(index, level):
        moved = any(
            (row[n].exercise.id, row[n].dose) != (row[n - 1].exercise.id, row[n - 1].dose)
            for row in rows(plan)
            for n in range(3, 6)
        )
        if moved:
            continue
        for row in rows(plan):
            item = row[-1]
            assert item.held or closed(index, plan.request, item.exercise), (
                plan.request,
                item.exercise.id,
            )


def test_a_typical_intermediate_plan_moves_on_every_day_in_weeks_four_to_six(
    index: Index,
) -> None:
    for equipment in EQUIPMENT:
        request = PlanRequest(level=Level.INTERMEDIATE, equipment=equipment, weeks=6)
        plan = make_plan(index, request)
        for day, session in enumerate(plan.sessions):
            changed = [
                position
                for position in range(len(session.items))
                for n in range(3, 6)
                if plan.weeks[n].sessions[day].items[position]
                != plan.weeks[n - 1].sessions[day].items[position]
                and plan.weeks[n].sessions[day].items[position].changes[0][:4] != "same"
            ]
            assert changed, (sorted(equipment), day + 1)


@pytest.mark.parametrize("level", list(Level))
def test_no_step_up_breaks_the_time_on_a_step_or_the_gates(index: Index, level: Level) -> None:
    for plan in plans(index, level):
        request = plan.request
        for row in rows(plan):
            on_step = 1
            for before, after in itertools.pairwise(row):
                if hurts(request, before.exercise) or before.held:
                    # An area at 3/10 or more now: nothing that loads it moves on.
                    assert (after.exercise.id, after.dose) == (before.exercise.id, before.dose)
                if after.exercise.id == before.exercise.id:
                    on_step += 1
                    continue
                least = 2 if TENDON & set(before.exercise.areas) else 1
                assert on_step >= least, (request, before.exercise.id, on_step)
                harder = index.harder(before.exercise.id)
                assert harder is not None and harder.id == after.exercise.id
                assert not closed(index, request, before.exercise), (request, after.exercise.id)
                assert after.exercise.level.rank <= level.rank
                if level is Level.BEGINNER:
                    assert not after.exercise.plyometric
                # No bigger than the last dose: sets, and reps or seconds where both have them.
                assert after.dose.sets <= before.dose.sets
                if after.dose.reps is not None and before.dose.reps is not None:
                    assert after.dose.reps <= before.dose.reps
                if after.dose.hold_seconds is not None and before.dose.hold_seconds is not None:
                    assert after.dose.hold_seconds <= before.dose.hold_seconds
                on_step = 1


@pytest.mark.parametrize("level", list(Level))
def test_no_session_in_any_week_runs_past_its_minutes(index: Index, level: Level) -> None:
    for plan in plans(index, level):
        budget = plan.request.session_minutes
        for week in plan.weeks:
            for session in week.sessions:
                assert session.minutes <= budget, (plan.request, week.number, session.day)


def test_a_set_traded_keeps_the_total_and_at_least_two_sets(index: Index) -> None:
    traded = 0
    for plan in plans(index, Level.INTERMEDIATE):
        for row in rows(plan):
            for before, after in itertools.pairwise(row):
                if not after.changes or not after.changes[0].startswith("a set traded for "):
                    continue
                traded += 1
                assert after.dose.sets == before.dose.sets - 1 >= 2
                if before.dose.reps is not None:
                    assert after.dose.sets * (after.dose.reps or 0) >= (
                        before.dose.sets * before.dose.reps
                    )
                # A trade never grows a set past half again the step's own dose (or five reps more).
                own = before.exercise.dose
                assert own is not None
                amount = after.dose.reps or after.dose.hold_seconds or 0
                base = (own.reps or own.hold_seconds) or 0
                assert amount <= max(1.5 * base, base + 5)
    assert traded, "full sessions in this grid trade sets for longer ones"


def test_the_weeks_say_why_in_a_sentence_not_a_list(index: Index) -> None:
    plan = make_plan(index, PlanRequest(level=Level.INTERMEDIATE, weeks=6))
    for day in range(len(plan.sessions)):
        notes = week_notes(plan, day)
        assert 1 <= len(notes) <= 4
        assert all(" · " not in note for note in notes)
    everything = " ".join(n for day in range(3) for n in week_notes(plan, day))
    assert "within the 35 minutes," in everything and "rather than more of the same" in everything
