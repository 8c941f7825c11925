"""How long `hfaccess report` takes for the sample registry and generated ones (prints only).

Usage (from the repository root): venv/bin/python -m benchmarks.report_bench [--sizes 100,1000]
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

from benchmarks.synthetic import write_registry
from hfaccess.registry.workspace import load_model
from hfaccess.report.site import render_site, write_site

ROOT = Path(__file__).resolve().parents[1]
HIGHFLAME = ROOT / "tailnet" / "highflame.yaml"
BUDGET_SECONDS = 3.0  # "under a few seconds" for 100 customers, load and write included


def measure(customers: Path, out: Path) -> tuple[float, int]:
    """Seconds to load, build, render and write the whole site; pages written."""
    start = time.perf_counter()
    pages = render_site(load_model(customers, HIGHFLAME))
    write_site(out, pages)
    return time.perf_counter() - start, len(pages)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", default="100,1000")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as work:
        workdir = Path(work)
        rows = [("sample", *measure(ROOT / "customers", workdir / "sample"))]
        for size in (int(s) for s in args.sizes.split(",") if s):
            customers = write_registry(workdir / f"customers-{size}", size)
            rows.append((f"{size} customers", *measure(customers, workdir / f"site-{size}")))
    print("hfaccess report (load, build, render, write; one process, templates compiled once)")
    for label, seconds, pages in rows:
        print(
            f"  {label:>16}: {seconds:6.2f} s for {pages} pages ({seconds / pages * 1000:.1f} ms/page)"
        )
    hundred = next((s for label, s, _ in rows if label == "100 customers"), None)
    if hundred is not None:
        verdict = "within budget" if hundred <= BUDGET_SECONDS else "OVER BUDGET"
        print(
            f"  100 customers vs {BUDGET_SECONDS:.0f} s budget: {hundred / BUDGET_SECONDS:.2f} ({verdict})"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
