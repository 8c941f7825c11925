"""Which stack, and so which customer, a resource belongs to.

The policy SDK does not hand a resource validation the stack name, but every URN carries it:
`urn:pulumi:<stack>::<project>::<type chain>::<name>`. Stack names are `tailnet` or
`<customer>-<env>`; environment names never contain a hyphen, so the customer is everything
before the last one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from highflame_policies.limits import TAILNET_STACK

_CUSTOMER_RE = re.compile(r"^[a-z](?:[a-z0-9-]{0,30}[a-z0-9])?$")
_ENVIRONMENT_RE = re.compile(r"^[a-z][a-z0-9]{0,11}$")


@dataclass(frozen=True)
class EnvironmentStackName:
    customer: str
    environment: str


def stack_from_urn(urn: str) -> str | None:
    """The stack segment of a Pulumi URN, or None if `urn` is not one."""
    if not urn.startswith("urn:pulumi:"):
        return None
    stack = urn[len("urn:pulumi:") :].split("::", 1)[0]
    return stack or None


def environment_stack(stack: str) -> EnvironmentStackName | None:
    """`acme-prod` -> (acme, prod); None for `tailnet` or anything not `<customer>-<env>`."""
    if stack == TAILNET_STACK or "-" not in stack:
        return None
    customer, environment = stack.rsplit("-", 1)
    if not (_CUSTOMER_RE.fullmatch(customer) and _ENVIRONMENT_RE.fullmatch(environment)):
        return None
    return EnvironmentStackName(customer, environment)
