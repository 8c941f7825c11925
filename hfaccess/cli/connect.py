"""`hfaccess connect <customer> <env>`: print (or `--run`) the steps to a kubectl context."""

from __future__ import annotations

import subprocess
from collections.abc import Sequence
from typing import Annotated

import typer

from hfaccess.cli.common import DEFAULT_CUSTOMERS_DIR, CustomersOption, fail, out, registry_or_exit
from hfaccess.cli.hooks import hooks
from hfaccess.connect import ConnectPlan, ConnectRefused, connect_plan


def _step(argv: Sequence[str]) -> str:
    """Run one command, echoing it; exit 1 with its output if it fails or is missing."""
    out.print(f"$ {' '.join(argv)}", markup=False)
    try:
        done = hooks.runner(argv)
    except FileNotFoundError:
        fail([f"connect: {argv[0]} not found on PATH (install it, or run the printed steps)"])
    except subprocess.TimeoutExpired:
        fail([f"connect: `{' '.join(argv)}` did not finish in time"])
    if done.returncode != 0:
        detail = (done.stderr or done.stdout).strip()
        fail([f"connect: `{' '.join(argv)}` failed (exit {done.returncode}): {detail}"])
    return done.stdout.strip()


def _execute(plan: ConnectPlan) -> None:
    _step(["tailscale", "configure", "kubeconfig", plan.hostname])
    created = _step(["kubectl", "config", "current-context"])
    if not plan.owns_context(created):
        fail(
            [
                f"connect: the current context is {created!r}, not the one tailscale writes for "
                f"{plan.hostname}; nothing renamed"
            ]
        )
    existing = _step(["kubectl", "config", "get-contexts", "-o", "name"]).split()
    if plan.context in existing and plan.context != created:
        _step(["kubectl", "config", "delete-context", plan.context])
    if created != plan.context:
        _step(["kubectl", "config", "rename-context", created, plan.context])
    out.print(
        f"ready: kubectl --context {plan.context} (current context; you act as group "
        "highflame-sre with the cluster's RBAC)",
        markup=False,
    )


def connect(
    customer: Annotated[str, typer.Argument(help="Customer name.")],
    environment: Annotated[str, typer.Argument(help="Environment name.")],
    run: Annotated[
        bool, typer.Option("--run", help="Run the steps instead of printing them.")
    ] = False,
    customers: CustomersOption = DEFAULT_CUSTOMERS_DIR,
) -> None:
    """kubectl access to one environment through its API server proxy (refuses revoked ones)."""
    registry = registry_or_exit(customers)
    try:
        plan = connect_plan(registry, customer, environment)
    except ConnectRefused as exc:
        fail([f"connect: {exc}"])
    if run:
        _execute(plan)
    else:
        out.print(plan.script(), markup=False)


def register(app: typer.Typer) -> None:
    app.command()(connect)
