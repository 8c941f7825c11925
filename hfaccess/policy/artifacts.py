"""Tailnet stack artifacts: the policy file exactly as the `tailnet` stack applies it."""

from __future__ import annotations

import json

from hfaccess.policy.gate import checked_policy
from hfaccess.registry.tailnet_settings import settings_document
from hfaccess.registry.workspace import AccessModel

POLICY_FILE = "policy.json"
SETTINGS_FILE = "tailnet-settings.json"


def tailnet_artifacts(model: AccessModel) -> dict[str, str]:
    """`policy.json`: byte-identical to the text the TailnetPolicy's Acl gets, and
    `tailnet-settings.json`: the tailnet settings the stack declares.

    Raises InvalidInput when the policy breaks an invariant: render writes nothing `check`
    or the program would refuse.
    """
    settings = settings_document(model.highflame.tailnet_settings)
    return {
        POLICY_FILE: checked_policy(model)[1],
        SETTINGS_FILE: json.dumps(settings, indent=2, sort_keys=True) + "\n",
    }
