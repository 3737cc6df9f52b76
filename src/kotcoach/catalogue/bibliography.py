"""The bibliography: every reference with what in the catalogue cites it. Pure: no I/O."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from kotcoach.base.errors import NotFoundError
from kotcoach.base.suggest import suggestion_hint
from kotcoach.catalogue.models import Catalog, Reference


@dataclass(frozen=True)
class CitedBy:
    """The exercises, conditions and myths that cite one reference, in catalogue order."""

    exercises: tuple[str, ...] = ()
    conditions: tuple[str, ...] = ()
    myths: tuple[str, ...] = ()

    def __bool__(self) -> bool:
        return bool(self.exercises or self.conditions or self.myths)


@dataclass(frozen=True)
class Source:
    reference: Reference
    cited_by: CitedBy = field(default_factory=CitedBy)

    @property
    def doi_url(self) -> str | None:
        """The DOI as a link; characters such as < and > (old JSCR DOIs have them) are
        percent-encoded so that terminals and browsers keep the whole link."""
        if not self.reference.doi:
            return None
        from urllib.parse import quote

        return "https://doi.org/" + quote(self.reference.doi, safe="/:;().-_")

    def as_json(self) -> dict[str, Any]:
        data: dict[str, Any] = self.reference.model_dump(mode="json", exclude_none=True)
        data["citation"] = self.reference.citation()
        if self.doi_url:
            data["doi_url"] = self.doi_url
        data["cited_by"] = {
            "exercises": list(self.cited_by.exercises),
            "conditions": list(self.cited_by.conditions),
            "myths": list(self.cited_by.myths),
        }
        return data


def bibliography(catalog: Catalog) -> list[Source]:
    """Every reference in catalogue order, each with what cites it."""
    exercises: dict[str, list[str]] = {}
    conditions: dict[str, list[str]] = {}
    myths: dict[str, list[str]] = {}
    for exercise in catalog.exercises:
        for key in exercise.evidence.references if exercise.evidence else []:
            exercises.setdefault(key, []).append(exercise.id)
    for condition in catalog.conditions:
        for key in condition.references:
            conditions.setdefault(key, []).append(condition.id)
    for myth in catalog.myths:
        for key in myth.references:
            myths.setdefault(key, []).append(myth.id)
    return [
        Source(
            reference,
            CitedBy(
                tuple(exercises.get(reference.key, ())),
                tuple(conditions.get(reference.key, ())),
                tuple(myths.get(reference.key, ())),
            ),
        )
        for reference in catalog.references
    ]


def find_source(sources: list[Source], key: str) -> Source:
    """One reference by its key; NotFoundError, with the closest keys, when none has it."""
    for source in sources:
        if source.reference.key == key:
            return source
    keys = [source.reference.key for source in sources]
    raise NotFoundError(
        f"no reference has the key '{key}'",
        hint=suggestion_hint(key, keys, "kotcoach sources"),
    )
