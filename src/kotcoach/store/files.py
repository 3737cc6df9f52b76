"""The training log's files: private modes, who holds the log, backups and restore.

Health data is the owner's alone: the data folder is 0700, the log, its WAL, backups and exports
0600, and a log found readable by others is tightened (once, with a note). A guided session or
the phone server holds the log for a long time; each says so in a lock file beside it (its kind
and pid, under an flock that dies with the process), so that `data restore` can refuse by name
instead of pulling the file from under it. A restore copies the backup with SQLite's backup API
into a fresh file beside the log and swaps it in with one rename; the replaced log stays beside
it under a dated name.
"""

from __future__ import annotations

import datetime as dt
import errno
import fcntl
import os
import sqlite3
import stat
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from kotcoach.base.errors import StoreError
from kotcoach.base.notes import note
from kotcoach.store import schema
from kotcoach.store.connection import (
    connect,
    full_disk,
    guard,
    integrity_check,
    is_busy,
    is_full,
    open_backup,
    quiet_rollback,
)

PRIVATE_FILE = 0o600
PRIVATE_FOLDER = 0o700
SIDE_FILES = ("-wal", "-shm", "-journal")
HOLDER_KINDS = {
    "session": "a guided session ('kotcoach session')",
    "serve": "the phone server ('kotcoach serve')",
}

# --- private files ------------------------------------------------------------------------------


def make_private_folder(folder: Path) -> None:
    """Make the data folder (0700) and its parents as needed."""
    try:
        folder.mkdir(parents=True, exist_ok=True, mode=PRIVATE_FOLDER)
    except OSError as error:
        raise StoreError(
            f"cannot make the folder for the training log {folder}: {error.strerror or error}"
        ) from None


def create_private(path: Path) -> None:
    """Create an empty file readable and writable by its owner only (O_EXCL: never one that
    is there already, never through a link)."""
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0)
    try:
        os.close(os.open(path, flags, PRIVATE_FILE))
    except FileExistsError:
        return
    except OSError as error:
        if error.errno == errno.ENOSPC:
            raise full_disk(path) from None
        raise StoreError(f"cannot create the training log {path}: {error.strerror}") from None


def tighten(path: Path) -> None:
    """Make the log and its side files owner-only; the data folder too when it holds nothing
    but kotcoach's files. Says so once when the log itself was open to others. Nothing happens
    on a file system that cannot be changed (read-only) or for files owned by someone else."""
    for file in (path, *(Path(f"{path}{side}") for side in SIDE_FILES)):
        try:
            mode = stat.S_IMODE(file.lstat().st_mode)
        except OSError:
            continue
        if mode & 0o077 and _chmod(file, mode & 0o700):
            if file == path:
                note(
                    f"made the training log {path} private: it was readable by others "
                    f"(mode {mode:04o}, now {mode & 0o700:04o})"
                )
    folder = path.parent
    try:
        mode = stat.S_IMODE(folder.stat().st_mode)
    except OSError:
        return
    if mode & 0o077 and _only_ours(folder, path.name):
        _chmod(folder, mode & 0o700)


def _chmod(path: Path, mode: int) -> bool:
    try:
        os.chmod(path, mode, follow_symlinks=False)
    except (OSError, NotImplementedError):
        return False
    return True


def _only_ours(folder: Path, name: str) -> bool:
    try:
        names = os.listdir(folder)
    except OSError:
        return False
    stem = name.rsplit(".", 1)[0]
    return all(n.startswith((name, stem, ".kotcoach-")) for n in names)


# --- who holds the log --------------------------------------------------------------------------


@dataclass(frozen=True)
class Holder:
    kind: str
    pid: int

    def describe(self) -> str:
        return f"{HOLDER_KINDS.get(self.kind, self.kind)}, process {self.pid}"


def _lock_path(path: Path, pid: int) -> Path:
    return path.parent / f"{path.name}.held-by-{pid}"


@contextmanager
def holding(path: Path, kind: str) -> Iterator[None]:
    """Say, for as long as the block runs, that this process (a `kind`: 'session', 'serve')
    uses the log: a lock file beside it with the kind and pid under an flock, which the system
    drops when the process dies however it dies. A folder that cannot be written holds no lock
    file, and needs none: nothing can be restored into it either."""
    lock = _lock_path(path, os.getpid())
    try:
        descriptor = os.open(lock, os.O_RDWR | os.O_CREAT | getattr(os, "O_NOFOLLOW", 0), 0o600)
    except OSError:
        yield
        return
    try:
        fcntl.flock(descriptor, fcntl.LOCK_EX)
        os.ftruncate(descriptor, 0)
        os.write(descriptor, f"{kind} {os.getpid()}\n".encode())
        yield
    finally:
        lock.unlink(missing_ok=True)
        os.close(descriptor)


def holders(path: Path) -> list[Holder]:
    """The processes that hold the log now. A lock file whose process is gone is removed."""
    found: list[Holder] = []
    try:
        names = sorted(os.listdir(path.parent))
    except OSError:
        return found
    prefix = f"{path.name}.held-by-"
    for name in names:
        if not name.startswith(prefix):
            continue
        lock = path.parent / name
        try:
            descriptor = os.open(lock, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
        except OSError:
            continue
        try:
            try:
                fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                kind, _, pid = os.read(descriptor, 200).decode("ascii", "replace").partition(" ")
                found.append(
                    Holder(kind.strip() or "kotcoach", int(pid) if pid.strip().isdigit() else 0)
                )
                continue
            lock.unlink(missing_ok=True)  # left by a process that was killed
        finally:
            os.close(descriptor)
    return found


# --- leftovers ----------------------------------------------------------------------------------


def clean_leftovers(folder: Path) -> None:
    """Remove what a killed backup or restore left in the data folder: its temporary files
    (`.kotcoach-*.tmp`, `.kotcoach-restore-*`) and their journals, once no process writes them
    (an flock-free file older than a minute)."""
    try:
        names = os.listdir(folder)
    except OSError:
        return
    now = dt.datetime.now().timestamp()
    for name in names:
        if not name.startswith(".kotcoach-"):
            continue
        file = folder / name
        try:
            if now - file.lstat().st_mtime > 60:
                file.unlink()
        except OSError:
            continue


# --- backup and restore -------------------------------------------------------------------------


def dated_name(path: Path, when: dt.datetime | None = None) -> Path:
    """Where a replaced log is kept: 'kotcoach-replaced-2025-03-01T101500.db' beside it."""
    when = when or dt.datetime.now()
    stem = path.name.rsplit(".", 1)[0]
    base = path.parent / f"{stem}-replaced-{when:%Y-%m-%dT%H%M%S}.db"
    candidate, n = base, 1
    while candidate.exists():
        n += 1
        candidate = base.with_name(f"{base.stem}-{n}.db")
    return candidate


def check_backup(backup: Path) -> int:
    """A backup fit to restore: an SQLite file that passes its integrity check, a kotcoach log
    (not a foreign database), of a schema version this kotcoach reads. Its version, or a
    StoreError saying what is wrong; the file is not changed."""
    if not backup.is_file():
        raise StoreError(
            f"{backup}: no such file" if not backup.exists() else f"{backup} is not a file"
        )
    db = open_backup(backup)
    try:
        try:
            problem = integrity_check(db)
            version = schema.version(db)
            tables = {
                row[0] for row in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
            }
        except sqlite3.DatabaseError as error:
            raise StoreError(
                f"{backup} is not a kotcoach backup ({error}); nothing was restored"
            ) from None
    finally:
        db.close()
    if problem is not None:
        raise StoreError(f"{backup} is damaged (integrity check: {problem}); nothing was restored")
    if version > schema.LATEST:
        raise StoreError(
            f"{backup} was written by a newer kotcoach (schema version {version}; this one reads "
            f"up to {schema.LATEST}): upgrade kotcoach to restore it; nothing was restored"
        )
    if version < 1 or not {"profiles", "sessions", "entries", "sets"} <= tables:
        raise StoreError(f"{backup} is not a kotcoach training log; nothing was restored")
    return version


def restore(backup: Path, path: Path, timeout: float) -> Path | None:
    """Put the backup in the log's place; returns where the replaced log was kept (None when
    there was none). Refuses, changing nothing, while a session or the phone server holds the
    log, or when the backup is not a sound kotcoach log."""
    busy = holders(path)
    if busy:
        raise StoreError(
            f"the training log {path} is in use by {busy[0].describe()}: finish it, then restore "
            "again; nothing was restored"
        )
    check_backup(backup)
    folder = path.parent
    make_private_folder(folder)
    fresh = folder / f".kotcoach-restore-{os.getpid()}.db"
    for side in ("", *SIDE_FILES):
        Path(f"{fresh}{side}").unlink(missing_ok=True)
    try:
        _copy_fresh(backup, fresh, timeout)
        kept = _swap_in(fresh, path, timeout)
    finally:
        for side in ("", *SIDE_FILES):
            Path(f"{fresh}{side}").unlink(missing_ok=True)
    return kept


def _copy_fresh(backup: Path, fresh: Path, timeout: float) -> None:
    """The backup copied page by page into a new private file, brought to the current schema,
    checked again, in WAL mode, and closed (so no WAL of its own is left)."""
    create_private(fresh)
    source = open_backup(backup)
    try:
        target = sqlite3.connect(fresh, isolation_level=None)
        try:
            with guard(fresh, timeout):
                try:
                    source.backup(target)
                except sqlite3.OperationalError as error:
                    if is_full(error):
                        raise StoreError(
                            f"the disk is full: cannot write {fresh.parent}; nothing was restored"
                        ) from None
                    raise
                schema.migrate(target)
                problem = integrity_check(target)
                if problem is not None:
                    raise StoreError(
                        f"the copy of {backup} failed its check ({problem}); nothing was restored"
                    )
                target.execute("PRAGMA journal_mode = WAL")
        finally:
            target.close()
    finally:
        source.close()


def _swap_in(fresh: Path, path: Path, timeout: float) -> Path | None:
    """Swap the fresh file in. The current log is first taken out of WAL mode under its write
    lock (SQLite folds its WAL in and removes it, so no WAL is left beside the new file to be
    replayed onto it), kept under a dated name by a hard link, then replaced by one rename while
    the lock is held. A log SQLite cannot open (damaged) is moved aside with its WAL instead."""
    if not path.exists():
        os.replace(fresh, path)
        return None
    kept = dated_name(path)
    try:
        old = connect(path, write=True, timeout=timeout)
    except StoreError:
        old = None
    if old is not None:
        try:
            with guard(path, timeout):
                try:
                    mode = old.execute("PRAGMA journal_mode = DELETE").fetchone()[0]
                except sqlite3.OperationalError as error:
                    if is_busy(error):  # another kotcoach has it open: try again, not aside
                        raise
                    mode = None
                except sqlite3.DatabaseError:
                    mode = None
                if mode == "delete":
                    old.execute("BEGIN EXCLUSIVE")
                    try:
                        os.link(path, kept)
                        os.replace(fresh, path)
                    finally:
                        quiet_rollback(old)
                    return kept
        finally:
            old.close()
    # Damaged: move the file and its WAL aside together, the WAL with the file it belongs to.
    os.link(path, kept)
    for side in ("-wal",):
        src = Path(f"{path}{side}")
        if src.exists():
            os.replace(src, Path(f"{kept}{side}"))
    Path(f"{path}-shm").unlink(missing_ok=True)
    os.replace(fresh, path)
    return kept
