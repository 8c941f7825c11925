"""What a read-only SRE role must never grant, in one place, and a checker over RBAC rules.

Kubernetes RBAC has no deny: anything a rule lists (or matches with a wildcard) is granted. The
checker flags every rule that reaches an escalation path, so the tests can prove the default role
is read-only. Test-only: the CrossGuard pack keeps its own copy of these lists, self-contained
(guardrails/highflame_policies/limits.py), and tests/guardrails/test_limits_match_core.py checks
that the two agree. It accepts rules in manifest form (`apiGroups`) or Pulumi's
Python form (`api_groups`).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any, Final

# Resources never granted, whatever the verb (see the RBAC reference's table).
FORBIDDEN_RESOURCES: Final = frozenset(
    {
        "secrets",  # credentials; list/watch return contents too
        "pods/exec",
        "pods/attach",
        "pods/portforward",
        "pods/ephemeralcontainers",  # kubectl debug
        "pods/proxy",
        "services/proxy",
        "nodes/proxy",  # the kubelet API, which allows exec
        "serviceaccounts/token",  # minting tokens for other identities
        "certificatesigningrequests",
        "certificatesigningrequests/approval",
        "certificatesigningrequests/status",
    }
)
# Any subresource named `proxy` tunnels to something.
FORBIDDEN_SUBRESOURCES: Final = frozenset({"proxy"})
# Refused with every subresource they have or may gain (a CSR's approval and status mint
# certificates). RBAC matches resource names exactly: `secretsx` would be another resource.
FORBIDDEN_WITH_SUBRESOURCES: Final = frozenset({"secrets", "certificatesigningrequests"})
# Anything in these API groups lets the holder grant itself more.
FORBIDDEN_API_GROUPS: Final = frozenset({"rbac.authorization.k8s.io"})
# Read-only means exactly these verbs; escalate, bind, impersonate, approve and every write
# verb (create, update, patch, delete, deletecollection) fall outside.
READ_VERBS: Final = frozenset({"get", "list", "watch"})
WILDCARD: Final = "*"


def _field(rule: Mapping[str, Any], camel: str, snake: str) -> list[str]:
    value = rule.get(camel, rule.get(snake))
    if value is None:
        return []
    if isinstance(value, str):
        return [value]
    return [str(item) for item in value]


def _resource_problems(resource: str) -> list[str]:
    problems = []
    if WILDCARD in resource:
        problems.append(f"wildcard resource {resource!r}")
    base, _, sub = resource.partition("/")
    if resource in FORBIDDEN_RESOURCES or base in FORBIDDEN_WITH_SUBRESOURCES:
        problems.append(f"forbidden resource {resource!r}")
    elif sub in FORBIDDEN_SUBRESOURCES:
        problems.append(f"forbidden subresource {resource!r}")
    return problems


def rule_problems(rule: Mapping[str, Any]) -> list[str]:
    """Why one policy rule is not read-only and safe (empty when it is)."""
    problems: list[str] = []
    for group in _field(rule, "apiGroups", "api_groups"):
        if WILDCARD in group:
            problems.append(f"wildcard API group {group!r}")
        elif group in FORBIDDEN_API_GROUPS:
            problems.append(f"forbidden API group {group!r}")
    for resource in _field(rule, "resources", "resources"):
        problems.extend(_resource_problems(resource))
    for verb in _field(rule, "verbs", "verbs"):
        if verb == WILDCARD:
            problems.append("wildcard verb '*'")
        elif verb not in READ_VERBS:
            problems.append(f"verb {verb!r} is not read-only")
    for url in _field(rule, "nonResourceURLs", "non_resource_urls"):
        if WILDCARD in url:
            problems.append(f"wildcard non-resource URL {url!r}")
    return problems


def forbidden_grants(rules: Iterable[Mapping[str, Any]]) -> list[str]:
    """Every escalation path the rules grant, as `rule N: reason` (empty means read-only)."""
    return [
        f"rule {index}: {problem}"
        for index, rule in enumerate(rules)
        for problem in rule_problems(rule)
    ]
