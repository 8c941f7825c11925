"""The hardened values, the objects next to the chart, and the post-renderer's narrowing."""

from __future__ import annotations

import json
from typing import Any

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

from hfaccess.install.hardening import (
    NETWORK_POLICY_NAME,
    NO_LOGS_ENV,
    PROXY_CLASS_NAME,
    hardening_manifests,
    merge_values,
)
from hfaccess.install.impersonation import (
    CHART_RULES,
    ROLE_NAME,
    WRITABLE_VOLUME,
    impersonable_groups,
    impersonation_rules,
    kustomization_text,
    narrow_documents,
    post_render_files,
)
from hfaccess.install.values import helm_values, placeholder_credential
from hfaccess.registry.models import CredentialKind
from tests.support.samples import make_ref

CHART_ROLE = {
    "apiVersion": "rbac.authorization.k8s.io/v1",
    "kind": "ClusterRole",
    "metadata": {"name": ROLE_NAME},
    "rules": CHART_RULES,
}
CHART_DEPLOYMENT = {
    "apiVersion": "apps/v1",
    "kind": "Deployment",
    "metadata": {"name": "operator", "namespace": "tailscale"},
    "spec": {
        "template": {
            "spec": {
                "volumes": [{"name": "oauth", "secret": {"secretName": "operator-oauth"}}],
                "containers": [
                    {"name": "operator", "volumeMounts": [{"name": "oauth", "mountPath": "/oauth"}]}
                ],
            }
        }
    },
}


def _values(env: dict[str, Any]) -> dict[str, Any]:
    return helm_values(make_ref(env), placeholder_credential(CredentialKind.OAUTH))


def test_operator_values_are_hardened() -> None:
    operator = _values({})["operatorConfig"]
    context = operator["securityContext"]
    assert context["allowPrivilegeEscalation"] is False
    assert context["capabilities"] == {"drop": ["ALL"]}
    assert context["seccompProfile"] == {"type": "RuntimeDefault"}
    assert context["runAsNonRoot"] is True
    assert context["runAsUser"] > 0
    assert context["readOnlyRootFilesystem"] is True
    assert operator["podSecurityContext"]["runAsNonRoot"] is True
    assert set(operator["resources"]) == {"requests", "limits"}
    env = {e["name"]: e["value"] for e in operator["extraEnv"]}
    assert env["XDG_CONFIG_HOME"] == "/tmp"
    assert env[NO_LOGS_ENV] == "true"  # log upload is off by default
    assert _values({})["proxyConfig"]["defaultProxyClass"] == PROXY_CLASS_NAME
    # the base values survive the merge
    assert operator["hostname"] == "initech-prod-kube"


def test_log_upload_opt_in_drops_the_no_logs_knob() -> None:
    env = {e["name"] for e in _values({"log_upload": True})["operatorConfig"]["extraEnv"]}
    assert NO_LOGS_ENV not in env
    proxy_class = hardening_manifests(make_ref({"log_upload": True}))[0]
    assert "env" not in proxy_class["spec"]["statefulSet"]["pod"]["tailscaleContainer"]


def test_network_policy_by_default_and_opt_out() -> None:
    kinds = [m["kind"] for m in hardening_manifests(make_ref({}))]
    assert kinds == ["ProxyClass", "NetworkPolicy"]
    policy = hardening_manifests(make_ref({}))[1]
    assert policy["metadata"] == {
        "name": NETWORK_POLICY_NAME,
        "namespace": "tailscale",
        "labels": {"app.kubernetes.io/part-of": "highflame-access"},
    }
    assert policy["spec"]["ingress"] == []
    ports = {(p["protocol"], p["port"]) for rule in policy["spec"]["egress"] for p in rule["ports"]}
    assert ports == {
        ("UDP", 53),
        ("TCP", 53),
        ("TCP", 443),
        ("TCP", 6443),
        ("UDP", 41641),
        ("UDP", 3478),
    }
    opted_out = hardening_manifests(make_ref({"network_policy": False}))
    assert [m["kind"] for m in opted_out] == ["ProxyClass"]


@given(st.dictionaries(st.text(max_size=3), st.integers(), max_size=3))
def test_merge_keeps_base_keys(extra: dict[str, int]) -> None:
    base = {"a": {"b": 1}, "c": 2}
    merged = merge_values(base, {"a": {"d": 3}, **{f"x{k}": v for k, v in extra.items()}})
    assert merged["a"] == {"b": 1, "d": 3}
    assert merged["c"] == 2
    assert base == {"a": {"b": 1}, "c": 2}


def test_groups_are_named_and_system_masters_is_not() -> None:
    groups = impersonable_groups(make_ref({}), elevated=["highflame-sre-elevated"])
    assert groups == ["highflame-sre", "highflame-sre-elevated"]
    rules = impersonation_rules(groups)
    group_rule = next(r for r in rules if r["resources"] == ["groups"])
    assert group_rule["resourceNames"] == groups
    assert "system:masters" not in json.dumps(rules)
    with pytest.raises(ValueError, match="at least one group"):
        impersonation_rules([])


def test_narrow_documents_replaces_the_chart_rule_and_mounts_tmp() -> None:
    other = {"kind": "ConfigMap", "metadata": {"name": "x"}}
    out = narrow_documents([CHART_ROLE, CHART_DEPLOYMENT, other], ["highflame-sre"])
    assert out[0]["rules"] == impersonation_rules(["highflame-sre"])
    spec = out[1]["spec"]["template"]["spec"]
    assert [v["name"] for v in spec["volumes"]] == ["oauth", WRITABLE_VOLUME]
    mounts = spec["containers"][0]["volumeMounts"]
    assert {"name": WRITABLE_VOLUME, "mountPath": "/tmp"} in mounts
    assert out[2] == other
    assert CHART_DEPLOYMENT["spec"]["template"]["spec"]["volumes"] == [  # type: ignore[index]
        {"name": "oauth", "secret": {"secretName": "operator-oauth"}}
    ]


def test_narrow_documents_refuses_a_changed_chart() -> None:
    with pytest.raises(ValueError, match="not found"):
        narrow_documents([CHART_DEPLOYMENT], ["highflame-sre"])
    changed = {
        **CHART_ROLE,
        "rules": [{"apiGroups": [""], "resources": ["groups"], "verbs": ["*"]}],
    }
    with pytest.raises(ValueError, match="refusing"):
        narrow_documents([changed], ["highflame-sre"])


def test_kustomization_tests_then_replaces_the_same_rules() -> None:
    document = yaml.safe_load(kustomization_text(["highflame-sre"]))
    role_patch = json.loads(document["patches"][0]["patch"])
    assert role_patch[0] == {"op": "test", "path": "/rules", "value": CHART_RULES}
    assert role_patch[1]["value"] == impersonation_rules(["highflame-sre"])
    assert document["resources"] == ["helm-output.yaml"]
    files = post_render_files(["highflame-sre"])
    assert "kubectl kustomize" in files["post-render.sh"]
    assert files["post-render.sh"].startswith("#!/bin/sh\n")
