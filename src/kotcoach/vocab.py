"""The fixed vocabularies: levels, areas, equipment, goals, evidence bases.

Stdlib only, so that `--help` can list valid values without importing pydantic or reading YAML.
Every help text, error message and model reads the valid values from here.
"""

from __future__ import annotations

from enum import StrEnum


class Level(StrEnum):
    BEGINNER = "beginner"
    INTERMEDIATE = "intermediate"
    ADVANCED = "advanced"

    @property
    def rank(self) -> int:
        return list(Level).index(self)


class Area(StrEnum):
    KNEE = "knee"
    ANKLE = "ankle"
    HIP = "hip"
    BACK = "back"


class Equipment(StrEnum):
    STEP = "step"
    BOX = "box"
    SLANT_BOARD = "slant-board"
    DUMBBELLS = "dumbbells"
    BARBELL = "barbell"
    BAND = "band"
    TIB_BAR = "tib-bar"
    SLED = "sled"
    TREADMILL = "treadmill"
    ANCHOR = "anchor"


EQUIPMENT_HELP: dict[Equipment, str] = {
    Equipment.STEP: "a stair, step or low platform (5-20 cm)",
    Equipment.BOX: "a sturdy box, bench or chair",
    Equipment.SLANT_BOARD: "a slant board or wedge",
    Equipment.DUMBBELLS: "dumbbells or kettlebells",
    Equipment.BARBELL: "a barbell or loaded bar",
    Equipment.BAND: "a resistance band",
    Equipment.TIB_BAR: "a tib bar",
    Equipment.SLED: "a sled to push or drag",
    Equipment.TREADMILL: "a treadmill (non-motorised is best)",
    Equipment.ANCHOR: "something to hold the heels down: a partner, strap or heavy sofa",
}


class Goal(StrEnum):
    LESS_PAIN = "less-pain"
    DAILY_LIFE = "daily-life"
    QUADS_ANKLES = "quads-ankles"
    SPORT = "sport"


GOAL_HELP: dict[Goal, str] = {
    Goal.LESS_PAIN: "less knee, back and hip pain",
    Goal.DAILY_LIFE: "readiness for daily life: stairs, hills, lifting a child",
    Goal.QUADS_ANKLES: "quadriceps strength and ankle dorsiflexion",
    Goal.SPORT: "gym and sport: squatting, jumping, cutting, running",
}


class EvidenceBasis(StrEnum):
    SYSTEMATIC_REVIEW = "systematic-review"
    TRIAL = "trial"
    LAB_STUDY = "lab-study"
    CONSENSUS = "consensus"
    COACHING_PRACTICE = "coaching-practice"


EVIDENCE_HELP: dict[EvidenceBasis, str] = {
    EvidenceBasis.SYSTEMATIC_REVIEW: "a systematic review of several studies",
    EvidenceBasis.TRIAL: "a controlled trial",
    EvidenceBasis.LAB_STUDY: "a laboratory measurement, not a trial of outcomes",
    EvidenceBasis.CONSENSUS: "an expert consensus statement",
    EvidenceBasis.COACHING_PRACTICE: "coaching practice: no trial has tested it",
}


def choices(enum: type[StrEnum]) -> str:
    """The valid values of a vocabulary, for messages: 'a, b or c'."""
    values = [member.value for member in enum]
    return ", ".join(values[:-1]) + " or " + values[-1] if len(values) > 1 else values[0]
