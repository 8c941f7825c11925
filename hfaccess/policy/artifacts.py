"""Tailnet stack artifacts: the policy file exactly as the `tailnet` stack applies it."""

from __future__ import annotations

from hfaccess.policy.builder import build_policy
from hfaccess.policy.serialize import policy_text
from hfaccess.registry.workspace import AccessModel

POLICY_FILE = "policy.json"


def tailnet_artifacts(model: AccessModel) -> dict[str, str]:
    """`policy.json`: byte-identical to the text the TailnetPolicy's Acl gets."""
    return {POLICY_FILE: policy_text(build_policy(model))}
