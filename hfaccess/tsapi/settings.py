"""Where the API is and how to authenticate, read from the same variables as the Pulumi provider.

`TAILSCALE_BASE_URL`, `TAILSCALE_TAILNET`, and either `TAILSCALE_OAUTH_CLIENT_ID` +
`TAILSCALE_OAUTH_CLIENT_SECRET` or `TAILSCALE_API_KEY`: one set of variables serves both
`pulumi up` and `hfaccess kill`, so an emergency never waits on a second credential.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from hfaccess.tsapi.errors import MissingCredentials

DEFAULT_BASE_URL = "https://api.tailscale.com"
DEFAULT_TAILNET = "-"

ENV_BASE_URL = "TAILSCALE_BASE_URL"
ENV_TAILNET = "TAILSCALE_TAILNET"
ENV_CLIENT_ID = "TAILSCALE_OAUTH_CLIENT_ID"
ENV_CLIENT_SECRET = "TAILSCALE_OAUTH_CLIENT_SECRET"
ENV_API_KEY = "TAILSCALE_API_KEY"


@dataclass(frozen=True)
class ApiSettings:
    """Connection settings; secrets are excluded from repr so they never reach a log."""

    base_url: str = DEFAULT_BASE_URL
    tailnet: str = DEFAULT_TAILNET
    oauth_client_id: str | None = None
    oauth_client_secret: str | None = field(default=None, repr=False)
    api_key: str | None = field(default=None, repr=False)

    @property
    def uses_oauth(self) -> bool:
        return bool(self.oauth_client_id and self.oauth_client_secret)

    def secrets(self) -> tuple[str, ...]:
        """Every secret value, so error messages can be scrubbed of them."""
        return tuple(s for s in (self.oauth_client_secret, self.api_key) if s)


def _get(environ: Mapping[str, str], name: str) -> str | None:
    value = environ.get(name, "").strip()
    return value or None


def settings_from_env(environ: Mapping[str, str]) -> ApiSettings:
    """Read ApiSettings; raise MissingCredentials naming exactly what is missing.

    OAuth client credentials win over an API key when both are set, as in the provider.
    """
    client_id = _get(environ, ENV_CLIENT_ID)
    client_secret = _get(environ, ENV_CLIENT_SECRET)
    api_key = _get(environ, ENV_API_KEY)
    if bool(client_id) != bool(client_secret) and not api_key:
        missing = ENV_CLIENT_SECRET if client_id else ENV_CLIENT_ID
        raise MissingCredentials(
            f"{missing} is not set: OAuth client credentials need both {ENV_CLIENT_ID} and "
            f"{ENV_CLIENT_SECRET} (or set {ENV_API_KEY})"
        )
    if not (client_id and client_secret) and not api_key:
        raise MissingCredentials(
            "no Tailscale API credentials: set TAILSCALE_OAUTH_CLIENT_ID and "
            "TAILSCALE_OAUTH_CLIENT_SECRET (an OAuth client with the scopes the command needs), "
            "or TAILSCALE_API_KEY"
        )
    base_url = (_get(environ, ENV_BASE_URL) or DEFAULT_BASE_URL).rstrip("/")
    if not base_url.startswith(("https://", "http://")):
        raise MissingCredentials(f"{ENV_BASE_URL} must be an http(s) URL (got {base_url!r})")
    oauth = bool(client_id and client_secret)
    return ApiSettings(
        base_url=base_url,
        tailnet=_get(environ, ENV_TAILNET) or DEFAULT_TAILNET,
        oauth_client_id=client_id if oauth else None,
        oauth_client_secret=client_secret if oauth else None,
        api_key=None if oauth else api_key,
    )
