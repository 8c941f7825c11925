"""The tailnet policy document, composed from the access model. Pure: same model, same policy.

Per customer c: the tag chain in `tagOwners`, one shared grant letting `group:highflame-sre`
reach every reachable customer's API server proxy on tcp:443 with the Kubernetes capability,
grants for exposed services on exactly their ports (customers exposing the same ports share
one grant), and generated tests. Highflame's base policy comes first in every section.
"""

from __future__ import annotations

import weakref
from collections import defaultdict
from collections.abc import Sequence
from typing import Any

from hfaccess.policy.access import API_SERVER_PORT, CustomerAccess, customer_access
from hfaccess.policy.assertions import policy_tests
from hfaccess.policy.base import base_sections
from hfaccess.policy.capability import KUBERNETES_CAPABILITY, kubernetes_capability
from hfaccess.policy.elevation_build import add_elevation
from hfaccess.registry.workspace import AccessModel


def _tag_owners(accesses: Sequence[CustomerAccess], operator_owners: list[str]) -> dict[str, Any]:
    owners: dict[str, Any] = {}
    for access in accesses:
        owners[access.operator_tag] = list(operator_owners)
        owners[access.device_tag] = [access.operator_tag]
        owners[access.proxy_tag] = [access.operator_tag]
    return owners


def _grants(accesses: Sequence[CustomerAccess], sre_group: str) -> list[dict[str, Any]]:
    grants: list[dict[str, Any]] = []
    api_servers = sorted(a.device_tag for a in accesses if a.reachable)
    if api_servers:
        grants.append(
            {
                "src": [sre_group],
                "dst": api_servers,
                "ip": [f"tcp:{API_SERVER_PORT}"],
                "app": {KUBERNETES_CAPABILITY: kubernetes_capability()},
            }
        )
    by_ports: dict[tuple[int, ...], list[str]] = defaultdict(list)
    for access in accesses:
        if access.reachable and access.ports:
            by_ports[access.ports].append(access.proxy_tag)
    for ports, tags in sorted(by_ports.items()):
        grants.append(
            {"src": [sre_group], "dst": sorted(tags), "ip": [f"tcp:{port}" for port in ports]}
        )
    return grants


# One list per model: the builder, the checker and the tailnet stack (or `check`) all ask for
# it in one run. Keyed by identity (a model is immutable, not hashable); an entry goes with its
# model.
_ACCESSES: dict[int, tuple[weakref.ref[AccessModel], list[CustomerAccess]]] = {}


def customer_accesses(model: AccessModel) -> list[CustomerAccess]:
    """Every customer's access, in customer-name order; computed once per model (do not mutate)."""
    key = id(model)
    cached = _ACCESSES.get(key)
    if cached is not None and cached[0]() is model:
        return cached[1]
    accesses = [customer_access(c) for c in sorted(model.registry.customers, key=lambda c: c.name)]
    _ACCESSES[key] = (weakref.ref(model, lambda _: _ACCESSES.pop(key, None)), accesses)
    return accesses


def build_policy(model: AccessModel) -> dict[str, Any]:
    """The whole policy document; raise InvalidInput if the base policy names customer tags."""
    return compose_policy(model, base_sections(model))


def compose_policy(model: AccessModel, base: dict[str, Any]) -> dict[str, Any]:
    """The customers' parts added to `base` (already checked by base_sections, or a copy the
    gate composes only to report every other violation at once). Takes ownership of `base`."""
    document = base
    accesses = customer_accesses(model)
    highflame = model.highflame
    sre_group = highflame.sre_group
    members = list(highflame.sre.members)
    document["groups"] = {**document.get("groups", {}), sre_group: members}
    document["tagOwners"] = {
        **document.get("tagOwners", {}),
        **_tag_owners(accesses, highflame.operator_tag_owners),
    }
    document["grants"] = [*document.get("grants", []), *_grants(accesses, sre_group)]
    document["tests"] = [
        *document.get("tests", []),
        *policy_tests(accesses, sre_group, members),
    ]
    return add_elevation(document, model)
