"""A cache of validated catalogues, so that everyday commands skip YAML parsing and validation,
and read only the part of the catalogue they need.

One file per catalogue in the user's cache folder, written once the catalogue has validated:
a one-line JSON header (the format, the key, and where each section lies), then the sections,
each a JSON document: the listing rows for `kotcoach list`, and apart from them each row's text
for --search; every exercise twice, as the list of its fields' values (what models are rebuilt
from) and as `list --json` prints it, with the byte spans of each so that `show` parses one; the
ladders as lists of ids; the conditions, myths and references; and the planning section, the few
fields of every exercise and condition that plans are made from (kotcoach.catalogue.plan_catalog).
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
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeGuard, overload

if TYPE_CHECKING:
    from kotcoach.catalogue.ladders import Index
    from kotcoach.catalogue.listing import Listing, Row
    from kotcoach.catalogue.models import Catalog
    from kotcoach.catalogue.plan_catalog import PlanIndex

FORMAT = 6
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
)
MAX_ENTRY_BYTES = 64 * 1024 * 1024  # a 5 MB catalogue makes an entry of about 12 MB
_HEADER_BYTES = 4096  # the header line must end within this many bytes
CATALOG_LISTS = ("exercises", "conditions", "myths", "references")  # Catalog's lists, stored apart
_SECTIONS = ("listing", "spans", "details", "ladders", "catalog", *CATALOG_LISTS)
# Sections checked only when a command reads them: the planning section
# (catalogue.plan_catalog), and the listing's texts for --search.
_LATER_SECTIONS = ("planning", "search")
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
        header = _loads(line)
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
            self._parsed[name] = _loads(self._bytes(*self._spans[name]))
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
        data = _loads(self._bytes(span[0], span[1]))
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
            yield exercise_id, _loads(data[first - start : last - start])

    def detail(self, exercise_id: str) -> dict[str, Any] | None:
        """One exercise as `list --json` prints it; None when the catalogue has no such id."""
        span = self.exercise_spans().get(exercise_id)
        if span is None:
            return None
        data = _loads(self._bytes(span[2], span[3]))
        if type(data) is not dict or data.get("id") != exercise_id:
            raise Damaged(f"exercise {exercise_id!r} is not where the spans say")
        return data

    def listing(self) -> Listing:
        """The rows for `kotcoach list`, without importing pydantic; each row is built (and its
        values' types checked) when it is first asked for."""
        data = self.section("listing")
        if not isinstance(data, dict):
            raise Damaged("listing: not an object")
        conditions = data.get("conditions")
        rows = data.get("rows")
        if not _strings(conditions) or not isinstance(rows, list):
            raise Damaged("listing: wrong shape")
        from kotcoach.catalogue.listing import Listing

        read = _Listed(self, rows)
        return Listing(_Rows(read), list(conditions), _Details(read), _Texts(read))


class _Listed:
    """What a cached listing reads after its first section: its rows one by one, the texts for
    --search, the exercises for --json. Damage found in any of them falls back, for all three
    at once, to the listing made from the catalogue file (which also rewrites the entry)."""

    def __init__(self, entry: Entry, rows: list[Any]) -> None:
        self.entry = entry
        self.rows = rows
        self.fresh: Listing | None = None

    def from_file(self) -> Listing:
        if self.fresh is None:
            from kotcoach.catalogue.ladders import Index
            from kotcoach.catalogue.listing import listing_of
            from kotcoach.catalogue.loading import load_catalog

            self.entry.close()
            self.fresh = listing_of(Index(load_catalog(self.entry.source, cached=False)))
        return self.fresh


class _Rows(Sequence["Row"]):
    """The listing's rows, each built (its values' types checked) when first asked for."""

    def __init__(self, read: _Listed) -> None:
        self._read = read
        self._built: dict[int, Row] = {}

    def _row(self, at: int) -> Row:
        if self._read.fresh is None and at not in self._built:
            from kotcoach.catalogue.listing import row_from_json

            try:
                self._built[at] = row_from_json(self._read.rows[at])
            except TypeError:
                self._read.from_file()
        if self._read.fresh is not None:
            return self._read.fresh.rows[at]
        return self._built[at]

    @overload
    def __getitem__(self, at: int) -> Row: ...
    @overload
    def __getitem__(self, at: slice) -> Sequence[Row]: ...
    def __getitem__(self, at: int | slice) -> Row | Sequence[Row]:
        if isinstance(at, slice):
            return [self[n] for n in range(len(self))[at]]
        return self._row(range(len(self))[at])  # a negative index counts from the end

    def __len__(self) -> int:
        fresh = self._read.fresh
        return len(self._read.rows) if fresh is None else len(fresh.rows)

    def __iter__(self) -> Iterator[Row]:
        at = 0
        while at < len(self):  # the length may change once, if damage is found part-way
            yield self._row(at)
            at += 1

    def __eq__(self, other: object) -> bool:
        """Equal to a list or sequence of the same rows, as the list it stands for would be."""
        if isinstance(other, Sequence) and not isinstance(other, str):
            return list(self) == list(other)
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]  # as a list's


class _Texts(Sequence[str]):
    """The listing's texts for --search, one per row, read when first asked for."""

    def __init__(self, read: _Listed) -> None:
        self._read = read
        self._texts: list[str] | None = None

    def _all(self) -> Sequence[str]:
        if self._read.fresh is None and self._texts is None:
            try:
                texts = self._read.entry.section("search")
                if not _strings(texts) or len(texts) != len(self._read.rows):
                    raise Damaged("search: not a text for each row")
                self._texts = texts
            except Damaged:
                self._read.from_file()
        if self._read.fresh is not None:
            return self._read.fresh.texts
        assert self._texts is not None
        return self._texts

    @overload
    def __getitem__(self, at: int) -> str: ...
    @overload
    def __getitem__(self, at: slice) -> Sequence[str]: ...
    def __getitem__(self, at: int | slice) -> str | Sequence[str]:
        return self._all()[at]

    def __len__(self) -> int:
        return len(self._all())

    def __iter__(self) -> Iterator[str]:
        return iter(self._all())


class _Details(Mapping[str, dict[str, Any]]):
    """Exercise id -> the exercise as JSON data (for `list --json`), read one by one."""

    def __init__(self, read: _Listed) -> None:
        self._read = read

    def __getitem__(self, exercise_id: str) -> dict[str, Any]:
        if self._read.fresh is None:
            try:
                data = self._read.entry.detail(exercise_id)
            except Damaged:
                return self._read.from_file().details[exercise_id]
            if data is None:
                raise KeyError(exercise_id)
            return data
        return self._read.fresh.details[exercise_id]

    def __iter__(self) -> Iterator[str]:
        if self._read.fresh is None:
            try:
                return iter(self._read.entry.exercise_spans())
            except Damaged:
                return iter(self._read.from_file().details)
        return iter(self._read.fresh.details)

    def __len__(self) -> int:
        return sum(1 for _ in self)


def _loads(data: bytes) -> Any:
    try:
        return json.loads(data)
    except (ValueError, RecursionError) as error:  # bad JSON or bad UTF-8
        raise Damaged(f"not JSON: {error}") from None


def _strings(value: Any) -> TypeGuard[list[str]]:
    return isinstance(value, list) and all(type(item) is str for item in value)


# ---- the ways in ---------------------------------------------------------------------------------


def read_catalog(path: Path, raw: bytes) -> Catalog | None:
    """The whole catalogue from the cache, or None (a miss, damage included)."""
    entry = read(path, raw)
    if entry is None:
        return None
    from kotcoach.catalogue.cached_index import build_catalog

    try:
        return build_catalog(entry)
    except Damaged:
        return None
    finally:
        entry.close()


def read_listing(path: Path, raw: bytes | None = None) -> Listing | None:
    """The listing rows from the cache, or None (a miss, damage included)."""
    entry = read(path, raw)
    if entry is None:
        return None
    try:
        return entry.listing()
    except Damaged:
        entry.close()
        return None


def read_plan_index(path: Path) -> PlanIndex | None:
    """The plain records plans are made from (catalogue.plan_catalog), or None (a miss, damage
    included: the caller then builds the whole index, which rewrites the entry)."""
    entry = read(path)
    if entry is None:
        return None
    from kotcoach.catalogue.plan_catalog import NotRecords, decode

    try:
        with collector_paused():
            return decode(entry.section("planning"), list(entry.exercise_spans()))
    except (Damaged, NotRecords):
        return None
    finally:
        entry.close()


def load_index(path: Path) -> Index:
    """The look-ups over a catalogue: built lazily from the cache when the file is unchanged
    (`show` then reads one exercise and its ladder), else from the validated file."""
    entry = read(path)
    if entry is not None:
        from kotcoach.catalogue.cached_index import CachedIndex

        return CachedIndex(entry)
    from kotcoach.catalogue.ladders import Index
    from kotcoach.catalogue.loading import load_catalog

    return Index(load_catalog(path, cached=False))  # a miss: read the file, rewrite the entry


# ---- writing ---------------------------------------------------------------------------------


def write(path: Path, raw: bytes, catalog: Catalog) -> None:
    """Store a validated catalogue. Failing to write only costs time, so it is silent."""
    where = _entry_path(path)
    if where is None:
        return
    from kotcoach.catalogue import plan_catalog
    from kotcoach.catalogue.cached_index import encode
    from kotcoach.catalogue.ladders import Index
    from kotcoach.catalogue.listing import listing_of
    from kotcoach.catalogue.models import Catalog, Exercise

    index = Index(catalog)
    listing = listing_of(index)
    dumped = catalog.model_dump(mode="json", exclude={"exercises"})  # None kept: every field
    body = bytearray()
    sections: dict[str, list[int]] = {}

    def add(name: str, data: bytes) -> int:
        start = len(body)
        body.extend(data)
        sections[name] = [start, len(body)]
        return start

    add("listing", _dumps({"conditions": listing.conditions, "rows": listing.rows_json()}))
    # Each exercise twice: as its fields' values in order, None included (what the models are
    # rebuilt from: half the parsing of an object with named keys), and as `list --json`
    # prints it. Both are JSON arrays with each element's span recorded, so one can be parsed
    # alone.
    encoded = [encode(Exercise, e.model_dump(mode="json")) for e in catalog.exercises]
    stored = [_dumps(values) for values in encoded]
    printed = [_dumps(listing.details[e.id]) for e in catalog.exercises]
    exercises_at = add("exercises", b"[" + b",".join(stored) + b"]")
    details_at = add("details", b"[" + b",".join(printed) + b"]")
    spans = []
    first, second = exercises_at + 1, details_at + 1  # after each '['
    for exercise, one, two in zip(catalog.exercises, stored, printed, strict=True):
        spans.append([exercise.id, first, first + len(one), second, second + len(two)])
        first, second = first + len(one) + 1, second + len(two) + 1  # and the ','
    add("spans", _dumps(spans))
    add("ladders", _dumps([[step.id for step in ladder.steps] for ladder in index.ladders]))
    for name in CATALOG_LISTS[1:]:
        field = Catalog.model_fields[name]
        add(name, _dumps(encode(field.annotation, dumped[name])))
    # Whatever else Catalog holds (nothing yet), so that a new top-level field is cached too.
    add(
        "catalog",
        _dumps(
            {
                name: encode(field.annotation, dumped[name])
                for name, field in Catalog.model_fields.items()
                if name not in CATALOG_LISTS and name in dumped
            }
        ),
    )
    add("search", _dumps(list(listing.texts)))
    # What plans are made from, as plain records: kotcoach.catalogue.plan_catalog.
    add("planning", _dumps(plan_catalog.encode(index.for_planning())))
    header = _dumps({"format": FORMAT, "key": _key(raw), "sections": sections}) + b"\n"
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


def _dumps(data: Any) -> bytes:
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
