"""Everything the CLI reaches outside the process with, in one place, swapped by tests one way.

`monkeypatch.setattr(hooks, NAME, fake)`: the sleep between Tailscale API retries (so fault
tests run in milliseconds), the clock of the fleet view (so ages are stable), the runner of
external commands (`connect --run`; nothing else runs external programs) and the drift
previewer (the Automation API).
"""

from __future__ import annotations

import subprocess
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from hfaccess.drift.automation import AutomationPreviewer
from hfaccess.drift.run import Previewer

Runner = Callable[[Sequence[str]], subprocess.CompletedProcess[str]]
PreviewerFactory = Callable[[Path, Sequence[Path], str | None], Previewer]


def utc_now() -> datetime:
    return datetime.now(UTC)


def run_command(argv: Sequence[str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(list(argv), capture_output=True, text=True, check=False, timeout=60)


def automation_previewer(
    root: Path, policy_packs: Sequence[Path], organization: str | None
) -> Previewer:
    return AutomationPreviewer(root, tuple(policy_packs), organization)


@dataclass
class CliHooks:
    """The CLI's edges to the world; the defaults are the real ones."""

    sleep: Callable[[float], None] = time.sleep
    clock: Callable[[], datetime] = utc_now
    runner: Runner = run_command
    make_previewer: PreviewerFactory = automation_previewer


hooks = CliHooks()
