"""The GitHub workflows: schema-valid, shaped as the drift and review design says, and their
shell steps run here exactly as written (the matrix step against the real registry)."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from hfaccess.install.scan import scanner_bin
from hfaccess.matrix import matrix_document, stack_rows
from hfaccess.registry import load_registry
from tests.ci.support import (
    SETUP_ACTION,
    WORKFLOWS,
    github_output,
    load,
    run_step,
    step,
    steps,
    workflow,
)
from tests.support.files import REPO

# A local action, or an action pinned by full commit SHA (the version lives in a comment).
PINNED_ACTION = re.compile(r"^(\./\.github/actions/[a-z-]+|[\w.-]+/[\w.-]+@[0-9a-f]{40})$")
VERSION_COMMENT = re.compile(r"uses: [\w.-]+/[\w.-]+@[0-9a-f]{40} # v\d+\.\d+\.\d+$")
PULUMI_ACTIONS = "pulumi/actions@8e5e406f4007fca908480587cb9893c07090f58d"


def _all_uses(doc: dict[str, Any]) -> list[str]:
    jobs = doc.get("jobs", {})
    found = [s["uses"] for job in jobs.values() for s in job.get("steps", []) if "uses" in s]
    if "runs" in doc:
        found += [s["uses"] for s in doc["runs"]["steps"] if "uses" in s]
    return found


def test_workflows_and_action_are_schema_valid_offline() -> None:
    check = [sys.executable, "-m", "check_jsonschema", "--builtin-schema"]
    workflows = sorted(str(p) for p in WORKFLOWS.glob("*.yml"))
    assert len(workflows) == 2
    for schema, files in (
        ("vendor.github-workflows", workflows),
        ("vendor.github-actions", [str(SETUP_ACTION)]),
    ):
        proc = subprocess.run(
            [*check, schema, *files], capture_output=True, text=True, check=False, timeout=60
        )
        assert proc.returncode == 0, proc.stdout + proc.stderr


@pytest.mark.parametrize("path", [*sorted(WORKFLOWS.glob("*.yml")), SETUP_ACTION], ids=str)
def test_every_action_is_pinned_by_commit_sha_with_its_version(path: Path) -> None:
    uses = _all_uses(load(path))
    assert uses
    for ref in uses:
        assert PINNED_ACTION.match(ref), ref
    remote = [
        line.strip().removeprefix("- ")
        for line in path.read_text(encoding="utf-8").splitlines()
        if "uses:" in line and "./" not in line
    ]
    assert remote
    for line in remote:
        assert VERSION_COMMENT.search(line), line


def test_drift_runs_on_a_schedule_and_by_hand() -> None:
    triggers = workflow("drift.yml")["on"]
    assert set(triggers) == {"schedule", "workflow_dispatch"}
    assert triggers["schedule"][0]["cron"]


def test_drift_matrix_job_previews_each_stack_as_the_gate() -> None:
    doc = workflow("drift.yml")
    job = doc["jobs"]["preview"]
    assert job["needs"] == "stacks"
    assert job["strategy"]["fail-fast"] is False
    assert job["strategy"]["matrix"] == "${{ fromJSON(needs.stacks.outputs.matrix) }}"
    assert job["permissions"]["id-token"] == "write"
    gate = step(doc, "preview", id="preview")
    assert gate["uses"] == PULUMI_ACTIONS
    assert gate["with"]["command"] == "preview"
    assert gate["with"]["refresh"] is True
    assert gate["with"]["expect-no-changes"] is True
    assert gate["with"]["policyPacks"] == "policy"
    assert "matrix.stack" in gate["with"]["stack-name"]
    assert "vars.PULUMI_ORG" in gate["with"]["stack-name"]
    assert gate["with"]["cloud-url"] == "${{ vars.PULUMI_BACKEND_URL }}"
    env = job["env"]
    assert env["PULUMI_ACCESS_TOKEN"] == "${{ secrets.PULUMI_ACCESS_TOKEN }}"
    assert env["PULUMI_CONFIG_PASSPHRASE"] == "${{ secrets.PULUMI_CONFIG_PASSPHRASE }}"
    # read-only workload identity; no Tailscale secret in the drift job
    assert env["TAILSCALE_OAUTH_CLIENT_ID"] == "${{ vars.TAILSCALE_READONLY_CLIENT_ID }}"
    assert env["TAILSCALE_AUDIENCE"] == "${{ vars.TAILSCALE_READONLY_AUDIENCE }}"
    assert "TAILSCALE_OAUTH_CLIENT_SECRET" not in json.dumps(job)
    assert "runner.temp" in gate["env"]["KUBECONFIG"]
    setup = step(doc, "preview", name="Pulumi, environments and credentials")
    assert setup["uses"] == "./.github/actions/pulumi-setup"
    assert setup["with"]["cluster"] == "${{ matrix.cluster }}"
    record = step(doc, "preview", name="Record what drifted")
    assert record["if"] == "always()"
    assert "drift-record" in record["run"]
    assert record["env"]["OUTCOME"] == "${{ steps.preview.outcome }}"


def test_drift_summary_names_drifted_stacks_in_the_job_summary() -> None:
    doc = workflow("drift.yml")
    job = doc["jobs"]["summary"]
    assert "always()" in job["if"]
    assert set(job["needs"]) == {"stacks", "preview", "preview-batch"}
    report = step(doc, "summary", name="Job summary naming each drifted stack")
    assert "hfaccess drift-report" in report["run"]
    assert "$GITHUB_STEP_SUMMARY" in report["run"]


def test_drift_matrix_step_yields_every_registry_stack(tmp_path: Path) -> None:
    script = step(workflow("drift.yml"), "stacks", id="matrix")["run"]
    (tmp_path / "repo").symlink_to(REPO)
    out = tmp_path / "github_output"
    out.touch()
    proc = run_step(script, tmp_path, {"GITHUB_OUTPUT": str(out)}, "repo")
    assert proc.returncode == 0, proc.stderr
    matrix = json.loads(github_output(out)["matrix"])
    registry = load_registry(REPO / "customers")
    assert [row["stack"] for row in matrix["include"]] == registry.stack_names()
    assert matrix == matrix_document(stack_rows(registry))
    assert all(isinstance(row["cluster"], bool) for row in matrix["include"])


def test_setup_action_installs_program_and_pack_and_writes_no_environment_file(
    tmp_path: Path,
) -> None:
    action = load(SETUP_ACTION)
    assert action["runs"]["using"] == "composite"
    install = next(s for s in steps(action) if "pulumi install" in s.get("run", ""))
    assert "pulumi install\n" in install["run"]
    assert "pulumi install --cwd policy" in install["run"]
    for s in steps(action):
        assert "GITHUB_ENV" not in s.get("run", ""), s.get("name")
    assert not any("tailscale" in name for name in action["inputs"])
    kube = next(s for s in steps(action) if "KUBECONFIG_DATA" in s.get("run", ""))
    proc = run_step(
        kube["run"],
        tmp_path,
        {"KUBECONFIG_DATA": "YXBpVmVyc2lvbjogdjE=", "RUNNER_TEMP": str(tmp_path)},
    )
    assert proc.returncode == 0, proc.stderr
    written = tmp_path / "kubeconfig"
    assert written.read_text() == "apiVersion: v1"
    assert written.stat().st_mode & 0o077 == 0


def test_pr_workflow_reviews_without_secrets() -> None:
    doc = workflow("pr.yml")
    assert set(doc["on"]) == {"pull_request"}
    runs = "\n".join(s.get("run", "") for s in steps(doc, "review"))
    assert "python -m hfaccess validate --stack-files ." in runs
    assert "python -m hfaccess check" in runs
    assert runs.count("hfaccess render --all --out") == 2  # base and head
    assert "python -m hfaccess diff" in runs
    assert "$GITHUB_STEP_SUMMARY" in runs
    assert "secrets." not in json.dumps(doc["jobs"]["review"])
    assert ".ci/run" in steps(doc, "test")[-1]["run"]


def test_pr_preview_only_with_credentials_and_affected_stacks() -> None:
    doc = workflow("pr.yml")
    job = doc["jobs"]["preview"]
    assert "needs.credentials.outputs.configured == 'true'" in job["if"]
    assert "needs.review.outputs.count != '0'" in job["if"]
    assert job["strategy"]["fail-fast"] is False
    preview = next(s for s in steps(doc, "preview") if s.get("uses") == PULUMI_ACTIONS)
    assert preview["with"]["command"] == "preview"
    assert preview["with"]["policyPacks"] == "policy"
    gate = step(doc, "credentials", id="check")
    assert (
        "github.event.pull_request.head.repo.full_name == github.repository"
        in gate["env"]["SAME_REPO"]
    )


@pytest.mark.parametrize(
    ("env", "configured"),
    [
        ({"SAME_REPO": "true", "PULUMI_ORG": "highflame"}, "true"),
        ({"SAME_REPO": "true", "PULUMI_BACKEND_URL": "s3://b"}, "true"),
        ({"SAME_REPO": "false", "PULUMI_ORG": "highflame"}, "false"),  # a fork
        ({"SAME_REPO": "true"}, "false"),
    ],
)
def test_pr_credentials_gate_skips_cleanly(
    tmp_path: Path, env: dict[str, str], configured: str
) -> None:
    script = step(workflow("pr.yml"), "credentials", id="check")["run"]
    out = tmp_path / "github_output"
    out.touch()
    proc = run_step(script, tmp_path, {**env, "GITHUB_OUTPUT": str(out)})
    assert proc.returncode == 0, proc.stderr
    assert github_output(out) == {"configured": configured}


def test_pr_diff_and_affected_steps_run_as_written(tmp_path: Path) -> None:
    doc = workflow("pr.yml")
    (tmp_path / "head").symlink_to(REPO)
    runner_temp = tmp_path / "tmp"
    for side, version in (("base", "1.96.4"), ("head", "1.96.5")):
        target = runner_temp / "rendered" / side / "acme-prod" / "helm-values.yaml"
        target.parent.mkdir(parents=True)
        target.write_text(f"version: {version}\n")
        policy = runner_temp / "rendered" / side / "tailnet" / "policy.json"
        policy.parent.mkdir(parents=True)
        policy.write_text("{}")
    (runner_temp / "changed-paths.txt").write_text("customers/acme.yaml\n")
    summary, out = tmp_path / "summary.md", tmp_path / "github_output"
    summary.touch()
    out.touch()
    env = {
        "RUNNER_TEMP": str(runner_temp),
        "GITHUB_STEP_SUMMARY": str(summary),
        "GITHUB_OUTPUT": str(out),
    }
    diff_step = step(doc, "review", name="Diff of the rendered artifacts (job summary)")
    proc = run_step(diff_step["run"], tmp_path, env, diff_step["working-directory"])
    assert proc.returncode == 0, proc.stderr
    assert "### `acme-prod` (changed)" in summary.read_text()
    assert (runner_temp / "affected.txt").read_text() == "acme-prod\n"
    affected = step(doc, "review", id="affected")
    proc = run_step(affected["run"], tmp_path, env, affected["working-directory"])
    assert proc.returncode == 0, proc.stderr
    outputs = github_output(out)
    assert outputs["count"] == "1"
    assert [r["stack"] for r in json.loads(outputs["matrix"])["include"]] == ["acme-prod"]


def _jobs() -> list[tuple[str, str, dict[str, Any]]]:
    return [
        (path.name, name, job)
        for path in sorted(WORKFLOWS.glob("*.yml"))
        for name, job in workflow(path.name)["jobs"].items()
    ]


@pytest.mark.parametrize("path", sorted(WORKFLOWS.glob("*.yml")), ids=lambda p: p.name)
def test_workflows_grant_nothing_by_default(path: Path) -> None:
    assert workflow(path.name)["permissions"] == {}


@pytest.mark.parametrize(
    ("file", "name", "job"), _jobs(), ids=lambda v: v if isinstance(v, str) else ""
)
def test_every_job_declares_least_privilege(file: str, name: str, job: dict[str, Any]) -> None:
    permissions = job["permissions"]
    allowed = {"contents": "read", "id-token": "write"}
    for scope, level in permissions.items():
        assert allowed.get(scope) == level, f"{file} {name}: {scope}: {level}"
    if "id-token" in permissions:
        assert "pulumi-setup" in json.dumps(job["steps"]), f"{file} {name}: id-token unused"


@pytest.mark.parametrize(
    ("file", "name", "job"), _jobs(), ids=lambda v: v if isinstance(v, str) else ""
)
def test_checkouts_do_not_persist_credentials(file: str, name: str, job: dict[str, Any]) -> None:
    for s in job["steps"]:
        if s.get("uses", "").startswith("actions/checkout@"):
            assert s.get("with", {}).get("persist-credentials") is False, f"{file} {name}"


def test_no_workflow_writes_an_environment_file() -> None:
    for path in [*WORKFLOWS.glob("*.yml"), SETUP_ACTION]:
        doc = load(path)
        all_steps = (
            steps(doc) if "runs" in doc else [s for j in doc["jobs"].values() for s in j["steps"]]
        )
        for s in all_steps:
            assert "GITHUB_ENV" not in s.get("run", ""), f"{path.name}: {s.get('name')}"


def test_no_expression_inside_a_run_script() -> None:
    """Untrusted input reaches scripts only through `env:`, never `${{ }}` inside `run:`."""
    for path in [*WORKFLOWS.glob("*.yml"), SETUP_ACTION]:
        doc = load(path)
        all_steps = (
            steps(doc) if "runs" in doc else [s for j in doc["jobs"].values() for s in j["steps"]]
        )
        for s in all_steps:
            assert "${{" not in s.get("run", ""), f"{path.name}: {s.get('name')}"


def test_pull_request_jobs_with_secrets_need_an_approved_environment() -> None:
    doc = workflow("pr.yml")
    for name, job in doc["jobs"].items():
        if "secrets." in json.dumps(job):
            assert job.get("environment") == "preview", name
    preview = doc["jobs"]["preview"]
    assert preview["environment"] == "preview"
    text = json.dumps(preview)
    assert "TAILSCALE_OAUTH_CLIENT_SECRET" not in text
    assert preview["env"]["TAILSCALE_AUDIENCE"] == "${{ vars.TAILSCALE_READONLY_AUDIENCE }}"
    assert "secrets." not in json.dumps(doc["jobs"]["credentials"])


def test_zizmor_offline_finds_nothing_medium_or_high() -> None:
    zizmor = scanner_bin(REPO) / "zizmor"
    assert zizmor.exists(), "run `make scan-setup` (requirements-scan.txt)"
    proc = subprocess.run(
        [str(zizmor), "--offline", "--min-severity", "medium", "--format", "json", ".github/"],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-2000:]
    assert json.loads(proc.stdout) == []
