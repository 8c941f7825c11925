"""`hfaccess audit`: what customer credentials did on the tailnet, from the audit log.

Exit 0: nothing flagged in the window. 1: findings (each listed), so it can run on a schedule.
2: the log or the tailnet could not be read (or bad arguments): nothing was checked.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Annotated

import typer

from hfaccess.audit import audit_events
from hfaccess.cli.api import describe_target, open_client
from hfaccess.cli.common import DEFAULT_CUSTOMERS_DIR, CustomersOption, fail, out, registry_or_exit
from hfaccess.tsapi import TailscaleError
from hfaccess.tsapi.models import parse_time


class Clock:
    """What tests replace: now, in UTC."""

    now = staticmethod(lambda: datetime.now(UTC))


clock = Clock()


def _moment(value: str, option: str) -> datetime:
    parsed = parse_time(value)
    if parsed is None:
        fail([f"audit: {option} {value!r} is not an RFC 3339 time (2026-12-01T00:00:00Z)"], code=2)
    return parsed


def audit(
    hours: Annotated[
        float, typer.Option("--hours", help="Window: the last N hours (default 24).", min=0.01)
    ] = 24.0,
    start: Annotated[
        str | None, typer.Option("--start", help="Window start, RFC 3339 (overrides --hours).")
    ] = None,
    end: Annotated[str | None, typer.Option("--end", help="Window end, RFC 3339.")] = None,
    customers: CustomersOption = DEFAULT_CUSTOMERS_DIR,
) -> None:
    """Flag customer credentials acting outside their own tags, and devices joining under a
    customer tag that no registered environment explains (exit 1 if anything is flagged)."""
    registry = registry_or_exit(customers)
    until = _moment(end, "--end") if end else clock.now()
    since = _moment(start, "--start") if start else until - timedelta(hours=hours)
    if since >= until:
        fail(["audit: the window is empty (--start is not before --end)"], code=2)
    with open_client() as client:
        try:
            events = client.configuration_log(since, until)
            devices = client.list_devices()
            keys = client.list_key_details()
        except TailscaleError as exc:
            fail([f"audit: cannot read the tailnet: {exc}", "audit: nothing was checked"], code=2)
        where = describe_target(client)
    findings = audit_events(events, devices, keys, registry)
    window = f"{since.isoformat()} .. {until.isoformat()}"
    out.print(f"Configuration audit log of {where}, {window}: {len(events)} event(s)", markup=False)
    if findings:
        lines = [f"  - {f.line()}" for f in findings]
        fail(
            [
                *lines,
                f"FLAGGED: {len(findings)} event(s) need review (docs/runbooks/revocation.md).",
            ]
        )
    out.print(
        "OK: no customer credential acted outside its own tags, and every device that joined "
        "under a customer tag belongs to a registered environment.",
        markup=False,
    )


def register(app: typer.Typer) -> None:
    app.command()(audit)
