"""Render the report's pages with Jinja2 templates shipped in this package, and write them.

Pages are fully rendered in memory first: nothing is written if any page fails. Every page is
self-contained (inline CSS, JavaScript and SVG) and names no remote resource, so the site opens
from disk with no network at all.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from jinja2 import Environment, PackageLoader, StrictUndefined

from hfaccess.install import chart
from hfaccess.registry.workspace import AccessModel
from hfaccess.report.model import CustomerPage, Site, build_site
from hfaccess.report.svg import access_map

INDEX = "index.html"


@cache
def _environment() -> Environment:
    """One template environment per process: templates compile once, on first use."""
    return Environment(
        loader=PackageLoader("hfaccess.report", "templates"),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )


def page_name(customer: str) -> str:
    """The customer's page inside the site."""
    return f"{customer}.html"


def render_map(page: CustomerPage) -> str:
    """The customer's access map as a standalone SVG document (same page, same bytes)."""
    return _environment().get_template("access_map.svg.j2").render(map=access_map(page))


def render_pages(site: Site) -> dict[str, str]:
    """File name -> HTML for the index and every customer page."""
    env = _environment()
    common = {"site": site, "chart_version": chart.CHART_VERSION, "page_name": page_name}
    pages = {INDEX: env.get_template("index.html.j2").render(**common)}
    template = env.get_template("customer.html.j2")
    for page in site.customers:
        pages[page_name(page.name)] = template.render(
            **common, page=page, access_map=access_map(page)
        )
    return pages


def render_site(model: AccessModel) -> dict[str, str]:
    """The whole site for `model`, in memory."""
    return render_pages(build_site(model))


def write_site(directory: Path, pages: dict[str, str]) -> list[Path]:
    """Write the pages into `directory` (created), removing stale customer pages."""
    directory.mkdir(parents=True, exist_ok=True)
    for stale in sorted(directory.glob("*.html")):
        if stale.name not in pages:
            stale.unlink()
    written = []
    for name, text in sorted(pages.items()):
        path = directory / name
        path.write_text(text, encoding="utf-8")
        written.append(path)
    return written
