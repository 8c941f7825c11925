"""The cluster side of a `<customer>-<env>` stack, declared by programs/environment.py.

Managed and active: a ClusterInstall through the stack's own kubernetes provider. Handoff, or
revoked: nothing in the cluster, and the exports say so.
"""

from __future__ import annotations

from typing import Any

import pulumi

from components.cluster_install import ClusterInstall
from components.environment_credential import OperatorCredential
from hfaccess.install import chart
from hfaccess.install.plan import install_plan
from hfaccess.registry.errors import InvalidInput
from hfaccess.registry.models import EnvironmentRef, InstallMode
from hfaccess.registry.settings import StackSettings
from hfaccess.registry.workspace import AccessModel
from programs.kubernetes_provider import cluster_provider


def declare_install(
    ref: EnvironmentRef,
    model: AccessModel,
    settings: StackSettings,
    credential: OperatorCredential,
) -> dict[str, Any]:
    """Declare `ref`'s cluster install (if this stack applies it); return the stack's exports."""
    try:
        plan = install_plan(ref, model.registry.sources.get(ref.customer.name))
    except InvalidInput as exc:
        raise pulumi.RunError("invalid input, nothing was declared:\n" + str(exc)) from None
    exports: dict[str, Any] = {
        "installMode": plan.mode.value,
        "releaseName": chart.RELEASE_NAME,
        "releaseNamespace": chart.RELEASE_NAMESPACE,
        "chartVersion": chart.CHART_VERSION,
        "operatorHostname": ref.hostname,
        "clusterRole": plan.role.value,
        "exposures": [p.hostname for p in plan.exposures],
    }
    if not plan.active:
        exports["clusterResources"] = (
            "none: access is revoked; this stack keeps nothing in the cluster"
            + (
                " (the customer removes the handoff install)"
                if plan.mode is InstallMode.HANDOFF
                else ""
            )
        )
        return exports
    if plan.mode is InstallMode.HANDOFF:
        exports["clusterResources"] = (
            "none: install: handoff; the customer applies INSTALL.md "
            f"(python -m hfaccess render --stack {ref.stack})"
        )
        return exports
    provider = cluster_provider(
        f"{ref.stack}-cluster", ref.stack, settings, former_parent_type=ClusterInstall.TYPE
    )
    ClusterInstall(ref.stack, plan, credential, opts=pulumi.ResourceOptions(providers=[provider]))
    exports["clusterResources"] = "managed: ClusterInstall through the stack's kubernetes provider"
    return exports
