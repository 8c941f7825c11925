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
from hfaccess.revoke.execute import KillOutcome, execute_kill
from hfaccess.revoke.plan import KillPlan, KillTarget, plan_kill
from hfaccess.revoke.record import Recorded, record_revocation
from hfaccess.revoke.target import TargetError, resolve_target, unknown_target
from hfaccess.tsapi import TailscaleClient, TailscaleError

T = TypeVar("T")


def _say(line: str) -> None:
    out.print(line, markup=False)


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
    for left in plan.leftovers:
        _say(f"will remain: {left.what}: {left.why}")


def _summarise(outcome: KillOutcome, target: KillTarget) -> None:
    """The closing lines: DONE only when the re-read tailnet showed nothing of the target."""
    counts = f"{len(outcome.deleted)} deleted, {len(outcome.already_gone)} already gone"
    if outcome.complete:
        if target.cuts_policy:
            state = "no grant reaches its tags, and no device or credential of it is left"
        else:
            state = (
                "no device or credential of it is left; the policy still grants "
                f"{target.customer}'s tags for its active environments "
                f"({', '.join(target.still_active)}), which this environment no longer has a "
                "device or credential to use"
            )
        _say(
            "Next: commit the registry change, then `pulumi up -s tailnet` (the policy already "
            "matches) and see docs/runbooks/revocation.md for the environment stacks."
        )
        _say(f"DONE: {target.describe()}: {state} (verified by re-reading the tailnet; {counts}).")
        return
    items = outcome.open_items()
    lines = [f"INCOMPLETE: {target.describe()} is not fully revoked ({counts}). Remaining:"]
    lines += [f"  - {item}" for item in items]
    lines.append(
        "Deal with the items above (by hand where they say so), then run the same command "
        "again: it is idempotent."
    )
    lines.append(f"INCOMPLETE: {len(items)} item(s) of {target.describe()} remain (listed above).")
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
    client_id: Annotated[
        list[str] | None,
        typer.Option(
            "--client-id",
            help="With --env: the environment's credential id as its stack recorded it "
            "(`pulumi stack output oauthClientId -s <customer>-<env>`); repeatable.",
        ),
    ] = None,
    customers: CustomersOption = DEFAULT_CUSTOMERS_DIR,
) -> None:
    """Revoke a customer (or one environment) now: policy, devices, credentials, registry.

    Exit 0: done and verified by re-reading the tailnet. 1: something of the target is left
    (each item listed). 2: the kill could not run (unknown target, bad name, no credentials).
    """
    resolved = resolve_target(customer, env, customers, client_ids=tuple(client_id or ()))
    if isinstance(resolved, TargetError):
        fail([resolved.message], code=2)
    target, record_path = resolved.target, resolved.record_path
    for warning in resolved.warnings:
        err.print(f"warning: {warning}", markup=False)
    with open_client() as client:
        plan, problems = _read_tailnet(client, target)
        unknown = unknown_target(resolved, plan, read_ok=not problems)
        if unknown is not None:
            for problem in problems:
                err.print(f"error: {problem}", markup=False)
            fail([unknown.message], code=2)
        _print_plan(plan, record_path, describe_target(client))
        for problem in problems:
            err.print(f"error: {problem}", markup=False)
        if not yes:
            if problems:
                fail(["DRY RUN: nothing was changed, but the plan is incomplete (errors above)."])
            _say("DRY RUN: nothing was changed. Run again with --yes to apply.")
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
