"""Typed failures of Tailscale API calls, each naming the call that failed.

A person reading `DELETE /api/v2/device/123: HTTP 500: ...` knows exactly what did not happen;
secrets never reach these messages (the client redacts them before raising).
"""

from __future__ import annotations


class TailscaleError(Exception):
    """Base class: anything that went wrong talking to the Tailscale API."""


class MissingCredentials(TailscaleError):
    """No usable credential in the environment; the message names the variables to set."""


class ApiError(TailscaleError):
    """The API answered with an error status (after any retries)."""

    def __init__(self, method: str, path: str, status: int, message: str) -> None:
        self.method = method
        self.path = path
        self.status = status
        self.message = message
        super().__init__(f"{method} {path}: HTTP {status}: {message}")


class NotFound(ApiError):
    """404: the device, key or tailnet does not exist (for deletes: already gone)."""


class PreconditionFailed(ApiError):
    """412: the policy file changed since it was read (stale ETag in If-Match)."""


class TransportError(TailscaleError):
    """No HTTP answer at all (connection refused or reset, timeout) after every retry."""

    def __init__(self, method: str, path: str, reason: str) -> None:
        self.method = method
        self.path = path
        self.reason = reason
        super().__init__(f"{method} {path}: no response: {reason}")


class InvalidResponse(TailscaleError):
    """The API answered 2xx with a body this client cannot read."""

    def __init__(self, method: str, path: str, reason: str) -> None:
        self.method = method
        self.path = path
        super().__init__(f"{method} {path}: unreadable response: {reason}")
