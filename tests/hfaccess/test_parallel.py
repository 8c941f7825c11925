"""Reading the registry in forked workers gives exactly what reading it in one process gives:
the same customers in the same order, and the same errors for the same files."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from benchmarks.synthetic import write_registry
from hfaccess import parallel
from hfaccess.registry.errors import InvalidInput
from hfaccess.registry.loader import load_registry


def _square_and_pid(value: int) -> tuple[int, int]:
    return value * value, os.getpid()


def test_fork_map_keeps_order_and_uses_workers(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(parallel, "FORK_THRESHOLD", 10)
    monkeypatch.setattr(parallel, "cores", lambda: 2)
    results = parallel.fork_map(_square_and_pid, list(range(200)))
    assert [square for square, _ in results] == [n * n for n in range(200)]
    assert os.getpid() not in {pid for _, pid in results}  # really in workers


def test_small_inputs_stay_in_this_process() -> None:
    results = parallel.fork_map(_square_and_pid, list(range(20)))
    assert {pid for _, pid in results} == {os.getpid()}


def test_a_registry_read_by_workers_equals_one_read_in_order(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    customers = write_registry(tmp_path / "customers", 60)
    (customers / ".swap").write_text("x", encoding="utf-8")
    monkeypatch.setattr(parallel, "FORK_THRESHOLD", 10)
    monkeypatch.setattr(parallel, "cores", lambda: 2)
    one = load_registry(customers)
    many = load_registry(customers, parallel.fork_map)
    assert many == one
    assert [c.name for c in many.customers] == [c.name for c in one.customers]
    # the same refusals, file by file, whoever read the files
    (customers / "cust00003.yaml").write_text("name: [unclosed\n", encoding="utf-8")
    (customers / "cust00007.yaml").write_text("name: other\nenvironments: {}\n", encoding="utf-8")
    (customers / "bad name.yaml").write_text("name: x\n", encoding="utf-8")
    with pytest.raises(InvalidInput) as sequential:
        load_registry(customers)
    with pytest.raises(InvalidInput) as forked:
        load_registry(customers, parallel.fork_map)
    assert forked.value.errors == sequential.value.errors
    assert len(sequential.value.errors) >= 3
