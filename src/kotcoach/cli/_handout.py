"""Options and messages shared by the commands that write handouts (plan and card --export)."""

from __future__ import annotations

import datetime
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from kotcoach.base.errors import UsageError
from kotcoach.cli import _complete
from kotcoach.cli._options import text_option

if TYPE_CHECKING:
    from kotcoach.export import Byline, Exported

PAPERS = ("a4", "letter")
# Where the locale names one of these territories, paper is US Letter; everywhere else, A4.
LETTER_TERRITORIES = {"US", "CA", "MX", "PH", "CL", "CO", "VE", "PR", "GT", "CR", "SV", "NI"}

ForOption = Annotated[
    str | None,
    typer.Option(
        "--for", help="Print this name on the handout's header (with --export).", metavar="NAME"
    ),
]
ClinicOption = Annotated[
    str | None,
    text_option(
        "Print the therapist, clinic or phone number on the handout's header (with --export)."
    ),
]
OverwriteOption = Annotated[bool, typer.Option(help="Overwrite an existing --export file.")]
PaperOption = Annotated[
    str | None,
    typer.Option(
        help="Paper size for the handout: a4 or letter [default: from the locale's LC_PAPER, "
        "LC_ALL or LANG where it names a country, else a4].",
        metavar="SIZE",
        autocompletion=_complete.paper,
    ),
]

HANDOUT_LIMIT = 120  # characters in --for or --clinic: one header line


def paper_size(value: str | None) -> str:
    """The --paper value, or the locale's paper when none was given."""
    if value is None:
        return default_paper()
    chosen = value.strip().casefold()
    if chosen not in PAPERS:
        from kotcoach.base.suggest import did_you_mean

        raise UsageError(
            f"--paper must be a4 or letter, not '{value}'", hint=did_you_mean(chosen, PAPERS)
        )
    return chosen


def default_paper(environ: dict[str, str] | None = None) -> str:
    env = os.environ if environ is None else environ
    for name in ("LC_ALL", "LC_PAPER", "LANG"):
        value = env.get(name, "")
        if not value:
            continue
        language = value.split(".")[0].split("@")[0]
        _, _, territory = language.partition("_")
        if not territory:
            return "a4"  # 'C' or 'POSIX': the locale does not say
        return "letter" if territory.upper() in LETTER_TERRITORIES else "a4"
    return "a4"


def check_byline(for_name: str | None, clinic: str | None) -> None:
    """Refuse --for and --clinic past their limit, before any work (a usage error, exit 2)."""
    for option, value in (("--for", for_name), ("--clinic", clinic)):
        if value is not None and len(value) > HANDOUT_LIMIT:
            raise UsageError(f"{option} is limited to {HANDOUT_LIMIT} characters")


def byline(for_name: str | None, clinic: str | None, today: datetime.date | None = None) -> Byline:
    check_byline(for_name, clinic)
    from kotcoach.export import Byline

    day = today or datetime.date.today()
    return Byline(for_name or "", clinic or "", f"{day.day} {day:%B %Y}")


def confirm(path: Path, exported: Exported, what: str = "") -> None:
    """One line on stderr: what was written where, and how many pages."""
    from kotcoach.render import clean

    pages = exported.pages
    count = f", {pages} page{'s' if pages != 1 else ''}" if pages else ""
    sys.stderr.write(f"kotcoach: wrote {what}{clean(str(path))}{count}\n")
    if exported.missing:
        shown = clean(" ".join(exported.missing[:12]))
        more = f" and {len(exported.missing) - 12} more" if len(exported.missing) > 12 else ""
        sys.stderr.write(
            f"kotcoach: note: the PDF font has no glyphs for {shown}{more}; they print as empty "
            "boxes. Export to .html or .md to keep them.\n"
        )
