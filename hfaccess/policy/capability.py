"""The one Kubernetes capability SRE get: impersonate the `highflame-sre` group, nothing else.

The API server proxy (auth mode) impersonates the caller plus the union of every matching
grant's `impersonate.groups`; granting exactly one group, never `system:*`, keeps what SRE may do
in the cluster equal to what the customer bound to `highflame-sre`.
"""

from __future__ import annotations

from typing import Any

from hfaccess.registry import names

KUBERNETES_CAPABILITY = "tailscale.com/cap/kubernetes"


def kubernetes_capability() -> list[dict[str, Any]]:
    """The capability value of the SRE grant (a fresh object each call)."""
    return [{"impersonate": {"groups": [names.KUBERNETES_GROUP]}}]
