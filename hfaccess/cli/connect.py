"""`hfaccess connect <customer> <env>`: print (or `--run`) the steps to a kubectl context."""

from __future__ import annotations

import json
import subprocess
from collections.abc import Sequence
from typing import Annotated

import typer

from hfaccess.cli.common import DEFAULT_CUSTOMERS_DIR, CustomersOption, fail, out, registry_or_exit
from hfaccess.cli.hooks import hooks
from hfaccess.connect import (
    ConnectPlan,
    ConnectRefused,
    VerifiedPeer,
    connect_plan,
    verify_peer,
)


def _step(argv: Sequence[str], *, echo: bool = True) -> str:
    """Run one command, echoing it; exit 1 with its output if it fails or is missing."""
    if echo:
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


def _verified(plan: ConnectPlan, *, echo: bool = True) -> VerifiedPeer:
    """The peer answering to the environment's name, checked before anything trusts it."""
    text = _step(["tailscale", "status", "--json"], echo=echo)
    try:
        status = json.loads(text)
    except json.JSONDecodeError:
        fail(["connect: `tailscale status --json` did not print JSON: nothing configured"])
    try:
        return verify_peer(plan, status)
    except ConnectRefused as exc:
        fail([f"connect: {exc}; nothing configured"])


def _execute(plan: ConnectPlan) -> None:
    peer = _verified(plan)
    out.print(f"verified: {peer.fqdn} is online and tagged exactly {plan.tag}", markup=False)
    _step(["tailscale", "configure", "kubeconfig", peer.fqdn])
    created = _step(["kubectl", "config", "current-context"])
    if created != peer.fqdn:
        fail(
            [
                f"connect: the current context is {created!r}, not the one tailscale writes for "
                f"{peer.fqdn}; nothing renamed"
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
    verify_only: Annotated[
        bool,
        typer.Option(
            "--verify-only",
            help="Only check the device (online, tagged exactly tag:cust-<customer>) and print "
            "its MagicDNS name; the printed steps use this.",
        ),
    ] = False,
    customers: CustomersOption = DEFAULT_CUSTOMERS_DIR,
) -> None:
    """kubectl access to one environment through its API server proxy, after checking that the
    device answering to its name is the customer's operator (refuses revoked ones)."""
    registry = registry_or_exit(customers)
    try:
        plan = connect_plan(registry, customer, environment)
    except ConnectRefused as exc:
        fail([f"connect: {exc}"])
    if verify_only:
        out.print(_verified(plan, echo=False).fqdn, markup=False)
    elif run:
        _execute(plan)
    else:
        default = customers == DEFAULT_CUSTOMERS_DIR
        out.print(plan.script(None if default else customers.as_posix()), markup=False)


def register(app: typer.Typer) -> None:
    app.command()(connect)
