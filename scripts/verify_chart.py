"""Check that the REAL tailscale-operator chart, given our rendered values, yields the operator
environment the chart reference lists. Needs `helm` and network; run via scripts/verify-chart.sh.

For each environment stack: render its helm-values.yaml (the same builder the Pulumi Release
uses), apply the handoff's credential overrides with dummy values, `helm template` the pinned
chart from its repository, and run hfaccess.install.chart_check over the output.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
from pathlib import Path

import yaml

from hfaccess.install import chart
from hfaccess.install.artifacts import environment_artifacts
from hfaccess.install.chart_check import check_chart_render
from hfaccess.install.values import credential_overrides
from hfaccess.stacks import EnvironmentStack, parse_stack
from hfaccess.workspace import AccessModel, load_model


def helm_template(values_file: Path, overrides: list[tuple[str, str]], helm: str) -> str:
    command = [
        helm,
        "template",
        chart.RELEASE_NAME,
        chart.CHART_NAME,
        "--repo",
        chart.CHART_REPOSITORY,
        "--version",
        chart.CHART_VERSION,
        "--namespace",
        chart.RELEASE_NAMESPACE,
        "--values",
        str(values_file),
    ]
    for key, variable in overrides:
        command += ["--set-string", f"{key}=verify-{variable.lower().replace('_', '-')}"]
    return subprocess.run(command, check=True, capture_output=True, text=True).stdout


def verify_stack(name: str, model: AccessModel, helm: str) -> list[str]:
    """Problems of one stack's render (empty when it matches); skips revoked environments."""
    stack = parse_stack(name, model.registry)
    if not isinstance(stack, EnvironmentStack):
        return [f"{name}: not an environment stack"]
    files = environment_artifacts(stack.ref, model)
    if "helm-values.yaml" not in files:
        print(f"{name}: access revoked, nothing is installed: skipped")
        return []
    with tempfile.TemporaryDirectory() as tmp:
        values = Path(tmp) / "helm-values.yaml"
        values.write_text(files["helm-values.yaml"], encoding="utf-8")
        rendered = helm_template(values, credential_overrides(stack.ref), helm)
    docs = [doc for doc in yaml.safe_load_all(rendered) if isinstance(doc, dict)]
    problems = [f"{name}: {p}" for p in check_chart_render(docs, stack.ref)]
    if not problems:
        print(f"{name}: ok: chart {chart.CHART_VERSION} renders the expected operator")
    return problems


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("stacks", nargs="*", help="environment stacks (default: all)")
    parser.add_argument("--root", type=Path, default=Path("."), help="repository root")
    parser.add_argument("--helm", default="helm", help="helm executable")
    args = parser.parse_args(argv)
    model = load_model(args.root / "customers", args.root / "tailnet" / "highflame.yaml")
    names = args.stacks or [ref.stack for ref in model.registry.environments()]
    problems = [p for name in names for p in verify_stack(name, model, args.helm)]
    for problem in problems:
        print(problem, file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
