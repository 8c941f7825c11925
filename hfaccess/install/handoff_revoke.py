"""The handoff's revocation sections: the customer's kill switch, cleanly, and Highflame's.

Order matters (tailscale/tailscale#15662): the operator puts `tailscale.com/finalizer` on what it
manages, so exposures are removed while it still runs, then the release; a fallback clears the
finalizer where the operator is already gone.
"""

from __future__ import annotations

from hfaccess import names
from hfaccess.install import chart
from hfaccess.install.exposures import (
    EXPOSE_ANNOTATION,
    HOSTNAME_ANNOTATION,
    TAGS_ANNOTATION,
    PlannedExposure,
)
from hfaccess.install.plan import InstallPlan
from hfaccess.install.rbac import BINDING_NAME, ROLE_NAME
from hfaccess.models import ClusterRole, ExposureVia, InstallMode

FINALIZER = "tailscale.com/finalizer"
FINALIZER_ISSUE = "https://github.com/tailscale/tailscale/issues/15662"
NS = chart.RELEASE_NAMESPACE


def remove_exposure_command(planned: PlannedExposure) -> str:
    """The one command that withdraws one exposure."""
    exposure = planned.exposure
    if planned.via is ExposureVia.INGRESS:
        return f"kubectl delete ingress {planned.object_name} -n {exposure.namespace}"
    keys = " ".join(f"{key}-" for key in (EXPOSE_ANNOTATION, HOSTNAME_ANNOTATION, TAGS_ANNOTATION))
    return f"kubectl annotate service {exposure.service} -n {exposure.namespace} {keys}"


def _code(lines: list[str]) -> list[str]:
    return ["```bash", *lines, "```", ""]


def customer_kill_switch(plan: InstallPlan, exposures: tuple[PlannedExposure, ...]) -> list[str]:
    """How the customer removes Highflame's access, on their own, at any time."""
    rbac_delete = f"kubectl delete clusterrolebinding {BINDING_NAME}"
    if plan.role is ClusterRole.HIGHFLAME_SRE:
        rbac_delete += f"; kubectl delete clusterrole {ROLE_NAME}"
    step1 = (
        [
            f"1. Withdraw the exposures while the operator still runs, so it can remove each "
            f"proxy, its tailnet device and its `{FINALIZER}` (see {FINALIZER_ISSUE}):",
            "",
            *_code(
                [
                    *(remove_exposure_command(p) for p in exposures),
                    f"kubectl get statefulsets -n {NS}   # wait until no proxy is left",
                ]
            ),
        ]
        if exposures
        else [
            "1. This environment has no exposures. If you created Tailscale resources yourself "
            "(ProxyGroup, Connector, Recorder, annotated Services or Tailscale Ingresses), delete "
            f"them first, while the operator still runs ({FINALIZER_ISSUE}).",
            "",
        ]
    )
    managed = (
        [
            "Managed install: also revoke the kubeconfig credential you issued for Highflame's "
            f"deployment (stack `{plan.ref.stack}`) and tell Highflame; otherwise its next "
            "deployment would install the release again.",
            "",
        ]
        if plan.mode is InstallMode.MANAGED
        else []
    )
    return [
        "## Revoking access: your kill switch",
        "",
        "Need access cut right now? Run step 2 first: Highflame loses the route to your cluster "
        "as soon as the operator pod stops. Then come back for the rest; the fallback below "
        "handles what the operator could not clean up.",
        "",
        *step1,
        "2. Uninstall the operator:",
        "",
        *_code([f"helm uninstall {chart.RELEASE_NAME} -n {NS}"]),
        "3. Remove Highflame's RBAC and the namespace, and check for leftover Tailscale CRDs:",
        "",
        *_code(
            [
                rbac_delete,
                f"kubectl delete namespace {NS}",
                "kubectl get crd -o name | grep 'tailscale.com'   # delete any left, if unused",
            ]
        ),
        *managed,
        "Fallback, if a delete hangs (the operator was gone before an object it managed): find "
        f"objects that still carry `{FINALIZER}` and remove that one finalizer by hand.",
        "",
        *_code(
            [
                "kubectl get services,ingresses,statefulsets,secrets --all-namespaces -o jsonpath="
                "'{range .items[?(@.metadata.finalizers)]}{.kind} {.metadata.namespace}/"
                '{.metadata.name}: {.metadata.finalizers}{"\\n"}{end}\'',
                f"kubectl edit <kind> <name> -n <namespace>   # delete only the '{FINALIZER}' line",
                f"kubectl get namespace {NS} -o jsonpath='{{.status.conditions}}'   # what still "
                "blocks a Terminating namespace",
            ]
        ),
    ]


def highflame_revocation(plan: InstallPlan) -> list[str]:
    """What Highflame's own revocation does, and what it cannot do, for this install mode."""
    customer = plan.ref.customer.name
    cluster_side = (
        "Managed install: the same change makes this environment's Pulumi stack remove, on its "
        "next deployment, the exposures first, then the RBAC binding (and role) and the Helm "
        f"release. The namespace `{NS}` stays (empty); delete it if you like."
        if plan.mode is InstallMode.MANAGED
        else "Handoff install: Highflame cannot change anything in your cluster. The operator "
        "stays installed, unreachable, until you remove it with the steps above."
    )
    return [
        "## What Highflame's revocation does",
        "",
        f"- Highflame marks this environment (or all of {customer}) revoked in its registry. Its "
        f"tailnet policy then grants nobody access to `{names.operator_device_tag(customer)}` or "
        f"`{names.proxy_tag(customer)}`: every Highflame engineer loses the route at once, with "
        "no change in your cluster.",
        f"- {cluster_side}",
        f"- One engineer: removing them from `group:{names.KUBERNETES_GROUP}` on Highflame's "
        "tailnet revokes them from every customer at once; nothing changes in your cluster, "
        "because the binding names the group, never a person.",
        "",
    ]
