"""How long `hfaccess kill acme --yes` takes: three environments, ten devices, on loopback.

Runs the real command in-process against the fake Tailscale API (tests/support), a fresh
tailnet and registry each run, and prints every run's wall time and the median. The target
is under 5 s; this prints figures and asserts nothing. `--latency S` adds S seconds to every
API answer, to see how the kill behaves at real-world round-trip times.

    python benchmarks/kill_bench.py [--runs 7] [--latency 0.05]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
TARGET_SECONDS = 5.0


def _one_run(latency: float) -> tuple[float, int, int]:
    """(wall seconds, exit code, API requests) for one kill on a fresh fake tailnet."""
    from tests.support.cli import run_cli
    from tests.support.fake_tailscale import FakeTailscale, Fault
    from tests.support.tailnet_seed import seeded_state, write_registry

    with FakeTailscale(seeded_state()) as fake, tempfile.TemporaryDirectory() as tmp:
        if latency > 0:
            fake.add_fault(Fault(path=".*", times=-1, delay=latency))
        registry = write_registry(Path(tmp) / "customers")
        os.environ.update(fake.env())
        start = time.perf_counter()
        result = run_cli("kill", "acme", "--yes", "--customers", str(registry))
        elapsed = time.perf_counter() - start
        return elapsed, result.exit_code, len(fake.requests)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7, help="number of timed kills (default 7)")
    parser.add_argument(
        "--latency", type=float, default=0.0, help="seconds added to every API answer"
    )
    args = parser.parse_args()
    sys.path.insert(0, str(REPO))
    for name in ("TAILSCALE_API_KEY", "TAILSCALE_TAILNET"):
        os.environ.pop(name, None)
    _one_run(0.0)  # warm-up: imports, first server start
    times: list[float] = []
    for run in range(1, args.runs + 1):
        elapsed, code, requests = _one_run(args.latency)
        times.append(elapsed)
        print(f"run {run}: {elapsed * 1000:8.1f} ms  exit {code}  {requests} API requests")
    median = statistics.median(times)
    verdict = "under" if median < TARGET_SECONDS else "OVER"
    print(
        f"kill acme (3 environments, 10 devices, 4 credentials), latency {args.latency * 1000:.0f} ms"
        f" per answer: median {median * 1000:.1f} ms over {len(times)} runs"
        f" (min {min(times) * 1000:.1f}, max {max(times) * 1000:.1f});"
        f" {verdict} the {TARGET_SECONDS:.0f} s target"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
