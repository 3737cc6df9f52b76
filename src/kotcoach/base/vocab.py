"""The fixed vocabularies: levels, areas, equipment, goals, evidence bases.

Stdlib only, so that `--help` can list valid values without importing pydantic or reading YAML.
Every help text, error message and model reads the valid values from here.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Self


class Level(StrEnum):
    BEGINNER = "beginner"
    INTERMEDIATE = "intermediate"
    ADVANCED = "advanced"

    @property
    def rank(self) -> int:
        return _LEVEL_RANK[self]  # a dict look-up: the planner asks for every step of every ladder


_LEVEL_RANK = {level: rank for rank, level in enumerate(Level)}


# The pain-monitoring model's ceiling (Silbernagel 2007): pain during exercise may reach 5/10,
# never more. The store marks an entry stopped above it; the coach and the session stop there.
MAX_PAIN_DURING = 5


class Area(StrEnum):
    KNEE = "knee"
    ANKLE = "ankle"
    HIP = "hip"
    BACK = "back"


# An area by its name, for names read back from the log or typed: `.get` gives None for a name
# that is not an area (the store takes only these; a hand-edited log may hold another).
AREA_NAMED = {area.value: area for area in Area}


class Described(StrEnum):
    """A vocabulary whose members carry what they mean: `Goal.SPORT.help`. A member is declared
    as its value and its help, side by side, so that no table of help texts can miss one."""

    help: str

    # `Goal("sport")` looks a member up by its value, as with any enum: the enum machinery
    # answers that call, not this method, which only makes the members. The default lets type
    # checkers accept the look-up.
    def __new__(cls, value: str, help: str = "") -> Self:
        member = str.__new__(cls, value)
        member._value_ = value
        member.help = help
        return member


class Equipment(Described):
    STEP = "step", "a stair, step or low platform (5-20 cm)"
    BOX = "box", "a sturdy box, bench or chair"
    SLANT_BOARD = "slant-board", "a slant board or wedge"
    DUMBBELLS = "dumbbells", "dumbbells or kettlebells"
    BARBELL = "barbell", "a barbell or loaded bar"
    BAND = "band", "a resistance band"
    TIB_BAR = "tib-bar", "a tib bar"
    SLED = "sled", "a sled to push or drag"
    TREADMILL = "treadmill", "a treadmill (non-motorised is best)"
    ANCHOR = "anchor", "something to hold the heels down: a partner, strap or heavy sofa"
    LEG_EXTENSION = "leg-extension", "a leg-extension machine (seated, pad on the shins)"
    LEG_PRESS = "leg-press", "a leg-press machine"


class Goal(Described):
    LESS_PAIN = "less-pain", "less knee, back and hip pain"
    DAILY_LIFE = "daily-life", "readiness for daily life: stairs, hills, lifting a child"
    QUADS_ANKLES = "quads-ankles", "quadriceps strength and ankle dorsiflexion"
    SPORT = "sport", "gym and sport: squatting, jumping, cutting, running"


# Each basis's help is what it claims about the exercise itself, not about related exercises (see
# docs/catalogue.md, "Evidence"). No docstring: the catalogue's JSON Schema would print it.
class EvidenceBasis(Described):
    SYSTEMATIC_REVIEW = (
        "systematic-review",
        "a cited systematic review pooled studies of this exercise",
    )
    TRIAL = "trial", "a cited controlled trial gave people this exercise and measured outcomes"
    LAB_STUDY = "lab-study", "a cited lab study measured this exercise; no outcomes over time"
    CONSENSUS = "consensus", "a cited consensus statement or guideline names this exercise"
    COACHING_PRACTICE = (
        "coaching-practice",
        "coaching practice: no cited study tested this exercise",
    )


def choices(enum: type[StrEnum]) -> str:
    """The valid values of a vocabulary, for messages: 'a, b or c'."""
    values = [member.value for member in enum]
    return ", ".join(values[:-1]) + " or " + values[-1] if len(values) > 1 else values[0]


class RedFlag(StrEnum):
    """Signs that no exercise advice applies: stop and see a clinician (DOMAIN.md, NHS pathways,
    Ottawa knee rules). Defined in code, not the catalogue, so no catalogue can remove one."""

    HOT_SWOLLEN_JOINT = "hot-swollen-joint"
    FEVER = "fever"
    SWELLING_AFTER_INJURY = "swelling-after-injury"
    LOCKED_KNEE = "locked-knee"
    GIVING_WAY = "giving-way"
    GIVES_WAY_REPEATEDLY = "gives-way-repeatedly"
    CANNOT_BEAR_WEIGHT = "cannot-bear-weight"
    NUMBNESS = "numbness"
    CONSTANT_PAIN = "constant-pain"
    DEFORMITY = "deformity"
    WEIGHT_LOSS = "weight-loss"
    BLADDER_BOWEL = "bladder-bowel"
    PASSING_URINE = "passing-urine"
    SADDLE_NUMBNESS = "saddle-numbness"
    BOTH_LEGS = "both-legs"
    SEXUAL_FUNCTION = "sexual-function"
    LEG_WEAKNESS = "leg-weakness"
    CANCER_HISTORY = "cancer-history"
    INFECTION_RISK = "infection-risk"
    POSSIBLE_FRACTURE = "possible-fracture"
    HOT_SWOLLEN_CALF = "hot-swollen-calf"
    CHEST_SYMPTOMS = "chest-symptoms"
    CHILD_LIMP = "child-limp"
    ACHILLES_RUPTURE = "achilles-rupture"
    KNEECAP_OR_EXTENSOR = "kneecap-or-extensor"
    BOTH_LEGS_LONG_STANDING = "both-legs-stable"
    LEG_WEAKNESS_LONG_STANDING = "leg-weakness-stable"
    BACK_PAIN_AGE = "back-pain-age"
    THORACIC_PAIN = "thoracic-pain"
    BACK_PAIN_NOT_EASED = "back-pain-not-eased"
    STEROIDS = "steroids"


class Urgency(StrEnum):
    """How soon a red flag needs a clinician."""

    EMERGENCY = "emergency"  # now: an emergency department
    SAME_DAY = "same-day"  # today: a doctor, urgent care if none can see you
    BEFORE_TRAINING = "before-training"  # a doctor or physiotherapist before training again


RED_FLAG_TEXT: dict[RedFlag, str] = {
    RedFlag.HOT_SWOLLEN_JOINT: "a hot, red or swollen joint",
    RedFlag.FEVER: "fever, or feeling generally unwell with the pain",
    RedFlag.SWELLING_AFTER_INJURY: "large swelling within a couple of hours of an injury",
    RedFlag.LOCKED_KNEE: "a knee that locks or cannot fully straighten",
    RedFlag.GIVING_WAY: "a knee that gives way and causes a fall",
    RedFlag.GIVES_WAY_REPEATEDLY: "a knee that gives way again and again, even without a fall",
    RedFlag.CANNOT_BEAR_WEIGHT: "cannot bear weight or take four steps",
    RedFlag.NUMBNESS: "numbness or pins and needles below the knee",
    RedFlag.CONSTANT_PAIN: "constant pain, including at night",
    RedFlag.DEFORMITY: "a deformity after an injury",
    RedFlag.WEIGHT_LOSS: "unexplained weight loss",
    RedFlag.BLADDER_BOWEL: "loss of bladder or bowel control",
    RedFlag.PASSING_URINE: "new difficulty passing urine, or a changed feeling when you pass it",
    RedFlag.SADDLE_NUMBNESS: "numbness or tingling around the groin, genitals or buttocks",
    RedFlag.BOTH_LEGS: (
        "new or worsening pain, numbness or tingling running down both legs, with back pain"
    ),
    RedFlag.SEXUAL_FUNCTION: "a new change in sexual function along with back pain",
    RedFlag.LEG_WEAKNESS: (
        "new, severe or worsening leg weakness, or a new change in walking, with back pain"
    ),
    RedFlag.CANCER_HISTORY: "back pain with a history of cancer",
    RedFlag.INFECTION_RISK: "back pain with a weakened immune system or injected drug use",
    RedFlag.POSSIBLE_FRACTURE: "a fall or injury with a possible broken bone",
    RedFlag.HOT_SWOLLEN_CALF: (
        "a hot, swollen, tender or red calf, above all after surgery, a cast, bed rest or a long "
        "journey (a possible blood clot)"
    ),
    RedFlag.CHEST_SYMPTOMS: (
        "breathlessness, chest pain or coughing blood, above all with a swollen calf (a possible "
        "blood clot in the lung)"
    ),
    RedFlag.CHILD_LIMP: (
        "a child or teenager with knee pain and a limp, or pain that wakes them (the hip can be "
        "the cause)"
    ),
    RedFlag.ACHILLES_RUPTURE: (
        "a sudden snap or the feeling of a kick at the back of the heel, then a weak push-off or "
        "no tiptoe on that leg alone (a possible torn Achilles tendon)"
    ),
    RedFlag.KNEECAP_OR_EXTENSOR: (
        "a pop with the kneecap out of place, or a straightened leg you cannot lift after a fall "
        "or a jump (a possible dislocated kneecap or torn thigh or kneecap tendon)"
    ),
    RedFlag.BOTH_LEGS_LONG_STANDING: (
        "long-standing, unchanged pain, numbness or tingling in both legs that no doctor has seen"
    ),
    RedFlag.LEG_WEAKNESS_LONG_STANDING: (
        "long-standing, unchanged weakness in a leg that no doctor has seen"
    ),
    RedFlag.BACK_PAIN_AGE: "new back pain that began before the age of 20 or after 50",
    RedFlag.THORACIC_PAIN: "pain in the upper back, between the shoulder blades (thoracic)",
    RedFlag.BACK_PAIN_NOT_EASED: "back pain that no rest and no position eases",
    RedFlag.STEROIDS: (
        "back pain on long-term steroid tablets: a risk of infection and of a spinal fracture"
    ),
}

# Every question is asked so that "yes" is the worrying answer.
RED_FLAG_QUESTIONS: dict[RedFlag, str] = {
    RedFlag.HOT_SWOLLEN_JOINT: "Is a joint hot, red or swollen?",
    RedFlag.FEVER: "Do you have a fever, or feel generally unwell with the pain?",
    RedFlag.SWELLING_AFTER_INJURY: "Did the knee swell a lot within two hours of an injury?",
    RedFlag.LOCKED_KNEE: "Does the knee lock, or stay stuck bent so that it will not straighten?",
    RedFlag.GIVING_WAY: "Has the knee given way and made you fall?",
    RedFlag.GIVES_WAY_REPEATEDLY: "Does the knee give way again and again, even without a fall?",
    RedFlag.CANNOT_BEAR_WEIGHT: "Is it impossible to put weight on the leg or take four steps?",
    RedFlag.NUMBNESS: "Do you have numbness or pins and needles below the knee?",
    RedFlag.CONSTANT_PAIN: "Is the pain constant, including at night, whatever position you take?",
    RedFlag.DEFORMITY: "Does a joint look out of shape after an injury?",
    RedFlag.WEIGHT_LOSS: "Have you lost weight without trying?",
    RedFlag.BLADDER_BOWEL: "Have you lost control of your bladder or bowel?",
    RedFlag.PASSING_URINE: "Is passing urine newly difficult, or does it feel different?",
    RedFlag.SADDLE_NUMBNESS: (
        "Is there numbness or tingling around your groin, genitals or buttocks?"
    ),
    RedFlag.BOTH_LEGS: (
        "With back pain, do new or worsening pain, numbness or tingling run down both legs?"
    ),
    RedFlag.SEXUAL_FUNCTION: "Has your sexual function changed since the back pain began?",
    RedFlag.LEG_WEAKNESS: (
        "With back pain, is a leg newly or severely weak, getting weaker, or has walking changed?"
    ),
    RedFlag.CANCER_HISTORY: "Do you have back pain and a history of cancer?",
    RedFlag.INFECTION_RISK: (
        "Do you have back pain and a weakened immune system, or inject drugs?"
    ),
    RedFlag.POSSIBLE_FRACTURE: "Did a fall or injury leave you thinking a bone may be broken?",
    RedFlag.HOT_SWOLLEN_CALF: "Is a calf hot, swollen, red or tender to touch?",
    RedFlag.CHEST_SYMPTOMS: "Are you newly breathless, or do you have chest pain or cough blood?",
    RedFlag.CHILD_LIMP: (
        "Is this for a child or teenager who has knee pain with a limp, or pain that wakes them?"
    ),
    RedFlag.ACHILLES_RUPTURE: (
        "Did you feel a snap or a kick at the back of the heel, and now push off weakly or cannot "
        "rise on tiptoe on that leg alone?"
    ),
    RedFlag.KNEECAP_OR_EXTENSOR: (
        "After a fall or a jump, did the kneecap pop out of place, or can you not lift the leg "
        "with the knee straight?"
    ),
    RedFlag.BOTH_LEGS_LONG_STANDING: (
        "Have you had pain, numbness or tingling in both legs for a long time, unchanged, that no "
        "doctor has seen?"
    ),
    RedFlag.LEG_WEAKNESS_LONG_STANDING: (
        "Has a leg been weak for a long time, unchanged, without a doctor having seen it?"
    ),
    RedFlag.BACK_PAIN_AGE: "Did this back pain begin recently, and are you under 20 or over 50?",
    RedFlag.THORACIC_PAIN: "Is the pain in your upper back, between the shoulder blades?",
    RedFlag.BACK_PAIN_NOT_EASED: "Is there back pain that no rest and no position eases?",
    RedFlag.STEROIDS: "Do you have back pain and take steroid tablets long term?",
}

RED_FLAG_URGENCY: dict[RedFlag, Urgency] = {
    # Possible cauda equina syndrome (new or worsening signs, with back pain) or a blood clot in
    # the calf or the lung: an emergency, now.
    RedFlag.BLADDER_BOWEL: Urgency.EMERGENCY,
    RedFlag.PASSING_URINE: Urgency.EMERGENCY,
    RedFlag.SADDLE_NUMBNESS: Urgency.EMERGENCY,
    RedFlag.BOTH_LEGS: Urgency.EMERGENCY,
    RedFlag.SEXUAL_FUNCTION: Urgency.EMERGENCY,
    RedFlag.LEG_WEAKNESS: Urgency.EMERGENCY,
    RedFlag.HOT_SWOLLEN_CALF: Urgency.EMERGENCY,
    RedFlag.CHEST_SYMPTOMS: Urgency.EMERGENCY,
    # Infection, a fracture, a locked or unstable joint, a child's hip, a torn Achilles or knee
    # extensor, a dislocated kneecap: today.
    RedFlag.HOT_SWOLLEN_JOINT: Urgency.SAME_DAY,
    RedFlag.FEVER: Urgency.SAME_DAY,
    RedFlag.SWELLING_AFTER_INJURY: Urgency.SAME_DAY,
    RedFlag.LOCKED_KNEE: Urgency.SAME_DAY,
    RedFlag.CANNOT_BEAR_WEIGHT: Urgency.SAME_DAY,
    RedFlag.DEFORMITY: Urgency.SAME_DAY,
    RedFlag.POSSIBLE_FRACTURE: Urgency.SAME_DAY,
    RedFlag.CHILD_LIMP: Urgency.SAME_DAY,
    RedFlag.ACHILLES_RUPTURE: Urgency.SAME_DAY,
    RedFlag.KNEECAP_OR_EXTENSOR: Urgency.SAME_DAY,
    # Needs a clinician's assessment before any more training.
    RedFlag.GIVING_WAY: Urgency.BEFORE_TRAINING,
    RedFlag.GIVES_WAY_REPEATEDLY: Urgency.BEFORE_TRAINING,
    RedFlag.NUMBNESS: Urgency.BEFORE_TRAINING,
    RedFlag.CONSTANT_PAIN: Urgency.BEFORE_TRAINING,
    RedFlag.WEIGHT_LOSS: Urgency.BEFORE_TRAINING,
    RedFlag.CANCER_HISTORY: Urgency.BEFORE_TRAINING,
    RedFlag.INFECTION_RISK: Urgency.BEFORE_TRAINING,
    RedFlag.STEROIDS: Urgency.BEFORE_TRAINING,
    RedFlag.BOTH_LEGS_LONG_STANDING: Urgency.BEFORE_TRAINING,
    RedFlag.LEG_WEAKNESS_LONG_STANDING: Urgency.BEFORE_TRAINING,
    RedFlag.BACK_PAIN_AGE: Urgency.BEFORE_TRAINING,
    RedFlag.THORACIC_PAIN: Urgency.BEFORE_TRAINING,
    RedFlag.BACK_PAIN_NOT_EASED: Urgency.BEFORE_TRAINING,
}

URGENCY_ADVICE: dict[Urgency, str] = {
    Urgency.EMERGENCY: "Go to an emergency department now, or call emergency services.",
    Urgency.SAME_DAY: (
        "See a doctor today; go to urgent care or an emergency department if you cannot be seen."
    ),
    Urgency.BEFORE_TRAINING: "See a doctor or physiotherapist before you train again.",
}

# Signs that need help the same day or sooner, not just before the next session.
URGENT_RED_FLAGS: frozenset[RedFlag] = frozenset(
    flag for flag, urgency in RED_FLAG_URGENCY.items() if urgency is not Urgency.BEFORE_TRAINING
)
