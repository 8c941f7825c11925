"""The SRE roster (`sre.members` in tailnet/highflame.yaml), edited line by line.

Per-engineer revocation is one line removed from this file. Edits keep every comment where it
was: a new email goes in sorted position just above the comments that introduce the next
member, a removed member's line goes with its own end-of-line comment and nothing else. The
file must be valid before the edit and is validated again after it, and the resulting member
list is checked against the intended one before anything is written.
"""

from __future__ import annotations

from typing import Any

from ruamel.yaml.comments import CommentedMap, CommentedSeq

from hfaccess.registry.errors import InvalidInput
from hfaccess.registry.highflame import HighflameConfig, tailnet_login
from hfaccess.registry.models import Customer
from hfaccess.registry.validation import validate_document
from hfaccess.registry.yamlio import YamlReadError, load_yaml_bytes
from hfaccess.yamledit import dump_roundtrip, load_roundtrip


class RosterError(Exception):
    """The edit cannot be made; the message says why (one line per problem)."""


def normalise_email(raw: str) -> str:
    """A tailnet login as the roster stores it: validated, lowercase."""
    try:
        return tailnet_login(raw)
    except ValueError:
        raise RosterError(f"not an email address: {raw!r}") from None


def read_config(text: str, display: str) -> HighflameConfig:
    """Validate the whole file; RosterError lists every problem."""
    try:
        return validate_document(display, HighflameConfig, load_yaml_bytes(text.encode("utf-8")))
    except YamlReadError as exc:
        raise RosterError(f"{display}: {exc}") from None
    except InvalidInput as exc:
        raise RosterError("\n".join(str(e) for e in exc.errors)) from None


def _members_node(data: Any) -> CommentedSeq | None:
    if not isinstance(data, CommentedMap):
        return None
    sre = data.get("sre")
    if not isinstance(sre, CommentedMap):
        return None
    members = sre.get("members")
    return members if isinstance(members, CommentedSeq) else None


def _block_items(seq: CommentedSeq | None) -> bool:
    return seq is not None and len(seq) > 0 and not seq.fa.flow_style()


def _item_line(seq: CommentedSeq, index: int) -> int:
    line: int = seq.lc.item(index)[0]
    return line


def _insert_line(lines: list[str], seq: CommentedSeq, index: int, email: str) -> list[str]:
    """Insert `- email` before item `index` (above its leading comments), or after the last."""
    if index < len(seq):
        at = _item_line(seq, index)
        template = lines[at]
        floor = _item_line(seq, index - 1) + 1 if index > 0 else at
        while at > floor and lines[at - 1].lstrip().startswith("#"):
            at -= 1
    else:
        last = _item_line(seq, len(seq) - 1)
        template = lines[last]
        at = last + 1
    indent = template[: template.index("-")]
    return [*lines[:at], f"{indent}- {email}\n", *lines[at:]]


def _structural(data: Any, edit: str, email: str) -> str:
    """Edit through ruamel when there are no block items to keep comments for."""
    if not isinstance(data, CommentedMap):
        raise RosterError("not a mapping at the top level")
    sre = data.get("sre")
    if sre is None:
        sre = CommentedMap()
        data["sre"] = sre
    if not isinstance(sre, CommentedMap):
        raise RosterError("sre: not a mapping")
    members = sre.get("members")
    if members is None:
        members = CommentedSeq()
        sre["members"] = members
    if edit == "add":
        position = next((i for i, m in enumerate(members) if str(m).lower() > email), len(members))
        members.insert(position, email)
    else:
        members[:] = [m for m in members if str(m).lower() != email]
    return dump_roundtrip(data)


def _checked(text: str, display: str, expected: list[str]) -> str:
    config = read_config(text, display)
    if config.sre.members != sorted(expected):  # pragma: no cover - a bug guard
        raise RosterError(f"{display}: the edit produced {config.sre.members}, not {expected}")
    return text


def add_member(text: str, raw_email: str, display: str) -> str | None:
    """The file with `raw_email` added; None if it is already a member."""
    email = normalise_email(raw_email)
    current = read_config(text, display).sre.members
    if email in current:
        return None
    data = load_roundtrip(text)
    seq = _members_node(data)
    if seq is not None and _block_items(seq):
        position = next((i for i, m in enumerate(seq) if str(m).lower() > email), len(seq))
        lines = text.splitlines(keepends=True)
        edited = "".join(_insert_line(lines, seq, position, email))
    else:
        edited = _structural(data, "add", email)
    return _checked(edited, display, [*current, email])


def remove_member(text: str, raw_email: str, display: str) -> str:
    """The file without `raw_email`; RosterError if it is not a member."""
    email = normalise_email(raw_email)
    current = read_config(text, display).sre.members
    if email not in current:
        listed = ", ".join(current) or "nobody"
        raise RosterError(f"{email} is not an SRE member in {display} (members: {listed})")
    data = load_roundtrip(text)
    seq = _members_node(data)
    if seq is not None and _block_items(seq):
        lines = text.splitlines(keepends=True)
        drop = {_item_line(seq, i) for i, m in enumerate(seq) if str(m).lower() == email}
        if len(drop) == len(seq):  # the last member: the key must stay a (now empty) list
            key_line: int = data["sre"].lc.key("members")[0]
            lines[key_line] = lines[key_line].replace("members:", "members: []", 1)
        edited = "".join(line for n, line in enumerate(lines) if n not in drop)
    else:
        edited = _structural(data, "remove", email)
    return _checked(edited, display, [m for m in current if m != email])


def drop_break_glass_engineer(text: str, member: str, display: str) -> str | None:
    """A customer file's text without `member` in any `break_glass.engineers`, or None if it
    names them nowhere. An environment whose list would be empty loses `break_glass` (nobody
    may be elevated there any more). The result is validated before it is returned.
    """
    data = load_roundtrip(text)
    environments = data.get("environments") if isinstance(data, CommentedMap) else None
    if not isinstance(environments, CommentedMap):
        return None
    changed = False
    for name, environment in list(environments.items()):
        glass = environment.get("break_glass") if isinstance(environment, CommentedMap) else None
        engineers = glass.get("engineers") if isinstance(glass, CommentedMap) else None
        if not isinstance(engineers, CommentedSeq):
            continue
        kept = [e for e in engineers if str(e).lower() != member]
        if len(kept) == len(engineers):
            continue
        changed = True
        if kept:
            engineers[:] = kept
        else:
            environment.pop("break_glass")
            if not environment:  # a fresh map dumps as `{}` beside the key's comment
                environments[name] = CommentedMap()
    if not changed:
        return None
    edited = dump_roundtrip(data)
    try:
        validate_document(display, Customer, load_yaml_bytes(edited.encode("utf-8")))
    except (InvalidInput, YamlReadError) as exc:
        raise RosterError(f"{display}: would not stay valid: {exc}") from None
    return edited
