"""The operator's tailnet credential for one environment, as plain data.

One credential per environment (rotated and revoked independently), always carrying only the
customer's operator tag, so it can mint keys for that customer's devices and nobody else's.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from hfaccess.registry import names
from hfaccess.registry.models import CredentialKind, EnvironmentRef

# Write scopes the Kubernetes operator needs: register devices, mint their auth keys, and
# manage Tailscale Services for exposures.
OPERATOR_SCOPES: tuple[str, ...] = ("auth_keys", "devices:core", "services")
DESCRIPTION_MAX = 50
_DESCRIPTION_RE = re.compile(r"^[A-Za-z0-9 -]{1,50}$")


@dataclass(frozen=True)
class CredentialSpec:
    """What the tailnet side creates for one environment's operator."""

    kind: CredentialKind
    description: str
    scopes: tuple[str, ...]
    tags: tuple[str, ...]
    issuer: str | None = None  # federated only
    subject: str | None = None  # federated only

    def as_document(self) -> dict[str, object]:
        """The reviewable form written to `oauth-client.json` (no secret exists in it)."""
        doc: dict[str, object] = {
            "description": self.description,
            "scopes": list(self.scopes),
            "tags": list(self.tags),
        }
        if self.kind is CredentialKind.FEDERATED:
            doc["keyType"] = "federated"
            doc["issuer"] = self.issuer
            doc["subject"] = self.subject
        return doc


def credential_description(customer: str, environment: str) -> str:
    """At most 50 letters, digits, spaces and hyphens, naming customer and environment."""
    long_form = f"{customer} {environment} k8s-operator"
    text = long_form if len(long_form) <= DESCRIPTION_MAX else f"{customer} {environment}"
    if not _DESCRIPTION_RE.fullmatch(text):  # pragma: no cover - names are validated upstream
        raise ValueError(f"cannot describe {customer}/{environment} within the API's rules")
    return text


def credential_spec(ref: EnvironmentRef) -> CredentialSpec:
    """The credential `ref`'s operator authenticates with."""
    customer, env = ref.customer.name, ref.name
    environment = ref.environment
    return CredentialSpec(
        kind=environment.credentials,
        description=credential_description(customer, env),
        scopes=OPERATOR_SCOPES,
        tags=(names.operator_tag(customer),),
        issuer=environment.oidc_issuer
        if environment.credentials is CredentialKind.FEDERATED
        else None,
        subject=names.OPERATOR_SERVICE_ACCOUNT_SUBJECT
        if environment.credentials is CredentialKind.FEDERATED
        else None,
    )
