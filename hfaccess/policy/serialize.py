"""The one canonical text of a policy document: what `render` writes and what the Acl applies.

Canonical means independent of how the document was built: mapping keys follow one fixed order
(a rule reads `src`, `dst`, `ip`, `app`; a test `src`, `proto`, `accept`, `deny`; everything
else alphabetically), and every entry of a top-level section sits on its own line, so the same
document always yields the same bytes and a reviewer's diff shows one changed rule per line.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

# Keys that lead, in this order, wherever they appear; all other keys follow sorted.
_LEADING_KEYS = (
    "action",
    "src",
    "srcPosture",
    "proto",
    "dst",
    "ip",
    "via",
    "app",
    "users",
    "accept",
    "deny",
)
_RANK = {key: rank for rank, key in enumerate(_LEADING_KEYS)}


# Dicts of one shape recur thousands of times (a grant, a test): their key order is computed once.
_ORDER: dict[tuple[str, ...], tuple[str, ...]] = {}
# json.dumps(str, ensure_ascii=False) is this C function behind a call chain; same bytes.
_string = json.encoder.encode_basestring


def _ordered(mapping: dict[str, Any]) -> tuple[str, ...]:
    keys = tuple(mapping)
    order = _ORDER.get(keys)
    if order is None:
        order = tuple(sorted(keys, key=lambda key: (_RANK.get(key, len(_RANK)), key)))
        if len(_ORDER) < 1024:  # a few shapes in a real policy; never grows without bound
            _ORDER[keys] = order
    return order


def _inline(value: Any) -> str:
    if isinstance(value, str):
        return _string(value)
    if isinstance(value, dict):
        items = [f"{_inline(str(key))}: {_inline(value[key])}" for key in _ordered(value)]
        return "{" + ", ".join(items) + "}"
    if isinstance(value, list | tuple):
        return "[" + ", ".join([_inline(item) for item in value]) + "]"
    return json.dumps(value, ensure_ascii=False)


def _section(value: Any) -> str:
    if isinstance(value, list) and value:
        return "[\n" + ",\n".join(f"    {_inline(item)}" for item in value) + "\n  ]"
    if isinstance(value, dict) and value:
        lines = [f"    {_inline(str(key))}: {_inline(value[key])}" for key in sorted(value)]
        return "{\n" + ",\n".join(lines) + "\n  }"
    return _inline(value)


def policy_text(document: dict[str, Any]) -> str:
    """Canonical JSON text of `document`, ending in a newline."""
    if not document:
        return "{}\n"
    lines = [f"  {_inline(str(key))}: {_section(document[key])}" for key in sorted(document)]
    return "{\n" + ",\n".join(lines) + "\n}\n"


def policy_digest(text: str) -> str:
    """sha256 of the canonical text: the same in `render`, `check` and the stack's outputs."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()
