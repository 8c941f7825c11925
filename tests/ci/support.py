"""Reading the GitHub workflows and running their shell steps the way a runner would."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import yaml

from tests.support.files import REPO

WORKFLOWS = REPO / ".github" / "workflows"
SETUP_ACTION = REPO / ".github" / "actions" / "pulumi-setup" / "action.yml"


def load(path: Path) -> dict[str, Any]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    if True in data:  # YAML 1.1 reads the key `on` as the boolean true
        data["on"] = data.pop(True)
    return data


def workflow(name: str) -> dict[str, Any]:
    return load(WORKFLOWS / name)


def steps(doc: Mapping[str, Any], job: str | None = None) -> list[dict[str, Any]]:
    """A job's steps, or a composite action's when `job` is None."""
    found = doc["runs"]["steps"] if job is None else doc["jobs"][job]["steps"]
    assert isinstance(found, list)
    return found


def step(
    doc: Mapping[str, Any], job: str | None, *, id: str | None = None, name: str | None = None
) -> dict[str, Any]:
    for candidate in steps(doc, job):
        if (id is not None and candidate.get("id") == id) or (
            name is not None and candidate.get("name") == name
        ):
            return candidate
    raise AssertionError(f"no step {id or name!r} in {job}")


def run_step(
    script: str, workspace: Path, env: Mapping[str, str], working_directory: str | None = None
) -> subprocess.CompletedProcess[str]:
    """Run a `run:` script with bash like the runner does (`bash -e {0}`), `python` = this one.

    `workspace` stands for $GITHUB_WORKSPACE; the repository is linked in as the checkout.
    """
    bin_dir = workspace / ".bin"
    bin_dir.mkdir(exist_ok=True)
    python = bin_dir / "python"
    if not python.exists():
        # A wrapper, not a symlink: a venv's interpreter must be started by its own path.
        python.write_text(f'#!/bin/sh\nexec "{sys.executable}" "$@"\n')
        python.chmod(0o755)
    full_env = {
        "PATH": f"{bin_dir}{os.pathsep}{os.environ.get('PATH', '')}",
        "PYTHONPATH": str(REPO),
        "HOME": str(workspace),
        **env,
    }
    cwd = workspace / working_directory if working_directory else workspace
    return subprocess.run(
        ["bash", "-e", "-c", script],
        cwd=cwd,
        env=full_env,
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )


def github_output(path: Path) -> dict[str, str]:
    """`key=value` lines a step appended to $GITHUB_OUTPUT / $GITHUB_ENV."""
    pairs = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        key, _, value = line.partition("=")
        pairs[key] = value
    return pairs
