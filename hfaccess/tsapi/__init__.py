"""A small Tailscale API client (httpx): typed errors, bounded retries, If-Match policy writes.

`client_from_env()` builds a client from the same variables as the Pulumi tailscale provider;
`validate_policy` is what `hfaccess check --remote` calls.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping

from hfaccess.tsapi.client import DEFAULT_TIMEOUT, PolicyUpdate, TailscaleClient
from hfaccess.tsapi.errors import (
    ApiError,
    InvalidResponse,
    MissingCredentials,
    NotFound,
    PreconditionFailed,
    TailscaleError,
    TransportError,
)
from hfaccess.tsapi.models import Device, Key, PolicyFile
from hfaccess.tsapi.retry import RetryPolicy
from hfaccess.tsapi.settings import ApiSettings, settings_from_env


def client_from_env(
    environ: Mapping[str, str] | None = None,
    *,
    timeout: float = DEFAULT_TIMEOUT,
    retry: RetryPolicy | None = None,
    sleep: Callable[[float], None] | None = None,
) -> TailscaleClient:
    """A client configured from TAILSCALE_* variables; raises MissingCredentials if unusable."""
    settings = settings_from_env(os.environ if environ is None else environ)
    if sleep is None:
        return TailscaleClient(settings, timeout=timeout, retry=retry)
    return TailscaleClient(settings, timeout=timeout, retry=retry, sleep=sleep)


__all__ = [
    "ApiError",
    "ApiSettings",
    "Device",
    "InvalidResponse",
    "Key",
    "MissingCredentials",
    "NotFound",
    "PolicyFile",
    "PolicyUpdate",
    "PreconditionFailed",
    "RetryPolicy",
    "TailscaleClient",
    "TailscaleError",
    "TransportError",
    "client_from_env",
    "settings_from_env",
]
