"""Errors the domain raises and the exit code each maps to.

Only the CLI turns these into a message and an exit status; nothing else prints them.
"""

from __future__ import annotations

from enum import IntEnum
from typing import NamedTuple


class ExitCode(IntEnum):
    OK = 0
    DATA = 1  # a catalogue, domain or file-system problem
    USAGE = 2  # a wrong option or argument (typer uses 2 for its own usage errors)
    RED_FLAG = 3  # a red flag was reported: no plan, see a clinician
    INTERRUPTED = 130  # Ctrl-C, or end of input at a question (as shells report SIGINT)


class KotcoachError(Exception):
    """An expected failure with a message for the user."""

    exit_code: ExitCode = ExitCode.DATA

    def __init__(self, message: str, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint

    def __str__(self) -> str:
        return f"{self.message} ({self.hint})" if self.hint else self.message


class UsageError(KotcoachError):
    exit_code = ExitCode.USAGE


class NotFoundError(KotcoachError):
    """An id that names nothing in the catalogue."""


class NoFitError(KotcoachError):
    """No exercise fits the constraints a person gave."""


class ExportError(KotcoachError):
    """A handout could not be written."""


class Problem(NamedTuple):
    """One thing wrong in a catalogue file, with where it is: a frozen value, equal to another
    with the same fields. (A NamedTuple, not a frozen dataclass: defining one costs a sixth as
    much, about 0.1 ms against 0.6 ms, and every command imports this module.)"""

    path: str
    message: str
    line: int | None = None
    column: int | None = None
    loc: str | None = None

    def __str__(self) -> str:
        where = self.path
        if self.line is not None:
            where += f":{self.line}"
            if self.column is not None:
                where += f":{self.column}"
        field = f"{self.loc}: " if self.loc else ""
        return f"{where}: {field}{self.message}"


class CatalogError(KotcoachError):
    """A catalogue that cannot be read or is not valid; carries the problems found.

    `problems` holds the first problems in full; `unlisted` counts those found beyond them.
    """

    def __init__(self, problems: list[Problem], unlisted: int = 0) -> None:
        self.problems = problems
        self.unlisted = unlisted
        first = str(problems[0])
        more = len(problems) - 1 + unlisted
        hint = (
            f"{more:,} more problem{'s' if more > 1 else ''}: run 'kotcoach catalog validate "
            f"{problems[0].path}' to see them"
            if more
            else None
        )
        super().__init__(first, hint)


class StoreError(KotcoachError):
    """The training log cannot be used: corrupt, busy past the timeout, from a newer kotcoach,
    or its folder cannot be written. The message names the file; the file is left unchanged."""


class ImportFileError(KotcoachError):
    """A file given to `kotcoach data import` has problems; nothing was written."""


class UnreadableCatalog(CatalogError):
    """A catalogue file that cannot be read at all: missing, not a regular file, no permission.

    The CLI adds which option named the file (`given_by`), since the same path can come from
    --catalog, $KOTCOACH_CATALOG or a command's argument.
    """

    def __init__(self, path: str, reason: str, given_by: str | None = None) -> None:
        self.path = path
        self.reason = reason
        self.given_by = given_by
        named = f" (the file given by {given_by})" if given_by else ""
        super().__init__([Problem(path, reason + named)])

    def given(self, by: str) -> UnreadableCatalog:
        return UnreadableCatalog(self.path, self.reason, by)
