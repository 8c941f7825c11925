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


# Where the docs name the operator's version in words; hfaccess/install/chart.py is the pin.
# Upgrading: change CHART_VERSION there and in guardrails/highflame_policies/limits.py, then
# these files (this test names any that still disagrees).
OPERATOR_VERSION = re.compile(r"(?<![\w.])v?(1\.\d{2,}\.\d+)(?![\w.])")
VERSIONED_DOCS = (
    "README.md",
    "docs/runbooks/upgrade-operator-chart.md",
    "guardrails/PulumiPolicy.yaml",
)


def test_docs_name_only_the_pinned_operator_version() -> None:
    from hfaccess.install import chart

    for rel in (*VERSIONED_DOCS, *(str(p.relative_to(REPO)) for p in DOCS.rglob("*.md"))):
        found = set(OPERATOR_VERSION.findall((REPO / rel).read_text()))
        assert found <= {chart.CHART_VERSION}, f"{rel} names {sorted(found)}"
    for rel in VERSIONED_DOCS:
        assert chart.CHART_VERSION in (REPO / rel).read_text(), rel
