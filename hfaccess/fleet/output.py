"""The fleet report for people (rich tables that fit 80 columns) and for machines (JSON).

Every column folds long words onto the next line instead of cutting them with an ellipsis, and
detail (proxy tags, credential ids) that would not fit stays in `--json`.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from dataclasses import asdict
from datetime import datetime
from typing import Any

from rich import box
from rich.table import Table

from hfaccess.fleet.report import DeviceView, EnvironmentRow, FleetReport, FleetVerdict, verdict


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
        "summary": _summary(verdict(report)),
    }
    result: dict[str, Any] = _keys(_jsonable(document))
    return result


def _json_lines(value: Any, indent: str) -> str:
    """`value` as `json.dumps(..., indent=2)` prints it nested at `indent` (after its key)."""
    return json.dumps(value, indent=2).replace("\n", "\n" + indent)


def _json_array(items: Iterable[Any], indent: str) -> Iterator[str]:
    """A JSON array, one element at a time, exactly as `json.dumps(..., indent=2)` lays it out."""
    inner = indent + "  "
    empty = True
    for item in items:
        yield ("[\n" if empty else ",\n") + inner + _json_lines(item, inner)
        empty = False
    yield "[]" if empty else "\n" + indent + "]"


def report_json_chunks(report: FleetReport, found: FleetVerdict) -> Iterator[str]:
    """`json.dumps(report_document(report), indent=2)` in pieces, one environment at a time.

    `fleet --json` writes these as they are produced: at 10,000 customers the document is tens
    of MB, and holding it as one string (next to its dict) doubles the peak for nothing.
    """

    def jsonable(value: Any) -> Any:
        return _keys(_jsonable(value))

    yield "{\n"
    yield f'  "generatedAt": {_json_lines(jsonable(report.generated_at), "  ")},\n'
    yield f'  "pinnedVersion": {_json_lines(report.pinned_version, "  ")},\n'
    yield '  "environments": '
    yield from _json_array((jsonable(asdict(row)) for row in report.rows), "  ")
    yield ',\n  "unexplained": '
    yield from _json_array((jsonable(asdict(item)) for item in report.unexplained), "  ")
    yield f',\n  "summary": {_json_lines(jsonable(_summary(found)), "  ")}\n}}'


def _summary(found: FleetVerdict) -> dict[str, Any]:
    return {
        "environments": found.environments,
        "with_problems": found.with_problems,
        "unexplained": found.unexplained,
        "clients_not_pinned": list(found.clients_not_pinned),
        "ok": found.ok,
    }


def summary_line(found: FleetVerdict, pinned: str) -> str:
    """The last line of `fleet`: OK, or what is left, named."""
    if found.ok:
        return (
            f"fleet: OK: {found.environments} environment(s) as the registry says, every client "
            f"on {pinned}, nothing unexplained"
        )
    parts = []
    if found.with_problems:
        parts.append(f"{found.with_problems} environment(s) with problems")
    if found.unexplained:
        parts.append(f"{found.unexplained} unexplained")
    if found.clients_not_pinned:
        shown = ", ".join(found.clients_not_pinned)
        parts.append(f"{len(found.clients_not_pinned)} client(s) not on {pinned} ({shown})")
    return "fleet: ATTENTION: " + "; ".join(parts)


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


def _proxies(row: EnvironmentRow) -> list[str]:
    """One line per proxy, under the environment (tags are in --json)."""
    lines = []
    for proxy in row.proxies:
        lines.append(f"+ {proxy.device.name}")
        if not proxy.exposure:
            lines.append("  [yellow](unregistered)[/]")
    return lines


def _longest(values: list[str], floor: int, cap: int) -> int:
    """The width that shows the longest name whole, within [floor, cap]."""
    return max(floor, min(cap, max((len(v) for v in values), default=floor)))


def _credentials(row: EnvironmentRow) -> str:
    if not row.credentials:
        return "[red]none[/]" if row.active else "-"
    parts = []
    for cred in row.credentials:
        age = f"{cred.age_days:.0f} d" if cred.age_days is not None else "age ?"
        parts.append(f"{cred.kind}, {age}")
    return "\n".join(parts)


def _table(title: str, columns: tuple[tuple[str, int | None], ...]) -> Table:
    """A table whose cells fold instead of being cut: nothing is ever shown as `acme-d…`.

    A column with a width keeps names whole (they are sized to the longest, within a cap);
    the others share what is left and wrap at spaces.
    """
    table = Table(title=title, show_lines=True, box=box.SQUARE, padding=(0, 1), expand=False)
    for header, width in columns:
        table.add_column(header, overflow="fold", width=width)
    return table


def environments_table(report: FleetReport) -> Table:
    """One row per environment; operator, last seen and client share a cell (80 columns)."""
    names = [r.hostname for r in report.rows]
    names += [f"+ {p.device.name}" for r in report.rows for p in r.proxies]
    table = _table(
        f"Fleet ({len(report.rows)} environments)",
        (
            ("Environment", _longest(names, 11, 26)),
            ("Operator", None),
            ("Credential", None),
            ("Problems", None),
        ),
    )
    for row in report.rows:
        state = "" if row.active else "\n[yellow]revoked[/]"
        operator = _online(row.operator) if row.active or row.operator else "-"
        seen = _seen(row.operator, report.generated_at)
        client = _client(row.operator, report.pinned_version)
        table.add_row(
            "\n".join([f"{row.customer}/{row.environment}{state}", row.hostname, *_proxies(row)]),
            "\n".join(part for part in (operator, seen, client) if part != "-") or "-",
            _credentials(row),
            "\n".join(f"[red]{p}[/]" for p in row.problems) or "[green]ok[/]",
        )
    return table


def unexplained_table(report: FleetReport) -> Table:
    table = _table(
        f"In the tailnet, not explained by the registry ({len(report.unexplained)})",
        (
            ("What", 10),
            ("Name", _longest([u.name for u in report.unexplained], 8, 24)),
            ("Tags", _longest([t for u in report.unexplained for t in u.tags], 8, 18)),
            ("Why", None),
        ),
    )
    for item in report.unexplained:
        table.add_row(
            f"{item.what}\n{item.id}", item.name, "\n".join(item.tags) or "-", item.reason
        )
    return table
