"""A hand-moved clock and a recorder that keeps what it is told, for the session's tests."""

from __future__ import annotations

from dataclasses import dataclass, field

from kotcoach.coaching.session import Amount, Ending, Planned, SetDone


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


@dataclass
class ListRecorder:
    sets: list[SetDone] = field(default_factory=list)
    pains: list[tuple[str, int, int]] = field(default_factory=list)
    pain_after: list[int] = field(default_factory=list)
    endings: list[tuple[str, int, Ending]] = field(default_factory=list)
    undone: list[SetDone] = field(default_factory=list)
    resumed: list[tuple[str, int]] = field(default_factory=list)

    def set_done(self, done: SetDone) -> None:
        self.sets.append(done)

    def exercise_pain(self, exercise_id: str, position: int, pain: int) -> None:
        self.pains.append((exercise_id, position, pain))

    def exercise_ended(self, exercise_id: str, position: int, ending: Ending) -> None:
        self.endings.append((exercise_id, position, ending))

    def session_pain_after(self, pain: int) -> None:
        self.pain_after.append(pain)

    def set_undone(self, done: SetDone) -> None:
        self.sets.remove(done)
        self.undone.append(done)

    def exercise_resumed(self, exercise_id: str, position: int) -> None:
        self.endings.remove(next(e for e in self.endings if e[:2] == (exercise_id, position)))
        self.resumed.append((exercise_id, position))


SQUAT = Planned(
    id="split-squat",
    name="Split squat",
    cues=("Front knee travels over the toes", "Back knee soft"),
    sets=3,
    target=Amount(reps=8),
    rest_seconds=60,
    per_side=True,
)
HOLD = Planned(
    id="wall-sit",
    name="Wall sit",
    cues=("Back flat on the wall",),
    sets=2,
    target=Amount(hold_seconds=30),
    rest_seconds=45,
)
COUCH = Planned(
    id="couch-stretch",
    name="Couch stretch",
    cues=("Squeeze the glute",),
    sets=1,
    target=Amount(hold_seconds=60),
    rest_seconds=0,
    per_side=True,
)
WALK = Planned(
    id="backward-walk",
    name="Backward walking",
    cues=("Reach back with the toes",),
    sets=1,
    target=Amount(minutes=10),
    rest_seconds=0,
)
LOADED = Planned(
    id="split-squat-loaded",
    name="Loaded split squat",
    cues=("Dumbbell in each hand",),
    sets=3,
    target=Amount(reps=6),
    rest_seconds=90,
    per_side=True,
    loaded=True,
    load_kg=12.0,
    per_hand=True,
)
