"""Where the catalogue is, and reading its bytes safely. Stdlib only: it runs on every command."""

from __future__ import annotations

import os
import stat
from pathlib import Path

from kotcoach.errors import UnreadableCatalog

ENV_VAR = "KOTCOACH_CATALOG"
MAX_BYTES = 5 * 1024 * 1024


def builtin_catalog_path() -> Path:
    """The catalogue shipped with kotcoach: inside the wheel, or at the top of a checkout."""
    here = Path(__file__).resolve().parent
    installed = here / "data" / "exercises.yaml"
    if installed.is_file():
        return installed
    return here.parents[1] / "data" / "exercises.yaml"


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
        raw = _read_at_most(fd, MAX_BYTES + 1)
    except OSError as error:
        raise UnreadableCatalog(shown, f"cannot be read: {error.strerror}") from None
    finally:
        os.close(fd)
    if len(raw) > MAX_BYTES:
        size = max(status.st_size, len(raw))
        raise UnreadableCatalog(
            shown, f"is {size:,} bytes; catalogues are capped at {MAX_BYTES:,} bytes"
        )
    return raw


def _read_at_most(fd: int, limit: int) -> bytes:
    chunks: list[bytes] = []
    size = 0
    while size < limit:
        chunk = os.read(fd, min(limit - size, 1 << 20))
        if not chunk:
            break
        chunks.append(chunk)
        size += len(chunk)
    return b"".join(chunks)
