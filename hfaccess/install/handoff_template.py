"""The Jinja2 environment of the handoff (INSTALL.md): templates shipped in this package.

Markdown, not HTML: no autoescaping (backticks, quotes and `<...>` placeholders are meant
literally). StrictUndefined makes a misspelt or missing variable an error, never an empty string.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined

TEMPLATE = "INSTALL.md.j2"
ELEVATION_TEMPLATE = "_elevation.md.j2"


@cache
def environment() -> Environment:
    """One template environment per process: templates compile once, on first use."""
    return Environment(
        loader=PackageLoader("hfaccess.install", "templates"),
        autoescape=False,  # markdown for people to read, never served as HTML
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        # Shipped templates do not change under a running process: no stat per include per
        # stack (render --all renders 20,000 handoffs, each including a dozen templates).
        auto_reload=False,
    )


def render(template: str, context: Mapping[str, Any]) -> str:
    """`template` rendered with `context`; an undefined variable raises, never renders empty."""
    return environment().get_template(template).render(context)
