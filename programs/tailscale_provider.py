"""The explicit Tailscale provider every tailnet resource uses, built from stack settings only.

Stacks disable default providers, so nothing can fall back to whatever credentials happen to be
in the environment by accident. Credentials come from stack config when set (the secret kept a
secret Output); otherwise the provider itself reads TAILSCALE_OAUTH_CLIENT_ID /
TAILSCALE_OAUTH_CLIENT_SECRET (or TAILSCALE_API_KEY) from the environment of `pulumi up`.
"""

from __future__ import annotations

import pulumi
import pulumi_tailscale as tailscale

from hfaccess.registry.settings import StackSettings

PROVIDER_NAME = "tailscale"


def tailscale_provider(settings: StackSettings) -> tailscale.Provider:
    """One provider for the stack's tailnet (`-`: the tailnet of the credentials)."""
    secret = settings.tailscale_oauth_client_secret
    return tailscale.Provider(
        PROVIDER_NAME,
        tailnet=settings.tailnet,
        oauth_client_id=settings.tailscale_oauth_client_id,
        oauth_client_secret=(
            pulumi.Output.secret(secret.get_secret_value()) if secret is not None else None
        ),
    )
