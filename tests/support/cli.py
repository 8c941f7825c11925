"""Running the CLI in-process, the way a person runs it from the repository root."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from typer.testing import CliRunner, Result

from hfaccess.cli import app
from hfaccess.cli.hooks import hooks
from hfaccess.tsapi import settings
from tests.support.fake_tailscale import FakeTailscale, TailnetState

TAILSCALE_VARIABLES = (
    settings.ENV_BASE_URL,
    settings.ENV_TAILNET,
    settings.ENV_CLIENT_ID,
    settings.ENV_CLIENT_SECRET,
    settings.ENV_API_KEY,
)


def run_cli(*args: str) -> Result:
    """Invoke `hfaccess ARGS...`; stdout and stderr are kept apart."""
    return CliRunner().invoke(app, list(args), catch_exceptions=False)


def clear_tailscale_env(monkeypatch: pytest.MonkeyPatch) -> None:
    """No TAILSCALE_* variable from the machine running the tests reaches the command."""
    for name in TAILSCALE_VARIABLES:
        monkeypatch.delenv(name, raising=False)


@contextmanager
def serve_fake_api(monkeypatch: pytest.MonkeyPatch, state: TailnetState) -> Iterator[FakeTailscale]:
    """A loopback fake Tailscale API holding `state`, with the CLI's TAILSCALE_* variables
    pointing at it (OAuth client credentials) and retries that do not sleep."""
    with FakeTailscale(state) as server:
        clear_tailscale_env(monkeypatch)
        for name, value in server.env().items():
            monkeypatch.setenv(name, value)
        monkeypatch.setattr(hooks, "sleep", lambda _: None)
        yield server
