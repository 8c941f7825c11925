"""INSTALL.md sections on the hardened install and on facts checked against the operator source.

Each statement was checked against tailscale/tailscale at the pinned tag, and each carries the
command that verifies it on the customer's cluster where one exists.
"""

from __future__ import annotations

from collections.abc import Iterable

from hfaccess.install import chart
from hfaccess.install.hardening import (
    NETWORK_POLICY_NAME,
    NON_ROOT_ID,
    PROXY_CLASS_NAME,
    TSNET_CONFIG_HOME,
)
from hfaccess.install.impersonation import ROLE_NAME
from hfaccess.install.plan import InstallPlan
from hfaccess.install.scan import CHART_ALLOWLIST
from hfaccess.registry import names
from hfaccess.registry.models import InstallMode

NS = chart.RELEASE_NAMESPACE


def _bullets(items: Iterable[str]) -> list[str]:
    return [*(f"- {item}" for item in items), ""]


def hardening_section(plan: InstallPlan) -> list[str]:
    """What the install tightens beyond the chart's defaults, and what stays open, and why."""
    groups = ", ".join(f"`{g}`" for g in plan.impersonation_groups)
    network = (
        f"**NetworkPolicy `{NETWORK_POLICY_NAME}`** in `{NS}` (in `hardening.yaml`): no "
        "ingress; egress only to DNS (53), the API server (443/6443), Tailscale and Let's "
        "Encrypt on 443/tcp, and UDP 41641/3478. "
        + (
            "Highflame applies it through its Pulumi stack, after the release. "
            if plan.mode is InstallMode.MANAGED
            else "Apply after Step 1: `kubectl apply -f hardening.yaml`. "
        )
        + "Your CNI must enforce NetworkPolicies; if it does "
        "not, Highflame sets `network_policy: false` for this environment and the egress "
        "firewall is the only control."
        if plan.ref.environment.network_policy
        else "**No NetworkPolicy**: this environment sets `network_policy: false` (the "
        "cluster's CNI does not enforce them); the egress firewall is the only control."
    )
    return [
        "## The hardened install",
        "",
        "Beyond the chart's defaults, and only where the operator's source at "
        f"{chart.IMAGE_TAG} shows it is safe:",
        "",
        *_bullets(
            [
                "**Operator container**: `allowPrivilegeEscalation: false`, all capabilities "
                f"dropped, seccomp `RuntimeDefault`, non-root (uid/gid {NON_ROOT_ID}), read-only "
                "root filesystem, CPU and memory requests and limits (`operatorConfig` in "
                "`helm-values.yaml`). The operator runs its tailnet node in userspace (no TUN, no "
                "iptables) and keeps its state in a Kubernetes Secret; the one directory its "
                f"embedded tailscale writes (log configuration and buffer) is `{TSNET_CONFIG_HOME}`"
                ", an emptyDir the post-renderer mounts.",
                f"**Impersonation narrowed** by the Helm post-renderer (`post-render.sh` with "
                f"`kustomization.yaml`, run by `helm --post-renderer`): ClusterRole `{ROLE_NAME}` "
                f"may impersonate only the groups {groups}, never `system:masters`. Users "
                "remain impersonable by any name: the proxy impersonates each engineer as their "
                "Tailscale login, and naming logins here would put Highflame's staff list into "
                "your cluster and require a change here whenever it changes. A user "
                "impersonated without an allowed group has only the rights your RBAC grants "
                "that user name. Needs `kubectl` 1.32+ (its built-in kustomize) where helm runs.",
                f"**Exposure proxies** use the ProxyClass `{PROXY_CLASS_NAME}` (chart value "
                "`proxyConfig.defaultProxyClass`, object in `hardening.yaml`): seccomp "
                "`RuntimeDefault` and resource requests and limits. They keep the NET_ADMIN "
                "capability upstream's proxies need for kernel WireGuard.",
                network,
            ]
        ),
        "What stays open, and why (checkov findings on the templated chart):",
        "",
        *_bullets(f"`{check}`: {reason}" for check, reason in CHART_ALLOWLIST.items()),
        "The chart also installs the impersonation ClusterRole auth mode needs (checkov "
        "CKV2_K8S_3 passes once it is narrowed).",
        "",
    ]


def truths_section(plan: InstallPlan) -> list[str]:
    """Facts a security review asks about, checked against the operator source."""
    hostname = plan.ref.hostname
    audit = (
        "jq -c 'select(.impersonatedUser.groups // [] | index(\"" + names.KUBERNETES_GROUP + '"))'
        " | {ts: .requestReceivedTimestamp, login: .impersonatedUser.username,"
        " verb, uri: .requestURI, via: .user.username}' /var/log/kubernetes/audit.log"
    )
    return [
        "## Facts to verify",
        "",
        *_bullets(
            [
                "**The chart installs cluster-wide objects**: the `tailscale.com` CRDs, the "
                "operator's ClusterRole and ClusterRoleBinding (it watches Services, Ingresses "
                "and its CRDs in every namespace) and the IngressClass. Check: "
                "`kubectl get crd -o name | grep tailscale.com`, "
                "`kubectl get clusterrole,clusterrolebinding -o name | grep tailscale`.",
                "**Where the keys are.** The operator's node and machine keys and the API server "
                f"proxy's TLS certificate and key are in the Secret `{NS}/operator`; each "
                f"exposure proxy has its own state Secret in `{NS}`. Check: `kubectl get "
                f"secrets -n {NS}` (names only).",
                "**Auth keys** the operator mints are single-use and pre-authorized, not "
                "ephemeral: a device remains in Highflame's tailnet until Highflame removes it "
                "(revocation does).",
                "**The audit trail in your cluster.** Each request arrives as the operator's "
                f"service account impersonating the engineer's Tailscale login with group "
                f"`{names.KUBERNETES_GROUP}`. With API server audit logging on, this lists "
                f"them: `{audit}` (managed clusters: the same fields in CloudWatch / Cloud "
                "Logging / Azure Monitor).",
                "**HTTPS, and a public name.** The API server proxy serves a Let's Encrypt "
                "certificate, so Highflame's tailnet has HTTPS enabled. Certificates are "
                "published in Certificate Transparency logs: the name "
                f"`{hostname}.<tailnet>.ts.net` becomes public (nothing is reachable there from "
                "outside the tailnet). Check: `https://crt.sh/?q=" + hostname + "`. If the name "
                "must not reveal you, ask Highflame for a neutral customer name in its registry.",
                "**Log upload.** "
                + (
                    "On for this environment (`log_upload: true`): the operator and proxies "
                    "upload client logs to `log.tailscale.com`."
                    if plan.ref.environment.log_upload
                    else "Off (`TS_NO_LOGS_NO_SUPPORT=true`, the default): no client logs leave "
                    "your cluster. Check: the operator's env in Step 4."
                ),
                "**Highflame's tailnet settings are code** (`tailnet_settings` in Highflame's "
                "`tailnet/highflame.yaml`, applied by its `tailnet` stack): HTTPS certificates "
                "on (this proxy's TLS), network flow logs on (every Highflame-side connection "
                "recorded), device approval on (an engineer's new laptop waits for an admin), "
                "and the policy file externally managed, linked to Highflame's repository, so "
                "admin-console edits cannot drift it. Evidence: ask Highflame for the rendered "
                "`tailnet-settings.json` and the tailnet stack's last preview.",
                "**Images** come from Docker Hub (`docker.io/tailscale/...`) unless you mirror "
                f"them. Check: `kubectl get pods -n {NS} -o jsonpath='{{..image}}'`.",
            ]
        ),
    ]
