"""Find, read, parse and validate catalogue files. Nothing else in kotcoach touches YAML.

Reading is defensive: the file is size-capped, must be UTF-8, is parsed with PyYAML's safe
loader (libyaml's C parser when available), and may not use anchors or aliases, so an alias bomb
is refused before anything is expanded. Every problem is reported with file:line:column and the
field path, mapped back through the YAML node tree.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Generator, Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ValidationError

from kotcoach.base.errors import CatalogError, Problem
from kotcoach.catalogue.cache import collector_paused
from kotcoach.catalogue.models import Catalog
from kotcoach.catalogue.source import builtin_catalog_path, read_bytes, resolve_catalog_path

Loc = tuple[str | int, ...]
LinkProblem = tuple[Loc, str]
MAX_DEPTH = 40  # a catalogue needs about 6 levels; this keeps the walk far from the stack limit
# Problems listed in full; beyond these they are only counted, so that a file broken in every
# record (thousands of problems) is reported in seconds, not minutes.
MAX_LISTED = 50
MAX_SHOWN_CHARS = 60  # a name quoted in a message is cut to this many characters

try:
    _Loader: type[yaml.SafeLoader] = yaml.CSafeLoader  # type: ignore[assignment]
except AttributeError:  # PyYAML built without libyaml
    _Loader = yaml.SafeLoader

_STR_TAG = "tag:yaml.org,2002:str"
# The tags plain YAML resolves to by itself; an explicit tag such as !!python/object is refused.
_PLAIN_TAGS = frozenset(
    f"tag:yaml.org,2002:{name}"
    for name in ("str", "int", "float", "bool", "null", "timestamp", "seq", "map")
)
_CONSTRUCTOR = yaml.constructor.SafeConstructor()


__all__ = [
    "Checked",
    "builtin_catalog_path",
    "check_catalog",
    "parse_catalog",
    "resolve_catalog_path",
]


@dataclass(frozen=True)
class Checked:
    """What checking a file found: the catalogue when valid, else the first problems and a count
    of those beyond them. Unpacks as `catalog, problems`."""

    catalog: Catalog | None
    problems: list[Problem]
    unlisted: int = 0

    @property
    def total(self) -> int:
        return len(self.problems) + self.unlisted

    def __iter__(self) -> Iterator[Any]:
        return iter((self.catalog, self.problems))


def parse_catalog(path: Path, raw: bytes) -> Catalog:
    """Parse and validate a catalogue file's bytes; raise CatalogError listing every problem
    found. Commands read catalogues through kotcoach.catalogue.read, which caches the result."""
    checked = _check(path, raw)
    if checked.catalog is None:
        raise CatalogError(checked.problems, checked.unlisted)
    return checked.catalog


def check_catalog(path: Path) -> Checked:
    """The problems in a catalogue file (the first MAX_LISTED, and a count of the rest), and the
    catalogue when there are none."""
    return _check(path, read_bytes(path))


def _check(path: Path, raw: bytes) -> Checked:
    # The cycle collector finds nothing in a YAML tree but walks it again and again as it
    # grows: pausing it makes a large file about a third faster to check.
    with collector_paused():
        return _check_text(path, raw)


def _check_text(path: Path, raw: bytes) -> Checked:
    shown = str(path)
    text = _decode(shown, raw)
    root = _compose(text, shown)
    data, problems, unlisted = _construct(root, shown)
    if problems:
        return Checked(None, problems, unlisted)
    if not isinstance(data, dict):
        message = "the top level must be a mapping with the key 'exercises'"
        return Checked(None, [_at(shown, root, message)])
    tree = _Tree(root)
    try:
        catalog = Catalog.model_validate(data)
    except ValidationError as error:
        # Without inputs and contexts: on 150,000 errors this is 5 times faster.
        errors = error.errors(include_url=False, include_input=False, include_context=False)
        listed = [_validation_problem(shown, tree, e, data) for e in errors[:MAX_LISTED]]
        return Checked(None, listed, len(errors) - len(listed))
    listed, unlisted = [], 0
    for loc, message in link_problems(catalog):
        if len(listed) < MAX_LISTED:
            listed.append(Problem(shown, message, *tree.position(loc), loc=_dotted(loc)))
        else:
            unlisted += 1
    return Checked(None if listed else catalog, listed, unlisted)


def _decode(shown: str, raw: bytes) -> str:
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        column = error.start - (raw.rfind(b"\n", 0, error.start) + 1) + 1
        message = f"byte 0x{raw[error.start]:02x} is not UTF-8: save the file as UTF-8"
        raise CatalogError([Problem(shown, message, line, column)]) from None
    if not text.strip():
        raise CatalogError([Problem(shown, "the file is empty: it needs an 'exercises:' list")])
    return text


def _compose(text: str, shown: str) -> yaml.Node:
    try:
        root = yaml.compose(text, Loader=_Loader)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        what = " ".join(filter(None, [error.context, error.problem]))
        line, column = (mark.line + 1, mark.column + 1) if mark else (None, None)
        raise CatalogError([Problem(shown, f"YAML syntax error: {what}", line, column)]) from None
    except yaml.YAMLError as error:
        raise CatalogError([Problem(shown, f"YAML error: {error}")]) from None
    if root is None:
        raise CatalogError([Problem(shown, "the file is empty: it needs an 'exercises:' list")])
    return root


def _construct(root: yaml.Node, shown: str) -> tuple[Any, list[Problem], int]:
    """Plain Python data from the node tree, refusing aliases and duplicate keys.

    The composer hands back an alias as the very node its anchor named, so a node met twice is
    an alias. Stopping at the first repeat keeps the walk linear even for an alias bomb. Returns
    the data, the first MAX_LISTED problems and a count of the rest.
    """
    seen: set[int] = set()
    problems: list[Problem] = []
    unlisted = 0

    def problem(node: yaml.Node, message: str) -> None:
        nonlocal unlisted
        if len(problems) < MAX_LISTED:
            problems.append(_at(shown, node, message))
        else:
            unlisted += 1

    def build(node: yaml.Node, depth: int = 0) -> Any:
        if depth > MAX_DEPTH:
            problem(node, f"nested deeper than {MAX_DEPTH} levels")
            return None
        if node.tag not in _PLAIN_TAGS:
            tag = node.tag.replace("tag:yaml.org,2002:", "!!")
            problem(node, f"the YAML tag '{_cut(tag)}' is not allowed: remove it")
            return None
        if id(node) in seen:
            problem(node, "anchors and aliases (&name, *name) are not allowed: write it out")
            return None
        seen.add(id(node))
        if isinstance(node, yaml.ScalarNode):
            if node.tag == _STR_TAG:
                return node.value
            return _scalar(node, problem)
        if isinstance(node, yaml.SequenceNode):
            return [build(item, depth + 1) for item in node.value]
        if isinstance(node, yaml.MappingNode):
            result: dict[Any, Any] = {}
            for key_node, value_node in node.value:
                key = build(key_node, depth + 1)
                if not isinstance(key, str | int):
                    problem(key_node, "keys must be plain text")
                    continue
                if key in result:
                    problem(key_node, f"duplicate key '{_cut(str(key))}': keep only one")
                result[key] = build(value_node, depth + 1)
            return result
        problem(node, "unsupported YAML node")
        return None

    return build(root), problems, unlisted


def _scalar(node: yaml.ScalarNode, problem: Any) -> Any:
    """A number, boolean, null or date; one PyYAML cannot build is a problem at its line.

    PyYAML raises ValueError for a number of more than 4,300 digits (Python's limit on int
    conversion) and for dates such as 2020-99-99; OverflowError is there for the same class.
    """
    try:
        return _CONSTRUCTOR.construct_object(node)
    except (ValueError, OverflowError, yaml.YAMLError):
        kind = node.tag.rsplit(":", 1)[-1]
        if kind == "int":
            problem(node, f"a number of {len(node.value):,} characters is too long to read")
        else:
            problem(node, f"'{_cut(node.value)}' is not a valid {kind} (quote it if it is text)")
        return None


def _cut(text: str) -> str:
    """A name quoted in a message, cut so that a huge value cannot flood the report."""
    if len(text) <= MAX_SHOWN_CHARS:
        return text
    return f"{text[: MAX_SHOWN_CHARS - 3]}... ({len(text):,} characters)"


def _at(shown: str, node: yaml.Node, message: str) -> Problem:
    return Problem(shown, message, node.start_mark.line + 1, node.start_mark.column + 1)


def _dotted(loc: Sequence[str | int]) -> str:
    return ".".join(_cut(str(part)) for part in loc)


class _Tree:
    """Finds the node at a field path, indexing each mapping's keys on first use.

    Looking keys up by scanning was quadratic: 150,000 unknown keys in one mapping took minutes.
    """

    def __init__(self, root: yaml.Node) -> None:
        self.root = root
        self._keys: dict[int, dict[str, tuple[yaml.Node, yaml.Node]]] = {}

    def _pair(self, node: yaml.MappingNode, key: str) -> tuple[yaml.Node, yaml.Node] | None:
        index = self._keys.get(id(node))
        if index is None:
            index = {}
            for key_node, value_node in node.value:
                index.setdefault(str(key_node.value), (key_node, value_node))
            self._keys[id(node)] = index
        return index.get(key)

    def _child(self, node: yaml.Node, part: str | int) -> yaml.Node | None:
        if isinstance(node, yaml.MappingNode):
            pair = self._pair(node, str(part))
            return pair[1] if pair else None
        if isinstance(node, yaml.SequenceNode) and isinstance(part, int):
            return node.value[part] if 0 <= part < len(node.value) else None
        return None

    def node_at(self, loc: Sequence[str | int]) -> yaml.Node:
        """The node at a field path, or its nearest existing parent."""
        node = self.root
        for part in loc:
            child = self._child(node, part)
            if child is None:
                break
            node = child
        return node

    def position(self, loc: Sequence[str | int]) -> tuple[int, int]:
        mark = self.node_at(loc).start_mark
        return mark.line + 1, mark.column + 1

    def key_position(self, loc: Sequence[str | int]) -> tuple[int, int]:
        """Where an unknown key is written: the key itself, not its value."""
        parent = self.node_at(loc[:-1])
        pair = self._pair(parent, str(loc[-1])) if isinstance(parent, yaml.MappingNode) else None
        mark = (pair[0] if pair else parent).start_mark
        return mark.line + 1, mark.column + 1


def _validation_problem(shown: str, tree: _Tree, error: Any, data: Any) -> Problem:
    loc: Loc = tuple(part for part in error["loc"] if not _is_union_tag(part))
    kind = error["type"]
    if kind == "extra_forbidden":
        line, column = tree.key_position(loc)
        allowed = _allowed_keys(loc[:-1])
        close = difflib.get_close_matches(str(loc[-1])[:MAX_SHOWN_CHARS], allowed, n=1)
        hint = f"did you mean '{close[0]}'?" if close else f"allowed keys: {', '.join(allowed)}"
        message = f"unknown key '{_cut(str(loc[-1]))}' ({hint})"
        return Problem(shown, message, line, column, _dotted(loc))
    line, column = tree.position(loc)
    if kind == "missing":
        message = f"missing required key '{loc[-1]}'"
    else:
        message = str(error["msg"]).removeprefix("Value error, ")
    if kind == "string_pattern_mismatch":
        message = "must be lowercase letters, digits and single hyphens, e.g. 'tib-raise-wall'"
    given = _value_at(data, error["loc"]) if kind == "enum" else None
    if isinstance(given, str):
        expected = re.findall(r"'([^']+)'", str(error["msg"]))
        close = difflib.get_close_matches(given[:MAX_SHOWN_CHARS], expected, n=1)
        message += f" (did you mean '{close[0]}'?)" if close else ""
    return Problem(shown, message, line, column, _dotted(loc))


def _value_at(data: Any, loc: Sequence[str | int]) -> Any:
    """The value a field path names in the plain data, or None."""
    for part in loc:
        if isinstance(data, dict):
            data = data.get(part)
        elif isinstance(data, list) and isinstance(part, int) and 0 <= part < len(data):
            data = data[part]
        else:
            return None
    return data


def _is_union_tag(part: str | int) -> bool:
    # pydantic adds the member type's name to the loc of errors inside `X | None` fields
    return isinstance(part, str) and ("[" in part or part in {"int", "str", "bool"})


def _allowed_keys(loc: Sequence[str | int]) -> list[str]:
    """The keys the model at a field path accepts, for 'did you mean' hints."""
    model: type[BaseModel] = Catalog
    for part in loc:
        if isinstance(part, int):
            continue
        field = model.model_fields.get(part)
        inner = _model_in(field.annotation) if field else None
        if inner is None:
            break
        model = inner
    return list(model.model_fields)


def _model_in(annotation: Any) -> type[BaseModel] | None:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in getattr(annotation, "__args__", ()):
        found = _model_in(arg)
        if found is not None:
            return found
    return None


def link_problems(catalog: Catalog) -> Generator[LinkProblem, None, None]:
    """Rules that span records: unique ids, links that resolve, ladders without cycles."""
    exercise_ids: dict[str, int] = {}
    for i, exercise in enumerate(catalog.exercises):
        if exercise.id in exercise_ids:
            first = exercise_ids[exercise.id]
            yield (
                ("exercises", i, "id"),
                (f"duplicate id '{exercise.id}' (first used by exercises.{first})"),
            )
        else:
            exercise_ids[exercise.id] = i
    condition_ids = yield from _unique_ids("conditions", [c.id for c in catalog.conditions], "id")
    yield from _unique_ids("myths", [m.id for m in catalog.myths], "id")
    keys = [r.key for r in catalog.references]
    reference_keys = yield from _unique_ids("references", keys, "key")

    suggest = Suggester(exercise_ids)

    def missing_exercise(name: str) -> str:
        close = suggest(name)
        suggestion = f" (did you mean '{close}'?)" if close else ""
        return f"no exercise has the id '{name}'{suggestion}"

    def check_refs(loc: Loc, keys: list[str]) -> Iterator[LinkProblem]:
        for j, key in enumerate(keys):
            if key not in reference_keys:
                yield (*loc, j), f"no reference has the key '{key}': add it under 'references'"

    predecessor: dict[str, str] = {}
    for i, exercise in enumerate(catalog.exercises):
        here: Loc = ("exercises", i)
        target = exercise.progression
        if target is not None:
            if target == exercise.id:
                yield (*here, "progression"), "an exercise cannot progress to itself"
            elif target not in exercise_ids:
                yield (*here, "progression"), missing_exercise(target)
            elif target in predecessor:
                yield (
                    (*here, "progression"),
                    (
                        f"'{predecessor[target]}' already progresses to '{target}': "
                        "a ladder is a single line, so give each step one easier step"
                    ),
                )
            else:
                predecessor[target] = exercise.id
        for j, caution in enumerate(exercise.cautions):
            if caution.condition not in condition_ids:
                yield (
                    (*here, "cautions", j, "condition"),
                    (f"no condition has the id '{caution.condition}': add it under 'conditions'"),
                )
            if caution.substitute is not None and caution.substitute not in exercise_ids:
                yield (*here, "cautions", j, "substitute"), missing_exercise(caution.substitute)
        if exercise.evidence is not None:
            yield from check_refs((*here, "evidence", "references"), exercise.evidence.references)
        if exercise.rep_scheme is not None:
            yield from check_refs(
                (*here, "rep_scheme", "references"), exercise.rep_scheme.references
            )
    yield from _cycles(catalog, exercise_ids)
    for i, condition in enumerate(catalog.conditions):
        for field in ("favour", "avoid"):
            for j, name in enumerate(getattr(condition, field)):
                if name not in exercise_ids:
                    yield ("conditions", i, field, j), missing_exercise(name)
        yield from check_refs(("conditions", i, "references"), condition.references)
        if condition.protocol is not None:
            here = ("conditions", i, "protocol")
            if condition.protocol.exercise not in exercise_ids:
                yield (*here, "exercise"), missing_exercise(condition.protocol.exercise)
            yield from check_refs((*here, "references"), condition.protocol.references)
        for j, stage in enumerate(condition.stages):
            here = ("conditions", i, "stages", j)
            for k, name in enumerate(stage.exercises):
                if name not in exercise_ids:
                    yield (*here, "exercises", k), missing_exercise(name)
            yield from check_refs((*here, "references"), stage.references)
            if stage.entry is not None:
                entry = stage.entry
                yield from check_refs((*here, "entry", "pain_references"), entry.pain_references)
                yield from check_refs(
                    (*here, "entry", "strength_references"), entry.strength_references
                )
    for i, myth in enumerate(catalog.myths):
        yield from check_refs(("myths", i, "references"), myth.references)


class Suggester:
    """'Did you mean' for a mistyped id, in about constant time however many ids there are.

    difflib compares a name with every id, about 0.1 ms each: on 2,000 exercises with a broken
    link each, minutes. An index of every id with one character deleted finds, in a few dict
    lookups, an id one edit away (a character dropped, added, changed, or two swapped). difflib,
    which also finds looser matches, is used only on small catalogues and for a bounded number
    of names.
    """

    SMALL = 300  # ids; difflib on this many is about 20 ms a name
    DIFFLIB_NAMES = MAX_LISTED

    def __init__(self, ids: Iterable[str]) -> None:
        self.ids = list(ids)
        self._by_deletion: dict[str, str] = {}
        for name in self.ids:
            for variant in (name, *_deletions(name)):
                self._by_deletion.setdefault(variant, name)
        self._difflib_left = self.DIFFLIB_NAMES if len(self.ids) <= self.SMALL else 0

    def __call__(self, name: str) -> str | None:
        if self._difflib_left > 0:
            self._difflib_left -= 1
            close = difflib.get_close_matches(name, self.ids, n=1)
            return close[0] if close else None
        for variant in (name, *_deletions(name)):
            found = self._by_deletion.get(variant)
            if found is not None:
                return found
        return None


def _deletions(name: str) -> list[str]:
    return [name[:i] + name[i + 1 :] for i in range(len(name))]


def _unique_ids(section: str, ids: list[str], field: str) -> Generator[LinkProblem, None, set[str]]:
    first: dict[str, int] = {}
    for i, value in enumerate(ids):
        if value in first:
            yield (
                (section, i, field),
                (f"duplicate {field} '{value}' (first used by {section}.{first[value]})"),
            )
        else:
            first[value] = i
    return set(first)


def _cycles(catalog: Catalog, index: dict[str, int]) -> Iterator[LinkProblem]:
    nxt = {
        e.id: e.progression
        for e in catalog.exercises
        if e.progression in index and e.progression != e.id
    }
    done: set[str] = set()
    for start in nxt:
        path: list[str] = []
        node: str | None = start
        while node is not None and node not in done and node not in path:
            path.append(node)
            node = nxt.get(node)
        if node is not None and node in path:
            cycle = path[path.index(node) :]
            ring = " -> ".join([*cycle, cycle[0]])
            yield (
                ("exercises", index[cycle[-1]], "progression"),
                (f"progressions form a cycle ({ring}): a ladder must end at its hardest step"),
            )
        done.update(path)
