"""The catalogue as the coach reads it, straight from the cache entry's JSON: no pydantic.

`next` and `today` decide from a handful of exercises (a ladder's steps, their areas, cautions,
equipment and doses) and the conditions' avoid lists. Building the pydantic models for them costs
more than the rest of those commands together, so this reads the same validated data the cache
holds into small frozen records with the attributes the coach uses (see `kotcoach.coaching.coach`'s
protocols): a step is the planner's record of the exercise (`catalogue.steps.Exercise`) with the
coach's few facts besides. It is read through the one read path,
`kotcoach.catalogue.read.read_coach_catalogue`: a miss there is None, and the caller uses the full
Index instead, as it does when a read here finds the entry damaged. Stdlib and the vocabularies
only.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from kotcoach.base.vocab import Area, Equipment, Goal, Level
from kotcoach.catalogue.cache import Damaged, Entry
from kotcoach.catalogue.steps import Caution, Dose, Exercise, Ladder

if TYPE_CHECKING:  # read only with the conditions: most mornings need no condition's stages
    from kotcoach.catalogue.staging import Protocol, Stage

# The cache stores a condition as its fields' values in the model's order
# (`kotcoach.catalogue.models.Condition`); a test holds this to the model.
_AREAS = frozenset(area.value for area in Area)
CONDITION_FIELDS = (
    "id",
    "name",
    "summary",
    "areas",
    "pain_rules",
    "favour",
    "avoid",
    "red_flags",
    "references",
    "protocol",
    "stages",
    "no_plyometrics",
)


@dataclass(frozen=True)
class RepPhase:
    """One part of a rep scheme: `sets` × `reps` for `weeks` weeks."""

    weeks: int
    sets: int
    reps: int


@dataclass(frozen=True)
class RepScheme:
    phases: tuple[RepPhase, ...]
    references: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Step(Exercise):
    """An exercise as the planner's record holds it (`plan_catalog.Exercise`), and what the coach
    reads besides: every cue, and how the step is dosed and progressed over weeks."""

    cues: tuple[str, ...] = ()
    to_fatigue: bool = False
    min_weeks_on_step: int | None = None
    load_step: float | None = None
    load_per_hand: bool = False
    rep_scheme: RepScheme | None = None
    per_week: int | None = None


@dataclass(frozen=True)
class Condition:
    id: str
    name: str
    avoid: tuple[str, ...]
    areas: tuple[Area, ...] = ()
    protocol: Protocol | None = None
    stages: tuple[Stage, ...] = ()
    no_plyometrics: str | None = None


class CoachCatalogue:
    """`exercise`, `ladder_of`, `harder` and `conditions` over a cache entry. Raises Damaged when
    the entry is not what it should be."""

    def __init__(self, entry: Entry) -> None:
        self._entry = entry
        self._steps: dict[str, Step] = {}
        self._ladders: dict[str, tuple[str, ...]] | None = None
        self._conditions: dict[str, Condition] | None = None

    def exercise(self, exercise_id: str) -> Step:
        if exercise_id not in self._steps:
            data = self._entry.detail(exercise_id)
            if data is None:
                from kotcoach.base.suggest import unknown_exercise

                raise unknown_exercise(exercise_id, self._entry.exercise_spans())
            self._steps[exercise_id] = _step(data)
        return self._steps[exercise_id]

    def has(self, exercise_id: str) -> bool:
        return exercise_id in self._entry.exercise_spans()

    def ladder_of(self, exercise_id: str) -> Ladder[Step]:
        step = self.exercise(exercise_id)
        if self._ladders is None:
            data = self._entry.section("ladders")
            if not isinstance(data, list):
                raise Damaged("ladders: not a list")
            self._ladders = {step_id: tuple(ids) for ids in data for step_id in ids}
        ids = self._ladders.get(step.id)
        if ids is None:
            raise Damaged(f"ladders: no ladder holds {step.id!r}")
        return Ladder(tuple(self.exercise(i) for i in ids))

    def harder(self, exercise_id: str) -> Step | None:
        following = self.exercise(exercise_id).progression
        return self.exercise(following) if following else None

    @property
    def conditions(self) -> dict[str, Condition]:
        if self._conditions is None:
            data = self._entry.section("conditions")
            if not isinstance(data, list):
                raise Damaged("conditions: not a list")
            conditions = {}
            from kotcoach.catalogue.staging import protocol_of, stages_of

            for values in data:
                found = dict(zip(CONDITION_FIELDS, values, strict=False))
                cid, name, avoid = found.get("id"), found.get("name"), found.get("avoid")
                areas = found.get("areas")
                if not (
                    isinstance(cid, str)
                    and isinstance(name, str)
                    and isinstance(avoid, list)
                    and all(isinstance(a, str) for a in avoid)
                    and isinstance(areas, list)
                    and all(a in _AREAS for a in areas)
                ):
                    raise Damaged("conditions: not the stored form of a Condition")
                try:
                    conditions[cid] = Condition(
                        cid,
                        name,
                        tuple(avoid),
                        tuple(Area(a) for a in areas),
                        protocol_of(found.get("protocol")),
                        stages_of(found.get("stages")),
                        _text_or_none(found.get("no_plyometrics")),
                    )
                except (KeyError, TypeError, ValueError) as error:
                    raise Damaged(f"conditions: {error}") from None
            self._conditions = conditions
        return self._conditions


def _text_or_none(value: Any) -> str | None:
    if value is not None and not isinstance(value, str):
        raise TypeError("not a text")
    return value


def _step(data: dict[str, Any]) -> Step:
    try:
        dose = data.get("dose")
        cues = tuple(data["cues"])
        return Step(
            id=data["id"],
            name=data["name"],
            level=Level(data["level"]),
            key_cue=cues[0],
            areas=tuple(Area(a) for a in data.get("areas", ())),
            equipment=tuple(Equipment(e) for e in data.get("equipment", ())),
            goals=tuple(Goal(g) for g in data.get("goals", ())),
            cautions=tuple(
                Caution(
                    c["condition"],
                    c["modification"],
                    c.get("substitute"),
                    tuple(Equipment(e) for e in c.get("needs_one_of", ())),
                )
                for c in data.get("cautions", ())
            ),
            dose=None
            if dose is None
            else Dose(
                sets=dose["sets"],
                reps=dose.get("reps"),
                hold_seconds=dose.get("hold_seconds"),
                minutes=dose.get("minutes"),
                per_side=bool(dose.get("per_side", False)),
                tempo=dose.get("tempo"),
                rest_seconds=dose.get("rest_seconds"),
                note=dose.get("note"),
            ),
            progression=data.get("progression"),
            warm_up=bool(data.get("warm_up", False)),
            isometric=bool(data.get("isometric", False)),
            pain_hold=bool(data.get("pain_hold", False)),
            plyometric=bool(data.get("plyometric", False)),
            start_for_every_level=bool(data.get("start_for_every_level", False)),
            cues=cues,
            to_fatigue=bool(data.get("to_fatigue", False)),
            min_weeks_on_step=data.get("min_weeks_on_step"),
            load_step=data.get("load_step"),
            load_per_hand=bool(data.get("load_per_hand", False)),
            rep_scheme=_scheme(data.get("rep_scheme")),
            per_week=data.get("per_week"),
        )
    except (KeyError, TypeError, ValueError) as error:
        raise Damaged(f"exercise: {error}") from None


def _scheme(data: dict[str, Any] | None) -> RepScheme | None:
    if data is None:
        return None
    phases = tuple(RepPhase(p["weeks"], p["sets"], p["reps"]) for p in data["phases"])
    return RepScheme(phases, tuple(data.get("references", ())))
