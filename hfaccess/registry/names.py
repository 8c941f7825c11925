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


def kube_context(customer: str, environment: str) -> str:
    """kubeconfig context an SRE gets for one customer environment."""
    return stack_name(customer, environment)
