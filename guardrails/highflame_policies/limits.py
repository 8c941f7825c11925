"""What the guardrails pin and forbid: the pack's own copy of the access model's limits."""

from __future__ import annotations

from typing import Final

# The tailscale-operator install (reference: tailscale-operator-chart.md).
RELEASE_TYPE: Final = "kubernetes:helm.sh/v3:Release"
CHART_NAME: Final = "tailscale-operator"
CHART_VERSION: Final = "1.96.5"
CHART_REPO: Final = "https://pkgs.tailscale.com/helmcharts"
IMAGE_TAG: Final = f"v{CHART_VERSION}"
RELEASE_NAME: Final = "tailscale-operator"  # `helm uninstall tailscale-operator -n tailscale`
RELEASE_NAMESPACE: Final = "tailscale"
IMAGE_KEYS: Final = ("operatorConfig", "proxyConfig")

# Services: nothing in a customer cluster may be opened outside the tailnet.
SERVICE_TYPES: Final = ("kubernetes:core/v1:Service", "kubernetes:core/v1:ServicePatch")
FORBIDDEN_SERVICE_TYPES: Final = frozenset({"LoadBalancer", "NodePort"})

# Never exposed to the tailnet (hfaccess.registry.models refuses them in the registry): the raw API
# server Service (it would bypass the auth proxy) and anything in the operator's namespace.
INGRESS_TYPE: Final = "kubernetes:networking.k8s.io/v1:Ingress"
SERVICE_PATCH_TYPE: Final = "kubernetes:core/v1:ServicePatch"
EXPOSE_ANNOTATION: Final = "tailscale.com/expose"
API_SERVER_SERVICE: Final = ("default", "kubernetes")
NEVER_EXPOSED_NAMESPACES: Final = frozenset({"tailscale"})

# The default SRE role (reference: kubernetes-rbac.md, "Never granted by the default role").
SRE_ROLE_NAME: Final = "highflame-sre"
ROLE_TYPES: Final = (
    "kubernetes:rbac.authorization.k8s.io/v1:ClusterRole",
    "kubernetes:rbac.authorization.k8s.io/v1:ClusterRolePatch",
    "kubernetes:rbac.authorization.k8s.io/v1:Role",
    "kubernetes:rbac.authorization.k8s.io/v1:RolePatch",
)
READ_VERBS: Final = frozenset({"get", "list", "watch"})
# Verbs named in the reference; any verb outside READ_VERBS is refused as well.
FORBIDDEN_VERBS: Final = frozenset(
    {
        "create",
        "update",
        "patch",
        "delete",
        "deletecollection",
        "escalate",
        "bind",
        "impersonate",
        "*",
    }
)
# Resources refused in any API group, with all their subresources.
FORBIDDEN_RESOURCES: Final = frozenset({"secrets", "certificatesigningrequests"})
# Subresources refused exactly.
FORBIDDEN_SUBRESOURCES: Final = frozenset(
    {
        "pods/exec",
        "pods/attach",
        "pods/portforward",
        "pods/ephemeralcontainers",
        "pods/proxy",
        "services/proxy",
        "nodes/proxy",
        "serviceaccounts/token",
    }
)
FORBIDDEN_SUBRESOURCE_SUFFIXES: Final = ("/proxy",)  # every `*/proxy`
FORBIDDEN_API_GROUPS: Final = frozenset({"rbac.authorization.k8s.io", "*"})

# Operator credentials (tailnet side).
CREDENTIAL_TYPES: Final = (
    "tailscale:index/oauthClient:OauthClient",
    "tailscale:index/federatedIdentity:FederatedIdentity",
)
OAUTH_CLIENT_TYPE: Final = "tailscale:index/oauthClient:OauthClient"
TAILNET_STACK: Final = "tailnet"


def operator_tag(customer: str) -> str:
    """The only tag a customer's operator credential may carry."""
    return f"tag:k8s-operator-{customer}"


# Prefix of every Tailscale key and client secret: such a string in Helm values is a leak.
TAILSCALE_KEY_PREFIX: Final = "tskey-"

# The hardened install (core: hfaccess/install/hardening.py): what the operator container's
# securityContext must say, the ProxyClass exposure proxies use, and the post-renderer that
# narrows impersonation (core: hfaccess/install/impersonation.py).
HARDENED_SECURITY_CONTEXT: Final = {
    "allowPrivilegeEscalation": False,
    "privileged": False,
    "readOnlyRootFilesystem": True,
    "runAsNonRoot": True,
}
HARDENED_SECCOMP: Final = "RuntimeDefault"
PROXY_CLASS_NAME: Final = "highflame-hardened"
RESOURCE_KINDS: Final = ("cpu", "memory")
POST_RENDER_SCRIPT: Final = "post-render.sh"
# Break-glass: the groups elevations impersonate, and the bindings that may bind them.
ELEVATED_GROUP_PREFIX: Final = "highflame-elevated-"
BINDING_TYPES: Final = (
    "kubernetes:rbac.authorization.k8s.io/v1:ClusterRoleBinding",
    "kubernetes:rbac.authorization.k8s.io/v1:ClusterRoleBindingPatch",
    "kubernetes:rbac.authorization.k8s.io/v1:RoleBinding",
    "kubernetes:rbac.authorization.k8s.io/v1:RoleBindingPatch",
)
