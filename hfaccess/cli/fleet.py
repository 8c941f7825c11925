"""`hfaccess fleet`: every customer environment as the tailnet sees it, and what nothing explains."""

from __future__ import annotations

import sys
from dataclasses import replace
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
    report_json_chunks,
    summary_line,
    unexplained_table,
)
from hfaccess.fleet.report import (
    EnvironmentRow,
    FleetReport,
    FleetVerdict,
    build_fleet,
    verdict,
)
from hfaccess.tsapi import TailscaleError


def _attention(report: FleetReport, found: FleetVerdict) -> FleetReport:
    """Only the environments a person must look at: problems, or a client off the pin."""
    off_pin = set(found.clients_not_pinned)

    def needs_look(row: EnvironmentRow) -> bool:
        devices = [*((row.operator,) if row.operator else ()), *row.stale_operators]
        devices += [proxy.device for proxy in row.proxies]
        return bool(row.problems) or any(d.name in off_pin for d in devices)

    return replace(report, rows=tuple(row for row in report.rows if needs_look(row)))


def _counts(report: FleetReport, found: FleetVerdict) -> list[str]:
    """The lines after the target: what a person reads before any table (each fits 80 columns)."""
    active = sum(1 for row in report.rows if row.active)
    return [
        f"environments: {found.environments} ({active} active, "
        f"{found.environments - active} revoked), {found.with_problems} with problems",
        f"tailnet items not explained by the registry: {found.unexplained}",
    ]


def fleet(
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON for machines.")] = False,
    show_all: Annotated[
        bool,
        typer.Option(
            "--all",
            help="List every environment; by default only those that need attention "
            "(problems or a client off the pin) follow the summary.",
        ),
    ] = False,
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
        # Streamed: each environment is written as it is serialized, never one big string.
        stdout = sys.stdout
        for chunk in report_json_chunks(report, found):
            stdout.write(chunk)
        stdout.write("\n")
        stdout.flush()
    else:
        out.print(f"{where}, pinned client {report.pinned_version}", markup=False)
        for line in _counts(report, found):
            out.print(line, markup=False)
        # A table of thousands of healthy rows helps nobody and costs most of the run.
        shown = report if show_all else _attention(report, found)
        if shown.rows:
            out.print(environments_table(shown))
        else:
            out.print("No environment needs attention (--all lists every one).")
        if report.unexplained:
            out.print(unexplained_table(report))
        else:
            out.print("Everything carrying a customer tag is explained by the registry.")
        out.print(summary_line(found, report.pinned_version), markup=False)
    if not found.ok:
        raise typer.Exit(1)


def register(app: typer.Typer) -> None:
    app.command()(fleet)
