"""Orchestration: bounded parallelism, stable order, verdicts and exit codes."""

from __future__ import annotations

import pytest

from hfaccess.drift.model import PreviewOutcome, ResourceChange, Status
from hfaccess.drift.run import check_stacks, exit_code
from tests.hfaccess.drift.fakes import RELEASE_URN, FakePreviewer, drifted_acl

STACKS = ["tailnet", "acme-dev", "acme-prod", "globex-prod", "initech-prod", "initech-qa"]


@pytest.mark.parametrize("parallel", [1, 2, 3])
def test_never_more_than_parallel_previews_at_once(parallel: int) -> None:
    fake = FakePreviewer(hold=parallel)
    results = check_stacks(STACKS, fake, parallel=parallel)
    assert fake.max_active == parallel  # the bound is reached and never exceeded
    assert sorted(fake.finished) == sorted(STACKS)
    assert [r.stack for r in results] == STACKS


def test_parallel_larger_than_the_fleet_runs_everything_at_once() -> None:
    fake = FakePreviewer(hold=3)
    check_stacks(STACKS[:3], fake, parallel=10)
    assert fake.max_active == 3


def test_one_at_a_time_previews_in_registry_order() -> None:
    fake = FakePreviewer()
    check_stacks(STACKS, fake, parallel=1)
    assert fake.started == STACKS
    assert fake.finished == STACKS


def test_results_keep_input_order_whatever_finishes_first() -> None:
    fake = FakePreviewer(hold=len(STACKS))
    results = check_stacks(STACKS, fake, parallel=len(STACKS))
    assert [r.stack for r in results] == STACKS


def test_verdicts_and_exit_codes() -> None:
    fake = FakePreviewer(
        outcomes={
            "tailnet": drifted_acl(),
            "acme-dev": PreviewOutcome(error="error: no stack named 'acme-dev' found"),
            "globex-prod": PreviewOutcome(
                changes=(ResourceChange("refresh", RELEASE_URN, ("status",)),)
            ),
        },
        failures={"initech-qa": RuntimeError("kubeconfig context not found")},
    )
    results = check_stacks(STACKS, fake, parallel=2)
    status = {r.stack: r.status for r in results}
    assert status == {
        "tailnet": Status.DRIFTED,
        "acme-dev": Status.ERROR,
        "acme-prod": Status.CLEAN,
        "globex-prod": Status.CLEAN,  # live state moved, but the program would change nothing
        "initech-prod": Status.CLEAN,
        "initech-qa": Status.ERROR,
    }
    by_stack = {r.stack: r for r in results}
    assert by_stack["initech-qa"].error == "RuntimeError: kubeconfig context not found"
    assert [c.op for c in by_stack["tailnet"].drift] == ["update"]
    assert exit_code(results) == 1
    assert exit_code([r for r in results if r.status is Status.CLEAN]) == 0
    assert exit_code([by_stack["acme-dev"]]) == 1
    assert exit_code([]) == 0


def test_policy_violation_alone_is_an_error() -> None:
    fake = FakePreviewer(outcomes={"acme-prod": PreviewOutcome(violations=("pinned: bad",))})
    [result] = check_stacks(["acme-prod"], fake)
    assert result.status is Status.ERROR


def test_callbacks_see_every_stack_start_and_finish() -> None:
    started: list[str] = []
    done: list[str] = []
    check_stacks(
        STACKS,
        FakePreviewer(),
        parallel=2,
        on_start=started.append,
        on_done=lambda r: done.append(r.stack),
    )
    assert sorted(started) == sorted(done) == sorted(STACKS)


def test_parallel_must_be_positive() -> None:
    with pytest.raises(ValueError, match="at least 1"):
        check_stacks(STACKS, FakePreviewer(), parallel=0)


def test_no_stacks_no_work() -> None:
    assert check_stacks([], FakePreviewer()) == []
