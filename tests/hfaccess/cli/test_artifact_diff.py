"""`hfaccess diff` as the PR workflow runs it."""

from __future__ import annotations

import json
from pathlib import Path

from tests.support.cli import run_cli


def _render(root: Path, stacks: dict[str, dict[str, str]]) -> Path:
    for stack, files in stacks.items():
        for name, text in files.items():
            path = root / stack / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text)
    return root


def test_diff_prints_markdown_writes_affected_and_appends_summary(tmp_path: Path) -> None:
    base = _render(tmp_path / "base", {"tailnet": {"policy.json": json.dumps({"grants": []})}})
    head = _render(
        tmp_path / "head",
        {
            "tailnet": {"policy.json": json.dumps({"grants": [{"src": ["a"], "dst": ["b"]}]})},
            "acme-prod": {"rbac.yaml": "kind: ClusterRole\n"},
        },
    )
    changed = tmp_path / "changed.txt"
    changed.write_text("customers/acme.yaml\n")
    affected, summary = tmp_path / "affected.txt", tmp_path / "summary.md"
    result = run_cli(
        "diff",
        str(base),
        str(head),
        "--changed-paths",
        str(changed),
        "--affected-out",
        str(affected),
        "--markdown-out",
        str(summary),
    )
    assert result.exit_code == 0, result.stderr
    assert "- `grants`: 1 added, 0 removed" in result.stdout
    assert "`acme-prod` (added)" in result.stdout
    assert affected.read_text() == "tailnet\nacme-prod\n"
    assert summary.read_text() == result.stdout


def test_program_change_affects_every_head_stack(tmp_path: Path) -> None:
    same = {"tailnet": {"policy.json": "{}"}, "acme-prod": {"rbac.yaml": "x\n"}}
    base, head = _render(tmp_path / "base", same), _render(tmp_path / "head", same)
    changed = tmp_path / "changed.txt"
    changed.write_text("programs/stack.py\n")
    affected = tmp_path / "affected.txt"
    result = run_cli(
        "diff",
        str(base),
        str(head),
        "--changed-paths",
        str(changed),
        "--affected-out",
        str(affected),
    )
    assert result.exit_code == 0
    assert "No rendered artifact changes." in result.stdout
    assert affected.read_text() == "tailnet\nacme-prod\n"


def test_missing_base_render_is_noted_and_everything_is_added(tmp_path: Path) -> None:
    head = _render(tmp_path / "head", {"tailnet": {"policy.json": "{}"}})
    result = run_cli("diff", str(tmp_path / "base"), str(head))
    assert result.exit_code == 0
    assert "The base branch rendered nothing" in result.stdout
    assert "`tailnet` (added)" in result.stdout


def test_missing_head_render_exits_2(tmp_path: Path) -> None:
    result = run_cli("diff", str(tmp_path), str(tmp_path / "head"))
    assert result.exit_code == 2
    assert "render the head first" in result.stderr
