"""`kotcoach serve`: the training log in a phone's browser, on this computer or the home network.

Thin: the options in, `kotcoach.web.server.serve` out. The web stack (starlette, uvicorn, jinja2,
segno) is imported only here, inside the command, and is an optional extra: no other command
loads it or needs it installed.
"""

from __future__ import annotations

from typing import Annotated

import typer

from kotcoach.base.errors import ExitCode, KotcoachError
from kotcoach.base.inputs import is_whole_number
from kotcoach.cli._app import _state, app

SERVE_HINT = "install it with: pip install 'kotcoach[serve]'"


class MissingExtra(KotcoachError):
    exit_code = ExitCode.DATA


PORTS = (0, 65535)


def _port(value: str | int) -> int:
    """'8765' -> 8765. Anything else is a usage error (exit 2) that says what a port is, in
    kotcoach's words rather than click's ('is not a valid int range')."""
    if isinstance(value, int):  # the default, already a number
        return value
    low, high = PORTS
    fix = f"give a whole number from {low} to {high} (0 picks a free one)"
    text = value.strip()
    if not is_whole_number(text.removeprefix("-")):
        raise typer.BadParameter(f"'{value}' is not a port number: {fix}")
    number = int(text)
    if not low <= number <= high:
        raise typer.BadParameter(f"{number} is not a port: {fix}")
    return number


@app.command("serve")
def serve_command(
    ctx: typer.Context,
    port: Annotated[
        int,
        typer.Option(
            help="The port to listen on, 0-65535; 0 picks a free one.",
            parser=_port,
            metavar="PORT",
        ),
    ] = 8765,
    lan: Annotated[
        bool,
        typer.Option(
            "--lan",
            help="Serve phones on your local network too (this computer's network address), "
            "and show the link as a QR code. Without it, only this computer can connect.",
        ),
    ] = False,
    open_browser: Annotated[
        bool, typer.Option("--open", help="Open the page in this computer's browser.")
    ] = False,
    new_token: Annotated[
        bool,
        typer.Option(
            "--new-token",
            help="Make a new access token: links and phones signed in before stop working.",
        ),
    ] = False,
) -> None:
    """Train from your phone: today's session, the guided session, the check-in and your
    history in a browser, written straight into the same training log.

    Prints a link with a secret access token (and, with --lan, a QR code of it for a phone's
    camera). Opening it signs that browser in; anyone without it gets nothing. Every set tapped
    on the phone is saved at once; a set that could not be sent is kept on the phone and sent
    again. One server per data folder: a second one says where the first one is. Ctrl-C stops
    it. Needs the serve extra: pip install 'kotcoach[serve]'.

    \b
    Examples:
      kotcoach serve
      kotcoach serve --lan
      kotcoach serve --port 0 --open
    """
    try:
        import starlette  # noqa: F401
        import uvicorn  # noqa: F401
    except ImportError:
        raise MissingExtra("kotcoach serve needs the web server", hint=SERVE_HINT) from None
    from kotcoach.web.server import ServeOptions, serve

    state = _state(ctx)
    with state.reading() as catalog:
        from kotcoach.catalogue.source import read_bytes

        read_bytes(catalog)  # a file that cannot be read stops it here, naming the option
    serve(catalog, ServeOptions(port=port, lan=lan, open_browser=open_browser, new_token=new_token))
