"""`hfaccess COMMAND` loads only COMMAND's module; `hfaccess.cli.app` still has every command."""

from __future__ import annotations

import subprocess
import sys

import pytest

from hfaccess.cli import COMMANDS, app, build_app
from tests.support.files import REPO


def test_every_registered_command_is_in_the_table() -> None:
    registered = {
        c.name or (c.callback.__name__ if c.callback else "") for c in app.registered_commands
    }
    registered |= {g.name or "" for g in app.registered_groups}
    assert registered == set(COMMANDS)


@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_each_command_alone_is_still_a_subcommand(command: str) -> None:
    from typer.testing import CliRunner

    result = CliRunner().invoke(build_app([command]), [command, "--help"])
    assert result.exit_code == 0, result.output
    assert "Usage:" in result.output


def test_running_validate_imports_no_api_roster_or_report_library() -> None:
    probe = (
        "import sys, runpy\n"
        "sys.argv = ['hfaccess', 'validate']\n"
        "try:\n"
        "    runpy.run_module('hfaccess', run_name='__main__')\n"
        "except SystemExit as exit:\n"
        "    assert not exit.code, exit.code\n"
        "loaded = [m for m in ('httpx', 'ruamel.yaml', 'jinja2', 'hfaccess.tsapi.client',"
        " 'hfaccess.cli.kill', 'hfaccess.cli.check') if m in sys.modules]\n"
        "print('LOADED', loaded)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe], cwd=REPO, capture_output=True, text=True, check=True
    )
    assert "LOADED []" in result.stdout, result.stdout + result.stderr
