"""The command line: options in, a domain call, rendered results out.

A package with one module per command group; `_app` holds the app, the global options, the error
reporting and the option parsing they share. Kept light: only typer, the vocabularies and the
errors are imported up front, so that `--help` and `--version` never load pydantic, YAML or the
catalogue.
"""

from __future__ import annotations

from kotcoach.cli import (  # noqa: F401  (registers the commands)
    browse,
    catalog,
    coach,
    data,
    log,
    plan,
    profile,
    session,
    sources,
)
from kotcoach.cli._app import app

__all__ = ["app", "main"]


def main() -> None:
    """The console-script entry point."""
    from kotcoach.cli._streams import harden_streams

    harden_streams()
    app()
