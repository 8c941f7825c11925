"""Break-glass, posture and recording bad input: one `<file>: <field>: <reason>` line, nothing
written, for every writer and checker alike."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.support.cli import run_cli

GLASS = {"role": "cluster-admin", "engineers": ["alice@highflame.ai"], "max_duration": "4h"}
HIGHFLAME: dict[str, Any] = {
    "sre": {"members": ["alice@highflame.ai", "bob@highflame.ai"]},
    "recording": {"recorder_tag": "tag:highflame-recorder"},
    "base_policy": {"tagOwners": {"tag:highflame-recorder": []}},
}


def _write(tmp_path: Path, prod: dict[str, Any], highflame: dict[str, Any]) -> tuple[Path, Path]:
    customers = tmp_path / "customers"
    customers.mkdir()
    doc = {"name": "acme", "environments": {"prod": prod, "dev": {}}}
    (customers / "acme.yaml").write_text(yaml.safe_dump(doc))
    path = tmp_path / "highflame.yaml"
    path.write_text(yaml.safe_dump(highflame))
    return customers, path


CASES: list[tuple[str, dict[str, Any], dict[str, Any], str, str]] = [
    (
        "engineer-not-sre",
        {"break_glass": {**GLASS, "engineers": ["mallory@highflame.ai"]}},
        HIGHFLAME,
        "acme.yaml: environments.prod.break_glass.engineers[0]:",
        "mallory@highflame.ai is not in sre.members",
    ),
    (
        "over-24h",
        {"break_glass": {**GLASS, "max_duration": "25h"}},
        HIGHFLAME,
        "acme.yaml: environments.prod.break_glass.max_duration:",
        "at most 24h",
    ),
    (
        "unparsable-duration",
        {"break_glass": {**GLASS, "max_duration": "four hours"}},
        HIGHFLAME,
        "acme.yaml: environments.prod.break_glass.max_duration:",
        "not a duration",
    ),
    (
        "zero-duration",
        {"break_glass": {**GLASS, "max_duration": "0m"}},
        HIGHFLAME,
        "acme.yaml: environments.prod.break_glass.max_duration:",
        "longer than zero",
    ),
    (
        "unknown-role",
        {"break_glass": {**GLASS, "role": "god-mode"}},
        HIGHFLAME,
        "acme.yaml: environments.prod.break_glass.role:",
        "god-mode",
    ),
    (
        "standing-role-is-no-elevation",
        {"cluster_role": "cluster-admin", "break_glass": GLASS},
        HIGHFLAME,
        "acme.yaml: environments.prod:",
        "already the standing cluster_role",
    ),
    (
        "read-only-role-is-no-elevation",
        {"cluster_role": "view", "break_glass": {**GLASS, "role": "highflame-sre"}},
        HIGHFLAME,
        "acme.yaml: environments.prod:",
        "never an elevation",
    ),
    (
        "revoked-environment",
        {"revoked": True, "break_glass": GLASS},
        HIGHFLAME,
        "acme.yaml: environments.prod:",
        "break_glass on a revoked environment",
    ),
    (
        "no-engineers",
        {"break_glass": {**GLASS, "engineers": []}},
        HIGHFLAME,
        "acme.yaml: environments.prod.break_glass.engineers:",
        "at least 1",
    ),
    (
        "without-recording",
        {"break_glass": GLASS},
        {"sre": HIGHFLAME["sre"]},
        "acme.yaml: environments.prod.break_glass:",
        "needs session recording",
    ),
    (
        "posture-not-attribute-op-value",
        {},
        {**HIGHFLAME, "sre": {**HIGHFLAME["sre"], "posture": ["node:os is linux"]}},
        "highflame.yaml: sre.posture[0]:",
        "not a posture condition `attribute OP value`",
    ),
    (
        "posture-names-the-elevation-attribute",
        {},
        {
            **HIGHFLAME,
            "sre": {**HIGHFLAME["sre"], "posture": ["custom:hf_elevate_acme_prod == 'granted'"]},
        },
        "highflame.yaml: sre.posture[0]:",
        "set only by `hfaccess elevate`",
    ),
    (
        "recorder-tag-not-a-tag",
        {},
        {**HIGHFLAME, "recording": {"recorder_tag": "highflame-recorder"}},
        "highflame.yaml: recording.recorder_tag:",
        "not a tag",
    ),
    (
        "recorder-tag-in-customer-space",
        {},
        {**HIGHFLAME, "recording": {"recorder_tag": "tag:cust-acme"}},
        "highflame.yaml: recording.recorder_tag:",
        "customers' tag space",
    ),
]


@pytest.mark.parametrize("case", [case[1:] for case in CASES], ids=[case[0] for case in CASES])
@pytest.mark.parametrize("command", ["render", "check", "validate"])
def test_refused_with_file_field_reason_and_nothing_written(
    tmp_path: Path, command: str, case: tuple[dict[str, Any], dict[str, Any], str, str]
) -> None:
    prod, highflame, where, reason = case
    customers, highflame_file = _write(tmp_path, prod, highflame)
    out = tmp_path / "build"
    args = ["--customers", str(customers), "--highflame", str(highflame_file)]
    if command == "render":
        args = ["--all", "--out", str(out), *args]
    result = run_cli(command, *args)
    assert result.exit_code == 1, result.stdout
    lines = result.stderr.splitlines()
    matching = [line for line in lines if where in line and reason in line]
    assert matching, lines
    assert "Traceback" not in result.stderr + result.stdout
    assert not out.exists()


def test_the_same_registry_with_valid_break_glass_renders(tmp_path: Path) -> None:
    customers, highflame_file = _write(tmp_path, {"break_glass": GLASS}, HIGHFLAME)
    result = run_cli(
        "render",
        "--all",
        "--out",
        str(tmp_path / "build"),
        "--customers",
        str(customers),
        "--highflame",
        str(highflame_file),
    )
    assert result.exit_code == 0, result.stderr
    assert (tmp_path / "build" / "acme-prod" / "rbac.yaml").read_text().count("highflame-elevated")
    assert "highflame-elevated" not in (tmp_path / "build" / "acme-dev" / "rbac.yaml").read_text()
