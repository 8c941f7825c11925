"""An environment stack's program imports only what it declares (issue 16: the program budget).

Each stack kind imports its own components lazily: an environment stack never loads the tailnet
policy's modules (reader, builder, checker, serializer, elevation), the CLI's libraries or the
SDK classes it registers through the generic KubernetesObject. Run in a fresh interpreter, as
Pulumi runs the program, so that nothing another test imported hides a regression.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.support.files import REPO

_PROGRAM = """
import json, sys
from pathlib import Path
from tests.support.pulumi_mocks import run_stack
run = run_stack(sys.argv[1], root=Path(sys.argv[2]))
assert run.resources, "the program declared nothing"
print(json.dumps(sorted(sys.modules)))
"""

# Modules an environment stack must not import (prefixes: a package and all its modules).
NOT_IN_ENVIRONMENT_STACKS = (
    "hfaccess.policy",  # the tailnet policy: reader, builder, checker, serializer, elevation
    "hfaccess.render",
    "hfaccess.report",
    "hfaccess.cli",
    "hfaccess.tsapi",
    "hfaccess.install.handoff",  # INSTALL.md and its Jinja2 templates: `render` writes them
    "hfaccess.install.artifacts",
    "components.tailnet_policy",
    "programs.tailnet",
    "jinja2",
    "rich",
    "typer",
    "httpx",
    # Registered through components.kubernetes_object instead of the typed classes.
    "pulumi_kubernetes.rbac.v1.",
    "pulumi_kubernetes.meta.v1.",
    "pulumi_kubernetes.networking.v1.",
)


def imported_modules(stack: str, cwd: Path) -> list[str]:
    """Every module loaded by running `stack`'s real program under the mocks in a new process."""
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    result = subprocess.run(
        [sys.executable, "-c", _PROGRAM, stack, str(REPO)],
        cwd=cwd,  # the program writes build/post-render/ under its working directory
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    modules: list[str] = json.loads(result.stdout.strip().splitlines()[-1])
    return modules


def loaded(modules: list[str], prefix: str) -> list[str]:
    return [m for m in modules if m == prefix.rstrip(".") or m.startswith(prefix.rstrip(".") + ".")]


@pytest.mark.parametrize("stack", ["acme-prod", "acme-dev"])
def test_environment_stack_imports_nothing_of_the_tailnet_stack(stack: str, tmp_path: Path) -> None:
    modules = imported_modules(stack, tmp_path)
    assert "programs.environment" in modules
    found = {prefix: loaded(modules, prefix) for prefix in NOT_IN_ENVIRONMENT_STACKS}
    assert {prefix: names for prefix, names in found.items() if names} == {}


def test_the_tailnet_stack_does_import_the_policy_modules(tmp_path: Path) -> None:
    """The check above can fail: the tailnet stack loads what environment stacks must not."""
    modules = imported_modules("tailnet", tmp_path)
    assert "hfaccess.policy.checker" in modules
    assert "programs.tailnet" in modules
