"""`hfaccess elevate` against the loopback fake API: the attribute lands on every device of the
engineer and no one else's, expires on Tailscale's side, `--end` removes it, and every refusal
names its file and field before any credential is needed."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from hfaccess.cli import elevate as elevate_cli
from tests.support.cli import clear_tailscale_env, run_cli, serve_fake_api
from tests.support.fake_tailscale import Fault, TailnetState
from tests.support.files import REPO

KEY = "custom:hf_elevate_acme_prod"
NOW = datetime(2026, 12, 2, 14, 0, tzinfo=UTC)
ALICE = "alice@highflame.ai"


def _device(device_id: str, user: str, name: str, tags: list[str] | None = None) -> dict[str, Any]:
    return {
        "id": device_id,
        "nodeId": f"n{device_id}",
        "hostname": name,
        "name": f"{name}.example.ts.net",
        "user": user,
        "tags": tags or [],
    }


def _state() -> TailnetState:
    devices = [
        _device("1", ALICE, "alice-laptop"),
        _device("2", ALICE, "alice-desktop"),
        _device("3", "bob@highflame.ai", "bob-laptop"),
        _device("4", ALICE, "ci-runner", ["tag:highflame-iac"]),  # registered by alice, tagged
    ]
    return TailnetState(devices={d["id"]: d for d in devices})


@pytest.fixture(autouse=True)
def _repo(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(REPO)
    monkeypatch.setattr(elevate_cli, "now_utc", lambda: NOW)


ELEVATE = ("elevate", "acme", "prod", "--engineer", ALICE, "--for", "2h", "--reason", "INC-42")


def test_dry_run_changes_nothing(monkeypatch: pytest.MonkeyPatch) -> None:
    state = _state()
    with serve_fake_api(monkeypatch, state):
        result = run_cli(*ELEVATE)
    assert result.exit_code == 0, result.stderr
    assert "2 device(s) (alice-desktop, alice-laptop)" in result.stdout
    assert result.stdout.splitlines()[-1].startswith("DRY RUN: nothing was changed")
    assert state.attributes == {} or all(not held for held in state.attributes.values())


def test_yes_sets_the_attribute_with_expiry_and_reason_on_the_engineers_devices_only(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    state = _state()
    with serve_fake_api(monkeypatch, state):
        result = run_cli(*ELEVATE, "--yes")
    assert result.exit_code == 0, result.stderr
    expected = {
        "value": "granted",
        "expiry": "2026-12-02T16:00:00Z",
        "comment": "break-glass acme-prod: INC-42",
    }
    assert state.attributes["1"] == {KEY: expected}
    assert state.attributes["2"] == {KEY: expected}
    assert not state.attributes.get("3")  # bob's device
    assert not state.attributes.get("4")  # a tagged device is not alice's
    assert result.stdout.splitlines()[-1].startswith(
        f"DONE: {ALICE} elevated in acme-prod until 2026-12-02T16:00:00Z"
    )


def test_list_live_shows_active_elevations_and_end_removes_them(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    state = _state()
    with serve_fake_api(monkeypatch, state):
        assert run_cli(*ELEVATE, "--yes").exit_code == 0
        listed = run_cli("elevate", "--list", "--live")
        ended = run_cli("elevate", "--end", "acme", "prod", "--engineer", ALICE, "--yes")
        after = run_cli("elevate", "--list", "--live")
    assert listed.exit_code == 0, listed.stderr
    assert "acme prod: cluster-admin, alice@highflame.ai, at most 4h" in listed.stdout
    assert f"acme-prod: {ALICE} on alice-laptop until 2026-12-02T16:00:00Z" in listed.stdout
    assert ended.exit_code == 0, ended.stderr
    assert (
        ended.stdout.splitlines()[-1]
        == f"DONE: {ALICE} holds no elevation in acme-prod on any device"
    )
    assert all(KEY not in held for held in state.attributes.values())
    assert "acme-prod:" not in after.stdout.split("active elevations", 1)[1]


def test_end_without_yes_is_a_dry_run(monkeypatch: pytest.MonkeyPatch) -> None:
    state = _state()
    state.attributes["1"] = {KEY: {"value": "granted", "expiry": "2026-12-02T16:00:00Z"}}
    with serve_fake_api(monkeypatch, state):
        result = run_cli("elevate", "--end", "acme", "prod", "--engineer", ALICE)
    assert result.exit_code == 0
    assert KEY in state.attributes["1"]
    assert result.stdout.splitlines()[-1].startswith("DRY RUN")


def test_failed_device_is_named_and_exit_1_not_done(monkeypatch: pytest.MonkeyPatch) -> None:
    state = _state()
    with serve_fake_api(monkeypatch, state) as fake:
        fake.add_fault(Fault(path=r"/api/v2/device/n2/attributes/.*", method="POST", status=403))
        result = run_cli(*ELEVATE, "--yes")
    assert result.exit_code == 1
    assert "alice-desktop: NOT elevated" in result.stderr
    assert result.stderr.splitlines()[-1].startswith("NOT DONE: 1 device(s)")
    assert "DONE:" not in result.stdout


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (
            ("acme", "prod", "--engineer", "bob@highflame.ai", "--for", "1h", "--reason", "x"),
            "customers/acme.yaml: environments.prod.break_glass.engineers: bob@highflame.ai is "
            "not listed",
        ),
        (
            ("acme", "prod", "--engineer", ALICE, "--for", "5h", "--reason", "x"),
            "customers/acme.yaml: environments.prod.break_glass.max_duration: --for 5h is longer "
            "than 4h",
        ),
        (
            ("acme", "prod", "--engineer", ALICE, "--for", "soon", "--reason", "x"),
            "--for: not a duration",
        ),
        (
            ("acme", "dev", "--engineer", ALICE, "--for", "1h", "--reason", "x"),
            "customers/acme.yaml: environments.dev.break_glass: not configured",
        ),
        (
            ("acme", "prod", "--engineer", ALICE, "--for", "1h", "--reason", "  "),
            "--reason: must say why",
        ),
        (
            ("acme", "qa", "--engineer", ALICE, "--for", "1h", "--reason", "x"),
            "customers/acme.yaml: environments.qa: no such environment",
        ),
        (
            ("initech", "prod", "--engineer", ALICE, "--for", "1h", "--reason", "x"),
            "no customer 'initech'",
        ),
    ],
)
def test_refusals_name_file_and_field_and_need_no_credentials(
    monkeypatch: pytest.MonkeyPatch, args: tuple[str, ...], expected: str
) -> None:
    clear_tailscale_env(monkeypatch)
    result = run_cli("elevate", *args, "--yes")
    assert result.exit_code == 1
    assert expected in result.stderr
    assert "Traceback" not in result.stderr


def _copy_repo(tmp_path: Path, acme_yaml: str) -> tuple[Path, Path]:
    customers = tmp_path / "customers"
    customers.mkdir()
    (customers / "acme.yaml").write_text(acme_yaml)
    highflame = tmp_path / "highflame.yaml"
    highflame.write_text((REPO / "tailnet" / "highflame.yaml").read_text())
    return customers, highflame


@pytest.mark.parametrize(
    ("revoked_yaml", "expected"),
    [
        ("revoked: true\n", "customers/acme.yaml: revoked: customer acme is revoked"),
        ("", "environments.dev.revoked: dev is revoked"),
    ],
)
def test_revoked_customer_or_environment_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, revoked_yaml: str, expected: str
) -> None:
    clear_tailscale_env(monkeypatch)
    glass = (
        "    break_glass: {role: cluster-admin, engineers: [alice@highflame.ai], "
        "max_duration: 4h}\n"
    )
    if revoked_yaml:
        body = f"name: acme\nenvironments:\n  prod:\n{glass}{revoked_yaml}"
        env = "prod"
    else:  # the environment is revoked: it may not keep break_glass, so dev has none
        body = f"name: acme\nenvironments:\n  prod:\n{glass}  dev:\n    revoked: true\n"
        env = "dev"
    customers, highflame = _copy_repo(tmp_path, body)
    result = run_cli(
        "elevate",
        "acme",
        env,
        "--engineer",
        ALICE,
        "--for",
        "1h",
        "--reason",
        "x",
        "--yes",
        "--customers",
        str(customers),
        "--highflame",
        str(highflame),
    )
    assert result.exit_code == 1, result.stdout
    assert expected in result.stderr


def test_missing_credentials_exit_2(monkeypatch: pytest.MonkeyPatch) -> None:
    clear_tailscale_env(monkeypatch)
    result = run_cli(*ELEVATE)
    assert result.exit_code == 2
    assert "TAILSCALE_" in result.stderr
