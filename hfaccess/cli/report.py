"""`hfaccess report`: the access report, a static site security teams and auditors open offline."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from hfaccess.cli.common import (
    DEFAULT_CUSTOMERS_DIR,
    DEFAULT_HIGHFLAME_FILE,
    CustomersOption,
    HighflameOption,
    err,
    fail,
    fail_invalid,
    load_or_exit,
    out,
)
from hfaccess.registry.errors import InvalidInput
from hfaccess.report.model import build_site
from hfaccess.report.site import INDEX, page_name, render_pages, write_site


def report(
    out_dir: Annotated[Path, typer.Option("--out", help="Directory to write the site into.")],
    customers: CustomersOption = DEFAULT_CUSTOMERS_DIR,
    highflame: HighflameOption = DEFAULT_HIGHFLAME_FILE,
    pdf: Annotated[
        bool,
        typer.Option(
            "--pdf",
            help="Also print each customer page to OUT/<customer>.pdf for the handoff (headless "
            "system Chromium, as the browser tests use).",
        ),
    ] = False,
) -> None:
    """Write the access report: OUT/index.html (the fleet) and OUT/<customer>.html (one each)."""
    model = load_or_exit(customers, highflame)
    try:  # every page renders in memory first: a refusal writes nothing
        site = build_site(model)
        pages = render_pages(site)
    except InvalidInput as exc:
        fail_invalid(exc)
    try:
        written = write_site(out_dir, pages)
    except OSError as exc:
        fail([f"--out: cannot write {out_dir.as_posix()}: {exc.strerror or exc}"], code=2)
    out.print(
        f"wrote {len(written)} pages into {out_dir.as_posix()}: open "
        f"{(out_dir / INDEX).as_posix()}",
        markup=False,
    )
    if pdf:
        _write_pdfs(out_dir, [page.name for page in site.customers])
    if not site.verdict.sound:
        for line in site.verdict.violations:
            err.print(f"error: {line}", markup=False)
        err.print("report: the generated policy fails the checker (shown in the report)")
        raise typer.Exit(1)


def _write_pdfs(out_dir: Path, customers: list[str]) -> None:
    from hfaccess.report.browser import BrowserUnavailable, print_pdfs

    pages = [(out_dir / page_name(c), out_dir / f"{c}.pdf") for c in customers]
    try:
        problems = print_pdfs(pages)
    except BrowserUnavailable as exc:
        fail([f"report --pdf: {exc}"], code=2)
    if problems:
        fail([f"report --pdf: {problem}" for problem in problems], code=1)
    for _, pdf in pages:
        out.print(f"wrote {pdf.as_posix()}", markup=False)


def register(app: typer.Typer) -> None:
    app.command()(report)
