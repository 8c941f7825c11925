"""The access report in a real browser (headless system Chromium), opened from disk."""

from __future__ import annotations

from pathlib import Path

from playwright.sync_api import Browser

from tests.browser.conftest import CUSTOMERS
from tests.support.browser import open_file
from tests.support.report_registry import report_customer


def test_index_lists_every_environment_and_filters_and_sorts(browser: Browser, site: Path) -> None:
    expected = sum(len(report_customer(i)["environments"]) for i in range(CUSTOMERS))
    with open_file(browser, site / "index.html") as visit:
        page = visit.page
        rows = page.locator("#fleet tbody tr")
        assert rows.count() == expected
        assert page.locator("#shown").inner_text() == f"{expected} of {expected} environments shown"
        links = {
            page.locator("#fleet tbody tr td:first-child a").nth(i).inner_text()
            for i in range(expected)
        }
        assert links == {f"tenant{i:03d}" for i in range(CUSTOMERS)}
        admins = [i for i in range(CUSTOMERS) if i % 11 == 3 and i % 7 != 6]
        page.fill("#filter", "cluster-admin")
        assert page.locator("#fleet tbody tr:visible").count() == len(admins)
        page.fill("#filter", "")
        page.click("#fleet thead th:nth-child(1)")
        page.click("#fleet thead th:nth-child(1)")  # descending
        first = page.locator("#fleet tbody tr").first.locator("td").first.inner_text()
        assert first == f"tenant{CUSTOMERS - 1:03d}"
        assert visit.console_errors == []
        assert visit.remote_requests == []


def test_customer_page_shows_the_access_map(browser: Browser, site: Path) -> None:
    with open_file(browser, site / "tenant005.html") as visit:  # exposures, handoff
        page = visit.page
        svg = page.locator("svg.access-map")
        assert svg.is_visible()
        box = svg.bounding_box()
        assert box is not None
        assert box["width"] > 600
        assert box["height"] > 100
        for text in (
            "alice@highflame.ai",
            "tag:cust-tenant005",
            "tenant005-prod-kube",
            "tenant005-prod-studio",
        ):
            assert svg.get_by_text(text, exact=True).first.is_visible()
        assert page.locator("#status").inner_text().startswith("Read-only access")
        assert page.locator("#policy-tests tbody tr").count() >= 3
        assert "0 violations" in page.locator("#checker").inner_text()
        assert visit.console_errors == []
        assert visit.remote_requests == []


def test_revoked_customer_says_so_and_shows_no_engineer(browser: Browser, site: Path) -> None:
    with open_file(browser, site / "tenant006.html") as visit:
        page = visit.page
        assert page.locator("#status").inner_text().startswith("REVOKED")
        svg = page.locator("svg.access-map")
        assert svg.is_visible()
        assert svg.get_by_text("no engineer has access").is_visible()
        assert "@" not in (svg.text_content() or "")
        assert "None." in page.locator("#engineers + p").inner_text()
        assert visit.console_errors == []
        assert visit.remote_requests == []
