"""Access rules in one shape: grants, legacy `acls` and `ssh` read by the policy reader.

Each rule is flattened into who, to which host, on which ports, through which routers, with
which app capabilities, so the checker asks each question once.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from hfaccess.policy.reader import Policy, read_policy, split_host_port, string_list

__all__ = ["Rule", "Target", "access_rules", "policy_rules", "split_host_port", "string_list"]


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
    app: Mapping[str, Any] = field(default_factory=dict)
    via: tuple[str, ...] = ()
    src_posture: tuple[str, ...] = ()


def policy_rules(policy: Policy) -> Iterator[Rule]:
    """Every rule of `grants`, `acls` and `ssh` of a read policy."""
    for grant in policy.grants:
        ports = grant.ip or ("*",)
        yield Rule(
            grant.where,
            grant.src,
            tuple(Target(host, ports) for host in grant.dst),
            grant.app,
            grant.via,
            grant.src_posture,
        )
    for acl in policy.acls:
        targets = tuple(
            Target(t.host, tuple(f"{acl.proto}:{p}" for p in t.ports) if acl.proto else t.ports)
            for t in acl.dst
        )
        yield Rule(acl.where, acl.src, targets, src_posture=acl.src_posture)
    for rule in policy.ssh:
        yield Rule(
            rule.where,
            rule.src,
            tuple(Target(host, ("ssh",)) for host in rule.dst),
            src_posture=rule.src_posture,
        )


def access_rules(document: dict[str, Any], problems: list[str]) -> Iterator[Rule]:
    """Every rule of `document`; malformed parts are described in `problems`."""
    policy = read_policy(document)
    problems.extend(policy.problems)
    yield from policy_rules(policy)
