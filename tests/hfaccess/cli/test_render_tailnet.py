"""`hfaccess render --stack tailnet`: policy.json, byte-identical to what the stack applies."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from hfaccess.policy.builder import build_policy
from hfaccess.policy.serialize import policy_text
from hfaccess.registry.workspace import load_model
from tests.support.cli import run_cli
from tests.support.files import REPO


def test_render_writes_exactly_the_canonical_policy(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(REPO)
    result = run_cli("render", "--stack", "tailnet", "--out", str(tmp_path))
    assert result.exit_code == 0, result.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["policy.json", "tailnet-settings.json"]
    assert (tmp_path / "policy.json").read_bytes() == policy_text(
        build_policy(load_model())
    ).encode("utf-8")


def test_refused_base_policy_writes_nothing(tmp_path: Path) -> None:
    highflame = yaml.safe_load((REPO / "tailnet/highflame.yaml").read_text())
    highflame["base_policy"]["grants"] = [
        {"src": ["group:ops"], "dst": ["tag:k8s-globex"], "ip": ["*"]}
    ]
    path = tmp_path / "highflame.yaml"
    path.write_text(yaml.safe_dump(highflame))
    out = tmp_path / "out"
    result = run_cli(
        "render",
        "--stack",
        "tailnet",
        "--out",
        str(out),
        "--customers",
        str(REPO / "customers"),
        "--highflame",
        str(path),
    )
    assert result.exit_code == 1
    assert "base_policy.grants[0].dst[0]" in result.stderr
    assert not out.exists()
