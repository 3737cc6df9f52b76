"""Catalogue models rebuilt from a cache entry, and an Index that builds only what it is asked for.

The data in an entry passed validation when it was written, so models are rebuilt without running
pydantic's validators. A model is stored as the list of its fields' values in order (`encode`),
None included, and each model class gets a builder, generated once from its field annotations,
that checks every value has the type its field declares (anything else is damage, and a miss) and
sets the fields directly, as `model_construct` does, minus its per-call overhead. A type this
module does not know is handed to pydantic's TypeAdapter, which is slower but always right.

`CachedIndex` answers `exercise`, `ladder_of`, `easier` and `harder` by reading only the exercises
concerned; everything else (the catalogue, `by_id`, every ladder) builds the whole catalogue once,
through `Index.__init__` itself, so it behaves as the Index it stands for. What plans are made
from, `for_planning`, is read from the entry's planning section as plain records
(kotcoach.catalogue.plan_catalog), without building models at all.
"""

from __future__ import annotations

import types
from collections.abc import Callable, Mapping
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, Literal, Union, get_args, get_origin

from pydantic import BaseModel

from kotcoach.catalogue.cache import CATALOG_LISTS, Damaged, Entry, collector_paused
from kotcoach.catalogue.ladders import Index, Ladder
from kotcoach.catalogue.models import Catalog, Exercise

if TYPE_CHECKING:
    from kotcoach.catalogue.plan_catalog import PlanIndex

Convert = Callable[[Any], Any]
_set = object.__setattr__


def build_catalog(
    entry: Entry,
    built: dict[str, Exercise] | None = None,
    sections: dict[str, list[Any]] | None = None,
) -> Catalog:
    """The whole catalogue from an entry, reusing models already built. Raises Damaged."""
    with collector_paused():
        return _build_catalog(
            entry, {} if built is None else built, {} if sections is None else sections
        )


def _build_catalog(
    entry: Entry, built: dict[str, Exercise], sections: dict[str, list[Any]]
) -> Catalog:
    # One read of the section, then one exercise at a time: parsing it all at once would hold
    # every parsed value until the end, a third more peak memory on 2,000 exercises.
    build = builder(Exercise)
    exercises = []
    for exercise_id, data in entry.exercise_datas():
        exercise = built.get(exercise_id)
        if exercise is None:
            exercise = built[exercise_id] = _checked(build(data), exercise_id)
        exercises.append(exercise)
    ready: dict[str, Any] = {"exercises": exercises}
    for name in CATALOG_LISTS[1:]:
        ready[name] = section_models(entry, name, sections)
    return construct_catalog(entry.section("catalog"), ready)


def _checked(exercise: Exercise, exercise_id: str) -> Exercise:
    if exercise.id != exercise_id:
        raise Damaged(f"exercise {exercise_id!r} is not where the spans say")
    return exercise


def section_models(entry: Entry, name: str, sections: dict[str, list[Any]]) -> list[Any]:
    """The models of one of Catalog's list sections (conditions, myths, references)."""
    if name not in sections:
        data = entry.section(name)
        if not isinstance(data, list):
            raise Damaged(f"{name}: not a list")
        item_type = get_args(Catalog.model_fields[name].annotation)[0]
        build = _converter(item_type)
        sections[name] = [build(item) for item in data]
    return sections[name]


class CachedIndex(Index):
    """The Index of a cached catalogue, built as far as the questions asked need.

    Index.__init__ is not called up front: the attributes it sets are made on first use, by
    `__getattr__`, which runs only for attributes not set yet. A damaged entry found on the way is
    a miss like any other: the index is then built from the catalogue file, which also rewrites
    the entry.
    """

    def __init__(self, entry: Entry, reload: Callable[[Path], Catalog]) -> None:
        # Index.__init__ is deferred on purpose. `reload` reads the catalogue file afresh (and
        # rewrites the entry) when the entry is found damaged: kotcoach.catalogue.read passes it.
        self._entry = entry
        self._reload = reload
        self._built: dict[str, Exercise] = {}
        self._sections: dict[str, list[Any]] = {}
        self._ladders_by_step: dict[str, tuple[str, ...]] | None = None
        self._ladder_cache: dict[tuple[str, ...], Ladder] = {}
        self._planning: PlanIndex | None = None
        self._complete = False

    def __getattr__(self, name: str) -> Any:
        if name.startswith("__") or name in _OWN:
            raise AttributeError(name)
        try:
            if name in ("conditions", "references"):
                key = "id" if name == "conditions" else "key"
                models = section_models(self._entry, name, self._sections)
                value = {getattr(model, key): model for model in models}
                _set(self, name, value)
                return value
            self._complete_from(build_catalog(self._entry, self._built, self._sections))
        except Damaged:
            self._fall_back()
        return object.__getattribute__(self, name)

    def exercise(self, exercise_id: str) -> Exercise:
        if not self._complete:
            try:
                found = self._one(exercise_id)
            except Damaged:
                self._fall_back()
            else:
                if found is not None:
                    return found
        return super().exercise(exercise_id)  # an unknown id: the whole index, for suggestions

    def ladder_of(self, exercise_id: str) -> Ladder:
        exercise = self.exercise(exercise_id)
        if not self._complete:
            try:
                return self._ladder(exercise.id)
            except Damaged:
                self._fall_back()
        return super().ladder_of(exercise_id)

    def harder(self, exercise_id: str) -> Exercise | None:
        if self._complete:
            return super().harder(exercise_id)
        following = self.exercise(exercise_id).progression
        return self.exercise(following) if following else None

    def for_planning(self) -> PlanIndex:
        """The plain records plans are made from, read from the entry's planning section
        without building the catalogue's models (kotcoach.catalogue.plan_catalog)."""
        if self._complete:
            return super().for_planning()
        if self._planning is None:
            from kotcoach.catalogue.plan_catalog import NotRecords, decode

            try:
                with collector_paused():
                    self._planning = decode(
                        self._entry.section("planning"), list(self._entry.exercise_spans())
                    )
            except (Damaged, NotRecords):
                self._fall_back()
                return super().for_planning()
        return self._planning

    def _one(self, exercise_id: str) -> Exercise | None:
        if exercise_id not in self._built:
            data = self._entry.exercise_data(exercise_id)
            if data is None:
                return None
            self._built[exercise_id] = _checked(builder(Exercise)(data), exercise_id)
        return self._built[exercise_id]

    def _ladder(self, exercise_id: str) -> Ladder:
        if self._ladders_by_step is None:
            data = self._entry.section("ladders")
            if not isinstance(data, list):
                raise Damaged("ladders: not a list")
            by_step: dict[str, tuple[str, ...]] = {}
            for ids in data:
                if not isinstance(ids, list) or not all(type(i) is str for i in ids):
                    raise Damaged("ladders: not lists of ids")
                for step in ids:
                    by_step[step] = tuple(ids)
            self._ladders_by_step = by_step
        ids = self._ladders_by_step.get(exercise_id)
        if ids is None:
            raise Damaged(f"ladders: no ladder holds {exercise_id!r}")
        if ids not in self._ladder_cache:
            steps = [self._one(step) for step in ids]
            if any(step is None for step in steps):
                raise Damaged("ladders: a step that is not an exercise")
            self._ladder_cache[ids] = Ladder(tuple(s for s in steps if s is not None))
        return self._ladder_cache[ids]

    def _complete_from(self, catalog: Catalog) -> None:
        Index.__init__(self, catalog)
        self._complete = True
        self._entry.close()

    def _fall_back(self) -> None:
        self._entry.close()
        self._complete_from(self._reload(self._entry.source))


_OWN = frozenset(
    (
        "_entry",
        "_reload",
        "_built",
        "_sections",
        "_ladders_by_step",
        "_ladder_cache",
        "_planning",
        "_complete",
    )
)


# ---- builders --------------------------------------------------------------------------------

_BUILDERS: dict[type[BaseModel], Convert] = {}


def builder(model: type[BaseModel]) -> Convert:
    """A function from a model's cached JSON data to the model, checking every value's type.

    It is generated as Python source, one expression per field, as dataclasses generate their
    __init__: a loop over the fields would cost several times more per object, and a plan on a
    2,000-exercise catalogue builds some 12,000 of them.
    """
    if model not in _BUILDERS:
        if not _settable(model):
            _BUILDERS[model] = _adapter(model)  # validation: slower, but always right
        else:
            slot: list[Convert] = []
            _BUILDERS[model] = lambda value: slot[0](value)  # a model may contain itself
            slot.append(_generate(model))
            _BUILDERS[model] = slot[0]
    return _BUILDERS[model]


def _settable(model: type[BaseModel]) -> bool:
    """Whether setting __dict__ and pydantic's three slots is all model_construct would do."""
    return (
        model.__pydantic_post_init__ is None
        and not model.__pydantic_root_model__
        and not model.__private_attributes__
        and model.model_config.get("extra") != "allow"
        and not any(
            getattr(info, "default_factory_takes_data", False)
            for info in model.model_fields.values()
        )
    )


def _generate(model: type[BaseModel]) -> Convert:
    """The builder's source: a value per field, in order, each checked, and nothing else (every
    field is stored, None included, so no default is ever filled in)."""
    fields = model.model_fields
    scope: dict[str, Any] = {
        "Damaged": Damaged,
        "SIZE": len(fields),
        "MODEL": model,
        "SET": _set,
        "NAMES": frozenset(fields),
        "TEXT": frozenset({str}),
        "bad": _bad,
    }
    lines = []
    for position, (name, info) in enumerate(fields.items()):
        lines.append(f"        v = value[{position}]")
        what = f"{model.__name__}.{name}"
        converted = _expression(info.annotation, "v", scope, what)
        lines.append(f"        f{position} = {converted}")
    data = ", ".join(f"{name!r}: f{position}" for position, name in enumerate(fields))
    source = "\n".join(
        [
            "def build(value):",
            "    if type(value) is not list or len(value) != SIZE:",
            f"        raise Damaged({model.__name__ + ': not a list of its fields'!r})",
            "    try:",
            *lines,
            "    except (KeyError, TypeError):  # an unknown enum value, an unhashable value",
            f"        raise Damaged({model.__name__ + ': a value of the wrong kind'!r}) from None",
            "    made = MODEL.__new__(MODEL)",
            f"    SET(made, '__dict__', {{{data}}})",
            "    SET(made, '__pydantic_fields_set__', set(NAMES))",
            "    SET(made, '__pydantic_extra__', None)",
            "    SET(made, '__pydantic_private__', None)",
            "    return made",
        ]
    )
    exec(compile(source, f"<kotcoach builder for {model.__name__}>", "exec"), scope)  # noqa: S102
    return scope["build"]  # type: ignore[no-any-return]


def encode(annotation: Any, value: Any) -> Any:
    """A value as model_dump(mode="json") gives it, in the form the builders read: each model
    (that the builders set directly) as the list of its fields' values, in order."""
    if value is None:
        return None
    origin, args = get_origin(annotation), get_args(annotation)
    if origin is Annotated:
        return encode(args[0], value)
    if origin is Union or origin is types.UnionType:
        others = [arg for arg in args if arg is not type(None)]
        return encode(others[0], value) if len(others) == 1 and len(args) == 2 else value
    if origin is list:
        return [encode(args[0], item) for item in value]
    if origin is dict:
        return {key: encode(args[1], item) for key, item in value.items()}
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        if not _settable(annotation):
            return value  # rebuilt by validation, from the form pydantic dumped
        fields = annotation.model_fields.items()
        return [encode(field.annotation, value.get(name)) for name, field in fields]
    return value


def _name(scope: dict[str, Any], value: Any) -> str:
    """A name for `value` in the generated code's globals."""
    name = f"K{len(scope)}"
    scope[name] = value
    return name


def _expression(annotation: Any, var: str, scope: dict[str, Any], what: str) -> str:
    """Python source that converts the JSON value in `var` for this annotation, or raises."""
    bad = f"bad({what!r})"
    origin, args = get_origin(annotation), get_args(annotation)
    if origin is Annotated:
        return _expression(args[0], var, scope, what)
    if origin is Union or origin is types.UnionType:
        others = [arg for arg in args if arg is not type(None)]
        if len(others) == 1 and len(args) == 2:
            return f"(None if {var} is None else {_expression(others[0], var, scope, what)})"
    elif origin is list:
        (item,) = args
        if _bare(item) is str:
            return f"({var} if type({var}) is list and set(map(type, {var})) <= TEXT else {bad})"
        if _is_enum(_bare(item)):
            members = _name(scope, _members(_bare(item)))
            return f"(list(map({members}.__getitem__, {var})) if type({var}) is list else {bad})"
        each = f"x{len(scope)}"
        inner = _expression(item, each, scope, what)
        return f"([{inner} for {each} in {var}] if type({var}) is list else {bad})"
    elif origin is None and annotation in (str, int, bool):
        return f"({var} if type({var}) is {annotation.__name__} else {bad})"
    elif origin is None and annotation is float:
        return f"(float({var}) if type({var}) is float or type({var}) is int else {bad})"
    elif origin is None and _is_enum(annotation):
        return f"{_name(scope, _members(annotation))}[{var}]"
    elif origin is None and isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return f"{_name(scope, builder(annotation))}({var})"
    return f"{_name(scope, _converter(annotation))}({var})"


def _bare(annotation: Any) -> Any:
    return get_args(annotation)[0] if get_origin(annotation) is Annotated else annotation


def _is_enum(annotation: Any) -> bool:
    return isinstance(annotation, type) and issubclass(annotation, Enum)


def _members(kind: type[Enum]) -> dict[Any, Enum]:
    return {member.value: member for member in kind}


def _bad(what: str) -> Any:
    raise Damaged(what)


def construct_catalog(rest: Any, ready: Mapping[str, Any]) -> Catalog:
    """The Catalog around its already built lists, and whatever else it holds (`rest`)."""
    fields = Catalog.model_fields
    if type(rest) is not dict or not rest.keys() <= fields.keys() - ready.keys():
        raise Damaged("catalog: not an object with its fields")
    data = {name: _converter(fields[name].annotation)(value) for name, value in rest.items()}
    return Catalog.model_construct(set(rest) | set(ready), **data, **ready)


def _converter(annotation: Any) -> Convert:
    origin, args = get_origin(annotation), get_args(annotation)
    if origin is Annotated:
        return _converter(args[0])
    if origin is Union or origin is types.UnionType:
        others = [arg for arg in args if arg is not type(None)]
        if len(others) == 1 and len(args) == 2:
            return _optional(_converter(others[0]))
    elif origin is Literal:
        return _literal(args)
    elif origin is list:
        return _list(_converter(args[0]))
    elif origin is dict:
        return _dict(_converter(args[0]), _converter(args[1]))
    elif origin is None and isinstance(annotation, type):
        if annotation in _PLAIN:
            return _PLAIN[annotation]
        if issubclass(annotation, Enum):
            return _enum(annotation)
        if issubclass(annotation, BaseModel):
            return builder(annotation)
    return _adapter(annotation)


def _str(value: Any) -> Any:
    if type(value) is str:
        return value
    raise Damaged("expected text")


def _int(value: Any) -> Any:
    if type(value) is int:
        return value
    raise Damaged("expected a whole number")


def _float(value: Any) -> Any:
    if type(value) is float or type(value) is int:
        return float(value)
    raise Damaged("expected a number")


def _bool(value: Any) -> Any:
    if type(value) is bool:
        return value
    raise Damaged("expected true or false")


_PLAIN: dict[type, Convert] = {str: _str, int: _int, float: _float, bool: _bool}


def _optional(inner: Convert) -> Convert:
    return lambda value: None if value is None else inner(value)


def _literal(allowed: tuple[Any, ...]) -> Convert:
    members = frozenset((type(a), a) for a in allowed)

    def convert(value: Any) -> Any:
        try:
            if (type(value), value) in members:
                return value
        except TypeError:  # unhashable
            pass
        raise Damaged("not one of the allowed values")

    return convert


def _list(inner: Convert) -> Convert:
    if inner is _str:

        def texts(value: Any) -> Any:
            if type(value) is list and all(type(item) is str for item in value):
                return value  # freshly parsed and not shared: no copy needed
            raise Damaged("expected a list of text")

        return texts

    def items(value: Any) -> Any:
        if type(value) is not list:
            raise Damaged("expected a list")
        return [inner(item) for item in value]

    return items


def _dict(key: Convert, inner: Convert) -> Convert:
    def convert(value: Any) -> Any:
        if type(value) is not dict:
            raise Damaged("expected an object")
        return {key(k): inner(v) for k, v in value.items()}

    return convert


def _enum(kind: type[Enum]) -> Convert:
    members = {member.value: member for member in kind}

    def convert(value: Any) -> Any:
        try:
            return members[value]
        except (KeyError, TypeError):
            raise Damaged(f"not a {kind.__name__}") from None

    return convert


def _adapter(annotation: Any) -> Convert:
    from pydantic import TypeAdapter, ValidationError

    adapter: TypeAdapter[Any] = TypeAdapter(annotation)

    def convert(value: Any) -> Any:
        try:
            return adapter.validate_python(value)
        except ValidationError:
            raise Damaged("a value pydantic refuses") from None

    return convert
