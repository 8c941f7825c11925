"""Running the CLI in-process, the way a person runs it from the repository root."""

from __future__ import annotations

from typer.testing import CliRunner, Result

from hfaccess.cli import app


def run_cli(*args: str) -> Result:
    """Invoke `hfaccess ARGS...`; stdout and stderr are kept apart."""
    return CliRunner().invoke(app, list(args), catch_exceptions=False)
