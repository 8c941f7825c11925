"""The benchmark's own judgement of a run: a stale check would print OVER BUDGET (or worse,
within budget) for a run it never understood."""

from __future__ import annotations

import os

import pytest

from benchmarks.api_bench import ApiFigure, _run, report


@pytest.mark.parametrize("command", ["kill", "fleet"])
def test_a_real_small_run_is_judged_correct(command: str, monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("TAILSCALE_API_KEY", "TAILSCALE_TAILNET", "TAILSCALE_BASE_URL"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("COLUMNS", "200")
    try:
        elapsed, requests, correct = _run(command, 12, 0.0, faults=False)
    finally:  # _run points the process at its fake API; leave no trace for other tests
        for name in ("TAILSCALE_API_KEY", "TAILSCALE_TAILNET", "TAILSCALE_BASE_URL"):
            os.environ.pop(name, None)
    assert correct
    assert requests > 0
    assert elapsed > 0


def test_a_wrong_result_is_reported_as_wrong_not_as_slow() -> None:
    right = ApiFigure(0.5, 10, True, [0.5])
    wrong = ApiFigure(0.5, 10, False, [0.5])
    lines = report({"kill": right, "kill_faults": right, "fleet": wrong}, 12, 0.05)
    assert lines[0].endswith("within budget")
    assert lines[2].endswith("WRONG RESULT")
