"""`hfaccess kill`: Highflame's kill switch, through the Tailscale API, no Pulumi engine needed.

Dry run by default (reads the tailnet, prints the plan); `--yes` applies it. Works with the
customer's cluster unreachable and with the rest of the registry broken: only the customer's
own file is read.
"""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Annotated, Any, TypeVar

import typer

from hfaccess.cli.api import describe_target, open_client
from hfaccess.cli.common import DEFAULT_CUSTOMERS_DIR, CustomersOption, err, fail, out
from hfaccess.registry import names
from hfaccess.registry.errors import InvalidInput
from hfaccess.registry.loader import customer_file, load_customer
from hfaccess.registry.models import Customer
from hfaccess.revoke.execute import KillOutcome, execute_kill
from hfaccess.revoke.plan import KillPlan, KillTarget, plan_kill
from hfaccess.revoke.record import Recorded, record_revocation
from hfaccess.tsapi import TailscaleClient, TailscaleError

T = TypeVar("T")


def _say(line: str) -> None:
    out.print(line, markup=False)


def _load_target(
    customer: str, environment: str | None, directory: Path
) -> tuple[KillTarget, Path | None, list[str]]:
    """The target, the file to record in (None if the customer has none), warnings."""
    if not names.CUSTOMER_NAME_RE.fullmatch(customer):
        fail([f"kill: {customer!r} is not a customer name"])
    if environment is not None and not names.ENVIRONMENT_NAME_RE.fullmatch(environment):
        fail([f"kill: --env {environment!r} is not an environment name"])
    overlapping = [
        other.stem
        for other in sorted(directory.glob("*.yaml"))
        if other.stem != customer
        and not set(names.customer_tags(other.stem)).isdisjoint(names.customer_tags(customer))
    ]
    if overlapping:
        fail(
            [
                f"kill: {customer}'s tags overlap those of {', '.join(overlapping)} "
                f"({', '.join(names.customer_tags(customer))}); a kill by tags would hit them too: "
                "refusing"
            ]
        )
    path = customer_file(directory, customer)
    warnings: list[str] = []
    loaded: Customer | None = None
    if not path.exists():
        if environment is not None:
            fail([f"kill: {path.as_posix()} does not exist: --env needs a registered customer"])
        warnings.append(f"{path.as_posix()} does not exist: nothing will be recorded")
        return KillTarget(customer), None, warnings
    try:
        loaded = load_customer(path, path.as_posix())
    except InvalidInput as exc:
        warnings.append(f"{path.as_posix()} is invalid; killing by tags anyway:")
        warnings.extend(f"  {e}" for e in exc.errors)
    if loaded is None:
        envs: tuple[str, ...] = (environment,) if environment else ()
        return KillTarget(customer, environment, envs, ()), path, warnings
    envs = tuple(sorted(loaded.environments))
    if environment is not None and environment not in loaded.environments:
        fail([f"kill: {customer} has no environment {environment!r} (known: {', '.join(envs)})"])
    still = tuple(e for e in envs if e != environment and loaded.active(e))
    return KillTarget(customer, environment, envs, still), path, warnings


def _read_tailnet(client: TailscaleClient, target: KillTarget) -> tuple[KillPlan, list[str]]:
    """Plan from the live tailnet (read in parallel); a listing that fails is reported, not
    fatal: the kill still runs every step it can."""
    problems: list[str] = []

    def attempt(what: str, read: Callable[[], T]) -> T | None:
        try:
            return read()
        except TailscaleError as exc:
            problems.append(f"cannot {what}: {exc}")
            return None

    def read_policy() -> dict[str, Any]:
        return client.get_policy().policy

    with ThreadPoolExecutor(max_workers=3) as pool:
        policy = (
            pool.submit(attempt, "read the policy file", read_policy)
            if target.cuts_policy
            else None
        )
        devices = pool.submit(attempt, "list devices", client.list_devices)
        keys = pool.submit(attempt, "list keys", client.list_key_details)
        plan = plan_kill(
            target,
            policy.result() if policy is not None else None,
            devices.result() or [],
            keys.result() or [],
            caller_key=client.settings.oauth_client_id,
        )
    return plan, sorted(problems)


def _print_plan(plan: KillPlan, record_path: Path | None, where: str) -> None:
    target = plan.target
    _say(f"Kill plan for {target.describe()} on {where}:")
    if target.cuts_policy:
        edit = plan.policy
        changes = edit.changes if edit is not None else ()
        _say(f"1. policy: {len(changes)} change(s)" if edit is not None else "1. policy: unread")
        for line in changes:
            _say(f"     {line}")
    else:
        _say("1. policy: unchanged (see note)")
    _say(f"2. devices: {len(plan.devices)}")
    for device in plan.devices:
        _say(f"     {device.describe()}")
    _say(f"3. credentials: {len(plan.keys)}")
    for key in plan.keys:
        _say(f"     {key.describe()}")
    field = (
        "revoked" if target.environment is None else f"environments.{target.environment}.revoked"
    )
    record = f"{record_path.as_posix()}: {field}: true" if record_path else "nothing (no file)"
    _say(f"4. registry: {record}")
    for note in plan.notes:
        _say(f"note: {note}")
    for warning in plan.warnings:
        _say(f"warning: {warning}")


def _summarise(outcome: KillOutcome, target: KillTarget) -> None:
    counts = f"{len(outcome.deleted)} deleted, {len(outcome.already_gone)} already gone"
    if outcome.complete:
        _say(
            f"DONE: {target.describe()} has no grant, device or credential left in the tailnet "
            f"({counts})."
        )
        _say(
            "Next: commit the registry change, then `pulumi up -s tailnet` (the policy already "
            "matches) and see docs/runbooks/revocation.md for the environment stacks."
        )
        return
    lines = [f"INCOMPLETE: {target.describe()} is only partly revoked ({counts}). Remaining:"]
    lines += [f"  - {f.what}: {f.error}" for f in outcome.failures]
    lines.append("Run the same command again once the API recovers: it is idempotent.")
    fail(lines)


def kill(
    customer: Annotated[str, typer.Argument(help="The customer to cut off.")],
    env: Annotated[
        str | None,
        typer.Option(
            "--env",
            help="Only this environment: its devices and credential (its grants too if it is "
            "the customer's last active environment).",
        ),
    ] = None,
    yes: Annotated[
        bool, typer.Option("--yes", help="Apply; without it, only print the plan.")
    ] = False,
    customers: CustomersOption = DEFAULT_CUSTOMERS_DIR,
) -> None:
    """Revoke a customer (or one environment) now: policy, devices, credentials, registry."""
    target, record_path, warnings = _load_target(customer, env, customers)
    for warning in warnings:
        err.print(f"warning: {warning}", markup=False)
    with open_client() as client:
        plan, problems = _read_tailnet(client, target)
        _print_plan(plan, record_path, describe_target(client))
        for problem in problems:
            err.print(f"error: {problem}", markup=False)
        if not yes:
            _say("DRY RUN: nothing was changed. Run again with --yes to apply.")
            if problems:
                raise typer.Exit(1)
            return
        record_fn = None
        if record_path is not None:
            path = record_path

            def record_fn() -> Recorded:
                return record_revocation(path, target.environment)

        outcome = execute_kill(client, plan, record=record_fn, progress=_say)
    _summarise(outcome, target)


def register(app: typer.Typer) -> None:
    app.command()(kill)
