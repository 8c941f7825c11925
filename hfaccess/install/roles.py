"""What each cluster role lets Highflame do, in words and as `kubectl auth can-i` checks.

The handoff quotes these so the customer's security team can read what a role means and then
prove it on their own cluster, with their own admin credentials.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

from hfaccess.registry import names
from hfaccess.registry.models import ClusterRole

CHECK_USER: Final = "highflame-check"  # any name: the group is what the binding matches


@dataclass(frozen=True)
class CanI:
    """One `kubectl auth can-i` question and the answer the role must give."""

    verb: str
    resource: str
    expected: bool
    subresource: str | None = None

    def command(self) -> str:
        sub = f" --subresource={self.subresource}" if self.subresource else ""
        return (
            f"kubectl auth can-i {self.verb} {self.resource}{sub} --all-namespaces "
            f"--as={CHECK_USER} --as-group={names.KUBERNETES_GROUP}"
        )


_ESCALATIONS: Final = (
    CanI("get", "secrets", False),
    CanI("list", "secrets", False),
    CanI("create", "pods", False, "exec"),
    CanI("create", "pods", False, "attach"),
    CanI("create", "pods", False, "portforward"),
    CanI("patch", "pods", False, "ephemeralcontainers"),
    CanI("get", "nodes", False, "proxy"),
    CanI("create", "serviceaccounts", False, "token"),
    CanI("create", "certificatesigningrequests.certificates.k8s.io", False),
    CanI("list", "clusterroles.rbac.authorization.k8s.io", False),
    CanI("create", "clusterrolebindings.rbac.authorization.k8s.io", False),
    CanI("impersonate", "users", False),
    CanI("delete", "pods", False),
    CanI("patch", "deployments.apps", False),
)

CHECKS: Final[dict[ClusterRole, tuple[CanI, ...]]] = {
    ClusterRole.HIGHFLAME_SRE: (
        CanI("list", "pods", True),
        CanI("get", "pods", True, "log"),
        CanI("list", "nodes", True),
        CanI("list", "deployments.apps", True),
        CanI("list", "customresourcedefinitions.apiextensions.k8s.io", True),
        *_ESCALATIONS,
    ),
    ClusterRole.VIEW: (
        CanI("list", "pods", True),
        CanI("get", "pods", True, "log"),
        CanI("list", "deployments.apps", True),
        CanI("list", "nodes", False),
        *_ESCALATIONS,
    ),
    ClusterRole.CLUSTER_ADMIN: (
        CanI("list", "pods", True),
        CanI("get", "secrets", True),
        CanI("create", "pods", True, "exec"),
        CanI("create", "clusterrolebindings.rbac.authorization.k8s.io", True),
        CanI("delete", "namespaces", True),
    ),
}

CAN: Final[dict[ClusterRole, tuple[str, ...]]] = {
    ClusterRole.HIGHFLAME_SRE: (
        "read (get, list, watch) exactly the resources listed in `rbac.yaml`, in every "
        "namespace: workloads (pods, deployments, replica sets, stateful sets, daemon sets, "
        "jobs, cron jobs, autoscalers), pod logs, events, services, endpoints and endpoint "
        "slices, config maps, namespaces, nodes, persistent volumes and claims, storage "
        "classes, ingresses, network policies, disruption budgets, quotas and limit ranges, "
        "CRD definitions, and metrics where metrics-server runs",
    ),
    ClusterRole.VIEW: (
        "read what Kubernetes' built-in `view` ClusterRole allows, in every namespace: most "
        "namespaced objects (pods, pod logs, workloads, services, config maps, events, ...)",
        "`view` is an aggregated role: software you install can add rules to it (labels "
        "`rbac.authorization.k8s.io/aggregate-to-view`), and Highflame's access grows with it",
    ),
    ClusterRole.CLUSTER_ADMIN: (
        "everything: read every Secret, exec into any pod, create, change or delete any object, "
        "and grant any permission to anyone",
    ),
}

CANNOT: Final[dict[ClusterRole, tuple[str, ...]]] = {
    ClusterRole.HIGHFLAME_SRE: (
        "read Secrets (get, list or watch)",
        "exec, attach, port-forward or `kubectl debug` into pods",
        "proxy to pods, services or nodes (the kubelet API)",
        "create, change or delete anything (no write verb is granted)",
        "read or change RBAC, impersonate anyone, or use `escalate` / `bind`",
        "mint service-account tokens or certificates (CSRs)",
        "read custom resources: only the CRD definitions are listed",
    ),
    ClusterRole.VIEW: (
        "read Secrets",
        "exec, attach, port-forward or `kubectl debug` into pods",
        "create, change or delete anything",
        "read or change RBAC roles and bindings, or impersonate anyone",
        "read cluster-scoped objects such as nodes, persistent volumes, storage classes or CRDs",
    ),
    ClusterRole.CLUSTER_ADMIN: (),
}

CAVEATS: Final = (
    "Pod logs and config maps are readable: if a workload logs credentials or keeps them in a "
    "config map, Highflame can read them.",
    "Requests are also in the group `system:authenticated` (Kubernetes adds it to every "
    "impersonated user): anything your cluster grants to all authenticated users applies too.",
)
