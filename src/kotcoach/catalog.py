"""Find, read, parse and validate catalogue files. Nothing else in kotcoach touches YAML.

Reading is defensive: the file is size-capped, must be UTF-8, is parsed with PyYAML's safe
loader (libyaml's C parser when available), and may not use anchors or aliases, so an alias bomb
is refused before anything is expanded. Every problem is reported with file:line:column and the
field path, mapped back through the YAML node tree.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Generator, Iterator, Sequence
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ValidationError

from kotcoach.errors import CatalogError, Problem
from kotcoach.models import Catalog
from kotcoach.source import builtin_catalog_path, read_bytes, resolve_catalog_path

Loc = tuple[str | int, ...]
LinkProblem = tuple[Loc, str]
MAX_DEPTH = 40  # a catalogue needs about 6 levels; this keeps the walk far from the stack limit

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


__all__ = ["builtin_catalog_path", "check_catalog", "load_catalog", "resolve_catalog_path"]


def load_catalog(path: Path) -> Catalog:
    """Read and validate a catalogue; raise CatalogError listing every problem found.

    A catalogue that validated before is read back from the cache (kotcoach.cache) while its
    bytes are unchanged, which skips YAML parsing and validation.
    """
    from kotcoach import cache

    raw = read_bytes(path)
    cached = cache.read_catalog(path, raw)
    if cached is not None:
        return cached
    catalog, problems = _check(path, raw)
    if problems or catalog is None:
        raise CatalogError(problems)
    cache.write(path, raw, catalog)
    return catalog


def check_catalog(path: Path) -> tuple[Catalog | None, list[Problem]]:
    """Every problem in a catalogue file, and the catalogue when there are none."""
    return _check(path, read_bytes(path))


def _check(path: Path, raw: bytes) -> tuple[Catalog | None, list[Problem]]:
    shown = str(path)
    text = _decode(shown, raw)
    root = _compose(text, shown)
    data, problems = _construct(root, shown)
    if problems:
        return None, problems
    if not isinstance(data, dict):
        return None, [_at(shown, root, "the top level must be a mapping with the key 'exercises'")]
    try:
        catalog = Catalog.model_validate(data)
    except ValidationError as error:
        return None, [_validation_problem(shown, root, e) for e in error.errors()]
    problems = [
        Problem(shown, message, *_position(root, loc), loc=_dotted(loc))
        for loc, message in link_problems(catalog)
    ]
    return (None if problems else catalog), problems


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


def _construct(root: yaml.Node, shown: str) -> tuple[Any, list[Problem]]:
    """Plain Python data from the node tree, refusing aliases and duplicate keys.

    The composer hands back an alias as the very node its anchor named, so a node met twice is
    an alias. Stopping at the first repeat keeps the walk linear even for an alias bomb.
    """
    seen: set[int] = set()
    problems: list[Problem] = []

    def build(node: yaml.Node, depth: int = 0) -> Any:
        if depth > MAX_DEPTH:
            problems.append(_at(shown, node, f"nested deeper than {MAX_DEPTH} levels"))
            return None
        if node.tag not in _PLAIN_TAGS:
            tag = node.tag.replace("tag:yaml.org,2002:", "!!")
            problems.append(_at(shown, node, f"the YAML tag '{tag}' is not allowed: remove it"))
            return None
        if id(node) in seen:
            problems.append(
                _at(shown, node, "anchors and aliases (&name, *name) are not allowed: write it out")
            )
            return None
        seen.add(id(node))
        if isinstance(node, yaml.ScalarNode):
            if node.tag == _STR_TAG:
                return node.value
            return _CONSTRUCTOR.construct_object(node)
        if isinstance(node, yaml.SequenceNode):
            return [build(item, depth + 1) for item in node.value]
        if isinstance(node, yaml.MappingNode):
            result: dict[Any, Any] = {}
            for key_node, value_node in node.value:
                key = build(key_node, depth + 1)
                if not isinstance(key, str | int):
                    problems.append(_at(shown, key_node, "keys must be plain text"))
                    continue
                if key in result:
                    problems.append(_at(shown, key_node, f"duplicate key '{key}': keep only one"))
                result[key] = build(value_node, depth + 1)
            return result
        problems.append(_at(shown, node, "unsupported YAML node"))
        return None

    return build(root), problems


def _at(shown: str, node: yaml.Node, message: str) -> Problem:
    return Problem(shown, message, node.start_mark.line + 1, node.start_mark.column + 1)


def _dotted(loc: Sequence[str | int]) -> str:
    return ".".join(map(str, loc))


def _child(node: yaml.Node, part: str | int) -> yaml.Node | None:
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            if key_node.value == str(part):
                return value_node  # type: ignore[no-any-return]
    if isinstance(node, yaml.SequenceNode) and isinstance(part, int) and part < len(node.value):
        return node.value[part]  # type: ignore[no-any-return]
    return None


def _node_at(root: yaml.Node, loc: Sequence[str | int]) -> yaml.Node:
    """The node at a field path, or its nearest existing parent."""
    node = root
    for part in loc:
        child = _child(node, part)
        if child is None:
            break
        node = child
    return node


def _position(root: yaml.Node, loc: Sequence[str | int]) -> tuple[int, int]:
    mark = _node_at(root, loc).start_mark
    return mark.line + 1, mark.column + 1


def _key_position(root: yaml.Node, loc: Sequence[str | int]) -> tuple[int, int]:
    """Where an unknown key is written: the key itself, not its value."""
    parent = _node_at(root, loc[:-1])
    if isinstance(parent, yaml.MappingNode):
        for key_node, _ in parent.value:
            if key_node.value == str(loc[-1]):
                return key_node.start_mark.line + 1, key_node.start_mark.column + 1
    return parent.start_mark.line + 1, parent.start_mark.column + 1


def _validation_problem(shown: str, root: yaml.Node, error: Any) -> Problem:
    loc: Loc = tuple(part for part in error["loc"] if not _is_union_tag(part))
    kind = error["type"]
    if kind == "extra_forbidden":
        line, column = _key_position(root, loc)
        allowed = _allowed_keys(loc[:-1])
        close = difflib.get_close_matches(str(loc[-1]), allowed, n=1)
        hint = f"did you mean '{close[0]}'?" if close else f"allowed keys: {', '.join(allowed)}"
        return Problem(shown, f"unknown key '{loc[-1]}' ({hint})", line, column, _dotted(loc))
    line, column = _position(root, loc)
    if kind == "missing":
        message = f"missing required key '{loc[-1]}'"
    else:
        message = str(error["msg"]).removeprefix("Value error, ")
    if kind == "string_pattern_mismatch":
        message = "must be lowercase letters, digits and single hyphens, e.g. 'tib-raise-wall'"
    if kind == "enum" and isinstance(error.get("input"), str):
        expected = re.findall(r"'([^']+)'", str(error["ctx"]["expected"]))
        close = difflib.get_close_matches(error["input"], expected, n=1)
        message += f" (did you mean '{close[0]}'?)" if close else ""
    return Problem(shown, message, line, column, _dotted(loc))


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

    def missing_exercise(name: str) -> str:
        close = difflib.get_close_matches(name, exercise_ids, n=1)
        suggestion = f" (did you mean '{close[0]}'?)" if close else ""
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
    yield from _cycles(catalog, exercise_ids)
    for i, condition in enumerate(catalog.conditions):
        for field in ("favour", "avoid"):
            for j, name in enumerate(getattr(condition, field)):
                if name not in exercise_ids:
                    yield ("conditions", i, field, j), missing_exercise(name)
        yield from check_refs(("conditions", i, "references"), condition.references)
    for i, myth in enumerate(catalog.myths):
        yield from check_refs(("myths", i, "references"), myth.references)


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
