"""The default role is read-only with no escalation path; the binding names the group only."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from hfaccess.install.rbac import (
    HIGHFLAME_SRE_RULES,
    binding_manifest,
    cluster_role_manifest,
    rbac_manifests,
)
from hfaccess.registry.models import ClusterRole
from tests.support.rbac_guard import (
    FORBIDDEN_API_GROUPS,
    FORBIDDEN_RESOURCES,
    READ_VERBS,
    forbidden_grants,
)

SAFE_GROUPS = ["", "apps", "batch", "networking.k8s.io", "policy", "storage.k8s.io"]
SAFE_RESOURCES = ["pods", "pods/log", "services", "deployments", "configmaps", "nodes", "events"]
WRITE_VERBS = ["create", "update", "patch", "delete", "deletecollection"]
ESCALATION_VERBS = ["escalate", "bind", "impersonate", "approve", "sign", "*"]
UNSAFE_RESOURCES = [
    *sorted(FORBIDDEN_RESOURCES),
    "*",
    "pods/*",
    "services/proxy",
    "foo.example.com/proxy",
    "certificatesigningrequests/whatever",
    "secrets/anything",
]


def test_default_role_passes_the_checker() -> None:
    assert forbidden_grants(cluster_role_manifest()["rules"]) == []


def test_default_role_is_explicit_and_read_only() -> None:
    for rule in cluster_role_manifest()["rules"]:
        assert rule["verbs"] == ["get", "list", "watch"]
        assert "*" not in "".join(rule["resources"]) + "".join(rule["apiGroups"])
    granted = {r for rule in HIGHFLAME_SRE_RULES for r in rule.resources}
    assert "secrets" not in granted
    assert {"pods", "pods/log", "nodes", "customresourcedefinitions"} <= granted


def test_custom_role_renders_role_then_binding_for_the_group() -> None:
    role, binding = rbac_manifests(ClusterRole.HIGHFLAME_SRE)
    assert role["kind"] == "ClusterRole"
    assert role["metadata"]["name"] == "highflame-sre"
    assert binding["kind"] == "ClusterRoleBinding"
    assert binding["roleRef"] == {
        "apiGroup": "rbac.authorization.k8s.io",
        "kind": "ClusterRole",
        "name": "highflame-sre",
    }
    assert binding["subjects"] == [
        {"kind": "Group", "apiGroup": "rbac.authorization.k8s.io", "name": "highflame-sre"}
    ]


@pytest.mark.parametrize("role", [ClusterRole.VIEW, ClusterRole.CLUSTER_ADMIN])
def test_builtin_roles_are_bound_not_created(role: ClusterRole) -> None:
    (binding,) = rbac_manifests(role)
    assert binding == binding_manifest(role)
    assert binding["roleRef"]["name"] == role.value
    assert [s["kind"] for s in binding["subjects"]] == ["Group"]


safe_rule = st.fixed_dictionaries(
    {
        "apiGroups": st.lists(st.sampled_from(SAFE_GROUPS), min_size=1, max_size=2),
        "resources": st.lists(st.sampled_from(SAFE_RESOURCES), min_size=1, max_size=3),
        "verbs": st.lists(st.sampled_from(sorted(READ_VERBS)), min_size=1, max_size=3),
    }
)


@given(st.lists(safe_rule, max_size=5))
def test_read_only_rules_are_not_flagged(rules: list[dict[str, list[str]]]) -> None:
    assert forbidden_grants(rules) == []


@given(
    st.lists(safe_rule, max_size=4),
    st.integers(min_value=0, max_value=4),
    st.sampled_from(["resource", "verb", "group"]),
    st.data(),
)
def test_any_forbidden_grant_is_flagged(
    rules: list[dict[str, list[str]]], position: int, where: str, data: st.DataObject
) -> None:
    bad = data.draw(safe_rule)
    if where == "resource":
        bad["resources"] = [*bad["resources"], data.draw(st.sampled_from(UNSAFE_RESOURCES))]
    elif where == "verb":
        bad["verbs"] = [*bad["verbs"], data.draw(st.sampled_from(WRITE_VERBS + ESCALATION_VERBS))]
    else:
        bad["apiGroups"] = [data.draw(st.sampled_from([*sorted(FORBIDDEN_API_GROUPS), "*"]))]
    index = min(position, len(rules))
    flagged = forbidden_grants([*rules[:index], bad, *rules[index:]])
    assert flagged
    assert all(line.startswith(f"rule {index}:") for line in flagged)


def test_checker_reads_pulumi_snake_case_and_non_resource_urls() -> None:
    assert forbidden_grants([{"api_groups": ["*"], "resources": ["pods"], "verbs": ["get"]}])
    assert forbidden_grants([{"non_resource_urls": ["*"], "verbs": ["get"]}])
    assert forbidden_grants([{"apiGroups": [""], "resources": "secrets", "verbs": "get"}])
