"""scripts/verify-chart.sh end to end, offline: a fake `helm` renders the chart MODEL.

This proves the script's plumbing (render, pinned helm command, overrides, checker). Whether the
real chart agrees is what the script itself answers where helm and the network exist.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tarfile
from pathlib import Path

import pytest
import yaml

from hfaccess.install import chart
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


def run_script(
    helm: Path, *stacks: str, cwd: Path | None = None, **env: str
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(REPO / "scripts" / "verify-chart.sh"), *stacks],
        capture_output=True,
        text=True,
        check=False,
        cwd=cwd,
        env={
            **os.environ,
            "HELM": str(helm),
            "PYTHON": sys.executable,
            # The fake helm runs no post-renderer: the script applies the same patch in Python.
            "VERIFY_CHART_POST_RENDERER": "python",
            # checkov runs once, in test_every_sample_stack_passes (it is slow to start).
            "VERIFY_CHART_SCAN": "0",
            **env,
        },
    )


def chart_metadata(version: str = chart.CHART_VERSION) -> str:
    """A Chart.yaml naming the chart (only the fields the pin check reads, and apiVersion)."""
    return yaml.safe_dump({"apiVersion": "v2", "name": chart.CHART_NAME, "version": version})


def local_chart(directory: Path, version: str = chart.CHART_VERSION) -> Path:
    directory.mkdir(parents=True)
    (directory / "Chart.yaml").write_text(chart_metadata(version), encoding="utf-8")
    return directory


def packaged_chart(path: Path, metadata: str | None) -> Path:
    """A .tgz laid out as `helm package` does: <chart>/Chart.yaml (omitted when None)."""
    source = path.parent / "src"
    (source / chart.CHART_NAME).mkdir(parents=True)
    if metadata is not None:
        (source / chart.CHART_NAME / "Chart.yaml").write_text(metadata, encoding="utf-8")
    (source / chart.CHART_NAME / "values.yaml").write_text("{}\n", encoding="utf-8")
    with tarfile.open(path, "w:gz") as archive:
        archive.add(source / chart.CHART_NAME, arcname=chart.CHART_NAME)
    return path


def helm_calls(log: Path) -> list[str]:
    return log.read_text(encoding="utf-8").splitlines() if log.exists() else []


def test_every_sample_stack_passes(fake_helm: Path) -> None:
    result = run_script(fake_helm, VERIFY_CHART_SCAN="1")
    assert result.returncode == 0, result.stderr
    for stack in ("acme-dev", "acme-prod", "globex-prod"):
        assert f"{stack}: ok" in result.stdout
    assert "post-renderer patch applied in Python" in result.stdout
    assert "checkov: " in result.stdout  # the scan ran over the model's templated installs


def test_a_wrong_render_fails_the_script(fake_helm: Path) -> None:
    result = run_script(fake_helm, "acme-prod", FAKE_HELM_BREAK="proxy-tags")
    assert result.returncode == 1
    assert "acme-prod: env PROXY_TAGS=['tag:k8s-acme'], expected 'tag:k8s-acme'" in result.stderr


def test_missing_helm_is_reported(tmp_path: Path) -> None:
    result = run_script(tmp_path / "no-helm")
    assert result.returncode == 2
    assert "not found" in result.stderr


def test_a_local_chart_directory_replaces_the_repository(fake_helm: Path, tmp_path: Path) -> None:
    directory = local_chart(tmp_path / "mirror" / chart.CHART_NAME)
    log = tmp_path / "helm.log"
    result = run_script(fake_helm, "--chart", str(directory), FAKE_HELM_LOG=str(log))
    assert result.returncode == 0, result.stderr
    for stack in ("acme-dev", "acme-prod", "globex-prod"):
        assert f"{stack}: ok: chart {chart.CHART_VERSION} ({directory})" in result.stdout
    calls = helm_calls(log)
    assert len(calls) == 3
    assert all(
        call.split()[:3] == ["template", chart.RELEASE_NAME, str(directory)] for call in calls
    )
    assert not any("--repo" in call for call in calls)


def test_a_relative_chart_path_is_the_callers(fake_helm: Path, tmp_path: Path) -> None:
    directory = local_chart(tmp_path / "charts" / chart.CHART_NAME)
    log = tmp_path / "helm.log"
    result = run_script(
        fake_helm,
        f"--chart=charts/{chart.CHART_NAME}",
        "acme-prod",
        cwd=tmp_path,
        FAKE_HELM_LOG=str(log),
    )
    assert result.returncode == 0, result.stderr
    assert [call.split()[2] for call in helm_calls(log)] == [str(directory)]


def test_a_packaged_chart_is_accepted(fake_helm: Path, tmp_path: Path) -> None:
    archive = packaged_chart(
        tmp_path / f"{chart.CHART_NAME}-{chart.CHART_VERSION}.tgz", chart_metadata()
    )
    result = run_script(fake_helm, "--chart", str(archive), "acme-dev")
    assert result.returncode == 0, result.stderr
    assert f"acme-dev: ok: chart {chart.CHART_VERSION} ({archive})" in result.stdout


def test_a_local_chart_of_another_version_is_refused(fake_helm: Path, tmp_path: Path) -> None:
    directory = local_chart(tmp_path / chart.CHART_NAME, version="1.94.2")
    log = tmp_path / "helm.log"
    result = run_script(fake_helm, "--chart", str(directory), FAKE_HELM_LOG=str(log))
    assert result.returncode == 2
    assert (
        f"is chart {chart.CHART_NAME} 1.94.2, not the pinned {chart.CHART_NAME} {chart.CHART_VERSION}"
        in result.stderr
    )
    assert helm_calls(log) == []  # nothing was templated, so nothing was claimed


def not_a_chart(kind: str, base: Path) -> Path:
    if kind == "no Chart.yaml":
        (base / "empty").mkdir()
        return base / "empty"
    if kind == "archive without Chart.yaml":
        return packaged_chart(base / "chart.tgz", None)
    if kind == "not an archive":
        (base / "plain").write_text("not a chart", encoding="utf-8")
        return base / "plain"
    return base / "missing"


@pytest.mark.parametrize(
    "kind", ["missing path", "no Chart.yaml", "archive without Chart.yaml", "not an archive"]
)
def test_a_path_that_is_not_a_chart_is_refused(fake_helm: Path, tmp_path: Path, kind: str) -> None:
    result = run_script(fake_helm, "--chart", str(not_a_chart(kind, tmp_path)), "acme-prod")
    assert result.returncode == 2
    assert "verify-chart: " in result.stderr
    assert "not a readable chart" in result.stderr or "no <chart>/Chart.yaml" in result.stderr
    assert "Traceback" not in result.stderr
    assert "acme-prod: ok" not in result.stdout
