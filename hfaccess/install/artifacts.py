"""An environment stack's rendered files: what its install applies, and the customer handoff.

`helm-values.yaml`, `rbac.yaml` and `exposures.yaml` come from the same plan the Pulumi
component applies; credential values are placeholders, never secrets.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from hfaccess.credentials import credential_spec
from hfaccess.install import chart
from hfaccess.install.documents import json_text, yaml_documents
from hfaccess.install.handoff import install_guide
from hfaccess.install.handoff_elevation import access_roles_section
from hfaccess.install.impersonation import post_render_files
from hfaccess.install.plan import InstallPlan, install_plan
from hfaccess.install.values import placeholder_credential, placeholder_overrides
from hfaccess.registry import names
from hfaccess.registry.models import ClusterRole

if TYPE_CHECKING:
    from hfaccess.registry.models import EnvironmentRef
    from hfaccess.registry.workspace import AccessModel

CLUSTER_ADMIN_WARNING = (
    "binds Highflame SRE (group highflame-sre) to cluster-admin: full control of the cluster, "
    "Secrets and exec included"
)


def helm_values_text(plan: InstallPlan, values: dict[str, Any] | None = None) -> str:
    """`helm-values.yaml`; `values`: the plan's values with placeholders, if already built."""
    if values is None:
        values = placeholder_values(plan)
    return yaml_documents(
        [values],
        [
            f"Helm values of release {chart.RELEASE_NAME} (namespace {chart.RELEASE_NAMESPACE}), "
            f"chart {chart.CHART_NAME} {chart.CHART_VERSION}",
            f"from {chart.CHART_REPOSITORY}, for {plan.ref.stack}.",
            "<...> placeholders stand for credential values supplied at install time",
            "(--set-string, see INSTALL.md); no secret is ever written to this file.",
        ],
        varying=True,
    )


def placeholder_values(plan: InstallPlan) -> dict[str, Any]:
    """The release's values with placeholders where credential values go."""
    return plan.values(placeholder_credential(plan.ref.environment.credentials))


def rbac_text(plan: InstallPlan) -> str:
    header = [
        f"Kubernetes RBAC of Highflame SRE (group {names.KUBERNETES_GROUP}) for {plan.ref.stack}:",
        f"role {plan.role.value}.",
    ]
    if plan.role is ClusterRole.CLUSTER_ADMIN:
        header = [
            "WARNING: CLUSTER-ADMIN. This binding gives Highflame SRE full control of the",
            "cluster: every Secret, exec into any pod, any change. The default is the read-only",
            "highflame-sre role.",
            "",
            *header,
        ]
    return yaml_documents(list(plan.rbac), header)


def exposures_text(plan: InstallPlan) -> str:
    return yaml_documents(
        [p.manifest for p in plan.exposures],
        [
            f"Services of {plan.ref.stack} reachable from Highflame's tailnet. Ingress documents are",
            "objects of their own; Service documents are server-side-apply patches that add three",
            "annotations to an existing Service (kubectl apply --server-side).",
        ],
        varying=True,  # hostnames and tags of this environment in every document
    )


def hardening_text(plan: InstallPlan) -> str:
    network = (
        "and the NetworkPolicy of namespace tailscale (egress: DNS, API server, 443, UDP "
        "41641/3478; no ingress)"
        if plan.ref.environment.network_policy
        else "(network_policy: false: no NetworkPolicy, the cluster's CNI does not enforce them)"
    )
    return yaml_documents(
        list(plan.hardening),
        [
            f"Hardening of {plan.ref.stack} next to the chart: the ProxyClass every exposure",
            f"proxy uses {network}. Apply after the release (the chart installs the CRD).",
        ],
    )


def environment_warnings(ref: EnvironmentRef) -> list[str]:
    """Lines `render` prints loudly for this environment."""
    if ref.active and ref.environment.cluster_role is ClusterRole.CLUSTER_ADMIN:
        return [f"{ref.stack}: {CLUSTER_ADMIN_WARNING}"]
    return []


def environment_artifacts(ref: EnvironmentRef, model: AccessModel) -> dict[str, str]:
    """File name -> content for one environment stack; InvalidInput if its exposures conflict."""
    plan = install_plan(ref, model.registry.sources.get(ref.customer.name))
    spec = credential_spec(ref)
    files = {"oauth-client.json": json_text(spec.as_document()) + "\n"}
    values = rbac = exposures = None
    overrides = None
    if plan.active:
        built = placeholder_values(plan)
        overrides = placeholder_overrides(built)
        values = files["helm-values.yaml"] = helm_values_text(plan, built)
        rbac = files["rbac.yaml"] = rbac_text(plan)
        files["hardening.yaml"] = hardening_text(plan)
        files.update(post_render_files(plan.impersonation_groups))
        if plan.exposures:
            exposures = files["exposures.yaml"] = exposures_text(plan)
    roles = access_roles_section(plan, model.registry, model.highflame) if plan.active else []
    files["INSTALL.md"] = install_guide(
        plan, spec, values, rbac, exposures, access_roles=roles, overrides=overrides
    )
    return files
