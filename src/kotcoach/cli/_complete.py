"""Shell completion of values: exercise, ladder and condition ids, equipment, areas, paper.

A completion request is a whole `kotcoach` process started by the shell at every Tab, so it must
start no slower than the stack's bare import (benchmarks/startup.py measures it). Ids come from
the cached listing only (stdlib JSON, no pydantic, no YAML); when the catalogue has not been
cached yet, ids are not offered rather than validating the catalogue on a keystroke. Fixed
vocabularies (level, area, goal, red flag) are click choices, which complete themselves.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import typer  # typer reads these functions' annotations at run time

from kotcoach.base.vocab import Area, Equipment

if TYPE_CHECKING:
    from kotcoach.catalogue.listing import Listing


def _listing(ctx: typer.Context) -> Listing | None:
    """The cached listing of the catalogue the command would read, or None on a miss."""
    from kotcoach.base.errors import KotcoachError
    from kotcoach.catalogue import read
    from kotcoach.catalogue.source import resolve_catalog_path

    explicit = ctx.find_root().params.get("catalog")
    try:
        path = resolve_catalog_path(Path(explicit) if explicit else None)
        return read.read_listing(path)
    except (KotcoachError, OSError):
        return None


def _starting(values: list[str], incomplete: str) -> list[str]:
    folded = incomplete.casefold()
    return [value for value in values if value.startswith(folded)]


def exercise_ids(ctx: typer.Context, incomplete: str) -> list[tuple[str, str]]:
    """Exercise ids (for show, card, ladder and --ladder), each with its name as help."""
    listing = _listing(ctx)
    if listing is None:
        return []
    folded = incomplete.casefold()
    return [(row.id, row.name) for row in listing.rows if row.id.startswith(folded)]


def condition_ids(ctx: typer.Context, incomplete: str) -> list[str]:
    listing = _listing(ctx)
    return _starting(list(listing.conditions), incomplete) if listing else []


def equipment(incomplete: str) -> list[str]:
    """Equipment names; after a comma, the next name (with what came before kept)."""
    done, comma, last = incomplete.rpartition(",")
    prefix = done + comma
    chosen = set(done.split(",")) if comma else set()
    names = [name for name in ["none", *Equipment] if name not in chosen]
    return [prefix + name for name in _starting(names, last)]


def pain(incomplete: str) -> list[str]:
    """'knee=', 'ankle=' ... while several areas fit; once one does, its scores 0 to 10.

    Offering the one area's scores rather than 'knee=' alone keeps the cursor right after the
    '=': a shell adds a space after a single candidate (typer's bash script has no way to say
    otherwise), but after the common prefix of several it adds nothing. So 'kn<Tab>' gives
    'knee=' in bash, zsh and fish; zsh and fish then list knee=0 to knee=10. Bash splits words
    at '=', so typer's script cannot complete after it: there a second Tab offers file names."""
    area, equals, _ = incomplete.partition("=")
    if not equals:
        areas = _starting(list(Area), incomplete)
        if len(areas) != 1:
            return [f"{name}=" for name in areas]
        area = areas[0]
    return _starting([f"{area}={score}" for score in range(11)], incomplete)


def paper(incomplete: str) -> list[str]:
    return _starting(["a4", "letter"], incomplete)
