"""`hfaccess fleet`: every customer environment as the tailnet sees it, and what nothing explains."""

from __future__ import annotations

import json
from typing import Annotated

import typer
from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

from hfaccess.cli.api import describe_target, open_client
from hfaccess.cli.common import (
    DEFAULT_CUSTOMERS_DIR,
    CustomersOption,
    err,
    fail,
    out,
    registry_or_exit,
)
from hfaccess.cli.hooks import hooks
from hfaccess.fleet.output import (
    environments_table,
    report_document,
    summary_line,
    unexplained_table,
)
from hfaccess.fleet.report import build_fleet, verdict
from hfaccess.tsapi import TailscaleError


def fleet(
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON for machines.")] = False,
    customers: CustomersOption = DEFAULT_CUSTOMERS_DIR,
) -> None:
    """One row per customer environment: operator online, client version, proxies, credential.

    Exits 1 when anything is left: an environment with problems, a device or credential the
    registry does not explain, or a client not on the pinned version (so a schedule can alert).
    """
    registry = registry_or_exit(customers)
    # Progress goes to stderr, and only to a terminal: stdout stays the table or the JSON.
    progress = Progress(
        SpinnerColumn(),
        TextColumn("{task.description}"),
        TimeElapsedColumn(),
        console=err,
        transient=True,
        disable=not err.is_terminal,
    )
    with open_client() as client, progress:
        try:
            task = progress.add_task("fleet: reading devices", total=2)
            devices = client.list_devices()
            progress.update(task, advance=1, description="fleet: reading keys and credentials")
            keys = client.list_key_details()
            progress.update(task, advance=1)
        except TailscaleError as exc:
            progress.stop()
            fail([f"fleet: cannot read the tailnet: {exc}"])
        where = describe_target(client)
    report = build_fleet(registry, devices, keys, hooks.clock())
    found = verdict(report)
    if as_json:
        typer.echo(json.dumps(report_document(report), indent=2))
    else:
        out.print(f"{where}, pinned client {report.pinned_version}", markup=False)
        out.print(environments_table(report))
        if report.unexplained:
            out.print(unexplained_table(report))
        else:
            out.print("Everything carrying a customer tag is explained by the registry.")
        out.print(summary_line(found, report.pinned_version), markup=False)
    if not found.ok:
        raise typer.Exit(1)


def register(app: typer.Typer) -> None:
    app.command()(fleet)
