"""The fleet report from a registry and a listed tailnet: rows, problems, the unexplained."""

from __future__ import annotations

import importlib
import json
from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import pytest

from hfaccess.fleet import versions
from hfaccess.fleet.output import report_document, report_json_chunks
from hfaccess.fleet.report import FleetReport, build_fleet, verdict
from hfaccess.fleet.versions import parse_version, version_status
from hfaccess.install import chart
from hfaccess.registry.loader import load_registry
from hfaccess.tsapi import Device, Key
from tests.support.tailnet_seed import devices, keys, write_registry

PIN = chart.CHART_VERSION

NOW = datetime(2026, 5, 1, 12, 30, tzinfo=UTC)


def fleet(tmp_path: Path, edit: str | None = None) -> FleetReport:
    directory = write_registry(tmp_path / "customers")
    if edit:
        path = directory / "acme.yaml"
        path.write_text(path.read_text().replace("revoked: false", edit))
    registry = load_registry(directory)
    return build_fleet(
        registry,
        [Device.from_api(d) for d in devices().values()],
        [Key.from_api(k) for k in keys().values()],
        NOW,
    )


def test_one_row_per_registry_environment(tmp_path: Path) -> None:
    report = fleet(tmp_path)
    assert [(r.customer, r.environment) for r in report.rows] == [
        ("acme", "dev"),
        ("acme", "prod"),
        ("acme", "staging"),
        ("acme-prod", "dev"),
        ("globex", "prod"),
    ]


def test_row_contents(tmp_path: Path) -> None:
    rows = {(r.customer, r.environment): r for r in fleet(tmp_path).rows}
    prod = rows[("acme", "prod")]
    assert prod.operator is not None
    assert prod.operator.id == "1001"  # the online one wins over the stale clash
    assert [d.id for d in prod.stale_operators] == ["1004"]
    assert {p.device.name for p in prod.proxies} == {"acme-prod-grafana", "acme-prod-studio"}
    assert [c.id for c in prod.credentials] == ["kAcmeProd"]
    assert prod.credentials[0].kind == "oauth"
    assert prod.credentials[0].age_days == 120.5
    assert prod.problems == ("1 stale operator device(s) (name clash)",)
    staging = rows[("acme", "staging")]
    assert staging.problems == (f"operator client 1.94.1-tabc is not the pinned {PIN}",)
    dev = rows[("acme", "dev")]
    assert dev.credentials[0].kind == "federated"
    assert {p.device.name: p.exposure for p in dev.proxies} == {
        "acme-dev-studio": "studio",
        "acme-dev-prometheus": None,
    }
    assert dev.problems == ()
    assert rows[("globex", "prod")].proxies[0].exposure == "studio"
    assert rows[("acme-prod", "dev")].operator is not None


def test_unexplained(tmp_path: Path) -> None:
    found = {(u.id, u.reason) for u in fleet(tmp_path).unexplained}
    assert found == {
        ("1009", "no operator or exposure of acme-dev has this name"),
        ("1003", "no operator or exposure of acme-prod has this name"),
        ("1002", "no operator or exposure of acme-prod has this name"),
        ("1006", "no operator or exposure of acme-staging has this name"),
        ("1010", "tags of acme, but the name matches no environment of acme"),
        ("4001", "tags of no registered customer"),
        ("4002", "tags of no registered customer"),
    }


def test_revoked_customer_still_present_is_flagged(tmp_path: Path) -> None:
    report = fleet(tmp_path, edit="revoked: true")
    rows = {(r.customer, r.environment): r for r in report.rows}
    assert not rows[("acme", "prod")].active
    assert rows[("acme", "prod")].problems == (
        "revoked, yet 4 device(s) and 1 credential(s) remain",
    )
    reasons = {(u.id, u.reason) for u in report.unexplained}
    assert ("1001", "acme-prod is revoked") in reasons
    assert ("kAcmeProd", "acme-prod is revoked") in reasons
    assert ("kAcmeAuth", "acme is revoked") in reasons


def test_missing_operator_and_credential_problems(tmp_path: Path) -> None:
    registry = load_registry(write_registry(tmp_path / "customers"))
    report = build_fleet(registry, [], [], NOW)
    assert report.rows[0].problems == (
        "no operator device acme-dev-kube in the tailnet",
        "no credential described 'acme dev k8s-operator'",
    )
    assert report.unexplained == ()


def test_mixed_and_kind_mismatch(tmp_path: Path) -> None:
    registry = load_registry(write_registry(tmp_path / "customers"))
    odd_key = Key(
        id="kX",
        key_type="client",
        description="acme dev k8s-operator",
        tags=("tag:k8s-operator-acme",),
    )
    mixed = Device(id="5", hostname="acme-prod-kube", tags=("tag:cust-acme", "tag:cust-globex"))
    report = build_fleet(registry, [mixed], [odd_key], NOW)
    dev = report.rows[0]
    assert "credential kX is oauth, the registry says federated" in dev.problems
    assert [(u.id, u.reason) for u in report.unexplained] == [("5", "tags of more than one owner")]


def test_json_document(tmp_path: Path) -> None:
    document = report_document(fleet(tmp_path))
    assert document["pinnedVersion"] == PIN
    assert document["generatedAt"] == "2026-05-01T12:30:00Z"
    assert document["summary"] == {
        "environments": 5,
        "withProblems": 2,
        "unexplained": 7,
        "clientsNotPinned": ["acme-staging-kube"],
        "ok": False,
    }
    first = document["environments"][0]
    assert first["customer"] == "acme"
    assert first["operator"]["versionStatus"] == "pinned"
    assert first["operator"]["lastSeen"] == "2026-05-01T12:00:00Z"
    assert first["credentials"][0]["kind"] == "federated"


@pytest.mark.parametrize(
    ("text", "status"),
    [
        (PIN, "pinned"),
        (f"{PIN}-t1234-g5678", "pinned"),
        (f"v{PIN}", "pinned"),
        ("1.94.1-tabc", "older"),
        ("1.100.0", "newer"),
        ("", "unknown"),
        ("dev", "unknown"),
    ],
)
def test_version_status(text: str, status: str) -> None:
    assert version_status(text) == status


def test_parse_version() -> None:
    assert parse_version("1.96.5-t1") == (1, 96, 5)
    assert parse_version("x") is None


def test_pinned_client_version_is_the_charts() -> None:
    assert versions.PINNED_CLIENT_VERSION == chart.CHART_VERSION
    # the images the install pins report this version once running
    assert f"v{versions.PINNED_CLIENT_VERSION}" == chart.IMAGE_TAG
    assert version_status(chart.IMAGE_TAG) == "pinned"


@pytest.fixture
def reloaded_versions(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    yield
    monkeypatch.undo()
    importlib.reload(versions)


@pytest.mark.usefixtures("reloaded_versions")
def test_pinned_client_version_follows_a_chart_upgrade(monkeypatch: pytest.MonkeyPatch) -> None:
    # One source of truth: bumping the chart pin is all it takes for the fleet view to follow.
    monkeypatch.setattr(chart, "CHART_VERSION", "1.98.0")
    upgraded = importlib.reload(versions)
    assert upgraded.PINNED_CLIENT_VERSION == "1.98.0"
    assert upgraded.version_status("1.96.5-t1234") == "older"


def streamed(report: FleetReport) -> str:
    return "".join(report_json_chunks(report, verdict(report)))


def test_streamed_json_is_the_document_byte_for_byte(tmp_path: Path) -> None:
    report = fleet(tmp_path)
    assert report.rows
    assert report.unexplained
    assert streamed(report) == json.dumps(report_document(report), indent=2)


def test_streamed_json_of_an_empty_fleet(tmp_path: Path) -> None:
    report = replace(fleet(tmp_path), rows=(), unexplained=())
    text = streamed(report)
    assert text == json.dumps(report_document(report), indent=2)
    assert '"environments": [],' in text


def test_streamed_json_escapes_like_json_dumps(tmp_path: Path) -> None:
    report = fleet(tmp_path)
    odd = replace(report.rows[0], problems=('a "quoted"\nline, ünïcode \\ and \t tab',))
    report = replace(report, rows=(odd, *report.rows[1:]), pinned_version="1.96.5\n")
    assert streamed(report) == json.dumps(report_document(report), indent=2)


def test_streaming_yields_one_piece_per_environment(tmp_path: Path) -> None:
    report = fleet(tmp_path)
    pieces = list(report_json_chunks(report, verdict(report)))
    assert len(pieces) >= len(report.rows) + len(report.unexplained)
    assert all(len(p) < len(streamed(report)) // 2 for p in pieces)
