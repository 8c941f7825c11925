"""`hfaccess audit` against the loopback API with recorded configuration audit events."""

from __future__ import annotations

import copy
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from hfaccess.cli import audit as audit_cli
from tests.support.cli import run_cli, serve_fake_api
from tests.support.fake_tailscale import FakeTailscale, Fault
from tests.support.tailnet_seed import seeded_state, write_registry

NOW = datetime(2026, 5, 1, 13, 0, tzinfo=UTC)


def event(  # noqa: PLR0917 - mirrors the event's fields, read like a log line
    minute: int,
    action: str,
    actor: str,
    target_type: str,
    target_id: str,
    name: str = "",
    *,
    prop: str = "",
    old: Any = None,
    new: Any = None,
    hour: int = 12,
) -> dict[str, Any]:
    """One event in the shape of Tailscale's configuration audit log."""
    recorded: dict[str, Any] = {
        "eventGroupID": f"g{hour}{minute:02d}",
        "origin": "API",
        "actor": {
            "id": actor,
            "type": "OAUTH_CLIENT" if actor.startswith("k") else "USER",
            "loginName": actor,
        },
        "target": {"id": target_id, "name": name, "type": target_type},
        "type": action,
        "eventTime": f"2026-05-01T{hour:02d}:{minute:02d}:00Z",
    }
    if prop:
        recorded["target"]["property"] = prop
    if old is not None:
        recorded["old"] = old
    if new is not None:
        recorded["new"] = new
    return recorded


AUTH_KEY_CAPS = {"devices": {"create": {"tags": ["tag:cust-acme"], "ephemeral": True}}}
RECORDED = [
    # fine: acme's operator mints an auth key for its own tag and its device joins
    event(1, "CREATE", "kAcmeProd", "API_KEY", "kNew1", new={"capabilities": AUTH_KEY_CAPS}),
    event(
        2,
        "CREATE",
        "n1001",
        "NODE",
        "1001",
        "acme-prod-kube.tail1234.ts.net",
        new={"tags": ["tag:cust-acme"]},
    ),
    # fine: globex's operator removes its own exposure proxy (gone from the device list now)
    event(3, "DELETE", "kGlobexProd", "NODE", "2099", "globex-prod-studio.tail1234.ts.net"),
    # flagged: globex's credential deletes acme's operator and an engineer's laptop
    event(4, "DELETE", "kGlobexProd", "NODE", "1001", "acme-prod-kube.tail1234.ts.net"),
    event(5, "DELETE", "kGlobexProd", "NODE", "9002", "alice-laptop.tail1234.ts.net"),
    # flagged: globex's credential retags its own proxy with acme's tag
    event(
        6,
        "UPDATE",
        "kGlobexProd",
        "NODE",
        "2002",
        "globex-prod-studio.tail1234.ts.net",
        prop="TAGS",
        old=["tag:k8s-globex"],
        new=["tag:cust-acme"],
    ),
    # flagged: a device joins under globex's proxy tag with a name no environment explains
    event(
        7,
        "CREATE",
        "n7001",
        "NODE",
        "7001",
        "ts-evil-proxy.tail1234.ts.net",
        new={"tags": ["tag:k8s-globex"]},
    ),
    # flagged: a device joins under an unregistered customer's tag
    event(
        8,
        "CREATE",
        "n7002",
        "NODE",
        "7002",
        "initech-prod-kube.tail1234.ts.net",
        new={"tags": ["tag:cust-initech"]},
    ),
    # flagged: a credential since rotated away (created in the window) touches globex
    event(
        9,
        "CREATE",
        "alice@highflame.ai",
        "API_KEY",
        "kOldAcme",
        new={"tags": ["tag:k8s-operator-acme"], "scopes": ["devices:core"]},
    ),
    event(10, "DELETE", "kOldAcme", "NODE", "2001", "globex-prod-kube.tail1234.ts.net"),
    # flagged: a customer credential on anything but devices and keys
    event(11, "UPDATE", "kAcmeProd", "TAILNET", "example.com", "example.com", prop="ACL"),
    # fine: an engineer deleting a device is not a customer credential
    event(12, "DELETE", "alice@highflame.ai", "NODE", "1004", "acme-prod-kube-1.tail1234.ts.net"),
    # outside the default 24 h window: never read
    event(0, "DELETE", "kGlobexProd", "NODE", "9003", "bob-laptop", hour=1),
]


@pytest.fixture
def registry(tmp_path: Path) -> Path:
    return write_registry(tmp_path / "customers")


@pytest.fixture
def fake(monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeTailscale]:
    state = seeded_state()
    state.audit_log = copy.deepcopy(RECORDED)
    state.audit_log[-1]["eventTime"] = "2026-04-29T01:00:00Z"
    monkeypatch.setattr(audit_cli.clock, "now", lambda: NOW)
    with serve_fake_api(monkeypatch, state) as server:
        yield server


def audit(registry: Path, *args: str) -> Any:
    return run_cli("audit", *args, "--customers", str(registry))


def test_flags_exactly_what_customer_credentials_should_not_do(
    fake: FakeTailscale, registry: Path
) -> None:
    result = audit(registry)
    assert result.exit_code == 1
    flagged = [line for line in result.stderr.splitlines() if line.startswith("  - ")]
    assert flagged == [
        "  - 2026-05-01T12:04:00Z DELETE node acme-prod-kube.tail1234.ts.net id 1001 by "
        "credential kGlobexProd of globex: the device carries tag:cust-acme, not only globex's "
        "tags",
        "  - 2026-05-01T12:05:00Z DELETE node alice-laptop.tail1234.ts.net id 9002 by credential "
        "kGlobexProd of globex: nothing shows the device was globex's (no tags known, name "
        "alice-laptop.tail1234.ts.net)",
        "  - 2026-05-01T12:06:00Z UPDATE node globex-prod-studio.tail1234.ts.net id 2002 (tags) "
        "by credential kGlobexProd of globex: the device carries tag:cust-acme, tag:k8s-globex, "
        "not only globex's tags",
        "  - 2026-05-01T12:07:00Z CREATE node ts-evil-proxy.tail1234.ts.net id 7001 by n7001: "
        "joined with tag:k8s-globex as ts-evil-proxy.tail1234.ts.net: no active environment of "
        "globex has that name",
        "  - 2026-05-01T12:08:00Z CREATE node initech-prod-kube.tail1234.ts.net id 7002 by "
        "n7002: joined with tag:cust-initech: no registered customer has these tags",
        "  - 2026-05-01T12:10:00Z DELETE node globex-prod-kube.tail1234.ts.net id 2001 by "
        "credential kOldAcme of acme: the device carries tag:cust-globex, not only acme's tags",
        "  - 2026-05-01T12:11:00Z UPDATE tailnet example.com id example.com (acl) by credential "
        "kAcmeProd of acme: a customer credential acted on a tailnet",
    ]
    assert result.stderr.strip().splitlines()[-1] == (
        "FLAGGED: 7 event(s) need review (docs/runbooks/revocation.md)."
    )
    assert "12 event(s)" in result.stdout
    (call,) = fake.calls("GET", ".*/logging/configuration")
    assert call.query == "start=2026-04-30T13%3A00%3A00Z&end=2026-05-01T13%3A00%3A00Z"


def test_a_clean_window_exits_0(fake: FakeTailscale, registry: Path) -> None:
    result = audit(registry, "--start", "2026-05-01T12:00:00Z", "--end", "2026-05-01T12:03:30Z")
    assert result.exit_code == 0, result.stderr
    assert "3 event(s)" in result.stdout
    assert result.stdout.strip().splitlines()[-1].startswith("OK: no customer credential")


def test_a_revoked_environment_does_not_explain_a_join(fake: FakeTailscale, registry: Path) -> None:
    path = registry / "acme.yaml"
    path.write_text(path.read_text().replace("  prod: {}", "  prod: {revoked: true}"))
    result = audit(registry, "--start", "2026-05-01T12:00:00Z", "--end", "2026-05-01T12:03:30Z")
    assert result.exit_code == 1
    assert "id 1001 by n1001: joined with tag:cust-acme as acme-prod-kube" in result.stderr


def test_an_unreadable_log_exits_2(fake: FakeTailscale, registry: Path) -> None:
    fake.add_fault(Fault(path=".*/logging/configuration", status=403, times=-1))
    result = audit(registry)
    assert result.exit_code == 2
    assert (
        "audit: cannot read the tailnet: GET /api/v2/tailnet/-/logging/configuration: HTTP 403"
        in (result.stderr)
    )
    assert "nothing was checked" in result.stderr


def test_a_bad_window_exits_2(fake: FakeTailscale, registry: Path) -> None:
    assert audit(registry, "--start", "yesterday").exit_code == 2
    result = audit(registry, "--start", "2026-05-02T00:00:00Z", "--end", "2026-05-01T00:00:00Z")
    assert result.exit_code == 2
    assert fake.calls("GET", ".*/logging/configuration") == []
