"""Recording a revocation in `customers/<c>.yaml`, so the next `pulumi up` converges to it.

The file is edited in place (comments kept), the result is validated as a customer document
before anything is written, and the write is atomic. Already revoked means nothing to write.
Any `reinstated` entry goes: it lifted an earlier revocation, never this one.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ruamel.yaml.comments import CommentedMap

from hfaccess.registry.errors import InvalidInput
from hfaccess.registry.models import Customer
from hfaccess.registry.validation import validate_document
from hfaccess.registry.yamlio import YamlReadError, load_yaml_bytes
from hfaccess.yamledit import dump_roundtrip, load_roundtrip, write_atomically


class RecordError(Exception):
    """The file cannot be edited safely; the message says why, naming the file."""


@dataclass(frozen=True)
class Recorded:
    path: Path
    changed: bool
    field: str  # `revoked` or `environments.<env>.revoked`


def mark_revoked(text: str, environment: str | None, display: str) -> str | None:
    """The file's text with the revocation recorded, or None if it already was.

    Raises RecordError if the text is not a customer document or the environment is unknown.
    """
    try:
        data = load_roundtrip(text)
    except YamlReadError as exc:
        raise RecordError(f"{display}: {exc}") from None
    if not isinstance(data, CommentedMap):
        raise RecordError(f"{display}: not a customer document (a mapping)")
    dropped = data.pop("reinstated", None) is not None
    target: CommentedMap = data
    if environment is not None:
        envs = data.get("environments")
        if not isinstance(envs, CommentedMap) or environment not in envs:
            raise RecordError(f"{display}: environments.{environment}: no such environment")
        env_node = envs[environment]
        if env_node is None:  # `prod:` (null) means all defaults
            env_node = CommentedMap()
            envs[environment] = env_node
        if not isinstance(env_node, CommentedMap):
            raise RecordError(f"{display}: environments.{environment}: not a mapping")
        target = env_node
    if target.get("revoked") is True and not dropped:
        return None
    target["revoked"] = True
    if environment is not None:
        target.pop("break_glass", None)  # a revoked environment may not keep break-glass
    return dump_roundtrip(data)


def record_revocation(path: Path, environment: str | None) -> Recorded:
    """Write `revoked: true` for the customer (or one environment) into its file."""
    display = path.as_posix()
    field = "revoked" if environment is None else f"environments.{environment}.revoked"
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise RecordError(f"{display}: cannot read: {exc.strerror or exc}") from None
    edited = mark_revoked(text, environment, display)
    if edited is None:
        return Recorded(path, changed=False, field=field)
    try:
        validate_document(display, Customer, load_yaml_bytes(edited.encode("utf-8")))
    except (InvalidInput, YamlReadError) as exc:
        raise RecordError(f"{display}: would not stay valid: {exc}") from None
    try:
        write_atomically(path, edited)
    except OSError as exc:
        raise RecordError(f"{display}: cannot write: {exc.strerror or exc}") from None
    return Recorded(path, changed=True, field=field)
