"""The pack refuses an elevated binding wherever the registry gives no break_glass."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from hfaccess.install.rbac import elevated_binding_manifest
from hfaccess.policy.elevation import ELEVATED_GROUP_PREFIX, elevated_group
from hfaccess.registry.models import ClusterRole
from highflame_policies import limits
from highflame_policies.elevation import (
    CUSTOMERS_DIR_VARIABLE,
    customers_dir,
    validate_elevated_binding,
)
from tests.guardrails.support import resource_args, violations
from tests.support.files import REPO

BINDING = "kubernetes:rbac.authorization.k8s.io/v1:ClusterRoleBinding"
GLASS = (
    "    break_glass: {role: cluster-admin, engineers: [alice@highflame.ai], max_duration: 4h}\n"
)


def _found(props: dict[str, Any], stack: str) -> list[str]:
    args = resource_args(BINDING, props, stack=stack, name=f"{stack}-highflame-elevated")
    return [message for message, _ in violations(validate_elevated_binding, args)]


def _props(group: str, role: str = "cluster-admin") -> dict[str, Any]:
    return elevated_binding_manifest(group, ClusterRole(role))


@pytest.fixture
def registry(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    (tmp_path / "acme.yaml").write_text(
        f"name: acme\nenvironments:\n  prod:\n{GLASS}  dev: {{}}\n  old:\n    revoked: true\n"
    )
    monkeypatch.setenv(CUSTOMERS_DIR_VARIABLE, str(tmp_path))
    return tmp_path


def test_the_prefix_is_the_cores() -> None:
    assert limits.ELEVATED_GROUP_PREFIX == ELEVATED_GROUP_PREFIX


@pytest.mark.usefixtures("registry")
def test_binding_of_its_own_group_with_break_glass_passes() -> None:
    assert _found(_props(elevated_group("acme", "prod")), "acme-prod") == []


@pytest.mark.usefixtures("registry")
@pytest.mark.parametrize(
    ("group", "role", "stack", "expected"),
    [
        ("highflame-elevated-acme-dev", "cluster-admin", "acme-dev", "has no break_glass"),
        ("highflame-elevated-acme-old", "cluster-admin", "acme-old", "is revoked"),
        ("highflame-elevated-acme-prod", "cluster-admin", "acme-dev", "only its own"),
        ("highflame-elevated-acme-prod", "view", "acme-prod", "break_glass.role is"),
        ("highflame-elevated-initech-prod", "cluster-admin", "initech-prod", "cannot read"),
        ("highflame-elevated-acme-prod", "cluster-admin", "tailnet", "only in <customer>-<env>"),
    ],
)
def test_elevated_binding_without_break_glass_is_refused(
    group: str, role: str, stack: str, expected: str
) -> None:
    found = _found(_props(group, role), stack)
    assert len(found) == 1
    assert expected in found[0]


@pytest.mark.usefixtures("registry")
def test_other_bindings_are_not_this_policys_concern() -> None:
    standing = {
        "subjects": [{"kind": "Group", "name": "highflame-sre"}],
        "roleRef": {"name": "highflame-sre"},
    }
    assert _found(standing, "acme-dev") == []


def test_default_registry_is_the_projects(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(CUSTOMERS_DIR_VARIABLE, raising=False)
    assert customers_dir() == REPO / "customers"
    assert _found(_props(elevated_group("acme", "prod")), "acme-prod") == []
    assert "has no break_glass" in _found(_props(elevated_group("acme", "dev")), "acme-dev")[0]
