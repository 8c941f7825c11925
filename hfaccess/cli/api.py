"""Opening the Tailscale API client for a command: missing credentials exit 2, clearly."""

from __future__ import annotations

import os

from hfaccess.cli.common import fail
from hfaccess.cli.hooks import hooks
from hfaccess.tsapi import MissingCredentials, TailscaleClient, client_from_env


def open_client() -> TailscaleClient:
    """A client from TAILSCALE_* variables, or exit 2 naming what to set (never a secret)."""
    try:
        return client_from_env(os.environ, sleep=hooks.sleep)
    except MissingCredentials as exc:
        fail([f"error: {exc}"], code=2)


def describe_target(client: TailscaleClient) -> str:
    """`tailnet - at https://api.tailscale.com`, for the first line of a command's output."""
    return f"tailnet {client.settings.tailnet} at {client.settings.base_url}"
