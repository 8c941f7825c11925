"""The layout docs/architecture.md describes, enforced: which package may import which.

Imports are read with `ast` (top-level and local), so a new module that breaks a rule fails here
with its name, whatever the tests exercise.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.support.files import REPO

PURE = ("hfaccess/registry", "hfaccess/policy", "hfaccess/install", "hfaccess/credentials.py")
SHELL_LIBRARIES = ("pulumi", "pulumi_kubernetes", "pulumi_tailscale", "httpx", "typer", "rich")


def _modules(rel: str) -> list[Path]:
    path = REPO / rel
    return [path] if path.suffix == ".py" else sorted(path.rglob("*.py"))


def _imports(path: Path) -> Iterator[str]:
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            yield node.module


def _top(name: str) -> str:
    return name.split(".", 1)[0]


@pytest.mark.parametrize("rel", PURE)
def test_the_core_imports_no_engine_network_or_shell(rel: str) -> None:
    for path in _modules(rel):
        for name in _imports(path):
            assert _top(name) not in SHELL_LIBRARIES, f"{path.relative_to(REPO)} imports {name}"
            assert not name.startswith(("hfaccess.cli", "components", "programs")), (
                f"{path.relative_to(REPO)} imports {name}"
            )


def test_the_input_stage_imports_nothing_after_it() -> None:
    for path in _modules("hfaccess/registry"):
        for name in _imports(path):
            if _top(name) == "hfaccess":
                inside = name.startswith("hfaccess.registry")  # fix_paths: keep
                assert inside, f"{path.relative_to(REPO)}: {name}"


def test_components_declare_their_type_and_never_import_programs() -> None:
    for path in _modules("components"):
        tree = ast.parse(path.read_text())
        for name in _imports(path):
            assert not name.startswith(("programs", "hfaccess.cli")), f"{path.name}: {name}"
        for node in tree.body:
            if isinstance(node, ast.ClassDef) and any(
                isinstance(b, ast.Attribute) and b.attr == "ComponentResource" for b in node.bases
            ):
                assert any(
                    isinstance(s, ast.Assign)
                    and any(isinstance(t, ast.Name) and t.id == "TYPE" for t in s.targets)
                    for s in node.body
                ), f"{path.name}: {node.name} has no TYPE"


def test_only_the_entry_point_and_tests_import_programs() -> None:
    for rel in ("hfaccess", "components", "guardrails", "scripts", "benchmarks"):
        for path in _modules(rel):
            for name in _imports(path):
                assert _top(name) != "programs", f"{path.relative_to(REPO)} imports {name}"
