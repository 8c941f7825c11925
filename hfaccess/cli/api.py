"""Opening the Tailscale API client for a command: missing credentials exit 2, clearly."""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from dataclasses import dataclass

from hfaccess.cli.common import fail
from hfaccess.tsapi import MissingCredentials, TailscaleClient, client_from_env


@dataclass
class ClientHooks:
    """What tests swap out: the sleep between retries (so fault tests run in milliseconds)."""

    sleep: Callable[[float], None] = time.sleep


hooks = ClientHooks()


def open_client() -> TailscaleClient:
    """A client from TAILSCALE_* variables, or exit 2 naming what to set (never a secret)."""
    try:
        return client_from_env(os.environ, sleep=hooks.sleep)
    except MissingCredentials as exc:
        fail([f"error: {exc}"], code=2)


def describe_target(client: TailscaleClient) -> str:
    """`tailnet - at https://api.tailscale.com`, for the first line of a command's output."""
    return f"tailnet {client.settings.tailnet} at {client.settings.base_url}"
