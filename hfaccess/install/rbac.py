"""What the impersonated group `highflame-sre` may do in the customer's cluster, as manifests.

The binding always names the Kubernetes group the tailnet grant impersonates, never a user, so
engineers join and leave without any change in the cluster. The default role enumerates what an
SRE reads while debugging, with explicit resources and read verbs only; the tests prove it
(tests/support/rbac_guard.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Final

from hfaccess.registry import names
from hfaccess.registry.models import ClusterRole

RBAC_API_VERSION: Final = "rbac.authorization.k8s.io/v1"
RBAC_GROUP: Final = "rbac.authorization.k8s.io"
ROLE_NAME: Final = "highflame-sre"
BINDING_NAME: Final = "highflame-sre"
PART_OF_LABEL: Final = "app.kubernetes.io/part-of"
PART_OF: Final = names.PROJECT
READ: Final = ("get", "list", "watch")


@dataclass(frozen=True)
class Rule:
    """One RBAC policy rule: read verbs on explicit resources of one API group."""

    api_group: str
    resources: tuple[str, ...]

    def manifest(self) -> dict[str, Any]:
        return {
            "apiGroups": [self.api_group],
            "resources": list(self.resources),
            "verbs": list(READ),
        }


# What an SRE reads while debugging (the RBAC reference's list). Nothing here may appear in
# tests/support/rbac_guard.py's forbidden list; the tests check that.
HIGHFLAME_SRE_RULES: Final = (
    Rule(
        "",
        (
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
        ),
    ),
    Rule("apps", ("deployments", "replicasets", "statefulsets", "daemonsets")),
    Rule("batch", ("jobs", "cronjobs")),
    Rule("autoscaling", ("horizontalpodautoscalers",)),
    Rule("networking.k8s.io", ("ingresses", "networkpolicies")),
    Rule("policy", ("poddisruptionbudgets",)),
    Rule("storage.k8s.io", ("storageclasses",)),
    Rule("apiextensions.k8s.io", ("customresourcedefinitions",)),
    Rule("events.k8s.io", ("events",)),
    Rule("discovery.k8s.io", ("endpointslices",)),
    Rule("metrics.k8s.io", ("pods", "nodes")),
)


def _metadata(name: str) -> dict[str, Any]:
    return {"name": name, "labels": {PART_OF_LABEL: PART_OF}}


def cluster_role_manifest() -> dict[str, Any]:
    """The custom read-only ClusterRole `highflame-sre`."""
    return {
        "apiVersion": RBAC_API_VERSION,
        "kind": "ClusterRole",
        "metadata": _metadata(ROLE_NAME),
        "rules": [rule.manifest() for rule in HIGHFLAME_SRE_RULES],
    }


def bound_role_name(role: ClusterRole) -> str:
    """The ClusterRole the binding refers to: ours, or the built-in of the same name."""
    return ROLE_NAME if role is ClusterRole.HIGHFLAME_SRE else role.value


def binding_manifest(role: ClusterRole) -> dict[str, Any]:
    """The ClusterRoleBinding of the group `highflame-sre` (and nobody else) to `role`."""
    return {
        "apiVersion": RBAC_API_VERSION,
        "kind": "ClusterRoleBinding",
        "metadata": _metadata(BINDING_NAME),
        "roleRef": {"apiGroup": RBAC_GROUP, "kind": "ClusterRole", "name": bound_role_name(role)},
        "subjects": [{"kind": "Group", "apiGroup": RBAC_GROUP, "name": names.KUBERNETES_GROUP}],
    }


def rbac_manifests(role: ClusterRole) -> list[dict[str, Any]]:
    """ClusterRole (only for the custom role), then the binding."""
    binding = binding_manifest(role)
    if role is ClusterRole.HIGHFLAME_SRE:
        return [cluster_role_manifest(), binding]
    return [binding]


ELEVATED_BINDING_NAME: Final = "highflame-elevated"


def elevated_binding_manifest(group: str, role: ClusterRole) -> dict[str, Any]:
    """The ClusterRoleBinding of one environment's elevated group (break-glass) to `role`.

    Only the environment with `break_glass` binds its group; the tailnet grant impersonating it
    is gated by a posture attribute that expires, so the binding grants nothing standing.
    """
    return {
        "apiVersion": RBAC_API_VERSION,
        "kind": "ClusterRoleBinding",
        "metadata": _metadata(ELEVATED_BINDING_NAME),
        "roleRef": {"apiGroup": RBAC_GROUP, "kind": "ClusterRole", "name": bound_role_name(role)},
        "subjects": [{"kind": "Group", "apiGroup": RBAC_GROUP, "name": group}],
    }
