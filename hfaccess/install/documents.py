"""YAML text for rendered files: stable key order, a comment header, several documents."""

from __future__ import annotations

import functools
import json
import json.encoder
import marshal
import re
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
    A mapping that differs between stacks only in a few entries (the Helm values: a hostname
    and two tags) is emitted entry by entry, so the shared entries come from the same cache;
    the text is byte-identical to emitting it whole (see `_split_text`).
    """
    exact = _exact_key(value)
    if exact is not None:
        known = _texts.get(exact)
        if known is not None:
            return known
    try:
        key = json.dumps(value, ensure_ascii=False, allow_nan=False)
    except (TypeError, ValueError):
        return _emit(value)
    text = _document(key)
    if exact is not None:
        _remember(_texts, exact, text)
    return text


def _exact_key(value: Any) -> bytes | None:
    """Bytes that only an identical value has: same types (True is not 1, 1.0 is not 1), same
    order, same scalars. marshal writes exactly that, and several times faster than JSON.
    None for what marshal does not write (a subclass, any other object).
    """
    try:
        return marshal.dumps(value, _MARSHAL_VERSION)
    except ValueError:
        return None


# Version 2: no back-references (version 3 adds them, and they follow reference counts).
_MARSHAL_VERSION = 2
_texts: dict[bytes, str] = {}


@functools.lru_cache(maxsize=256)
def _document(key: str) -> str:
    value = json.loads(key)
    if isinstance(value, dict) and value:
        split = _split_text(value, 0)
        if split is not None:
            return split
    return _emit(value)


def yaml_text_varying(value: Any) -> str:
    """`yaml_text` for a document that differs from stack to stack (the Helm values).

    Equal to `yaml_text(value)`, without its whole-document JSON key and re-parse, which never
    pay off for a document seen once: the entries are looked up where they are.
    """
    if value.__class__ is dict and value:
        parts: list[str | None] = []
        pending: list[tuple[int, str, int, tuple[str, Any, int] | None]] = []
        if _split_live(value, 0, parts, pending) and _resolve(parts, pending):
            return "".join(part for part in parts if part is not None)
    return yaml_text(value)


def emit_whole(value: Any) -> str:
    """The reference emission (one libyaml pass, no cache, no split): what `yaml_text` equals."""
    return _emit(value)


# Splitting may only change how the text is produced, never the text: a block mapping's entry
# is emitted exactly as at the root, indented, as long as no line comes near the line width
# (where the emitter would fold a scalar depending on its column) and no scalar spans lines.
_SPLIT_DEPTH = 2
_SAFE_LINE = 80  # well below the emitter's width of 100
_PLAIN_KEY = re.compile(r"[A-Za-z][A-Za-z0-9_./-]*\Z")


def _split_text(mapping: dict[Any, Any], depth: int) -> str | None:
    parts: list[str] = []
    for key, child in mapping.items():
        if not (isinstance(key, str) and _PLAIN_KEY.match(key)):
            return None
        try:
            encoded = json.dumps({key: child}, ensure_ascii=False, allow_nan=False)
        except (TypeError, ValueError):
            return None
        if isinstance(child, dict) and child and depth < _SPLIT_DEPTH:
            text = _nested_entry(encoded, depth)  # a repeated subtree: one cache look-up
        else:
            text = _indented(encoded, depth)
        if text is None:
            return None
        parts.append(text)
    return "".join(parts)


@functools.lru_cache(maxsize=1024)
def _nested_entry(encoded: str, depth: int) -> str | None:
    """`key:` then its mapping's entries one level deeper (`encoded`: `{key: mapping}`)."""
    ((key, child),) = json.loads(encoded).items()
    head = _indented(json.dumps({key: 0}), depth)  # the key as the emitter writes it
    if head is None or not head.endswith(": 0\n"):
        return None
    inner = _split_text(child, depth + 1)
    if inner is None:
        return None
    return head.removesuffix(" 0\n") + "\n" + inner


def _split_live(
    mapping: dict[Any, Any],
    depth: int,
    parts: list[str | None],
    pending: list[tuple[int, str, int, tuple[str, Any, int] | None]],
) -> bool:
    """`_split_text` on the built value itself: no JSON text of the whole value, no re-parse.

    The same entries and the same checks (`_head`, `_entry_text`), so the same text; only the
    cache keys differ: a scalar entry is looked up by its key, type and value, a list or mapping
    entry by its exact bytes (`_exact_key`). Entries not seen before are left as None in
    `parts` and listed in `pending` (place, JSON text, depth, scalar key) for `_resolve`.
    False where `_split_text` might also give up.
    """
    for key, child in mapping.items():
        if not (key.__class__ is str and _plain_key(key)):
            return False
        cls = child.__class__
        if cls is dict and child and depth < _SPLIT_DEPTH:
            head = _head(key, depth)
            if head is None:
                return False
            parts.append(head)
            if not _split_live(child, depth + 1, parts, pending):
                return False
            continue
        if cls is str or cls is bool or cls is int or child is None:
            frozen: Any = (cls, child)
        else:
            frozen = _exact_key(child) if cls is list or cls is dict else None
        scalar: tuple[str, Any, int] | None = None
        if frozen is not None:
            scalar = (key, frozen, depth)
            text = _scalar_entries.get(scalar, _MISSING)
            if text is not _MISSING:
                if text is None:
                    return False
                parts.append(text)
                continue
        elif not (cls is list or cls is dict):
            return False  # floats, tuples, other types: left to the JSON round trip
        try:
            encoded = json.dumps({key: child}, ensure_ascii=False, allow_nan=False)
        except (TypeError, ValueError):
            return False
        text = _entries.get((encoded, depth), _MISSING)
        if text is _MISSING:
            if not _emittable(encoded):
                return False
            pending.append((len(parts), encoded, depth, scalar))
            parts.append(None)
            continue
        if text is None:
            return False
        parts.append(text)
        if scalar is not None:
            _remember(_scalar_entries, scalar, text)
    return True


def _plain_key(key: str) -> bool:
    plain = _plain_keys.get(key)
    if plain is None:
        plain = bool(_PLAIN_KEY.match(key))
        _remember(_plain_keys, key, plain)
    return plain


def _resolve(
    parts: list[str | None],
    pending: list[tuple[int, str, int, tuple[str, Any, int] | None]],
) -> bool:
    """Emit the entries `_split_live` left open and put them in place (and in the caches)."""
    if not pending:
        return True
    ok = True
    for place, encoded, depth, scalar in pending:
        text = _entry_text(_emit_json(encoded), depth)
        _remember(_entries, (encoded, depth), text)
        if scalar is not None:
            _remember(_scalar_entries, scalar, text)
        parts[place] = text
        ok = ok and text is not None
    return ok


def _remember(cache: dict[Any, Any], key: Any, text: Any) -> None:
    if len(cache) >= _ENTRIES_MAX:
        cache.clear()  # a bound, not a policy: what was dropped is emitted again if needed
    cache[key] = text


_MISSING: Any = object()
_ENTRIES_MAX = 4096
_scalar_entries: dict[tuple[str, Any, int], str | None] = {}
_entries: dict[tuple[str, int], str | None] = {}
_plain_keys: dict[str, bool] = {}


@functools.lru_cache(maxsize=1024)
def _head(key: str, depth: int) -> str | None:
    """`key:` of a nested mapping, as `_nested_entry` writes it."""
    head = _indented(json.dumps({key: 0}), depth)
    if head is None or not head.endswith(": 0\n"):
        return None
    return head.removesuffix(" 0\n") + "\n"


@functools.lru_cache(maxsize=1024)
def _indented(encoded: str, depth: int) -> str | None:
    if not _emittable(encoded):
        return None
    return _entry_text(_emit_json(encoded), depth)


def _emittable(encoded: str) -> bool:
    """False for escapes (a newline, a quote) or non-ASCII: such text is left to one pass."""
    return encoded.isascii() and "\\" not in encoded


def _entry_text(text: str, depth: int) -> str | None:
    """One root entry's emission, indented to `depth`; None where that might not be exact."""
    indent = "  " * depth
    lines = text.splitlines(keepends=True)
    if any(len(line) + len(indent) > _SAFE_LINE for line in lines):
        return None
    if any(not line.startswith((" ", "-")) for line in lines[1:]):
        return None  # a second line at the root: a scalar spanning lines, or not one entry
    return "".join(indent + line for line in lines)


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


def yaml_documents(
    documents: Sequence[Any], header: Iterable[str] = (), *, varying: bool = False
) -> str:
    """Several documents separated by `---`, after a comment header.

    `varying`: the documents differ between stacks (`yaml_text_varying`); same text either way.
    """
    text = yaml_text_varying if varying else yaml_text
    body = "---\n".join(text(doc) for doc in documents)
    return comment_block(header) + body


# JSON files (`oauth-client.json`): `json.dumps(value, indent=2)` is the pure-Python encoder,
# about 20 times slower than the C one, for a small document whose shape (keys, list lengths)
# is the same for every environment of one kind. It is written once per shape with a token in
# place of each string, then each document's strings go where the tokens are, encoded by the
# very function `json` encodes strings with.
_JSON_TOKEN = re.compile('"@hf-([0-9]+)@"')
_JSON_SHAPES_MAX = 256
_json_shapes: dict[tuple[Any, ...], tuple[tuple[str, ...], tuple[int, ...]] | None] = {}


def json_text(value: Any) -> str:
    """Exactly `json.dumps(value, indent=2)`, for a document of mappings, lists and scalars."""
    shape: list[Any] = []
    strings: list[str] = []
    if not _json_walk(value, shape, strings):
        return json.dumps(value, indent=2)
    key = tuple(shape)
    if key in _json_shapes:
        found = _json_shapes[key]
    else:
        counter = [0]
        parts = _JSON_TOKEN.split(json.dumps(_json_abstract(value, counter), indent=2))
        order = tuple(int(index) for index in parts[1::2])
        # A key that looks like a token would split where no string is: then no shortcut.
        found = (tuple(parts[0::2]), order) if order == tuple(range(len(strings))) else None
        if len(_json_shapes) >= _JSON_SHAPES_MAX:
            _json_shapes.clear()
        _json_shapes[key] = found
    if found is None:
        return json.dumps(value, indent=2)
    texts, order = found
    encode = json.encoder.encode_basestring_ascii  # what json.dumps encodes each string with
    pieces = [texts[0]]
    for index, text in zip(order, texts[1:], strict=True):
        pieces.append(encode(strings[index]))
        pieces.append(text)
    return "".join(pieces)


def _json_walk(value: Any, shape: list[Any], strings: list[str]) -> bool:
    # Each value's part of the shape starts with its class: the shape reads back one way only.
    cls = value.__class__
    if cls is str:
        strings.append(value)
        shape.append(str)
    elif cls is bool or cls is int or value is None:
        shape.append(cls)
        shape.append(value)
    elif cls is list:
        shape.append(list)
        shape.append(len(value))
        return all(_json_walk(item, shape, strings) for item in value)
    elif cls is dict:
        shape.append(dict)
        for key, item in value.items():
            if key.__class__ is not str:
                return False
            shape.append(key)
            if not _json_walk(item, shape, strings):
                return False
        shape.append(None)
    else:
        return False  # floats (and anything else) are written the plain way
    return True


def _json_abstract(value: Any, counter: list[int]) -> Any:
    cls = value.__class__
    if cls is str:
        counter[0] += 1
        return f"@hf-{counter[0] - 1}@"
    if cls is list:
        return [_json_abstract(item, counter) for item in value]
    if cls is dict:
        return {key: _json_abstract(item, counter) for key, item in value.items()}
    return value
