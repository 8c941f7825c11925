"""`hfaccess stacks`: derived from the registry, never a hand-kept list."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from hfaccess.registry.loader import load_registry
from tests.support.cli import run_cli
from tests.support.files import REPO, customer, write_customer


def test_lists_every_registry_stack_in_order(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(REPO)
    result = run_cli("stacks")
    assert result.exit_code == 0, result.stderr
    assert result.stdout.split() == load_registry(REPO / "customers").stack_names()
    assert result.stdout.split() == ["tailnet", "acme-dev", "acme-prod", "globex-prod"]


def test_json_is_a_matrix_with_what_each_job_needs(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(REPO)
    result = run_cli("stacks", "--json")
    assert result.exit_code == 0, result.stderr
    assert result.stdout.count("\n") == 1  # one line, ready for $GITHUB_OUTPUT
    include = json.loads(result.stdout)["include"]
    assert [row["stack"] for row in include] == ["tailnet", "acme-dev", "acme-prod", "globex-prod"]
    by_stack = {row["stack"]: row for row in include}
    assert by_stack["tailnet"] == {
        "stack": "tailnet",
        "kind": "tailnet",
        "customer": "",
        "environment": "",
        "install": "",
        "cluster": False,
    }
    assert by_stack["acme-prod"]["cluster"] is True
    assert by_stack["acme-prod"]["customer"] == "acme"
    assert by_stack["globex-prod"]["install"] == "handoff"
    assert by_stack["globex-prod"]["cluster"] is False


def test_a_new_customer_file_adds_its_stacks(tmp_path: Path) -> None:
    write_customer(tmp_path, "initech", customer("initech", "prod", "qa"))
    result = run_cli(
        "stacks",
        "--json",
        "--customers",
        str(tmp_path),
        "--highflame",
        str(REPO / "tailnet/highflame.yaml"),
    )
    assert result.exit_code == 0, result.stderr
    stacks = [row["stack"] for row in json.loads(result.stdout)["include"]]
    assert stacks == ["tailnet", "initech-prod", "initech-qa"]


def test_select_keeps_named_stacks_and_skips_removed_ones(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.chdir(REPO)
    selection = tmp_path / "affected.txt"
    selection.write_text("acme-prod\n\ninitech-prod\ntailnet\n")
    result = run_cli("stacks", "--json", "--select", str(selection))
    assert result.exit_code == 0, result.stderr
    assert [r["stack"] for r in json.loads(result.stdout)["include"]] == ["tailnet", "acme-prod"]


def test_empty_selection_is_an_empty_matrix(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.chdir(REPO)
    selection = tmp_path / "affected.txt"
    selection.write_text("")
    result = run_cli("stacks", "--json", "--select", str(selection))
    assert json.loads(result.stdout) == {"include": []}


def test_invalid_registry_exits_1_without_output(tmp_path: Path) -> None:
    write_customer(tmp_path, "acme", {"name": "acme"})
    result = run_cli(
        "stacks",
        "--json",
        "--customers",
        str(tmp_path),
        "--highflame",
        str(REPO / "tailnet/highflame.yaml"),
    )
    assert result.exit_code == 1
    assert result.stdout == ""
    assert "acme.yaml: environments" in result.stderr


def test_unreadable_selection_exits_2(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.chdir(REPO)
    result = run_cli("stacks", "--select", str(tmp_path / "missing.txt"))
    assert result.exit_code == 2
    assert "--select: cannot read" in result.stderr
