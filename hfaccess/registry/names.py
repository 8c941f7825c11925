"""Every name derived from a customer or environment, defined once.

Tags, hostnames and stack names are computed here and nowhere else, so the collision check in
the registry and the builders can never disagree about what a customer owns.
"""

from __future__ import annotations

import re
from typing import Final

PROJECT: Final = "highflame-access"
TAILNET_STACK: Final = "tailnet"

CUSTOMER_NAME_RE: Final = re.compile(r"^[a-z](?:[a-z0-9-]{0,30}[a-z0-9])?$")
ENVIRONMENT_NAME_RE: Final = re.compile(r"^[a-z][a-z0-9]{0,11}$")
# An exposure name becomes the last label of `<customer>-<env>-<name>`.
EXPOSURE_NAME_RE: Final = re.compile(r"^[a-z](?:[a-z0-9-]{0,18}[a-z0-9])?$")

CUSTOMER_NAME_MAX: Final = 32
ENVIRONMENT_NAME_MAX: Final = 12
DNS_LABEL_MAX: Final = 63

# The Kubernetes group the API server proxy impersonates for Highflame SRE, and the tailnet
# group whose members get it. The ClusterRoleBinding binds this group and only this group.
KUBERNETES_GROUP: Final = "highflame-sre"

OPERATOR_NAMESPACE: Final = "tailscale"
OPERATOR_RELEASE: Final = "tailscale-operator"
OPERATOR_SERVICE_ACCOUNT_SUBJECT: Final = "system:serviceaccount:tailscale:operator"


# Customer names whose tags would collide with the operator chart's defaults or its own tag
# space: `operator` gets `tag:k8s-operator` (the chart's default operator tag) as its proxy
# tag, `operator-<x>` would own customer x's operator tag `tag:k8s-operator-<x>` before x is
# registered, and `recorder` gets `tag:k8s-recorder` (the default tag of the operator's
# session recorders).
RESERVED_CUSTOMER_NAMES: Final = frozenset({"operator", "recorder"})
RESERVED_CUSTOMER_PREFIXES: Final = ("operator-",)


def reserved_customer_name(customer: str) -> str | None:
    """Why `customer` may not be a customer name, or None when it may."""
    if customer in RESERVED_CUSTOMER_NAMES or customer.startswith(RESERVED_CUSTOMER_PREFIXES):
        return (
            f"its proxy tag {proxy_tag(customer)} lies in the operator's own tag space "
            "(tag:k8s-operator*, tag:k8s-recorder)"
        )
    return None


# The customers' tag space: every customer's tags, and the operator chart's default tags
# (`tag:k8s-operator`, `tag:k8s`, `tag:k8s-recorder`). Only the registry decides about tags here.
CUSTOMER_TAG_PREFIXES: Final = ("tag:cust-", "tag:k8s-")
CHART_DEFAULT_TAGS: Final = frozenset({"tag:k8s", "tag:k8s-operator", "tag:k8s-recorder"})


def in_customer_tag_space(tag: str) -> bool:
    """Whether `tag` lies where customers' (or the chart's default) tags live."""
    return tag in CHART_DEFAULT_TAGS or tag.startswith(CUSTOMER_TAG_PREFIXES)


def operator_tag(customer: str) -> str:
    """Tag of the customer's OAuth clients: it owns the two device tags below."""
    return f"tag:k8s-operator-{customer}"


def operator_device_tag(customer: str) -> str:
    """Tag of the operator device, which hosts the API server proxy."""
    return f"tag:cust-{customer}"


def proxy_tag(customer: str) -> str:
    """Tag of the proxies the operator creates for exposed services."""
    return f"tag:k8s-{customer}"


def customer_tags(customer: str) -> tuple[str, str, str]:
    """The customer's whole tag chain: operator, operator device, proxies."""
    return operator_tag(customer), operator_device_tag(customer), proxy_tag(customer)


def operator_hostname(customer: str, environment: str) -> str:
    """Tailnet device name of the operator, and so of the API server proxy."""
    return f"{customer}-{environment}-kube"


def exposure_hostname(customer: str, environment: str, exposure: str) -> str:
    """Tailnet device name of one exposed service."""
    return f"{customer}-{environment}-{exposure}"


def stack_name(customer: str, environment: str) -> str:
    """Pulumi stack of one customer environment."""
    return f"{customer}-{environment}"


# The Kubernetes group a break-glass elevation impersonates, bound in that environment only
# (hfaccess.policy.elevation grants it; hfaccess.install.plan binds it).
ELEVATED_GROUP_PREFIX: Final = "highflame-elevated-"


def elevated_group(customer: str, environment: str) -> str:
    """The Kubernetes group an elevation in this environment impersonates (bound only there)."""
    return f"{ELEVATED_GROUP_PREFIX}{customer}-{environment}"


def kube_context(customer: str, environment: str) -> str:
    """kubeconfig context an SRE gets for one customer environment."""
    return stack_name(customer, environment)
