"""Where the catalogue is, and reading its bytes safely. Stdlib only: it runs on every command."""

from __future__ import annotations

import os
import stat
from collections.abc import Callable
from pathlib import Path

from kotcoach.base.errors import UnreadableCatalog

ENV_VAR = "KOTCOACH_CATALOG"
MAX_BYTES = 5 * 1024 * 1024


def builtin_catalog_path() -> Path:
    """The catalogue shipped with kotcoach: inside the wheel, or at the top of a checkout."""
    package = Path(__file__).resolve().parents[1]
    installed = package / "data" / "exercises.yaml"
    if installed.is_file():
        return installed
    return package.parents[1] / "data" / "exercises.yaml"


def resolve_catalog_path(explicit: Path | None) -> Path:
    """--catalog wins, then $KOTCOACH_CATALOG, then the built-in catalogue."""
    if explicit is not None:
        return explicit
    from_env = os.environ.get(ENV_VAR)
    if from_env:
        return Path(from_env)
    return builtin_catalog_path()


def read_bytes(path: Path) -> bytes:
    """The file's bytes, or an UnreadableCatalog (a CatalogError) saying why they cannot be had.

    The file is opened once, without blocking (a FIFO would wait for a writer), and checked
    through that open file, so what is checked is what is read: only a regular file, and never
    more than MAX_BYTES even if it grows while being read.
    """
    chunks: list[bytes] = []
    _read(path, chunks.append)
    return b"".join(chunks)  # one chunk, as a rule: returned as it is, not copied


def digest_file(path: Path, update: Callable[[bytes], object]) -> None:
    """Feed the file's bytes to `update` (a hash's), a megabyte at a time, with read_bytes'
    checks and errors: a catalogue is recognised without holding all of it."""
    _read(path, update, chunk=1 << 20)


def _read(path: Path, take: Callable[[bytes], object], chunk: int = MAX_BYTES + 1) -> None:
    shown = str(path)
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0))
    except FileNotFoundError:
        raise UnreadableCatalog(shown, "no such file") from None
    except PermissionError:
        raise UnreadableCatalog(shown, "permission denied: make the file readable") from None
    except IsADirectoryError:
        raise UnreadableCatalog(shown, "is a directory, not a catalogue file") from None
    except (OSError, ValueError) as error:  # ValueError: a NUL byte in the path
        reason = getattr(error, "strerror", None) or str(error)
        raise UnreadableCatalog(shown, f"cannot be opened: {reason}") from None
    try:
        status = os.fstat(fd)
        mode = status.st_mode
        if stat.S_ISDIR(mode):
            raise UnreadableCatalog(shown, "is a directory, not a catalogue file")
        if not stat.S_ISREG(mode):
            # A device or pipe could be endless (/dev/zero): only regular files are read.
            raise UnreadableCatalog(shown, "is not a regular file")
        # A first read of the whole file as its size says (one buffer, no copies), then more
        # only if it grew meanwhile; never past MAX_BYTES + 1.
        size = 0
        want = min(MAX_BYTES + 1, status.st_size + 1, chunk)
        while size <= MAX_BYTES:
            data = os.read(fd, min(want, MAX_BYTES + 1 - size))
            if not data:
                break
            size += len(data)
            if size > MAX_BYTES:
                break
            take(data)
            want = chunk
    except OSError as error:
        raise UnreadableCatalog(shown, f"cannot be read: {error.strerror}") from None
    finally:
        os.close(fd)
    if size > MAX_BYTES:
        size = max(status.st_size, size)
        raise UnreadableCatalog(
            shown, f"is {size:,} bytes; catalogues are capped at {MAX_BYTES:,} bytes"
        )
