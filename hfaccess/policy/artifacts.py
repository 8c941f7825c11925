"""Tailnet stack artifacts: the policy file exactly as the `tailnet` stack applies it."""

from __future__ import annotations

import json

from hfaccess.policy.builder import build_policy
from hfaccess.policy.serialize import policy_text
from hfaccess.tailnet_settings import settings_document
from hfaccess.workspace import AccessModel

POLICY_FILE = "policy.json"
SETTINGS_FILE = "tailnet-settings.json"


def tailnet_artifacts(model: AccessModel) -> dict[str, str]:
    """`policy.json`: byte-identical to the text the TailnetPolicy's Acl gets."""
    settings = settings_document(model.highflame.tailnet_settings)
    return {
        POLICY_FILE: policy_text(build_policy(model)),
        SETTINGS_FILE: json.dumps(settings, indent=2, sort_keys=True) + "\n",
    }
