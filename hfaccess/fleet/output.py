"""The fleet report for people (rich tables) and for machines (JSON)."""

from __future__ import annotations

from dataclasses import asdict
from datetime import datetime
from typing import Any

from rich.table import Table

from hfaccess.fleet.report import DeviceView, EnvironmentRow, FleetReport


def _jsonable(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.isoformat().replace("+00:00", "Z")
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    return value


def _camel(name: str) -> str:
    head, *rest = name.split("_")
    return head + "".join(part.title() for part in rest)


def _keys(value: Any) -> Any:
    if isinstance(value, dict):
        return {_camel(k): _keys(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_keys(v) for v in value]
    return value


def report_document(report: FleetReport) -> dict[str, Any]:
    """The report as JSON-ready data (camelCase keys, RFC 3339 times)."""
    document = {
        "generated_at": report.generated_at,
        "pinned_version": report.pinned_version,
        "environments": [asdict(row) for row in report.rows],
        "unexplained": [asdict(item) for item in report.unexplained],
        "summary": {
            "environments": len(report.rows),
            "with_problems": sum(1 for row in report.rows if row.problems),
            "unexplained": len(report.unexplained),
        },
    }
    result: dict[str, Any] = _keys(_jsonable(document))
    return result


def _online(device: DeviceView | None) -> str:
    if device is None:
        return "[red]missing[/]"
    if device.online is True:
        return "[green]online[/]"
    if device.online is False:
        return "[red]offline[/]"
    return "unknown"


def _seen(device: DeviceView | None, now: datetime) -> str:
    if device is None or device.last_seen is None:
        return "-"
    minutes = int((now - device.last_seen).total_seconds() // 60)
    if minutes < 1:
        return "just now"
    if minutes < 120:
        return f"{minutes} min ago"
    hours = minutes // 60
    return f"{hours} h ago" if hours < 48 else f"{hours // 24} d ago"


def _client(device: DeviceView | None, pinned: str) -> str:
    if device is None:
        return "-"
    version = device.client_version.split("-", 1)[0] or "?"
    if device.version_status == "pinned":
        return f"[green]{version}[/]"
    return f"[yellow]{version}[/] (pinned {pinned})"


def _proxies(row: EnvironmentRow) -> str:
    lines = []
    for proxy in row.proxies:
        label = proxy.device.name
        tags = ",".join(proxy.device.tags)
        mark = "" if proxy.exposure else " [yellow](unregistered)[/]"
        lines.append(f"{label} ({tags}){mark}")
    return "\n".join(lines) or "-"


def _credentials(row: EnvironmentRow) -> str:
    if not row.credentials:
        return "[red]none[/]" if row.active else "-"
    parts = []
    for cred in row.credentials:
        age = f"{cred.age_days:.0f} d" if cred.age_days is not None else "age ?"
        parts.append(f"{cred.kind}, {age}")
    return "\n".join(parts)


def environments_table(report: FleetReport) -> Table:
    table = Table(title=f"Fleet ({len(report.rows)} environments)", show_lines=True)
    for column in (
        "Environment",
        "State",
        "Operator",
        "Last seen",
        "Client",
        "Proxies",
        "Credential",
        "Problems",
    ):
        table.add_column(column)
    for row in report.rows:
        table.add_row(
            f"{row.customer}/{row.environment}\n{row.hostname}",
            "active" if row.active else "[yellow]revoked[/]",
            _online(row.operator) if row.active or row.operator else "-",
            _seen(row.operator, report.generated_at),
            _client(row.operator, report.pinned_version),
            _proxies(row),
            _credentials(row),
            "\n".join(f"[red]{p}[/]" for p in row.problems) or "[green]ok[/]",
        )
    return table


def unexplained_table(report: FleetReport) -> Table:
    table = Table(
        title=f"In the tailnet, not explained by the registry ({len(report.unexplained)})"
    )
    for column in ("Kind", "Id", "Name", "Tags", "Why"):
        table.add_column(column)
    for item in report.unexplained:
        table.add_row(item.what, item.id, item.name, ", ".join(item.tags), item.reason)
    return table
