"""A `<customer>-<env>` stack: the operator's tailnet credential (and, later, the install).

A revoked environment (or customer) declares no credential: `pulumi up` deletes its OAuth
client or federated identity, so its operator can mint no new keys. Deleting the device
already on the tailnet is the kill switch's job (docs/tailnet-policy.md).
"""

from __future__ import annotations

from typing import Any

import pulumi

from components.credential import OperatorCredential
from components.tailnet_customer import TailnetCustomer
from components.tailscale_provider import tailscale_provider
from hfaccess import names
from hfaccess.credentials import credential_spec
from hfaccess.models import CredentialKind, EnvironmentRef
from hfaccess.settings import StackSettings
from hfaccess.workspace import AccessModel


def access_exports(ref: EnvironmentRef) -> dict[str, Any]:
    """What an SRE needs to reach the environment; plain values, no secret."""
    return {
        "apiServerHost": ref.hostname,
        "kubeconfigCommand": f"tailscale configure kubeconfig {ref.hostname}",
        "operatorTag": names.operator_tag(ref.customer.name),
    }


def credential_exports(credential: OperatorCredential) -> dict[str, Any]:
    """The credential for the install handoff; the OAuth secret only ever as a secret Output."""
    exports: dict[str, Any] = {
        "credentialKind": credential.kind.value,
        "oauthClientId": credential.client_id,
    }
    if credential.kind is CredentialKind.OAUTH and credential.client_secret is not None:
        exports["oauthClientSecret"] = pulumi.Output.secret(credential.client_secret)
    if credential.audience is not None:
        exports["federatedAudience"] = credential.audience
    return exports


def declare_environment(
    ref: EnvironmentRef,
    model: AccessModel,  # noqa: ARG001 - the cluster install (declare_install) reads it
    settings: StackSettings,
) -> dict[str, Any]:
    """Declare the environment's credential; return the stack's exports."""
    exports = access_exports(ref)
    if not ref.active:
        exports["revoked"] = True
        return exports
    provider = tailscale_provider(settings)
    customer = TailnetCustomer(ref.stack, credential_spec(ref), provider=provider)
    exports.update(credential_exports(customer.credential))
    return exports
