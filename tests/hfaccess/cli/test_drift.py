"""`hfaccess drift`, `drift-record` and `drift-report` from the command line.

The tests never need the Pulumi CLI: the "no CLI" path runs for real with an empty PATH, and
the other paths put a stub `pulumi` on PATH and replace the Automation API
previewer with a fake.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path

import pytest

from hfaccess.cli.hooks import hooks
from hfaccess.drift.model import PreviewOutcome, Status
from hfaccess.drift.run import Previewer
from tests.hfaccess.drift.fakes import FakePreviewer, drifted_acl
from tests.support.cli import run_cli
from tests.support.files import REPO


@pytest.fixture
def no_pulumi(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    empty = tmp_path / "empty-bin"
    empty.mkdir()
    monkeypatch.setenv("PATH", str(empty))


@pytest.fixture
def stub_pulumi(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    stub = bin_dir / "pulumi"
    stub.write_text("#!/bin/sh\nexit 99\n")
    stub.chmod(0o755)
    monkeypatch.setenv("PATH", str(bin_dir))


@pytest.fixture
def fake(monkeypatch: pytest.MonkeyPatch) -> FakePreviewer:
    previewer = FakePreviewer()

    def make(root: Path, packs: Sequence[Path], org: str | None) -> Previewer:
        previewer.factory_calls.append((root, packs, org))
        return previewer

    monkeypatch.setattr(hooks, "make_previewer", make)
    monkeypatch.chdir(REPO)
    return previewer


def test_without_pulumi_cli_says_so_and_exits_2_before_anything(
    no_pulumi: None, fake: FakePreviewer
) -> None:
    result = run_cli("drift")
    assert result.exit_code == 2
    assert "the Pulumi CLI is not installed" in result.stderr
    assert "nothing was checked" in result.stderr
    assert fake.started == []
    assert fake.factory_calls == []


def test_without_pulumi_cli_even_an_invalid_registry_is_not_read(
    no_pulumi: None, tmp_path: Path
) -> None:
    result = run_cli("drift", "--customers", str(tmp_path / "nowhere"))
    assert result.exit_code == 2
    assert "Pulumi CLI is not installed" in result.stderr


def test_all_clean_exits_0_with_a_summary_table(stub_pulumi: None, fake: FakePreviewer) -> None:
    result = run_cli("drift")
    assert result.exit_code == 0, result.stderr
    assert sorted(fake.started) == ["acme-dev", "acme-prod", "globex-prod", "tailnet"]
    for stack in ("tailnet", "acme-dev", "acme-prod", "globex-prod"):
        assert stack in result.stdout
    assert result.stdout.count("clean") == 4
    [(root, packs, org)] = fake.factory_calls
    assert root == Path(".")
    assert packs == [(REPO / "guardrails").resolve()]
    assert org is None


def test_drift_exits_1_and_writes_json_and_markdown(
    stub_pulumi: None, fake: FakePreviewer, tmp_path: Path
) -> None:
    fake.outcomes = {
        "tailnet": drifted_acl(),
        "acme-dev": PreviewOutcome(error="error: configured Kubernetes cluster is unreachable"),
    }
    json_out, md_out = tmp_path / "drift.json", tmp_path / "drift.md"
    result = run_cli(
        "drift", "--parallel", "3", "--json-out", str(json_out), "--markdown-out", str(md_out)
    )
    assert result.exit_code == 1
    assert "drifted" in result.stdout
    assert "error" in result.stdout
    assert "tailscale:index/acl:Acl tailnet-policy" in result.stdout
    statuses = {r["stack"]: r["status"] for r in json.loads(json_out.read_text())["results"]}
    assert statuses == {
        "tailnet": "drifted",
        "acme-dev": "error",
        "acme-prod": "clean",
        "globex-prod": "clean",
    }
    assert [r["stack"] for r in json.loads(json_out.read_text())["results"]] == [
        "tailnet",
        "acme-dev",
        "acme-prod",
        "globex-prod",
    ]
    assert "### `tailnet`: drifted" in md_out.read_text()


def test_selected_stacks_parallel_bound_and_no_pack(stub_pulumi: None, fake: FakePreviewer) -> None:
    fake.hold = 1
    result = run_cli(
        "drift", "--stack", "acme-prod", "--stack", "tailnet", "--parallel", "1", "--no-policy-pack"
    )
    assert result.exit_code == 0, result.stderr
    assert fake.started == ["acme-prod", "tailnet"]
    assert fake.max_active == 1
    assert fake.factory_calls[0][1] == []


def test_unknown_stack_exits_2(stub_pulumi: None, fake: FakePreviewer) -> None:
    result = run_cli("drift", "--stack", "initech-prod")
    assert result.exit_code == 2
    assert "names no registered customer environment" in result.stderr
    assert fake.started == []


def test_parallel_below_one_is_refused(stub_pulumi: None, fake: FakePreviewer) -> None:
    assert run_cli("drift", "--parallel", "0").exit_code == 2


def test_missing_policy_pack_exits_2(
    stub_pulumi: None, fake: FakePreviewer, tmp_path: Path
) -> None:
    result = run_cli("drift", "--policy-pack", str(tmp_path))
    assert result.exit_code == 2
    assert "has no PulumiPolicy.yaml" in result.stderr


def test_record_success_writes_clean(no_pulumi: None, tmp_path: Path) -> None:
    out = tmp_path / "r" / "tailnet.json"
    result = run_cli(
        "drift-record", "--stack", "tailnet", "--outcome", "success", "--out", str(out)
    )
    assert result.exit_code == 0, result.stderr
    assert json.loads(out.read_text())["results"][0]["status"] == "clean"


def test_record_failure_explains_with_a_second_preview(
    stub_pulumi: None, fake: FakePreviewer, tmp_path: Path
) -> None:
    fake.outcomes = {"tailnet": drifted_acl()}
    out = tmp_path / "tailnet.json"
    result = run_cli(
        "drift-record", "--stack", "tailnet", "--outcome", "failure", "--out", str(out)
    )
    assert result.exit_code == 0
    [record] = json.loads(out.read_text())["results"]
    assert record["status"] == "drifted"
    assert record["changes"][-1]["op"] == "update"


def test_report_merges_records_and_fails_when_anything_is_not_clean(
    monkeypatch: pytest.MonkeyPatch, no_pulumi: None, tmp_path: Path
) -> None:
    monkeypatch.chdir(REPO)
    results = tmp_path / "results"
    for stack, outcome in (("tailnet", "failure"), ("acme-prod", "success")):
        run_cli(
            "drift-record",
            "--stack",
            stack,
            "--outcome",
            outcome,
            "--out",
            str(results / f"drift-{stack}" / f"{stack}.json"),
        )
    summary = tmp_path / "summary.md"
    summary.write_text("earlier step\n")
    result = run_cli("drift-report", str(results), "--markdown-out", str(summary))
    assert result.exit_code == 1
    text = summary.read_text()
    assert text.startswith("earlier step\n## Drift check")
    assert "| `acme-prod` | ✅ clean |" in text
    assert "| `tailnet` | ❌ error |" in text
    assert "| `acme-dev` | ❌ error | no result recorded" in text
    assert text == "earlier step\n" + result.stdout


def test_report_all_clean_exits_0(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.chdir(REPO)
    for stack in ("tailnet", "acme-dev", "acme-prod", "globex-prod"):
        run_cli(
            "drift-record",
            "--stack",
            stack,
            "--outcome",
            "success",
            "--out",
            str(tmp_path / f"{stack}.json"),
        )
    result = run_cli("drift-report", str(tmp_path))
    assert result.exit_code == 0
    assert "4 clean · 0 drifted · 0 error, of 4 stacks" in result.stdout


def test_report_on_malformed_record_exits_2(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.chdir(REPO)
    (tmp_path / "x.json").write_text("{")
    result = run_cli("drift-report", str(tmp_path))
    assert result.exit_code == 2
    assert "x.json" in result.stderr


def test_status_values_are_the_documented_three() -> None:
    assert [s.value for s in Status] == ["clean", "drifted", "error"]
