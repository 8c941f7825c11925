"""`hfaccess fleet`: every customer environment as the tailnet sees it, and what nothing explains."""

from __future__ import annotations

import json
from typing import Annotated

import typer

from hfaccess.cli.api import describe_target, open_client
from hfaccess.cli.common import DEFAULT_CUSTOMERS_DIR, CustomersOption, fail, out, registry_or_exit
from hfaccess.cli.hooks import hooks
from hfaccess.fleet.output import environments_table, report_document, unexplained_table
from hfaccess.fleet.report import build_fleet
from hfaccess.tsapi import TailscaleError


def fleet(
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON for machines.")] = False,
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
    report = build_fleet(registry, devices, keys, hooks.clock())
    if as_json:
        typer.echo(json.dumps(report_document(report), indent=2))
        return
    out.print(f"{where}, pinned client {report.pinned_version}", markup=False)
    out.print(environments_table(report))
    if report.unexplained:
        out.print(unexplained_table(report))
    else:
        out.print("Everything carrying a customer tag is explained by the registry.")


def register(app: typer.Typer) -> None:
    app.command()(fleet)
