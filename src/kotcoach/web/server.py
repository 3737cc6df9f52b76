"""`kotcoach serve`: bind, claim the data folder, print the address (and its QR code), run.

- The loopback (127.0.0.1) unless `lan`: then the one address this computer has on its local
  network, and still nothing else (never 0.0.0.0).
- One server per data folder: the first holds a lock on `serve.lock` there and writes its
  address into it; a second one reads it and says where the first one is. The lock is the
  kernel's (flock), so a killed server leaves no stale claim behind.
- The access token lives in the data folder (`serve-token`, 0600) and is reused: a phone that
  signed in stays signed in when the server restarts, and the results it kept resend. `new_token`
  makes a new one (every phone must open the new link).
- uvicorn (imported at the top: only `serve` imports this module) runs it with its access log
  off (the app itself logs nothing) and stops cleanly on Ctrl-C or SIGTERM.
"""

from __future__ import annotations

import contextlib
import json
import os
import secrets
import signal
import socket
import sys
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from types import FrameType
from typing import IO, Any

import uvicorn

from kotcoach.base.errors import KotcoachError

LOCK_FILE = "serve.lock"
TOKEN_FILE = "serve-token"
LOOPBACK = "127.0.0.1"
DEFAULT_PORT = 8765


class ServeError(KotcoachError):
    """The server cannot start (the message says why and what to do)."""


@dataclass(frozen=True)
class ServeOptions:
    port: int = DEFAULT_PORT
    lan: bool = False
    open_browser: bool = False
    new_token: bool = False


def lan_address() -> str:
    """This computer's address on its local network: the source address of the route out.
    Connecting a UDP socket only picks the route; it sends nothing."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
        try:
            probe.connect(("10.255.255.255", 1))
            address = str(probe.getsockname()[0])
        except OSError:
            address = ""
    if not address or address.startswith("127.") or address == "0.0.0.0":
        raise ServeError(
            "found no local network address on this computer: connect it to a network, or "
            "leave out --lan to serve this computer only"
        )
    return address


def hosts_for(host: str, port: int) -> list[str]:
    """The Host header values a browser sends for this address."""
    names = [f"{host}:{port}"]
    if host == LOOPBACK:
        names.append(f"localhost:{port}")
    if port == 80:
        names += [n.rsplit(":", 1)[0] for n in names]
    return names


def _private_folder(folder: Path) -> None:
    try:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    except OSError as error:
        raise ServeError(f"cannot make the data folder {folder}: {error.strerror}") from None


def read_token(folder: Path, new: bool = False) -> str:
    """The saved access token, made (0600) when missing or when `new`."""
    path = folder / TOKEN_FILE
    if not new:
        with contextlib.suppress(FileNotFoundError):
            token = path.read_text(encoding="ascii").strip()
            if len(token) >= 32:
                return token
    token = secrets.token_urlsafe(24)  # 192 bits; short enough for a QR code 37 columns wide
    partial = path.with_suffix(".partial")
    descriptor = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "w", encoding="ascii") as out:
        out.write(token + "\n")
    os.replace(partial, path)
    return token


@contextlib.contextmanager
def claim(folder: Path) -> Iterator[IO[str]]:
    """Hold the data folder's serve lock, or say where the server holding it answers."""
    import fcntl

    path = folder / LOCK_FILE
    descriptor = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
    handle = os.fdopen(descriptor, "r+", encoding="utf-8")
    try:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise ServeError(_busy(handle.read())) from None
        yield handle
    finally:
        with contextlib.suppress(OSError):
            handle.seek(0)
            handle.truncate()
        handle.close()


def _busy(text: str) -> str:
    try:
        found = json.loads(text)
        where = f"http://{found['host']}:{int(found['port'])}/ (process {int(found['pid'])})"
    except (ValueError, KeyError, TypeError):
        where = "an address it has not written yet"
    return (
        f"kotcoach serve already runs on this data folder, at {where}: use that one, or stop "
        "it first"
    )


def bind(host: str, port: int) -> socket.socket:
    # IPPROTO_TCP named, not 0: asyncio turns Nagle off (TCP_NODELAY) only on sockets whose
    # protocol says TCP, and with Nagle on, every answer on a kept-alive connection waited
    # ~40 ms for the client's delayed ACK.
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        listener.bind((host, port))
    except OSError as error:
        listener.close()
        raise ServeError(
            f"cannot listen on {host}:{port}: {error.strerror} (choose another with --port, "
            "or --port 0 for any free one)"
        ) from None
    listener.listen(64)
    listener.set_inheritable(True)
    return listener


def qr_lines(url: str) -> str:
    """The address as a QR code drawn with block characters, for a phone's camera."""
    import io

    import segno

    out = io.StringIO()
    # Error correction L (a screen is not a scratched label): with the token's 32 characters the
    # code stays 37 columns wide, and fits a 40-column terminal.
    segno.make(url, error="l").terminal(out=out, compact=True, border=2)
    return out.getvalue()


def serve(catalog_path: Path, options: ServeOptions, out: IO[str] | None = None) -> None:
    """Run until Ctrl-C or SIGTERM, saying where on `out` (stdout)."""
    started = time.perf_counter()
    out = out or sys.stdout
    from kotcoach.store import data_dir

    folder = data_dir()
    _private_folder(folder)
    host = lan_address() if options.lan else LOOPBACK
    from kotcoach.store import database_path
    from kotcoach.store.files import holding

    # The serve lock says where this server answers; `holding` tells `data restore` that the
    # phone server has the log open, as a guided session does.
    with claim(folder) as lock, holding(database_path(), "serve"):
        token = read_token(folder, options.new_token)
        listener = bind(host, options.port)
        port = int(listener.getsockname()[1])
        lock.seek(0)
        lock.truncate()
        lock.write(json.dumps({"host": host, "port": port, "pid": os.getpid()}))
        lock.flush()

        from kotcoach.web.app import create_app, warm

        app = create_app(token, hosts_for(host, port), catalog_path)
        url = f"http://{host}:{port}/login?token={token}"
        config = uvicorn.Config(
            app,
            log_level="warning",
            access_log=False,
            lifespan="on",
            server_header=False,
            date_header=False,
            timeout_graceful_shutdown=3,
        )
        server = _Server(config)
        _announce(out, url, options.lan)
        finished = threading.Event()
        watcher = threading.Thread(
            target=_when_ready,
            args=(server, finished, url, options.open_browser, out, started, lambda: warm(app)),
            daemon=True,
        )
        watcher.start()
        try:
            server.run(sockets=[listener])
        finally:
            finished.set()
            listener.close()
    out.write("kotcoach: stopped serving\n")
    out.flush()


class _Server(uvicorn.Server):
    """uvicorn's server, stopped by Ctrl-C or SIGTERM without raising the signal again once it
    has stopped (uvicorn does, for embedding): stopping is this command's normal end (exit 0)."""

    def handle_exit(self, sig: int, frame: FrameType | None) -> None:
        if self.should_exit and sig == signal.SIGINT:
            self.force_exit = True  # a second Ctrl-C: stop without waiting for requests
        self.should_exit = True


def _announce(out: IO[str], url: str, lan: bool) -> None:
    lines = ["kotcoach serves your training log at:", url]  # the link alone, to copy whole
    if lan:
        lines.append("Open it on a phone on the same network: point its camera at this code.")
        lines.append(qr_lines(url))
        lines.append("Anyone with this link can read and write the log: keep it to your phones.")
    else:
        lines.append("Only this computer can open it (add --lan for phones on your network).")
    lines.append("Ctrl-C stops it.")
    out.write("\n".join(lines) + "\n")
    out.flush()


def _when_ready(
    server: Any,
    finished: threading.Event,
    url: str,
    open_browser: bool,
    out: IO[str],
    started: float,
    then: Callable[[], None] = lambda: None,
) -> None:
    while not server.started:
        if finished.wait(0.01):
            return
    then()
    out.write(f"kotcoach: ready in {time.perf_counter() - started:.2f} s\n")
    out.flush()
    if open_browser:
        import webbrowser

        webbrowser.open(url)
