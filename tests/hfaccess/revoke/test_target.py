"""Target resolution: errors come back as values, before the tailnet is read."""

from __future__ import annotations

from pathlib import Path

import pytest

from hfaccess.revoke.plan import KillTarget, plan_kill
from hfaccess.revoke.target import ResolvedTarget, TargetError, resolve_target, unknown_target
from tests.support.tailnet_seed import policy, write_registry


@pytest.fixture
def registry(tmp_path: Path) -> Path:
    return write_registry(tmp_path / "customers")


def test_environment_target_knows_which_others_stay_active(registry: Path) -> None:
    resolved = resolve_target("acme", "prod", registry, client_ids=("kX",))
    assert isinstance(resolved, ResolvedTarget)
    assert resolved.target == KillTarget(
        "acme", "prod", ("dev", "prod", "staging"), ("dev", "staging"), ("kX",)
    )
    assert not resolved.target.cuts_policy
    path = registry / "acme.yaml"
    path.write_text(path.read_text().replace("  staging:\n", "  staging:\n    revoked: true\n"))
    path.write_text(path.read_text().replace("  dev:\n", "  dev:\n    revoked: true\n"))
    last = resolve_target("acme", "prod", registry)
    assert isinstance(last, ResolvedTarget)
    assert last.target.still_active == ()
    assert last.target.cuts_policy


@pytest.mark.parametrize(
    ("customer", "env", "ids", "needle"),
    [
        ("Acme!", None, (), "is not a customer name"),
        ("acme", "Prod", (), "is not an environment name"),
        ("acme", None, ("kX",), "--client-id names one environment's credential"),
        ("operator-acme", None, (), "overlap those of acme"),
        ("initech", "prod", (), "--env needs a registered customer"),
        ("acme", "qa", (), "has no environment 'qa'"),
    ],
)
def test_refusals_are_values(
    registry: Path, customer: str, env: str | None, ids: tuple[str, ...], needle: str
) -> None:
    resolved = resolve_target(customer, env, registry, client_ids=ids)
    assert isinstance(resolved, TargetError)
    assert needle in resolved.message


def test_an_unregistered_name_must_be_on_the_tailnet(registry: Path) -> None:
    typo = resolve_target("acmee", None, registry)
    assert isinstance(typo, ResolvedTarget)
    assert not typo.registered
    plan = plan_kill(typo.target, policy(), [], [])
    error = unknown_target(typo, plan, read_ok=True)
    assert error is not None
    assert "unknown customer 'acmee'" in error.message
    assert unknown_target(typo, plan, read_ok=False) is not None
    known = resolve_target("acme", None, registry)
    assert isinstance(known, ResolvedTarget)
    assert unknown_target(known, plan_kill(known.target, None, [], []), read_ok=False) is None
