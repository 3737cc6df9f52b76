"""The catalogue as rows for `kotcoach list`, and the filters over them.

Stdlib only, so that a listing read back from the cache is filtered and shown without
importing pydantic or building a single model. Rows are derived from a validated catalogue.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, fields
from typing import TYPE_CHECKING, Any

from kotcoach.base.vocab import Area, Equipment, Goal, Level

if TYPE_CHECKING:
    from kotcoach.catalogue.ladders import Index
    from kotcoach.catalogue.models import Exercise


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
    fits: dict[str, str] = field(default_factory=dict)  # condition id -> favour/modify/avoid


def row_from_json(values: Any) -> Row:
    """One row from its cached form (Listing.rows_json); TypeError for any other shape."""
    width = len(_ROW_FIELDS)
    if type(values) is not list or len(values) != width:
        raise TypeError(f"a row is a list of {width} values")
    ident, name, level, areas, equipment, goals, step, steps, fits = values
    if not (
        type(ident) is str
        and type(name) is str
        and type(level) is str
        and type(step) is int
        and type(steps) is int
        and _strings(areas)
        and _strings(equipment)
        and _strings(goals)
        and type(fits) is dict
        and all(type(fit) is str for fit in fits.values())
    ):
        raise TypeError(f"row {ident!r} has a value of the wrong type")
    return Row(ident, name, level, tuple(areas), tuple(equipment), tuple(goals), step, steps, fits)


def _strings(value: Any) -> bool:
    return isinstance(value, list) and all(type(item) is str for item in value)


@dataclass(frozen=True)
class Listing:
    rows: Sequence[Row]  # a cached listing builds each row when it is first asked for
    conditions: list[str]
    details: Mapping[str, dict[str, Any]]  # id -> the exercise as JSON, for --json
    # Each row's id, name, setup and cues, folded, for --search, in the rows' order. Apart from
    # the rows, so that a cached listing reads them only for a search (most of its bytes).
    texts: Sequence[str]

    def rows_json(self) -> list[list[Any]]:
        """The rows as lists of their fields' values, the compact form the cache stores."""
        return [[getattr(row, name) for name in _ROW_FIELDS] for row in self.rows]


_ROW_FIELDS = tuple(f.name for f in fields(Row))


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
    rows, texts = [], []
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
                    fits={
                        condition: fit
                        for condition in index.conditions
                        if (fit := condition_fit(index, exercise, condition))
                    },
                )
            )
            words = [exercise.id, exercise.name, exercise.setup or "", *exercise.cues]
            texts.append(" ".join(words).casefold())
    details = {e.id: e.model_dump(mode="json", exclude_none=True) for e in index.catalog.exercises}
    return Listing(rows, list(index.conditions), details, texts)


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
    if not filters.search:
        return [row for row in listing.rows if _passes(row, filters)]
    # The texts first: a search on 2,000 exercises builds only the rows it finds.
    folded, rows = filters.search.casefold(), listing.rows
    found = [rows[n] for n, text in enumerate(listing.texts) if folded in text]
    return [row for row in found if _passes(row, filters)]


def _passes(row: Row, filters: Filters) -> bool:
    if filters.level is not None and row.level != filters.level:
        return False
    if filters.area is not None and filters.area not in row.areas:
        return False
    if filters.equipment is not None and not set(row.equipment) <= filters.equipment:
        return False
    if filters.goal is not None and filters.goal not in row.goals:
        return False
    return filters.condition is None or filters.condition in row.fits
