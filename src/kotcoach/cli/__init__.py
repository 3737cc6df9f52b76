"""The command line: options in, a domain call, rendered results out.

A package with one module per command group; `_app` holds the app, the global options, the error
reporting and the option parsing they share. Kept light: only typer, the vocabularies and the
errors are imported up front, so that `--help` and `--version` never load pydantic, YAML or the
catalogue.

Each module registers its commands on import. `main()` imports only the module of the command a
command line names, and registers only that command, so typer builds one command and not all 21
(about 30 ms of every run, and 2 ms for each sibling in the same module); `app`, asked for by
name (tests, `python -m kotcoach` without a command, `--help`, completion), comes with every
command.
"""

from __future__ import annotations

import importlib
import os
import sys
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import typer

__all__ = ["COMMAND_MODULES", "app", "command_for", "load_commands", "main", "modules_for"]

# The module that registers each top-level command (a test holds this to what is registered).
COMMAND_MODULES: dict[str, str] = {
    "card": "browse",
    "conditions": "browse",
    "ladder": "browse",
    "list": "browse",
    "myths": "browse",
    "show": "browse",
    "catalog": "catalog",
    "check": "plan",
    "plan": "plan",
    "checkin": "log",
    "history": "log",
    "log": "log",
    "start": "log",
    "today": "log",
    "data": "data",
    "next": "coach",
    "progress": "coach",
    "test": "coach",
    "profile": "profile",
    "score": "score",
    "serve": "serve",
    "session": "session",
    "sources": "sources",
}
GLOBAL_OPTIONS_WITH_VALUES = ("--catalog", "--profile")


def load_commands(modules: list[str] | None = None) -> typer.Typer:
    """The app with the commands of these modules registered (all of them by default)."""
    for module in modules if modules is not None else sorted(set(COMMAND_MODULES.values())):
        importlib.import_module(f"kotcoach.cli.{module}")
    from kotcoach.cli._app import app

    return app


def command_for(args: list[str]) -> str | None:
    """The top-level command a command line names, or None: no command, an unknown one, help
    or the version asked before it (which lists every command), or a shell asking for
    completions."""
    if any(key.startswith("_KOTCOACH_COMPLETE") for key in os.environ):
        return None
    position = 0
    while position < len(args):
        arg = args[position]
        if arg in GLOBAL_OPTIONS_WITH_VALUES:
            position += 2
            continue
        if arg in ("--help", "--version"):
            return None
        if arg.startswith("-"):
            position += 1
            continue
        return arg if arg in COMMAND_MODULES else None
    return None


def modules_for(args: list[str]) -> list[str] | None:
    """The one module a command line needs, or None for all (see `command_for`)."""
    name = command_for(args)
    return None if name is None else [COMMAND_MODULES[name]]


def only(app: typer.Typer, name: str) -> typer.Typer:
    """A copy of the app with that one command (or group) registered: typer turns every
    registered command into a click command before it runs one, about 2 ms each (the browse
    and log modules register six)."""
    import copy

    app = copy.copy(app)  # the app itself keeps every command: tests and `app` read it
    app.registered_commands = [
        info
        for info in app.registered_commands
        if (info.name or getattr(info.callback, "__name__", "").replace("_", "-")) == name
    ]
    app.registered_groups = [info for info in app.registered_groups if info.name == name]
    return app


def __getattr__(name: str) -> typer.Typer:
    if name == "app":
        return load_commands()
    raise AttributeError(f"module 'kotcoach.cli' has no attribute {name!r}")


def main() -> None:
    """The console-script entry point."""
    from kotcoach.cli._streams import harden_streams

    harden_streams()
    name = command_for(sys.argv[1:])
    if name is None:
        load_commands()()
        return
    only(load_commands([COMMAND_MODULES[name]]), name)()
