"""What an SRE runs to get kubectl into one customer environment, as data.

`tailscale configure kubeconfig <host>` writes a context named after the proxy's MagicDNS FQDN
(`<c>-<env>-kube.<tailnet>.ts.net`) and makes it current; the steps then rename it to the
stable `<c>-<env>` (`hfaccess.registry.names.kube_context`), replacing an older one of that name.
Revoked and unknown environments are refused before anything runs.
"""

from __future__ import annotations

from dataclasses import dataclass

from hfaccess.registry import names
from hfaccess.registry.models import EnvironmentRef, Registry


class ConnectRefused(Exception):
    """The environment must not (or cannot) be connected to; the message says why."""


@dataclass(frozen=True)
class ConnectPlan:
    customer: str
    environment: str
    hostname: str  # the API server proxy's tailnet hostname
    context: str  # the kubeconfig context the SRE ends up with

    def owns_context(self, name: str) -> bool:
        """Whether `name` is the context `tailscale configure kubeconfig` made for this host."""
        return name == self.hostname or name.startswith(f"{self.hostname}.")

    def script(self) -> str:
        """The same steps as a shell snippet to copy."""
        return "\n".join(
            [
                f"# kubectl into {self.customer} {self.environment} through the API server proxy "
                f"{self.hostname}",
                f"tailscale configure kubeconfig {self.hostname}",
                f"kubectl config delete-context {self.context} >/dev/null 2>&1 || true",
                f'kubectl config rename-context "$(kubectl config current-context)" {self.context}',
                "# the first request through a new proxy can be slow: it is getting its TLS "
                "certificate",
                f"kubectl --context {self.context} get namespaces",
            ]
        )


def connect_plan(registry: Registry, customer: str, environment: str) -> ConnectPlan:
    """The plan for one environment; ConnectRefused if unknown or revoked."""
    try:
        found = registry.customer(customer)
    except KeyError:
        known = ", ".join(c.name for c in registry.customers) or "none"
        raise ConnectRefused(f"unknown customer {customer!r} (known: {known})") from None
    if environment not in found.environments:
        known = ", ".join(sorted(found.environments))
        raise ConnectRefused(f"{customer} has no environment {environment!r} (known: {known})")
    ref = EnvironmentRef(found, environment)
    if found.revoked:
        raise ConnectRefused(
            f"{customer} is revoked: access to every environment was cut on purpose"
        )
    if not ref.active:
        raise ConnectRefused(f"{ref.stack} is revoked: access was cut on purpose")
    return ConnectPlan(
        customer=customer,
        environment=environment,
        hostname=names.operator_hostname(customer, environment),
        context=names.kube_context(customer, environment),
    )
