"""Drift results for people: a terminal table, and markdown for a CI job summary."""

from __future__ import annotations

from collections.abc import Sequence

from rich.table import Table

from hfaccess.drift.model import StackResult, Status

_STYLES = {Status.CLEAN: "green", Status.DRIFTED: "yellow", Status.ERROR: "red"}
_ICONS = {Status.CLEAN: "✅", Status.DRIFTED: "⚠️", Status.ERROR: "❌"}


def summary_table(results: Sequence[StackResult]) -> Table:
    """Stack | Status | Changes, in the registry's stack order."""
    table = Table(title="Drift check", title_justify="left")
    table.add_column("Stack", no_wrap=True)
    table.add_column("Status", no_wrap=True)
    table.add_column("Changes")
    for result in results:
        style = _STYLES[result.status]
        table.add_row(
            result.stack, f"[{style}]{result.status.value}[/{style}]", _escape(result.summary())
        )
    return table


def _escape(text: str) -> str:
    return text.replace("[", "\\[")


def _md(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def markdown_report(results: Sequence[StackResult], title: str = "Drift check") -> str:
    """A job summary: counts, a table, then per drifted/failed stack what differs."""
    counts = {status: sum(r.status is status for r in results) for status in Status}
    lines = [
        f"## {title}",
        "",
        f"{counts[Status.CLEAN]} clean · {counts[Status.DRIFTED]} drifted · "
        f"{counts[Status.ERROR]} error, of {len(results)} stacks",
        "",
        "| Stack | Status | Changes |",
        "|---|---|---|",
    ]
    lines += [
        f"| `{r.stack}` | {_ICONS[r.status]} {r.status.value} | {_md(r.summary())} |"
        for r in results
    ]
    for result in results:
        if result.status is Status.CLEAN:
            continue
        lines += ["", f"### `{result.stack}`: {result.status.value}", ""]
        lines += [f"- `{change.describe()}`" for change in result.changes]
        lines += [f"- policy violation: {_md(v)}" for v in result.violations]
        if result.error:
            prefix = "" if result.error.startswith("error") else "error: "
            lines.append(f"- {prefix}{_md(result.error)}")
        lines += [f"- {_md(note)}" for note in result.notes]
    return "\n".join(lines) + "\n"
