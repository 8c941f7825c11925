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

PINNED_ACTION = re.compile(r"^(\./\.github/actions/[a-z-]+|[\w.-]+/[\w.-]+@v\d+)$")


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
def test_every_action_is_pinned_to_a_major(path: Path) -> None:
    for uses in _all_uses(load(path)):
        assert PINNED_ACTION.match(uses), uses


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
    assert gate["uses"] == "pulumi/actions@v7"
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
    assert env["TAILSCALE_OAUTH_CLIENT_ID"] == "${{ secrets.TAILSCALE_OAUTH_CLIENT_ID }}"
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


def test_setup_action_installs_program_and_pack_and_exports_one_tailscale_credential(
    tmp_path: Path,
) -> None:
    action = load(SETUP_ACTION)
    assert action["runs"]["using"] == "composite"
    install = next(s for s in steps(action) if "pulumi install" in s.get("run", ""))
    assert "pulumi install\n" in install["run"]
    assert "pulumi install --cwd policy" in install["run"]
    script = next(s for s in steps(action) if "TAILSCALE_AUDIENCE" in s.get("run", ""))["run"]
    cases = [
        (
            {"AUDIENCE": "api.tailscale.com/k123", "OAUTH_SECRET": "tskey-client-x"},
            {"TAILSCALE_AUDIENCE"},
        ),
        ({"AUDIENCE": "", "OAUTH_SECRET": "tskey-client-x"}, {"TAILSCALE_OAUTH_CLIENT_SECRET"}),
        ({"AUDIENCE": "", "OAUTH_SECRET": ""}, set()),
    ]
    for env, expected in cases:
        github_env = tmp_path / "github_env"
        github_env.write_text("")
        proc = run_step(script, tmp_path, {**env, "GITHUB_ENV": str(github_env)})
        assert proc.returncode == 0, proc.stderr
        assert set(github_output(github_env)) == expected
        if not expected:
            assert "::warning::No Tailscale credential" in proc.stdout


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
    preview = next(s for s in steps(doc, "preview") if s.get("uses") == "pulumi/actions@v7")
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
        ({"SAME_REPO": "true", "PULUMI_ACCESS_TOKEN": "pul-x"}, "true"),
        (
            {"SAME_REPO": "true", "PULUMI_BACKEND_URL": "s3://b", "PULUMI_CONFIG_PASSPHRASE": "p"},
            "true",
        ),
        (
            {
                "SAME_REPO": "true",
                "PULUMI_BACKEND_URL": "s3://b",
                "AWS_ROLE_ARN": "arn:aws:iam::1:role/r",
            },
            "true",
        ),
        ({"SAME_REPO": "true", "PULUMI_BACKEND_URL": "s3://b"}, "false"),
        ({"SAME_REPO": "false", "PULUMI_ACCESS_TOKEN": "pul-x"}, "false"),  # a fork
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
