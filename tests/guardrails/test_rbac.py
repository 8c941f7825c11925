"""The highflame-sre role stays read-only."""

from __future__ import annotations

from typing import Any

import pytest

from highflame_policies.rbac import validate_sre_role_read_only
from tests.guardrails.support import CLUSTER_ROLE, UNKNOWN, resource_args, violations

READ = ["get", "list", "watch"]

# What the role should grant (kubernetes-rbac.md, "What it should grant").
GOOD_RULES: list[dict[str, Any]] = [
    {
        "apiGroups": [""],
        "resources": [
            "namespaces",
            "nodes",
            "pods",
            "pods/log",
            "events",
            "services",
            "endpoints",
            "configmaps",
            "persistentvolumes",
            "persistentvolumeclaims",
            "resourcequotas",
            "limitranges",
        ],
        "verbs": READ,
    },
    {
        "apiGroups": ["apps"],
        "resources": ["deployments", "replicasets", "statefulsets", "daemonsets"],
        "verbs": READ,
    },
    {"apiGroups": ["batch"], "resources": ["jobs", "cronjobs"], "verbs": READ},
    {"apiGroups": ["events.k8s.io"], "resources": ["events"], "verbs": READ},
    {"apiGroups": ["discovery.k8s.io"], "resources": ["endpointslices"], "verbs": READ},
    {"apiGroups": ["metrics.k8s.io"], "resources": ["pods", "nodes"], "verbs": READ},
    {
        "apiGroups": ["apiextensions.k8s.io"],
        "resources": ["customresourcedefinitions"],
        "verbs": READ,
    },
]


def _role(rules: list[dict[str, Any]], name: str = "highflame-sre", **extra: Any) -> dict[str, Any]:
    return {"metadata": {"name": name}, "rules": rules, **extra}


def _found(props: dict[str, Any], resource_name: str = "acme-prod-highflame-sre") -> list[str]:
    args = resource_args(CLUSTER_ROLE, props, name=resource_name)
    return [message for message, _ in violations(validate_sre_role_read_only, args)]


def test_the_intended_read_only_role_passes() -> None:
    assert _found(_role(GOOD_RULES)) == []


def test_other_cluster_roles_are_not_this_policy() -> None:
    wide = [{"apiGroups": ["*"], "resources": ["*"], "verbs": ["*"]}]
    assert _found(_role(wide, name="some-operator"), resource_name="some-operator") == []


@pytest.mark.parametrize(
    ("rule", "expected"),
    [
        ({"apiGroups": [""], "resources": ["secrets"], "verbs": ["list"]}, "'secrets' is never"),
        ({"apiGroups": [""], "resources": ["pods/exec"], "verbs": ["get"]}, "'pods/exec'"),
        ({"apiGroups": [""], "resources": ["pods/attach"], "verbs": ["get"]}, "'pods/attach'"),
        (
            {"apiGroups": [""], "resources": ["pods/portforward"], "verbs": ["get"]},
            "'pods/portforward'",
        ),
        (
            {"apiGroups": [""], "resources": ["pods/ephemeralcontainers"], "verbs": ["get"]},
            "'pods/ephemeralcontainers'",
        ),
        ({"apiGroups": [""], "resources": ["nodes/proxy"], "verbs": ["get"]}, "'nodes/proxy'"),
        (
            {"apiGroups": [""], "resources": ["services/proxy"], "verbs": ["get"]},
            "'services/proxy'",
        ),
        (
            {"apiGroups": [""], "resources": ["serviceaccounts/token"], "verbs": ["get"]},
            "'serviceaccounts/token'",
        ),
        (
            {
                "apiGroups": ["certificates.k8s.io"],
                "resources": ["certificatesigningrequests"],
                "verbs": ["get"],
            },
            "'certificatesigningrequests'",
        ),
        (
            {"apiGroups": ["rbac.authorization.k8s.io"], "resources": ["roles"], "verbs": ["get"]},
            "apiGroups: 'rbac.authorization.k8s.io' grants RBAC",
        ),
        (
            {"apiGroups": ["*"], "resources": ["pods"], "verbs": ["get"]},
            "apiGroups: '*' grants every",
        ),
        (
            {"apiGroups": ["*.k8s.io"], "resources": ["pods"], "verbs": ["get"]},
            "apiGroups: '*.k8s.io' contains '*'",
        ),
        (
            {"apiGroups": [""], "resources": ["secrets/anything"], "verbs": ["get"]},
            "'secrets/anything' is never granted",
        ),
        ({"apiGroups": [""], "resources": "secrets", "verbs": ["get"]}, "'secrets' is never"),
        ({"apiGroups": [""], "resources": ["pods"], "verbs": "delete"}, "'delete' is not"),
        ({"apiGroups": [""], "resources": ["*"], "verbs": ["get"]}, "resource '*' is a wildcard"),
        ({"apiGroups": [""], "resources": ["pods/*"], "verbs": ["get"]}, "'pods/*' is a wildcard"),
        ({"apiGroups": [""], "resources": ["pods"], "verbs": ["*"]}, "'*' is not read-only"),
        ({"apiGroups": [""], "resources": ["pods"], "verbs": ["delete"]}, "'delete' is not"),
        ({"apiGroups": [""], "resources": ["pods"], "verbs": ["patch"]}, "'patch' is not"),
        ({"apiGroups": [""], "resources": ["users"], "verbs": ["impersonate"]}, "'impersonate'"),
        ({"apiGroups": [""], "resources": ["pods"], "verbs": ["escalate"]}, "'escalate'"),
        ({"apiGroups": [""], "resources": ["pods"], "verbs": ["bind"]}, "'bind' is not"),
        ({"nonResourceURLs": ["*"], "verbs": ["get"]}, "nonResourceURLs: '*' is a wildcard"),
    ],
)
def test_each_forbidden_grant_is_a_violation(rule: dict[str, Any], expected: str) -> None:
    found = _found(_role([*GOOD_RULES, rule]))
    assert len(found) == 1, found
    assert expected in found[0]
    assert found[0].startswith(f"rules[{len(GOOD_RULES)}].")


def test_every_breach_in_one_rule_is_reported() -> None:
    rule = {"apiGroups": ["*"], "resources": ["*"], "verbs": ["*"]}
    assert len(_found(_role([rule]))) == 3


def test_aggregated_role_is_a_violation() -> None:
    props = _role([], aggregationRule={"clusterRoleSelectors": [{"matchLabels": {"x": "y"}}]})
    assert _found(props) == [
        "aggregationRule is set: an aggregated role grows with whatever the cluster installs"
    ]


def test_auto_named_role_is_recognised_by_resource_name() -> None:
    props = {"rules": [{"apiGroups": [""], "resources": ["secrets"], "verbs": ["get"]}]}
    assert len(_found(props, resource_name="acme-prod-highflame-sre")) == 1


def test_unknown_rule_elements_are_skipped_not_fatal() -> None:
    rules = [{"apiGroups": [""], "resources": [UNKNOWN, "secrets"], "verbs": ["get"]}]
    assert len(_found(_role(rules))) == 1
