"""The `hfaccess` command line: the same pure builders as the Pulumi program, no engine needed.

Each command lives in a module of its own that registers it (`register(app)`). `main` imports
only the module of the command being run: the others pull in what only they need (httpx for the
API commands, ruamel for the roster, Jinja2 for the report), about a third of a second that
`render` or `validate` would pay on every run. `app` holds every command (for `--help`, the
docs and the tests).
"""

from __future__ import annotations

import importlib
import sys
from collections.abc import Iterable
from typing import Any

import typer

# Command (or command group) -> the module that registers it, in the order `--help` lists them.
COMMANDS = {
    "validate": "validate",
    "render": "render",
    "check": "check",
    "stacks": "matrix",
    "diff": "artifact_diff",
    "drift": "drift",
    "drift-record": "drift",
    "drift-report": "drift",
    "kill": "kill",
    "sre": "roster",
    "fleet": "fleet",
    "connect": "connect",
    "report": "report",
    "elevate": "elevate",
    "audit": "audit",
}


def build_app(commands: Iterable[str] | None = None) -> typer.Typer:
    """The command line with `commands` (None: every command)."""
    app = typer.Typer(
        name="hfaccess",
        help="Highflame BYOC cluster access: validate, render and check what the Pulumi stacks "
        "apply.",
        no_args_is_help=True,
        add_completion=False,
        pretty_exceptions_enable=False,
    )

    @app.callback()
    def _group() -> None:
        """Keeps `hfaccess COMMAND` a group even when only one command is loaded."""

    wanted = COMMANDS.values() if commands is None else (COMMANDS[c] for c in commands)
    for module in dict.fromkeys(wanted):
        importlib.import_module(f"hfaccess.cli.{module}").register(app)
    return app


def __getattr__(name: str) -> Any:
    """`hfaccess.cli.app`: every command, built on first use."""
    if name == "app":
        app = build_app()
        globals()["app"] = app
        return app
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def main() -> None:
    """Console-script entry point: loads only the command named on the command line."""
    command = next((arg for arg in sys.argv[1:] if not arg.startswith("-")), None)
    build_app([command] if command in COMMANDS else None)()
