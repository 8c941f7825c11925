"""Sticky revocation: the `tailnet` program, under mocks, against live policies left by a real
`hfaccess kill` (run against the loopback API seeded with the rendered policy)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pulumi
import pytest

from hfaccess.registry.stacks import TailnetStack
from hfaccess.registry.workspace import load_model
from hfaccess.render import render_stack
from hfaccess.revoke.sticky import cut_off_in
from tests.programs.stacks import copy_root
from tests.support.cli import run_cli, serve_fake_api
from tests.support.fake_tailscale import TailnetState
from tests.support.pulumi_mocks import DEFAULT_TAILNET_POLICY, run_stack

ACL = "tailscale:index/acl:Acl"
REINSTATED = (
    "reinstated:\n  date: 2026-12-02\n  approved_by: alice@highflame.ai\n"
    "  reason: SEC-42 contract renewed, access restored\n"
)


def fresh_root(path: Path) -> Path:
    path.mkdir(parents=True)
    return copy_root(path)


def rendered_policy(root: Path) -> dict[str, Any]:
    model = load_model(root / "customers", root / "tailnet/highflame.yaml")
    policy: dict[str, Any] = json.loads(render_stack(TailnetStack(), model)["policy.json"])
    return policy


def killed(root: Path, monkeypatch: pytest.MonkeyPatch, *args: str) -> dict[str, Any]:
    """The live policy after `hfaccess kill ARGS --yes` against a tailnet holding what the
    program declares for `root`; `root`'s registry gets the kill's record."""
    with serve_fake_api(monkeypatch, TailnetState(policy=rendered_policy(root))) as fake:
        result = run_cli("kill", *args, "--yes", "--customers", str(root / "customers"))
        assert result.exit_code == 0, result.stderr
        policy: dict[str, Any] = fake.snapshot()["policy"]
    return policy


def granted(run_policy: dict[str, Any], customer: str) -> bool:
    return any(f"tag:cust-{customer}" in g["dst"] for g in run_policy["grants"])


def test_a_checkout_without_the_kill_commit_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    killed_root = fresh_root(tmp_path / "killed")
    live = killed(killed_root, monkeypatch, "acme")
    assert cut_off_in(live, "acme")
    assert not cut_off_in(live, "globex")
    stale = fresh_root(tmp_path / "stale")  # e.g. a concurrent onboarding branch
    with pytest.raises(pulumi.RunError) as raised:
        run_stack("tailnet", root=stale, live_policy=live)
    message = str(raised.value)
    assert "acme was cut off by `hfaccess kill`" in message
    assert "customers/acme.yaml: revoked:" in message
    assert "globex" not in message


def test_the_checkout_with_the_kill_commit_declares_the_acl(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = copy_root(tmp_path)
    live = killed(root, monkeypatch, "acme")
    assert "revoked: true" in (root / "customers/acme.yaml").read_text()
    run = run_stack("tailnet", root=root, live_policy=live)
    document = json.loads(run.one(ACL).inputs["acl"])
    assert not granted(document, "acme")
    assert granted(document, "globex")


def test_a_reviewed_reinstatement_lifts_the_refusal(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    live = killed(fresh_root(tmp_path / "killed"), monkeypatch, "acme")
    root = fresh_root(tmp_path / "reinstated")
    path = root / "customers/acme.yaml"
    path.write_text(path.read_text() + REINSTATED)
    run = run_stack("tailnet", root=root, live_policy=live)
    assert granted(json.loads(run.one(ACL).inputs["acl"]), "acme")


def test_a_later_kill_removes_the_reinstatement(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = copy_root(tmp_path)
    path = root / "customers/acme.yaml"
    path.write_text(path.read_text() + REINSTATED)
    killed(root, monkeypatch, "acme")
    assert "reinstated" not in path.read_text()


def test_killing_the_last_active_environment_is_sticky_too(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = fresh_root(tmp_path / "killed")
    killed(root, monkeypatch, "acme", "--env", "dev")
    live = killed(root, monkeypatch, "acme", "--env", "prod")
    with pytest.raises(pulumi.RunError, match="acme was cut off"):
        run_stack("tailnet", root=fresh_root(tmp_path / "stale"), live_policy=live)


def test_an_environment_kill_that_keeps_the_grants_does_not_block(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    live = killed(fresh_root(tmp_path / "killed"), monkeypatch, "acme", "--env", "dev")
    run = run_stack("tailnet", root=fresh_root(tmp_path / "stale"), live_policy=live)
    assert granted(json.loads(run.one(ACL).inputs["acl"]), "acme")


@pytest.mark.parametrize("live", ["default", "normal"])
def test_normal_and_new_tailnets_declare_the_acl_as_before(tmp_path: Path, live: str) -> None:
    root = copy_root(tmp_path)
    policy = DEFAULT_TAILNET_POLICY if live == "default" else rendered_policy(root)
    run = run_stack("tailnet", root=root, live_policy=policy)
    assert (
        run.one(ACL).inputs["acl"]
        == render_stack(
            TailnetStack(), load_model(root / "customers", root / "tailnet/highflame.yaml")
        )["policy.json"]
    )


def test_an_unreadable_live_policy_declares_nothing(tmp_path: Path) -> None:
    # get_acl answers JSON that is not an object: nothing can be proven, nothing is declared.
    with pytest.raises(pulumi.RunError, match="live policy file could not be read"):
        run_stack("tailnet", root=copy_root(tmp_path), live_policy=[])  # type: ignore[arg-type]


def test_a_live_policy_with_a_duplicated_key_is_refused(tmp_path: Path) -> None:
    """The live policy is read by the one policy reader: a duplicated key, which plain JSON
    parsing would silently resolve, cannot be proven free of a kill and declares nothing."""
    text = '{"tagOwners": {}, "grants": [], "grants": []}'
    with pytest.raises(pulumi.RunError, match="could not be read as a policy"):
        run_stack("tailnet", root=copy_root(tmp_path), live_policy=text)
