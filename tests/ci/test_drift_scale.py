"""The drift matrix past GitHub's 256 jobs: the workflow's matrix script, run as written on a
registry of 20,000 stacks, yields at most 256 batch jobs that together cover every stack once."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from hfaccess.matrix import (
    MAX_MATRIX_JOBS,
    ShardError,
    StackRow,
    batch_document,
    parse_shard,
    shard,
    shard_count,
)
from tests.ci.support import github_output, run_step, step, workflow
from tests.support.cli import run_cli
from tests.support.files import REPO

ENVIRONMENTS = tuple(f"e{i:02d}" for i in range(40))
CUSTOMERS = 500  # x 40 environments = 20,000 stacks, plus `tailnet` (few files: a fast test)


@pytest.fixture(scope="module")
def big_workspace(tmp_path_factory: pytest.TempPathFactory) -> Path:
    workspace = tmp_path_factory.mktemp("big")
    customers = workspace / "customers"
    customers.mkdir()
    envs = "".join(f"  {env}: {{}}\n" for env in ENVIRONMENTS)
    for index in range(CUSTOMERS):
        name = f"c{index:05d}"
        (customers / f"{name}.yaml").write_text(f"name: {name}\nenvironments:\n{envs}")
    (workspace / "tailnet").mkdir()
    shutil.copy(REPO / "tailnet" / "highflame.yaml", workspace / "tailnet" / "highflame.yaml")
    return workspace


def test_matrix_script_batches_20000_stacks_into_at_most_256_jobs(big_workspace: Path) -> None:
    script = step(workflow("drift.yml"), "stacks", id="matrix")["run"]
    out = big_workspace / "github_output"
    out.write_text("")
    proc = run_step(script, big_workspace, {"GITHUB_OUTPUT": str(out)})
    assert proc.returncode == 0, proc.stderr
    outputs = github_output(out)
    assert outputs["mode"] == "batches"
    assert "matrix" not in outputs  # 20,000 rows would pass GitHub's output limits
    batches = json.loads(outputs["batches"])["include"]
    assert 1 < len(batches) <= MAX_MATRIX_JOBS
    assert sum(b["stacks"] for b in batches) == CUSTOMERS * len(ENVIRONMENTS) + 1
    assert max(b["stacks"] for b in batches) - min(b["stacks"] for b in batches) <= 1
    assert batches[0]["first"] == "tailnet"
    assert all(b["cluster"] is True for b in batches)  # every environment is managed

    # One batch job's stack list, as `hfaccess drift --shard` previews it.
    k, n = parse_shard(batches[-1]["shard"])
    listed = run_cli(
        "stacks",
        "--shard",
        f"{k}/{n}",
        "--customers",
        str(big_workspace / "customers"),
        "--highflame",
        str(big_workspace / "tailnet" / "highflame.yaml"),
    )
    assert listed.exit_code == 0, listed.stderr
    names = listed.stdout.split()
    assert len(names) == batches[-1]["stacks"]
    assert names[0] == batches[-1]["first"]
    assert names[-1] == batches[-1]["last"] == f"c{CUSTOMERS - 1:05d}-e39"


def _rows(count: int) -> list[StackRow]:
    return [
        StackRow(f"s{i:05d}", "environment", "c", "e", "managed", i % 7 == 0) for i in range(count)
    ]


@pytest.mark.parametrize("count", [1, 5, 256, 257, 1000, 20001])
def test_shards_cover_every_stack_once_in_order(count: int) -> None:
    rows = _rows(count)
    n = shard_count(count)
    assert n <= MAX_MATRIX_JOBS
    covered = [row for k in range(1, n + 1) for row in shard(rows, k, n)]
    assert covered == rows
    if count <= MAX_MATRIX_JOBS:
        assert n == count  # one stack per job, as before batching
    document = batch_document(rows)["include"]
    assert len(document) == n
    assert [b["cluster"] for b in document] == [
        any(r.cluster for r in shard(rows, k, n)) for k in range(1, n + 1)
    ]


@pytest.mark.parametrize("text", ["0/3", "4/3", "a/b", "3", "1/0", "-1/2"])
def test_bad_shard_values_are_refused(text: str) -> None:
    with pytest.raises(ShardError):
        parse_shard(text)


def test_stacks_refuses_a_bad_shard_with_exit_2() -> None:
    result = run_cli("stacks", "--shard", "9/3", "--customers", str(REPO / "customers"))
    assert result.exit_code == 2
    assert "--shard: '9/3': K must be between 1 and N" in result.stderr
