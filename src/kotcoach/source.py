"""Where the catalogue is, and reading its bytes safely. Stdlib only: it runs on every command."""

from __future__ import annotations

import os
from pathlib import Path

from kotcoach.errors import CatalogError, Problem

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
    """The file's bytes, or a CatalogError saying why they cannot be had."""
    shown = str(path)
    fix = "pass --catalog PATH or set KOTCOACH_CATALOG to a catalogue file"
    try:
        if path.is_dir():
            raise CatalogError([Problem(shown, f"is a directory, not a catalogue file ({fix})")])
        if path.exists() and not path.is_file():
            # A device or pipe could be endless (/dev/zero): only regular files are read.
            raise CatalogError([Problem(shown, f"is not a regular file ({fix})")])
        size = path.stat().st_size
        if size > MAX_BYTES:
            raise CatalogError(
                [Problem(shown, f"is {size:,} bytes; catalogues are capped at {MAX_BYTES:,} bytes")]
            )
        return path.read_bytes()
    except FileNotFoundError:
        raise CatalogError([Problem(shown, f"no such file ({fix})")]) from None
    except PermissionError:
        raise CatalogError([Problem(shown, "permission denied: make the file readable")]) from None
    except OSError as error:
        raise CatalogError([Problem(shown, f"cannot be read: {error.strerror}")]) from None
