"""Forty customers, a few revoked: render, check, and the tests Tailscale will run."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from tests.support.cli import run_cli
from tests.support.files import REPO, write_customer

COUNT = 40
REVOKED = {"c07", "c19", "c33"}
ENV_REVOKED = "c25"  # its only exposing environment is revoked, prod stays reachable


def _registry(directory: Path) -> None:
    for i in range(COUNT):
        name = f"c{i:02d}"
        envs: dict[str, Any] = {"prod": {}}
        if i % 5 == 0 or name == ENV_REVOKED:
            envs["staging"] = {
                "revoked": name == ENV_REVOKED,
                "exposures": {
                    "studio": {"namespace": "highflame", "service": "studio", "port": 80}
                },
            }
        write_customer(
            directory, name, {"name": name, "environments": envs, "revoked": name in REVOKED}
        )


def test_forty_customers_render_pass_check_and_carry_the_expected_tests(tmp_path: Path) -> None:
    customers = tmp_path / "customers"
    _registry(customers)
    highflame = str(REPO / "tailnet/highflame.yaml")
    common = ("--customers", str(customers), "--highflame", highflame)

    rendered = run_cli("render", "--stack", "tailnet", "--out", str(tmp_path / "out"), *common)
    assert rendered.exit_code == 0, rendered.stderr
    policy_file = tmp_path / "out/policy.json"

    checked = run_cli("check", *common)
    assert checked.exit_code == 0, checked.stderr
    assert "40 customers (37 reachable, 3 revoked)" in checked.stdout
    live = run_cli("check", "--policy", str(policy_file), *common)
    assert live.exit_code == 0, live.stderr

    document = json.loads(policy_file.read_text(encoding="utf-8"))
    tests = document["tests"]
    assert len(tests) == 3 * COUNT
    accepted = {d for t in tests if t["src"] == "group:highflame-sre" for d in t.get("accept", [])}
    denied = {d for t in tests if t["src"] == "group:highflame-sre" for d in t.get("deny", [])}
    for i in range(COUNT):
        name = f"c{i:02d}"
        proxy = f"tag:cust-{name}:443"
        assert (proxy in accepted) == (name not in REVOKED)
        assert (proxy in denied) == (name in REVOKED)
        neighbour = f"c{(i + 1) % COUNT:02d}"
        ring = next(t for t in tests if t["src"] == f"tag:cust-{name}")
        assert ring["deny"][:2] == [f"tag:cust-{neighbour}:443", f"tag:k8s-{neighbour}:443"]
    assert f"tag:k8s-{ENV_REVOKED}:443" not in accepted
    dsts = {d for g in document["grants"] for d in g["dst"]}
    assert not {f"tag:cust-{n}" for n in REVOKED} & dsts
    assert f"tag:k8s-{ENV_REVOKED}" not in dsts
    assert len(policy_file.read_bytes()) <= 1200 * COUNT
