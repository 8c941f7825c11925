"""The program-against-floor benchmark: its phase breakdown comes from a real run of the
program, and its report adds up what it prints."""

from __future__ import annotations

from benchmarks import program_bench
from benchmarks.run import Figure


def test_the_phases_come_from_a_real_program_run() -> None:
    phases = program_bench.phases(1)
    for key in ("floor_imports", "pydantic", "project_modules", "harness", "run"):
        assert phases[key] > 0, key
    assert phases["full_collections"] >= 0
    assert phases["full_collection_seconds"] <= sum(
        phases[k] for k in ("pydantic", "project_modules", "harness", "run")
    )


def test_callgrind_totals_are_read_from_its_summary() -> None:
    stderr = "==123== Collected : 1\n==123== \n==123== I   refs:      1,878,701,742\n"
    found = program_bench._REFS.search(stderr)
    assert found is not None
    assert int(found.group(1).replace(",", "")) == 1_878_701_742


def _result(program: float, floor: float) -> program_bench.ProgramResult:
    phases = {
        "floor_imports": 0.5,
        "pydantic": 0.2,
        "project_modules": 0.07,
        "harness": 0.004,
        "run": 0.1,
        "full_collections": 1,
        "full_collection_seconds": 0.06,
    }
    return program_bench.ProgramResult(
        Figure(program, 50.0, [program]), Figure(floor, 40.0, [floor]), phases, 5, (150, 100)
    )


def test_the_report_states_the_difference_it_explains() -> None:
    lines = program_bench.report(_result(1.40, 0.90))
    breakdown = next(line for line in lines if line.startswith("the program beyond"))
    # 1.40 - 0.90 - (0.2 + 0.07 + 0.004 + 0.1) = 0.126 s left for exit and noise
    assert breakdown.endswith("the rest (exit over a larger heap, noise) 0.126 s")
    assert "instructions (callgrind): program 150, floor 100, ratio 1.50" in lines[-1]


def test_the_budget_line_is_judged_on_wall_time() -> None:
    assert program_bench.budget_line(_result(1.35, 0.90)).endswith("within budget")
    assert program_bench.budget_line(_result(1.36, 0.90)).endswith("OVER BUDGET")
