"""Reading YAML documents safely: any bytes in, a Python value or one clear error out.

Input files are read with libyaml (PyYAML's C parser: a registry of thousands of customers
loads in a fraction of the time a pure-Python parser takes) under two rules of our own:
duplicate keys are refused, since a second `cluster_role:` would otherwise silently win; and
scalars follow the YAML 1.2 core schema, so `no`, `on` or `2024-01-01` stay strings and `010`
is ten. ruamel.yaml is used only where files are edited keeping their comments (yamledit).
"""

from __future__ import annotations

import os
import re
import stat
from pathlib import Path
from typing import Any

import yaml
from yaml.constructor import ConstructorError
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

_BaseLoader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

_BOOL = "tag:yaml.org,2002:bool"
_INT = "tag:yaml.org,2002:int"
_FLOAT = "tag:yaml.org,2002:float"
_TIMESTAMP = "tag:yaml.org,2002:timestamp"
_MERGE = "tag:yaml.org,2002:merge"
_YAML11_ONLY = {_BOOL, _INT, _FLOAT, _TIMESTAMP}


def _duplicate_key(node: Node, key_node: Node, key: Any) -> ConstructorError:
    """A second `key:` in one mapping: refused, since it would silently win over the first."""
    return ConstructorError(
        "while constructing a mapping",
        node.start_mark,
        f"found duplicate key {key!r}",
        key_node.start_mark,
    )


class _StrictLoader(_BaseLoader):  # type: ignore[misc]
    """Safe loading with YAML 1.2 core scalars and duplicate keys refused."""

    def construct_mapping(self, node: Node, deep: bool = False) -> dict[Any, Any]:
        if isinstance(node, MappingNode):
            seen: set[Any] = set()
            for key_node, _ in node.value:
                if key_node.tag == _MERGE:
                    continue
                key = self.construct_object(key_node, deep=True)
                try:
                    duplicate = key in seen
                except TypeError:
                    continue  # unhashable: the base constructor reports it
                if duplicate:
                    raise _duplicate_key(node, key_node, key)
                seen.add(key)
        result: dict[Any, Any] = super().construct_mapping(node, deep=deep)
        return result


def _construct_int(loader: Any, node: ScalarNode) -> int:
    text = str(loader.construct_scalar(node))
    sign = -1 if text.startswith("-") else 1
    digits = text.lstrip("+-")
    if digits.startswith(("0o", "0x")):
        return sign * int(digits, 0)
    return sign * int(digits, 10)


_StrictLoader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag not in _YAML11_ONLY]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_StrictLoader.add_implicit_resolver(
    _BOOL, re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF")
)
_StrictLoader.add_implicit_resolver(
    _INT, re.compile(r"^(?:[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+)$"), list("-+0123456789")
)
_StrictLoader.add_implicit_resolver(
    _FLOAT,
    re.compile(
        r"^(?:[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?"
        r"|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$"
    ),
    list("-+0123456789."),
)
_StrictLoader.add_constructor(_INT, _construct_int)

_STR = "tag:yaml.org,2002:str"
_NULL = "tag:yaml.org,2002:null"
_MAP = "tag:yaml.org,2002:map"
_SEQ = "tag:yaml.org,2002:seq"


class _Builder:
    """One document's nodes to Python values, fast on the shapes input files have.

    PyYAML's generic constructor costs most of a large registry's load (10,000 customer files).
    Plain mappings, sequences, strings, integers, booleans and nulls are built here directly,
    with the same rules as _StrictLoader (duplicate keys refused, YAML 1.2 scalars); any other
    node (merge keys, floats, explicit tags) goes to _StrictLoader, so the result never differs.
    """

    def __init__(self, loader: Any) -> None:
        self.loader = loader
        self.built: dict[int, Any] = {}  # id(node) -> value: an alias shares its anchor's value
        self.building: set[int] = set()

    def value(self, node: Node) -> Any:
        tag = node.tag
        if isinstance(node, ScalarNode):
            if tag == _STR:
                return node.value
            if tag == _INT:
                return _construct_int(self.loader, node)
            if tag == _NULL:
                return None
            if tag == _BOOL:
                return self.loader.bool_values[node.value.lower()]
        key = id(node)
        if key in self.built:
            return self.built[key]
        if key in self.building:
            raise ConstructorError(None, None, "found a recursive alias", node.start_mark)
        if isinstance(node, MappingNode) and tag == _MAP:
            if any(k.tag == _MERGE for k, _ in node.value):
                result = self.loader.construct_object(node, deep=True)
            else:
                self.building.add(key)
                result = self._mapping(node)
                self.building.discard(key)
        elif isinstance(node, SequenceNode) and tag == _SEQ:
            self.building.add(key)
            result = [self.value(item) for item in node.value]
            self.building.discard(key)
        else:
            result = self.loader.construct_object(node, deep=True)
        self.built[key] = result
        return result

    def _mapping(self, node: MappingNode) -> dict[Any, Any]:
        result: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            key = self.value(key_node)
            try:
                duplicate = key in result
            except TypeError:
                raise ConstructorError(
                    "while constructing a mapping",
                    node.start_mark,
                    "found unhashable key",
                    key_node.start_mark,
                ) from None
            if duplicate:
                raise _duplicate_key(node, key_node, key)
            result[key] = self.value(value_node)
        return result


def _documents(text: str) -> list[Any]:
    loader = _StrictLoader(text)
    try:
        documents = []
        while loader.check_node():
            documents.append(_Builder(loader).value(loader.get_node()))
            loader.constructed_objects = {}
            loader.recursive_objects = {}
        return documents
    finally:
        loader.dispose()


class YamlReadError(Exception):
    """The file could not be read as one YAML document; the message says why, for people."""


# Input files are small: a customer file is a few hundred bytes, Highflame's file a few KB.
MAX_INPUT_BYTES = 1024 * 1024


def read_bounded(path: Path, limit: int = MAX_INPUT_BYTES) -> bytes:
    """The bytes of a regular file of at most `limit` bytes; YamlReadError for anything else.

    Opened with O_NONBLOCK and checked with fstat before reading, so a FIFO, a socket or a
    device (a symlink to /dev/zero, say) is refused instead of hanging or filling memory.
    """
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0)
    try:
        fd = os.open(path, flags)
    except OSError as exc:
        raise YamlReadError(f"cannot read the file: {exc.strerror or exc}") from None
    try:
        info = os.fstat(fd)
        if stat.S_ISDIR(info.st_mode):
            raise YamlReadError("is a directory, not a file")
        if not stat.S_ISREG(info.st_mode):
            raise YamlReadError("not a regular file (a FIFO, socket or device is never read)")
        if info.st_size > limit:
            raise YamlReadError(f"larger than {limit} bytes")
        chunks: list[bytes] = []
        size = 0
        while True:
            chunk = os.read(fd, min(65536, limit + 1 - size))
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
            if size > limit:
                raise YamlReadError(f"larger than {limit} bytes")
        return b"".join(chunks)
    except OSError as exc:
        raise YamlReadError(f"cannot read the file: {exc.strerror or exc}") from None
    finally:
        os.close(fd)


def load_yaml_file(path: Path, limit: int = MAX_INPUT_BYTES) -> Any:
    """Parse one file; raise YamlReadError for unreadable, binary, empty or malformed input."""
    return load_yaml_bytes(read_bounded(path, limit))


def load_yaml_bytes(raw: bytes) -> Any:
    """Parse bytes that should hold one YAML document."""
    if b"\x00" in raw:
        raise YamlReadError("not a text file (it contains NUL bytes)")
    try:
        text = raw.decode("utf-8-sig")  # a leading byte-order mark is not content
    except UnicodeDecodeError:
        raise YamlReadError("not UTF-8 text") from None
    if not text.strip() or all(
        not line.strip() or line.lstrip().startswith("#") for line in text.splitlines()
    ):
        raise YamlReadError("the file is empty")
    try:
        docs = _documents(text)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        problem = exc.problem or exc.context or "malformed"
        raise YamlReadError(f"not valid YAML: {problem}{where}") from None
    except yaml.YAMLError as exc:
        raise YamlReadError(f"not valid YAML: {exc}") from None
    except (RecursionError, ValueError, OverflowError) as exc:
        raise YamlReadError(f"not valid YAML: {exc}") from None
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
