"""`hfaccess validate`: is the registry (and every stack file) safe to apply?

It runs every gate there is (hfaccess.gate): the registry and Highflame file as typed input,
the composed tailnet policy through the checker, and every environment's install plan. What
passes here passes `render --all`, `check` and every stack's program; what fails here, they
refuse too.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from hfaccess.cli.common import (
    DEFAULT_CUSTOMERS_DIR,
    DEFAULT_HIGHFLAME_FILE,
    CustomersOption,
    HighflameOption,
    err,
    fail,
    gated_model_or_exit,
    out,
)
from hfaccess.registry.workspace import check_stack_files


def validate(
    customers: CustomersOption = DEFAULT_CUSTOMERS_DIR,
    highflame: HighflameOption = DEFAULT_HIGHFLAME_FILE,
    stack_files: Annotated[
        Path | None,
        typer.Option(
            "--stack-files",
            help="Also check the Pulumi.<stack>.yaml files in this directory (e.g. `.`).",
        ),
    ] = None,
) -> None:
    """Exit 0 when the registry is valid; otherwise print `<file>: <field>: <reason>` and exit 1."""
    model = gated_model_or_exit(customers, highflame)
    if stack_files is not None:
        errors, notes = check_stack_files(stack_files, model.registry)
        for note in notes:
            err.print(f"note: {note}", markup=False)
        if errors:
            fail([str(e) for e in sorted(errors)])
    registry = model.registry
    envs = list(registry.environments())
    out.print(
        f"ok: {len(registry.customers)} customers, {len(envs)} environments, "
        f"{len(registry.stack_names())} stacks",
        markup=False,
    )


def register(app: typer.Typer) -> None:
    app.command()(validate)
