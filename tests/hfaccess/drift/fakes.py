"""A fake Previewer: scripted outcomes, and a record of order and concurrency."""

from __future__ import annotations

import threading
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from hfaccess.drift.model import PreviewOutcome, ResourceChange

ACL_URN = "urn:pulumi:tailnet::highflame-access::highflame:tailnet:Policy$tailscale:index/acl:Acl::tailnet-policy"
RELEASE_URN = (
    "urn:pulumi:acme-prod::highflame-access::highflame:cluster:Install$"
    "kubernetes:helm.sh/v3:Release::acme-prod-operator"
)


@dataclass
class FakePreviewer:
    """Returns `outcomes[stack]` (clean when absent), raises `failures[stack]`.

    With `hold` set, each preview waits until `hold` previews run at once (or a timeout), so a
    test sees the parallelism bound reached, and `max_active` proves it was never exceeded.
    """

    outcomes: Mapping[str, PreviewOutcome] = field(default_factory=dict)
    failures: Mapping[str, Exception] = field(default_factory=dict)
    hold: int = 0
    started: list[str] = field(default_factory=list)
    finished: list[str] = field(default_factory=list)
    max_active: int = 0
    # (root, policy packs, organization) each time the CLI built a previewer
    factory_calls: list[tuple[Path, Sequence[Path], str | None]] = field(default_factory=list)
    _active: int = 0
    _cond: threading.Condition = field(default_factory=threading.Condition)

    def preview(self, stack: str) -> PreviewOutcome:
        with self._cond:
            self.started.append(stack)
            self._active += 1
            self.max_active = max(self.max_active, self._active)
            self._cond.notify_all()
            if self.hold:
                self._cond.wait_for(lambda: self._active >= self.hold, timeout=2)
        try:
            time.sleep(0.01)
            if stack in self.failures:
                raise self.failures[stack]
            return self.outcomes.get(stack, PreviewOutcome())
        finally:
            with self._cond:
                self._active -= 1
                self.finished.append(stack)
                self._cond.notify_all()


def drifted_acl() -> PreviewOutcome:
    return PreviewOutcome(
        changes=(
            ResourceChange("refresh", ACL_URN, ("acl",)),
            ResourceChange("update", ACL_URN, ("acl",)),
        )
    )
