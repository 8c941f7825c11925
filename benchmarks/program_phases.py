"""Where one stack program's time goes beyond the import floor, in-process (JSON on stdout).

Usage: python benchmarks/program_phases.py STACK

Phases, in the order the program meets them: the floor's imports (the SDKs), pydantic's import,
the project's modules (their pydantic models are built as they import), the mock harness, and
the run (the program's own modules, loading and validating the stack's files, then every
resource registration through the real SDK). Start-up and exit happen outside and are not here.
"""

from __future__ import annotations

import gc
import json
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]


def main(stack: str) -> int:
    full = _FullCollections()
    marks = [time.perf_counter()]
    sys.path.insert(0, str(ROOT))
    import pulumi  # noqa: F401
    import pulumi_kubernetes.helm.v3  # noqa: F401
    import pulumi_tailscale  # noqa: F401

    marks.append(time.perf_counter())
    gc.callbacks.append(full.callback)  # from here on: what the program adds
    import pydantic

    # What the project's models use, so that pydantic's lazily loaded modules count as pydantic.
    for name in ("BaseModel", "ConfigDict", "Field", "SecretStr", "StrictInt", "AfterValidator"):
        getattr(pydantic, name)
    marks.append(time.perf_counter())
    # What the stack's program imports of the project, but for programs/ itself (its five
    # small modules load with the run: only the entry point and the tests import them).
    import components.cluster_install
    import components.environment_credential  # noqa: F401
    import hfaccess.credentials
    import hfaccess.gate
    import hfaccess.registry.settings
    import hfaccess.registry.workspace  # noqa: F401

    marks.append(time.perf_counter())
    from tests.support.pulumi_mocks import run_stack

    marks.append(time.perf_counter())
    run_stack(stack, root=ROOT)
    marks.append(time.perf_counter())
    names = ("floor_imports", "pydantic", "project_modules", "harness", "run")
    phases = {n: round(b - a, 4) for n, a, b in zip(names, marks[:-1], marks[1:], strict=True)}
    phases["full_collections"] = full.count
    phases["full_collection_seconds"] = round(full.seconds, 4)
    print(json.dumps(phases))
    return 0


class _FullCollections:
    """Count and time the cyclic collector's full (generation 2) collections."""

    def __init__(self) -> None:
        self.count = 0
        self.seconds = 0.0
        self._start = 0.0

    def callback(self, phase: str, info: dict[str, Any]) -> None:
        if info["generation"] != 2:
            return
        if phase == "start":
            self._start = time.perf_counter()
        else:
            self.count += 1
            self.seconds += time.perf_counter() - self._start


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1]))
