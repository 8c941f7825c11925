"""Keeping a kill in force: which customers the live policy shows cut off by `hfaccess kill`.

A kill edits the live policy at once and records `revoked: true` in the registry, but the
record only takes effect once committed. Any checkout without that commit (a concurrent
onboarding branch, a stale CI runner) would otherwise grant the customer again on its next
`pulumi up -s tailnet`, and the provider writes the policy without If-Match. So the `tailnet`
program compares the live policy with the registry first: a customer the live policy shows cut
off (its tags still defined in `tagOwners`, nothing granting or testing them: exactly what a
kill leaves) may only be granted again when the registry carries a reviewed `reinstated`
entry. A new tailnet's default policy and a normal live policy define or grant as before.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from hfaccess.registry import names
from hfaccess.registry.models import Customer, Registry
from hfaccess.revoke.policy_edit import revoke_tags


@dataclass(frozen=True)
class StickyRefusal:
    """A customer the registry would grant but the live policy shows revoked by a kill."""

    customer: str
    source: str  # the customer's file

    def message(self) -> str:
        return (
            f"{self.source}: revoked: {self.customer} was cut off by `hfaccess kill` (the live "
            f"policy defines its tags and grants nothing to them) but the registry does not "
            f"record the revocation: refusing to grant it again. If the kill stands, merge the "
            f"commit that sets `revoked: true`; to give access back, add a reviewed "
            f"`reinstated: {{date, approved_by, reason}}` to {self.source} "
            "(docs/runbooks/revocation.md)"
        )


def cut_off_in(policy: Mapping[str, Any], customer: str) -> bool:
    """Whether `policy` shows `customer` as a kill leaves it: its tags still owned, and no
    grant, ACL, SSH rule or test naming its operator device or proxy tags."""
    owners = policy.get("tagOwners")
    if not isinstance(owners, Mapping) or names.operator_device_tag(customer) not in owners:
        return False
    device_tags = (names.operator_device_tag(customer), names.proxy_tag(customer))
    return not revoke_tags(policy, device_tags).changed


def _granted(customer: Customer) -> bool:
    return any(customer.active(env) for env in customer.environments)


def sticky_refusals(registry: Registry, live_policy: Mapping[str, Any]) -> list[StickyRefusal]:
    """Customers the registry would grant although the live policy shows them killed, and no
    reinstatement lifts that: each a refusal naming the customer and its file."""
    return [
        StickyRefusal(customer.name, registry.sources.get(customer.name, customer.name))
        for customer in registry.customers
        if _granted(customer)
        and customer.reinstated is None
        and cut_off_in(live_policy, customer.name)
    ]
