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
from hfaccess.matrix import (
    MAX_MATRIX_JOBS,
    ShardError,
    batch_document,
    matrix_document,
    parse_shard,
    shard,
    stack_rows,
)


def _read_selection(path: Path) -> list[str]:
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        fail([f"--select: cannot read {path.as_posix()}: {exc.strerror or exc}"], code=2)
    return [line.strip() for line in text.splitlines() if line.strip()]


def stacks(
    *,
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
    shard_of: Annotated[
        str | None,
        typer.Option(
            "--shard",
            help="Keep only batch K of N (K/N): contiguous, near-equal slices of the list.",
        ),
    ] = None,
    batches: Annotated[
        bool,
        typer.Option(
            "--batches",
            help=f"Print a matrix of batches (at most {MAX_MATRIX_JOBS} jobs), one per "
            "`--shard K/N`, instead of one row per stack.",
        ),
    ] = False,
    customers: CustomersOption = DEFAULT_CUSTOMERS_DIR,
    highflame: HighflameOption = DEFAULT_HIGHFLAME_FILE,
) -> None:
    """List every stack: `tailnet`, then `<customer>-<env>` sorted, derived from the registry."""
    model = load_or_exit(customers, highflame)
    only = None if select is None else _read_selection(select)
    rows = stack_rows(model.registry, only)
    if batches:
        print(json.dumps(batch_document(rows), separators=(",", ":")))
        return
    if shard_of is not None:
        try:
            k, n = parse_shard(shard_of)
        except ShardError as exc:
            fail([f"--shard: {exc}"], code=2)
        rows = shard(rows, k, n)
    if as_json:
        # One line, no colour: CI writes it straight into $GITHUB_OUTPUT.
        print(json.dumps(matrix_document(rows), separators=(",", ":")))
        return
    for row in rows:
        out.print(row.stack, markup=False)


def register(app: typer.Typer) -> None:
    app.command()(stacks)
