"""`hfaccess fleet`: every customer environment as the tailnet sees it, and what nothing explains."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime
from typing import Annotated

import typer

from hfaccess.cli.api import describe_target, open_client
from hfaccess.cli.common import DEFAULT_CUSTOMERS_DIR, CustomersOption, fail, out, registry_or_exit
from hfaccess.fleet.render import environments_table, report_document, unexplained_table
from hfaccess.fleet.report import FleetReport, build_fleet
from hfaccess.tsapi import TailscaleError


def _utc_now() -> datetime:
    return datetime.now(UTC)


# Tests pin the clock so ages and "last seen" are stable.
clock: Callable[[], datetime] = _utc_now


def _summary(report: FleetReport) -> str:
    """The first line: counts a person reads before any table."""
    active = [r for r in report.rows if r.active]
    troubled = sum(1 for r in report.rows if r.problems)
    return (
        f"{len(report.rows)} environments: {len(active)} active, "
        f"{len(report.rows) - len(active)} revoked, {troubled} with problems; "
        f"{len(report.unexplained)} tailnet item(s) not explained by the registry"
    )


def fleet(
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON for machines.")] = False,
    show_all: Annotated[
        bool,
        typer.Option(
            "--all",
            help="List every environment, not only those with problems (after the summary).",
        ),
    ] = False,
    customers: CustomersOption = DEFAULT_CUSTOMERS_DIR,
) -> None:
    """One row per customer environment: operator online, client version, proxies, credential."""
    registry = registry_or_exit(customers)
    with open_client() as client:
        try:
            devices = client.list_devices()
            keys = client.list_key_details()
        except TailscaleError as exc:
            fail([f"fleet: cannot read the tailnet: {exc}"])
        where = describe_target(client)
    report = build_fleet(registry, devices, keys, clock())
    if as_json:
        typer.echo(json.dumps(report_document(report), indent=2))
        return
    out.print(f"{where}, pinned client {report.pinned_version}", markup=False)
    out.print(_summary(report), markup=False)
    # A table of 20,000 healthy rows helps nobody and costs most of the run: by default only
    # environments with problems are listed; --all lists every one.
    shown = (
        report if show_all else replace(report, rows=tuple(r for r in report.rows if r.problems))
    )
    if shown.rows:
        out.print(environments_table(shown))
    if report.unexplained:
        out.print(unexplained_table(report))
    else:
        out.print("Everything carrying a customer tag is explained by the registry.")


def register(app: typer.Typer) -> None:
    app.command()(fleet)
