"""A small synchronous Tailscale API client: the few calls revocation and checks need.

Every call retries 429/5xx and lost connections (bounded, honouring Retry-After, with an
injectable sleep so tests run in milliseconds), raises a typed error naming the call, and
never lets a secret reach an error message. Policy writes carry If-Match; `update_policy`
re-reads and re-applies the edit when someone else changed the file in between.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from urllib.parse import quote

import httpx

from hfaccess.policy.reader import PolicyFileError, parse_policy_text
from hfaccess.tsapi.attributes import DeviceAttributes
from hfaccess.tsapi.errors import (
    ApiError,
    InvalidResponse,
    NotFound,
    PreconditionFailed,
    TailscaleError,
    TransportError,
)
from hfaccess.tsapi.models import Device, Key, PolicyFile
from hfaccess.tsapi.retry import RetryPolicy, parse_retry_after, retryable_status
from hfaccess.tsapi.settings import ApiSettings

API_PREFIX = "/api/v2"
TOKEN_PATH = f"{API_PREFIX}/oauth/token"
# Renew an OAuth access token this long before the server says it expires.
TOKEN_MARGIN_SECONDS = 60.0
DEFAULT_TIMEOUT = 20.0
USER_AGENT = "hfaccess"

# Individual key reads in flight at once, when the listing lacks a key's details.
KEY_READ_WORKERS = 8

PolicyEditor = Callable[[dict[str, Any]], dict[str, Any] | None]


@dataclass(frozen=True)
class PolicyUpdate:
    """Outcome of a read-modify-write of the policy file."""

    written: bool  # False when the edit had nothing to change
    policy: dict[str, Any]  # the policy now live (as written, or as read when unchanged)
    etag: str
    attempts: int  # reads performed (1 + the number of 412s absorbed)


class TailscaleClient:
    """Calls against one tailnet. Thread-safe: deletes may run in parallel."""

    def __init__(
        self,
        settings: ApiSettings,
        *,
        timeout: float = DEFAULT_TIMEOUT,
        retry: RetryPolicy | None = None,
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] = time.monotonic,
        transport: httpx.BaseTransport | None = None,
    ) -> None:
        self.settings = settings
        self.retry = retry or RetryPolicy()
        self._sleep = sleep
        self._clock = clock
        self._http = httpx.Client(
            base_url=settings.base_url,
            timeout=timeout,
            transport=transport,
            headers={"User-Agent": USER_AGENT},
            follow_redirects=False,
        )
        self._token: str | None = None
        self._token_expiry = 0.0
        self._token_lock = threading.Lock()
        # Keys read on their own during this client's life (None: gone); never read twice.
        self._key_reads: dict[str, Key | None] = {}
        self._key_lock = threading.Lock()

    # -- lifecycle -------------------------------------------------------------------------

    def close(self) -> None:
        self._http.close()

    def __enter__(self) -> TailscaleClient:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    # -- policy file -----------------------------------------------------------------------

    def get_policy(self) -> PolicyFile:
        """The live policy file as JSON, with its ETag."""
        path = self._tailnet_path("acl")
        response = self._call("GET", path, headers={"Accept": "application/json"})
        try:
            policy = parse_policy_text(response.text)
        except PolicyFileError as exc:
            raise InvalidResponse("GET", path, f"not a readable policy file ({exc})") from None
        if not isinstance(policy, dict):
            raise InvalidResponse("GET", path, "the policy file is not a JSON object")
        return PolicyFile(policy=policy, etag=str(response.headers.get("ETag", "")))

    def set_policy(self, policy: Mapping[str, Any], etag: str) -> str:
        """Replace the policy file if it is still at `etag`; return the new ETag.

        Raises PreconditionFailed when the file changed since it was read.
        """
        path = self._tailnet_path("acl")
        headers = {"Content-Type": "application/json", "Accept": "application/json"}
        if etag:
            headers["If-Match"] = '"' + etag.strip().strip('"') + '"'
        response = self._call("POST", path, content=_dump(policy), headers=headers)
        return str(response.headers.get("ETag", ""))

    def update_policy(self, edit: PolicyEditor, *, max_attempts: int = 5) -> PolicyUpdate:
        """Read, edit, write with If-Match; on 412 re-read and re-apply `edit`.

        `edit` returns the new policy, or None when there is nothing to change. It must be
        pure: it runs again on the fresh file after every concurrent change.
        """
        last: PreconditionFailed | None = None
        for attempt in range(1, max_attempts + 1):
            current = self.get_policy()
            edited = edit(current.policy)
            if edited is None:
                return PolicyUpdate(False, current.policy, current.etag, attempt)
            try:
                etag = self.set_policy(edited, current.etag)
            except PreconditionFailed as exc:
                last = exc
                continue
            return PolicyUpdate(True, edited, etag, attempt)
        assert last is not None
        raise PreconditionFailed(
            last.method,
            last.path,
            last.status,
            f"{last.message} (the policy file kept changing: gave up after {max_attempts} reads)",
        )

    def validate_policy(self, policy: Mapping[str, Any]) -> list[str]:
        """Problems the API finds in `policy` (syntax, unknown tags, failing tests); [] if fine."""
        path = self._tailnet_path("acl", "validate")
        headers = {"Content-Type": "application/json", "Accept": "application/json"}
        try:
            response = self._call("POST", path, content=_dump(policy), headers=headers)
        except ApiError as exc:
            if exc.status == 400:
                return [exc.message]
            raise
        if not response.content.strip():
            return []
        body = self._json(response, "POST", path)
        return validation_problems(body)

    def get_tailnet_settings(self) -> dict[str, Any]:
        """The tailnet's settings (GET /tailnet/{tailnet}/settings), as the API names them."""
        path = self._tailnet_path("settings")
        body = self._json(self._call("GET", path), "GET", path)
        if not isinstance(body, dict):
            raise InvalidResponse("GET", path, "settings are not an object")
        return body

    # -- keys (auth keys, OAuth clients, federated identities) -----------------------------

    def list_keys(self) -> list[str]:
        """Ids of every key of the tailnet."""
        return [entry["id"] for entry in self._key_entries()]

    def _key_entries(self) -> list[dict[str, Any]]:
        """The key listing (`?all=true`): each entry with the details the API gives there."""
        path = self._tailnet_path("keys")
        body = self._json(self._call("GET", path, params={"all": "true"}), "GET", path)
        entries = body.get("keys") if isinstance(body, dict) else None
        if not isinstance(entries, list):
            raise InvalidResponse("GET", path, "no 'keys' list")
        return [e for e in entries if isinstance(e, dict) and isinstance(e.get("id"), str)]

    def get_key(self, key_id: str) -> Key:
        """One key's metadata (never its secret). Raises NotFound when it is gone."""
        path = self._tailnet_path("keys", key_id)
        body = self._json(self._call("GET", path), "GET", path)
        if not isinstance(body, dict):
            raise InvalidResponse("GET", path, "the key is not a JSON object")
        return Key.from_api(body)

    def list_key_details(self, *, workers: int = KEY_READ_WORKERS) -> list[Key]:
        """Every key with its metadata, in listing order; one listing call.

        The listing answers with each key's details. A key is read on its own only when its
        entry lacks a field revocation and fleet need (`key_entry_complete`), at most once per
        client (a kill's re-check lists again but never re-reads), at most `workers` at a time,
        with the usual retries. Keys deleted between listing and reading are skipped.
        """
        entries = self._key_entries()
        with self._key_lock:
            missing = [
                e["id"]
                for e in entries
                if not key_entry_complete(e) and e["id"] not in self._key_reads
            ]
        if missing:

            def read(key_id: str) -> tuple[str, Key | None]:
                try:
                    return key_id, self.get_key(key_id)
                except NotFound:
                    return key_id, None

            with ThreadPoolExecutor(max_workers=max(1, min(workers, len(missing)))) as pool:
                read_now = dict(pool.map(read, missing))
            with self._key_lock:
                self._key_reads.update(read_now)
        keys: list[Key] = []
        with self._key_lock:
            for entry in entries:
                key = (
                    Key.from_api(entry)
                    if key_entry_complete(entry)
                    else self._key_reads.get(entry["id"])
                )
                if key is not None:
                    keys.append(key)
        return keys

    @property
    def keys_read_individually(self) -> int:
        """How many keys this client read on their own (for benchmarks and tests)."""
        with self._key_lock:
            return len(self._key_reads)

    def delete_key(self, key_id: str) -> bool:
        """Delete a key; True if deleted now, False if it was already gone (404)."""
        try:
            self._call("DELETE", self._tailnet_path("keys", key_id))
        except NotFound:
            return False
        return True

    # -- devices ---------------------------------------------------------------------------

    def list_devices(self) -> list[Device]:
        """Every device of the tailnet, with tags and connection state."""
        path = self._tailnet_path("devices")
        body = self._json(self._call("GET", path, params={"fields": "all"}), "GET", path)
        entries = body.get("devices") if isinstance(body, dict) else None
        if not isinstance(entries, list):
            raise InvalidResponse("GET", path, "no 'devices' list")
        return [Device.from_api(e) for e in entries if isinstance(e, dict)]

    def delete_device(self, device_id: str) -> bool:
        """Remove a device from the tailnet; True if deleted now, False if already gone."""
        try:
            self._call("DELETE", f"{API_PREFIX}/device/{_segment(device_id)}")
        except NotFound:
            return False
        return True

    # -- configuration audit log -----------------------------------------------------------

    def configuration_log(self, start: datetime, end: datetime) -> list[dict[str, Any]]:
        """Every configuration audit event from `start` to `end` (the API does not paginate:
        the window is the bound). Needs scope `logs:configuration:read` or `all:read`."""
        path = self._tailnet_path("logging", "configuration")
        params = {"start": _rfc3339(start), "end": _rfc3339(end)}
        body = self._json(self._call("GET", path, params=params), "GET", path)
        entries = body.get("logs") if isinstance(body, dict) else None
        if entries is None and isinstance(body, dict) and not body:
            return []  # an empty window may answer `{}`
        if not isinstance(entries, list):
            raise InvalidResponse("GET", path, "no 'logs' list")
        return [e for e in entries if isinstance(e, dict)]

    # -- device posture attributes (elevation) ---------------------------------------------

    def get_device_attributes(self, device_id: str) -> DeviceAttributes:
        """A device's posture attributes and the expiries of its custom ones."""
        path = f"{API_PREFIX}/device/{_segment(device_id)}/attributes"
        body = self._json(self._call("GET", path), "GET", path)
        if not isinstance(body, dict):
            raise InvalidResponse("GET", path, "not an object")
        return DeviceAttributes.from_api(body)

    def set_device_attribute(
        self, device_id: str, key: str, value: str, *, expiry: str, comment: str
    ) -> None:
        """Set a custom attribute with an RFC 3339 `expiry`; Tailscale removes it then."""
        path = f"{API_PREFIX}/device/{_segment(device_id)}/attributes/{_segment(key)}"
        body = {"value": value, "expiry": expiry, "comment": comment}
        self._call(
            "POST",
            path,
            content=json.dumps(body).encode("utf-8"),
            headers={"Content-Type": "application/json"},
        )

    def delete_device_attribute(self, device_id: str, key: str) -> bool:
        """Remove a custom attribute; True if removed now, False if it was not set."""
        path = f"{API_PREFIX}/device/{_segment(device_id)}/attributes/{_segment(key)}"
        try:
            self._call("DELETE", path)
        except NotFound:
            return False
        return True

    # -- plumbing --------------------------------------------------------------------------

    def _tailnet_path(self, *parts: str) -> str:
        segments = "/".join(_segment(p) for p in parts)
        return f"{API_PREFIX}/tailnet/{_segment(self.settings.tailnet)}/{segments}"

    def _call(
        self,
        method: str,
        path: str,
        *,
        params: Mapping[str, str] | None = None,
        content: bytes | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> httpx.Response:
        """One authenticated call, retried; raise a typed error for any non-2xx answer."""
        refreshed = False
        while True:
            auth = {"Authorization": f"Bearer {self._access_token()}"}
            response = self._send(
                method, path, params=params, content=content, headers={**(headers or {}), **auth}
            )
            if response.status_code == 401 and self.settings.uses_oauth and not refreshed:
                # The access token may have expired early or been revoked: mint one more.
                refreshed = True
                self._forget_token()
                continue
            self._raise_for_status(method, path, response)
            return response

    def _send(
        self,
        method: str,
        path: str,
        *,
        params: Mapping[str, str] | None = None,
        content: bytes | None = None,
        headers: Mapping[str, str] | None = None,
        data: Mapping[str, str] | None = None,
    ) -> httpx.Response:
        """Send with retries on 429/5xx and transport failures; return the final answer."""
        start = self._clock()
        attempt = 0
        while True:
            attempt += 1
            try:
                response = self._http.request(
                    method, path, params=params, content=content, data=data, headers=headers
                )
            except httpx.TransportError as exc:
                wait = self.retry.delay(attempt, self._clock() - start, None)
                if wait is None:
                    reason = self._scrub(f"{type(exc).__name__}: {exc}".rstrip(": "))
                    raise TransportError(
                        method, path, f"{reason} (gave up after {attempt} attempts)"
                    ) from None
                self._sleep(wait)
                continue
            if retryable_status(response.status_code):
                hint = parse_retry_after(response.headers.get("Retry-After"))
                wait = self.retry.delay(attempt, self._clock() - start, hint)
                if wait is not None:
                    self._sleep(wait)
                    continue
                self._raise_for_status(method, path, response, attempts=attempt)
            return response

    def _raise_for_status(
        self, method: str, path: str, response: httpx.Response, attempts: int = 1
    ) -> None:
        status = response.status_code
        if status < 400:
            return
        message = self._scrub(_message(response))
        if attempts > 1:
            message = f"{message} (gave up after {attempts} attempts)"
        kind: type[ApiError] = ApiError
        if status == 404:
            kind = NotFound
        elif status == 412:
            kind = PreconditionFailed
        raise kind(method, path, status, message)

    def _access_token(self) -> str:
        if not self.settings.uses_oauth:
            return self.settings.api_key or ""
        with self._token_lock:
            if self._token is None or self._clock() >= self._token_expiry:
                self._token, lifetime = self._exchange_token()
                self._token_expiry = self._clock() + max(0.0, lifetime - TOKEN_MARGIN_SECONDS)
            return self._token

    def _forget_token(self) -> None:
        with self._token_lock:
            self._token = None

    def _exchange_token(self) -> tuple[str, float]:
        """OAuth client credentials -> (access token, lifetime in seconds)."""
        form = {
            "client_id": self.settings.oauth_client_id or "",
            "client_secret": self.settings.oauth_client_secret or "",
            "grant_type": "client_credentials",
        }
        response = self._send("POST", TOKEN_PATH, data=form)
        self._raise_for_status("POST", TOKEN_PATH, response)
        body = self._json(response, "POST", TOKEN_PATH)
        token = body.get("access_token") if isinstance(body, dict) else None
        if not isinstance(token, str) or not token:
            raise InvalidResponse("POST", TOKEN_PATH, "no access_token in the answer")
        lifetime = body.get("expires_in", 3600)
        return token, float(lifetime) if isinstance(lifetime, int | float) else 3600.0

    def _json(self, response: httpx.Response, method: str, path: str) -> Any:
        try:
            return response.json()
        except (json.JSONDecodeError, UnicodeDecodeError) as exc:
            raise InvalidResponse(method, path, f"not JSON ({exc.__class__.__name__})") from None

    def _scrub(self, text: str) -> str:
        for secret in self.settings.secrets():
            text = text.replace(secret, "<redacted>")
        if self._token:
            text = text.replace(self._token, "<redacted>")
        return text


def key_entry_complete(entry: Mapping[str, Any]) -> bool:
    """Whether a key listing entry carries every field revocation and fleet read.

    Every key needs its type; an auth key, the tags its devices get (`capabilities`); an OAuth
    client or federated identity, its `tags`. An API token needs nothing more.
    """
    key_type = entry.get("keyType")
    if not isinstance(key_type, str) or not key_type:
        return False
    if key_type == "auth":
        return isinstance(entry.get("capabilities"), dict)
    if key_type in ("client", "federated"):
        return isinstance(entry.get("tags"), list)
    return True


def _rfc3339(moment: datetime) -> str:
    """UTC, seconds precision, `Z` suffix: what the logging endpoints take."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _dump(policy: Mapping[str, Any]) -> bytes:
    return json.dumps(policy, indent=2, ensure_ascii=False).encode("utf-8")


def _segment(value: str) -> str:
    """A path segment, percent-encoded so an id can never reach another endpoint."""
    return quote(value, safe="")


def _message(response: httpx.Response) -> str:
    """The API's `message`, or the start of the body, or the reason phrase."""
    try:
        body = response.json()
    except (json.JSONDecodeError, UnicodeDecodeError):
        body = None
    if isinstance(body, dict) and isinstance(body.get("message"), str) and body["message"]:
        return str(body["message"])
    text = response.text.strip()
    return text[:200] if text else (response.reason_phrase or "error")


def validation_problems(body: Any) -> list[str]:
    """Flatten a validate answer (`{}` or `{message, data: [{user, errors}]}`) into lines."""
    if not isinstance(body, dict) or not body:
        return []
    problems: list[str] = []
    message = body.get("message")
    if isinstance(message, str) and message:
        problems.append(message)
    data = body.get("data")
    if isinstance(data, list):
        for entry in data:
            if not isinstance(entry, dict):
                continue
            who = entry.get("user") if isinstance(entry.get("user"), str) else ""
            errors = entry.get("errors")
            for error in errors if isinstance(errors, list) else []:
                problems.append(f"{who}: {error}" if who else str(error))
    return problems


__all__ = [
    "PolicyUpdate",
    "TailscaleClient",
    "TailscaleError",
    "key_entry_complete",
    "validation_problems",
]
