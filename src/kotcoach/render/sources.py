"""The bibliography as rich renderables: one block per reference, or one reference in full."""

from __future__ import annotations

from rich.console import Group, RenderableType
from rich.padding import Padding
from rich.text import Text

from kotcoach.catalogue.bibliography import CitedBy, Source
from kotcoach.render import joined, safe


def _cited_by(cited_by: CitedBy) -> Text:
    text = Text()
    for label, ids in (
        ("exercises", cited_by.exercises),
        ("conditions", cited_by.conditions),
        ("myths", cited_by.myths),
    ):
        if ids:
            if text:
                text.append("\n")
            text.append(f"{label}: ", style="dim")
            text.append_text(safe(joined(ids)))
    return text if text else Text("not cited by anything in this catalogue", style="dim")


def source_view(source: Source, full: bool = False) -> RenderableType:
    """A reference: its key, the citation, the DOI as a link, what cites it (and, in full, the
    note on what it found)."""
    reference = source.reference
    head = Text(reference.key, style="bold")
    if source.doi_url is None:
        head.append("  no DOI (not a journal article)", style="dim")
    lines: list[RenderableType] = [
        head,
        Padding(safe(reference.citation(with_doi=False)), (0, 0, 0, 2)),
    ]
    if source.doi_url:
        link = Text(source.doi_url, style=f"link {source.doi_url}")
        lines.append(Padding(link, (0, 0, 0, 2)))
    if full and reference.note:
        lines.append(Padding(safe(reference.note, "italic"), (0, 0, 0, 2)))
    lines.append(Padding(_cited_by(source.cited_by), (0, 0, 1, 2)))
    return Group(*lines)


def sources_view(sources: list[Source]) -> RenderableType:
    journal = sum(1 for s in sources if s.reference.doi)
    summary = Text(
        f"{len(sources)} references: {journal} journal articles with a DOI, "
        f"{len(sources) - journal} guides and coaching sources. "
        "'kotcoach sources KEY' shows one in full.",
        style="dim",
    )
    return Group(*(source_view(source) for source in sources), summary)
