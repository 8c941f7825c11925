"""Kill and fleet against a 1,000-customer tailnet on a loopback API with real-world latency.

Runs the real commands in-process against the project's fake Tailscale API (tests/support,
served from a process of its own)
holding a generated tailnet (`large_tailnet`: about 2.7 devices and 1.8 keys per customer) whose
policy is what the tailnet stack renders for the same generated registry. Each run starts from
a fresh tailnet and registry. Prints wall time and API calls beside each other, once clean and
once under the fault injection the kill tests use (429 with Retry-After, 5xx, a reset
connection, a concurrent policy edit), with retries sleeping for real.

    python -m benchmarks.api_bench [--customers 1000] [--latency 0.05] [--runs 3]
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import statistics
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from benchmarks.synthetic import customer_name, write_registry

KILL_CUSTOMER = 2  # cust00002: three environments (1 + 2 % 3)
KILL_BUDGET_SECONDS = 5.0
FLEET_BUDGET_SECONDS = 8.0


@dataclass
class ApiFigure:
    """Median wall time, API requests of the median run, and whether every run ended right."""

    seconds: float
    requests: int
    correct: bool
    runs: list[float]


def _tailnet(registry: Path, customers: int) -> Any:
    from hfaccess.policy.builder import build_policy
    from hfaccess.registry.workspace import load_model
    from tests.support.fake_tailscale import large_tailnet

    state = large_tailnet(customers)
    state.policy = build_policy(load_model(registry))
    return state


def _faults(fake: Any) -> None:
    from tests.support.fake_tailscale import Fault

    def concurrent(policy: dict[str, Any]) -> None:
        policy.setdefault("groups", {})["group:oncall"] = ["carol@highflame.ai"]

    victim = customer_name(KILL_CUSTOMER)
    fake.add_fault(Fault(path=".*/devices", method="GET", status=429, retry_after="1", times=2))
    fake.add_fault(Fault(path=f"/api/v2/device/d{KILL_CUSTOMER:05d}0", status=500, times=2))
    fake.add_fault(Fault(path=f"/api/v2/device/d{KILL_CUSTOMER:05d}1", reset=True))
    fake.add_fault(
        Fault(path=f".*/keys/k{KILL_CUSTOMER:05d}0", method="DELETE", status=503, times=2)
    )
    fake.add_fault(Fault(path=".*/acl", method="POST", concurrent_edit=concurrent))
    del victim


def _serve(conn: Any, state: Any, latency: float, faults: bool) -> None:
    """The fake API in a process of its own: its work never competes with the command's."""
    from tests.support.fake_tailscale import FakeTailscale

    with FakeTailscale(state, latency=latency) as fake:
        if faults:
            _faults(fake)
        conn.send(fake.env())
        conn.recv()  # the command finished
        conn.send((len(fake.requests), fake.snapshot()))


def _run(command: str, customers: int, latency: float, faults: bool) -> tuple[float, int, bool]:
    from tests.support.cli import run_cli

    with tempfile.TemporaryDirectory() as tmp:
        registry = write_registry(Path(tmp) / "customers", customers)
        state = _tailnet(registry, customers)
        victim = customer_name(KILL_CUSTOMER)
        context = multiprocessing.get_context("fork")
        ours, theirs = context.Pipe()
        server = context.Process(target=_serve, args=(theirs, state, latency, faults))
        server.start()
        try:
            os.environ.update(ours.recv())
            args = (
                ["kill", victim, "--yes", "--customers", str(registry)]
                if command == "kill"
                else ["fleet", "--customers", str(registry)]
            )
            start = time.perf_counter()
            result = run_cli(*args)
            elapsed = time.perf_counter() - start
            ours.send("done")
            requests, left = ours.recv()
        finally:
            server.join(timeout=10)
            if server.is_alive():
                server.kill()
        if command == "kill":
            tag = f"tag:cust-{victim}"
            correct = result.exit_code == 0 and not any(
                tag in d.get("tags", []) for d in left["devices"].values()
            )
        else:
            # its summary counts every environment of the registry, and its last line says
            # how the fleet stands
            lines = result.stdout.splitlines()
            correct = (
                result.exit_code in (0, 1)
                and any(line.startswith("environments: ") for line in lines)
                and bool(lines)
                and lines[-1].startswith("fleet: ")
            )
        return elapsed, requests, correct


def measure(command: str, customers: int, latency: float, runs: int, faults: bool) -> ApiFigure:
    results = [_run(command, customers, latency, faults) for _ in range(runs)]
    times = [r[0] for r in results]
    median = statistics.median(times)
    requests = sorted(results, key=lambda r: r[0])[len(results) // 2][1]
    return ApiFigure(round(median, 3), requests, all(r[2] for r in results), times)


def bench(customers: int, latency: float, runs: int) -> dict[str, ApiFigure]:
    for name in ("TAILSCALE_API_KEY", "TAILSCALE_TAILNET", "TAILSCALE_BASE_URL"):
        os.environ.pop(name, None)
    os.environ.setdefault("COLUMNS", "200")
    return {
        "kill": measure("kill", customers, latency, runs, faults=False),
        "kill_faults": measure("kill", customers, latency, runs, faults=True),
        "fleet": measure("fleet", customers, latency, runs, faults=False),
    }


def report(figures: dict[str, ApiFigure], customers: int, latency: float) -> list[str]:
    ms = latency * 1000
    kill, faulted, fleet = figures["kill"], figures["kill_faults"], figures["fleet"]

    def verdict(figure: ApiFigure, budget: float) -> str:
        if not figure.correct:
            return "WRONG RESULT"
        return "within budget" if figure.seconds < budget else "OVER BUDGET"

    return [
        f"- kill of one 3-environment customer, {customers} customers, {ms:.0f} ms per answer: "
        f"{kill.seconds:.2f} s, {kill.requests} API calls (budget < {KILL_BUDGET_SECONDS:.0f} s): "
        f"{verdict(kill, KILL_BUDGET_SECONDS)}",
        f"- the same kill under injected faults (429, 5xx, reset, concurrent edit): "
        f"{faulted.seconds:.2f} s, {faulted.requests} API calls, "
        f"{'correct' if faulted.correct else 'WRONG RESULT'}",
        f"- fleet, {customers} customers, {ms:.0f} ms per answer: {fleet.seconds:.2f} s, "
        f"{fleet.requests} API calls (budget < {FLEET_BUDGET_SECONDS:.0f} s): "
        f"{verdict(fleet, FLEET_BUDGET_SECONDS)}",
    ]


def series_lines(api: dict[int, dict[str, ApiFigure]], latency: float) -> list[str]:
    """kill and fleet at each tailnet size measured: seconds and API calls (for the plot)."""
    lines = [
        "",
        f"| customers | kill s | kill calls | fleet s | fleet calls | {latency * 1000:.0f} ms per answer |",
        "|---:|---:|---:|---:|---:|---|",
    ]
    for count in sorted(api):
        kill, fleet = api[count]["kill"], api[count]["fleet"]
        right = "correct" if kill.correct and fleet.correct else "WRONG RESULT"
        lines.append(
            f"| {count} | {kill.seconds:.2f} | {kill.requests} | {fleet.seconds:.2f} | "
            f"{fleet.requests} | {right} |"
        )
    return lines


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--customers", type=int, default=1000)
    parser.add_argument("--latency", type=float, default=0.05)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    figures = bench(args.customers, args.latency, args.runs)
    for line in report(figures, args.customers, args.latency):
        print(line)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
