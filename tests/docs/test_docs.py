"""The runbooks and the CI guide only name commands and files that exist."""

from __future__ import annotations

import re

import typer.main

from hfaccess.cli import app
from tests.support.files import REPO

DOCS = REPO / "docs"


def _commands() -> set[str]:
    group = typer.main.get_group(app)
    return set(group.commands)


def test_every_documented_hfaccess_command_exists() -> None:
    mentioned: set[str] = set()
    for path in DOCS.rglob("*.md"):
        mentioned |= set(re.findall(r"\bhfaccess ([a-z][a-z-]*)", path.read_text()))
    assert mentioned <= _commands(), mentioned - _commands()
    assert {"stacks", "drift", "drift-record", "drift-report", "diff"} <= _commands()


def test_runbook_index_links_every_runbook() -> None:
    index = (DOCS / "runbooks" / "README.md").read_text()
    for path in (DOCS / "runbooks").glob("*.md"):
        if path.name != "README.md":
            assert f"({path.name})" in index, path.name


def test_documented_repository_files_exist() -> None:
    for rel in (
        ".github/workflows/drift.yml",
        ".github/workflows/pr.yml",
        ".github/actions/pulumi-setup/action.yml",
        "guardrails/PulumiPolicy.yaml",
        "guardrails/highflame_policies/limits.py",
    ):
        assert (REPO / rel).is_file(), rel
