"""The Jinja2 environment of the handoff (INSTALL.md): templates shipped in this package.

Markdown, not HTML: no autoescaping (backticks, quotes and `<...>` placeholders are meant
literally). StrictUndefined makes a misspelt or missing variable an error, never an empty string.

`render --all` renders about 20,000 handoffs that differ, within one shape of environment (role,
credential kind, install mode, exposures, ...), only in the names they quote. `render_cached`
renders the template once per shape, with a token in place of every non-empty string of the
context, and then puts each stack's strings where the tokens landed. That is exact because the
templates only print a string, join strings or test whether a string is empty (a test in
tests/hfaccess/install/test_handoff_template.py holds the templates to those operations), and
tokens are non-empty like the strings they stand for; everything else (booleans, numbers, None,
the length of every tuple, the class of every fact) is part of the shape.
"""

from __future__ import annotations

import dataclasses
import operator
import re
from collections.abc import Callable, Mapping
from functools import cache
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined

TEMPLATE = "INSTALL.md.j2"
ELEVATION_TEMPLATE = "_elevation.md.j2"


@cache
def environment() -> Environment:
    """One template environment per process: templates compile once, on first use."""
    return Environment(
        loader=PackageLoader("hfaccess.install", "templates"),
        autoescape=False,  # markdown for people to read, never served as HTML
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        # Shipped templates do not change under a running process: no stat per include per
        # stack (render --all renders 20,000 handoffs, each including a dozen templates).
        auto_reload=False,
    )


def render(template: str, context: Mapping[str, Any]) -> str:
    """`template` rendered with `context`; an undefined variable raises, never renders empty."""
    return environment().get_template(template).render(context)


# A token: NUL, the string's index, SOH. Neither control character occurs in a template's text.
_TOKEN = re.compile("\x00([0-9]+)\x01")
_SHAPES_MAX = 512  # distinct shapes kept per process; more only costs a re-render, never a byte


class _Uncacheable(Exception):
    """A context value the shape walk does not know: render it the plain way."""


_shapes: dict[tuple[Any, ...], tuple[list[Any], list[int]]] = {}
_fields: dict[type, tuple[str, ...]] = {}
_getters: dict[type, Callable[[Any], tuple[Any, ...]]] = {}


def _field_names(cls: type) -> tuple[str, ...]:
    names = _fields.get(cls)
    if names is None:
        params = getattr(cls, "__dataclass_params__", None)
        if params is None or not params.frozen:
            raise _Uncacheable(cls)
        names = _fields[cls] = tuple(field.name for field in dataclasses.fields(cls))
    return names


def _getter(cls: type) -> Callable[[Any], tuple[Any, ...]]:
    """Every field of a frozen dataclass instance, as one tuple (in field order)."""
    getter = _getters.get(cls)
    if getter is None:
        names = _field_names(cls)
        if len(names) < 2:  # attrgetter of one name returns the value, not a 1-tuple
            getter = _getters[cls] = lambda obj: tuple(getattr(obj, n) for n in names)
        else:
            getter = _getters[cls] = operator.attrgetter(*names)
    return getter


def _walk(value: Any, shape: list[Any], strings: list[str]) -> None:
    """Append `value`'s shape to `shape` and its non-empty strings to `strings`, in order."""
    # Each value's part of the shape starts with its class (or "" for an empty string), so a
    # shape reads back one way only: equal shapes are equal structures.
    cls = value.__class__
    if cls is str:
        if value:
            strings.append(value)
            shape.append(str)
        else:
            shape.append("")
        return
    if cls is tuple:
        shape.append(tuple)
        shape.append(len(value))
        items: tuple[Any, ...] = value
    elif cls is bool or cls is int or value is None:
        shape.append(cls)
        shape.append(value)
        return
    else:
        shape.append(cls)
        items = _getter(cls)(value)
    for item in items:  # strings inline: most leaves are strings
        if item.__class__ is str:
            if item:
                strings.append(item)
                shape.append(str)
            else:
                shape.append("")
        else:
            _walk(item, shape, strings)


def _abstract(value: Any, counter: list[int]) -> Any:
    """`value` with each non-empty string replaced by its token (in `_walk`'s order)."""
    cls = value.__class__
    if cls is str:
        if not value:
            return value
        counter[0] += 1
        return f"\x00{counter[0] - 1}\x01"
    if cls is tuple:
        return tuple(_abstract(item, counter) for item in value)
    if cls is bool or cls is int or value is None:
        return value
    copy = object.__new__(cls)
    for name in _field_names(cls):
        object.__setattr__(copy, name, _abstract(getattr(value, name), counter))
    return copy


def render_cached(template: str, context: Mapping[str, Any]) -> str:
    """Exactly `render(template, context)`, the template run once per shape of context."""
    shape: list[Any] = [template]
    strings: list[str] = []
    try:
        for name, value in context.items():
            shape.append(name)
            _walk(value, shape, strings)
    except _Uncacheable:
        return render(template, context)
    key = tuple(shape)
    found = _shapes.get(key)
    if found is None:
        counter = [0]
        abstract = {name: _abstract(value, counter) for name, value in context.items()}
        parts: list[Any] = _TOKEN.split(render(template, abstract))
        # Literal text at even places; at odd places, which string goes there.
        found = (parts, [int(index) for index in parts[1::2]])
        if len(_shapes) >= _SHAPES_MAX:
            _shapes.clear()
        _shapes[key] = found
    texts, order = found
    pieces = texts.copy()
    pieces[1::2] = map(strings.__getitem__, order)
    return "".join(pieces)
