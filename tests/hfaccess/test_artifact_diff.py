"""Comparing rendered artifacts of base and head, and deciding which stacks a PR affects."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from hfaccess.artifact_diff import (
    Change,
    affected_stacks,
    compare,
    load_tree,
    policy_summary,
    render_markdown,
)

GRANT = {
    "src": ["group:highflame-sre"],
    "dst": ["tag:cust-acme"],
    "app": {"tailscale.com/cap/kubernetes": [{"impersonate": {"groups": ["highflame-sre"]}}]},
}


def _policy(**overrides: Any) -> dict[str, Any]:
    policy: dict[str, Any] = {
        "groups": {"group:highflame-sre": ["alice@highflame.ai", "bob@highflame.ai"]},
        "tagOwners": {"tag:k8s-operator-acme": ["tag:highflame-iac"]},
        "grants": [GRANT],
    }
    policy.update(overrides)
    return policy


def _write(root: Path, files: dict[str, str]) -> Path:
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    return root


def test_unchanged_stacks_are_left_out_and_order_is_the_registry_order(tmp_path: Path) -> None:
    same = {"acme-prod/helm-values.yaml": "a: 1\n", "tailnet/policy.json": "{}"}
    base = load_tree(_write(tmp_path / "b", {**same, "zeta-prod/rbac.yaml": "x\n"}))
    head = load_tree(_write(tmp_path / "h", {**same, "beta-prod/rbac.yaml": "y\n"}))
    diffs = compare(base, head)
    assert [(d.stack, d.change) for d in diffs] == [
        ("beta-prod", Change.ADDED),
        ("zeta-prod", Change.REMOVED),
    ]


def test_file_level_changes(tmp_path: Path) -> None:
    base = load_tree(
        _write(tmp_path / "b", {"acme-prod/rbac.yaml": "r1\n", "acme-prod/exposures.yaml": "e\n"})
    )
    head = load_tree(
        _write(tmp_path / "h", {"acme-prod/rbac.yaml": "r2\n", "acme-prod/INSTALL.md": "i\n"})
    )
    [diff] = compare(base, head)
    assert [(f.name, f.change) for f in diff.files] == [
        ("INSTALL.md", Change.ADDED),
        ("exposures.yaml", Change.REMOVED),
        ("rbac.yaml", Change.CHANGED),
    ]


def test_missing_base_directory_is_an_empty_tree(tmp_path: Path) -> None:
    assert load_tree(tmp_path / "nowhere") == {}


def test_policy_summary_names_sections_keys_members_and_entries() -> None:
    new_grant = {**GRANT, "dst": ["tag:cust-initech"]}
    base = json.dumps(_policy())
    head = json.dumps(
        _policy(
            groups={"group:highflame-sre": ["alice@highflame.ai", "carol@highflame.ai"]},
            tagOwners={"tag:k8s-operator-initech": ["tag:highflame-iac"]},
            grants=[new_grant],
        )
    )
    assert policy_summary(base, head) == [
        "- `grants`: 1 added, 1 removed",
        f"  - added: `{json.dumps(new_grant, sort_keys=True, separators=(',', ':'))}`",
        f"  - removed: `{json.dumps(GRANT, sort_keys=True, separators=(',', ':'))}`",
        "- `groups`: changed `group:highflame-sre` (+carol@highflame.ai, -bob@highflame.ai)",
        "- `tagOwners`: added `tag:k8s-operator-initech`; removed `tag:k8s-operator-acme`",
    ]


def test_policy_summary_of_reordering_and_of_non_json() -> None:
    other = {**GRANT, "dst": ["tag:cust-b"]}
    base = json.dumps(_policy(grants=[GRANT, other]))
    head = json.dumps(_policy(grants=[other, GRANT]))
    assert policy_summary(base, head) == ["- `grants`: reordered"]
    assert policy_summary("// not json", "{}") == []


def test_markdown_pretty_diffs_the_policy_and_lists_stacks(tmp_path: Path) -> None:
    base = load_tree(
        _write(
            tmp_path / "b",
            {"tailnet/policy.json": json.dumps(_policy()), "acme-prod/rbac.yaml": "r\n"},
        )
    )
    head_policy = _policy(tagOwners={"tag:k8s-operator-acme": ["tag:highflame-iac"], "tag:x": []})
    head = load_tree(
        _write(
            tmp_path / "h",
            {"tailnet/policy.json": json.dumps(head_policy), "acme-prod/rbac.yaml": "r\n"},
        )
    )
    diffs = compare(base, head)
    report = render_markdown(diffs, [*base, *head], preview=["tailnet"])
    assert "**1 stack(s) change:** `tailnet`" in report
    assert "Unchanged: `acme-prod`" in report
    assert "- `tagOwners`: added `tag:x`" in report
    assert '+    "tag:x": []' in report  # pretty-printed, one key per line
    assert "--- base/tailnet/policy.json" in report
    assert "<details open><summary>policy.json: pretty-printed, keys sorted</summary>" in report


def test_formatting_only_json_change_says_so(tmp_path: Path) -> None:
    base = {"tailnet": {"policy.json": json.dumps(_policy())}}
    head = {"tailnet": {"policy.json": json.dumps(_policy(), indent=4)}}
    report = render_markdown(compare(base, head), ["tailnet"])
    assert "- formatting only: the same JSON data" in report
    assert "```diff" not in report


def test_long_diffs_are_truncated() -> None:
    base = {"acme-prod": {"INSTALL.md": ""}}
    head = {"acme-prod": {"INSTALL.md": "".join(f"line {i}\n" for i in range(100))}}
    report = render_markdown(compare(base, head), ["acme-prod"], max_lines=20)
    assert "INSTALL.md: diff (truncated)" in report
    assert "... 83 more lines" in report


def test_no_changes_is_said_plainly() -> None:
    report = render_markdown([], ["tailnet"])
    assert "No rendered artifact changes." in report


def test_affected_stacks_from_artifacts_stack_files_and_program_code() -> None:
    base = {"tailnet": {"policy.json": "{}"}, "old-prod": {"rbac.yaml": "x"}}
    head = {
        "tailnet": {"policy.json": '{"a": 1}'},
        "acme-dev": {"rbac.yaml": "x"},
        "acme-prod": {"rbac.yaml": "x"},
    }
    head_only = {k: v for k, v in head.items() if k != "tailnet"}
    diffs = compare({**base, **head_only}, head)
    assert affected_stacks(diffs, head) == ["tailnet"]
    assert affected_stacks(diffs, head, ["Pulumi.acme-dev.yaml", "docs/ci.md"]) == [
        "tailnet",
        "acme-dev",
    ]
    everything = ["tailnet", "acme-dev", "acme-prod"]
    for path in (
        "programs/stack.py",
        "hfaccess/registry/names.py",
        "guardrails/x.py",
        "requirements.txt",
    ):
        assert affected_stacks(diffs, head, [path]) == everything
    removed = compare(base, {})
    assert affected_stacks(removed, {}) == []  # a removed stack has no program to preview
