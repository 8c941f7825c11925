"""Headless Chromium from the system (Debian's `chromium` package), driven by Playwright.

Nothing is downloaded: Playwright gets the system browser's path. `.ci/run` installs the
package when it is missing. Used by `report --pdf` and by the browser tests; imported only
there, so the rest of hfaccess never needs Playwright.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from playwright.sync_api import Browser, ConsoleMessage, Page, Route, sync_playwright
from playwright.sync_api import Error as PlaywrightError

CHROMIUM_ENV = "HFACCESS_CHROMIUM"
DEFAULT_CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
)


class BrowserUnavailable(RuntimeError):
    """No system Chromium, or Playwright could not start it."""


def chromium_path() -> str:
    """The system Chromium, or RuntimeError saying how to install it."""
    path = os.environ.get(CHROMIUM_ENV) or shutil.which("chromium") or DEFAULT_CHROMIUM
    if not Path(path).is_file():
        raise BrowserUnavailable(
            f"no Chromium at {path}: install Debian's package (`apt-get install -y chromium`, "
            f"as .ci/run does) or set {CHROMIUM_ENV}"
        )
    return path


@contextmanager
def system_browser() -> Iterator[Browser]:
    """One headless Chromium for a whole session."""
    path = chromium_path()
    with sync_playwright() as playwright:
        try:
            browser = playwright.chromium.launch(
                executable_path=path, args=list(CHROMIUM_ARGS), headless=True
            )
        except PlaywrightError as exc:
            raise BrowserUnavailable(f"cannot start Chromium at {path}: {exc.message}") from None
        try:
            yield browser
        finally:
            browser.close()


@dataclass
class Visit:
    """A page opened from disk, with every console error and every non-file request it made."""

    page: Page
    console_errors: list[str] = field(default_factory=list)
    remote_requests: list[str] = field(default_factory=list)


@contextmanager
def open_file(
    browser: Browser, path: Path, width: int = 1400, height: int = 900
) -> Iterator[Visit]:
    """Open `path` in a fresh context that blocks (and records) any request leaving file://."""
    context = browser.new_context(viewport={"width": width, "height": height})
    page = context.new_page()
    visit = Visit(page)

    def route(handle: Route) -> None:
        url = handle.request.url
        if url.startswith("file://"):
            handle.continue_()
        else:
            visit.remote_requests.append(url)
            handle.abort()

    def console(message: ConsoleMessage) -> None:
        if message.type == "error":
            visit.console_errors.append(message.text)

    context.route("**/*", route)
    page.on("console", console)
    page.on("pageerror", lambda error: visit.console_errors.append(str(error)))
    page.on(
        "request",
        lambda request: (
            None if request.url.startswith("file://") else visit.remote_requests.append(request.url)
        ),
    )
    try:
        page.goto(path.resolve().as_uri(), wait_until="load")
        yield visit
    finally:
        context.close()


def write_pdf(browser: Browser, page_path: Path, pdf_path: Path) -> list[str]:
    """Print one page to PDF (A4 landscape, backgrounds on); return what it tried to fetch
    beyond file:// or logged as errors (nothing, for the report's pages)."""
    with open_file(browser, page_path) as visit:
        visit.page.pdf(path=str(pdf_path), format="A4", landscape=True, print_background=True)
        return [*visit.console_errors, *visit.remote_requests]


def print_pdfs(pages: list[tuple[Path, Path]]) -> list[str]:
    """Print each (page, pdf) pair with one browser; return every problem, prefixed by page.

    Runs in a worker thread: Playwright's sync API refuses a thread with an asyncio loop, and a
    fresh thread has none whatever the caller's thread holds.
    """

    def run() -> list[str]:
        problems: list[str] = []
        with system_browser() as browser:
            for page_path, pdf_path in pages:
                found = write_pdf(browser, page_path, pdf_path)
                problems += [f"{page_path.name}: {problem}" for problem in found]
        return problems

    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(run).result()
