"""scripts/verify-chart.sh end to end, offline: a fake `helm` renders the chart MODEL.

This proves the script's plumbing (render, pinned helm command, overrides, checker). Whether the
real chart agrees is what the script itself answers where helm and the network exist.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.support.files import REPO


@pytest.fixture
def fake_helm(tmp_path: Path) -> Path:
    helm = tmp_path / "helm"
    helm.write_text(
        f'#!/bin/sh\nexec "{sys.executable}" "{REPO / "tests/support/fake_helm.py"}" "$@"\n',
        encoding="utf-8",
    )
    helm.chmod(0o755)
    return helm


def run_script(helm: Path, *stacks: str, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(REPO / "scripts" / "verify-chart.sh"), *stacks],
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, "HELM": str(helm), "PYTHON": sys.executable, **env},
    )


def test_every_sample_stack_passes(fake_helm: Path) -> None:
    result = run_script(fake_helm)
    assert result.returncode == 0, result.stderr
    for stack in ("acme-dev", "acme-prod", "globex-prod"):
        assert f"{stack}: ok" in result.stdout


def test_a_wrong_render_fails_the_script(fake_helm: Path) -> None:
    result = run_script(fake_helm, "acme-prod", FAKE_HELM_BREAK="proxy-tags")
    assert result.returncode == 1
    assert "acme-prod: env PROXY_TAGS=['tag:k8s-acme'], expected 'tag:k8s-acme'" in result.stderr


def test_missing_helm_is_reported(tmp_path: Path) -> None:
    result = run_script(tmp_path / "no-helm")
    assert result.returncode == 2
    assert "not found" in result.stderr
