"""A cache of validated catalogues, so that everyday commands skip YAML parsing and validation,
and read only the part of the catalogue they need.

One file per catalogue in the user's cache folder, written once the catalogue has validated:
a one-line JSON header (the format, the key, and where each section lies), then the sections,
each a JSON document: the listing rows for `kotcoach list`, and apart from them each row's text
for --search; every exercise three times, as the list of its fields' values (what models are
rebuilt from), as `list --json` prints it, and as `show` draws it (its sheet:
kotcoach.catalogue.sheet), with the byte spans of each so that one is parsed alone; the ladders as
lists of ids; the conditions, myths and references; and the planning section, the few fields of
every exercise and condition that plans are made from (kotcoach.catalogue.plan_catalog).
The key hashes the file's bytes (read a megabyte at a time, never held whole) and the code that
decides what they validate to, so a stale entry is never served. Stdlib only: `list` reads its
rows without importing pydantic.

Anything odd about an entry is a miss and the catalogue is read afresh: missing, unreadable,
another key, not a regular file (a symlink, a FIFO, a device), too big, or sections that are not
the JSON they should be. Damage found after part of an entry was used (a row, the search texts,
the planning section) falls back to the file for the rest, and rewrites the entry. Entries are
written to a temporary file and renamed into place, so a reader sees a whole old entry or a whole
new one, never a mix, and concurrent runs are safe.

Where: $KOTCOACH_CACHE_DIR, else platformdirs' user cache folder (on Linux $XDG_CACHE_HOME/kotcoach
when that is an absolute path, else ~/.cache/kotcoach). KOTCOACH_NO_CACHE=1 (or true, yes) turns
it off.
"""

from __future__ import annotations

import gc
import hashlib
import json
import os
import stat
import weakref
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeGuard

if TYPE_CHECKING:
    pass

FORMAT = 7  # 7: the sheets `show` draws
# Code whose change could change what a catalogue validates to, lists as, or is stored as.
_MODEL_CODE = (  # paths below the kotcoach package
    "catalogue/models.py",
    "base/vocab.py",
    "catalogue/loading.py",
    "catalogue/ladders.py",
    "catalogue/listing.py",
    "catalogue/cache.py",
    "catalogue/cached_index.py",
    "catalogue/plan_catalog.py",
    "catalogue/steps.py",
    "catalogue/doses.py",
    "catalogue/read.py",
    "catalogue/staging.py",
    "catalogue/sheet.py",
)
MAX_ENTRY_BYTES = 64 * 1024 * 1024  # a 5 MB catalogue makes an entry of about 12 MB
_HEADER_BYTES = 4096  # the header line must end within this many bytes
CATALOG_LISTS = ("exercises", "conditions", "myths", "references")  # Catalog's lists, stored apart
_SECTIONS = ("listing", "spans", "details", "ladders", "catalog", *CATALOG_LISTS)
# Sections checked only when a command reads them: the planning section
# (catalogue.plan_catalog), the listing's texts for --search, and the sheets `show` draws.
_LATER_SECTIONS = ("planning", "search", "sheets", "sheet_spans")
_TRUE = frozenset({"1", "true", "yes"})


class Damaged(Exception):
    """A cache entry that is not what it should be. Callers treat it as a miss."""


@contextmanager
def collector_paused() -> Iterator[None]:
    """The cycle collector paused while a large tree of objects is built (a parsed catalogue,
    thousands of models): it would find nothing, yet walk everything alive again and again as
    the tree grows, which doubles the time a plan on 2,000 exercises takes to build them."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def folder() -> Path | None:
    """Where entries live, or None when the cache is turned off."""
    if os.environ.get("KOTCOACH_NO_CACHE", "").strip().lower() in _TRUE:
        return None
    explicit = os.environ.get("KOTCOACH_CACHE_DIR")
    if explicit:
        return Path(explicit)
    import platformdirs

    where = platformdirs.user_cache_path("kotcoach", appauthor=False)
    if not where.is_absolute():
        # Older platformdirs take a relative $XDG_CACHE_HOME as it is; the XDG spec says to
        # ignore it, which leaves the default.
        where = Path.home() / ".cache" / "kotcoach"
    return where


def _key(raw: bytes) -> str:
    return _key_from(hashlib.sha256(raw))


def _file_key(path: Path) -> str:
    """The key of the file's current bytes (as _key(read_bytes(path))), read a piece at a time:
    a hit never holds the catalogue file in memory."""
    from kotcoach.catalogue.source import digest_file

    digest = hashlib.sha256()
    digest_file(path, digest.update)
    return _key_from(digest)


def _key_from(digest: hashlib._Hash) -> str:
    here = Path(__file__).resolve().parents[1]
    for name in _MODEL_CODE:  # a change to the model code invalidates every entry
        digest.update((here / name).read_bytes())
    digest.update(str(FORMAT).encode())
    return digest.hexdigest()


def _entry_path(path: Path) -> Path | None:
    where = folder()
    if where is None:
        return None
    name = hashlib.sha256(str(path.resolve()).encode()).hexdigest()[:24]
    return where / f"{name}.kcache"


# ---- reading ---------------------------------------------------------------------------------


def read(path: Path, raw: bytes | None = None) -> Entry | None:
    """The entry for a catalogue file with these bytes (by default, those it holds now), or None
    (a miss). An unreadable catalogue file raises UnreadableCatalog, as reading it would."""
    where = _entry_path(path)
    if where is None:
        return None
    key = _file_key(path) if raw is None else _key(raw)
    try:
        return Entry(path, where, key)
    except (OSError, Damaged):
        return None


class Entry:
    """An open cache entry. Sections are read and parsed when first asked for.

    The entry's file stays open, so what is read later comes from the same entry even if another
    run replaces the file meanwhile. Any section found damaged raises Damaged.
    """

    def __init__(self, source: Path, where: Path, key: str) -> None:
        self.source = source  # the catalogue file, for falling back to it
        flags = os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0)
        fd = os.open(where, flags)  # no symlinks followed; a FIFO does not block the open
        self._closer = weakref.finalize(self, os.close, fd)
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode) or info.st_size > MAX_ENTRY_BYTES:
            raise Damaged("not a regular file of a sensible size")
        self._fd, self._size = fd, info.st_size
        head = os.pread(fd, min(_HEADER_BYTES, self._size), 0)
        line, newline, _ = head.partition(b"\n")
        if not newline:
            raise Damaged("no header line")
        header = loads(line)
        if not isinstance(header, dict) or header.get("format") != FORMAT:
            raise Damaged("another format")
        if header.get("key") != key:
            raise Damaged("another key")  # the file or the model code changed: stale
        self._body = len(line) + 1
        self._header_sections = header.get("sections")
        self._spans = {name: self._span(self._header_sections, name) for name in _SECTIONS}
        self._parsed: dict[str, Any] = {}
        self._exercise_spans: dict[str, tuple[int, int, int, int]] | None = None

    def close(self) -> None:
        self._closer()

    def _span(self, sections: Any, name: str) -> tuple[int, int]:
        span = sections.get(name) if isinstance(sections, dict) else None
        return self._checked_span(span)

    def _checked_span(self, span: Any) -> tuple[int, int]:
        if (
            not isinstance(span, list)
            or len(span) != 2
            or not all(type(n) is int for n in span)
            or not 0 <= span[0] <= span[1] <= self._size - self._body
        ):
            raise Damaged("a section outside the file")
        return span[0], span[1]

    def _bytes(self, start: int, end: int) -> bytes:
        data = os.pread(self._fd, end - start, self._body + start)
        if len(data) != end - start:
            raise Damaged("the file is shorter than its header says")
        return data

    def section(self, name: str) -> Any:
        """A section parsed from JSON (once per entry)."""
        if name not in self._parsed:
            if name not in self._spans and name in _LATER_SECTIONS:
                self._spans[name] = self._span(self._header_sections, name)
            self._parsed[name] = loads(self._bytes(*self._spans[name]))
        return self._parsed[name]

    def section_bytes(self, name: str) -> tuple[int, bytes]:
        """A section's raw bytes, with its offset for slicing it by exercise span."""
        start, end = self._spans[name]
        return start, self._bytes(start, end)

    def exercise_spans(self) -> dict[str, tuple[int, int, int, int]]:
        """Exercise id -> the spans of its two forms (stored, then as JSON), in catalogue order."""
        if self._exercise_spans is None:
            spans = self.section("spans")
            if not isinstance(spans, list):
                raise Damaged("spans: not a list")
            found: dict[str, tuple[int, int, int, int]] = {}
            size = self._size - self._body
            for item in spans:  # as _checked_span, inline: 2,000 of these on a large catalogue
                if type(item) is not list or len(item) != 5:
                    raise Damaged("spans: not [id, start, end, start, end]")
                name, first, last, start, end = item
                if not (
                    type(name) is str
                    and type(first) is int
                    and type(last) is int
                    and type(start) is int
                    and type(end) is int
                    and 0 <= first <= last <= size
                    and 0 <= start <= end <= size
                ):
                    raise Damaged("spans: not [id, start, end, start, end] inside the file")
                found[name] = (first, last, start, end)
            self._exercise_spans = found
        return self._exercise_spans

    def exercise_data(self, exercise_id: str) -> list[Any] | None:
        """One exercise in its stored form (its fields' values in order), read on its own; None
        when the catalogue has no such id."""
        span = self.exercise_spans().get(exercise_id)
        if span is None:
            return None
        data = loads(self._bytes(span[0], span[1]))
        if type(data) is not list:
            raise Damaged(f"exercise {exercise_id!r} is not where the spans say")
        return data

    def exercise_datas(self) -> Iterator[tuple[str, Any]]:
        """Every exercise's id and stored form, in catalogue order, from one read."""
        spans = self.exercise_spans()
        start, end = self._spans["exercises"]
        data = self._bytes(start, end)
        for exercise_id, (first, last, _, _) in spans.items():
            if not start <= first <= last <= end:
                raise Damaged("spans: an exercise outside its section")
            yield exercise_id, loads(data[first - start : last - start])

    def detail(self, exercise_id: str) -> dict[str, Any] | None:
        """One exercise as `list --json` prints it; None when the catalogue has no such id."""
        span = self.exercise_spans().get(exercise_id)
        if span is None:
            return None
        data = loads(self._bytes(span[2], span[3]))
        if type(data) is not dict or data.get("id") != exercise_id:
            raise Damaged(f"exercise {exercise_id!r} is not where the spans say")
        return data

    def sheet(self, exercise_id: str) -> tuple[Any, Any] | None:
        """One exercise's sheet (kotcoach.catalogue.sheet) in its stored form, read on its own,
        and the catalogue's condition ids; None when the catalogue has no such id."""
        index = self.section("sheet_spans")
        if not isinstance(index, dict) or not isinstance(index.get("spans"), dict):
            raise Damaged("sheet_spans: not an object of spans")
        span = index["spans"].get(exercise_id)
        if span is None:
            return None
        if "sheets" not in self._spans:
            self._spans["sheets"] = self._span(self._header_sections, "sheets")
        start, end = self._spans["sheets"]
        first, last = self._checked_span(span)
        if not start <= first <= last <= end:
            raise Damaged(f"sheet {exercise_id!r}: outside its section")
        return loads(self._bytes(first, last)), index.get("conditions")


def loads(data: bytes) -> Any:
    try:
        return json.loads(data)
    except (ValueError, RecursionError) as error:  # bad JSON or bad UTF-8
        raise Damaged(f"not JSON: {error}") from None


def strings(value: Any) -> TypeGuard[list[str]]:
    return isinstance(value, list) and all(type(item) is str for item in value)


def put(path: Path, raw: bytes, sections: dict[str, list[int]], body: bytes) -> None:
    """Store an entry for the catalogue file at `path` (whose bytes are `raw`): the sections'
    spans in the header, then the body. Failing to write only costs time, so it is silent."""
    where = _entry_path(path)
    if where is None:
        return
    header = dumps({"format": FORMAT, "key": _key(raw), "sections": sections}) + b"\n"
    import tempfile

    try:
        where.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=where.parent, suffix=".tmp")
        try:
            with os.fdopen(handle, "wb") as out:
                out.write(header)
                out.write(body)
            os.replace(temporary, where)  # atomic: readers see the old entry or the new one
        finally:
            Path(temporary).unlink(missing_ok=True)
    except OSError:
        pass  # the cache only saves time: a read-only or full disk must not stop the command


def dumps(data: Any) -> bytes:
    """JSON as entries store it: compact UTF-8."""
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
