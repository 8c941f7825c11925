"""The operator's tailnet credential for one environment, as plain data.

One credential per environment (rotated and revoked independently), always carrying only the
customer's operator tag. Its tag limits only the auth keys it mints (devices it registers get
the customer's tags); its scopes are tailnet-wide (tailscale/tailscale#10702). So each
environment gets the fewest scopes the operator 1.96.5 needs for what it runs there, read from
its source (`cmd/k8s-operator`):

- every API call goes through the `tsClient` interface (`tsclient.go`): CreateKey, Device,
  DeleteDevice and the Tailscale Services (VIPService) calls;
- the operator's own device, which hosts the API server proxy in auth mode, needs CreateKey at
  first login only (`operator.go`), and each exposure's proxy one CreateKey (`sts.go`):
  `auth_keys`;
- DeleteDevice runs when an exposure's proxy is removed (`sts.go` Cleanup); any answer but 404
  keeps the Service's or Ingress's finalizer: `devices:core` (write on every device of the
  tailnet) where the environment has exposures;
- Device serves only the Recorder, and the Tailscale Services calls only ProxyGroup features;
  Highflame uses neither, so no `services` scope and no `devices:core` without exposures.

See docs/customer-credential.md for what this means and what would remove the residual power.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from hfaccess.registry import names
from hfaccess.registry.models import CredentialKind, Environment, EnvironmentRef

# Mint auth keys for the operator's own device and for each exposure's proxy.
OPERATOR_SCOPES: tuple[str, ...] = ("auth_keys",)
# With exposures: also delete a removed exposure's proxy device (tailnet-wide write on devices).
EXPOSURE_SCOPES: tuple[str, ...] = ("auth_keys", "devices:core")
# What clients created before 2026-12 held; `services` was never used (ProxyGroup only).
LEGACY_SCOPES: tuple[str, ...] = ("auth_keys", "devices:core", "services")
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


def operator_scopes(environment: Environment) -> tuple[str, ...]:
    """The least the operator needs in this environment (see the module docstring)."""
    return EXPOSURE_SCOPES if environment.exposures else OPERATOR_SCOPES


def credential_spec(ref: EnvironmentRef) -> CredentialSpec:
    """The credential `ref`'s operator authenticates with."""
    customer, env = ref.customer.name, ref.name
    environment = ref.environment
    return CredentialSpec(
        kind=environment.credentials,
        description=credential_description(customer, env),
        scopes=operator_scopes(environment),
        tags=(names.operator_tag(customer),),
        issuer=environment.oidc_issuer
        if environment.credentials is CredentialKind.FEDERATED
        else None,
        subject=names.OPERATOR_SERVICE_ACCOUNT_SUBJECT
        if environment.credentials is CredentialKind.FEDERATED
        else None,
    )
