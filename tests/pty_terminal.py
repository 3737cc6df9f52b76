"""A program run in a real pseudo-terminal: keys in, screen bytes drained, for end-to-end tests."""

from __future__ import annotations

import fcntl
import os
import pty
import re
import struct
import subprocess
import sys
import termios
import threading
import time
from collections.abc import Callable, Sequence


class Terminal:
    """Starts `command` with a pty as its terminal; the output is read all the time so that the
    program never blocks on a full terminal buffer."""

    def __init__(self, command: Sequence[str], env: dict[str, str], size: tuple[int, int]) -> None:
        master, slave = pty.openpty()
        columns, rows = size
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", rows, columns, 0, 0))
        self.master = master
        self.output = bytearray()
        self.process = subprocess.Popen(
            list(command),
            stdin=slave,
            stdout=slave,
            stderr=slave,
            env={**env, "TERM": "xterm-256color", "COLUMNS": str(columns), "LINES": str(rows)},
            start_new_session=True,
            close_fds=True,
        )
        os.close(slave)
        self._reader = threading.Thread(target=self._drain, daemon=True)
        self._reader.start()

    def _drain(self) -> None:
        while True:
            try:
                chunk = os.read(self.master, 65536)
            except OSError:
                return
            if not chunk:
                return
            self.output.extend(chunk)

    def send(self, keys: str) -> None:
        os.write(self.master, keys.encode())

    def text(self) -> str:
        return self.output.decode("utf-8", "replace")

    def plain(self) -> str:
        """The output without terminal escape sequences (colours, cursor moves)."""
        return re.sub(r"\x1b\[[0-9;?>=$]*[A-Za-z~]", "", self.text())

    def close(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
        self.process.wait(timeout=10)
        try:
            os.close(self.master)
        except OSError:
            pass
        self._reader.join(timeout=5)


def wait_for(check: Callable[[], bool], timeout: float = 60.0, what: str = "") -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():
            return
        time.sleep(0.05)
    raise AssertionError(f"timed out waiting for {what or check}")


def kotcoach(*args: str) -> list[str]:
    return [sys.executable, "-m", "kotcoach", *args]
