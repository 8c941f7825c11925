"""Tailnet stack artifacts: the policy file exactly as the `tailnet` stack applies it."""

from __future__ import annotations

from hfaccess.policy.gate import checked_policy
from hfaccess.workspace import AccessModel

POLICY_FILE = "policy.json"


def tailnet_artifacts(model: AccessModel) -> dict[str, str]:
    """`policy.json`: byte-identical to the text the TailnetPolicy's Acl gets.

    Raises InvalidInput when the policy breaks an invariant: render writes nothing `check`
    or the program would refuse.
    """
    return {POLICY_FILE: checked_policy(model)[1]}
