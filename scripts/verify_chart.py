"""Check that the REAL tailscale-operator chart, given our rendered values, yields the operator
environment the chart reference lists. Needs `helm`; run via scripts/verify-chart.sh.

For each environment stack: render its helm-values.yaml (the same builder the Pulumi Release
uses), apply the handoff's credential overrides with dummy values, `helm template` the pinned
chart through the shipped post-renderer (post-render.sh, needs kubectl; without kubectl the same
patch is applied in Python and said so), and run hfaccess.install.chart_check over the output.
Then checkov's Kubernetes checks run once over every stack's templated install plus its
rbac.yaml and hardening.yaml; a finding not on CHART_ALLOWLIST (hfaccess/install/scan.py, each
entry with its reason) fails.

The chart comes from its repository (network), or with --chart from a local copy: a chart
directory or a packaged .tgz (e.g. from `helm pull` or an air-gapped mirror). A local chart must
be the pinned one (Chart.yaml name and version), or nothing is checked.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

import yaml

from hfaccess.install import chart
from hfaccess.install.artifacts import environment_artifacts
from hfaccess.install.chart_check import check_chart_render
from hfaccess.install.impersonation import POST_RENDER_SCRIPT, narrow_documents
from hfaccess.install.scan import CHART_ALLOWLIST, run_checkov, scanner_bin, unexpected
from hfaccess.install.values import credential_overrides
from hfaccess.registry.stacks import EnvironmentStack, parse_stack
from hfaccess.registry.workspace import AccessModel, load_model


class ChartMismatch(Exception):
    """A local chart that is not the pinned one, or not a chart."""


def _chart_metadata(path: Path) -> dict[str, object]:
    """Chart.yaml of a chart directory or a packaged chart (.tgz, Chart.yaml one level down)."""
    if path.is_dir():
        text = (path / "Chart.yaml").read_text(encoding="utf-8")
    else:
        with tarfile.open(path, "r:gz") as archive:
            member = next(
                (
                    m
                    for m in archive.getmembers()
                    if m.isfile() and m.name.count("/") == 1 and m.name.endswith("/Chart.yaml")
                ),
                None,
            )
            handle = archive.extractfile(member) if member is not None else None
            if handle is None:
                raise ChartMismatch(f"{path}: no <chart>/Chart.yaml in the archive")
            text = handle.read().decode("utf-8")
    metadata = yaml.safe_load(text)
    if not isinstance(metadata, dict):
        raise ChartMismatch(f"{path}: Chart.yaml is not a mapping")
    return metadata


def check_local_chart(path: Path) -> None:
    """Refuse a local chart other than the pinned name and version (ChartMismatch)."""
    try:
        metadata = _chart_metadata(path)
    except (OSError, tarfile.TarError, yaml.YAMLError, UnicodeDecodeError) as error:
        raise ChartMismatch(f"{path}: not a readable chart ({error})") from error
    found = (str(metadata.get("name")), str(metadata.get("version")))
    if found != (chart.CHART_NAME, chart.CHART_VERSION):
        raise ChartMismatch(
            f"{path} is chart {found[0]} {found[1]}, not the pinned "
            f"{chart.CHART_NAME} {chart.CHART_VERSION}"
        )


def chart_source(local: Path | None) -> list[str]:
    """The `helm template` chart arguments: the pinned repository chart, or a local copy."""
    if local is not None:
        return [str(local)]
    return [
        chart.CHART_NAME,
        "--repo",
        chart.CHART_REPOSITORY,
        "--version",
        chart.CHART_VERSION,
    ]


def helm_template(
    values_file: Path,
    overrides: list[tuple[str, str]],
    helm: str,
    local: Path | None = None,
    post_renderer: Path | None = None,
) -> str:
    command = [
        helm,
        "template",
        chart.RELEASE_NAME,
        *chart_source(local),
        "--namespace",
        chart.RELEASE_NAMESPACE,
        "--values",
        str(values_file),
    ]
    for key, variable in overrides:
        command += ["--set-string", f"{key}=verify-{variable.lower().replace('_', '-')}"]
    if post_renderer is not None:
        command += ["--post-renderer", str(post_renderer)]
    return subprocess.run(command, check=True, capture_output=True, text=True).stdout


def verify_stack(
    name: str,
    model: AccessModel,
    helm: str,
    local: Path | None = None,
    scan_dir: Path | None = None,
) -> list[str]:
    """Problems of one stack's render (empty when it matches); skips revoked environments.

    With `scan_dir`, the templated install and the stack's own manifests are written there for
    the checkov run.
    """
    stack = parse_stack(name, model.registry)
    if not isinstance(stack, EnvironmentStack):
        return [f"{name}: not an environment stack"]
    files = environment_artifacts(stack.ref, model)
    if "helm-values.yaml" not in files:
        print(f"{name}: access revoked, nothing is installed: skipped")
        return []
    kubectl = _post_renderer_mode() == "kubectl"
    with tempfile.TemporaryDirectory() as tmp:
        for file_name, content in files.items():
            (Path(tmp) / file_name).write_text(content, encoding="utf-8")
        script = Path(tmp) / POST_RENDER_SCRIPT
        os.chmod(script, 0o755)
        values = Path(tmp) / "helm-values.yaml"
        rendered = helm_template(
            values, credential_overrides(stack.ref), helm, local, script if kubectl else None
        )
    docs = [doc for doc in yaml.safe_load_all(rendered) if isinstance(doc, dict)]
    if not kubectl:
        print(f"{name}: post-renderer patch applied in Python (same rules; no kubectl)")
        try:
            docs = narrow_documents(docs, _groups(files))
        except ValueError as error:
            return [f"{name}: post-renderer: {error}"]
    if scan_dir is not None:
        target = scan_dir / name
        target.mkdir(parents=True)
        (target / "chart.yaml").write_text(yaml.safe_dump_all(docs), encoding="utf-8")
        for own in ("rbac.yaml", "hardening.yaml", "exposures.yaml"):
            if own in files:
                (target / own).write_text(files[own], encoding="utf-8")
    problems = [f"{name}: {p}" for p in check_chart_render(docs, stack.ref)]
    if not problems:
        source = f" ({local})" if local is not None else ""
        print(f"{name}: ok: chart {chart.CHART_VERSION}{source} renders the expected operator")
    return problems


def _post_renderer_mode() -> str:
    """`kubectl` (run post-render.sh, as installs do) or `python` (the same patch, no kubectl).

    VERIFY_CHART_POST_RENDERER overrides; by default kubectl when it is on PATH.
    """
    configured = os.environ.get("VERIFY_CHART_POST_RENDERER", "")
    if configured in ("kubectl", "python"):
        return configured
    return "kubectl" if shutil.which("kubectl") else "python"


def _groups(files: dict[str, str]) -> list[str]:
    """The impersonable groups the rendered kustomization names (its replace patch)."""
    kustomization = yaml.safe_load(files["kustomization.yaml"])
    patch = json.loads(kustomization["patches"][0]["patch"])
    rules = patch[1]["value"]
    return list(next(r for r in rules if r["resources"] == ["groups"])["resourceNames"])


def scan_installs(scan_dir: Path, root: Path) -> list[str]:
    """checkov over every templated install; findings off the allowlist are problems."""
    try:
        findings, passed = run_checkov(scan_dir, scanner_bin(root) / "checkov")
    except RuntimeError as error:
        return [f"checkov: {error}"]
    accepted = [f for f in findings if f.check_id in CHART_ALLOWLIST]
    print(
        f"checkov: {passed} passed, {len(findings)} failed "
        f"({len(accepted)} on the documented allowlist)"
    )
    for finding in accepted:
        print(f"  allowed {finding}: {CHART_ALLOWLIST[finding.check_id]}")
    return [f"checkov: {finding}" for finding in unexpected(findings, CHART_ALLOWLIST)]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("stacks", nargs="*", help="environment stacks (default: all)")
    parser.add_argument("--root", type=Path, default=Path("."), help="repository root")
    parser.add_argument("--helm", default="helm", help="helm executable")
    parser.add_argument(
        "--chart",
        type=Path,
        help="a local copy of the pinned chart (directory or .tgz) instead of its repository",
    )
    args = parser.parse_args(argv)
    local: Path | None = args.chart.resolve() if args.chart is not None else None
    if local is not None:
        try:
            check_local_chart(local)
        except ChartMismatch as error:
            print(f"verify-chart: {error}", file=sys.stderr)
            return 2
    model = load_model(args.root / "customers", args.root / "tailnet" / "highflame.yaml")
    names = args.stacks or [ref.stack for ref in model.registry.environments()]
    with tempfile.TemporaryDirectory() as scan_tmp:
        scan_dir = Path(scan_tmp)
        problems = [
            p for name in names for p in verify_stack(name, model, args.helm, local, scan_dir)
        ]
        if os.environ.get("VERIFY_CHART_SCAN", "1") != "0" and any(scan_dir.iterdir()):
            problems += scan_installs(scan_dir, args.root)
    for problem in problems:
        print(problem, file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
