"""`hfaccess check`: does the tailnet policy hold every invariant of the access model?

Without `--policy` it builds the policy from the registry (what `render` writes and the
`tailnet` stack applies) and checks that; with `--policy FILE` it checks a given file, such as
the live policy downloaded from Tailscale, against the same registry.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

from hfaccess.cli.common import (
    DEFAULT_CUSTOMERS_DIR,
    DEFAULT_HIGHFLAME_FILE,
    CustomersOption,
    HighflameOption,
    fail,
    fail_invalid,
    load_or_exit,
    out,
)
from hfaccess.errors import InvalidInput
from hfaccess.policy.builder import build_policy, customer_accesses
from hfaccess.policy.checker import check_policy
from hfaccess.policy.hujson import PolicyFileError, load_policy_file
from hfaccess.policy.serialize import policy_digest, policy_text
from hfaccess.workspace import AccessModel


def _generated(model: AccessModel) -> tuple[Any, str]:
    try:
        document = build_policy(model)
    except InvalidInput as exc:
        fail_invalid(exc)
    text = policy_text(document)
    return document, f"generated policy ({len(text)} bytes, sha256 {policy_digest(text)[:12]})"


def check(
    policy: Annotated[
        Path | None,
        typer.Option(
            "--policy",
            help="Check this policy file (JSON or HuJSON) instead of the generated one.",
        ),
    ] = None,
    customers: CustomersOption = DEFAULT_CUSTOMERS_DIR,
    highflame: HighflameOption = DEFAULT_HIGHFLAME_FILE,
) -> None:
    """Exit 0 when the policy holds invariants 1-7; otherwise print one line per violation, exit 1."""
    model = load_or_exit(customers, highflame)
    if policy is None:
        document, source = _generated(model)
    else:
        try:
            document = load_policy_file(policy)
        except PolicyFileError as exc:
            fail([f"{policy.as_posix()}: {exc}"])
        source = policy.as_posix()
    violations = check_policy(document, model)
    if violations:
        fail([f"{source}: {violation}" for violation in violations])
    accesses = customer_accesses(model)
    active = sum(1 for access in accesses if access.reachable)
    out.print(
        f"ok: {source} holds invariants 1-7 for {len(accesses)} customers "
        f"({active} reachable, {len(accesses) - active} revoked)",
        markup=False,
    )


def register(app: typer.Typer) -> None:
    app.command()(check)
