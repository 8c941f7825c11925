"""YAML text for rendered files: stable key order, a comment header, several documents."""

from __future__ import annotations

import functools
import json
from collections.abc import Iterable, Sequence
from typing import Any

import yaml

# libyaml's emitter (PyYAML's C extension) writes the same YAML as the pure-Python one at a
# fraction of the cost: `render --all` emits about five documents per stack.
_Dumper: Any = getattr(yaml, "CSafeDumper", yaml.SafeDumper)


def yaml_text(value: Any) -> str:
    """One value as block YAML, keys in the builder's order (reviewers read them in that order).

    Most stacks of one role carry the very same RBAC documents; an identical document (same
    JSON text, so same keys, order and scalar types) is emitted once per run, not per stack.
    """
    try:
        key = json.dumps(value, ensure_ascii=False, allow_nan=False)
    except (TypeError, ValueError):
        return _emit(value)
    return _emit_json(key)


def _emit(value: Any) -> str:
    text: str = yaml.dump(
        value, Dumper=_Dumper, sort_keys=False, default_flow_style=False, width=100
    )
    return text


@functools.lru_cache(maxsize=256)
def _emit_json(key: str) -> str:
    return _emit(json.loads(key))


def comment_block(lines: Iterable[str]) -> str:
    return "".join(f"# {line}".rstrip() + "\n" for line in lines)


def yaml_documents(documents: Sequence[Any], header: Iterable[str] = ()) -> str:
    """Several documents separated by `---`, after a comment header."""
    body = "---\n".join(yaml_text(doc) for doc in documents)
    return comment_block(header) + body
