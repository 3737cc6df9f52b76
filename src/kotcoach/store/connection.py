"""One connection to the training log: how it is opened, and what each SQLite failure means.

Every way into the log goes through here (`connect`): read-write, read-only, or, on a folder or
file system that cannot be written, read-only and immutable, so that the two ways to rescue the
data (`data export`, `data backup`) and every reading command still work there. Failures become
one `StoreError` naming the file: a full disk says so, a busy log says how long it waited, a
damaged file points to `data restore`. Transactions never issue a ROLLBACK or COMMIT that SQLite
did not begin, so the real error is the one reported.
"""

from __future__ import annotations

import os
import sqlite3
import time
import urllib.parse
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from kotcoach.base.errors import StoreError

RESTORE_HINT = "restore a backup with 'kotcoach data restore FILE'"
BUSY_NOTICE_AFTER = 1.0  # seconds a write waits for the lock before saying it is waiting


def connect(
    path: Path, *, write: bool, timeout: float, immutable: bool = False
) -> sqlite3.Connection:
    """A connection to the file at `path`. Read-only connections never create or change a file;
    where the folder cannot be written they open the file as immutable (a leftover WAL is then
    not read: the folder's owner must open it once to fold it in)."""
    try:
        if write:
            return sqlite3.connect(
                path, timeout=timeout, isolation_level=None, check_same_thread=False
            )
        uri = f"file:{urllib.parse.quote(str(path.absolute()))}?mode=ro"
        if immutable or not (os.access(path.parent, os.W_OK) and _writable_fs(path)):
            uri += "&immutable=1"
        return sqlite3.connect(
            uri, uri=True, timeout=timeout, isolation_level=None, check_same_thread=False
        )
    except sqlite3.Error as error:
        raise StoreError(f"cannot open the training log {path}: {error}") from None


def open_backup(path: Path) -> sqlite3.Connection:
    """A file given as a backup, read as it is: read-only and immutable, so neither a WAL left
    beside it is replayed nor anything is written next to it."""
    uri = f"file:{urllib.parse.quote(str(path.absolute()))}?mode=ro&immutable=1"
    try:
        return sqlite3.connect(uri, uri=True, isolation_level=None, check_same_thread=False)
    except sqlite3.Error as error:
        raise StoreError(f"cannot open {path}: {error}") from None


def can_write(path: Path) -> bool:
    """Whether the file and its folder can be written (for its WAL and journal)."""
    return os.access(path, os.W_OK) and os.access(path.parent, os.W_OK) and _writable_fs(path)


def _writable_fs(path: Path) -> bool:
    try:
        return not os.statvfs(path.parent).f_flag & os.ST_RDONLY
    except OSError:
        return True


def is_busy(error: sqlite3.Error) -> bool:
    code = getattr(error, "sqlite_errorcode", None)
    if code is not None:
        return code & 0xFF in (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED)
    text = str(error)
    return "locked" in text or "busy" in text


def is_full(error: sqlite3.Error, path: Path | None = None) -> bool:
    """SQLITE_FULL; or an I/O error while the file system has no room left (growing the WAL
    or its shared memory on a full disk is reported as SQLITE_IOERR)."""
    code = getattr(error, "sqlite_errorcode", None)
    if code is None:
        return False
    if code & 0xFF == sqlite3.SQLITE_FULL:
        return True
    return code & 0xFF == sqlite3.SQLITE_IOERR and path is not None and _no_room(path)


def _no_room(path: Path) -> bool:
    try:
        found = os.statvfs(path.parent)
    except OSError:
        return False
    return found.f_bavail * found.f_frsize < 64 * 1024


class DiskFullError(StoreError):
    """The file system has no room for the write; it may have again once space is freed."""


def full_disk(path: Path) -> StoreError:
    return DiskFullError(
        f"the disk is full: cannot write the training log {path}; nothing was saved"
    )


@contextmanager
def guard(path: Path, timeout: float, started: float | None = None) -> Iterator[None]:
    """Every sqlite3 failure inside as one StoreError naming the file."""
    started = time.monotonic() if started is None else started
    try:
        yield
    except sqlite3.OperationalError as error:
        if is_full(error, path):
            raise full_disk(path) from None
        if is_busy(error):
            # The time actually waited, not the timeout: SQLite can also give up at once.
            waited = time.monotonic() - started
            raise BusyError(
                f"the training log {path} is busy: another kotcoach kept it locked (gave up "
                f"after {waited:.1f} s; the limit is {timeout:g} s, KOTCOACH_BUSY_TIMEOUT sets "
                "it). Try again"
            ) from None
        if getattr(error, "sqlite_errorcode", 0) & 0xFF == sqlite3.SQLITE_READONLY:
            raise StoreError(
                f"the training log {path} cannot be written here (a read-only file, folder or "
                "file system); reading, 'data export' and 'data backup' still work"
            ) from None
        raise StoreError(f"cannot use the training log {path}: {error}") from None
    except sqlite3.DatabaseError as error:
        if is_full(error, path):
            raise full_disk(path) from None
        raise damaged(path, str(error)) from None


class BusyError(StoreError):
    """Another process held the log's lock for longer than this one would wait."""


def damaged(path: Path, detail: str) -> StoreError:
    return StoreError(
        f"the training log {path} cannot be read ({detail}); it was not changed",
        hint=RESTORE_HINT + ", or move the file aside to start a new log",
    )


def quiet_rollback(db: sqlite3.Connection) -> None:
    """End a transaction that failed, if SQLite has not ended it already (a full disk, an I/O
    error): the error being raised is the one to report, not 'no transaction is active'."""
    if db.in_transaction:
        try:
            db.execute("ROLLBACK")
        except sqlite3.Error:
            pass


def begin_immediate(
    db: sqlite3.Connection, timeout: float, waiting: Callable[[float], None] | None
) -> None:
    """Take the write lock. After BUSY_NOTICE_AFTER seconds, `waiting(timeout)` is told once
    (the CLI says the log is busy and how long it will wait), then the wait goes on."""
    first = min(timeout, BUSY_NOTICE_AFTER) if waiting is not None else timeout
    db.execute(f"PRAGMA busy_timeout = {int(first * 1000)}")
    try:
        db.execute("BEGIN IMMEDIATE")
        return
    except sqlite3.OperationalError as error:
        if not is_busy(error) or first >= timeout or waiting is None:
            raise
    finally:
        db.execute(f"PRAGMA busy_timeout = {int(timeout * 1000)}")
    waiting(timeout)
    db.execute(f"PRAGMA busy_timeout = {int((timeout - first) * 1000)}")
    try:
        db.execute("BEGIN IMMEDIATE")
    finally:
        db.execute(f"PRAGMA busy_timeout = {int(timeout * 1000)}")


def to_wal(db: sqlite3.Connection, timeout: float) -> None:
    """Put the log in WAL mode, waiting up to `timeout` seconds for other openers. SQLite does
    not call its busy handler for this switch: while another process reads the new file, the
    switch fails at once with "database is locked". So it is asked again, every 20 ms, until it
    holds or another opener has made the switch (first seen when eight processes opened a new
    log together on a loaded machine)."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            if db.execute("PRAGMA journal_mode").fetchone()[0].lower() == "wal":
                return
            db.execute("PRAGMA journal_mode = WAL")
            return
        except sqlite3.OperationalError as error:
            if not is_busy(error) or time.monotonic() >= deadline:
                raise
        time.sleep(0.02)


def quick_check(db: sqlite3.Connection) -> str | None:
    """None when SQLite's quick check finds the file sound, else its first complaint."""
    rows = db.execute("PRAGMA quick_check(1)").fetchall()
    first = str(rows[0][0]) if rows else "no answer"
    return None if first == "ok" else first


def integrity_check(db: sqlite3.Connection) -> str | None:
    rows = db.execute("PRAGMA integrity_check(1)").fetchall()
    first = str(rows[0][0]) if rows else "no answer"
    return None if first == "ok" else first
