"""The catalogue's data model: pydantic models only.

Everything a catalogue file may contain is defined here, once; the vocabularies they use live in
`base.vocab`. The JSON Schema that `kotcoach catalog schema` prints is generated from these.
"""

from __future__ import annotations

from typing import Annotated, Literal, Self

from pydantic import BaseModel, ConfigDict, Field, model_validator

from kotcoach.base.vocab import Area, Equipment, EvidenceBasis, Goal, Level
from kotcoach.catalogue.doses import describe, details

# Field() rather than StringConstraints: it keeps pydantic.types out of start-up.
Slug = Annotated[str, Field(pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$", min_length=1, max_length=60)]
Name = Annotated[str, Field(min_length=1, max_length=80)]
Line = Annotated[str, Field(min_length=1, max_length=160)]
Paragraph = Annotated[str, Field(min_length=1, max_length=1200)]


class Strict(BaseModel):
    # defer_build: the validators are built on first validation, so a catalogue read from the
    # cache (kotcoach.catalogue.loading) never pays for building them.
    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)


class Dose(Strict):
    """What to do in one session: sets of reps, of a timed hold, or minutes of continuous work."""

    sets: int = Field(ge=1, le=10)
    reps: int | None = Field(default=None, ge=1, le=100)
    hold_seconds: int | None = Field(default=None, ge=1, le=300)
    minutes: int | None = Field(default=None, ge=1, le=60)
    per_side: bool = False
    tempo: Line | None = None
    rest_seconds: int | None = Field(default=None, ge=0, le=600)
    note: Line | None = None

    @model_validator(mode="after")
    def _one_measure(self) -> Self:
        given = [m for m in (self.reps, self.hold_seconds, self.minutes) if m is not None]
        if len(given) != 1:
            raise ValueError("give exactly one of reps, hold_seconds or minutes")
        return self

    def describe(self) -> str:
        """The dose as a coach writes it: '3 × 15 per side', '5 × 45 s hold', '10 min'."""
        return describe(self)

    def details(self) -> str:
        """Tempo, rest and notes, for cards and the full view."""
        return details(self)


class Caution(Strict):
    """How an exercise must change for someone with a condition."""

    condition: Slug
    note: Paragraph
    modification: Paragraph
    substitute: Slug | None = None
    # Equipment the modification asks for, any one of them ("raise the front foot on a box or a
    # step"). A plan never keeps the exercise with this condition for someone who has none.
    needs_one_of: list[Equipment] = Field(default_factory=list, max_length=len(Equipment))


class Evidence(Strict):
    basis: EvidenceBasis
    summary: Paragraph
    references: list[Slug] = Field(default_factory=list, max_length=10)


# The pose: a side-view figure (docs/catalogue.md, "A pose"); kotcoach.figures.pose draws it.
PointName = Literal[
    "head", "shoulder", "spine", "elbow", "hand", "back_elbow", "back_hand", "hip",
    "knee", "ankle", "heel", "toe", "back_knee", "back_ankle", "back_heel", "back_toe",
]  # fmt: skip
FLAT_SURFACES = ("floor", "step", "box", "bench", "chair", "mat", "treadmill", "slant-board")
Surface = Literal[
    "floor", "step", "box", "bench", "chair", "mat", "treadmill", "slant-board", "wall", "rail",
]  # fmt: skip
HELD_PROPS = (
    "band", "dumbbell", "barbell", "tib-bar", "anchor", "sled", "pad", "platform", "backpack",
)  # fmt: skip
PropKind = Literal[
    "step", "box", "bench", "chair", "mat", "treadmill", "slant-board", "wall", "rail",
    "band", "dumbbell", "barbell", "tib-bar", "anchor", "sled", "pad", "platform", "backpack",
]  # fmt: skip
Metres = Annotated[float, Field(ge=-3, le=3)]


class PoseFrame(Strict):
    """One moment: joint angles in degrees and what touches a surface (0 = standing tall)."""

    trunk: float = Field(default=0, ge=-180, le=180)
    spine: float = Field(default=0, ge=-30, le=90)
    neck: float = Field(default=0, ge=-60, le=70)
    hip: float = Field(default=0, ge=-30, le=150)
    knee: float = Field(default=0, ge=-5, le=160)
    ankle: float = Field(default=0, ge=-60, le=50)
    back_hip: float | None = Field(default=None, ge=-30, le=150)
    back_knee: float | None = Field(default=None, ge=-5, le=160)
    back_ankle: float | None = Field(default=None, ge=-60, le=50)
    shoulder: float = Field(default=0, ge=-60, le=190)
    elbow: float = Field(default=0, ge=0, le=160)
    back_shoulder: float | None = Field(default=None, ge=-60, le=190)
    back_elbow: float | None = Field(default=None, ge=0, le=160)
    contacts: dict[PointName, Surface] = Field(min_length=1, max_length=8)
    x: Metres | None = None

    @model_validator(mode="after")
    def _stands_on_something(self) -> Self:
        first = next(iter(self.contacts.values()))
        if first not in FLAT_SURFACES:
            raise ValueError(
                f"the first contact stands the figure on a surface: {', '.join(FLAT_SURFACES)}"
            )
        return self


class Prop(Strict):
    """Equipment in the picture: a surface placed under its contacts, or a thing held."""

    kind: PropKind
    height: float | None = Field(default=None, gt=0, le=1.5)
    width: float | None = Field(default=None, gt=0, le=3)
    angle: float | None = Field(default=None, ge=-45, le=45)
    length: float | None = Field(default=None, ge=0, le=4)
    size: float | None = Field(default=None, gt=0, le=0.4)
    at: PointName | None = None
    to: PointName | None = None
    x: Metres | None = None
    y: Metres | None = None

    @model_validator(mode="after")
    def _fits_kind(self) -> Self:
        if self.kind in HELD_PROPS and self.at is None:
            raise ValueError(f"a {self.kind} needs 'at': the body point that holds it")
        if self.kind == "band" and self.to is None and (self.x is None or self.y is None):
            raise ValueError("a band needs 'to' (a body point) or 'x' and 'y' (its anchor)")
        if self.angle is not None and self.kind != "slant-board":
            raise ValueError("only a slant-board has an 'angle'")
        if self.angle is not None and abs(self.angle) < 5:
            raise ValueError("a slant board's angle is 5 to 45 degrees (negative: toes high)")
        return self


class Pose(Strict):
    """A start and an end frame for exercises done in reps; one frame for holds."""

    view: Literal["side", "front"] = "side"
    # Which way the person travels across the floor (walking, sled work): drawn as an arrow
    # on the floor, in the way the figure faces (forward) or away from it (backward).
    travel: Literal["forward", "backward"] | None = None
    frames: list[PoseFrame] = Field(min_length=1, max_length=4)
    props: list[Prop] = Field(default_factory=list, max_length=8)
    knee_past_toes: bool = False

    @model_validator(mode="after")
    def _surfaces_are_props(self) -> Self:
        kinds = [prop.kind for prop in self.props if prop.kind not in HELD_PROPS]
        if len(set(kinds)) != len(kinds):
            raise ValueError("each surface prop (step, box, wall, ...) may appear once")
        first = set(self.frames[0].contacts.values())
        touched = {surface for frame in self.frames for surface in frame.contacts.values()}
        for i, frame in enumerate(self.frames):
            for point, surface in frame.contacts.items():
                if surface != "floor" and surface not in kinds:
                    raise ValueError(
                        f"frames.{i}.contacts.{point}: '{surface}' is not among the props"
                    )
            stand = next(iter(frame.contacts.values()))
            if stand != "floor" and stand not in first:
                raise ValueError(
                    f"frames.{i}: the figure stands on the {stand}, which the first frame "
                    "must touch too, to place it"
                )
        for kind in kinds:
            if kind not in touched:
                raise ValueError(f"no frame touches the {kind}: add a contact to place it")
        return self


class RepPhase(Strict):
    """Part of a rep scheme: `sets` × `reps` for `weeks` weeks."""

    weeks: int = Field(ge=1, le=12)
    sets: int = Field(ge=1, le=10)
    reps: int = Field(ge=1, le=30)


class RepScheme(Strict):
    """Reps that fall week by week as the load rises (heavy slow resistance: 15, 12, 10, 8, 6
    RM), from the trial that used them."""

    phases: list[RepPhase] = Field(min_length=2, max_length=8)
    references: list[Slug] = Field(min_length=1, max_length=5)

    @model_validator(mode="after")
    def _reps_fall(self) -> Self:
        for i, (before, after) in enumerate(zip(self.phases, self.phases[1:], strict=False)):
            if after.reps > before.reps:
                raise ValueError(
                    f"phases.{i + 1}: reps rise from {before.reps} to {after.reps}; a rep "
                    "scheme's reps fall as the load rises"
                )
        return self


class Exercise(Strict):
    id: Slug
    name: Name
    level: Level
    cues: list[Line] = Field(min_length=1, max_length=8)
    progression: Slug | None = None
    warm_up: bool = False
    # A still hold (the muscle works without the joint moving): the only kind of exercise a plan
    # keeps for an area that hurts 6/10 or more now. Needs a dose in hold_seconds.
    isometric: bool = False
    # Each set ends when the range starts to shrink (the tibialis raise): the coach counts a set
    # short of its reps as a set done.
    to_fatigue: bool = False
    # The least time on this step before the coach moves up from it. Without it: two weeks for a
    # step that loads the knee or ankle, one for the rest (kotcoach's own rule).
    min_weeks_on_step: int | None = Field(default=None, ge=1, le=12)
    # A still hold a plan gives only to an area that hurts 6/10 or more now (never otherwise):
    # the calf, hip and back holds that keep a sore area working. Must be isometric.
    pain_hold: bool = False
    # A hop, bound, landing or snap-down: fast, springy loading. Intermediate or above, with an
    # entry gate saying who is ready (kotcoach.coaching.planner enforces it by level, pain now,
    # conditions and age).
    plyometric: bool = False
    entry_gate: Paragraph | None = None
    # Every level starts its ladder here (body weight before load, as the trial did), moving up
    # by the ladder's rules only once this step has settled.
    start_for_every_level: bool = False
    setup: Paragraph | None = None
    mistakes: list[Line] = Field(default_factory=list, max_length=6)
    dose: Dose | None = None
    areas: list[Area] = Field(default_factory=list, max_length=len(Area))
    equipment: list[Equipment] = Field(default_factory=list, max_length=len(Equipment))
    goals: list[Goal] = Field(default_factory=list, max_length=len(Goal))
    purpose: Paragraph | None = None
    cautions: list[Caution] = Field(default_factory=list, max_length=12)
    evidence: Evidence | None = None
    pose: Pose | None = None
    # The exercise carries a load (kg per rep, per hand with load_per_hand), moved up or down in
    # whole steps of load_step; rep_scheme makes the reps fall as it rises (kotcoach.coaching.load).
    load_step: float | None = Field(default=None, gt=0, le=20)
    load_per_hand: bool = False
    rep_scheme: RepScheme | None = None
    # Trained on this many days a week whatever the programme's rotation (heavy slow resistance:
    # 3), in the daily block (kotcoach.coaching.protocols).
    per_week: int | None = Field(default=None, ge=1, le=7)

    @model_validator(mode="after")
    def _isometric_is_a_hold(self) -> Self:
        if self.isometric and (self.dose is None or self.dose.hold_seconds is None):
            raise ValueError("an isometric exercise needs a dose in hold_seconds")
        if self.pain_hold and not self.isometric:
            raise ValueError("a pain_hold exercise must be isometric: a still hold")
        if self.plyometric and self.level is Level.BEGINNER:
            raise ValueError("a plyometric exercise (hops, bounds, landings) is not for beginners")
        if self.plyometric and self.entry_gate is None:
            raise ValueError("a plyometric exercise needs an entry_gate: who is ready for it")
        if self.entry_gate is not None and not self.plyometric:
            raise ValueError("only a plyometric exercise has an entry_gate")
        return self

    @model_validator(mode="after")
    def _load_fits(self) -> Self:
        if self.load_step is None and (self.load_per_hand or self.rep_scheme is not None):
            raise ValueError("load_per_hand and rep_scheme need a load_step (kg)")
        if self.rep_scheme is not None and (self.dose is None or self.dose.reps is None):
            raise ValueError("a rep_scheme needs a dose in reps")
        return self


class Protocol(Strict):
    """A condition's primary treatment: one exercise at its dose, so many times a day, so many
    days a week, from the studies that tested it."""

    exercise: Slug
    dose: Dose
    per_day: int = Field(ge=1, le=3)
    days_per_week: int = Field(ge=1, le=7)
    weeks: int | None = Field(default=None, ge=1, le=52)
    summary: Paragraph
    references: list[Slug] = Field(min_length=1, max_length=5)


class StageEntry(Strict):
    """What entering a stage takes: the last `sessions` sessions of the stage before done in full
    at pain during `pain_during_max`/10 or less, settled by the next morning, after `weeks` weeks
    in that stage, and (optional) a single-leg calf-raise count on each side. `pain` and
    `strength` say it in words; a strength criterion without references is kotcoach's own and
    must say "Clinician review:"."""

    sessions: int = Field(ge=1, le=20)
    pain_during_max: int = Field(ge=0, le=5)
    settled: bool = True
    weeks: int = Field(default=0, ge=0, le=26)
    calf_raise_reps: int | None = Field(default=None, ge=1, le=60)
    pain: Paragraph
    pain_references: list[Slug] = Field(min_length=1, max_length=5)
    strength: Paragraph
    strength_references: list[Slug] = Field(default_factory=list, max_length=5)

    @model_validator(mode="after")
    def _strength_sourced(self) -> Self:
        if not self.strength_references and "Clinician review:" not in self.strength:
            raise ValueError(
                "strength: give strength_references, or mark it kotcoach's own with "
                "'Clinician review:'"
            )
        return self


class Stage(Strict):
    """One stage of a staged rehabilitation (isometric, isotonic, energy storage, return to
    sport): its exercises wait until it is reached."""

    id: Slug
    name: Name
    summary: Paragraph
    exercises: list[Slug] = Field(default_factory=list, max_length=12)
    entry: StageEntry | None = None
    references: list[Slug] = Field(default_factory=list, max_length=5)


class Condition(Strict):
    id: Slug
    name: Name
    summary: Paragraph
    areas: list[Area] = Field(min_length=1, max_length=len(Area))
    pain_rules: list[Line] = Field(min_length=1, max_length=8)
    favour: list[Slug] = Field(default_factory=list, max_length=30)
    avoid: list[Slug] = Field(default_factory=list, max_length=30)
    red_flags: list[Line] = Field(min_length=1, max_length=15)
    references: list[Slug] = Field(default_factory=list, max_length=10)
    protocol: Protocol | None = None
    stages: list[Stage] = Field(default_factory=list, max_length=6)

    # Why no hop, bound or landing (plyometric) suits this condition in a plan, if none does:
    # shown as the reason they are left out.
    no_plyometrics: Line | None = None

    @model_validator(mode="after")
    def _stages_in_order(self) -> Self:
        if len(self.stages) == 1:
            raise ValueError("stages: give two or more, or none")
        for i, stage in enumerate(self.stages):
            if i == 0 and stage.entry is not None:
                raise ValueError("stages.0.entry: the first stage is where everyone starts")
            if i > 0 and stage.entry is None:
                raise ValueError(f"stages.{i}.entry: every stage after the first needs one")
        staged = [e for stage in self.stages for e in stage.exercises]
        if len(set(staged)) != len(staged):
            raise ValueError("stages: an exercise belongs to one stage only")
        if set(staged) & set(self.avoid):
            both = sorted(set(staged) & set(self.avoid))[0]
            raise ValueError(f"stages: '{both}' is also under avoid; a stage opens it later")
        return self


class Myth(Strict):
    id: Slug
    cue: Line
    problem: Paragraph
    instead: Paragraph
    evidence: Paragraph
    limits: Paragraph
    references: list[Slug] = Field(default_factory=list, max_length=10)


class Reference(Strict):
    key: Slug
    authors: Line
    year: int | None = Field(default=None, ge=1900, le=2100)
    # Consensus statements have long titles: room for them, still bounded.
    title: Annotated[str, Field(min_length=1, max_length=300)] | None = None
    source: Line
    volume: Annotated[str, Field(max_length=20)] | None = None
    pages: Annotated[str, Field(max_length=20)] | None = None
    # A DOI as printed on the paper: '10.' + a registrant code of 4-9 digits, '/', a suffix.
    doi: Annotated[str, Field(pattern=r"^10\.\d{4,9}/\S+$", max_length=120)] | None = None
    note: Paragraph | None = None

    def citation(self, with_doi: bool = True) -> str:
        """A short citation, e.g. 'Fry AC et al. (2003). J Strength Cond Res 17(4):629–633.
        doi:10.1519/...' (without the DOI where it is shown as a link instead)."""
        text = self.authors + (f" ({self.year})" if self.year else "") + ". "
        if self.title:
            text += self.title.rstrip(".") + ". "
        text += self.source
        if self.volume:
            text += f" {self.volume}"
        if self.pages:
            text += f":{self.pages}" if self.volume else f", {self.pages}"
        if self.doi and with_doi:
            text += f". doi:{self.doi}"
        return text


class Catalog(Strict):
    exercises: list[Exercise] = Field(min_length=1, max_length=2000)
    conditions: list[Condition] = Field(default_factory=list, max_length=200)
    myths: list[Myth] = Field(default_factory=list, max_length=200)
    references: list[Reference] = Field(default_factory=list, max_length=500)
