"""checkov's Kubernetes checks over every manifest the project renders itself, in one run.

The samples' RBAC, NetworkPolicy, ProxyClass and exposures, made-up environments for the shapes
the samples lack, and the impersonation ClusterRole as the post-renderer narrows it. A control
directory with a known-bad manifest proves checkov really ran and really checks.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from hfaccess.install.artifacts import environment_artifacts
from hfaccess.install.impersonation import ROLE_NAME, impersonation_rules
from hfaccess.install.scan import (
    OWN_ALLOWLIST,
    Finding,
    run_checkov,
    scanner_bin,
    unexpected,
)
from tests.support.files import REPO
from tests.support.samples import make_ref, sample_model, sample_refs

MANIFESTS = ("rbac.yaml", "exposures.yaml", "hardening.yaml")
SHAPES: dict[str, dict[str, Any]] = {
    "view": {"cluster_role": "view"},
    "no-netpol": {"network_policy": False, "log_upload": True},
    "exposed": {
        "exposures": {
            "web": {"namespace": "web", "service": "web", "port": 8080, "via": "service"},
            "ui": {"namespace": "ui", "service": "ui", "port": 80},
        }
    },
}
CONTROL = {
    "apiVersion": "v1",
    "kind": "Pod",
    "metadata": {"name": "control", "namespace": "default"},
    "spec": {
        "containers": [{"name": "c", "image": "nginx", "securityContext": {"privileged": True}}]
    },
}


def _write(directory: Path, name: str, files: dict[str, str]) -> int:
    written = 0
    for manifest in MANIFESTS:
        if manifest in files:
            (directory / f"{name}-{manifest}").write_text(files[manifest], encoding="utf-8")
            written += 1
    return written


@pytest.fixture(scope="module")
def scan(tmp_path_factory: pytest.TempPathFactory) -> tuple[list[Finding], int, int]:
    root = tmp_path_factory.mktemp("checkov")
    own = root / "own"
    own.mkdir()
    model = sample_model()
    written = sum(
        _write(own, stack, environment_artifacts(ref, model))
        for stack, ref in sample_refs().items()
        if ref.active
    )
    written += sum(
        _write(own, name, environment_artifacts(make_ref(env), model))
        for name, env in SHAPES.items()
    )
    role = {
        "apiVersion": "rbac.authorization.k8s.io/v1",
        "kind": "ClusterRole",
        "metadata": {"name": ROLE_NAME},
        "rules": impersonation_rules(["highflame-sre"]),
    }
    (own / "impersonation-role.yaml").write_text(yaml.safe_dump(role), encoding="utf-8")
    control = root / "control"
    control.mkdir()
    (control / "control.yaml").write_text(yaml.safe_dump(CONTROL), encoding="utf-8")
    findings, passed = run_checkov(root, scanner_bin(REPO) / "checkov")
    return findings, passed, written


def test_checkov_really_ran(scan: tuple[list[Finding], int, int]) -> None:
    findings, passed, written = scan
    assert written >= 10
    assert passed > 20
    control = [f for f in findings if "control" in f.file]
    assert {f.check_id for f in control} >= {"CKV_K8S_16"}  # privileged container


def test_own_manifests_pass_every_kubernetes_check(scan: tuple[list[Finding], int, int]) -> None:
    findings, _, _ = scan
    own = [f for f in findings if "control" not in f.file]
    assert unexpected(own, OWN_ALLOWLIST) == []
