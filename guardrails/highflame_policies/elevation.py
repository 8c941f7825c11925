"""An elevated (break-glass) group is bound only where the registry gives that environment
`break_glass`, only to its own environment's group, and only to the role break_glass names.

The pack cannot import `hfaccess`; it reads the one customer file the stack belongs to
(`customers/<customer>.yaml` of the project this local pack lives in, or the directory in
HIGHFLAME_CUSTOMERS_DIR). A file it cannot read or understand refuses the binding: fail closed.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import yaml
from pulumi_policy import ReportViolation, ResourceValidationArgs

from highflame_policies.limits import BINDING_TYPES, ELEVATED_GROUP_PREFIX
from highflame_policies.props import MISSING, UNKNOWN, elements, lookup
from highflame_policies.stacks import environment_stack, stack_from_urn

CUSTOMERS_DIR_VARIABLE = "HIGHFLAME_CUSTOMERS_DIR"


def customers_dir() -> Path:
    """Where the registry is: the variable, else `customers/` next to this pack's directory."""
    configured = os.environ.get(CUSTOMERS_DIR_VARIABLE)
    if configured:
        return Path(configured)
    return Path(__file__).resolve().parents[2] / "customers"


def elevated_subjects(props: Any) -> list[str]:
    """Names of the Group subjects that are elevated groups (`highflame-elevated-*`)."""
    found = []
    for subject in elements(lookup(props, "subjects")):
        name = lookup(subject, "name")
        if isinstance(name, str) and name.startswith(ELEVATED_GROUP_PREFIX):
            found.append(name)
    return found


def break_glass_role(directory: Path, customer: str, environment: str) -> tuple[str | None, str]:
    """(role, "") when the environment has active break_glass, else (None, why not)."""
    path = directory / f"{customer}.yaml"
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        return None, f"cannot read {path.as_posix()} ({type(exc).__name__})"
    env = data.get("environments", {}).get(environment) if isinstance(data, dict) else None
    if not isinstance(env, dict):
        return None, f"{path.name} has no environment {environment}"
    if data.get("revoked") is True or env.get("revoked") is True:
        return None, f"{customer}-{environment} is revoked in {path.name}"
    glass = env.get("break_glass")
    role = glass.get("role") if isinstance(glass, dict) else None
    if not isinstance(role, str):
        return None, f"environments.{environment} in {path.name} has no break_glass"
    return role, ""


def binding_violation(props: Any, urn: str, directory: Path) -> str | None:
    """Why this binding of an elevated group must not exist, if it must not."""
    groups = elevated_subjects(props)
    if not groups:
        return None
    stack = stack_from_urn(urn)
    parsed = environment_stack(stack) if stack else None
    if parsed is None:
        return f"binds {groups}: elevated groups are bound only in <customer>-<env> stacks"
    own = f"{ELEVATED_GROUP_PREFIX}{parsed.customer}-{parsed.environment}"
    strangers = sorted(set(groups) - {own})
    if strangers:
        return f"binds {strangers}: stack {stack} may bind only its own elevated group {own}"
    role, reason = break_glass_role(directory, parsed.customer, parsed.environment)
    if role is None:
        return f"binds {own} but {reason}: no elevated binding without break_glass"
    bound = lookup(props, "roleRef", "name")
    if bound not in (MISSING, UNKNOWN) and bound != role:
        return f"binds {own} to {bound!r}, but break_glass.role is {role!r}"
    return None


def validate_elevated_binding(args: ResourceValidationArgs, report: ReportViolation) -> None:
    """Resource policy over (Cluster)RoleBindings and their patches."""
    if args.resource_type not in BINDING_TYPES:
        return
    problem = binding_violation(args.props, args.urn, customers_dir())
    if problem is not None:
        report(problem, None)
