"""INSTALL.md for one environment, written for the customer's security team.

Every statement is derived from the same plan the install applies (names, tags, role, exposures,
credential kind), and every security property comes with a command the customer can run to check
it on their own cluster. Statements about Highflame's side say so, and how to get evidence.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from hfaccess.credentials import CredentialSpec
from hfaccess.install import chart
from hfaccess.install.exposures import PlannedExposure
from hfaccess.install.handoff_checks import (
    hardening_checks,
    operator_checks,
    rbac_checks,
)
from hfaccess.install.handoff_revoke import customer_kill_switch, highflame_revocation
from hfaccess.install.handoff_truths import hardening_section, truths_section
from hfaccess.install.plan import InstallPlan
from hfaccess.install.rbac import BINDING_NAME, PART_OF, PART_OF_LABEL, ROLE_NAME
from hfaccess.install.roles import CAN, CANNOT, CAVEATS
from hfaccess.install.values import (
    API_SERVER_PROXY_MODE,
    CREDENTIAL_ANNOTATION,
    CREDENTIAL_VARIABLES,
    credential_overrides,
)
from hfaccess.registry import names
from hfaccess.registry.models import ClusterRole, CredentialKind, ExposureVia, InstallMode

OPERATOR_SOURCE = f"https://github.com/tailscale/tailscale/tree/{chart.IMAGE_TAG}/cmd/k8s-operator"


def _code(language: str, lines: Iterable[str]) -> list[str]:
    return [f"```{language}", *lines, "```", ""]


def _bullets(items: Iterable[str]) -> list[str]:
    return [*(f"- {item}" for item in items), ""]


def _cluster_admin_banner(plan: InstallPlan) -> list[str]:
    if plan.role is not ClusterRole.CLUSTER_ADMIN or not plan.active:
        return []
    return [
        "> **WARNING: this environment binds Highflame SRE to `cluster-admin`.** Highflame can",
        "> read every Secret, exec into any pod and change anything in this cluster. The default",
        "> is the read-only `highflame-sre` role; ask Highflame to switch back when the task that",
        "> needed full access is done.",
        "",
    ]


def _credential_summary(kind: CredentialKind) -> str:
    if kind is CredentialKind.FEDERATED:
        return (
            "workload identity federation: no secret; the operator presents a projected "
            "service-account token (audience from Highflame, valid one hour, subject "
            f"`{names.OPERATOR_SERVICE_ACCOUNT_SUBJECT}`)"
        )
    return (
        "OAuth client: id and secret from Highflame, out of band; the chart stores them in the "
        f"Secret `{chart.RELEASE_NAMESPACE}/{chart.OAUTH_SECRET}`"
    )


def _glance(plan: InstallPlan) -> list[str]:
    ref = plan.ref
    customer = ref.customer.name
    exposed = ", ".join(f"`{e.hostname}`" for e in plan.exposures) or "none"
    who = (
        "Highflame, with Pulumi, through a kubeconfig you granted (see Prerequisites)"
        if plan.mode is InstallMode.MANAGED
        else "you, with the commands below; Highflame applies nothing in your cluster"
    )
    role = {
        ClusterRole.HIGHFLAME_SRE: "`highflame-sre`: custom, read-only (the default)",
        ClusterRole.VIEW: "`view`: Kubernetes' built-in read-only role",
        ClusterRole.CLUSTER_ADMIN: "**`cluster-admin`: full control of the cluster**",
    }[plan.role]
    return [
        "## At a glance",
        "",
        "| | |",
        "|---|---|",
        f"| Who installs | {who} |",
        f"| Helm release | `{chart.RELEASE_NAME}` in namespace `{chart.RELEASE_NAMESPACE}`: chart "
        f"`{chart.CHART_NAME}` {chart.CHART_VERSION} from {chart.CHART_REPOSITORY} |",
        f"| Images (pinned) | `{chart.OPERATOR_IMAGE}` (operator), `{chart.PROXY_IMAGE}` (proxies) |",
        f"| Operator's tailnet device | `{ref.hostname}`, tag `{names.operator_device_tag(customer)}`; "
        "it hosts the Kubernetes API server proxy (auth mode) on port 443 |",
        f"| Tag of exposure proxies | `{names.proxy_tag(customer)}` |",
        f"| Operator credential | {_credential_summary(ref.environment.credentials)} |",
        f"| Highflame's Kubernetes identity | group `{names.KUBERNETES_GROUP}` (user name: the "
        "engineer's Tailscale login) |",
        f"| Role bound to that group | {role} |",
        f"| Exposed services | {exposed} |",
        "",
    ]


def _prerequisites(plan: InstallPlan, spec: CredentialSpec) -> list[str]:
    kind = plan.ref.environment.credentials
    variables = CREDENTIAL_VARIABLES
    secret_items = (
        [
            f"`{variables['client_id']}` and `{variables['audience']}` from Highflame (neither "
            "is a secret; there is no client secret with workload identity)",
            f"your cluster's OIDC issuer `{spec.issuer}` reachable from the internet (EKS, GKE "
            "and AKS issuers are): Tailscale verifies the operator's token against it, for the "
            f"subject `{spec.subject}`",
        ]
        if kind is CredentialKind.FEDERATED
        else [
            f"`{variables['client_id']}` and `{variables['client_secret']}` from your Highflame "
            "representative, over a channel you trust (never in a ticket or chat log); the "
            "secret is passed to Helm on the command line only, never written to a file here"
        ]
    )
    managed = (
        [
            "managed install: Highflame's deployment holds a kubeconfig for this cluster (stack "
            f"`{plan.ref.stack}`) with rights to install the chart, which creates cluster-scoped "
            "objects (CRDs, ClusterRoles, an IngressClass). If Highflame should hold no "
            "credential for your cluster, ask for the handoff install instead"
        ]
        if plan.mode is InstallMode.MANAGED
        else []
    )
    return [
        "## Prerequisites",
        "",
        *_bullets(
            [
                "`kubectl` 1.32 or newer and `helm` 3.x, with cluster-admin rights on the target "
                "cluster (the chart creates CRDs, ClusterRoles and an IngressClass)",
                "the egress below allowed from the cluster's nodes",
                *secret_items,
                *managed,
                "on Highflame's side (nothing for you to do): HTTPS certificates enabled on "
                "Highflame's tailnet, your tags and grants in Highflame's tailnet policy",
            ]
        ),
    ]


def _log_upload_row(plan: InstallPlan) -> str:
    if plan.ref.environment.log_upload:
        return (
            "| `log.tailscale.com` | 443/tcp | client log upload from the operator and proxies "
            "(this environment sets `log_upload: true`) |"
        )
    return (
        "| not needed: `log.tailscale.com` | - | client log upload is off "
        "(`TS_NO_LOGS_NO_SUPPORT=true`, the default `log_upload: false`) |"
    )


def _egress_for(plan: InstallPlan) -> list[str]:
    """The egress table with this environment's log-upload row in place of the generic one."""
    generic = (
        "| optional: `log.tailscale.com` | 443/tcp | Tailscale's client log upload from the "
        "operator and proxies; access works without it |"
    )
    return [_log_upload_row(plan) if line == generic else line for line in _egress()]


def _egress() -> list[str]:
    return [
        "## Egress allowlist",
        "",
        "No inbound rule is needed: the operator and its proxies only dial out. Allow, from the "
        "cluster's nodes:",
        "",
        "| Destination | Port | Why |",
        "|---|---|---|",
        "| `controlplane.tailscale.com`, `login.tailscale.com` | 443/tcp | coordination server: "
        "device registration, keys, peer discovery |",
        "| `api.tailscale.com` | 443/tcp | the operator's OAuth token exchange and auth-key "
        "minting (Tailscale API) |",
        "| DERP relays: `derp<region><node>.tailscale.com` (for example `derp1f.tailscale.com`, "
        "`derp10c.tailscale.com`), the current list in the DERP map "
        "(`curl -s https://login.tailscale.com/derpmap/default | jq -r '.Regions[].Nodes[].HostName'`) "
        "| 443/tcp, 3478/udp | DERP relays (encrypted fallback path) and STUN |",
        "| `acme-v02.api.letsencrypt.org` | 443/tcp | the API server proxy's TLS certificate "
        "(Let's Encrypt, DNS-01 through Tailscale). Without it kubectl fails with a TLS error "
        "while `helm --wait` still succeeds |",
        "| Docker Hub (`registry-1.docker.io`, `auth.docker.io`, "
        "`production.cloudflare.docker.com`) | 443/tcp | image pulls of "
        f"`{chart.OPERATOR_IMAGE}` and `{chart.PROXY_IMAGE}`; skip if you mirror them (set "
        "`operatorConfig.image.repository` and `proxyConfig.image.repository`) |",
        "| optional: any | 41641/udp, 3478/udp | direct WireGuard paths and STUN; without them "
        "traffic relays over DERP on 443 |",
        "| optional: `log.tailscale.com` | 443/tcp | Tailscale's client log upload from the "
        "operator and proxies; access works without it |",
        "",
        "Where `helm` runs, `pkgs.tailscale.com:443` serves the chart. The set of DERP relays "
        "grows over time, so most customers write one rule, `*.tailscale.com:443/tcp` (plus Docker "
        "Hub or a mirror).",
        "",
    ]


def _helm_command(plan: InstallPlan) -> list[str]:
    lines = [
        f"helm upgrade --install {chart.RELEASE_NAME} {chart.CHART_NAME} \\",
        f"  --repo {chart.CHART_REPOSITORY} --version {chart.CHART_VERSION} \\",
        f"  --namespace {chart.RELEASE_NAMESPACE} --create-namespace \\",
        "  --values helm-values.yaml \\",
        "  --post-renderer ./post-render.sh \\",
    ]
    lines.extend(
        f'  --set-string {_shell_key(key)}="${{{var}}}" \\'
        for key, var in credential_overrides(plan.ref)
    )
    lines.append(f"  --atomic --wait --timeout {chart.RELEASE_TIMEOUT_SECONDS}s")
    return lines


def _shell_key(key: str) -> str:
    """Single-quote a `--set-string` key only when it holds a backslash (escaped dots)."""
    return f"'{key}'" if "\\" in key else key


def _install(plan: InstallPlan, values_text: str) -> list[str]:
    variables = sorted({var for _, var in credential_overrides(plan.ref)})
    reads = [
        f"read -r{'s' if var == CREDENTIAL_VARIABLES['client_secret'] else ''}p '{var}: ' {var}; echo"
        for var in variables
    ]
    hidden = (
        " (the secret is read hidden, `read -s`)"
        if plan.ref.environment.credentials is CredentialKind.OAUTH
        else ""
    )
    intro = (
        [
            "Highflame applies this release through its Pulumi stack with exactly the values "
            "below; you do not run the command. It is the equivalent, for review (and for a "
            "reinstall if you ever choose to take the install over)."
        ]
        if plan.mode is InstallMode.MANAGED
        else ["Run, against the cluster's context, from the directory holding these files:"]
    )
    return [
        "## Step 1: install the operator",
        "",
        *intro,
        "",
        *_code("bash", [*reads, "", *_helm_command(plan)]),
        "Every value except the credential comes from `helm-values.yaml` (below). The "
        "`<...>` placeholders in it are overridden by the `--set-string` flags, with values "
        f"typed into your shell, never into a file or your shell history{hidden}. The pod "
        f"annotation `{CREDENTIAL_ANNOTATION}` carries the (non-secret) client id so that a new "
        "credential restarts the operator. `--atomic` rolls a failed install back.",
        "",
        *_code("yaml", values_text.rstrip("\n").splitlines()),
    ]


def _rbac(plan: InstallPlan, rbac_text: str) -> list[str]:
    apply = (
        ["Highflame applies `rbac.yaml` through its Pulumi stack."]
        if plan.mode is InstallMode.MANAGED
        else ["Apply `rbac.yaml`:", "", *_code("bash", ["kubectl apply -f rbac.yaml"])]
    )
    custom = (
        f"the custom ClusterRole `{ROLE_NAME}` (read verbs on explicitly listed resources, no "
        "wildcard)"
        if plan.role is ClusterRole.HIGHFLAME_SRE
        else f"the built-in ClusterRole `{plan.role.value}`"
    )
    return [
        "## Step 2: Kubernetes RBAC for Highflame's group",
        "",
        f"One ClusterRoleBinding, `{BINDING_NAME}`, binds the group `{names.KUBERNETES_GROUP}` "
        f"(and no user) to {custom}. Engineers join and leave on Highflame's tailnet; nothing "
        "changes here. Objects carry the label "
        f"`{PART_OF_LABEL}={PART_OF}`.",
        "",
        *apply,
        "",
        *_code("yaml", rbac_text.rstrip("\n").splitlines()),
    ]


def _exposure_row(planned: PlannedExposure) -> str:
    exposure = planned.exposure
    target = f"`{exposure.namespace}/{exposure.service}`"
    if planned.via is ExposureVia.INGRESS:
        how = (
            f"Tailscale Ingress `{planned.object_name}`: HTTPS on 443 (tailnet certificate), "
            f"forwarding to port {exposure.port} only"
        )
    else:
        how = (
            "annotations on your Service: the proxy forwards every port of the Service; "
            f"Highflame's tailnet policy lets its engineers reach port {exposure.port} only"
        )
    return f"| `{planned.hostname}` | {target} | {how} |"


def _exposures(plan: InstallPlan, exposures_text: str | None) -> list[str]:
    if not plan.exposures:
        return [
            "## Step 3: exposures",
            "",
            "None. This environment exposes no Service: on your cluster, Highflame's tailnet "
            f"reaches only the API server proxy on `{plan.ref.hostname}`, and through it only "
            "what the RBAC above allows.",
            "",
        ]
    vias = {p.via for p in plan.exposures}
    kinds = " ".join(
        text
        for via, text in (
            (ExposureVia.INGRESS, "Each Ingress document creates an Ingress of Highflame's."),
            (
                ExposureVia.SERVICE,
                "Each Service document only adds the three annotations to your existing Service "
                "(it fails if the Service does not exist).",
            ),
        )
        if via in vias
    )
    how = (
        [
            "Highflame applies these through its Pulumi stack: the Ingress as an object the stack "
            "owns; Service annotations as a server-side-apply patch that owns only those three "
            "annotations and removes them when the exposure is withdrawn.",
            "",
        ]
        if plan.mode is InstallMode.MANAGED
        else [
            f"Once the operator runs, apply `exposures.yaml` with server-side apply. {kinds}",
            "",
            *_code(
                "bash",
                ["kubectl apply --server-side --field-manager=highflame-access -f exposures.yaml"],
            ),
        ]
    )
    text = exposures_text or ""
    return [
        "## Step 3: exposures",
        "",
        "Only these Services become reachable from Highflame's tailnet, each under its own "
        "tailnet name and tagged "
        f"`{names.proxy_tag(plan.ref.customer.name)}`. Withdraw one by deleting its Ingress or "
        "removing the annotations (see Revoking access).",
        "",
        "| Tailnet name | Service | How |",
        "|---|---|---|",
        *(_exposure_row(p) for p in plan.exposures),
        "",
        *how,
        *_code("yaml", text.rstrip("\n").splitlines()),
    ]


def _verify(plan: InstallPlan) -> list[str]:
    return [
        "## Step 4: verify",
        "",
        *_code(
            "bash", [*operator_checks(plan), "", *hardening_checks(plan), "", *rbac_checks(plan)]
        ),
        f"The operator's tailnet device `{plan.ref.hostname}` is on Highflame's tailnet: ask "
        "Highflame for its device entry (tags, and the OAuth client id that registered it, from "
        "Tailscale's device registration log) and compare the id with the annotation above.",
        "",
    ]


def _capabilities(plan: InstallPlan) -> list[str]:
    cannot = CANNOT[plan.role]
    return [
        "## What Highflame can and cannot do",
        "",
        f"With the role `{plan.role.value}`, Highflame engineers can:",
        "",
        *_bullets(CAN[plan.role]),
        *(["They cannot:", "", *_bullets(cannot)] if cannot else []),
        "Keep in mind:",
        "",
        *_bullets(CAVEATS),
        "On the network, Highflame's tailnet reaches only the operator's device (the API server "
        "proxy, port 443) and the exposures in Step 3; the proxy rejects callers without a "
        "Tailscale identity and a Kubernetes grant in Highflame's tailnet policy.",
        "",
    ]


def credential_power(spec: CredentialSpec) -> str:
    """Exactly what the credential in this cluster can do on Highflame's tailnet."""
    scopes = ", ".join(f"`{scope}`" for scope in spec.scopes)
    if "devices:core" in spec.scopes:
        return (
            f"**What the credential can do on Highflame's tailnet.** Scopes {scopes}. "
            "`auth_keys`: create auth keys, only for the tags above. `devices:core`: read and "
            "write the tailnet's device list, which the operator needs to delete an exposure's "
            "proxy device when the exposure is removed. Tailscale does not limit this scope by "
            "tag (tailscale/tailscale#10702): whoever holds the credential could also list, "
            "rename or delete devices that are not yours, including other customers' and "
            "Highflame's. It cannot read or change the tailnet policy, so it cannot grant "
            "itself access to anything. Highflame checks the tailnet's configuration audit log "
            "for any such action (`hfaccess audit`). Check: `scopes` in `oauth-client.json`."
        )
    return (
        f"**What the credential can do on Highflame's tailnet.** Scope {scopes} only: create "
        "auth keys, and only for the tags above, so it can add devices tagged as yours and "
        "nothing else. It cannot list, change or delete devices, keys or the tailnet policy. "
        "Check: `scopes` in `oauth-client.json`."
    )


def _properties(plan: InstallPlan, spec: CredentialSpec) -> list[str]:
    ref = plan.ref
    customer = ref.customer.name
    federated = ref.environment.credentials is CredentialKind.FEDERATED
    credential = (
        "No long-lived secret at all: the operator authenticates with a projected "
        "service-account token that expires after an hour. Check: no Secret "
        f"`{chart.OAUTH_SECRET}` in `{chart.RELEASE_NAMESPACE}` (`kubectl get secrets -n "
        f"{chart.RELEASE_NAMESPACE}`)."
        if federated
        else "One long-lived credential, the OAuth client secret, stored twice: in the Secret "
        f"`{chart.RELEASE_NAMESPACE}/{chart.OAUTH_SECRET}` and in Helm's release Secret "
        f"(`sh.helm.release.v1.{chart.RELEASE_NAME}.v<N>`, it holds the values). Check: "
        f"`kubectl get secrets -n {chart.RELEASE_NAMESPACE}` (names only)."
    )
    return [
        "## Security properties, and how to check each",
        "",
        *_bullets(
            [
                "**No inbound rule, no public endpoint.** The operator and its proxies only dial "
                "out; this install requests no LoadBalancer, NodePort, public IP or cloud "
                "ingress. Check: the Services and exposures commands in Step 4.",
                "**Narrow egress.** Only the destinations in the egress allowlist. Check: your "
                "egress firewall logs.",
                "**Encrypted end to end.** Tailnet traffic is WireGuard between Highflame's "
                "device and the operator. Tailscale's coordination server only exchanges "
                "public keys and never carries this traffic; DERP relays, used when no direct "
                "path exists, forward ciphertext they cannot decrypt. This is Tailscale's "
                "design (tailscale.com/security), not something this install configures.",
                f"**Identity-bound, auth mode.** `APISERVER_PROXY={API_SERVER_PROXY_MODE}`: the "
                "API server proxy impersonates each caller as their Tailscale login plus the "
                f"group `{names.KUBERNETES_GROUP}` granted by Highflame's tailnet policy; engineers "
                "use no shared kubeconfig token or static API key. Check: the environment and "
                f"`{chart.AUTH_PROXY_BINDING}` commands in Step 4.",
                f"**Least privilege by default.** The role is `{plan.role.value}`. Check: the "
                "`kubectl auth can-i` commands in Step 4.",
                "**Per-customer isolation.** The operator's device is tagged "
                f"`{names.operator_device_tag(customer)}` and proxies "
                f"`{names.proxy_tag(customer)}`; the auth keys the credential mints can only "
                f"carry the two tags its own tag `{', '.join(spec.tags)}` owns in Highflame's "
                "tailnet policy, and no other customer shares them. Check: "
                "`OPERATOR_INITIAL_TAGS` and `PROXY_TAGS` in Step 4, and `oauth-client.json`.",
                credential_power(spec),
                f"**Credentials.** {credential} Devices join with single-use, pre-authorized auth "
                "keys the operator mints; they are not ephemeral, so a device stays in the "
                "tailnet until removed. Each device's node and machine keys (and the API server "
                "proxy's TLS key) live in its state Secret in "
                f"`{chart.RELEASE_NAMESPACE}`: `operator` for the operator, one per proxy. "
                "There is no single secret: see Facts to verify.",
                "**Audited.** Every request reaches your API server as the operator's service "
                f"account (`{names.OPERATOR_SERVICE_ACCOUNT_SUBJECT}`) impersonating the "
                f"engineer, with group `{names.KUBERNETES_GROUP}`. Check: your audit log's "
                "`impersonatedUser`. Highflame's tailnet audit and device registration logs are "
                "available on request.",
                "**Nothing exposed unless listed.** See Step 3.",
                f"**Pinned supply chain.** Chart {chart.CHART_VERSION}; images "
                f"`{chart.OPERATOR_IMAGE}` and `{chart.PROXY_IMAGE}`; no `latest`, no "
                f"auto-upgrade. Source: {OPERATOR_SOURCE}. Check: the image and `PROXY_IMAGE` "
                "commands in Step 4.",
                f"**Footprint.** Operator and proxies run in `{chart.RELEASE_NAMESPACE}` only. "
                "Cluster-wide, the chart adds the tailscale.com CRDs, its ClusterRoles and "
                f"bindings, and the IngressClass `{chart.INGRESS_CLASS}`; this install adds the "
                "RBAC in Step 2 and, per Ingress exposure, one Ingress in that Service's "
                "namespace. No sidecar is injected into your workloads.",
            ]
        ),
    ]


def _files(plan: InstallPlan) -> list[str]:
    files = [
        "`INSTALL.md`: this document",
        "`oauth-client.json`: the credential Highflame creates on its tailnet for this "
        "environment (description, scopes, tags; no secret)"
        if plan.active
        else "`oauth-client.json`: the credential Highflame created on its tailnet for this "
        "environment, which the revocation deletes (description, scopes, tags; no secret)",
    ]
    if plan.active:
        files += [
            "`helm-values.yaml`: the release's values (credential values are placeholders)",
            "`rbac.yaml`: the ClusterRoleBinding (and the custom ClusterRole, if used)",
        ]
    if plan.exposures:
        files.append("`exposures.yaml`: the exposures")
    return ["## Files", "", *_bullets(files)]


def _header(plan: InstallPlan) -> list[str]:
    ref = plan.ref
    return [
        f"# Highflame support access: {ref.customer.name} / {ref.name}",
        "",
        f"Rendered by highflame-access (`python -m hfaccess render --stack {ref.stack}`) from "
        "Highflame's customer registry. It describes everything this access consists of in your "
        "cluster; nothing else is installed.",
        "",
    ]


def _revoked(plan: InstallPlan) -> list[str]:
    after = (
        "Highflame's stack removes its release, RBAC and exposures from your cluster on its next "
        "deployment; the steps below remove anything left."
        if plan.mode is InstallMode.MANAGED
        else "Highflame cannot change your cluster: remove the install with the steps below."
    )
    return [f"**Access to this environment is revoked.** {after}", ""]


def install_guide(
    plan: InstallPlan,
    spec: CredentialSpec,
    values_text: str | None,
    rbac_text: str | None,
    exposures_text: str | None,
    *,
    access_roles: Sequence[str] = (),
) -> str:
    """The whole INSTALL.md of one environment (`access_roles`: standing vs time-boxed roles)."""
    if not plan.active or values_text is None or rbac_text is None:
        lines = [
            *_header(plan),
            *_revoked(plan),
            *customer_kill_switch(plan, ()),
            *highflame_revocation(plan),
            *_files(plan),
        ]
    else:
        lines = [
            *_header(plan),
            *_cluster_admin_banner(plan),
            *_glance(plan),
            *_capabilities(plan),
            *_properties(plan, spec),
            *_prerequisites(plan, spec),
            *_egress_for(plan),
            *_install(plan, values_text),
            *hardening_section(plan),
            *_rbac(plan, rbac_text),
            *access_roles,
            *_exposures(plan, exposures_text),
            *_verify(plan),
            *truths_section(plan),
            *customer_kill_switch(plan, plan.exposures),
            *highflame_revocation(plan),
            *_files(plan),
        ]
    return "\n".join(lines).rstrip("\n") + "\n"
