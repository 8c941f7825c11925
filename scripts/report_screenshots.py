"""Regenerate the report pictures in docs/ from the sample registry (headless system Chromium).

Usage (from the repository root): venv/bin/python scripts/report_screenshots.py [CUSTOMER]
Writes docs/access-map.png (the access map of CUSTOMER, default acme) and
docs/report-customer.png (that customer's whole page).
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from hfaccess.registry.workspace import load_model  # noqa: E402
from hfaccess.report.site import page_name, render_site, write_site  # noqa: E402
from tests.support.browser import open_file, system_browser  # noqa: E402


def main(customer: str = "acme") -> int:
    model = load_model(ROOT / "customers", ROOT / "tailnet" / "highflame.yaml")
    with tempfile.TemporaryDirectory() as work:
        site = Path(work)
        write_site(site, render_site(model))
        with (
            system_browser() as browser,
            open_file(browser, site / page_name(customer), 1280) as visit,
        ):
            if visit.console_errors or visit.remote_requests:
                print(f"refusing: {visit.console_errors} {visit.remote_requests}", file=sys.stderr)
                return 1
            visit.page.locator(".map-frame").screenshot(path=str(ROOT / "docs" / "access-map.png"))
            visit.page.screenshot(path=str(ROOT / "docs" / "report-customer.png"), full_page=True)
    print("wrote docs/access-map.png and docs/report-customer.png")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(*sys.argv[1:2]))
