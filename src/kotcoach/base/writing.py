"""Writing a file a person named: whole or not at all, and never over anything without --force.

Stdlib only. Anything at the name counts as there, a dangling or looping symbolic link included
(lstat; exists() follows links and says no for both). The data goes to a temporary file in the
same folder, which then takes the name in one step, so a failure or Ctrl-C leaves nothing
half-written: by a hard link without --force, which fails if the name was taken meanwhile (a file
created while a handout rendered is kept), or by a rename with --force, which replaces a link
rather than writing through it and keeps the replaced file's permissions.
"""

from __future__ import annotations

import errno
import os
import secrets
import shutil
import stat
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from kotcoach.base.errors import ExportError

FORCE_HINT = "pass --force to overwrite it"


def check_free(path: Path, force: bool, doing: str = "write") -> None:
    """Refuse early what write_whole would refuse: the name taken (without force), a folder,
    a folder that does not exist or cannot be written in, a name the system cannot hold."""
    try:
        existing = path.lstat()
    except (FileNotFoundError, NotADirectoryError):  # the folder checks below say which
        existing = None
    except OSError as error:  # a name too long, a loop in the folders above it, ...
        raise ExportError(f"cannot {doing} {path}: {error.strerror}") from None
    if existing is not None and stat.S_ISDIR(existing.st_mode):
        raise ExportError(f"{path} is a folder, not a file")
    if existing is not None and not force:
        what = "a symbolic link" if stat.S_ISLNK(existing.st_mode) else "a file"
        raise ExportError(f"{path} already exists ({what})", hint=FORCE_HINT)
    folder = path.parent
    if not folder.exists():
        raise ExportError(f"the folder {folder} does not exist")
    if not folder.is_dir():
        raise ExportError(f"{folder} is not a folder")
    if not os.access(folder, os.W_OK | os.X_OK):
        raise ExportError(f"cannot write in the folder {folder}", hint="check its permissions")


def write_whole(path: Path, data: bytes, force: bool, mode: int | None = None) -> None:
    """Write `data` to a temporary file beside the target, then put it in place in one step
    (`whole_file`): the target is never half-written, and without --force never overwritten."""
    with whole_file(path, force, mode) as temp:
        descriptor = os.open(temp, os.O_WRONLY | getattr(os, "O_NOFOLLOW", 0))
        with os.fdopen(descriptor, "wb") as file:
            file.write(data)


@contextmanager
def whole_file(path: Path, force: bool, mode: int | None = None) -> Iterator[Path]:
    """A new, empty temporary file beside `path`, for the block to fill by its name; when the
    block ends without an error the file takes `path`'s name in one step. The one way kotcoach
    writes a file a person named (handouts, reports, exports, backups).

    Without --force the last step is a hard link, which fails if anything has taken the name
    meanwhile, so a file created while the content was made is never overwritten. With --force
    the file replaces what is there without following a link, and keeps the permissions of the
    file it replaces (a 0600 handout stays private). On any failure, Ctrl-C included, the
    temporary file is removed and the target is as it was. A `mode` given (0600 for the
    training log's backups and exports) is the file's whatever it replaces: never widened.
    """
    mode = _final_mode(path, force) if mode is None else mode
    # A short name of its own: the target's name may already be near the 255-byte limit.
    temp = path.parent / f".kotcoach-{secrets.token_hex(6)}.tmp"
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0)
    try:
        # 0600 while it is written; the final mode is set just before it takes the name.
        os.close(os.open(temp, flags, 0o600))
    except OSError as error:
        raise _write_error(path.parent, error, inside=True) from error
    try:
        yield temp
        os.chmod(temp, mode)
        if force:
            os.replace(temp, path)
        else:
            _link_exclusively(temp, path, mode)
    except FileExistsError:
        raise ExportError(f"{path} appeared while it was being made", hint=FORCE_HINT) from None
    except OSError as error:
        raise _write_error(path, error) from error
    finally:
        temp.unlink(missing_ok=True)  # already gone once renamed


def _write_error(path: Path, error: OSError, inside: bool = False) -> ExportError:
    where = f"in {path}" if inside else str(path)
    if error.errno in (errno.ENOSPC, errno.EDQUOT, errno.EFBIG):
        return ExportError(f"the disk is full: could not write {where} ({error.strerror})")
    return ExportError(f"could not write {where}: {error.strerror or error}")


def _final_mode(path: Path, force: bool) -> int:
    """The mode of the file being replaced (with --force), else the usual one (0666 - umask)."""
    if force:
        try:
            existing = path.lstat()
        except OSError:
            existing = None
        if existing is not None and stat.S_ISREG(existing.st_mode):
            return stat.S_IMODE(existing.st_mode)
    umask = os.umask(0o022)
    os.umask(umask)
    return 0o666 & ~umask


def _link_exclusively(temp: Path, path: Path, mode: int) -> None:
    """Give the finished file the target's name only if the name is free (FileExistsError if not).

    Where hard links are not supported (some network and FAT file systems), the target is
    created with O_EXCL and the finished file copied into it; removed again if that fails.
    """
    try:
        os.link(temp, path, follow_symlinks=False)
        return
    except FileExistsError:
        raise
    except OSError as error:
        if error.errno not in {errno.EPERM, errno.ENOTSUP, errno.EOPNOTSUPP, errno.EXDEV}:
            raise
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0)
    descriptor = os.open(path, flags, mode)
    try:
        with os.fdopen(descriptor, "wb") as file, temp.open("rb") as finished:
            shutil.copyfileobj(finished, file)
    except BaseException:
        path.unlink(missing_ok=True)
        raise
