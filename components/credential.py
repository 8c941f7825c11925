"""The operator's tailnet credential as the cluster install consumes it."""

from __future__ import annotations

from dataclasses import dataclass

import pulumi

from hfaccess.models import CredentialKind


@dataclass(frozen=True)
class OperatorCredential:
    """What the Helm values need from the tailnet side: an id, and a secret or an audience.

    `client_secret` is a secret Output for OAuth clients and None for federated identities;
    `audience` is set only for federated identities.
    """

    kind: CredentialKind
    client_id: pulumi.Output[str]
    client_secret: pulumi.Output[str] | None = None
    audience: pulumi.Output[str] | None = None
