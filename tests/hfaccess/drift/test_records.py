"""What CI matrix jobs record, and how the summary job merges them."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from hfaccess.drift.model import PreviewOutcome, StackResult, Status
from hfaccess.drift.records import (
    Outcome,
    ResultFileError,
    merge_results,
    read_results,
    record_outcome,
    write_results,
)
from hfaccess.drift.report import markdown_report
from tests.hfaccess.drift.fakes import FakePreviewer, drifted_acl


def test_successful_gate_is_clean_without_a_second_preview() -> None:
    fake = FakePreviewer()
    assert record_outcome("tailnet", Outcome.SUCCESS, fake).status is Status.CLEAN
    assert fake.started == []


def test_failed_gate_is_explained_by_a_second_preview() -> None:
    result = record_outcome("tailnet", Outcome.FAILURE, FakePreviewer({"tailnet": drifted_acl()}))
    assert result.status is Status.DRIFTED
    assert result.drift[0].keys == ("acl",)


def test_failed_gate_that_cannot_be_reproduced_is_still_an_error() -> None:
    result = record_outcome("tailnet", Outcome.FAILURE, FakePreviewer())
    assert result.status is Status.ERROR
    assert "second preview found no changes" in (result.error or "")


def test_failed_gate_without_an_explainer_is_an_error() -> None:
    assert record_outcome("tailnet", Outcome.FAILURE, None).status is Status.ERROR


@pytest.mark.parametrize("outcome", [Outcome.CANCELLED, Outcome.SKIPPED])
def test_gate_that_did_not_run_is_an_error(outcome: Outcome) -> None:
    result = record_outcome("acme-prod", outcome, FakePreviewer())
    assert result.status is Status.ERROR
    assert result.error == f"the preview did not complete ({outcome})"


def test_records_round_trip_through_artifact_directories(tmp_path: Path) -> None:
    drifted = record_outcome("tailnet", Outcome.FAILURE, FakePreviewer({"tailnet": drifted_acl()}))
    write_results(tmp_path / "drift-tailnet" / "tailnet.json", [drifted])
    write_results(
        tmp_path / "drift-acme-prod" / "acme-prod.json", [StackResult("acme-prod", Status.CLEAN)]
    )
    assert read_results(tmp_path) == [StackResult("acme-prod", Status.CLEAN), drifted]


def test_malformed_record_names_the_file(tmp_path: Path) -> None:
    (tmp_path / "bad.json").write_text(json.dumps({"results": [{"stack": "x"}]}))
    with pytest.raises(ResultFileError, match=r"bad\.json: malformed result"):
        read_results(tmp_path)


def test_merge_reports_every_expected_stack_in_order() -> None:
    found = [
        StackResult("acme-prod", Status.CLEAN),
        StackResult("tailnet", Status.DRIFTED),
        StackResult("old-prod", Status.CLEAN),
    ]
    merged = merge_results(["tailnet", "acme-dev", "acme-prod"], found)
    assert [(r.stack, r.status) for r in merged] == [
        ("tailnet", Status.DRIFTED),
        ("acme-dev", Status.ERROR),
        ("acme-prod", Status.CLEAN),
        ("old-prod", Status.CLEAN),
    ]
    assert merged[1].error == "no result recorded: the job stopped before recording"


def test_markdown_names_each_drifted_stack_and_what_drifted() -> None:
    results = [
        StackResult("tailnet", Status.DRIFTED, changes=drifted_acl().changes),
        StackResult("acme-dev", Status.ERROR, error="cluster unreachable | timeout"),
        StackResult("acme-prod", Status.CLEAN),
    ]
    report = markdown_report(results)
    assert "1 clean · 1 drifted · 1 error, of 3 stacks" in report
    assert "| `tailnet` | ⚠️ drifted | ~ tailscale:index/acl:Acl tailnet-policy [acl]" in report
    assert "| `acme-dev` | ❌ error | cluster unreachable \\| timeout |" in report
    assert "### `tailnet`: drifted" in report
    assert "- `~ tailscale:index/acl:Acl tailnet-policy [acl]`" in report
    assert "### `acme-prod`" not in report


def test_unused_outcome_fields_default_cleanly() -> None:
    assert PreviewOutcome() == PreviewOutcome((), (), None)
