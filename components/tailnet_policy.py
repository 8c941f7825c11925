"""TailnetPolicy: the one component that owns the tailnet's whole policy file.

The Acl gets the canonical text (hfaccess.policy.serialize.policy_text), byte for byte what
`hfaccess render --stack tailnet` writes. Destroying must never leave the tailnet open:
Tailscale's default policy allows everything, so the Acl is never reset on destroy, Pulumi never
deletes it (retain_on_delete) and it is protected against accidental removal. See
docs/tailnet-policy.md for adoption of an existing policy and deliberate teardown.
"""

from __future__ import annotations

from typing import Any

import pulumi
import pulumi_tailscale as tailscale

from hfaccess.policy.reader import PolicyFileError, parse_policy_text
from hfaccess.policy.serialize import policy_digest


def acl_options(parent: pulumi.Resource) -> pulumi.ResourceOptions:
    """The Acl's options: inside its component (whose provider it inherits), never deleted."""
    return pulumi.ResourceOptions(parent=parent, protect=True, retain_on_delete=True)


def live_policy(provider: tailscale.Provider) -> dict[str, Any]:
    """The tailnet's policy file as it is now, through the provider's `get_acl` invoke.

    Read by the one policy reader (HuJSON, duplicate keys refused). A RunError (nothing
    declared) if the answer is not an object: what cannot be read cannot be proven safe to
    overwrite.
    """
    result = tailscale.get_acl(opts=pulumi.InvokeOptions(provider=provider))
    try:
        policy = parse_policy_text(result.json) if isinstance(result.json, str) else None
    except PolicyFileError:
        policy = None
    if not isinstance(policy, dict):
        raise pulumi.RunError(
            "the live policy file could not be read as a policy (JSON object, no duplicate keys) through get_acl, so a "
            "revocation by `hfaccess kill` cannot be ruled out: nothing was declared"
        )
    return policy


class TailnetPolicy(pulumi.ComponentResource):
    """The tailnet policy file, composed from every customer plus Highflame's base policy.

    The tailscale provider comes through `opts` (`providers=[...]`); the Acl inherits it.
    """

    TYPE = "highflame:tailnet:TailnetPolicy"

    def __init__(
        self,
        name: str,
        policy: str,
        adopt_existing: bool = False,
        opts: pulumi.ResourceOptions | None = None,
    ) -> None:
        super().__init__(self.TYPE, name, None, opts)
        self.digest = policy_digest(policy)
        self.acl = tailscale.Acl(
            f"{name}-acl",
            acl=policy,
            # Only consulted on create: take over a tailnet whose policy is not the default
            # without `pulumi import` (adoptExistingPolicy, reviewed with `hfaccess check`).
            overwrite_existing_content=adopt_existing,
            reset_acl_on_destroy=False,
            opts=acl_options(self),
        )
        self.register_outputs({"policySha256": self.digest})
