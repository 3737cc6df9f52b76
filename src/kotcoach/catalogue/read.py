"""The one read path of a catalogue: every command reads it through here, and this is the fast
path. A catalogue that validated before is read from its cache entry (kotcoach.catalogue.cache)
while the file's bytes are unchanged, as only the part a command needs: the listing rows for
`list`, one exercise and its ladder for `show`, the plain planning records for `plan` and the
coach, the whole catalogue when asked. A miss, or damage found part-way, reads and validates the
file (kotcoach.catalogue.loading) and rewrites the entry.

Imports flow one way: this module uses the cache, the loader, the listing and the cached index;
none of them imports it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar, overload

from kotcoach.catalogue import cache
from kotcoach.catalogue.cache import (
    CATALOG_LISTS,
    Damaged,
    Entry,
    collector_paused,
    dumps,
    read,
    strings,
)
from kotcoach.catalogue.source import read_bytes

if TYPE_CHECKING:
    from kotcoach.catalogue.ladders import Index
    from kotcoach.catalogue.listing import Listing, Row
    from kotcoach.catalogue.models import Catalog
    from kotcoach.catalogue.plan_catalog import PlanIndex
    from kotcoach.catalogue.sheet import Sheet

T = TypeVar("T")

# The index, the listing made from a catalogue and the planning records are imported where they
# are used: `list` reads its rows from the cache without any of them, `plan` without the first two.


def load_catalog(path: Path, *, cached: bool = True) -> Catalog:
    """Read and validate a catalogue; raise CatalogError listing every problem found.

    A catalogue that validated before is read back from the cache while its bytes are
    unchanged, which skips YAML parsing and validation. `cached=False` reads the file even so,
    and rewrites the entry: for an entry found damaged part-way through.
    """
    raw = read_bytes(path)
    if cached:
        found = read_catalog(path, raw)
        if found is not None:
            return found
    from kotcoach.catalogue.loading import parse_catalog  # YAML and pydantic: only on a miss

    catalog = parse_catalog(path, raw)
    write(path, raw, catalog)
    return catalog


def _fresh(path: Path) -> Catalog:
    return load_catalog(path, cached=False)


def load_listing(path: Path) -> Listing:
    """The listing of a catalogue: from the cache when the file is unchanged, else validated."""
    cached = read_listing(path)
    if cached is not None:
        return cached
    from kotcoach.catalogue.ladders import Index
    from kotcoach.catalogue.listing import listing_of

    return listing_of(Index(load_catalog(path, cached=False)))  # a miss: read the file


# ---- the cache's ways in ---------------------------------------------------------------------


def _decoded(
    entry: Entry | None,
    decode: Callable[[Entry], T],
    damage: tuple[type[Exception], ...] = (Damaged,),
    *,
    keep_open: bool = False,
) -> T | None:
    """What `decode` reads from a cache entry, or None for a miss (no entry) or an entry it finds
    damaged. The entry is closed after, unless what was read goes on reading it (`keep_open`)."""
    if entry is None:
        return None
    try:
        return decode(entry)
    except damage:
        entry.close()
        return None
    finally:
        if not keep_open:
            entry.close()


def read_catalog(path: Path, raw: bytes) -> Catalog | None:
    """The whole catalogue from the cache, or None (a miss, damage included)."""
    return _decoded(read(path, raw), _built_catalog)


def _built_catalog(entry: Entry) -> Catalog:
    from kotcoach.catalogue.cached_index import build_catalog  # pydantic: only on a hit

    return build_catalog(entry)


def read_listing(path: Path, raw: bytes | None = None) -> Listing | None:
    """The listing rows from the cache, or None (a miss, damage included)."""
    return _decoded(read(path, raw), _listing, keep_open=True)  # rows are read as asked for


def read_plan_index(path: Path) -> PlanIndex | None:
    """The plain records plans are made from (catalogue.plan_catalog), or None (a miss, damage
    included: the caller then builds the whole index, which rewrites the entry)."""
    # Imported before the look-up: a miss builds the records from the models, which imports it.
    from kotcoach.catalogue.plan_catalog import NotRecords

    return _decoded(read(path), _plan_records, (Damaged, NotRecords))


def _plan_records(entry: Entry) -> PlanIndex:
    from kotcoach.catalogue.plan_catalog import decode

    with collector_paused():
        return decode(entry.section("planning"), list(entry.exercise_spans()))


def read_sheet(path: Path, exercise_id: str) -> tuple[Sheet, list[str]] | None:
    """One exercise as `show` draws it, and the catalogue's condition ids, from the cache without
    building a model; None for a miss or an id the catalogue does not have (the caller then reads
    the index, which says so). Damage rewrites the entry from the file, then is a miss too."""
    entry = read(path)
    if entry is None:
        return None
    from kotcoach.catalogue.sheet import sheet_from_json

    try:
        found = entry.sheet(exercise_id)
        if found is None:
            return None
        values, conditions = found
        if not strings(conditions):
            raise Damaged("sheet_spans: condition ids that are not texts")
        sheet = sheet_from_json(values)
        if sheet.id != exercise_id:
            raise Damaged(f"sheet {exercise_id!r} is not where its span says")
        return sheet, conditions
    except (Damaged, TypeError):
        entry.close()
        _fresh(path)  # rewrites the entry
        return None
    finally:
        entry.close()


if TYPE_CHECKING:  # the coach's view: `today` and `next` read it every morning
    from kotcoach.catalogue.coach_catalog import CoachCatalogue


def read_coach_catalogue(path: Path) -> CoachCatalogue | None:
    """The catalogue as the coach reads it (kotcoach.catalogue.coach_catalog: each step and
    condition read from the cache as it is asked for, no model built), or None for a miss. The
    entry stays open for those reads; damage they find is the caller's (`coaching.today` then
    decides from the whole index)."""
    entry = read(path)
    if entry is None:
        return None
    from kotcoach.catalogue.coach_catalog import CoachCatalogue

    return CoachCatalogue(entry)


def load_index(path: Path) -> Index:
    """The look-ups over a catalogue: built lazily from the cache when the file is unchanged
    (`show` then reads one exercise and its ladder), else from the validated file."""
    from kotcoach.catalogue.ladders import Index

    entry = read(path)
    if entry is not None:
        from kotcoach.catalogue.cached_index import CachedIndex

        return CachedIndex(entry, reload=_fresh)
    return Index(load_catalog(path, cached=False))  # a miss: read the file, rewrite the entry


# ---- writing ---------------------------------------------------------------------------------


def write(path: Path, raw: bytes, catalog: Catalog) -> None:
    """Store a validated catalogue. Failing to write only costs time, so it is silent."""
    if cache.folder() is None:
        return
    from kotcoach.catalogue.cached_index import encode
    from kotcoach.catalogue.ladders import Index
    from kotcoach.catalogue.listing import listing_of
    from kotcoach.catalogue.models import Catalog, Exercise
    from kotcoach.catalogue.plan_catalog import encode as encode_records

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

    add("listing", dumps({"conditions": listing.conditions, "rows": listing.rows_json()}))
    # Each exercise twice: as its fields' values in order, None included (what the models are
    # rebuilt from: half the parsing of an object with named keys), and as `list --json`
    # prints it. Both are JSON arrays with each element's span recorded, so one can be parsed
    # alone.
    encoded = [encode(Exercise, e.model_dump(mode="json")) for e in catalog.exercises]
    stored = [dumps(values) for values in encoded]
    printed = [dumps(listing.details[e.id]) for e in catalog.exercises]
    exercises_at = add("exercises", b"[" + b",".join(stored) + b"]")
    details_at = add("details", b"[" + b",".join(printed) + b"]")
    spans = []
    first, second = exercises_at + 1, details_at + 1  # after each '['
    for exercise, one, two in zip(catalog.exercises, stored, printed, strict=True):
        spans.append([exercise.id, first, first + len(one), second, second + len(two)])
        first, second = first + len(one) + 1, second + len(two) + 1  # and the ','
    add("spans", dumps(spans))
    add("ladders", dumps([[step.id for step in ladder.steps] for ladder in index.ladders]))
    for name in CATALOG_LISTS[1:]:
        field = Catalog.model_fields[name]
        add(name, dumps(encode(field.annotation, dumped[name])))
    # Whatever else Catalog holds (nothing yet), so that a new top-level field is cached too.
    add(
        "catalog",
        dumps(
            {
                name: encode(field.annotation, dumped[name])
                for name, field in Catalog.model_fields.items()
                if name not in CATALOG_LISTS and name in dumped
            }
        ),
    )
    add("search", dumps(list(listing.texts)))
    # Each exercise as `show` draws it (kotcoach.catalogue.sheet), with its span.
    from kotcoach.catalogue.sheet import sheet_of

    sheets = [dumps(sheet_of(index, exercise)) for exercise in catalog.exercises]
    at = add("sheets", b"[" + b",".join(sheets) + b"]") + 1
    sheet_spans = {}
    for exercise, sheet in zip(catalog.exercises, sheets, strict=True):
        sheet_spans[exercise.id] = [at, at + len(sheet)]
        at += len(sheet) + 1
    add("sheet_spans", dumps({"conditions": list(index.conditions), "spans": sheet_spans}))
    # What plans are made from, as plain records: kotcoach.catalogue.plan_catalog.
    add("planning", dumps(encode_records(index.for_planning())))
    cache.put(path, raw, sections, bytes(body))


def _listing(entry: Entry) -> Listing:
    """The rows for `kotcoach list`, without importing pydantic; each row is built (and its
    values' types checked) when it is first asked for."""
    data = entry.section("listing")
    if not isinstance(data, dict):
        raise Damaged("listing: not an object")
    conditions = data.get("conditions")
    rows = data.get("rows")
    if not strings(conditions) or not isinstance(rows, list):
        raise Damaged("listing: wrong shape")
    from kotcoach.catalogue.listing import Listing

    read = _Listed(entry, rows)
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

            self.entry.close()
            self.fresh = listing_of(Index(_fresh(self.entry.source)))
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
                if not strings(texts) or len(texts) != len(self._read.rows):
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
