"""The sample registry's policy.json, as reviewers read it (update: pytest --snapshot-update)."""

from __future__ import annotations

from pathlib import Path

import pytest
from syrupy.assertion import SnapshotAssertion
from syrupy.extensions.single_file import SingleFileSnapshotExtension, WriteMode

from tests.support.cli import run_cli
from tests.support.files import REPO


class PolicyJson(SingleFileSnapshotExtension):
    """Stores the snapshot as the policy.json text itself, so the diff is the policy's diff."""

    _write_mode = WriteMode.TEXT
    file_extension = "json"


def test_sample_policy_json(
    snapshot: SnapshotAssertion, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(REPO)
    result = run_cli("render", "--stack", "tailnet", "--out", str(tmp_path))
    assert result.exit_code == 0, result.stderr
    assert (tmp_path / "policy.json").read_text(encoding="utf-8") == snapshot(
        extension_class=PolicyJson
    )
