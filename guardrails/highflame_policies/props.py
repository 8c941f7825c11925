"""Reading resource properties the way CrossGuard hands them over, unknowns included.

During a preview, values computed from other resources' outputs are unknown. The policy SDK
raises UnknownValueError when one is read (and then skips the whole policy for that resource
with an advisory note), so every read here catches it and returns UNKNOWN instead: one unknown
leaf must not hide violations in the known ones.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from enum import Enum
from typing import Any

from pulumi_policy.proxy import (
    UNKNOWN_ARCHIVE_VALUE,
    UNKNOWN_ARRAY_VALUE,
    UNKNOWN_ASSET_VALUE,
    UNKNOWN_BOOLEAN_VALUE,
    UNKNOWN_NUMBER_VALUE,
    UNKNOWN_OBJECT_VALUE,
    UNKNOWN_STRING_VALUE,
    UnknownValueError,
)

_SENTINELS = frozenset(
    {
        UNKNOWN_ARCHIVE_VALUE,
        UNKNOWN_ARRAY_VALUE,
        UNKNOWN_ASSET_VALUE,
        UNKNOWN_BOOLEAN_VALUE,
        UNKNOWN_NUMBER_VALUE,
        UNKNOWN_OBJECT_VALUE,
        UNKNOWN_STRING_VALUE,
    }
)


class Absent(Enum):
    """Why a property has no value to judge."""

    MISSING = "missing"  # not set at all
    UNKNOWN = "unknown"  # set, but computed from outputs not known until the update


MISSING = Absent.MISSING
UNKNOWN = Absent.UNKNOWN


def _is_unknown(value: Any) -> bool:
    return isinstance(value, str) and value in _SENTINELS


def lookup(props: Any, *path: str) -> Any:
    """The value at `path`, or MISSING / UNKNOWN. Never raises for absent or computed values."""
    node = props
    for key in path:
        if _is_unknown(node):
            return UNKNOWN
        if not isinstance(node, Mapping):
            return MISSING
        try:
            if key not in node:
                return MISSING
            node = node[key]
        except UnknownValueError:
            return UNKNOWN
        if node is None:
            return MISSING
    return UNKNOWN if _is_unknown(node) else node


def elements(value: Any) -> list[Any]:
    """A list property's elements, each either a value or UNKNOWN; [] for anything else."""
    if isinstance(value, str) or not isinstance(value, Sequence):
        return []
    result: list[Any] = []
    for index in range(len(value)):
        try:
            item = value[index]
        except UnknownValueError:
            item = UNKNOWN
        result.append(UNKNOWN if _is_unknown(item) else item)
    return result


def string_leaves(value: Any, path: tuple[str, ...] = ()) -> list[tuple[tuple[str, ...], str]]:
    """Every known string in a nested mapping/list, with its path."""
    if isinstance(value, str):
        return [] if _is_unknown(value) else [(path, value)]
    found: list[tuple[tuple[str, ...], str]] = []
    if isinstance(value, Mapping):
        for key in list(value):
            found.extend(string_leaves(lookup(value, str(key)), (*path, str(key))))
    elif isinstance(value, Sequence):
        for index, item in enumerate(elements(value)):
            found.extend(string_leaves(item, (*path, str(index))))
    return found


def dotted(path: tuple[str, ...]) -> str:
    """`values.oauth.clientSecret`-style display of a property path."""
    return ".".join(path)
