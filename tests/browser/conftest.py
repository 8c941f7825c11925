"""One browser and one generated site for every browser test of the session."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser

from hfaccess.registry.workspace import load_model
from hfaccess.report.site import render_site, write_site
from tests.support.browser import system_browser
from tests.support.files import REPO
from tests.support.report_registry import write_report_registry

CUSTOMERS = 36


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    with system_browser() as opened:
        yield opened


@pytest.fixture(scope="session")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("report")
    customers = write_report_registry(root / "customers", CUSTOMERS)
    model = load_model(customers, REPO / "tailnet" / "highflame.yaml")
    out = root / "site"
    write_site(out, render_site(model))
    return out
