"""The one reader of Tailscale policy syntax: text (JSON or HuJSON) in, a typed Policy out.

Every part of the project that looks inside a policy document goes through here: the checker,
`check --policy`, the kill switch's policy edit, and the base policy of `tailnet/highflame.yaml`.
So there is one answer to "what does this selector name" and "where does the port start".

- `parse_policy_text` / `read_policy_file`: HuJSON (comments, trailing commas) with duplicate
  object keys refused (Tailscale refuses them too; JSON parsers silently keep the last one).
  Files are opened without blocking and read with a size cap.
- `read_policy(document)`: typed views of every section the policy language has. It never
  raises: malformed parts become `problems`, sections it does not know become `unknown`.
- `split_host_port` / `host_of`: the one way to split `host:port` selectors.
"""

from __future__ import annotations

import ipaddress
import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from hfaccess.policy.hujson import PolicyFileError, strip_hujson
from hfaccess.registry.yamlio import YamlReadError, read_bounded

__all__ = [
    "DuplicateKeyError",
    "Policy",
    "PolicyFileError",
    "host_of",
    "parse_policy_text",
    "read_policy",
    "read_policy_file",
    "split_host_port",
]

# A policy of 10,000 customers is about 10 MB; anything far larger is not a policy file.
MAX_POLICY_BYTES = 32 * 1024 * 1024

# Every top-level section of the policy language (Tailscale's policy syntax reference).
ACCESS_SECTIONS = ("grants", "acls", "ssh")
DEFINITION_SECTIONS = ("groups", "tagOwners", "hosts", "ipsets", "postures")
CONTROL_SECTIONS = ("nodeAttrs", "autoApprovers", "defaultSrcPosture")
TEST_SECTIONS = ("tests", "sshTests")
# Tailnet-wide settings: they change how devices connect, never who may reach whom.
SETTING_SECTIONS = ("derpMap", "disableIPv4", "OneCGNATRoute", "randomizeClientPort")
KNOWN_SECTIONS = frozenset(
    ACCESS_SECTIONS + DEFINITION_SECTIONS + CONTROL_SECTIONS + TEST_SECTIONS + SETTING_SECTIONS
)


class DuplicateKeyError(PolicyFileError):
    """A JSON object names the same key twice."""


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for key, value in pairs:
        if key in result:
            raise DuplicateKeyError(f"duplicate key {key!r}")
        result[key] = value
    return result


def parse_policy_text(text: str) -> Any:
    """Parse JSON or HuJSON text; raise PolicyFileError naming line and column, or the key."""
    try:
        return json.loads(strip_hujson(text), object_pairs_hook=_no_duplicates)
    except json.JSONDecodeError as exc:
        raise PolicyFileError(f"line {exc.lineno} column {exc.colno}: {exc.msg}") from None
    except RecursionError:
        raise PolicyFileError("nested too deeply") from None


def read_policy_file(path: Path, limit: int = MAX_POLICY_BYTES) -> Any:
    """Read a policy file (regular file, at most `limit` bytes, opened without blocking)."""
    try:
        raw = read_bounded(path, limit)
    except YamlReadError as exc:
        raise PolicyFileError(str(exc)) from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise PolicyFileError("cannot read the file: not UTF-8 text") from None
    return parse_policy_text(text)


# --- selectors -------------------------------------------------------------------------------


def split_host_port(text: str) -> tuple[str, str]:
    """`tag:x:443` -> (`tag:x`, `443`); `host:*` -> (`host`, `*`); IPv6 `[::1]:22` too.

    Without a port part (`tag:x`, `group:g`, `alice@example.com`) the port is "".
    """
    if text.startswith("["):
        host, _, port = text[1:].partition("]:")
        return host, port
    if text.startswith(("tag:", "group:", "autogroup:", "ipset:", "svc:", "posture:")):
        kind, _, rest = text.partition(":")
        name, sep, port = rest.partition(":")
        return (f"{kind}:{name}", port) if sep else (text, "")
    host, sep, port = text.rpartition(":")
    if not sep or not host:
        return text, ""
    if ":" in host and (_is_address(text) or not _is_port_list(port)):
        return text, ""  # a bare IPv6 address or prefix (with a port it is written [addr]:port)
    return host, port


def _is_address(text: str) -> bool:
    try:
        ipaddress.ip_network(text, strict=False)
    except ValueError:
        return False
    return True


def _is_port_list(text: str) -> bool:
    return text == "*" or (
        all(p.replace("-", "").isdigit() for p in text.split(",")) and bool(text)
    )


def host_of(selector: str) -> str:
    """The host part of a selector (`tag:x:443` -> `tag:x`); unchanged when it has no port."""
    return split_host_port(selector)[0]


# --- typed views -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Grant:
    """One entry of `grants`."""

    where: str
    src: tuple[str, ...]
    dst: tuple[str, ...]
    ip: tuple[str, ...]
    via: tuple[str, ...]
    src_posture: tuple[str, ...]
    app: Mapping[str, Any]


@dataclass(frozen=True)
class AclTarget:
    """One `dst` entry of a legacy acl: a host selector and its ports."""

    host: str
    ports: tuple[str, ...]


@dataclass(frozen=True)
class Acl:
    """One entry of the legacy `acls` (`users`/`ports` are the old names of `src`/`dst`)."""

    where: str
    action: str
    src: tuple[str, ...]
    proto: str | None
    dst: tuple[AclTarget, ...]
    src_posture: tuple[str, ...]


@dataclass(frozen=True)
class SshRule:
    """One entry of `ssh`."""

    where: str
    action: str
    src: tuple[str, ...]
    dst: tuple[str, ...]
    users: tuple[str, ...]
    recorder: tuple[str, ...]
    enforce_recorder: bool
    src_posture: tuple[str, ...]


@dataclass(frozen=True)
class NodeAttr:
    """One entry of `nodeAttrs`: attributes (e.g. `funnel`) or app capabilities for targets."""

    where: str
    target: tuple[str, ...]
    attr: tuple[str, ...]
    app: Mapping[str, Any]


@dataclass(frozen=True)
class AutoApprovers:
    """Who may advertise routes, exit nodes and services without an admin's approval."""

    routes: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    exit_node: tuple[str, ...] = ()
    services: Mapping[str, tuple[str, ...]] = field(default_factory=dict)


@dataclass(frozen=True)
class PolicyTest:
    """One entry of `tests` (`allow` is the legacy spelling of `accept`)."""

    where: str
    src: str
    proto: str | None
    accept: tuple[str, ...]
    deny: tuple[str, ...]


@dataclass(frozen=True)
class SshTest:
    """One entry of `sshTests`."""

    where: str
    src: str
    dst: tuple[str, ...]
    accept: tuple[str, ...]
    check: tuple[str, ...]
    deny: tuple[str, ...]


@dataclass(frozen=True)
class Policy:
    """Typed view of one policy document. `problems` are `<where>: <reason>` lines."""

    groups: Mapping[str, tuple[str, ...]]
    tag_owners: Mapping[str, tuple[str, ...]]
    hosts: Mapping[str, str]
    ipsets: Mapping[str, tuple[str, ...]]
    postures: Mapping[str, tuple[str, ...]]
    default_src_posture: tuple[str, ...]
    grants: tuple[Grant, ...]
    acls: tuple[Acl, ...]
    ssh: tuple[SshRule, ...]
    node_attrs: tuple[NodeAttr, ...]
    auto_approvers: AutoApprovers
    tests: tuple[PolicyTest, ...]
    ssh_tests: tuple[SshTest, ...]
    settings: Mapping[str, Any]
    unknown: tuple[str, ...]
    problems: tuple[str, ...]

    def sources(self) -> Iterator[tuple[str, tuple[str, ...]]]:
        """(where, src selectors) of every access rule."""
        for grant in self.grants:
            yield grant.where, grant.src
        for acl in self.acls:
            yield acl.where, acl.src
        for rule in self.ssh:
            yield rule.where, rule.src


def strings_in(value: Any, path: str, prefix: str = "") -> list[tuple[str, str]]:
    """(path, text) for every string in `value`, mapping keys included, starting with `prefix`.

    A key's path is the key's own (`grants[0].foo`). Paths are built only for the strings kept
    and for containers: a 6 MB policy holds a million strings, almost none of them kept.
    """
    found: list[tuple[str, str]] = []
    _collect_strings(value, path, prefix, found)
    return found


def _collect_strings(value: Any, path: str, prefix: str, found: list[tuple[str, str]]) -> None:
    if isinstance(value, str):
        if value.startswith(prefix):
            found.append((path, value))
    elif isinstance(value, dict):
        for key, item in value.items():
            text = str(key)
            if text.startswith(prefix):
                found.append((f"{path}.{key}", text))
            if isinstance(item, dict | list) or (isinstance(item, str) and item.startswith(prefix)):
                _collect_strings(item, f"{path}.{key}", prefix, found)
    elif isinstance(value, list):
        for index, item in enumerate(value):
            if isinstance(item, dict | list) or (isinstance(item, str) and item.startswith(prefix)):
                _collect_strings(item, f"{path}[{index}]", prefix, found)


def string_list(value: Any) -> tuple[str, ...] | None:
    """`value` as a tuple of strings, or None when it is not a list of strings."""
    if isinstance(value, list) and all(isinstance(item, str) for item in value):
        return tuple(value)
    return None


class _Reader:
    """Reads one document, collecting problems instead of raising."""

    def __init__(self) -> None:
        self.problems: list[str] = []

    def problem(self, where: str, reason: str) -> None:
        self.problems.append(f"{where}: {reason}")

    def strings(self, value: Any, where: str, default: tuple[str, ...] = ()) -> tuple[str, ...]:
        if value is None:
            return default
        listed = string_list(value)
        if listed is None:
            self.problem(where, "must be a list of strings")
            return default
        return listed

    def mapping(self, document: Mapping[str, Any], section: str) -> Mapping[str, Any]:
        value = document.get(section, {})
        if not isinstance(value, dict):
            self.problem(section, "must be an object")
            return {}
        return value

    def entries(self, document: Mapping[str, Any], section: str) -> Iterator[tuple[str, Any]]:
        value = document.get(section, [])
        if not isinstance(value, list):
            self.problem(section, "must be a list")
            return
        for index, entry in enumerate(value):
            where = f"{section}[{index}]"
            if isinstance(entry, dict):
                yield where, entry
            else:
                self.problem(where, "must be an object")

    def keys(self, entry: Mapping[str, Any], where: str, allowed: frozenset[str]) -> None:
        for key in entry:
            if key not in allowed:
                self.problem(f"{where}.{key}", "unknown field")

    def named_lists(self, document: Mapping[str, Any], section: str) -> dict[str, tuple[str, ...]]:
        return {
            str(name): self.strings(value, f"{section}.{name}")
            for name, value in self.mapping(document, section).items()
        }

    def grant(self, where: str, entry: Mapping[str, Any]) -> Grant:
        self.keys(entry, where, _GRANT_KEYS)
        app = entry.get("app", {})
        if not isinstance(app, dict):
            self.problem(f"{where}.app", "must be an object")
            app = {}
        if "src" not in entry or "dst" not in entry:
            self.problem(where, "needs src and dst")
        if "ip" not in entry and "app" not in entry:
            self.problem(where, "needs ip or app")
        return Grant(
            where,
            self.strings(entry.get("src"), f"{where}.src"),
            self.strings(entry.get("dst"), f"{where}.dst"),
            self.strings(entry.get("ip"), f"{where}.ip"),
            self.strings(entry.get("via"), f"{where}.via"),
            self.strings(entry.get("srcPosture"), f"{where}.srcPosture"),
            app,
        )

    def acl(self, where: str, entry: Mapping[str, Any]) -> Acl:
        self.keys(entry, where, _ACL_KEYS)
        action = entry.get("action", "accept")
        if action != "accept":
            self.problem(f"{where}.action", "must be 'accept'")
        proto = entry.get("proto")
        if proto is not None and not isinstance(proto, str | int):
            self.problem(f"{where}.proto", "must be a protocol name or number")
            proto = None
        if ("src" not in entry and "users" not in entry) or (
            "dst" not in entry and "ports" not in entry
        ):
            self.problem(where, "needs src and dst")
        src = self.strings(entry.get("src", entry.get("users")), f"{where}.src")
        dst = self.strings(entry.get("dst", entry.get("ports")), f"{where}.dst")
        targets = []
        for text in dst:
            host, ports = split_host_port(text)
            if not ports:
                self.problem(f"{where}.dst", f"{text!r} needs a port (host:port)")
            targets.append(AclTarget(host, tuple(ports.split(",")) if ports else ("*",)))
        return Acl(
            where,
            str(action),
            src,
            None if proto is None else str(proto),
            tuple(targets),
            self.strings(entry.get("srcPosture"), f"{where}.srcPosture"),
        )

    def ssh(self, where: str, entry: Mapping[str, Any]) -> SshRule:
        self.keys(entry, where, _SSH_KEYS)
        action = entry.get("action")
        if action not in ("accept", "check"):
            self.problem(f"{where}.action", "must be 'accept' or 'check'")
        if "src" not in entry or "dst" not in entry:
            self.problem(where, "needs src and dst")
        enforce = entry.get("enforceRecorder", False)
        if not isinstance(enforce, bool):
            self.problem(f"{where}.enforceRecorder", "must be true or false")
            enforce = False
        return SshRule(
            where,
            str(action),
            self.strings(entry.get("src"), f"{where}.src"),
            self.strings(entry.get("dst"), f"{where}.dst"),
            self.strings(entry.get("users"), f"{where}.users"),
            self.strings(entry.get("recorder"), f"{where}.recorder"),
            enforce,
            self.strings(entry.get("srcPosture"), f"{where}.srcPosture"),
        )

    def node_attr(self, where: str, entry: Mapping[str, Any]) -> NodeAttr:
        self.keys(entry, where, _NODE_ATTR_KEYS)
        app = entry.get("app", {})
        if not isinstance(app, dict):
            self.problem(f"{where}.app", "must be an object")
            app = {}
        return NodeAttr(
            where,
            self.strings(entry.get("target"), f"{where}.target"),
            self.strings(entry.get("attr"), f"{where}.attr"),
            app,
        )

    def auto_approvers(self, document: Mapping[str, Any]) -> AutoApprovers:
        raw = self.mapping(document, "autoApprovers")
        self.keys(raw, "autoApprovers", _AUTO_APPROVER_KEYS)
        routes = raw.get("routes", {})
        services = raw.get("services", {})
        if not isinstance(routes, dict):
            self.problem("autoApprovers.routes", "must be an object")
            routes = {}
        if not isinstance(services, dict):
            self.problem("autoApprovers.services", "must be an object")
            services = {}
        return AutoApprovers(
            {str(k): self.strings(v, f"autoApprovers.routes.{k}") for k, v in routes.items()},
            self.strings(raw.get("exitNode"), "autoApprovers.exitNode"),
            {str(k): self.strings(v, f"autoApprovers.services.{k}") for k, v in services.items()},
        )

    def test(self, where: str, entry: Mapping[str, Any]) -> PolicyTest | None:
        self.keys(entry, where, _TEST_KEYS)
        src = entry.get("src")
        if not isinstance(src, str):
            self.problem(f"{where}.src", "must be a string")
            return None
        proto = entry.get("proto")
        accept = self.strings(entry.get("accept"), f"{where}.accept")
        accept += self.strings(entry.get("allow"), f"{where}.allow")
        return PolicyTest(
            where,
            src,
            None if proto is None else str(proto),
            accept,
            self.strings(entry.get("deny"), f"{where}.deny"),
        )

    def ssh_test(self, where: str, entry: Mapping[str, Any]) -> SshTest | None:
        self.keys(entry, where, _SSH_TEST_KEYS)
        src = entry.get("src")
        if not isinstance(src, str):
            self.problem(f"{where}.src", "must be a string")
            return None
        return SshTest(
            where,
            src,
            self.strings(entry.get("dst"), f"{where}.dst"),
            self.strings(entry.get("accept"), f"{where}.accept"),
            self.strings(entry.get("check"), f"{where}.check"),
            self.strings(entry.get("deny"), f"{where}.deny"),
        )


_GRANT_KEYS = frozenset({"src", "dst", "ip", "via", "srcPosture", "app"})
_ACL_KEYS = frozenset({"action", "src", "users", "proto", "dst", "ports", "srcPosture"})
_SSH_KEYS = frozenset(
    {
        "action",
        "src",
        "dst",
        "users",
        "checkPeriod",
        "recorder",
        "enforceRecorder",
        "acceptEnv",
        "srcPosture",
    }
)
_NODE_ATTR_KEYS = frozenset({"target", "attr", "app"})
_AUTO_APPROVER_KEYS = frozenset({"routes", "exitNode", "services"})
_TEST_KEYS = frozenset({"src", "srcPostureAttrs", "proto", "accept", "allow", "deny"})
_SSH_TEST_KEYS = frozenset({"src", "dst", "accept", "check", "deny"})


def read_policy(document: Any) -> Policy:
    """Every section of `document`, typed; never raises (problems and unknown sections listed)."""
    reader = _Reader()
    if not isinstance(document, dict):
        reader.problem("(document)", "a policy must be a JSON object")
        document = {}
    hosts: dict[str, str] = {}
    for name, value in reader.mapping(document, "hosts").items():
        if isinstance(value, str):
            hosts[str(name)] = value
        else:
            reader.problem(f"hosts.{name}", "must be an address or prefix string")
    grants = tuple(reader.grant(w, e) for w, e in reader.entries(document, "grants"))
    acls = tuple(reader.acl(w, e) for w, e in reader.entries(document, "acls"))
    ssh = tuple(reader.ssh(w, e) for w, e in reader.entries(document, "ssh"))
    node_attrs = tuple(reader.node_attr(w, e) for w, e in reader.entries(document, "nodeAttrs"))
    tests = tuple(
        t for w, e in reader.entries(document, "tests") if (t := reader.test(w, e)) is not None
    )
    ssh_tests = tuple(
        st
        for w, e in reader.entries(document, "sshTests")
        if (st := reader.ssh_test(w, e)) is not None
    )
    return Policy(
        groups=reader.named_lists(document, "groups"),
        tag_owners=reader.named_lists(document, "tagOwners"),
        hosts=hosts,
        ipsets=reader.named_lists(document, "ipsets"),
        postures=reader.named_lists(document, "postures"),
        default_src_posture=reader.strings(document.get("defaultSrcPosture"), "defaultSrcPosture"),
        grants=grants,
        acls=acls,
        ssh=ssh,
        node_attrs=node_attrs,
        auto_approvers=reader.auto_approvers(document),
        tests=tests,
        ssh_tests=ssh_tests,
        settings={k: v for k, v in document.items() if k in SETTING_SECTIONS},
        unknown=tuple(sorted(str(k) for k in document if k not in KNOWN_SECTIONS)),
        problems=tuple(reader.problems),
    )
