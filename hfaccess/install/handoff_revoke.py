"""The handoff's revocation sections: the customer's kill switch, cleanly, and Highflame's.

Order matters (tailscale/tailscale#15662): the operator puts `tailscale.com/finalizer` on what it
manages, so exposures are removed while it still runs, then the release; a fallback clears the
finalizer where the operator is already gone.
"""

from __future__ import annotations

from hfaccess.install import chart
from hfaccess.install.exposures import (
    EXPOSE_ANNOTATION,
    HOSTNAME_ANNOTATION,
    TAGS_ANNOTATION,
    PlannedExposure,
)
from hfaccess.install.plan import InstallPlan
from hfaccess.install.rbac import BINDING_NAME, PART_OF, PART_OF_LABEL, ROLE_NAME
from hfaccess.registry import names
from hfaccess.registry.models import ClusterRole, ExposureVia, InstallMode

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
            f"them first, while the operator still runs ({FINALIZER_ISSUE}). Its credential "
            "here cannot delete tailnet devices (scope `auth_keys` only), so such a delete "
            f"waits on `{FINALIZER}` until Highflame removes the device (ask us) or you clear "
            "the finalizer with the fallback below.",
            "",
        ]
        if plan.active
        else [
            "1. Delete any exposure of Highflame's still in your cluster (Ingresses labelled "
            f"`{PART_OF_LABEL}={PART_OF}`, Services annotated `{EXPOSE_ANNOTATION}`) and any "
            "Tailscale resources you created yourself (ProxyGroup, Connector, Recorder), while "
            f"the operator still runs ({FINALIZER_ISSUE}).",
            "",
        ]
    )
    proxies_outlive_operator = bool(exposures) or not plan.active
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
        (
            "Need access cut right now? Run step 2 first: Highflame loses the route to your API "
            "server as soon as the operator pod stops. Exposure proxies are not part of the Helm "
            f"release and keep serving until the namespace `{NS}` is deleted, so in a hurry also "
            f"run `kubectl delete namespace {NS}` from step 3. Then come back for the rest; the "
            "fallback below handles what the operator could not clean up."
            if proxies_outlive_operator
            else "Need access cut right now? Run step 2 first: Highflame loses the route to your "
            "cluster as soon as the operator pod stops. Then come back for the rest; the fallback "
            "below handles what the operator could not clean up."
        ),
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
    tags = f"`{names.operator_device_tag(customer)}` or `{names.proxy_tag(customer)}`"
    others = sorted(e for e in plan.ref.customer.environments if e != plan.ref.name)
    policy = (
        f"- Highflame marks this environment (or all of {customer}) revoked in its registry. Its "
        f"tailnet policy then grants nobody access to {tags}: every Highflame engineer loses the "
        "route at once, with no change in your cluster."
        if not others
        else f"- Highflame marks all of {customer} revoked in its registry: its tailnet policy then "
        f"grants nobody access to {tags}, and every Highflame engineer loses the route at once, "
        f"with no change in your cluster. These tags are shared with {customer}'s other "
        f"environments ({', '.join(others)}), so revoking only this environment leaves the "
        "API server grant in place while another is active: Highflame then cuts this cluster by "
        f"deleting its devices (`{plan.ref.hostname}`"
        + (" and its exposures' proxies" if plan.ref.environment.exposures else "")
        + ") and its credential from its tailnet."
    )
    return [
        "## What Highflame's revocation does",
        "",
        policy,
        "- Highflame's kill switch then reads its tailnet again and reports the revocation done "
        "only if no device or credential of this environment is left (and, when no other "
        f"environment of {customer} stays active, no grant reaching its tags); otherwise it "
        f"names what is left. Once no environment of {customer} is active, a later deployment "
        "from a copy of Highflame's configuration that predates the revocation refuses to "
        "grant access again: that takes a reviewed, dated reinstatement in Highflame's "
        "registry.",
        f"- {cluster_side}",
        f"- One engineer: removing them from `group:{names.KUBERNETES_GROUP}` on Highflame's "
        "tailnet revokes them from every customer at once; nothing changes in your cluster, "
        "because the binding names the group, never a person.",
        "",
    ]
