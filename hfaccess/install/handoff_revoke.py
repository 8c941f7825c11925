"""The commands of the handoff's revocation sections: the customer's kill switch and fallback.

Order matters (tailscale/tailscale#15662): the operator puts `tailscale.com/finalizer` on what it
manages, so exposures are removed while it still runs, then the release; a fallback clears the
finalizer where the operator is already gone. The words live in the template
(`templates/_revocation.md.j2`).
"""

from __future__ import annotations

from dataclasses import dataclass

from hfaccess.install import chart
from hfaccess.install.exposures import (
    EXPOSE_ANNOTATION,
    HOSTNAME_ANNOTATION,
    TAGS_ANNOTATION,
    PlannedExposure,
)
from hfaccess.install.plan import InstallPlan
from hfaccess.install.rbac import BINDING_NAME, ROLE_NAME
from hfaccess.registry.models import ClusterRole, ExposureVia

FINALIZER = "tailscale.com/finalizer"
FINALIZER_ISSUE = "https://github.com/tailscale/tailscale/issues/15662"
NS = chart.RELEASE_NAMESPACE


@dataclass(frozen=True)
class RevocationCommands:
    """The kill switch's commands, in the order the customer runs them."""

    remove_exposures: tuple[str, ...]
    proxies_left: str
    uninstall: str
    remove_rbac: str
    delete_namespace: str
    leftover_crds: str
    finalized_objects: str
    edit_object: str
    namespace_conditions: str


def remove_exposure_command(planned: PlannedExposure) -> str:
    """The one command that withdraws one exposure."""
    exposure = planned.exposure
    if planned.via is ExposureVia.INGRESS:
        return f"kubectl delete ingress {planned.object_name} -n {exposure.namespace}"
    keys = " ".join(f"{key}-" for key in (EXPOSE_ANNOTATION, HOSTNAME_ANNOTATION, TAGS_ANNOTATION))
    return f"kubectl annotate service {exposure.service} -n {exposure.namespace} {keys}"


def revocation_commands(plan: InstallPlan) -> RevocationCommands:
    """The commands that remove this environment's install from the customer's cluster."""
    remove_rbac = f"kubectl delete clusterrolebinding {BINDING_NAME}"
    if plan.role is ClusterRole.HIGHFLAME_SRE:
        remove_rbac += f"; kubectl delete clusterrole {ROLE_NAME}"
    return RevocationCommands(
        remove_exposures=tuple(remove_exposure_command(p) for p in plan.exposures),
        proxies_left=f"kubectl get statefulsets -n {NS}",
        uninstall=f"helm uninstall {chart.RELEASE_NAME} -n {NS}",
        remove_rbac=remove_rbac,
        delete_namespace=f"kubectl delete namespace {NS}",
        leftover_crds="kubectl get crd -o name | grep 'tailscale.com'",
        finalized_objects=(
            "kubectl get services,ingresses,statefulsets,secrets --all-namespaces -o jsonpath="
            "'{range .items[?(@.metadata.finalizers)]}{.kind} {.metadata.namespace}/"
            '{.metadata.name}: {.metadata.finalizers}{"\\n"}{end}\''
        ),
        edit_object="kubectl edit <kind> <name> -n <namespace>",
        namespace_conditions=f"kubectl get namespace {NS} -o jsonpath='{{.status.conditions}}'",
    )
