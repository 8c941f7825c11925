"""Reading YAML documents safely: any bytes in, a Python value or one clear error out.

ruamel.yaml is used (not PyYAML) because it refuses duplicate keys, which would otherwise let a
second `cluster_role:` silently win, and because it can edit files keeping their comments.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.error import MarkedYAMLError, YAMLError


class YamlReadError(Exception):
    """The file could not be read as one YAML document; the message says why, for people."""


def _safe_loader() -> YAML:
    return YAML(typ="safe", pure=True)


def load_yaml_file(path: Path) -> Any:
    """Parse one file; raise YamlReadError for unreadable, binary, empty or malformed input."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise YamlReadError(f"cannot read the file: {exc.strerror or exc}") from None
    return load_yaml_bytes(raw)


def load_yaml_bytes(raw: bytes) -> Any:
    """Parse bytes that should hold one YAML document."""
    if b"\x00" in raw:
        raise YamlReadError("not a text file (it contains NUL bytes)")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise YamlReadError("not UTF-8 text") from None
    if not text.strip() or all(
        not line.strip() or line.lstrip().startswith("#") for line in text.splitlines()
    ):
        raise YamlReadError("the file is empty")
    try:
        docs = list(_safe_loader().load_all(text))
    except MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        problem = exc.problem or exc.context or "malformed"
        raise YamlReadError(f"not valid YAML: {problem}{where}") from None
    except YAMLError as exc:
        raise YamlReadError(f"not valid YAML: {exc}") from None
    except RecursionError:
        raise YamlReadError("not valid YAML: nested too deeply") from None
    if len(docs) != 1:
        raise YamlReadError(f"expected one YAML document, found {len(docs)}")
    return docs[0]


def type_name(value: object) -> str:
    """How a YAML value's type reads to a person."""
    if value is None:
        return "nothing (null)"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return type(value).__name__
