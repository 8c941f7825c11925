"""A stand-in for `helm template` that renders the chart MODEL (tests/support/chart_model.py).

It lets the tests run scripts/verify-chart.sh end to end offline. It refuses any chart other
than the pinned one from its repository, or an existing local path (what --chart passes), so the
script's helm command is checked too. FAKE_HELM_BREAK=proxy-tags renders
proxyConfig.defaultTags as a list, to see the check fail. FAKE_HELM_LOG=<file> appends each
command line to that file.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any

import yaml

from hfaccess.install import chart
from tests.support.chart_model import render_model, set_string


def main(argv: list[str]) -> int:
    source = [chart.CHART_NAME, "--repo", chart.CHART_REPOSITORY, "--version", chart.CHART_VERSION]
    if len(argv) > 2 and argv[2] != chart.CHART_NAME and Path(argv[2]).exists():
        source = [argv[2]]  # a local chart (verify-chart --chart)
    expected = [
        "template",
        chart.RELEASE_NAME,
        *source,
        "--namespace",
        chart.RELEASE_NAMESPACE,
        "--values",
    ]
    if log := os.environ.get("FAKE_HELM_LOG"):
        with open(log, "a", encoding="utf-8") as handle:
            handle.write(" ".join(argv) + "\n")
    if argv[: len(expected)] != expected:
        print(f"fake helm: unexpected command {argv}", file=sys.stderr)
        return 3
    with open(argv[len(expected)], encoding="utf-8") as handle:
        values: dict[str, Any] = yaml.safe_load(handle)
    rest = argv[len(expected) + 1 :]
    for flag, assignment in zip(rest[::2], rest[1::2], strict=True):
        assert flag == "--set-string", flag
        key, _, value = assignment.partition("=")
        set_string(values, key, value)
    if os.environ.get("FAKE_HELM_BREAK") == "proxy-tags":
        values["proxyConfig"]["defaultTags"] = [values["proxyConfig"]["defaultTags"]]
    sys.stdout.write(yaml.safe_dump_all(render_model(values, chart.RELEASE_NAMESPACE)))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
