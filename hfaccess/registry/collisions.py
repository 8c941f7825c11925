"""The collision rules, in one place: every name a customer's presence claims, and which collide.

Tags, hostnames and stack names are derived (hfaccess.registry.names); two claims on one derived
name would let one customer own another's access (a customer called `operator-acme` would own
`tag:k8s-operator-acme`, acme's operator tag). The loader refuses such a registry, the policy
checker reports it (invariant 7), and the base policy may not name a customer's tag: all three
ask this module.
"""

from __future__ import annotations

from collections.abc import Iterable

from hfaccess.registry import names
from hfaccess.registry.models import Customer

# (namespace, name, what): `what` says which part of the customer claims the name.
DerivedName = tuple[str, str, str]
# (owner, what): the owner is how the caller names the customer (its file, or its name).
Claim = tuple[str, str]


def derived_names(customer: Customer) -> list[DerivedName]:
    """(namespace, name, what) for every name the customer's presence claims."""
    claimed: list[tuple[str, str, str]] = [
        ("tag", names.operator_tag(customer.name), "operator tag"),
        ("tag", names.operator_device_tag(customer.name), "operator device tag"),
        ("tag", names.proxy_tag(customer.name), "proxy tag"),
    ]
    for env_name, env in sorted(customer.environments.items()):
        claimed.append(("stack", names.stack_name(customer.name, env_name), f"stack of {env_name}"))
        claimed.append(
            (
                "hostname",
                names.operator_hostname(customer.name, env_name),
                f"API server proxy of {env_name}",
            )
        )
        for exposure in sorted(env.exposures):
            claimed.append(
                (
                    "hostname",
                    names.exposure_hostname(customer.name, env_name, exposure),
                    f"exposure {exposure} of {env_name}",
                )
            )
    return claimed


def collisions(
    owners: Iterable[tuple[Customer, str]],
) -> list[tuple[str, str, list[Claim]]]:
    """(namespace, name, claims) for every derived name claimed more than once, sorted.

    `owners` pairs each customer with how the caller names it; two claims collide even when
    they come from one customer.
    """
    first: dict[tuple[str, str], Claim] = {}
    repeated: dict[tuple[str, str], list[Claim]] = {}
    for customer, owner in owners:
        for namespace, name, what in derived_names(customer):
            claim = (owner, what)
            earlier = first.setdefault((namespace, name), claim)
            if earlier is not claim:  # only the colliding names are collected and sorted
                repeated.setdefault((namespace, name), [earlier]).append(claim)
    return [(namespace, name, claims) for (namespace, name), claims in sorted(repeated.items())]


def tag_owners(customers: Iterable[Customer]) -> dict[str, str]:
    """Every customer tag -> the customer that owns it; no other file may grant it."""
    return {
        tag: customer.name for customer in customers for tag in names.customer_tags(customer.name)
    }
