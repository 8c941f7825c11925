"""Reading access rules out of any policy document, including hand-edited or live ones.

Grants, legacy `acls` and `ssh` rules are flattened into one shape (who, to which host, on which
ports, with which app capabilities) so the checker asks each question once. Nothing here
trusts the document's types: malformed parts are reported, never raised.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Target:
    """One destination of a rule: a host selector and the ports opened on it."""

    host: str
    ports: tuple[str, ...]  # grant `ip` entries, `proto:port` for acls, ("ssh",) for ssh


@dataclass(frozen=True)
class Rule:
    """One access rule, wherever it came from."""

    where: str
    src: tuple[str, ...]
    targets: tuple[Target, ...]
    app: dict[str, Any] = field(default_factory=dict)
    src_posture: tuple[str, ...] = ()  # grants' `srcPosture` (named postures required of src)


def string_list(value: Any) -> tuple[str, ...] | None:
    """`value` as a tuple of strings, or None when it is not a list of strings."""
    if isinstance(value, list) and all(isinstance(item, str) for item in value):
        return tuple(value)
    return None


def split_host_port(text: str) -> tuple[str, str]:
    """`tag:x:443` -> (`tag:x`, `443`); `host:*` -> (`host`, `*`); IPv6 `[::1]:22` too."""
    if text.startswith("["):
        host, _, port = text[1:].partition("]:")
        return host, port
    host, _, port = text.rpartition(":")
    return (host, port) if host else (text, "")


def _grant(index: int, grant: Any, problems: list[str]) -> Rule | None:
    where = f"grants[{index}]"
    if not isinstance(grant, dict):
        problems.append(f"{where}: must be an object")
        return None
    src, dst = string_list(grant.get("src")), string_list(grant.get("dst"))
    ip = string_list(grant.get("ip", []))
    app = grant.get("app", {})
    if src is None or dst is None or ip is None or not isinstance(app, dict):
        problems.append(f"{where}: src, dst and ip must be lists of strings, app an object")
        return None
    posture = string_list(grant.get("srcPosture", []))
    if posture is None:
        problems.append(f"{where}: srcPosture must be a list of strings")
        return None
    return Rule(where, src, tuple(Target(host, ip) for host in dst), app, posture)


def _acl(index: int, acl: Any, problems: list[str]) -> Rule | None:
    where = f"acls[{index}]"
    if not isinstance(acl, dict):
        problems.append(f"{where}: must be an object")
        return None
    src = string_list(acl.get("src", acl.get("users")))
    dst = string_list(acl.get("dst", acl.get("ports")))
    if src is None or dst is None:
        problems.append(f"{where}: src and dst must be lists of strings")
        return None
    proto = acl.get("proto")
    targets = []
    for entry in dst:
        host, ports = split_host_port(entry)
        listed = tuple(ports.split(",")) if ports else ("*",)
        if isinstance(proto, str):
            listed = tuple(f"{proto}:{port}" for port in listed)
        targets.append(Target(host, listed))
    return Rule(where, src, tuple(targets))


def _ssh(index: int, rule: Any, problems: list[str]) -> Rule | None:
    where = f"ssh[{index}]"
    if not isinstance(rule, dict):
        problems.append(f"{where}: must be an object")
        return None
    src, dst = string_list(rule.get("src")), string_list(rule.get("dst"))
    if src is None or dst is None:
        problems.append(f"{where}: src and dst must be lists of strings")
        return None
    return Rule(where, src, tuple(Target(host, ("ssh",)) for host in dst))


_READERS = {"grants": _grant, "acls": _acl, "ssh": _ssh}


def access_rules(document: dict[str, Any], problems: list[str]) -> Iterator[Rule]:
    """Every rule of `grants`, `acls` and `ssh`; malformed ones are described in `problems`."""
    for section, reader in _READERS.items():
        entries = document.get(section, [])
        if not isinstance(entries, list):
            problems.append(f"{section}: must be a list")
            continue
        for index, entry in enumerate(entries):
            rule = reader(index, entry, problems)
            if rule is not None:
                yield rule
