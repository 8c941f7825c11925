"""`hfaccess kill` end to end against the fake Tailscale API: full-state comparisons."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.support.cli import run_cli, serve_fake_api
from tests.support.fake_tailscale import CLIENT_SECRET, FakeTailscale, Fault, TailnetState
from tests.support.tailnet_seed import (
    ACME_DEVICE_IDS,
    ACME_YAML,
    devices,
    keys,
    policy,
    policy_after_acme_kill,
    seeded_state,
    write_registry,
)

ACME_KEYS = {"kAcmeProd", "kAcmeStaging", "kAcmeDev", "kAcmeAuth"}


@pytest.fixture
def fake(monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeTailscale]:
    with serve_fake_api(monkeypatch, seeded_state()) as server:
        yield server


@pytest.fixture
def registry(tmp_path: Path) -> Path:
    return write_registry(tmp_path / "customers")


def kill(registry: Path, *args: str) -> Any:
    return run_cli("kill", *args, "--customers", str(registry))


def expected_after_acme_kill() -> dict[str, Any]:
    return {
        "policy": policy_after_acme_kill(),
        "devices": {k: v for k, v in devices().items() if k not in ACME_DEVICE_IDS},
        "keys": {k: v for k, v in keys().items() if k not in ACME_KEYS},
    }


def test_dry_run_prints_the_plan_and_changes_nothing(fake: FakeTailscale, registry: Path) -> None:
    before = fake.snapshot()
    result = kill(registry, "acme")
    assert result.exit_code == 0, result.stderr
    assert fake.snapshot() == before
    assert (registry / "acme.yaml").read_text() == ACME_YAML
    assert "1. policy: 5 change(s)" in result.stdout
    assert "2. devices: 10" in result.stdout
    assert "3. credentials: 4" in result.stdout
    assert "DRY RUN: nothing was changed" in result.stdout
    assert {r.method for r in fake.requests} == {"GET", "POST"}
    assert [r.path for r in fake.requests if r.method == "POST"] == ["/api/v2/oauth/token"]


def test_kill_removes_exactly_acme(fake: FakeTailscale, registry: Path) -> None:
    result = kill(registry, "acme", "--yes")
    assert result.exit_code == 0, result.stderr
    assert fake.snapshot() == expected_after_acme_kill()
    assert (registry / "acme.yaml").read_text() == ACME_YAML.replace(
        "revoked: false", "revoked: true"
    )
    last = result.stdout.strip().splitlines()[-1]
    assert last == (
        "DONE: customer acme (every environment): no grant reaches its tags, and no device or "
        "credential of it is left (verified by re-reading the tailnet; 14 deleted, 0 already "
        "gone)."
    )
    # Access is cut first: the policy write precedes every delete, keys come after devices.
    order = [
        r.path for r in fake.requests if r.method in ("POST", "DELETE") and "token" not in r.path
    ]
    assert order[0] == "/api/v2/tailnet/-/acl"
    first_key = next(i for i, p in enumerate(order) if "/keys/" in p)
    assert all("/device/" in p for p in order[1:first_key])
    assert CLIENT_SECRET not in result.stdout + result.stderr


def test_second_run_changes_nothing(fake: FakeTailscale, registry: Path) -> None:
    assert kill(registry, "acme", "--yes").exit_code == 0
    state = fake.snapshot()
    recorded = (registry / "acme.yaml").read_text()
    seen = len(fake.requests)
    again = kill(registry, "acme", "--yes")
    assert again.exit_code == 0, again.stderr
    assert fake.snapshot() == state
    assert (registry / "acme.yaml").read_text() == recorded
    writes = [r for r in fake.requests[seen:] if r.method in ("POST", "DELETE")]
    assert [r.path for r in writes] == ["/api/v2/oauth/token"]
    assert "(verified by re-reading the tailnet; 0 deleted, 0 already gone)." in again.stdout


def test_same_result_through_429s_500s_resets_and_a_concurrent_edit(
    fake: FakeTailscale, registry: Path
) -> None:
    def concurrent(policy_doc: dict[str, Any]) -> None:
        policy_doc["groups"]["group:oncall"] = ["carol@highflame.ai"]

    fake.add_fault(Fault(path=".*/devices", method="GET", status=429, retry_after="1", times=2))
    fake.add_fault(Fault(path="/api/v2/device/1001", status=500, times=3))
    fake.add_fault(Fault(path="/api/v2/device/1007", reset=True))
    fake.add_fault(Fault(path=".*/keys/kAcmeProd", method="DELETE", status=503, times=2))
    fake.add_fault(Fault(path=".*/keys/kAcmeDev", method="GET", status=502))
    fake.add_fault(Fault(path=".*/acl", method="POST", concurrent_edit=concurrent))
    result = kill(registry, "acme", "--yes")
    assert result.exit_code == 0, result.stderr
    expected = expected_after_acme_kill()
    expected["policy"]["groups"]["group:oncall"] = ["carol@highflame.ai"]
    assert fake.snapshot() == expected
    assert "re-read 1x after concurrent edits" in result.stdout
    assert [r.status for r in fake.calls("POST", ".*/acl")] == [412, 200]


def test_delete_that_keeps_failing_exits_1_naming_what_remains(
    fake: FakeTailscale, registry: Path
) -> None:
    fake.add_fault(Fault(path="/api/v2/device/1001", status=500, times=-1))
    result = kill(registry, "acme", "--yes")
    assert result.exit_code == 1
    assert "INCOMPLETE: customer acme (every environment) is not fully revoked" in result.stderr
    assert (
        "  - device acme-prod-kube (id 1001, tag:cust-acme, environment prod): "
        "DELETE /api/v2/device/1001: HTTP 500: injected fault (gave up after 6 attempts)"
    ) in result.stderr
    state = fake.snapshot()
    assert set(state["devices"]) - set(devices()) == set()
    assert [d for d in state["devices"] if d in ACME_DEVICE_IDS] == ["1001"]
    assert ACME_KEYS.isdisjoint(state["keys"])
    assert state["policy"] == policy_after_acme_kill()
    # The revocation is recorded anyway, so the next `pulumi up` converges to it.
    assert "revoked: true" in (registry / "acme.yaml").read_text()
    fake.faults.clear()
    retry = kill(registry, "acme", "--yes")
    assert retry.exit_code == 0, retry.stderr
    assert fake.snapshot() == expected_after_acme_kill()


def test_policy_write_failing_still_deletes_devices_and_keys(
    fake: FakeTailscale, registry: Path
) -> None:
    fake.add_fault(Fault(path=".*/acl", method="POST", status=500, times=-1))
    result = kill(registry, "acme", "--yes")
    assert result.exit_code == 1
    assert "  - policy: grants reaching tag:k8s-operator-acme, tag:cust-acme, tag:k8s-acme: " in (
        result.stderr
    )
    state = fake.snapshot()
    assert state["policy"] == policy()
    assert set(ACME_DEVICE_IDS).isdisjoint(state["devices"])
    assert ACME_KEYS.isdisjoint(state["keys"])


def test_device_that_reregisters_meanwhile_is_swept(fake: FakeTailscale, registry: Path) -> None:
    def rejoin(state: TailnetState) -> None:
        device = dict(devices()["1001"], id="1011", nodeId="n1011", name="acme-prod-kube-1.x")
        state.devices["1011"] = device

    fake.add_fault(Fault(path=".*/keys/kAcmeProd", method="DELETE", on_request=rejoin))
    result = kill(registry, "acme", "--yes")
    assert result.exit_code == 0, result.stderr
    assert "re-check 1: 1 device(s)/key(s) back, removing" in result.stdout
    assert fake.snapshot() == expected_after_acme_kill()


def test_environment_kill_names_what_no_evidence_ties_to_an_environment(
    fake: FakeTailscale, registry: Path
) -> None:
    result = kill(registry, "acme", "--env", "prod", "--yes")
    # Today's main exits 0 here, although a proxy and an auth key of acme may be prod's.
    assert result.exit_code == 1
    state = fake.snapshot()
    assert state["policy"] == policy()
    assert set(devices()) - set(state["devices"]) == {"1001", "1002", "1003", "1004"}
    assert set(keys()) - set(state["keys"]) == {"kAcmeProd"}
    text = (registry / "acme.yaml").read_text()
    assert "# production\n    revoked: true\n" in text
    assert "\nrevoked: false\n" in text
    assert "policy left unchanged" in result.stdout
    assert "  - device monitoring-grafana (id 1010, tag:k8s-acme): carries acme's tags" in (
        result.stderr
    )
    assert "  - auth key kAcmeAuth (tag:cust-acme): belongs to acme but no evidence" in (
        result.stderr
    )
    assert result.stderr.strip().splitlines()[-1] == (
        "INCOMPLETE: 2 item(s) of environment prod of customer acme remain (listed above)."
    )
    assert "DONE" not in result.stdout + result.stderr


def without_unattributable() -> TailnetState:
    state = seeded_state()
    del state.devices["1010"]
    del state.keys["kAcmeAuth"]
    return state


def test_environment_kill_done_says_the_shared_grant_stays(
    registry: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with serve_fake_api(monkeypatch, without_unattributable()) as fake:
        result = kill(registry, "acme", "--env", "prod", "--yes")
        assert result.exit_code == 0, result.stderr
        assert fake.snapshot()["policy"] == policy()
    assert result.stdout.strip().splitlines()[-1] == (
        "DONE: environment prod of customer acme: no device or credential of it is left; the "
        "policy still grants acme's tags for its active environments (dev, staging), which "
        "this environment no longer has a device or credential to use (verified by re-reading "
        "the tailnet; 5 deleted, 0 already gone)."
    )
    assert "no grant" not in result.stdout


def test_credential_with_another_description_is_named_unless_its_client_id_is_given(
    registry: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    state = without_unattributable()
    state.keys["kAcmeProd"]["description"] = "acme prod operator rotated"
    with serve_fake_api(monkeypatch, state) as fake:
        result = kill(registry, "acme", "--env", "prod", "--yes")
        # Today's main: only a warning, exit 0, the credential keeps working.
        assert result.exit_code == 1
        assert '  - OAuth client kAcmeProd "acme prod operator rotated"' in result.stderr
        assert "kAcmeProd" in fake.snapshot()["keys"]
        again = kill(registry, "acme", "--env", "prod", "--client-id", "kAcmeProd", "--yes")
        assert again.exit_code == 0, again.stderr
        assert "kAcmeProd" not in fake.snapshot()["keys"]


def test_customer_created_proxy_in_an_environment_kill_is_named(
    registry: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    state = without_unattributable()
    proxy = dict(
        devices()["1002"],
        id="1020",
        nodeId="n1020",
        hostname="ts-studio-x7k2p",
        name="ts-studio-x7k2p.tail1234.ts.net",
    )
    state.devices["1020"] = proxy
    with serve_fake_api(monkeypatch, state) as fake:
        result = kill(registry, "acme", "--env", "prod", "--yes")
        assert result.exit_code == 1
        assert "  - device ts-studio-x7k2p (id 1020, tag:k8s-acme): carries acme's tags" in (
            result.stderr
        )
        assert "1020" in fake.snapshot()["devices"]


def test_device_with_acme_and_foreign_tags_keeps_the_kill_incomplete(
    registry: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    state = seeded_state()
    state.devices["1030"] = dict(
        devices()["1001"], id="1030", nodeId="n1030", tags=["tag:cust-acme", "tag:ops"]
    )
    with serve_fake_api(monkeypatch, state) as fake:
        result = kill(registry, "acme", "--yes")
        assert result.exit_code == 1
        assert "(id 1030, tag:cust-acme, tag:ops): carries acme's tags next to others" in (
            result.stderr
        )
        assert "1030" in fake.snapshot()["devices"]
        assert fake.snapshot()["policy"] == policy_after_acme_kill()


def test_typo_kills_nothing_and_exits_2(fake: FakeTailscale, registry: Path) -> None:
    result = kill(registry, "acmee", "--yes")
    assert result.exit_code == 2
    assert "unknown customer 'acmee': not in the registry and nothing on the tailnet" in (
        result.stderr
    )
    assert "DONE" not in result.stdout + result.stderr
    assert fake.snapshot()["devices"] == devices()
    writes = [r.path for r in fake.requests if r.method in ("POST", "DELETE")]
    assert writes == ["/api/v2/oauth/token"]
    assert not (registry / "acmee.yaml").exists()


def test_unregistered_name_with_an_unreadable_tailnet_exits_2(
    fake: FakeTailscale, registry: Path
) -> None:
    fake.add_fault(Fault(path=".*/devices", status=500, times=-1))
    result = kill(registry, "acmee", "--yes")
    assert result.exit_code == 2
    assert "could not be read to find it: nothing changed" in result.stderr


def test_a_grant_restored_during_the_kill_is_cut_again(fake: FakeTailscale, registry: Path) -> None:
    def restore(state: TailnetState) -> None:  # e.g. a `pulumi up` from an old checkout
        state.policy = policy()

    fake.add_fault(Fault(path=".*/keys/kAcmeProd", method="DELETE", on_request=restore))
    result = kill(registry, "acme", "--yes")
    assert result.exit_code == 0, result.stderr
    assert "re-check 1: a grant reaching the target back, removing" in result.stdout
    assert fake.snapshot() == expected_after_acme_kill()


def test_a_tailnet_that_never_settles_is_reported_not_done(
    fake: FakeTailscale, registry: Path
) -> None:
    counter = iter(range(5000, 6000))

    def rejoin(state: TailnetState) -> None:
        new = str(next(counter))
        state.devices[new] = dict(devices()["1001"], id=new, nodeId=f"n{new}")

    fake.add_fault(Fault(path="/api/v2/device/.*", method="DELETE", times=-1, on_request=rejoin))
    result = kill(registry, "acme", "--yes")
    assert result.exit_code == 1
    assert "the tailnet did not settle: items kept re-appearing after 3 sweeps" in result.stderr
    assert "DONE" not in result.stdout + result.stderr


def test_last_active_environment_kill_cuts_the_grants(
    registry: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with serve_fake_api(monkeypatch, without_unattributable()) as fake:
        assert kill(registry, "acme", "--env", "staging", "--yes").exit_code == 0
        assert kill(registry, "acme", "--env", "dev", "--yes").exit_code == 0
        assert fake.snapshot()["policy"] == policy()
        result = kill(registry, "acme", "--env", "prod", "--yes")
        assert result.exit_code == 0, result.stderr
        assert "prod is acme's last active environment" in result.stdout
        assert fake.snapshot()["policy"] == policy_after_acme_kill()
        assert "DONE: environment prod of customer acme: no grant reaches its tags" in (
            result.stdout
        )


def test_customer_without_a_file_is_killed_by_tags(fake: FakeTailscale, registry: Path) -> None:
    result = kill(registry, "acmecorp", "--yes")
    assert result.exit_code == 0, result.stderr
    assert "acmecorp.yaml does not exist: nothing will be recorded" in result.stderr
    assert set(devices()) - set(fake.snapshot()["devices"]) == {"4002"}
    assert not (registry / "acmecorp.yaml").exists()


def test_broken_registry_file_does_not_stop_the_kill(fake: FakeTailscale, registry: Path) -> None:
    (registry / "acme.yaml").write_text("name: acme\nenvironments: [\n")
    (registry / "globex.yaml").write_text("garbage: true\n")
    result = kill(registry, "acme", "--yes")
    assert result.exit_code == 1
    assert "acme.yaml is invalid; killing by tags anyway" in result.stderr
    assert "  - registry: the revocation is not recorded: " in result.stderr
    snap = fake.snapshot()
    assert snap["policy"] == policy_after_acme_kill()
    assert set(ACME_DEVICE_IDS).isdisjoint(snap["devices"])


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (("Acme!",), "'Acme!' is not a customer name"),
        (("acme", "--env", "qa"), "acme has no environment 'qa' (known: dev, prod, staging)"),
        (("acme", "--env", "Prod"), "--env 'Prod' is not an environment name"),
        (("initech", "--env", "prod"), "--env needs a registered customer"),
        (("operator-acme",), "operator-acme's tags overlap those of acme"),
    ],
)
def test_bad_targets_exit_2_before_any_call(
    fake: FakeTailscale, registry: Path, args: tuple[str, ...], needle: str
) -> None:
    result = kill(registry, *args, "--yes")
    assert result.exit_code == 2
    assert needle in result.stderr
    assert fake.requests == []


def test_missing_credentials_exit_2(
    fake: FakeTailscale, registry: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("TAILSCALE_OAUTH_CLIENT_SECRET")
    result = kill(registry, "acme", "--yes")
    assert result.exit_code == 2
    assert "TAILSCALE_OAUTH_CLIENT_SECRET is not set" in result.stderr
    assert "Traceback" not in result.stderr
    assert fake.requests == []


def test_unreadable_tailnet_in_a_dry_run_exits_1(fake: FakeTailscale, registry: Path) -> None:
    fake.add_fault(Fault(path=".*/devices", status=500, times=-1))
    result = kill(registry, "acme")
    assert result.exit_code == 1
    assert "error: cannot list devices: GET /api/v2/tailnet/-/devices: HTTP 500" in result.stderr
