"""The catalogue's data model: pydantic models only.

Everything a catalogue file may contain is defined here, once; the vocabularies they use live in
`kotcoach.vocab`. The JSON Schema that `kotcoach catalog schema` prints is generated from these.
"""

from __future__ import annotations

from typing import Annotated, Self

from pydantic import BaseModel, ConfigDict, Field, model_validator

from kotcoach.vocab import Area, Equipment, EvidenceBasis, Goal, Level

# Field() rather than StringConstraints: it keeps pydantic.types out of start-up.
Slug = Annotated[str, Field(pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$", min_length=1, max_length=60)]
Name = Annotated[str, Field(min_length=1, max_length=80)]
Line = Annotated[str, Field(min_length=1, max_length=160)]
Paragraph = Annotated[str, Field(min_length=1, max_length=1200)]


class Strict(BaseModel):
    # defer_build: the validators are built on first validation, so a catalogue read from the
    # cache (kotcoach.catalog) never pays for building them.
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
        if self.minutes is not None:
            amount = f"{self.minutes} min"
            text = amount if self.sets == 1 else f"{self.sets} × {amount}"
        elif self.hold_seconds is not None:
            text = f"{self.sets} × {self.hold_seconds} s hold"
        else:
            text = f"{self.sets} × {self.reps}"
        return text + (" per side" if self.per_side else "")

    def details(self) -> str:
        """Tempo, rest and notes, for cards and the full view."""
        parts = []
        if self.tempo:
            parts.append(f"tempo {self.tempo}")
        if self.rest_seconds is not None:
            parts.append(f"rest {self.rest_seconds} s")
        if self.note:
            parts.append(self.note)
        return " · ".join(parts)


class Caution(Strict):
    """How an exercise must change for someone with a condition."""

    condition: Slug
    note: Paragraph
    modification: Paragraph
    substitute: Slug | None = None


class Evidence(Strict):
    basis: EvidenceBasis
    summary: Paragraph
    references: list[Slug] = Field(default_factory=list, max_length=10)


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
    setup: Paragraph | None = None
    mistakes: list[Line] = Field(default_factory=list, max_length=6)
    dose: Dose | None = None
    areas: list[Area] = Field(default_factory=list, max_length=len(Area))
    equipment: list[Equipment] = Field(default_factory=list, max_length=len(Equipment))
    goals: list[Goal] = Field(default_factory=list, max_length=len(Goal))
    purpose: Paragraph | None = None
    cautions: list[Caution] = Field(default_factory=list, max_length=12)
    evidence: Evidence | None = None

    @model_validator(mode="after")
    def _isometric_is_a_hold(self) -> Self:
        if self.isometric and (self.dose is None or self.dose.hold_seconds is None):
            raise ValueError("an isometric exercise needs a dose in hold_seconds")
        return self


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

    def citation(self) -> str:
        """A short citation, e.g. 'Fry AC et al. (2003). J Strength Cond Res 17(4):629–633.
        doi:10.1519/...'."""
        text = self.authors + (f" ({self.year})" if self.year else "") + ". "
        if self.title:
            text += self.title.rstrip(".") + ". "
        text += self.source
        if self.volume:
            text += f" {self.volume}"
        if self.pages:
            text += f":{self.pages}" if self.volume else f", {self.pages}"
        if self.doi:
            text += f". doi:{self.doi}"
        return text


class Catalog(Strict):
    exercises: list[Exercise] = Field(min_length=1, max_length=2000)
    conditions: list[Condition] = Field(default_factory=list, max_length=200)
    myths: list[Myth] = Field(default_factory=list, max_length=200)
    references: list[Reference] = Field(default_factory=list, max_length=500)
