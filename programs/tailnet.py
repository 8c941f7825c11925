"""The `tailnet` stack: the policy file, built and checked before anything is declared."""

from __future__ import annotations

from typing import Any

import pulumi

from components.tailnet_policy import TailnetPolicy, live_policy
from components.tailnet_settings import declare_tailnet_settings
from hfaccess.policy.builder import customer_accesses
from hfaccess.policy.gate import checked_policy
from hfaccess.policy.serialize import policy_digest
from hfaccess.registry.errors import InvalidInput
from hfaccess.registry.settings import StackSettings
from hfaccess.registry.workspace import AccessModel
from hfaccess.revoke.sticky import sticky_refusals
from programs.tailscale_provider import tailscale_provider

POLICY_NAME = "tailnet-policy"


def _checked_policy(model: AccessModel) -> tuple[str, int]:
    """The canonical policy text and its test count; a RunError if it is refused or unsound."""
    try:
        document, text = checked_policy(model)  # the same gate as validate, render and check
    except InvalidInput as exc:
        raise pulumi.RunError(
            "the policy is refused (the same gate as `hfaccess validate`), nothing was "
            "declared:\n" + str(exc)
        ) from None
    return text, len(document.get("tests", []))


def declare_tailnet(model: AccessModel, settings: StackSettings) -> dict[str, Any]:
    """Declare the TailnetPolicy; return the stack's exports."""
    text, test_count = _checked_policy(model)
    provider = tailscale_provider(settings)
    # A kill cuts the live policy before its `revoked: true` commit lands anywhere: a checkout
    # without that commit must not grant the customer again (hfaccess.revoke.sticky).
    refusals = sticky_refusals(model.registry, live_policy(provider))
    if refusals:
        raise pulumi.RunError(
            "the live policy shows customers cut off by `hfaccess kill` that this registry would "
            "grant again, nothing was declared:\n" + "\n".join(r.message() for r in refusals)
        )
    TailnetPolicy(
        POLICY_NAME,
        text,
        adopt_existing=settings.adopt_existing_policy,
        opts=pulumi.ResourceOptions(providers=[provider]),
    )
    declare_tailnet_settings(model.highflame.tailnet_settings, provider)
    accesses = customer_accesses(model)
    return {
        "policySha256": policy_digest(text),
        "policyBytes": len(text.encode("utf-8")),
        "customerCount": len(accesses),
        "reachableCustomers": [a.name for a in accesses if a.reachable],
        "revokedCustomers": [a.name for a in accesses if not a.reachable],
        "policyTestCount": test_count,
    }
