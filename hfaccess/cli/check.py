"""`hfaccess check`: does the tailnet policy hold every invariant of the access model?

Without `--policy` it builds the policy from the registry (what `render` writes and the
`tailnet` stack applies) and checks that; with `--policy FILE` it checks a given file, such as
the live policy downloaded from Tailscale, against the same registry. With `--remote`, a policy
that passes offline is also sent to the Tailscale API's validate endpoint (nothing is saved),
which checks what only Tailscale can: its own syntax rules, and the file's `tests` run against
its grants.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Annotated, Any

import typer

from hfaccess.cli.api import describe_target, open_client
from hfaccess.cli.common import (
    DEFAULT_CUSTOMERS_DIR,
    DEFAULT_HIGHFLAME_FILE,
    CustomersOption,
    HighflameOption,
    fail,
    fail_invalid,
    gated_model_or_exit,
    out,
)
from hfaccess.policy.builder import customer_accesses
from hfaccess.policy.checker import check_policy
from hfaccess.policy.gate import checked_policy, policy_checked_once
from hfaccess.policy.reader import PolicyFileError, read_policy_file
from hfaccess.policy.serialize import policy_digest
from hfaccess.registry.errors import InvalidInput
from hfaccess.registry.tailnet_settings import live_differences
from hfaccess.registry.workspace import AccessModel
from hfaccess.tsapi import TailscaleError


def _generated(model: AccessModel) -> tuple[Any, str]:
    try:
        document, text = checked_policy(model)
    except InvalidInput as exc:
        fail_invalid(exc)
    return document, f"generated policy ({len(text)} bytes, sha256 {policy_digest(text)[:12]})"


def _validate_remotely(document: Mapping[str, Any], source: str) -> str:
    """Ask the Tailscale API to validate `document`; exit 1 on any problem, or return where.

    Missing credentials exit 2 (`open_client`); an API or transport failure after the
    client's retries is one `check --remote:` line and exit 1.
    """
    with open_client() as client:
        target = describe_target(client)
        try:
            problems = client.validate_policy(document)
        except TailscaleError as exc:
            fail([f"check --remote: {exc}"])
    if problems:
        fail([f"{source}: {target} refuses it: {problem}" for problem in problems])
    return target


def _live_settings_differences(model: AccessModel) -> list[str]:
    """Live tailnet settings that differ from tailnet/highflame.yaml's `tailnet_settings`."""
    with open_client() as client:
        try:
            live = client.get_tailnet_settings()
        except TailscaleError as exc:
            fail([f"check --remote: tailnet settings: {exc}"])
    return live_differences(model.highflame.tailnet_settings, live)


def check(
    policy: Annotated[
        Path | None,
        typer.Option(
            "--policy",
            help="Check this policy file (JSON or HuJSON) instead of the generated one.",
        ),
    ] = None,
    remote: Annotated[
        bool,
        typer.Option(
            "--remote",
            help="Once the offline checks pass, also validate the policy with the Tailscale API "
            "(POST .../acl/validate, nothing saved; credentials from TAILSCALE_* variables).",
        ),
    ] = False,
    customers: CustomersOption = DEFAULT_CUSTOMERS_DIR,
    highflame: HighflameOption = DEFAULT_HIGHFLAME_FILE,
) -> None:
    """Exit 0 when the policy holds invariants 1-10 (and, with --remote, the Tailscale API accepts
    it); otherwise print one line per violation or problem, exit 1."""
    with policy_checked_once():  # the gate builds and checks the generated policy: once
        model = gated_model_or_exit(customers, highflame)
        if policy is None:
            document, source = _generated(model)
            violations = []  # the very document the gate just checked, invariant by invariant
        else:
            try:
                document = read_policy_file(policy)
            except PolicyFileError as exc:
                fail([f"{policy.as_posix()}: {exc}"])
            source = policy.as_posix()
            violations = check_policy(document, model)
    if violations:
        fail([f"{source}: {violation}" for violation in violations])
    accepted_by = _validate_remotely(document, source) if remote else None
    if remote:
        differences = _live_settings_differences(model)
        if differences:
            fail([f"tailnet_settings: {difference}" for difference in differences])
    accesses = customer_accesses(model)
    active = sum(1 for access in accesses if access.reachable)
    out.print(
        f"ok: {source} holds invariants 1-10 for {len(accesses)} customers "
        f"({active} reachable, {len(accesses) - active} revoked)",
        markup=False,
    )
    if accepted_by is not None:
        out.print(f"ok: {accepted_by} validates it (tests included)", markup=False)
        out.print("ok: live tailnet settings match tailnet_settings", markup=False)


def register(app: typer.Typer) -> None:
    app.command()(check)
