"""The customer-environment program against the bare-import floor: wall time, where the
difference goes, and the instruction counts (which a busy machine cannot move)."""

from __future__ import annotations

import json
import os
import re
import shutil
import statistics
import subprocess
import sys
from dataclasses import dataclass, field

from benchmarks.run import FLOOR, ROOT, Figure, _merge, measure, verdict

STACK = "acme-prod"
PROGRAM = ["benchmarks/stack_program.py", STACK]
PHASES = ["benchmarks/program_phases.py", STACK]
BUDGET = 1.5


@dataclass
class ProgramResult:
    program: Figure
    floor: Figure
    phases: dict[str, float] = field(default_factory=dict)  # medians, seconds (or counts)
    phase_runs: int = 0
    instructions: tuple[int, int] | None = None  # (program, floor), None without valgrind

    @property
    def ratio(self) -> float:
        return self.program.seconds / self.floor.seconds


def bench(pairs: int, phase_runs: int, instructions: bool) -> ProgramResult:
    """`pairs` runs of each, alternating (both see the same machine), then the breakdown."""
    py = sys.executable
    program_runs: list[Figure] = []
    floor_runs: list[Figure] = []
    for _ in range(pairs):
        program_runs.append(measure([py, *PROGRAM], 1))
        floor_runs.append(measure([py, "-c", FLOOR], 1))
    result = ProgramResult(_merge(program_runs), _merge(floor_runs))
    result.phases, result.phase_runs = phases(phase_runs), phase_runs
    if instructions:
        result.instructions = instruction_counts()
    return result


def phases(runs: int) -> dict[str, float]:
    """Medians of benchmarks/program_phases.py's in-process phases over `runs` runs."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    samples: list[dict[str, float]] = []
    for _ in range(runs):
        out = subprocess.run(
            [sys.executable, *PHASES], cwd=ROOT, env=env, capture_output=True, text=True, check=True
        )
        samples.append(json.loads(out.stdout))
    return {key: statistics.median(s[key] for s in samples) for key in samples[0]}


_REFS = re.compile(r"I\s+refs:\s+([\d,]+)")


def instruction_counts() -> tuple[int, int] | None:
    """Instructions each executes under callgrind (program, floor), both at once; None if
    valgrind is not installed. Repeatable to a fraction of a percent, whatever the load."""
    valgrind = shutil.which("valgrind")
    if valgrind is None:
        return None
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    tool = [valgrind, "--tool=callgrind", "--callgrind-out-file=/dev/null"]
    procs = [
        subprocess.Popen(
            [*tool, sys.executable, *argv],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )
        for argv in (PROGRAM, ["-c", FLOOR])
    ]
    counts: list[int] = []
    for proc in procs:
        _, stderr = proc.communicate()
        found = _REFS.search(stderr)
        if proc.returncode != 0 or found is None:
            raise SystemExit(f"callgrind failed ({proc.returncode}):\n{stderr[-2000:]}")
        counts.append(int(found.group(1).replace(",", "")))
    return counts[0], counts[1]


def report(result: ProgramResult) -> list[str]:
    program, floor, p = result.program, result.floor, result.phases
    beyond = p["pydantic"] + p["project_modules"] + p["harness"] + p["run"]
    rest = program.seconds - floor.seconds - beyond
    lines = [
        f"customer-environment program ({STACK}) under mocks: {program.seconds:.3f} s, "
        f"{program.peak_mib} MiB (median of {len(program.runs)}, alternating with the floor)",
        f"bare-import floor (`{FLOOR}`): {floor.seconds:.3f} s, {floor.peak_mib} MiB",
        f"the program beyond the floor, in-process (median of {result.phase_runs}): "
        f"pydantic's import {p['pydantic']:.3f} s, "
        f"the project's modules and their models {p['project_modules']:.3f} s, "
        f"the mock harness {p['harness']:.3f} s, "
        f"the run (programs/, read and validate the stack's files, register its resources) {p['run']:.3f} s; "
        f"{p['full_collections']:.0f} full cyclic collection(s) among them, "
        f"{p['full_collection_seconds']:.3f} s; the rest (exit over a larger heap, noise) {rest:.3f} s",
    ]
    if result.instructions is not None:
        ran, base = result.instructions
        lines.append(
            f"instructions (callgrind): program {ran:,}, floor {base:,}, ratio {ran / base:.2f} "
            "(repeatable; a cross-check, the budget is judged on wall time)"
        )
    return lines


def budget_line(result: ProgramResult) -> str:
    return (
        f"- program / floor = {result.ratio:.2f} (budget <= {BUDGET}): "
        f"{verdict(result.ratio <= BUDGET)}"
    )
