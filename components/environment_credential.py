"""EnvironmentCredential: one environment's operator credential on Highflame's tailnet.

An OAuth client (secret held in one in-cluster Secret) or a federated identity (no secret at
all), carrying only the customer's operator tag, so it can mint keys for that customer's
devices and nobody else's. What it creates comes from hfaccess.credentials.credential_spec.
"""

from __future__ import annotations

from dataclasses import dataclass

import pulumi
import pulumi_tailscale as tailscale

from hfaccess.credentials import CredentialSpec
from hfaccess.registry.models import CredentialKind


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


class EnvironmentCredential(pulumi.ComponentResource):
    """The tailnet side of one `<customer>-<env>` stack; `.credential` feeds the install.

    The tailscale provider comes through `opts` (`providers=[...]`); children inherit it
    through `parent=self`.
    """

    TYPE = "highflame:tailnet:EnvironmentCredential"
    # Its type until the rename: existing stacks keep the component and its children.
    FORMER_TYPE = "highflame:tailnet:TailnetCustomer"  # fix_paths: keep

    credential: OperatorCredential

    def __init__(
        self,
        name: str,
        spec: CredentialSpec,
        opts: pulumi.ResourceOptions | None = None,
    ) -> None:
        renamed = pulumi.ResourceOptions(aliases=[pulumi.Alias(type_=self.FORMER_TYPE)])
        super().__init__(self.TYPE, name, None, pulumi.ResourceOptions.merge(renamed, opts))
        child = pulumi.ResourceOptions(parent=self)
        if spec.kind is CredentialKind.OAUTH:
            client = tailscale.OauthClient(
                f"{name}-oauth-client",
                description=spec.description,
                scopes=list(spec.scopes),
                tags=list(spec.tags),
                opts=child,
            )
            self.credential = OperatorCredential(
                kind=spec.kind,
                client_id=client.id,
                client_secret=pulumi.Output.secret(client.key),
            )
        else:
            if spec.issuer is None or spec.subject is None:
                raise ValueError(f"{name}: a federated identity needs an issuer and a subject")
            identity = tailscale.FederatedIdentity(
                f"{name}-federated-identity",
                description=spec.description,
                issuer=spec.issuer,
                subject=spec.subject,
                scopes=list(spec.scopes),
                tags=list(spec.tags),
                opts=child,
            )
            self.credential = OperatorCredential(
                kind=spec.kind, client_id=identity.id, audience=identity.audience
            )
        self.register_outputs(
            {"clientId": self.credential.client_id, "credentialKind": spec.kind.value}
        )
