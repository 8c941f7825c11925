"""The browser tests open pages the way `report --pdf` does: one system Chromium, no download."""

from __future__ import annotations

from hfaccess.report.browser import Visit, open_file, system_browser

__all__ = ["Visit", "open_file", "system_browser"]
