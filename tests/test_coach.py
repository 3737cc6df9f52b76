"""The coaching decisions: every rule and the boundaries between them, on small synthetic logs."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import date, timedelta

import pytest

from kotcoach.base.vocab import Area, Equipment
from kotcoach.catalogue.ladders import Index
from kotcoach.catalogue.models import Catalog
from kotcoach.coaching.coach import (
    Decision,
    Kind,
    Logged,
    Mornings,
    Person,
    Prescription,
    Replay,
    Unit,
    Volume,
    ladder_facts,
    referral_text,
    referrals,
    with_condition_areas,
)
from kotcoach.coaching.coach import decide as decide_facts
from kotcoach.store.records import Checkin

MONDAY = date(2026, 1, 5)


def _exercise(
    id_: str, areas: list[str], dose: dict[str, object], **more: object
) -> dict[str, object]:
    return {
        "id": id_,
        "name": id_.replace("-", " ").capitalize(),
        "level": "beginner",
        "cues": ["Heel stays down"],
        "areas": areas,
        "dose": dose,
        **more,
    }


CATALOG = {
    "exercises": [
        _exercise("raise-a", ["ankle"], {"sets": 2, "reps": 12}, progression="raise-b"),
        _exercise("raise-b", ["ankle"], {"sets": 3, "reps": 12}, progression="raise-c"),
        _exercise("raise-c", ["ankle", "knee"], {"sets": 3, "reps": 15}, equipment=["dumbbells"]),
        _exercise("squat-a", ["knee"], {"sets": 2, "reps": 8}, progression="squat-b"),
        _exercise(
            "squat-b",
            ["knee"],
            {"sets": 3, "reps": 8},
            progression="squat-c",
            cautions=[
                {
                    "condition": "tendon",
                    "note": "Heavy on the tendon.",
                    "modification": "Go less deep.",
                    "substitute": "wall-hold",
                }
            ],
        ),
        _exercise("squat-c", ["knee"], {"sets": 3, "reps": 10}),
        _exercise("wall-hold", ["knee"], {"sets": 3, "hold_seconds": 30}),
        _exercise("walk", ["knee", "ankle"], {"sets": 1, "minutes": 5}, progression="walk-far"),
        _exercise("walk-far", ["knee", "ankle"], {"sets": 1, "minutes": 10}),
        _exercise(
            "band-pull",
            ["hip"],
            {"sets": 2, "reps": 10},
            progression="band-pull-heavy",
            equipment=["band"],
        ),
        _exercise("band-pull-heavy", ["hip"], {"sets": 3, "reps": 10}, equipment=["band"]),
    ],
    "conditions": [
        {
            "id": cid,
            "name": name,
            "summary": "A knee that hurts.",
            "areas": ["knee"],
            "pain_rules": ["Pain may reach 5/10."],
            "avoid": avoid,
            "red_flags": ["A hot, swollen knee"],
        }
        for cid, name, avoid in (
            ("sore-knee", "Sore knee (general)", ["squat-c"]),
            ("tendon", "Tendon pain", []),
        )
    ],
}
INDEX = Index(Catalog.model_validate(CATALOG))


def decide(
    index: Index,
    ask: str,
    sessions: Sequence[Logged],
    checkins: Mornings,
    person: Person,
    programme: Prescription | None = None,
    today: date | None = None,
) -> Decision:
    """The decision with its facts gathered from `index`; without `today`, as of the latest
    date in the records."""
    if today is None:
        today = max([s.day for s in sessions] + [checkins.last_day or MONDAY])
    person = with_condition_areas(index, person)
    facts = ladder_facts(index, ask, person)
    return decide_facts(facts, ask, sessions, checkins, person, today, programme)


def replay(
    index: Index,
    ask: str,
    sessions: Sequence[Logged],
    checkins: Mornings,
    person: Person,
    programme: Prescription | None = None,
    morning_is_pain_now: bool = False,
) -> list[tuple[date, Decision]]:
    person = with_condition_areas(index, person)
    facts = ladder_facts(index, ask, person)
    return Replay(
        facts, ask, sessions, checkins, person, programme, morning_is_pain_now
    ).decisions()


def vol(sets: int, amount: int, unit: Unit = Unit.REPS) -> Volume:
    return Volume(sets, amount, unit)


def day(n: int) -> date:
    return MONDAY + timedelta(days=n)


def session(
    n: int,
    exercise: str = "raise-a",
    target: tuple[int, int] = (2, 10),
    pain: int | None = 1,
    done: tuple[int, ...] | None = None,
    unit: Unit = Unit.REPS,
) -> Logged:
    volume = vol(*target, unit)
    return Logged(day(n), exercise, volume, done or (volume.amount,) * volume.sets, pain)


def mornings(*scores: tuple[int, str, int]) -> Mornings:
    return Mornings(Checkin(day(n), Area(area), pain) for n, area, pain in scores)


def test_mornings_read_the_log_s_check_ins_and_pass_over_an_area_they_do_not_know() -> None:
    # The store's own records come in; a hand-edited log may name an area this version lacks.
    read = Mornings(
        [
            Checkin(day(1), "knee", 2, 3),
            Checkin(day(1), "knee", 4),  # a second that day: the worst stays
            Checkin(day(2), "elbow", 9, 9),
        ]
    )
    assert read.areas == [Area.KNEE]
    assert read.day(day(1)) == {Area.KNEE: 4}
    assert read.day(day(2)) == {}
    assert read.last_day == day(1)


# Two full sessions of raise-a at 2 x 10, pain 1/10, with the ankle at 1/10 every morning.
GREEN_LOG = (session(0), session(2))
GREEN_MORNINGS = ((0, "ankle", 1), (1, "ankle", 1), (2, "ankle", 1), (3, "ankle", 1))


@dataclass
class Case:
    name: str
    sessions: tuple[Logged, ...]
    checkins: tuple[tuple[int, str, int], ...]
    kind: Kind
    exercise: str
    dose: Volume | None
    says: tuple[str, ...]
    person: Person = field(default_factory=Person)
    ask: str = "raise-a"
    programme: Prescription | None = None


def green(
    exercise: str = "raise-a", target: tuple[int, int] = (2, 10), unit: Unit = Unit.REPS
) -> tuple[tuple[Logged, ...], tuple[tuple[int, str, int], ...]]:
    """Two green sessions of `exercise` at `target`, settled, in the areas it loads."""
    areas = INDEX.exercise(exercise).areas
    checkins = tuple((d, str(area), 1) for d in range(4) for area in areas)
    sessions = (session(0, exercise, target, unit=unit), session(2, exercise, target, unit=unit))
    return sessions, checkins


CASES = [
    Case(
        "start: nothing logged, the programme's prescription",
        (),
        (),
        Kind.START,
        "raise-a",
        vol(1, 10),
        ("1 × 10 from your programme: nothing logged yet",),
        programme=Prescription("raise-a", vol(1, 10)),
    ),
    Case(
        "start without a programme: the step's catalogue dose",
        (),
        (),
        Kind.START,
        "raise-b",
        vol(3, 12),
        ("3 × 12 from your programme",),
        ask="raise-b",
    ),
    Case(
        "up: two more reps",
        GREEN_LOG,
        GREEN_MORNINGS,
        Kind.UP,
        "raise-a",
        vol(2, 12),
        (
            "2 × 12, was 2 × 10: the last two sessions were done in full at pain 1/10, "
            "settled by the next morning",
        ),
    ),
    Case(
        "up: reps stop at the step's full dose",
        green(target=(2, 11))[0],
        GREEN_MORNINGS,
        Kind.UP,
        "raise-a",
        vol(2, 12),
        ("2 × 12, was 2 × 11",),
    ),
    Case(
        "up: then a set",
        green(target=(1, 12))[0],
        GREEN_MORNINGS,
        Kind.UP,
        "raise-a",
        vol(2, 12),
        ("2 × 12, was 1 × 12",),
    ),
    Case(
        "up: at the full dose after two weeks on the step, the next step with one set fewer",
        (session(-14, target=(2, 12)), *green(target=(2, 12))[0]),
        GREEN_MORNINGS,
        Kind.UP,
        "raise-b",
        vol(2, 12),
        ("Raise b, 2 × 12 (was Raise a, 2 × 12)", "2 × 12 is this step's full dose"),
    ),
    Case(
        "up: pain 2/10 both times is still green",
        (session(0, pain=2), session(2, pain=2)),
        GREEN_MORNINGS,
        Kind.UP,
        "raise-a",
        vol(2, 12),
        ("at pain 2/10,",),
    ),
    Case(
        "up: two pain scores are both shown",
        (session(0, pain=0), session(2, pain=2)),
        GREEN_MORNINGS,
        Kind.UP,
        "raise-a",
        vol(2, 12),
        ("at pain 0/10 and 2/10,",),
    ),
    Case(
        "hold: pain 3/10 during is amber",
        (session(0), session(2, pain=3)),
        GREEN_MORNINGS,
        Kind.HOLD,
        "raise-a",
        vol(2, 10),
        ("2 × 10, as last time: pain during was 3/10 last time",),
    ),
    Case(
        "hold: pain 3/10 the session before",
        (session(0, pain=3), session(2, pain=1)),
        GREEN_MORNINGS,
        Kind.HOLD,
        "raise-a",
        vol(2, 10),
        ("pain during was 3/10 the session before",),
    ),
    Case(
        "hold: pain 5/10 during is the last of amber",
        (session(0), session(2, pain=5)),
        GREEN_MORNINGS,
        Kind.HOLD,
        "raise-a",
        vol(2, 10),
        ("pain during was 5/10 last time",),
    ),
    Case(
        "down: pain 6/10 during, one set fewer",
        (session(0), session(2, pain=6)),
        GREEN_MORNINGS,
        Kind.DOWN,
        "raise-a",
        vol(1, 10),
        ("1 × 10, was 2 × 10: pain during was 6/10 last time, above 5/10",),
    ),
    Case(
        "hold: no pain-during score",
        (session(0), session(2, pain=None)),
        GREEN_MORNINGS,
        Kind.HOLD,
        "raise-a",
        vol(2, 10),
        ("no pain-during score",),
    ),
    Case(
        "hold: next morning one above the check-in before is not settled",
        GREEN_LOG,
        ((0, "ankle", 1), (1, "ankle", 1), (2, "ankle", 1), (3, "ankle", 2)),
        Kind.HOLD,
        "raise-a",
        vol(2, 10),
        (
            "not settled by the next morning (the study's rule): ankle was 2/10 the morning "
            "after 2026-01-07, 1/10 the morning before",
        ),
    ),
    Case(
        "down: next morning two above the check-in before is a flare",
        GREEN_LOG,
        ((0, "ankle", 1), (1, "ankle", 1), (2, "ankle", 1), (3, "ankle", 3)),
        Kind.DOWN,
        "raise-a",
        vol(1, 10),
        ("ankle was 3/10 the morning after 2026-01-07, 1/10 the morning before: up by 2",),
    ),
    Case(
        "hold: the session before had not settled",
        GREEN_LOG,
        ((0, "ankle", 1), (1, "ankle", 2), (2, "ankle", 2), (3, "ankle", 2)),
        Kind.HOLD,
        "raise-a",
        vol(2, 10),
        ("the session before had not settled",),
    ),
    Case(
        "hold: no up when the two sessions were more than a week apart",
        (session(0), session(10)),
        ((1, "ankle", 2), (11, "ankle", 2)),
        Kind.HOLD,
        "raise-a",
        vol(2, 10),
        ("10 days passed between the last two sessions",),
    ),
    Case(
        "hold: no check-in before, next morning 3/10 is not settled",
        (session(0), session(10)),
        ((1, "ankle", 2), (11, "ankle", 3)),
        Kind.HOLD,
        "raise-a",
        vol(2, 10),
        (
            "ankle was 3/10 the morning after 2026-01-15, no check-in before it, so 2/10 is "
            "the limit",
        ),
    ),
    Case(
        "down: no check-in before, next morning 4/10 is a flare",
        (session(0), session(10)),
        ((1, "ankle", 2), (11, "ankle", 4)),
        Kind.DOWN,
        "raise-a",
        vol(1, 10),
        ("ankle was 4/10 the morning after 2026-01-15, no check-in before it", "up by 2 or more"),
    ),
    Case(
        "a check-in more than a week before a session is no baseline",
        (session(0), session(10)),
        ((1, "ankle", 1), (2, "ankle", 3), (11, "ankle", 3)),
        Kind.HOLD,
        "raise-a",
        vol(2, 10),
        ("no check-in before it",),
    ),
    Case(
        "hold: a missing next-morning check-in",
        GREEN_LOG,
        ((0, "ankle", 1), (1, "ankle", 1), (2, "ankle", 1)),
        Kind.HOLD,
        "raise-a",
        vol(2, 10),
        ("no ankle score on 2026-01-08 (kotcoach checkin --pain AREA=N)",),
    ),
    Case(
        "a check-in for an area the exercise does not load is not its next morning",
        GREEN_LOG,
        ((0, "ankle", 1), (1, "ankle", 1), (2, "ankle", 1), (3, "back", 1)),
        Kind.HOLD,
        "raise-a",
        vol(2, 10),
        ("no ankle score on 2026-01-08",),
    ),
    Case(
        "hold: reps missed, the next target is what each set reached, same sets",
        (session(0), session(2, done=(10, 7))),
        GREEN_MORNINGS,
        Kind.HOLD,
        "raise-a",
        vol(2, 7),
        ("2 × 7, was 2 × 10: the next target is what each set reached", "did 10, 7 of 2 × 10"),
    ),
    Case(
        "down: reps missed by a third or more, still the same sets",
        (session(0, done=(10,)), session(2, done=(8, 4))),
        GREEN_MORNINGS,
        Kind.DOWN,
        "raise-a",
        vol(2, 4),
        ("2 × 4, was 2 × 10",),
    ),
    Case(
        "extra sets beyond the target still count as in full",
        (session(0, done=(10, 10, 4)), session(2, done=(12, 10))),
        GREEN_MORNINGS,
        Kind.UP,
        "raise-a",
        vol(2, 12),
        (),
    ),
    Case(
        "hold: only one session at this target",
        (session(0, target=(1, 10)), session(2)),
        GREEN_MORNINGS,
        Kind.HOLD,
        "raise-a",
        vol(2, 10),
        ("done in full once at 2 × 10; one more session like it moves you up",),
    ),
    Case(
        "hold: a single session so far",
        (session(2),),
        GREEN_MORNINGS,
        Kind.HOLD,
        "raise-a",
        vol(2, 10),
        ("done in full once",),
    ),
    Case(
        "down: on one set, the easier step",
        (session(0, "raise-b", (1, 12)), session(2, "raise-b", (1, 12), pain=7)),
        GREEN_MORNINGS,
        Kind.DOWN,
        "raise-a",
        vol(1, 12),
        ("Raise a, 1 × 12 (was Raise b, 1 × 12): pain during was 7/10",),
        ask="raise-b",
    ),
    Case(
        "down: the easiest step on one set loses a third of each set",
        (session(0, target=(1, 12)), session(2, target=(1, 12), pain=8)),
        GREEN_MORNINGS,
        Kind.DOWN,
        "raise-a",
        vol(1, 8),
        ("1 × 8, was 1 × 12",),
    ),
    Case(
        "hold: the next step needs equipment the person lacks",
        green(target=(3, 12), exercise="raise-b")[0],
        GREEN_MORNINGS,
        Kind.HOLD,
        "raise-b",
        vol(3, 12),
        ("the next step, Raise c, needs dumbbells",),
        person=Person(equipment=frozenset({Equipment.STEP})),
    ),
    Case(
        "up: the next step's equipment is there; it starts at no more than the last dose",
        (session(-14, "raise-b", (3, 12)), *green(target=(3, 12), exercise="raise-b")[0]),
        GREEN_MORNINGS,
        Kind.UP,
        "raise-c",
        vol(2, 12),
        (),
        person=Person(equipment=frozenset({Equipment.DUMBBELLS})),
    ),
    Case(
        "hold: the next step loads an area at 6/10 now",
        green(target=(3, 12), exercise="raise-b")[0],
        GREEN_MORNINGS,
        Kind.HOLD,
        "raise-b",
        vol(3, 12),
        ("Raise c, loads the knee, at 6/10 now",),
        person=Person(pain_now={Area.KNEE: 6}),
    ),
    Case(
        "hold: the next step loads an area at 3/10 now",
        green(target=(3, 12), exercise="raise-b")[0],
        GREEN_MORNINGS,
        Kind.HOLD,
        "raise-b",
        vol(3, 12),
        ("Raise c, loads the knee, at 3/10 now",),
        person=Person(pain_now={Area.KNEE: 3}),
    ),
    Case(
        "up: pain now 2/10 in the next step's area is green",
        (session(-14, "raise-b", (3, 12)), *green(target=(3, 12), exercise="raise-b")[0]),
        GREEN_MORNINGS,
        Kind.UP,
        "raise-c",
        vol(2, 12),
        (),
        person=Person(pain_now={Area.KNEE: 2}),
    ),
    Case(
        "hold: pain now 3/10 in the area holds a dose increase",
        GREEN_LOG,
        GREEN_MORNINGS,
        Kind.HOLD,
        "raise-a",
        vol(2, 10),
        ("2 × 10, as last time: ankle pain now 3/10; no progression until it is 2/10 or less",),
        person=Person(pain_now={Area.ANKLE: 3}),
    ),
    Case(
        "pause: pain now 6/10 in the area, no moving exercise",
        GREEN_LOG,
        GREEN_MORNINGS,
        Kind.PAUSE,
        "raise-a",
        None,
        ("leave it out for now: ankle pain now 6/10, so no moving exercise for the ankle",),
        person=Person(pain_now={Area.ANKLE: 6}),
    ),
    Case(
        "hold: pain now 6/10 keeps a still hold, no more",
        green("wall-hold", (3, 20), Unit.SECONDS)[0],
        green(exercise="wall-hold")[1],
        Kind.HOLD,
        "wall-hold",
        vol(3, 20, Unit.SECONDS),
        ("3 × 20 s hold, no more: knee pain now 6/10", "pain during it 3/10 at most"),
        person=Person(pain_now={Area.KNEE: 6}),
        ask="wall-hold",
    ),
    Case(
        "hold: the top of a ladder at its full dose",
        green("wall-hold", (3, 30), Unit.SECONDS)[0],
        green(exercise="wall-hold")[1],
        Kind.HOLD,
        "wall-hold",
        vol(3, 30, Unit.SECONDS),
        ("the top of the Wall hold ladder at its full dose; once it feels easy, add 2-10 % load",),
        ask="wall-hold",
    ),
    Case(
        "up: holds grow by five seconds",
        green("wall-hold", (3, 20), Unit.SECONDS)[0],
        green(exercise="wall-hold")[1],
        Kind.UP,
        "wall-hold",
        vol(3, 25, Unit.SECONDS),
        ("3 × 25 s hold, was 3 × 20 s hold",),
        ask="wall-hold",
    ),
    Case(
        "up: minutes grow by one",
        tuple(session(n, "walk", (1, 3), unit=Unit.MINUTES) for n in (0, 2)),
        green(exercise="walk")[1],
        Kind.UP,
        "walk",
        vol(1, 4, Unit.MINUTES),
        ("4 min, was 3 min",),
        ask="walk",
    ),
    Case(
        "hold: the next step is one a condition avoids",
        green(exercise="squat-b", target=(3, 8))[0],
        green(exercise="squat-b")[1],
        Kind.HOLD,
        "squat-b",
        vol(3, 8),
        ("the next step, Squat c, is one to avoid with sore knee",),
        person=Person(conditions=("sore-knee",)),
        ask="squat-b",
    ),
    Case(
        "hold: the next step is one a condition's caution swaps out",
        green(exercise="squat-a", target=(2, 8))[0],
        green(exercise="squat-a")[1],
        Kind.HOLD,
        "squat-a",
        vol(2, 8),
        ("the next step, Squat b, is swapped out for wall-hold with tendon pain",),
        person=Person(conditions=("tendon",)),
        ask="squat-a",
    ),
    Case(
        "down: the logged step is now one a condition avoids; the easier allowed step",
        green(exercise="squat-c", target=(3, 10))[0],
        green(exercise="squat-c")[1],
        Kind.DOWN,
        "squat-a",
        vol(1, 8),
        ("Squat a, 1 × 8 (was Squat c, 3 × 10): Squat c is one to avoid with sore knee",),
        person=Person(conditions=("sore-knee", "tendon")),
        ask="squat-c",
    ),
    Case(
        "down skips an easier step a condition swaps out",
        (session(0, "squat-c", (1, 10)), session(2, "squat-c", (1, 10), pain=7)),
        green(exercise="squat-c")[1],
        Kind.DOWN,
        "squat-a",
        vol(1, 8),
        ("Squat a, 1 × 8 (was Squat c, 1 × 10): pain during was 7/10",),
        person=Person(conditions=("tendon",)),
        ask="squat-c",
    ),
    Case(
        "pause: no step of the ladder suits the person",
        (),
        (),
        Kind.PAUSE,
        "band-pull-heavy",
        None,
        ("leave it out: Band pull heavy needs band, and no easier step of its ladder suits you",),
        person=Person(equipment=frozenset({Equipment.STEP})),
        ask="band-pull",
        programme=Prescription("band-pull-heavy", vol(2, 10)),
    ),
]


@pytest.mark.parametrize("case", CASES, ids=[case.name for case in CASES])
def test_rule(case: Case) -> None:
    found = decide(
        INDEX, case.ask, case.sessions, mornings(*case.checkins), case.person, case.programme
    )
    assert (found.kind, found.exercise_id, found.dose) == (case.kind, case.exercise, case.dose)
    for text in case.says:
        assert text in found.reason


def rising(*scores: int, area: str = "knee") -> tuple[tuple[int, str, int], ...]:
    """Weeks of daily check-ins at these scores, one a week, the last week ending on day 20."""
    first = 21 - 7 * len(scores)
    return tuple(
        (first + 7 * week + n, area, score) for week, score in enumerate(scores) for n in range(7)
    )


def squat_decision(checkins: tuple[tuple[int, str, int], ...], **kw: object) -> Decision:
    sessions = (session(14, "squat-a", (2, 8)), session(16, "squat-a", (2, 8), **kw))  # type: ignore[arg-type]
    return decide(INDEX, "squat-a", sessions, mornings(*checkins), Person(), today=day(20))


def test_two_rising_weeks_deload_even_from_zero() -> None:
    # Finding 1: morning knee pain 0 -> 1 -> 2 by week is a creep, not "settled".
    found = squat_decision(rising(0, 1, 2))
    assert (found.kind, found.dose) == (Kind.DOWN, vol(1, 8))
    assert "a second rising week in a row: deload" in found.reason
    assert "knee morning pain 2.0/10 this week, 1.0/10 last week" in found.reason
    assert found.referral is None


def test_one_rising_week_blocks_progression_with_the_numbers() -> None:
    found = squat_decision(rising(3, 3, 4))
    assert (found.kind, found.dose) == (Kind.HOLD, vol(2, 8))
    assert "no progression while the mornings rose week on week" in found.reason
    assert "knee morning pain 4.0/10 this week, 3.0/10 last week" in found.reason


def test_a_fall_this_week_is_no_rise() -> None:
    found = squat_decision(rising(2, 4, 3))
    assert found.kind is Kind.HOLD and "rose" not in found.reason


def test_stiffness_rising_counts_like_pain() -> None:
    sessions = (session(14, "squat-a", (2, 8)), session(16, "squat-a", (2, 8)))
    checkins = Mornings(Checkin(day(n), Area.KNEE, 1, 1 if n < 14 else 3) for n in range(7, 21))
    found = decide(INDEX, "squat-a", sessions, checkins, Person(), today=day(20))
    assert found.kind is Kind.HOLD
    assert "knee morning stiffness 3.0/10 this week, 1.0/10 last week" in found.reason


def test_a_week_without_check_ins_breaks_the_trend() -> None:
    checkins = tuple(c for c in rising(2, 3, 4) if not 7 <= c[0] < 14)
    assert "rising week" not in squat_decision(checkins).reason


def test_a_rising_area_only_blocks_exercises_loading_it() -> None:
    found = decide(
        INDEX,
        "raise-a",
        GREEN_LOG,
        mornings(*GREEN_MORNINGS, *rising(2, 3, 4)),
        Person(),
        today=day(3),
    )
    assert found.kind is Kind.UP


def test_six_or_more_twice_in_a_week_deloads_and_refers() -> None:
    checkins = ((14, "knee", 6), (15, "knee", 1), (17, "knee", 7), (18, "knee", 1))
    found = squat_decision(checkins)
    assert (found.kind, found.dose) == (Kind.DOWN, vol(1, 8))
    assert found.referral is not None
    assert "6/10 on 2026-01-19, 7/10 on 2026-01-22" in found.referral


def test_six_twice_but_eight_days_apart_is_no_referral() -> None:
    checkins = ((9, "knee", 6), (15, "knee", 1), (17, "knee", 6), (18, "knee", 1))
    assert squat_decision(checkins).referral is None


def test_five_twice_in_a_week_is_no_referral() -> None:
    checkins = ((14, "knee", 5), (15, "knee", 1), (17, "knee", 5), (18, "knee", 1))
    assert squat_decision(checkins).referral is None


def test_a_down_from_the_log_is_not_cut_twice_by_the_trend() -> None:
    found = squat_decision(rising(2, 3, 4), pain=7)
    assert (found.kind, found.dose) == (Kind.DOWN, vol(1, 8))
    assert "pain during was 7/10" in found.reason and "no progression" in found.reason


def test_referral_text_names_each_area_once() -> None:
    found = referrals(mornings(*rising(1, 2, 3, 4)), Person(pain_now={Area.BACK: 8}), day(20))
    assert [(r.area, r.pain_now) for r in found] == [(Area.KNEE, False), (Area.BACK, True)]
    text = referral_text(found)
    assert text is not None
    assert text.startswith("See a physiotherapist about your knee and follow their programme")
    assert "a third week in a row of rising mornings" in text
    assert (
        "See a physiotherapist or doctor before you load the back again: back pain now 8/10."
        in text
    )
    assert referral_text(referrals(mornings(*GREEN_MORNINGS), Person(), day(3))) is None


def test_the_order_of_the_records_does_not_matter() -> None:
    checkins = [Checkin(day(n), Area(a), p) for n, a, p in GREEN_MORNINGS]
    one = decide(INDEX, "raise-a", list(GREEN_LOG), Mornings(checkins), Person())
    other = decide(
        INDEX, "raise-a", list(reversed(GREEN_LOG)), Mornings(reversed(checkins)), Person()
    )
    assert one == other


def test_other_ladders_sessions_do_not_count() -> None:
    noise = (session(1, "squat-a", pain=9), session(3, "walk", (1, 3), unit=Unit.MINUTES, pain=9))
    found = decide(INDEX, "raise-a", GREEN_LOG + noise, mornings(*GREEN_MORNINGS), Person())
    assert found.kind is Kind.UP


def test_the_worst_score_of_a_day_counts() -> None:
    checkins = (*GREEN_MORNINGS, (3, "ankle", 4))
    assert decide(INDEX, "raise-a", GREEN_LOG, mornings(*checkins), Person()).kind is Kind.DOWN


def test_replay_gives_each_day_the_decision_it_started_from() -> None:
    sessions = (
        session(0, target=(2, 10)),
        session(2, target=(2, 10)),
        session(4, target=(2, 12)),
        session(4, target=(2, 12)),
        session(6, target=(2, 12), pain=6),
    )
    checkins = tuple((n, "ankle", 1) for n in range(8))
    days = replay(INDEX, "raise-a", sessions, mornings(*checkins), Person(), None)
    assert [(d, found.kind, found.exercise_id, found.dose) for d, found in days] == [
        (day(0), Kind.START, "raise-a", vol(2, 12)),  # no programme: the catalogue's dose
        (day(2), Kind.HOLD, "raise-a", vol(2, 10)),
        (day(4), Kind.UP, "raise-a", vol(2, 12)),
        # two full sessions on day 4 at the step's full dose, but 4 days on the step: the next
        # step waits for two weeks on this one (it loads the ankle)
        (day(6), Kind.HOLD, "raise-a", vol(2, 12)),
    ]
    after = decide(INDEX, "raise-a", sessions, mornings(*checkins), Person())
    assert (after.kind, after.dose) == (Kind.DOWN, vol(1, 12))


def test_replay_matches_deciding_on_the_cut_log() -> None:
    sessions = tuple(session(n, pain=n % 7) for n in range(0, 30, 2))
    checkins = mornings(*((n, "ankle", (n * 3) % 6) for n in range(31)))
    for when, decision in replay(INDEX, "raise-a", sessions, checkins, Person(), None):
        before = [s for s in sessions if s.day < when]
        assert decision == decide(INDEX, "raise-a", before, checkins, Person(), today=when)


@pytest.mark.parametrize(
    ("volume", "text"),
    [
        (Volume(2, 20, Unit.REPS), "2 × 20"),
        (Volume(3, 15, Unit.REPS, per_side=True), "3 × 15 per side"),
        (Volume(3, 30, Unit.SECONDS), "3 × 30 s hold"),
        (Volume(1, 10, Unit.MINUTES), "10 min"),
        (Volume(2, 5, Unit.MINUTES), "2 × 5 min"),
    ],
)
def test_volume_reads_like_a_dose(volume: Volume, text: str) -> None:
    assert volume.describe() == text


def test_volume_of_every_catalogue_dose_describes_it_the_same() -> None:
    from kotcoach.catalogue.read import load_catalog
    from kotcoach.catalogue.source import builtin_catalog_path

    for exercise in load_catalog(builtin_catalog_path()).exercises:
        if exercise.dose is not None:
            assert Volume.of(exercise.dose).describe() == exercise.dose.describe()


def test_the_weekly_windows_end_on_the_day_asked() -> None:
    sessions = (session(14, "squat-a", (2, 8)), session(16, "squat-a", (2, 8)))
    checkins = mornings(*rising(2, 3, 4))
    assert decide(INDEX, "squat-a", sessions, checkins, Person(), today=day(20)).kind is Kind.DOWN
    # Two days on, this week (days 16-22) is 4.0 against 3.3: less than a point, no rise.
    later = decide(INDEX, "squat-a", sessions, checkins, Person(), today=day(22))
    assert later.kind is Kind.HOLD and "rose" not in later.reason


def test_sessions_after_the_day_asked_do_not_count() -> None:
    sessions = (*GREEN_LOG, session(5, pain=8))
    found = decide(INDEX, "raise-a", sessions, mornings(*GREEN_MORNINGS), Person(), today=day(4))
    assert found.kind is Kind.UP


def test_replay_can_read_each_morning_as_pain_now() -> None:
    sessions = (session(0), session(2), session(4))
    checkins = mornings(*GREEN_MORNINGS, (4, "ankle", 7))
    plain = replay(INDEX, "raise-a", sessions, checkins, Person())
    assert plain[-1][1].kind is Kind.UP  # day 4's 7/10 is no morning after a session
    as_now = replay(INDEX, "raise-a", sessions, checkins, Person(), morning_is_pain_now=True)
    assert (as_now[-1][1].kind, as_now[-1][1].dose) == (Kind.PAUSE, None)
    assert "ankle pain now 7/10" in as_now[-1][1].reason


@pytest.mark.parametrize("pain", [3, 5, 6, 9])
def test_no_step_up_while_the_current_step_loads_a_painful_area(pain: int) -> None:
    # Found by the property test, at 3/10 and later at 6/10: ankle pain now, two full sessions
    # of the assisted squat (knee, ankle, hip) at pain 0; the next step (knee, hip) does not
    # load the ankle, but moving up is still progressing while the ankle hurts. At 6/10 or
    # more the squat itself loads an ankle that may not be loaded: it stops.
    from datetime import date

    from kotcoach.base.vocab import Area
    from kotcoach.catalogue.ladders import Index
    from kotcoach.catalogue.loading import builtin_catalog_path
    from kotcoach.catalogue.read import load_catalog
    from kotcoach.coaching.coach import (
        Kind,
        Logged,
        Mornings,
        Person,
        Unit,
        Volume,
    )

    index = Index(load_catalog(builtin_catalog_path()))
    target = Volume(sets=3, amount=5, unit=Unit.REPS, per_side=False)
    sessions = [
        Logged(
            day=date(2026, 3, day),
            exercise_id="kot-squat-assisted",
            target=target,
            done=(5, 5, 5),
            pain_during=0,
        )
        for day in (2, 3)
    ]
    sessions.insert(0, replace(sessions[0], day=date(2026, 2, 14)))  # two weeks on the step
    checkins = [
        Checkin(date=date(2026, 3, day), area=area, pain=0)
        for day in (2, 3, 4)
        for area in (Area.KNEE, Area.ANKLE, Area.HIP)
    ]
    person = Person(conditions=(), pain_now={Area.ANKLE: pain}, equipment=None)
    found = decide(index, "kot-squat-assisted", sessions, Mornings(checkins), person)
    assert found.exercise_id == "kot-squat-assisted"
    assert f"ankle pain now {pain}/10" in found.reason
    if pain < 6:
        assert found.kind is Kind.HOLD
        assert found.dose == target
    else:
        assert found.kind is Kind.PAUSE
        assert found.dose is None  # a moving exercise: left out, not held
        assert found.referral is not None and "physiotherapist or doctor" in found.referral


def test_a_catalogue_may_set_the_least_time_on_a_step() -> None:
    catalog = {
        **CATALOG,
        "exercises": [
            {**e, "min_weeks_on_step": 3} if e["id"] == "band-pull" else e
            for e in CATALOG["exercises"]
        ],
    }
    index = Index(Catalog.model_validate(catalog))
    sessions = tuple(session(n, "band-pull", (2, 10)) for n in (0, 15, 17))
    checkins = mornings(*((n, "hip", 0) for n in range(25)))
    waits = decide(index, "band-pull", sessions, checkins, Person(), today=day(18))
    assert waits.kind is Kind.HOLD and "waits until 21 days on this one" in waits.reason
    later = (*sessions, session(21, "band-pull", (2, 10)), session(22, "band-pull", (2, 10)))
    moves = decide(index, "band-pull", later, checkins, Person(), today=day(23))
    assert (moves.kind, moves.exercise_id) == (Kind.UP, "band-pull-heavy")
    # Without the field a hip-only step waits one week.
    found = decide(INDEX, "band-pull", sessions, checkins, Person(), today=day(18))
    assert (found.kind, found.exercise_id) == (Kind.UP, "band-pull-heavy")
