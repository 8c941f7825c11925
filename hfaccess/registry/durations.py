"""Durations people type: `30m`, `4h`, `1h30m`. One parser for the registry and the CLI."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Final

MAX_ELEVATION: Final = timedelta(hours=24)
_DURATION_RE = re.compile(r"^(?:(?P<h>\d{1,3})h)?(?:(?P<m>\d{1,4})m)?$")


def parse_duration(text: str) -> timedelta:
    """`4h` -> 4 hours; raise ValueError saying the accepted forms for anything else or zero."""
    match = _DURATION_RE.fullmatch(text.strip()) if isinstance(text, str) else None
    if match is None or not (match.group("h") or match.group("m")):
        raise ValueError(f"not a duration like 30m, 4h or 1h30m: {text!r}")
    duration = timedelta(hours=int(match.group("h") or 0), minutes=int(match.group("m") or 0))
    if duration <= timedelta(0):
        raise ValueError(f"must be longer than zero: {text!r}")
    return duration


def format_duration(duration: timedelta) -> str:
    """4 hours -> `4h`; 90 minutes -> `1h30m` (the inverse of parse_duration)."""
    minutes = int(duration.total_seconds() // 60)
    hours, rest = divmod(minutes, 60)
    if hours and rest:
        return f"{hours}h{rest}m"
    return f"{hours}h" if hours else f"{rest}m"
