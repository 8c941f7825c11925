"""Which tailnet devices and keys are a customer's, and which environment's: by exact tags.

A device or key is the customer's only if every tag it carries is one of the customer's three
tags. Tags are compared whole, never as prefixes: `acme` never matches `acme-prod`'s or
`operator-acme`'s tags. Something carrying a customer's tag next to foreign tags is nobody's
to delete; it is reported instead. Environments are told apart by hostname (devices) and by
credential description (keys), both derived in `hfaccess.registry.names` / `hfaccess.credentials`.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from hfaccess.credentials import credential_description
from hfaccess.registry import names
from hfaccess.tsapi.models import Device, Key

CUSTOMER_TAG_PREFIXES = ("tag:k8s-operator-", "tag:cust-", "tag:k8s-")


def is_customer_space_tag(tag: str) -> bool:
    """Tags in the customers' namespace (`tag:k8s-operator-*`, `tag:cust-*`, `tag:k8s-*`)."""
    return tag.startswith(CUSTOMER_TAG_PREFIXES)


def tag_customers(tag: str) -> list[str]:
    """Every customer name whose tag chain contains `tag` (`tag:k8s-operator-x` is the operator
    tag of `x` and, read as a proxy tag, of `operator-x`)."""
    found: list[str] = []
    for prefix in CUSTOMER_TAG_PREFIXES:
        if tag.startswith(prefix) and len(tag) > len(prefix):
            found.append(tag[len(prefix) :])
    return found


def owned_by(tags: Sequence[str], customer: str) -> bool:
    """Whether tags mark something as entirely the customer's (non-empty, all its tags)."""
    chain = set(names.customer_tags(customer))
    return bool(tags) and set(tags) <= chain


def touches(tags: Iterable[str], customer: str) -> bool:
    """Whether any tag is one of the customer's."""
    return not set(tags).isdisjoint(names.customer_tags(customer))


def _labels(device: Device) -> set[str]:
    return {label for label in (device.hostname, device.short_name) if label}


def device_environment(device: Device, customer: str, environments: Iterable[str]) -> str | None:
    """The environment whose hostnames (`<c>-<env>-kube`, `<c>-<env>-<exposure>`, clash
    suffixes like `-1`) the device's name falls under; None if none does."""
    for env in environments:
        prefix = f"{names.stack_name(customer, env)}-"
        if any(label.startswith(prefix) for label in _labels(device)):
            return env
    return None


def is_operator_device(device: Device, customer: str, environment: str) -> bool:
    """The operator (API server proxy) device of one environment, or a clashing duplicate."""
    if names.operator_device_tag(customer) not in device.tags:
        return False
    host = names.operator_hostname(customer, environment)
    for label in _labels(device):
        if label == host:
            return True
        head, _, tail = label.rpartition("-")
        if head == host and tail.isdigit():
            return True
    return False


def key_environment(key: Key, customer: str, environments: Iterable[str]) -> str | None:
    """The environment whose credential description the key carries; None if none."""
    for env in environments:
        if key.description == credential_description(customer, env):
            return env
    return None
