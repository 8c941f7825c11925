"""Client versions against the release the install pins."""

from __future__ import annotations

import re
from typing import Final

from hfaccess.install import chart

# The Tailscale release the operator and proxy images are pinned to: the chart's version, pinned
# once in hfaccess.install.chart (the images are tagged `v<chart version>`).
PINNED_CLIENT_VERSION: Final = chart.CHART_VERSION
_VERSION_RE = re.compile(r"^v?(\d+)\.(\d+)\.(\d+)")


def parse_version(text: str) -> tuple[int, int, int] | None:
    """`1.96.5-t1234abcd-g5678ef` -> (1, 96, 5); None when there is no version."""
    match = _VERSION_RE.match(text.strip())
    if not match:
        return None
    return int(match.group(1)), int(match.group(2)), int(match.group(3))


def version_status(client_version: str, pinned: str = PINNED_CLIENT_VERSION) -> str:
    """`pinned`, `older`, `newer` or `unknown`."""
    have, want = parse_version(client_version), parse_version(pinned)
    if have is None or want is None:
        return "unknown"
    if have == want:
        return "pinned"
    return "older" if have < want else "newer"
