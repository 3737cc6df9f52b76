"""The bibliography: kotcoach sources [KEY]."""

from __future__ import annotations

from typing import Annotated

import typer

from kotcoach.cli._app import _emit_json, _print, _state, app
from kotcoach.cli._options import JsonOption


@app.command("sources")
def sources_command(
    ctx: typer.Context,
    key: Annotated[
        str | None,
        typer.Argument(metavar="[KEY]", help="One reference's key, e.g. young2005; all without."),
    ] = None,
    as_json: JsonOption = False,
) -> None:
    """The references behind the catalogue, with DOIs and what cites each.

    Every source the exercises, conditions and myths cite: authors, year, title, journal,
    volume and pages, the DOI as a link, and the exercises, conditions and myths that cite it.
    With a KEY, that one reference in full, including what it found and its limits.

    \b
    Examples:
      kotcoach sources
      kotcoach sources young2005
      kotcoach sources --json
    """
    from kotcoach.catalogue.bibliography import bibliography, find_source

    sources = bibliography(_state(ctx).index().catalog)
    if key is not None:
        source = find_source(sources, key)
        if as_json:
            _emit_json(source.as_json())
            return
        from kotcoach.render.sources import source_view

        _print(source_view(source, full=True))
        return
    if as_json:
        _emit_json([source.as_json() for source in sources])
        return
    from kotcoach.render.sources import sources_view

    _print(sources_view(sources))
