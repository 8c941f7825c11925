"""A standing cluster-admin without recording is allowed, but flagged in render and INSTALL.md;
with recording configured it is recorded instead."""

from __future__ import annotations

from pathlib import Path

import yaml

from tests.support.cli import run_cli


def _render(tmp_path: Path, recording: bool) -> tuple[int, str, str]:
    customers = tmp_path / "customers"
    customers.mkdir()
    doc = {"name": "initech", "environments": {"prod": {"cluster_role": "cluster-admin"}}}
    (customers / "initech.yaml").write_text(yaml.safe_dump(doc))
    highflame: dict[str, object] = {"sre": {"members": ["alice@highflame.ai"]}}
    if recording:
        highflame["recording"] = {"recorder_tag": "tag:highflame-recorder"}
    (tmp_path / "highflame.yaml").write_text(yaml.safe_dump(highflame))
    out = tmp_path / "build"
    result = run_cli(
        "render", "--all", "--out", str(out),
        "--customers", str(customers), "--highflame", str(tmp_path / "highflame.yaml"),
    )  # fmt: skip
    guide = (out / "initech-prod" / "INSTALL.md").read_text()
    return result.exit_code, result.stderr, guide


def test_flagged_without_recording(tmp_path: Path) -> None:
    code, stderr, guide = _render(tmp_path, recording=False)
    assert code == 0
    assert "WARNING: initech-prod: standing cluster-admin WITHOUT session recording" in stderr
    assert "**NOT recorded:**" in guide


def test_recorded_with_recording(tmp_path: Path) -> None:
    code, stderr, guide = _render(tmp_path, recording=True)
    assert code == 0
    assert "WITHOUT session recording" not in stderr
    assert "**Recorded:**" in guide
    assert "`tag:highflame-recorder`, port 80" in guide
    policy = (tmp_path / "build" / "tailnet" / "policy.json").read_text()
    assert '"enforceRecorder": true' in policy


def test_diff_flags_it(tmp_path: Path) -> None:
    _render(tmp_path, recording=False)
    result = run_cli("diff", str(tmp_path / "base"), str(tmp_path / "build"))
    assert result.exit_code == 0, result.stderr
    assert "> WARNING: initech-prod: standing cluster-admin WITHOUT session recording" in (
        result.stdout
    )


def test_diff_does_not_flag_recorded_admin(tmp_path: Path) -> None:
    _render(tmp_path, recording=True)
    result = run_cli("diff", str(tmp_path / "base"), str(tmp_path / "build"))
    assert "WITHOUT session recording" not in result.stdout
