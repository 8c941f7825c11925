"""`hfaccess fleet` against the fake API: the table for people, JSON for machines."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from hfaccess.cli import fleet as fleet_cli
from tests.support.cli import run_cli, serve_fake_api
from tests.support.fake_tailscale import CLIENT_SECRET, FakeTailscale, Fault
from tests.support.tailnet_seed import seeded_state, write_registry


@pytest.fixture
def fake(monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeTailscale]:
    with serve_fake_api(monkeypatch, seeded_state()) as server:
        monkeypatch.setenv("COLUMNS", "240")
        monkeypatch.setattr(fleet_cli, "clock", lambda: datetime(2026, 5, 1, 12, 30, tzinfo=UTC))
        yield server


@pytest.fixture
def registry(tmp_path: Path) -> Path:
    return write_registry(tmp_path / "customers")


def test_table(fake: FakeTailscale, registry: Path) -> None:
    result = run_cli("fleet", "--all", "--customers", str(registry))
    assert result.exit_code == 0, result.stderr
    assert "Fleet (5 environments)" in result.stdout
    assert "acme/staging" in result.stdout
    assert "30 min ago" in result.stdout
    assert "1.94.1 (pinned 1.96.5)" in result.stdout
    assert "not explained by the registry (7)" in result.stdout
    assert "operator-acme-prod-kube" in result.stdout
    assert CLIENT_SECRET not in result.stdout


def test_json(fake: FakeTailscale, registry: Path) -> None:
    result = run_cli("fleet", "--json", "--customers", str(registry))
    assert result.exit_code == 0, result.stderr
    document = json.loads(result.stdout)
    assert document["summary"]["environments"] == 5
    assert {u["id"] for u in document["unexplained"]} >= {"4001", "4002", "1010"}


def test_everything_explained_after_kills(fake: FakeTailscale, registry: Path) -> None:
    for device_id in ("1002", "1003", "1006", "1009", "1010", "4001", "4002"):
        del fake.state.devices[device_id]
    result = run_cli("fleet", "--customers", str(registry))
    assert result.exit_code == 0, result.stderr
    assert "Everything carrying a customer tag is explained by the registry." in result.stdout


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


def test_summary_first_then_only_environments_with_problems(
    fake: FakeTailscale, registry: Path
) -> None:
    result = run_cli("fleet", "--customers", str(registry))
    assert result.exit_code == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[1] == (
        "5 environments: 5 active, 0 revoked, 2 with problems; "
        "7 tailnet item(s) not explained by the registry"
    )
    assert "Fleet (2 environments)" in result.stdout
    assert "acme/staging" in result.stdout  # its operator runs 1.94.1: a problem
    assert "globex/prod" not in result.stdout  # healthy: listed only with --all
    assert "operator-acme-prod-kube" in result.stdout
