"""Snapshots of every rendered artifact of the samples, for reviewers (tests/.../__snapshots__).

acme-prod: managed, highflame-sre role; acme-dev: view + federated; globex-prod: handoff with
Studio exposed through a Tailscale Ingress. Update with `pytest --snapshot-update`.
"""

from __future__ import annotations

import pytest
from syrupy.assertion import SnapshotAssertion

from hfaccess.install.artifacts import environment_artifacts
from tests.support.samples import sample_model, sample_refs
from tests.support.snapshots import TextSnapshot

CASES = [
    (stack, name)
    for stack, names in {
        "acme-prod": ["oauth-client.json", "helm-values.yaml", "rbac.yaml", "INSTALL.md"],
        "acme-dev": ["oauth-client.json", "helm-values.yaml", "rbac.yaml", "INSTALL.md"],
        "globex-prod": [
            "oauth-client.json",
            "helm-values.yaml",
            "rbac.yaml",
            "exposures.yaml",
            "INSTALL.md",
        ],
    }.items()
    for name in names
]


@pytest.mark.parametrize(("stack", "name"), CASES)
def test_artifact(stack: str, name: str, snapshot: SnapshotAssertion) -> None:
    files = environment_artifacts(sample_refs()[stack], sample_model())
    assert files[name] == snapshot(extension_class=TextSnapshot)
