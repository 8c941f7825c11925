"""Shared checks for whole-stack runs under mocks: components, providers, secrets."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

from tests.support.files import REPO
from tests.support.pulumi_mocks import MOCK_OAUTH_SECRET, ProgramRun, without_secrets

PROVIDER_TYPE = "pulumi:providers:tailscale"


def assert_inside_components_with_explicit_provider(run: ProgramRun) -> None:
    """Every resource sits in one of our components and names the explicit provider of its kind."""
    for resource in run.resources:
        if resource.typ.startswith("pulumi:providers:") or not resource.custom:
            continue
        assert resource.parent_types, f"{resource.name} is not inside a component"
        assert resource.parent_types[0].startswith("highflame:"), resource.urn
        assert resource.provider is not None, f"{resource.name} uses a default provider"
        if resource.typ.startswith("kubernetes:"):
            assert "pulumi:providers:kubernetes::" in resource.provider, resource.provider
        else:
            assert f"{PROVIDER_TYPE}::tailscale::" in resource.provider, resource.provider


def assert_secret_never_plain(run: ProgramRun) -> None:
    """The mock OAuth secret appears in no non-secret output, and in inputs only as a secret."""
    for key, value in run.outputs.items():
        if key not in run.secret_outputs:
            assert MOCK_OAUTH_SECRET not in json.dumps(value, default=str), key
    for resource in run.resources:
        plain = json.dumps(without_secrets(resource.inputs), default=str)
        assert MOCK_OAUTH_SECRET not in plain, resource.name


def copy_root(tmp_path: Path, customers: dict[str, Any] | None = None) -> Path:
    """A repository root in tmp_path: the project's files, customers optionally replaced."""
    import yaml

    for name in ("Pulumi.yaml", "Pulumi.tailnet.yaml"):
        shutil.copy(REPO / name, tmp_path / name)
    for stack_file in REPO.glob("Pulumi.*-*.yaml"):
        shutil.copy(stack_file, tmp_path / stack_file.name)
    shutil.copytree(REPO / "tailnet", tmp_path / "tailnet")
    if customers is None:
        shutil.copytree(REPO / "customers", tmp_path / "customers")
    else:
        (tmp_path / "customers").mkdir()
        for name, doc in customers.items():
            (tmp_path / "customers" / f"{name}.yaml").write_text(yaml.safe_dump(doc))
    return tmp_path
