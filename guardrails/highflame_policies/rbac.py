"""The default SRE role is read-only: no secrets, no exec, no escalation, no wildcards."""

from __future__ import annotations

from typing import Any

from pulumi_policy import ReportViolation, ResourceValidationArgs

from highflame_policies.limits import (
    FORBIDDEN_API_GROUPS,
    FORBIDDEN_RESOURCES,
    FORBIDDEN_SUBRESOURCE_SUFFIXES,
    FORBIDDEN_SUBRESOURCES,
    READ_VERBS,
    ROLE_TYPES,
    SRE_ROLE_NAME,
)
from highflame_policies.props import MISSING, UNKNOWN, elements, lookup


def is_sre_role(props: Any, resource_name: str) -> bool:
    """The role named highflame-sre (or, without metadata.name, auto-named after it)."""
    name = lookup(props, "metadata", "name")
    if name in (MISSING, UNKNOWN):
        return SRE_ROLE_NAME in resource_name
    return bool(name == SRE_ROLE_NAME)


def resource_problem(resource: str) -> str | None:
    """Why granting `resource` breaks read-only, if it does."""
    if "*" in resource:
        return f"resource {resource!r} is a wildcard (it includes secrets and pods/exec)"
    if resource.split("/", 1)[0] in FORBIDDEN_RESOURCES:
        return f"resource {resource!r} is never granted (credentials or certificates)"
    if resource in FORBIDDEN_SUBRESOURCES or resource.endswith(FORBIDDEN_SUBRESOURCE_SUFFIXES):
        return f"resource {resource!r} is never granted (exec, proxy or token minting)"
    return None


def _entries(rule: Any, key: str) -> list[Any]:
    """A rule field's entries; a bare string (not a list) counts as one entry, not as none."""
    value = lookup(rule, key)
    return [value] if isinstance(value, str) else elements(value)


def rule_violations(index: int, rule: Any) -> list[str]:
    """Every read-only breach in one policy rule."""
    where = f"rules[{index}]"
    problems: list[str] = []
    for group in _entries(rule, "apiGroups"):
        if isinstance(group, str) and group in FORBIDDEN_API_GROUPS:
            what = "every API group" if group == "*" else "RBAC objects (self-escalation)"
            problems.append(f"{where}.apiGroups: {group!r} grants {what}")
        elif isinstance(group, str) and "*" in group:
            problems.append(f"{where}.apiGroups: {group!r} contains '*' (name API groups exactly)")
    for resource in _entries(rule, "resources"):
        if isinstance(resource, str):
            problem = resource_problem(resource)
            if problem is not None:
                problems.append(f"{where}.resources: {problem}")
    for verb in _entries(rule, "verbs"):
        if isinstance(verb, str) and verb not in READ_VERBS:
            problems.append(f"{where}.verbs: {verb!r} is not read-only (only get, list, watch)")
    for url in _entries(rule, "nonResourceURLs"):
        if isinstance(url, str) and "*" in url:
            problems.append(f"{where}.nonResourceURLs: {url!r} is a wildcard")
    return problems


def role_violations(props: Any) -> list[str]:
    """Every breach of read-only in a role's rules, and aggregation (content it cannot control)."""
    problems: list[str] = []
    if lookup(props, "aggregationRule") not in (MISSING, UNKNOWN):
        problems.append(
            "aggregationRule is set: an aggregated role grows with whatever the cluster installs"
        )
    for index, rule in enumerate(elements(lookup(props, "rules"))):
        if rule is not UNKNOWN:
            problems.extend(rule_violations(index, rule))
    return problems


def validate_sre_role_read_only(args: ResourceValidationArgs, report: ReportViolation) -> None:
    """Resource policy over (Cluster)Roles and their patches named highflame-sre."""
    if args.resource_type not in ROLE_TYPES or not is_sre_role(args.props, args.name):
        return
    for problem in role_violations(args.props):
        report(problem, None)
