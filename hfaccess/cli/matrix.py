"""`hfaccess stacks`: every stack the registry implies, for people and for CI matrices."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from hfaccess.cli.common import (
    DEFAULT_CUSTOMERS_DIR,
    DEFAULT_HIGHFLAME_FILE,
    CustomersOption,
    HighflameOption,
    fail,
    load_or_exit,
    out,
)
from hfaccess.matrix import matrix_document, stack_rows


def _read_selection(path: Path) -> list[str]:
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        fail([f"--select: cannot read {path.as_posix()}: {exc.strerror or exc}"], code=2)
    return [line.strip() for line in text.splitlines() if line.strip()]


def stacks(
    as_json: Annotated[
        bool,
        typer.Option(
            "--json",
            help='Print a GitHub Actions matrix: {"include": [{"stack": ..., "cluster": ...}]}.',
        ),
    ] = False,
    select: Annotated[
        Path | None,
        typer.Option(
            "--select",
            help="Keep only the stacks named in this file (one per line); unknown names are skipped.",
        ),
    ] = None,
    customers: CustomersOption = DEFAULT_CUSTOMERS_DIR,
    highflame: HighflameOption = DEFAULT_HIGHFLAME_FILE,
) -> None:
    """List every stack: `tailnet`, then `<customer>-<env>` sorted, derived from the registry."""
    model = load_or_exit(customers, highflame)
    only = None if select is None else _read_selection(select)
    rows = stack_rows(model.registry, only)
    if as_json:
        # One line, no colour: CI writes it straight into $GITHUB_OUTPUT.
        print(json.dumps(matrix_document(rows), separators=(",", ":")))
        return
    for row in rows:
        out.print(row.stack, markup=False)


def register(app: typer.Typer) -> None:
    app.command()(stacks)
