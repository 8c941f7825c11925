"""What an SRE runs to get kubectl into one customer environment, as data.

A name proves nothing: `tailscale configure kubeconfig NAME` takes whichever peer's MagicDNS
name starts with NAME (or, failing that, a Tailscale Service of that name), and a Service in
another customer's cluster can claim `acme-prod-kube` through annotations. So the steps first
read `tailscale status --json` and trust the peer only if its MagicDNS name is
`<c>-<env>-kube.<tailnet>`, it is online, and its tags are exactly the customer's operator
device tag `tag:cust-<c>` (which only that customer's operator credential can mint). Then
`tailscale configure kubeconfig` gets that peer's full MagicDNS name, and the context it writes
(named after it) is renamed to the stable `<c>-<env>` (`hfaccess.registry.names.kube_context`).
Revoked and unknown environments are refused before anything runs.
"""

from __future__ import annotations

import shlex
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

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
    tag: str  # the only tag the proxy's device may carry: the customer's operator device tag

    def owns_context(self, name: str) -> bool:
        """Whether `name` is the context `tailscale configure kubeconfig` made for this host."""
        return name == self.hostname or name.startswith(f"{self.hostname}.")

    def script(self, customers: str | None = None) -> str:
        """The same steps as a shell snippet to copy: a subshell that stops at the first
        failure, so a failed check or `tailscale configure` never renames another context.
        `customers`: the registry directory to pass on, when it is not the default."""
        registry = f" --customers {shlex.quote(customers)}" if customers else ""
        return "\n".join(
            [
                f"# kubectl into {self.customer} {self.environment} through the API server proxy "
                f"{self.hostname}",
                "(",
                "  set -eu",
                f"  # trust the device only if it is online and tagged exactly {self.tag}",
                f'  fqdn="$(hfaccess connect {self.customer} {self.environment} --verify-only'
                f'{registry})"',
                '  tailscale configure kubeconfig "$fqdn"',
                '  test "$(kubectl config current-context)" = "$fqdn"',
                f"  kubectl config delete-context {self.context} >/dev/null 2>&1 || true",
                f'  kubectl config rename-context "$fqdn" {self.context}',
                "  # the first request through a new proxy can be slow: it is getting its TLS "
                "certificate",
                f"  kubectl --context {self.context} get namespaces",
                ")",
            ]
        )


@dataclass(frozen=True)
class VerifiedPeer:
    """The peer that answers to the environment's name, checked: its MagicDNS name (no dot at
    the end) is what `tailscale configure kubeconfig` gets."""

    fqdn: str
    tags: tuple[str, ...]


def _base_label(dns_name: str) -> str:
    return dns_name.rstrip(".").split(".", 1)[0].lower()


def verify_peer(plan: ConnectPlan, status: Any) -> VerifiedPeer:
    """Check `tailscale status --json` output; ConnectRefused unless exactly one peer carries
    the environment's MagicDNS name, it is online, and its tags are exactly `plan.tag`."""
    peers = status.get("Peer") if isinstance(status, Mapping) else None
    if not isinstance(peers, Mapping):
        raise ConnectRefused("`tailscale status --json` has no peer list: is tailscale running?")
    found = [
        peer
        for peer in peers.values()
        if isinstance(peer, Mapping)
        and isinstance(peer.get("DNSName"), str)
        and _base_label(peer["DNSName"]) == plan.hostname
    ]
    if not found:
        raise ConnectRefused(
            f"no device named {plan.hostname} on your tailnet view (is the operator running, "
            "and are you in the SRE group?)"
        )
    if len(found) > 1:
        raise ConnectRefused(f"{len(found)} devices answer to {plan.hostname}: refusing to guess")
    peer = found[0]
    fqdn = str(peer["DNSName"]).rstrip(".")
    raw_tags = peer.get("Tags")
    tags = tuple(t for t in raw_tags if isinstance(t, str)) if isinstance(raw_tags, list) else ()
    if tags != (plan.tag,):
        shown = ", ".join(tags) if tags else "no tags"
        raise ConnectRefused(
            f"{fqdn} carries {shown}, not exactly {plan.tag}: it is not {plan.customer}'s "
            "operator (another cluster may be claiming the name): refusing"
        )
    if peer.get("Online") is not True:
        raise ConnectRefused(f"{fqdn} ({plan.tag}) is offline: nothing to connect to")
    return VerifiedPeer(fqdn=fqdn, tags=tags)


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
        tag=names.operator_device_tag(customer),
    )
