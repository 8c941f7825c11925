"""YAML text for rendered files: stable key order, a comment header, several documents."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

import yaml


def yaml_text(value: Any) -> str:
    """One value as block YAML, keys in the builder's order (reviewers read them in that order)."""
    return yaml.safe_dump(value, sort_keys=False, default_flow_style=False, width=100)


def comment_block(lines: Iterable[str]) -> str:
    return "".join(f"# {line}".rstrip() + "\n" for line in lines)


def yaml_documents(documents: Sequence[Any], header: Iterable[str] = ()) -> str:
    """Several documents separated by `---`, after a comment header."""
    body = "---\n".join(yaml_text(doc) for doc in documents)
    return comment_block(header) + body
