"""A `<customer>-<env>` stack: the operator's tailnet credential, then the cluster install.

A revoked environment (or customer) declares no credential: `pulumi up` deletes its OAuth
client or federated identity, so its operator can mint no new keys. Deleting the device
already on the tailnet is the kill switch's job (docs/tailnet-policy.md).
"""

from __future__ import annotations

from typing import Any

import pulumi

from components.environment_credential import EnvironmentCredential, OperatorCredential
from hfaccess.credentials import credential_spec
from hfaccess.registry import names
from hfaccess.registry.models import CredentialKind, EnvironmentRef
from hfaccess.registry.settings import StackSettings
from hfaccess.registry.workspace import AccessModel
from programs.install import declare_install
from programs.tailscale_provider import tailscale_provider


def access_exports(ref: EnvironmentRef) -> dict[str, Any]:
    """What an SRE needs to reach the environment; plain values, no secret."""
    return {
        "apiServerHost": ref.hostname,
        # `hfaccess connect` checks that the peer answering to the hostname is online and
        # carries exactly this customer's operator tag before kubectl trusts it.
        "kubeconfigCommand": f"python -m hfaccess connect {ref.customer.name} {ref.name}",
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
    model: AccessModel,
    settings: StackSettings,
) -> dict[str, Any]:
    """Declare the environment's credential and its install; return the stack's exports.

    The credential is declared first and never depends on anything in the cluster, so it can
    be deleted (kill switch, or destroy) even when the cluster is unreachable.
    """
    exports = access_exports(ref)
    if not ref.active:
        exports["revoked"] = True
        return exports
    provider = tailscale_provider(settings)
    environment_credential = EnvironmentCredential(
        ref.stack, credential_spec(ref), opts=pulumi.ResourceOptions(providers=[provider])
    )
    exports.update(credential_exports(environment_credential.credential))
    exports.update(declare_install(ref, model, settings, environment_credential.credential))
    return exports
