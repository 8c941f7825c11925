"""The policy's `tests` section: assertions Tailscale runs on every save of the policy.

Tailscale refuses the whole update when one fails, so these are a server-side guard: SRE reach
each active customer's API server proxy, nothing else on it, and revoked customers not at all;
customer devices reach neither another customer nor Highflame's engineers. Isolation is
asserted in a ring (each customer against the next one), so the count grows linearly with the
number of customers instead of pairwise.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from hfaccess.policy.access import API_SERVER_PORT, CustomerAccess

# Ports asserted closed: one on an API server proxy besides 443, one on an engineer's laptop.
CLOSED_PORT = 80
SRE_SIDE_PORT = 22


def _sre_test(access: CustomerAccess, sre: str) -> dict[str, Any]:
    if access.reachable:
        accept = [f"{access.device_tag}:{API_SERVER_PORT}"]
        accept += [f"{access.proxy_tag}:{port}" for port in access.ports]
        deny = [f"{access.device_tag}:{CLOSED_PORT}"]  # the proxy answers on 443 only
        deny += [f"{access.proxy_tag}:{port}" for port in access.withdrawn]
        return {"src": sre, "proto": "tcp", "accept": accept, "deny": deny}
    deny = [f"{access.device_tag}:{API_SERVER_PORT}", f"{access.proxy_tag}:{API_SERVER_PORT}"]
    deny += [f"{access.proxy_tag}:{p}" for p in access.withdrawn if p != API_SERVER_PORT]
    return {"src": sre, "proto": "tcp", "deny": deny}


def _isolation_tests(
    access: CustomerAccess, neighbour: CustomerAccess, engineer: str | None
) -> list[dict[str, Any]]:
    deny = [
        f"{neighbour.device_tag}:{API_SERVER_PORT}",
        f"{neighbour.proxy_tag}:{API_SERVER_PORT}",
    ]
    if engineer is not None:
        deny.append(f"{engineer}:{SRE_SIDE_PORT}")
    return [
        {"src": tag, "proto": "tcp", "deny": list(deny)}
        for tag in (access.device_tag, access.proxy_tag)
    ]


def policy_tests(
    accesses: Sequence[CustomerAccess], sre_group: str, members: Sequence[str]
) -> list[dict[str, Any]]:
    """Three tests per customer, in customer order.

    With no SRE member nothing should reach a customer, and a test whose source is an empty
    group proves nothing, so the SRE tests are left out; isolation tests remain.
    """
    engineer = members[0] if members else None
    tests: list[dict[str, Any]] = []
    for index, access in enumerate(accesses):
        if members:
            tests.append(_sre_test(access, sre_group))
        neighbour = accesses[(index + 1) % len(accesses)]
        tests.extend(_isolation_tests(access, neighbour, engineer))
    return tests
