"""`hfaccess fleet` against the fake API: the table for people, JSON for machines."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from hfaccess.cli.hooks import hooks
from hfaccess.install import chart
from tests.support.cli import run_cli, serve_fake_api
from tests.support.fake_tailscale import CLIENT_SECRET, FakeTailscale, Fault
from tests.support.tailnet_seed import seeded_state, write_registry


@pytest.fixture
def fake(monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeTailscale]:
    with serve_fake_api(monkeypatch, seeded_state()) as server:
        monkeypatch.setenv("COLUMNS", "240")
        monkeypatch.setattr(hooks, "clock", lambda: datetime(2026, 5, 1, 12, 30, tzinfo=UTC))
        yield server


@pytest.fixture
def registry(tmp_path: Path) -> Path:
    return write_registry(tmp_path / "customers")


def test_table(fake: FakeTailscale, registry: Path) -> None:
    result = run_cli("fleet", "--all", "--customers", str(registry))
    assert result.exit_code == 1, result.stderr  # unexplained devices, a client off the pin
    assert "Fleet (5 environments)" in result.stdout
    assert "acme/staging" in result.stdout
    assert "30 min ago" in result.stdout
    assert f"1.94.1 (pinned {chart.CHART_VERSION})" in result.stdout
    assert "not explained by the registry (7)" in result.stdout
    assert "operator-acme-prod-kube" in result.stdout
    assert CLIENT_SECRET not in result.stdout
    assert result.stdout.splitlines()[-1] == (
        "fleet: ATTENTION: 2 environment(s) with problems; 7 unexplained; "
        "1 client(s) not on 1.96.5 (acme-staging-kube)"
    )


def test_fits_80_columns_without_cutting_a_name(
    fake: FakeTailscale, registry: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLUMNS", "80")
    result = run_cli("fleet", "--all", "--customers", str(registry))
    assert result.exit_code == 1
    *tables, last = result.stdout.splitlines()
    assert last.startswith("fleet: ATTENTION:")  # the summary is one line, wrapped by the terminal
    assert all(len(line) <= 80 for line in tables), max(tables, key=len)
    assert "…" not in result.stdout
    cells = {part.strip() for line in tables for part in line.split("│")}
    for name in (
        "acme/staging",
        "acme-staging-kube",
        "acme-prod-dev-kube",
        "+ globex-prod-studio",
        "acme-dev-prometheus",
        "tag:cust-acmecorp",
    ):
        assert name in cells, name


def test_json(fake: FakeTailscale, registry: Path) -> None:
    result = run_cli("fleet", "--json", "--customers", str(registry))
    assert result.exit_code == 1, result.stderr
    document = json.loads(result.stdout)
    # Streamed piece by piece, yet laid out exactly as one `json.dumps(indent=2)` would print it.
    assert result.stdout == json.dumps(document, indent=2) + "\n"
    assert document["summary"]["environments"] == 5
    assert document["summary"]["ok"] is False
    assert document["summary"]["clientsNotPinned"] == ["acme-staging-kube"]
    proxies = [p for env in document["environments"] for p in env["proxies"]]
    assert all(p["device"]["tags"] for p in proxies)  # detail the table leaves out stays here
    assert {u["id"] for u in document["unexplained"]} >= {"4001", "4002", "1010"}


def test_everything_explained_after_kills(fake: FakeTailscale, registry: Path) -> None:
    for device_id in ("1002", "1003", "1006", "1009", "1010", "4001", "4002"):
        del fake.state.devices[device_id]
    result = run_cli("fleet", "--customers", str(registry))
    assert result.exit_code == 1, result.stderr  # acme-staging's client is still off the pin
    assert "Everything carrying a customer tag is explained by the registry." in result.stdout
    assert "1 client(s) not on 1.96.5 (acme-staging-kube)" in result.stdout.splitlines()[-1]


def test_exit_0_when_everything_is_explained_and_pinned(
    fake: FakeTailscale, registry: Path
) -> None:
    (registry / "acme.yaml").unlink()
    (registry / "acme-prod.yaml").unlink()
    for device_id, device in list(fake.state.devices.items()):
        if any(tag not in {"tag:cust-globex", "tag:k8s-globex"} for tag in device["tags"]):
            del fake.state.devices[device_id]
    for key_id, key in list(fake.state.keys.items()):
        if "acme" in json.dumps(key):
            del fake.state.keys[key_id]
    result = run_cli("fleet", "--customers", str(registry))
    assert result.exit_code == 0, result.stdout
    assert result.stdout.splitlines()[-1].startswith("fleet: OK: 1 environment(s)")
    json_result = run_cli("fleet", "--json", "--customers", str(registry))
    assert json_result.exit_code == 0
    assert json.loads(json_result.stdout)["summary"]["ok"] is True


def test_api_failure_exits_1(fake: FakeTailscale, registry: Path) -> None:
    fake.add_fault(Fault(path=".*/keys", status=403, times=-1))
    result = run_cli("fleet", "--customers", str(registry))
    assert result.exit_code == 1
    assert "fleet: cannot read the tailnet: GET /api/v2/tailnet/-/keys: HTTP 403" in result.stderr


def test_invalid_registry_exits_1(fake: FakeTailscale, tmp_path: Path) -> None:
    (tmp_path / "bad.yaml").write_text("name: bad\n")
    result = run_cli("fleet", "--customers", str(tmp_path))
    assert result.exit_code == 1
    assert "bad.yaml: environments: required field is missing" in result.stderr
    assert fake.requests == []


def test_summary_first_then_only_what_needs_attention(fake: FakeTailscale, registry: Path) -> None:
    """Without --all, the counts come first and the table holds only environments with problems
    or a client off the pin; the verdict and the last line are the same as with --all."""
    every = run_cli("fleet", "--all", "--customers", str(registry))
    result = run_cli("fleet", "--customers", str(registry))
    assert result.exit_code == every.exit_code == 1
    lines = result.stdout.splitlines()
    assert lines[1:3] == [
        "environments: 5 (5 active, 0 revoked), 2 with problems",
        "tailnet items not explained by the registry: 7",
    ]
    assert "Fleet (5 environments)" in every.stdout
    assert "Fleet (5 environments)" not in result.stdout
    assert "acme/staging" in result.stdout  # its client is off the pin
    assert lines[-1] == every.stdout.splitlines()[-1]
    assert len(result.stdout) < len(every.stdout)
