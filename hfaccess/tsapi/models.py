"""Devices, keys and the policy file as the API returns them, read tolerantly into frozen values.

Only the fields this project uses are typed; unknown fields are ignored, and a missing optional
field reads as None rather than failing a whole listing during an emergency.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

# The API writes "0001-01-01T00:00:00Z" for "never"; treat years before this as absent.
_MIN_YEAR = 1971


def parse_time(value: object) -> datetime | None:
    """An RFC 3339 timestamp from the API, or None for empty, zero or unreadable values."""
    if not isinstance(value, str) or not value:
        return None
    text = value.replace("Z", "+00:00") if value.endswith("Z") else value
    try:
        parsed = datetime.fromisoformat(text)
    except ValueError:
        return None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    return parsed if parsed.year >= _MIN_YEAR else None


def _str(data: Mapping[str, Any], key: str) -> str:
    value = data.get(key)
    return value if isinstance(value, str) else ""


def _strings(value: object) -> tuple[str, ...]:
    if not isinstance(value, list):
        return ()
    return tuple(item for item in value if isinstance(item, str))


@dataclass(frozen=True)
class Device:
    """One node of the tailnet."""

    id: str
    hostname: str
    name: str = ""  # MagicDNS FQDN; its first label may carry a `-1` suffix on name clashes
    tags: tuple[str, ...] = ()
    client_version: str = ""
    last_seen: datetime | None = None
    connected_to_control: bool | None = None
    user: str = ""
    os: str = ""
    node_id: str = ""

    @property
    def short_name(self) -> str:
        """First label of the MagicDNS name (falls back to the hostname)."""
        return self.name.split(".", 1)[0] if self.name else self.hostname

    @classmethod
    def from_api(cls, data: Mapping[str, Any]) -> Device:
        connected = data.get("connectedToControl")
        return cls(
            id=_str(data, "id") or _str(data, "nodeId"),
            hostname=_str(data, "hostname"),
            name=_str(data, "name"),
            tags=_strings(data.get("tags")),
            client_version=_str(data, "clientVersion"),
            last_seen=parse_time(data.get("lastSeen")),
            connected_to_control=connected if isinstance(connected, bool) else None,
            user=_str(data, "user"),
            os=_str(data, "os"),
            node_id=_str(data, "nodeId"),
        )


@dataclass(frozen=True)
class Key:
    """An auth key, API token, OAuth client or federated identity (the API calls all "keys")."""

    id: str
    key_type: str = ""  # "auth", "api", "client" (OAuth client), "federated"
    description: str = ""
    tags: tuple[str, ...] = ()
    capability_tags: tuple[str, ...] = ()  # auth keys: tags their devices receive
    scopes: tuple[str, ...] = ()
    created: datetime | None = None
    expires: datetime | None = None
    invalid: bool = False
    user_id: str = ""

    @property
    def all_tags(self) -> tuple[str, ...]:
        """Every tag this key carries or can mint, whatever its type."""
        return tuple(dict.fromkeys(self.tags + self.capability_tags))

    @classmethod
    def from_api(cls, data: Mapping[str, Any]) -> Key:
        capabilities = data.get("capabilities")
        create: Any = {}
        if isinstance(capabilities, dict):
            devices = capabilities.get("devices")
            if isinstance(devices, dict) and isinstance(devices.get("create"), dict):
                create = devices["create"]
        return cls(
            id=_str(data, "id"),
            key_type=_str(data, "keyType"),
            description=_str(data, "description"),
            tags=_strings(data.get("tags")),
            capability_tags=_strings(create.get("tags")),
            scopes=_strings(data.get("scopes")),
            created=parse_time(data.get("created")),
            expires=parse_time(data.get("expires")),
            invalid=data.get("invalid") is True,
            user_id=_str(data, "userId"),
        )


@dataclass(frozen=True)
class PolicyFile:
    """The tailnet policy file as JSON, with the ETag a write must quote in If-Match."""

    policy: dict[str, Any] = field(default_factory=dict)
    etag: str = ""
