"""The catalogue as rows for `kotcoach list`, and the filters over them.

Stdlib only, so that a listing read back from the cache is filtered and shown without
importing pydantic or building a single model. Rows are derived from a validated catalogue.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kotcoach.vocab import Area, Equipment, Goal, Level

if TYPE_CHECKING:
    from kotcoach.ladders import Index
    from kotcoach.models import Exercise


@dataclass(frozen=True)
class Row:
    id: str
    name: str
    level: str
    areas: tuple[str, ...]
    equipment: tuple[str, ...]
    goals: tuple[str, ...]
    step: int  # 1-based position on its ladder
    steps: int
    text: str  # id, name, setup and cues, folded, for --search
    fits: dict[str, str] = field(default_factory=dict)  # condition id -> favour/modify/avoid


@dataclass(frozen=True)
class Listing:
    rows: list[Row]
    conditions: list[str]
    details: dict[str, dict[str, Any]]  # id -> the exercise as JSON, for --json

    def to_json(self) -> dict[str, Any]:
        return {
            "rows": [asdict(row) for row in self.rows],
            "conditions": self.conditions,
            "details": self.details,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Listing:
        rows = [
            Row(
                **{
                    **row,
                    "areas": tuple(row["areas"]),
                    "equipment": tuple(row["equipment"]),
                    "goals": tuple(row["goals"]),
                }
            )
            for row in data["rows"]
        ]
        return cls(rows, list(data["conditions"]), dict(data["details"]))


@dataclass(frozen=True)
class Filters:
    level: Level | None = None
    area: Area | None = None
    equipment: frozenset[Equipment] | None = None  # what the person has; None: no filter
    goal: Goal | None = None
    condition: str | None = None
    search: str | None = None


def listing_of(index: Index) -> Listing:
    """Rows in ladder order, each ladder easiest first."""
    rows = []
    for ladder in index.ladders:
        for position, exercise in enumerate(ladder.steps, start=1):
            rows.append(
                Row(
                    id=exercise.id,
                    name=exercise.name,
                    level=exercise.level.value,
                    areas=tuple(exercise.areas),
                    equipment=tuple(exercise.equipment),
                    goals=tuple(exercise.goals),
                    step=position,
                    steps=len(ladder.steps),
                    text=" ".join(
                        [exercise.id, exercise.name, exercise.setup or "", *exercise.cues]
                    ).casefold(),
                    fits={
                        condition: fit
                        for condition in index.conditions
                        if (fit := condition_fit(index, exercise, condition))
                    },
                )
            )
    details = {e.id: e.model_dump(mode="json", exclude_none=True) for e in index.catalog.exercises}
    return Listing(rows, list(index.conditions), details)


def condition_fit(index: Index, exercise: Exercise, condition_id: str) -> str | None:
    """How an exercise stands for a condition: 'avoid', 'favour', 'modify' (it has a caution)."""
    condition = index.conditions[condition_id]
    if exercise.id in condition.avoid:
        return "avoid"
    if exercise.id in condition.favour:
        return "favour"
    if any(caution.condition == condition_id for caution in exercise.cautions):
        return "modify"
    return None


def select(listing: Listing, filters: Filters) -> list[Row]:
    return [row for row in listing.rows if _passes(row, filters)]


def _passes(row: Row, filters: Filters) -> bool:
    if filters.level is not None and row.level != filters.level:
        return False
    if filters.area is not None and filters.area not in row.areas:
        return False
    if filters.equipment is not None and not set(row.equipment) <= filters.equipment:
        return False
    if filters.goal is not None and filters.goal not in row.goals:
        return False
    if filters.condition is not None and filters.condition not in row.fits:
        return False
    return not filters.search or filters.search.casefold() in row.text


def load_listing(path: Path) -> Listing:
    """The listing of a catalogue: from the cache when the file is unchanged, else validated."""
    from kotcoach import cache
    from kotcoach.source import read_bytes

    entry = cache.read(path, read_bytes(path))
    if entry is not None:
        return entry.listing
    from kotcoach.catalog import load_catalog
    from kotcoach.ladders import Index

    return listing_of(Index(load_catalog(path)))
