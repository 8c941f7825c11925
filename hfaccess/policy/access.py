"""What one customer may be reached on, derived from the registry alone.

Tags are per customer, not per environment: every environment of a customer registers its
operator as `tag:cust-<c>` and its proxies as `tag:k8s-<c>`. So the policy can withdraw an
environment's exposures (their ports), but the API-server grant to `tag:cust-<c>` stays while
any environment of that customer is active. Cutting one environment's operator off entirely is
the environment stack's job (it deletes that environment's credential) plus deleting its device.
"""

from __future__ import annotations

from dataclasses import dataclass

from hfaccess.registry import names
from hfaccess.registry.models import Customer

API_SERVER_PORT = 443


@dataclass(frozen=True)
class CustomerAccess:
    """The network access SRE get to one customer's tags."""

    name: str
    reachable: bool  # some environment is active: SRE reach tag:cust-<c>:443
    ports: tuple[int, ...]  # tcp ports SRE reach on tag:k8s-<c>: active exposures only
    withdrawn: tuple[int, ...]  # ports exposed only by revoked environments (denied by tests)

    @property
    def operator_tag(self) -> str:
        return names.operator_tag(self.name)

    @property
    def device_tag(self) -> str:
        return names.operator_device_tag(self.name)

    @property
    def proxy_tag(self) -> str:
        return names.proxy_tag(self.name)


def customer_access(customer: Customer) -> CustomerAccess:
    """Reachability and exposed ports of `customer`, honouring customer and environment revocation."""
    active: set[int] = set()
    revoked: set[int] = set()
    for env_name, env in customer.environments.items():
        ports = {exposure.tailnet_port for exposure in env.exposures.values()}
        (active if customer.active(env_name) else revoked).update(ports)
    reachable = any(customer.active(env) for env in customer.environments)
    return CustomerAccess(
        name=customer.name,
        reachable=reachable,
        ports=tuple(sorted(active)),
        withdrawn=tuple(sorted(revoked - active)),
    )
