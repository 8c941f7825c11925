"""The `hfaccess` command line: the same pure builders as the Pulumi program, no engine needed."""

from __future__ import annotations

import typer

from hfaccess.cli import (
    artifact_diff,
    check,
    connect,
    drift,
    fleet,
    kill,
    matrix,
    render,
    roster,
    validate,
)
from hfaccess.cli import audit as audit_command
from hfaccess.cli import elevate as elevate_command
from hfaccess.cli import report as report_cli

app = typer.Typer(
    name="hfaccess",
    help="Highflame BYOC cluster access: validate, render and check what the Pulumi stacks apply.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

# Each command module registers its own commands; add new modules here.
for _module in (
    validate,
    render,
    check,
    matrix,
    artifact_diff,
    drift,
    kill,
    roster,
    fleet,
    connect,
):
    _module.register(app)
report_cli.register(app)
elevate_command.register(app)
audit_command.register(app)


def main() -> None:
    """Console-script entry point."""
    app()
