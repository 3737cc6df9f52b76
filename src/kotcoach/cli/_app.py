"""The CLI's shared parts: the app, global options, error reporting, output and option parsing.

Kept thin and light: only typer, the vocabularies and the errors are imported up front, so that
`--help` and `--version` never load pydantic, YAML or the catalogue. Domain errors become one line
on stderr and the exit code their class names; nothing else prints them.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Collection, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, NoReturn

import typer
from typer.core import TyperGroup

from kotcoach.base.errors import ExitCode, KotcoachError, UnreadableCatalog, UsageError
from kotcoach.base.vocab import RED_FLAG_TEXT, Area, Equipment, Goal, RedFlag

if TYPE_CHECKING:
    from rich.console import Console, RenderableType

    from kotcoach.catalogue.ladders import Index
    from kotcoach.catalogue.listing import Listing
    from kotcoach.catalogue.plan_catalog import PlanIndex
    from kotcoach.catalogue.sheet import Sheet
    from kotcoach.coaching.pain import RedFlagStop


def _report(error: KotcoachError, command: str) -> NoReturn:
    # One line whatever the message holds: line breaks become spaces, and anything else a
    # terminal would obey or break on (ESC, bidi marks, U+2028) is shown as its escape.
    text = str(error).replace("\r\n", " ").replace("\n", " ")
    line = "".join(char if char.isprintable() else ascii(char)[1:-1] for char in text)
    if error.exit_code == ExitCode.USAGE:
        line += f". See '{command} --help'"
    sys.stderr.write(f"kotcoach: error: {line}\n")
    raise typer.Exit(int(error.exit_code))


def _note(text: str) -> None:
    """A note from below the CLI (the log made private, a write waiting), one line on stderr."""
    line = "".join(char if char.isprintable() else ascii(char)[1:-1] for char in text)
    sys.stderr.write(f"kotcoach: {line}\n")
    sys.stderr.flush()


def check_arguments_text(args: list[str]) -> None:
    """Every argument and the environment's KOTCOACH_ settings must be text: bytes that are
    not UTF-8 reach Python as lone surrogates, which no file, database or terminal can hold."""
    import os

    named = [(f"argument {n}", arg) for n, arg in enumerate(args, start=1)]
    named += [(key, value) for key, value in os.environ.items() if key.startswith("KOTCOACH_")]
    for where, value in named:
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            shown = value.encode("utf-8", "surrogateescape").decode("ascii", "backslashreplace")
            raise UsageError(f"{where} '{shown}' is not valid UTF-8 text") from None


def _interrupted(why: str) -> NoReturn:
    # A person stopping the program is not a data problem: 130, as shells report Ctrl-C.
    sys.stderr.write(f"\nkotcoach: {why}: stopped, nothing was saved\n")
    raise typer.Exit(int(ExitCode.INTERRUPTED))


def _is_choice(param: Any) -> bool:
    """A click Choice (typer vendors click, so it is recognised by what it has)."""
    return hasattr(param.type, "choices") and hasattr(param.type, "case_sensitive")


def _plain_usage(command: Any) -> None:
    """Usage lines name a required argument plainly ('show [OPTIONS] ID'), not typer's '{ID}',
    which reads as a literal placeholder with braces. Once per command: a command built once and
    run many times (the tests' runner) keeps one wrapper, not one more each run."""
    if getattr(command, "_kotcoach_plain_usage", False):
        return
    command._kotcoach_plain_usage = True
    pieces = command.collect_usage_pieces

    def plain(ctx: Any) -> list[str]:
        return [p[1:-1] if p[:1] == "{" and p[-1:] == "}" else p for p in pieces(ctx)]

    command.collect_usage_pieces = plain


def _choices_ignore_case(group: Any) -> None:
    """Every fixed vocabulary (level, area, goal, red flag) is case-insensitive, as equipment,
    conditions, areas in --pain and --paper are: 'Beginner' means beginner everywhere."""
    for command in group.commands.values():
        _plain_usage(command)
        for param in command.params:
            if _is_choice(param):
                param.type.case_sensitive = False
        if hasattr(command, "commands"):
            _choices_ignore_case(command)


# click's UsageError, which typer vendors without a public name: every usage error subclasses it.
_ClickUsageError: type[Exception] = next(
    kind for kind in typer.BadParameter.__mro__ if kind.__name__ == "UsageError"
)


def _bad_choice(error: Any, param: Any, name: str) -> UsageError:
    """A value outside a vocabulary: the valid values and the closest one."""
    from kotcoach.base.suggest import did_you_mean

    quoted = re.match(r"""^(['"])(.*)\1 is not""", error.message)
    value = quoted.group(2) if quoted else error.message
    choices = [str(c) for c in getattr(param.type, "choices", ())]
    return UsageError(
        f"{name}: '{value}' is not one of " + ", ".join(choices),
        hint=did_you_mean(value, choices),
    )


def _sentence(text: str) -> str:
    """click's 'Got unexpected ...' as the rest of our messages read: lower case, no full stop."""
    text = text.strip().rstrip(".")
    return text[:1].lower() + text[1:] if text[1:2].islower() else text


def _from_click(error: Any) -> UsageError:
    """click's usage errors in kotcoach's words, each with its fix as a hint where click has one.

    Told apart by what they carry (typer vendors click, so the classes have no public home)."""
    from kotcoach.base.suggest import did_you_mean

    kind = type(error).__name__
    param = getattr(error, "param", None)
    if kind == "NoSuchOption":
        option = error.option_name
        # '-h' is what many tools take for help; otherwise the closest of click's candidates.
        hint = (
            "did you mean '--help'?"
            if option == "-h"
            else did_you_mean(option, error.possibilities or ())
        )
        return UsageError(f"no such option {option}", hint=hint)
    if kind == "MissingParameter":
        return UsageError(_sentence(error.format_message()))
    if param is not None:
        name = param.opts[0] if param.opts else param.human_readable_name
        if _is_choice(param):
            return _bad_choice(error, param, name)
        # click's type names ('int') mean little to a person; the rest of its wording stays.
        message = re.sub(r"is not a valid int(eger)?\.?$", "is not a whole number", error.message)
        return UsageError(f"{name}: {_sentence(message)}")
    message = error.format_message()
    needs = re.fullmatch(r"Option '(.+)' requires an argument\.?", message)
    if needs:
        return UsageError(f"{needs.group(1)} needs a value")
    extra = re.fullmatch(r"Got unexpected extra argument(?:s|\(s\))? \((.*)\)", message)
    if extra:
        return UsageError(f"unexpected extra argument(s): {extra.group(1)}")
    return UsageError(_sentence(message))


def _report_click(error: Any, command: str) -> NoReturn:
    """Any click usage error as one line, pointing at the help of the command it was in (the
    error's own context names it best; click leaves it out of a few parser errors)."""
    where = getattr(error, "ctx", None)
    _report(_from_click(error), where.command_path if where is not None else command)


def _command(ctx: Any) -> str:
    """The command a group's context is running: 'kotcoach profile set' from 'kotcoach'."""
    return " ".join(filter(None, [ctx.command_path, ctx.invoked_subcommand]))


# The order --help lists the commands in: the way a person meets them, from the first check to
# the log's file; any command not named here follows, by name.
COMMAND_ORDER = (
    "check", "plan", "start", "today", "session", "log", "checkin",
    "next", "progress", "history", "test",
    "list", "show", "ladder", "card", "myths", "conditions", "sources",
    "profile", "data", "catalog",
)  # fmt: skip


def help_width() -> int:
    """The columns help is written in: click's own (the terminal's, at most 80, less 2), but
    never its floor of 50, which a 40-column terminal wraps again, mid-word."""
    import shutil

    return max(20, min(shutil.get_terminal_size().columns, 80) - 2)


def fit_raw_lines(text: str, width: int) -> str:
    """Help text whose unwrapped blocks ('\\b') fit `width`: a list line ('  name   what it is')
    too long wraps under its text, or under the name with a deeper indent when the text's
    column would leave it too little room. Words are never broken."""
    import textwrap

    out = []
    raw = False
    for line in text.splitlines():
        raw = raw if line.strip() else False
        if line.strip() == "\b":
            raw = True
        if not raw or len(line) <= width:
            out.append(line)
            continue
        found = re.match(r"(\s*)(\S+\s{2,})?", line)
        lead = found.group(1) if found else ""
        hang = len(found.group(0)) if found and found.group(2) else len(lead) + 2
        if found and found.group(2) and hang > width // 2:  # the name alone, its text below
            out.append(lead + found.group(2).rstrip())
            line, hang = " " * (len(lead) + 4) + line[hang:], len(lead) + 4
        out += textwrap.wrap(
            line,
            width,
            subsequent_indent=" " * hang,
            break_long_words=False,
            break_on_hyphens=False,
        )
    return "\n".join(out)


def pack(text: str, width: int, indent: int = 0) -> list[str]:
    """`text` in lines of at most `width`, each after `indent` spaces: broken at spaces, and
    after a '|' in a list of choices ('<beginner|intermediate|advanced>'), never mid-word."""
    tokens = re.findall(r"[^\s|]*\|?|\s+", text)
    lines, line = [], ""
    for token in tokens:
        if not token:
            continue
        if token.isspace():
            line += " " if line else ""
            continue
        if (
            line
            and len(line.rstrip()) + (len(token) if line.endswith(("|", " ")) else 1 + len(token))
            > width - indent
        ):
            lines.append(line.rstrip())
            line = ""
        line += token
    if line.strip():
        lines.append(line.rstrip())
    return [" " * indent + line for line in lines]


_ClickContext: Any = TyperGroup.context_class


class _Formatter(_ClickContext.formatter_class):  # type: ignore[misc]
    STACK_BELOW = 60  # columns below which an option's help goes under it, not beside it

    def write_text(self, text: str) -> None:
        super().write_text(fit_raw_lines(text, self.width - self.current_indent))

    def write_dl(self, rows: Any, col_max: int = 30, col_spacing: int = 2) -> None:
        if self.width >= self.STACK_BELOW:
            super().write_dl(rows, col_max, col_spacing)
            return
        for term, text in rows:
            for line in pack(term, self.width, self.current_indent):
                self.write(line + "\n")
            if text:
                for line in pack(text, self.width, self.current_indent + 4):
                    self.write(line + "\n")


class _Context(_ClickContext):  # type: ignore[misc]
    formatter_class = _Formatter


class _Group(TyperGroup):
    """Turns usage errors and domain errors raised by any command into one line on stderr and
    an exit code; click's own (usage, 'Try --help', 'Error:') never reach the terminal. Its
    help, and every command's, fits the terminal (`help_width`, `fit_raw_lines`)."""

    context_class = _Context

    def get_command(self, ctx: Any, cmd_name: str) -> Any:
        command = super().get_command(ctx, cmd_name)
        if command is not None:
            command.context_class = _Context
        return command

    def list_commands(self, ctx: Any) -> list[str]:
        names = super().list_commands(ctx)
        rank = {name: n for n, name in enumerate(COMMAND_ORDER)}
        return sorted(names, key=lambda name: (rank.get(name, len(rank)), name))

    def main(self, args: Any = None, *rest: Any, **kwargs: Any) -> Any:
        argv = list(sys.argv[1:] if args is None else args)
        try:
            check_arguments_text(argv)
        except UsageError as error:
            try:
                _report(error, "kotcoach")
            except typer.Exit as done:
                if kwargs.get("standalone_mode", True):
                    sys.exit(done.exit_code)
                raise
        flags = red_flags_in(argv)
        if flags:
            from kotcoach.coaching.pain import RedFlagStop

            try:
                stop_for_red_flags(RedFlagStop(flags), "--json" in argv)
            except typer.Exit as done:
                if kwargs.get("standalone_mode", True):
                    sys.exit(done.exit_code)
                raise
        _choices_ignore_case(self)
        return super().main(args, *rest, **kwargs)

    def make_context(self, info_name: Any, args: Any, parent: Any = None, **extra: Any) -> Any:
        if parent is None:  # subcommands inherit it
            extra.setdefault("terminal_width", help_width())
        try:
            return super().make_context(info_name, args, parent, **extra)
        except _ClickUsageError as error:
            if type(error).__name__ == "NoArgsIsHelpError":  # the help, as '--help' shows it
                raise
            path = f"{parent.command_path} {info_name}" if parent is not None else info_name
            _report_click(error, path or "kotcoach")

    def resolve_command(self, ctx: Any, args: Any) -> Any:
        name = args[0] if args else ""
        if ctx.resilient_parsing or name.startswith("-") or self.get_command(ctx, name):
            return super().resolve_command(ctx, args)
        from kotcoach.base.suggest import did_you_mean

        commands = self.list_commands(ctx)
        raise UsageError(f"no such command '{name}'", hint=did_you_mean(name, commands))

    def invoke(self, ctx: Any) -> Any:
        from kotcoach.base.notes import set_notifier

        set_notifier(_note)
        try:
            return super().invoke(ctx)
        except _ClickUsageError as error:
            if type(error).__name__ == "NoArgsIsHelpError":
                raise
            _report_click(error, _command(ctx))
        except KotcoachError as error:
            _report(error, _command(ctx))
        except KeyboardInterrupt:
            _interrupted("interrupted")
        except EOFError:
            _interrupted("no more input")
        except typer.Abort:  # what typer.prompt raises for Ctrl-C or Ctrl-D at its question
            _interrupted("interrupted")


app = typer.Typer(
    cls=_Group,
    help=(
        "A coach for knees-over-toes strength training: browse exercise ladders, get a week's "
        "plan that respects your pain, and print cue cards."
    ),
    epilog=(
        "\b\nExamples:\n"
        "  kotcoach plan --level beginner\n"
        "  kotcoach plan --level beginner --pain knee=4 --condition patellofemoral-pain\n"
        "  kotcoach list --area ankle --equipment none\n"
        "  kotcoach show tib-raise-wall\n"
        "  kotcoach card --ladder atg-split-squat-raised --export cards.pdf\n"
        "\b\nExit codes: 0 ok, 1 data or catalogue problem, 2 usage error, 3 red flag (see a "
        "clinician)."
    ),
    rich_markup_mode=None,  # plain click help: about half the start-up time of rich panels
    pretty_exceptions_enable=False,
    add_completion=True,  # --install-completion and --show-completion: bash, zsh, fish
    no_args_is_help=True,
)


def command_group(name: str, help: str, epilog: str | None = None) -> typer.Typer:
    """A noun with several verbs (`kotcoach NAME VERB`), registered on the app: the same error
    reporting and plain help as the app's own commands, and its help when called bare."""
    group = typer.Typer(
        cls=_Group, help=help, epilog=epilog, no_args_is_help=True, rich_markup_mode=None
    )
    app.add_typer(group, name=name)
    return group


catalog_app = command_group(
    "catalog",
    "Validate a catalogue file, or print its format as JSON Schema.",
    epilog=(
        "\b\nExamples:\n"
        "  kotcoach catalog validate my-exercises.yaml\n"
        "  kotcoach catalog schema > kotcoach.schema.json"
    ),
)


class State:
    """What the global options chose; the catalogue is read only when a command needs it."""

    def __init__(
        self, catalog_path: Path | None, profile: str | None = None, given_by: str | None = None
    ) -> None:
        self.catalog_path = catalog_path
        self._profile = profile
        self.given_by = given_by  # '--catalog' or 'KOTCOACH_CATALOG'; None for the built-in one
        self._index: Index | None = None
        self._resolved: str | None = None
        self.makes_profile = False  # set by the commands that may make one: profile set, start

    @property
    def profile(self) -> str:
        """The profile whose log and defaults commands use: --profile, $KOTCOACH_PROFILE, or
        'default'. Checked here, so a bad name is a usage error in every command.

        Names are matched whatever their case ('Sam' is 'sam'). Only 'profile set' and 'start'
        make a new profile (in lower case); any other command given a name the log does not
        have stops with exit 2 and the closest names, rather than start an empty log unseen."""
        from kotcoach.store.records import DEFAULT_PROFILE, check_profile_name

        if self._profile is None:
            return DEFAULT_PROFILE
        if not self._profile.strip():
            raise UsageError("--profile is empty: give a profile name, or leave the option out")
        if self._resolved is None:
            self._resolved = self._known_profile(check_profile_name(self._profile))
        return self._resolved

    def _known_profile(self, name: str) -> str:
        from kotcoach.base.suggest import did_you_mean
        from kotcoach.store import Store
        from kotcoach.store.records import DEFAULT_PROFILE

        with Store.open() as store:
            names = [profile.name for profile in store.profiles()]
        for known in names:
            if known.casefold() == name.casefold():
                return known
        if self.makes_profile or name.casefold() == DEFAULT_PROFILE:
            return name.casefold()
        raise UsageError(
            f"no profile is called '{name}'",
            hint=did_you_mean(name, names)
            or "'kotcoach profile set --profile NAME' or 'kotcoach start' makes one",
        )

    def index(self) -> Index:
        if self._index is None:
            from kotcoach.catalogue.read import load_index

            with self.reading() as path:
                self._index = load_index(path)
        return self._index

    def plan_index(self) -> PlanIndex:
        """What plans are made from: the plain records in the catalogue's cache entry, read
        without pydantic; on a miss or damage, those of the whole index (which rewrites it)."""
        if self._index is None:
            from kotcoach.catalogue.read import read_plan_index

            with self.reading() as path:
                found = read_plan_index(path)
            if found is not None:
                return found
        return self.index().for_planning()

    def sheet(self, exercise_id: str) -> tuple[Sheet, list[str]] | None:
        """One exercise as `show` draws it and the catalogue's condition ids, from the cache
        without building a model; None on a miss or for an id the catalogue does not have."""
        if self._index is not None:
            return None
        from kotcoach.catalogue.read import read_sheet

        with self.reading() as path:
            return read_sheet(path, exercise_id)

    def listing(self) -> Listing:
        """The catalogue's rows, without building models when the cache has them."""
        from kotcoach.catalogue.read import load_listing

        with self.reading() as path:
            return load_listing(path)

    def path(self) -> Path:
        from kotcoach.catalogue.source import resolve_catalog_path

        return resolve_catalog_path(self.catalog_path)

    @contextmanager
    def reading(self) -> Iterator[Path]:
        """The catalogue's path; a file that cannot be read is reported naming the option that
        gave it, so that the person fixes the right setting."""
        try:
            yield self.path()
        except UnreadableCatalog as error:
            if self.given_by is None:
                raise
            raise error.given(self.given_by) from None


def _state(ctx: typer.Context) -> State:
    state = ctx.find_root().obj
    assert isinstance(state, State)
    return state


def _version(value: bool) -> None:
    if value:
        from importlib.metadata import PackageNotFoundError, version

        try:
            typer.echo(f"kotcoach {version('kotcoach')}")
        except PackageNotFoundError:
            typer.echo("kotcoach (not installed: run pip install -e .)")
        raise typer.Exit()


@app.callback()
def main_options(
    ctx: typer.Context,
    catalog: Annotated[
        Path | None,
        typer.Option(
            "--catalog",
            envvar="KOTCOACH_CATALOG",
            help="Use this catalogue file instead of the built-in one.",
            show_envvar=True,
            metavar="PATH",
            readable=False,  # kotcoach reads it and reports a problem as a data error (exit 1)
        ),
    ] = None,
    profile: Annotated[
        str | None,
        typer.Option(
            "--profile",
            envvar="KOTCOACH_PROFILE",
            help="Whose training log and saved defaults to use [default: default].",
            show_envvar=True,
            metavar="NAME",
        ),
    ] = None,
    version: Annotated[
        bool,
        typer.Option("--version", callback=_version, is_eager=True, help="Show the version."),
    ] = False,
) -> None:
    # By name: typer vendors click, so its ParameterSource enum has no public home.
    source = getattr(ctx.get_parameter_source("catalog"), "name", None)
    given_by = {"COMMANDLINE": "--catalog", "ENVIRONMENT": "KOTCOACH_CATALOG"}.get(source or "")
    ctx.obj = State(catalog, profile, given_by)


def _out() -> Console:
    from rich.console import Console

    return Console(emoji=False)  # kotcoach prints no :emoji: codes; text is shown as written


def _print(*renderables: RenderableType, console: Console | None = None) -> None:
    """Print to stdout. Into a pipe or file, lines lose the padding rich adds to fill the width."""
    console = console or _out()
    if console.is_terminal:
        for renderable in renderables:
            console.print(renderable)
        return
    with console.capture() as capture:
        for renderable in renderables:
            console.print(renderable)
    sys.stdout.write("\n".join(line.rstrip() for line in capture.get().splitlines()) + "\n")


def _emit_json(data: Any) -> None:
    import json

    from kotcoach.cli._streams import can_encode

    text = json.dumps(data, ensure_ascii=False, indent=2)
    if not can_encode(text, sys.stdout):  # \u escapes keep the JSON whole on an ASCII stdout
        text = json.dumps(data, ensure_ascii=True, indent=2)
    sys.stdout.write(text + "\n")


def parse_equipment(values: list[str] | None) -> frozenset[Equipment]:
    """What a person has; 'none' (or nothing) means body weight only."""
    have: set[Equipment] = set()
    for raw in values or []:
        for name in filter(None, (part.strip() for part in raw.split(","))):
            if name.casefold() == "none":
                continue
            try:
                have.add(Equipment(name.casefold()))
            except ValueError:
                from kotcoach.base.suggest import did_you_mean

                valid = ["none", *Equipment]
                raise UsageError(
                    f"unknown equipment '{name}' (valid: {', '.join(valid)})",
                    hint=did_you_mean(name, valid),
                ) from None
    return frozenset(have)


def _condition_ids(index: Index, values: list[str] | None) -> list[str]:
    return condition_ids(index.conditions, values)


def condition_ids(known: Collection[str], values: list[str] | None) -> list[str]:
    """The --condition values as the catalogue's condition ids (renamed ones noted)."""
    from kotcoach.base.suggest import unknown_condition
    from kotcoach.catalogue.renamed import current_conditions

    found, renamed = current_conditions(name.casefold() for name in values or [])  # lower case
    for note in renamed:
        sys.stderr.write(f"kotcoach: note: {note}\n")
    names = list(found)
    for name in names:
        if name not in known:
            raise unknown_condition(name, known)
    return names


EQUIPMENT_OPTION_HELP = (
    "Repeat it or separate with commas; 'none' means body weight only. One of: "
    + ", ".join(["none", *Equipment])
    + "."
)


def _listing(title: str, rows: dict[Any, str]) -> str:
    """An unwrapped help list: each name, then two spaces at least, then what it means."""
    column = max(len(str(name)) for name in rows) + 2
    lines = (f"  {str(name):<{column}}{text}" for name, text in rows.items())
    return f"\b\n{title}:\n" + "\n".join(lines)


EQUIPMENT_EPILOG = _listing("Equipment", {e: e.help for e in Equipment})
GOAL_EPILOG = _listing("Goals", {g: g.help for g in Goal})


def parse_pain(values: list[str] | None) -> dict[Area, int]:
    """'knee=4' pairs into a mapping; anything malformed is a usage error. An area given twice
    keeps its worst score: the safe reading of two answers."""
    pain: dict[Area, int] = {}
    areas = ", ".join(Area)
    for raw in values or []:
        name, sep, score = raw.partition("=")
        name, score = name.strip(), score.strip()
        if not sep or not name or not score:
            raise UsageError(f"--pain '{raw}' must look like AREA=0..10, e.g. knee=4")
        try:
            area = Area(name.lower())
        except ValueError:
            raise UsageError(f"--pain: unknown area '{name}' (valid: {areas})") from None
        # ASCII digits only: str.isdigit() also accepts '²' and '①', which int() refuses.
        if not (score.isascii() and score.isdigit() and len(score) <= 2 and int(score) <= 10):
            raise UsageError(f"--pain {raw}: the score must be a whole number from 0 to 10")
        pain[area] = max(int(score), pain.get(area, 0))
    return pain


def red_flags_in(args: list[str]) -> tuple[RedFlag, ...]:
    """The valid red flags named by `--red-flag NAME` or `--red-flag=NAME` anywhere in args.

    Read before anything else is parsed, so that a red flag always stops with its message and
    exit 3, whatever else is wrong with the command (a bad option, a file, the catalogue)."""
    found: list[RedFlag] = []
    for position, arg in enumerate(args):
        if arg == "--red-flag" and position + 1 < len(args):
            value = args[position + 1]
        elif arg.startswith("--red-flag="):
            value = arg.partition("=")[2]
        else:
            continue
        try:
            found.append(RedFlag(value.strip().lower()))
        except ValueError:
            continue
    return tuple(dict.fromkeys(found))


def stop_for_red_flags(stop: RedFlagStop, as_json: bool) -> NoReturn:
    """The red-flag stop: no plan, see a clinician, exit 3."""
    if as_json:
        _emit_json(
            {
                "stop": True,
                "advice": stop.headline,
                "urgency": stop.urgency.value,
                "red_flags": [flag.value for flag in stop.flags],
                "reasons": stop.reasons,
            }
        )
    else:
        from kotcoach.render.views import stop_view

        _print(stop_view(stop))
    raise typer.Exit(int(ExitCode.RED_FLAG))


RED_FLAG_EPILOG = _listing(
    "Red flags (--red-flag NAME)", {f.value: RED_FLAG_TEXT[f] for f in RedFlag}
)
PAIN_HELP = (
    "Pain now, in daily life (not during exercise), AREA=0..10 (repeatable; an area given twice "
    f"keeps its worst score). 6 or more: no loading for that area. Areas: {', '.join(Area)}."
)
RED_FLAG_HELP = "A red flag you have (repeatable); with any, no plan is made. Names below."
