"""A device's posture attributes as the API returns them: values and, for custom ones, expiries."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from hfaccess.tsapi.models import parse_time


@dataclass(frozen=True)
class DeviceAttributes:
    """`GET /api/v2/device/{id}/attributes`: `{"attributes": {...}, "expiries": {...}}`."""

    values: dict[str, Any] = field(default_factory=dict)
    expiries: dict[str, datetime] = field(default_factory=dict)

    @classmethod
    def from_api(cls, data: Mapping[str, Any]) -> DeviceAttributes:
        raw_values = data.get("attributes")
        raw_expiries = data.get("expiries")
        values = dict(raw_values) if isinstance(raw_values, dict) else {}
        expiries: dict[str, datetime] = {}
        if isinstance(raw_expiries, dict):
            for key, value in raw_expiries.items():
                parsed = parse_time(value)
                if parsed is not None:
                    expiries[str(key)] = parsed
        return cls(values, expiries)


def rfc3339(moment: datetime) -> str:
    """`2026-12-02T14:00:00Z`: UTC, whole seconds, as the API takes expiries."""
    return moment.replace(microsecond=0).astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
