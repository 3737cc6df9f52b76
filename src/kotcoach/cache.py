"""A cache of validated catalogues, so that everyday commands skip YAML parsing and validation.

A catalogue that validated is stored as JSON under the user's cache folder, keyed by a hash of
the file's bytes and of the model code, together with its listing rows. `kotcoach list` reads
the rows alone, without importing pydantic; other commands rebuild the models with
`model_construct` (no validation: the data was validated when it was written). Anything odd about
an entry (missing, unreadable, another key, malformed) is a miss, and the file is read afresh.

Where: $KOTCOACH_CACHE_DIR, else $XDG_CACHE_HOME/kotcoach, else ~/.cache/kotcoach.
KOTCOACH_NO_CACHE=1 turns it off. Stdlib only at import time.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
import types
from dataclasses import dataclass
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, Union, get_args, get_origin

from kotcoach.listing import Listing

if TYPE_CHECKING:
    from kotcoach.models import Catalog

FORMAT = 1
# Code whose change could change what a catalogue validates to or lists as.
_MODEL_CODE = ("models.py", "vocab.py", "catalog.py", "ladders.py", "listing.py")


@dataclass(frozen=True)
class Entry:
    listing: Listing
    data: dict[str, Any]

    def catalog(self) -> Catalog:
        from kotcoach.models import Catalog

        catalog = rebuild(Catalog, self.data)
        assert isinstance(catalog, Catalog)
        return catalog


def folder() -> Path | None:
    if os.environ.get("KOTCOACH_NO_CACHE"):
        return None
    explicit = os.environ.get("KOTCOACH_CACHE_DIR")
    if explicit:
        return Path(explicit)
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "kotcoach"


def _key(raw: bytes) -> str:
    digest = hashlib.sha256(raw)
    here = Path(__file__).parent
    for name in _MODEL_CODE:  # a change to the model code invalidates every entry
        digest.update((here / name).read_bytes())
    digest.update(str(FORMAT).encode())
    return digest.hexdigest()


def _entry_path(path: Path) -> Path | None:
    where = folder()
    if where is None:
        return None
    name = hashlib.sha256(str(path.resolve()).encode()).hexdigest()[:24]
    return where / f"{name}.json"


def read(path: Path, raw: bytes) -> Entry | None:
    entry = _entry_path(path)
    if entry is None:
        return None
    try:
        stored = json.loads(entry.read_text(encoding="utf-8"))
        if stored.get("key") != _key(raw):
            return None
        return Entry(Listing.from_json(stored["listing"]), stored["catalog"])
    except (OSError, ValueError, KeyError, TypeError):
        return None  # a damaged entry is a miss; the next successful load rewrites it


def write(path: Path, raw: bytes, catalog: Catalog) -> None:
    from kotcoach.ladders import Index
    from kotcoach.listing import listing_of

    entry = _entry_path(path)
    if entry is None:
        return
    data = {
        "key": _key(raw),
        "catalog": catalog.model_dump(mode="json", exclude_none=True),
        "listing": listing_of(Index(catalog)).to_json(),
    }
    try:
        entry.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=entry.parent, suffix=".tmp")
        try:
            with os.fdopen(handle, "w", encoding="utf-8") as out:
                json.dump(data, out, ensure_ascii=False)
            os.replace(temporary, entry)
        finally:
            Path(temporary).unlink(missing_ok=True)
    except OSError:
        pass  # the cache only saves time: a read-only or full disk must not stop the command


def rebuild(annotation: Any, value: Any) -> Any:
    """Models, enums and lists from JSON data that passed validation when it was cached."""
    from pydantic import BaseModel

    if value is None:
        return None
    origin = get_origin(annotation)
    if origin is Annotated:
        return rebuild(get_args(annotation)[0], value)
    if origin is Union or origin is types.UnionType:
        (inner,) = [arg for arg in get_args(annotation) if arg is not type(None)]
        return rebuild(inner, value)
    if origin is list:
        (inner,) = get_args(annotation)
        return [rebuild(inner, item) for item in value]
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        fields = {
            name: rebuild(field.annotation, value[name])
            for name, field in annotation.model_fields.items()
            if name in value
        }
        return annotation.model_construct(**fields)
    if isinstance(annotation, type) and issubclass(annotation, Enum):
        return annotation(value)
    return value
