"""checkov's Kubernetes checks over manifests, and the few findings we accept, each with why.

checkov runs from its own venv (`.venv-scan`, from requirements-scan.txt: its dependency tree
must not move the project's pins), once per directory: it takes seconds to start.
"""

from __future__ import annotations

import json
import os
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final

# Accepted findings on the templated chart (make verify-chart). Anything else fails.
CHART_ALLOWLIST: Final[dict[str, str]] = {
    "CKV_K8S_8": "liveness probe: chart 1.96.5 has no value for operator probes (the Deployment "
    "template sets none); a crash still restarts the pod",
    "CKV_K8S_9": "readiness probe: same as CKV_K8S_8, the chart cannot set one",
    "CKV_K8S_43": "image by digest: the chart pins tag v1.96.5 (operatorConfig.image.digest "
    "exists, but the proxy image the operator starts is set by tag in PROXY_IMAGE; digests are "
    "not published with the chart). Customers who mirror images can pin digests there",
    "CKV_K8S_38": "service account token mounted: the operator is a Kubernetes controller, it "
    "needs its token to reach the API server",
}

# Our own manifests (RBAC, NetworkPolicy, ProxyClass, exposures) accept nothing.
OWN_ALLOWLIST: Final[dict[str, str]] = {}


@dataclass(frozen=True)
class Finding:
    """One failed checkov check on one resource."""

    check_id: str
    name: str
    resource: str
    file: str

    def __str__(self) -> str:
        return f"{self.file}: {self.resource}: {self.check_id} {self.name}"


def scanner_bin(root: Path) -> Path:
    """The scanners' bin directory: $HFACCESS_SCAN_BIN (the Makefile sets it) or .venv-scan."""
    configured = os.environ.get("HFACCESS_SCAN_BIN")
    return Path(configured) if configured else root / ".venv-scan" / "bin"


def _reports(parsed: Any) -> list[dict[str, Any]]:
    if isinstance(parsed, list):
        return [r for r in parsed if isinstance(r, dict)]
    if isinstance(parsed, dict):
        return [parsed]
    return []


def parse_findings(output: str) -> tuple[list[Finding], int]:
    """(failed checks, passed count) from checkov's `-o json` output."""
    parsed: Any = json.loads(output) if output.strip() else {}
    failures: list[Finding] = []
    passed = 0
    for report in _reports(parsed):
        summary = report.get("summary", {})
        passed += int(summary.get("passed", 0))
        for check in report.get("results", {}).get("failed_checks", []):
            failures.append(
                Finding(
                    check_id=str(check.get("check_id")),
                    name=str(check.get("check_name", "")),
                    resource=str(check.get("resource", "")),
                    file=str(check.get("file_path", "")),
                )
            )
    return failures, passed


def run_checkov(directory: Path, checkov: Path) -> tuple[list[Finding], int]:
    """checkov's Kubernetes checks over every manifest in `directory`.

    Raises RuntimeError when checkov cannot run (missing, or its output is not a report).
    """
    if not checkov.exists():
        raise RuntimeError(f"{checkov}: not found; run `make scan-setup` (requirements-scan.txt)")
    proc = subprocess.run(
        [
            str(checkov),
            "--directory",
            str(directory),
            "--framework",
            "kubernetes",
            "--output",
            "json",
            "--skip-download",
            "--quiet",
        ],
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, "BC_SKIP_MAPPING": "TRUE", "CHECKOV_RUN_SCA_PACKAGE_SCAN_V2": ""},
    )
    if proc.returncode not in (0, 1):
        raise RuntimeError(f"checkov exited {proc.returncode}: {proc.stderr.strip()[-2000:]}")
    try:
        return parse_findings(proc.stdout)
    except json.JSONDecodeError as error:
        raise RuntimeError(f"checkov printed no JSON report: {error}") from error


def unexpected(findings: list[Finding], allowlist: dict[str, str]) -> list[Finding]:
    """Findings not on `allowlist`."""
    return [f for f in findings if f.check_id not in allowlist]
