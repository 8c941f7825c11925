"""Benchmarks against the scale budgets: prints figures (median of runs, peak memory), asserts nothing.

Usage (from the repository root): venv/bin/python -m benchmarks.run [--sizes 10,100,1000,5000]
[--repeat 5] [--json FILE] [--plot FILE]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from benchmarks.synthetic import write_registry

ROOT = Path(__file__).resolve().parents[1]
FLOOR = "import pulumi, pulumi_kubernetes.helm.v3, pulumi_tailscale"


@dataclass
class Figure:
    """Median wall time and the largest peak RSS over the runs of one command.

    user / system: CPU seconds of the median run, the process and its workers together
    (`system` is the kernel's share: for `render --all`, mostly creating files).
    """

    seconds: float
    peak_mib: float
    runs: list[float] = field(default_factory=list)
    user: float = 0.0
    system: float = 0.0


def measure(argv: list[str], repeat: int) -> Figure:
    """Run `argv` `repeat` times from process start; median wall time, max peak RSS."""
    times: list[float] = []
    cpu: list[tuple[float, float]] = []
    peak_kib = 0
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    for _ in range(repeat):
        start = time.perf_counter()
        proc = subprocess.Popen(
            argv, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
        )
        _, status, usage = os.wait4(proc.pid, 0)
        times.append(time.perf_counter() - start)
        cpu.append((usage.ru_utime, usage.ru_stime))  # wait4: the child and its reaped workers
        if os.waitstatus_to_exitcode(status) != 0:
            stderr = proc.stderr.read().decode() if proc.stderr else ""
            raise SystemExit(f"benchmark command failed: {' '.join(argv)}\n{stderr}")
        if proc.stderr:
            proc.stderr.close()
        peak_kib = max(peak_kib, usage.ru_maxrss)
    median = sorted(range(len(times)), key=times.__getitem__)[len(times) // 2]
    user, system = cpu[median]
    return Figure(
        round(statistics.median(times), 4),
        round(peak_kib / 1024, 1),
        times,
        round(user, 2),
        round(system, 2),
    )


@dataclass
class SizeResult:
    customers: int
    render: Figure
    check: Figure
    policy_bytes: int
    policy_tests: int
    grants: int

    @property
    def bytes_per_customer(self) -> float:
        return self.policy_bytes / self.customers


def bench_size(count: int, repeat: int, workdir: Path) -> SizeResult:
    customers = write_registry(workdir / f"customers-{count}", count)
    out = workdir / f"out-{count}"
    py = sys.executable
    common = ["--customers", str(customers)]
    render = measure(
        [py, "-m", "hfaccess", "render", "--stack", "tailnet", "--out", str(out), *common], repeat
    )
    check = measure([py, "-m", "hfaccess", "check", *common], repeat)
    text = (out / "policy.json").read_text(encoding="utf-8")
    policy = json.loads(text)
    return SizeResult(
        count,
        render,
        check,
        len(text.encode()),
        len(policy.get("tests", [])),
        len(policy.get("grants", [])),
    )


@dataclass
class RenderAllResult:
    customers: int
    stacks: int
    figure: Figure  # into a fresh directory: every file created
    again: Figure | None = None  # again into the same directory, nothing changed


def file_creation_ms(directory: Path, count: int = 2000) -> float:
    """Milliseconds to create one small file here and now: what the filesystem charges.

    On an ext4 without a journal (this machine's), creating a file right after many files
    were deleted costs up to fifty times more (the allocator skips recently deleted inodes),
    so `render --all` into a fresh directory varies with what else ran in the last minutes.
    """
    probe = Path(tempfile.mkdtemp(prefix="probe-", dir=directory))
    start = time.perf_counter()
    for index in range(count):
        (probe / f"f{index}").write_bytes(b"x" * 2048)
    elapsed = time.perf_counter() - start
    return round(elapsed / count * 1e3, 3)


def bench_render_all(count: int, repeat: int, workdir: Path, outdir: Path) -> RenderAllResult:
    """`render --all` into a fresh directory (every file written) for a generated registry,
    then once more into the same directory (the usual `make render`: nothing changed).

    Outputs are kept (in `outdir`) until the whole series is done: deleting 100,000 files
    would slow the next run's file creation (see file_creation_ms).
    """
    customers = workdir / f"customers-{count}"
    if not customers.exists():
        write_registry(customers, count)
    py = sys.executable
    figures: list[Figure] = []
    again: Figure | None = None
    out = outdir
    for run in range(repeat):
        out = outdir / f"all-{count}-{run}"
        argv = [py, "-m", "hfaccess", "render", "--all", "--out", str(out)]
        figures.append(measure([*argv, "--customers", str(customers)], 1))
        if run == 0:
            again = measure([*argv, "--customers", str(customers)], 1)
    stacks = sum(1 for entry in out.iterdir() if entry.is_dir())
    return RenderAllResult(count, stacks, _merge(figures), again)


def render_all_lines(results: list[RenderAllResult], creation_ms: float | None) -> list[str]:
    lines = [""]
    if creation_ms is not None:
        lines.append(
            f"file creation on the output's filesystem before the series: {creation_ms} ms per file"
        )
    lines += [
        "",
        "| customers | stacks | render --all s | user s | system s | MiB | again, unchanged s |",
        "|---:|---:|---:|---:|---:|---:|---:|",
    ]
    lines += [
        f"| {r.customers} | {r.stacks} | {r.figure.seconds:.3f} | {r.figure.user:.1f} | "
        f"{r.figure.system:.1f} | {r.figure.peak_mib} | "
        f"{r.again.seconds if r.again else float('nan'):.3f} |"
        for r in results
    ]
    by_count = {r.customers: r for r in results}
    lines += ["", "render --all budgets:"]
    if 1000 in by_count and 3000 in by_count:
        ratio = by_count[3000].figure.seconds / by_count[1000].figure.seconds
        lines.append(
            f"- render --all 3,000 / render --all 1,000 = {ratio:.2f} (budget <= 3.3): "
            f"{verdict(ratio <= 3.3)}"
        )
    if 10000 in by_count:
        big = by_count[10000].figure
        lines.append(
            f"- render --all 10,000 customers ({by_count[10000].stacks} stacks): {big.seconds:.1f} s, "
            f"{big.peak_mib} MiB (budget < 20 s and < 300 MiB): "
            f"{verdict(big.seconds < 20 and big.peak_mib < 300)}"
        )
    return lines


def verdict(ok: bool) -> str:
    return "within budget" if ok else "OVER BUDGET"


def report(sizes: list[SizeResult], program: list[str], program_budget: str) -> list[str]:
    """The table and every budget line, as printed (the program's lines come made)."""
    lines = [
        f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}; "
        f"{datetime.now(UTC).strftime('%Y-%m-%d %H:%M UTC')}",
        "",
        "| customers | render s | render MiB | check s | check MiB | policy bytes | bytes/customer | grants | tests |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for s in sizes:
        lines.append(
            f"| {s.customers} | {s.render.seconds:.3f} | {s.render.peak_mib} | {s.check.seconds:.3f} | "
            f"{s.check.peak_mib} | {s.policy_bytes} | {s.bytes_per_customer:.0f} | {s.grants} | {s.policy_tests} |"
        )
    lines += [
        "",
        *program,
        "",
        "budgets:",
    ]
    by_count = {s.customers: s for s in sizes}
    if 10 in by_count and 1000 in by_count:
        ratio = by_count[1000].render.seconds / by_count[10].render.seconds
        lines.append(
            f"- render 1,000 / render 10 = {ratio:.2f} (budget <= 3): {verdict(ratio <= 3)}"
        )
    worst = max(s.bytes_per_customer for s in sizes)
    lines.append(
        f"- policy bytes per customer, worst {worst:.0f} (budget <= 1200): {verdict(worst <= 1200)}"
    )
    if len(sizes) >= 2:
        small, large = sizes[-2], sizes[-1]
        growth = (large.policy_bytes - small.policy_bytes) / (large.customers - small.customers)
        tests_growth = (large.policy_tests - small.policy_tests) / (
            large.customers - small.customers
        )
        lines.append(
            f"- marginal policy growth {growth:.0f} bytes and {tests_growth:.2f} tests per customer "
            f"between {small.customers} and {large.customers} (linear: constant per customer)"
        )
    lines.append(program_budget)
    if len(sizes) >= 3:
        a, b, c = sizes[-3], sizes[-2], sizes[-1]
        m1 = (b.check.seconds - a.check.seconds) / (b.customers - a.customers)
        m2 = (c.check.seconds - b.check.seconds) / (c.customers - b.customers)
        linear = m2 <= 2 * max(m1, 1e-6)
        lines.append(
            f"- check marginal cost {m1 * 1e3:.3f} ms/customer ({a.customers}->{b.customers}) vs "
            f"{m2 * 1e3:.3f} ms/customer ({b.customers}->{c.customers}) (linear: second <= 2x first): "
            f"{verdict(linear)}"
        )
    return lines


PROJECT_PACKAGES = ("hfaccess", "programs", "components", "tests/support", "benchmarks")


def compile_project() -> None:
    """Byte-compile the project's own modules before anything is timed.

    The libraries were byte-compiled by pip at install, and any second run of a command or a
    program finds the project's modules compiled too; but this machine sets
    PYTHONDONTWRITEBYTECODE=1, so without this every timed run would also compile the project's
    modules (about 40 for a stack's program, about 150 for the CLI).
    """
    import compileall

    for package in PROJECT_PACKAGES:
        compileall.compile_dir(ROOT / package, quiet=1)
    compileall.compile_file(ROOT / "__main__.py", quiet=1)


def _merge(figures: list[Figure]) -> Figure:
    """One figure from single runs: the median run's times and CPU, the largest peak."""
    times = [t for f in figures for t in f.runs]
    middle = sorted(figures, key=lambda f: f.seconds)[len(figures) // 2]
    return Figure(
        round(statistics.median(times), 4),
        max(f.peak_mib for f in figures),
        times,
        middle.user,
        middle.system,
    )


def plot(
    sizes: list[SizeResult],
    path: Path,
    render_all: list[RenderAllResult] | None = None,
    api: dict[int, dict[str, Any]] | None = None,
    latency: float = 0.05,
) -> None:
    """Each figure against customer count (needs matplotlib): render and check, render --all,
    policy size, and kill / fleet on the loopback API."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    counts = [s.customers for s in sizes]
    fig, (left, middle, right) = plt.subplots(1, 3, figsize=(15, 4))
    left.plot(counts, [s.render.seconds for s in sizes], "o-", label="render --stack tailnet")
    left.plot(counts, [s.check.seconds for s in sizes], "s-", label="check")
    if render_all:
        left.plot(
            [r.customers for r in render_all],
            [r.figure.seconds for r in render_all],
            "^-",
            label="render --all (every stack)",
        )
    left.set(xscale="log", xlabel="customers", ylabel="seconds (median, from process start)")
    left.legend()
    left.grid(True, which="both", alpha=0.3)
    middle.plot(counts, [s.policy_bytes / 1024 for s in sizes], "o-", color="tab:green")
    middle.set(xscale="log", yscale="log", xlabel="customers", ylabel="policy.json KiB")
    middle.grid(True, which="both", alpha=0.3)
    if api:
        customers = sorted(api)
        for name, label, marker in (
            ("kill", "kill (one customer)", "o-"),
            ("fleet", "fleet", "s-"),
        ):
            right.plot(customers, [api[c][name].seconds for c in customers], marker, label=label)
        right.set(
            xscale="log",
            xlabel="customers in the tailnet",
            ylabel=f"seconds, {latency * 1000:.0f} ms per API answer",
        )
        right.legend()
        right.grid(True, which="both", alpha=0.3)
    fig.suptitle("highflame-access at scale")
    fig.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=110)


DOC_BEGIN = "<!-- make bench: begin (written by benchmarks/run.py --doc; do not edit) -->"
DOC_END = "<!-- make bench: end -->"


def write_into_doc(doc: Path, lines: list[str]) -> None:
    """Put the printout between the doc's markers, verbatim: the doc shows what ran."""
    text = doc.read_text(encoding="utf-8")
    start, end = text.index(DOC_BEGIN), text.index(DOC_END)
    block = "\n".join([DOC_BEGIN, "", "```text", *lines, "```", "", ""])
    doc.write_text(text[:start] + block + text[end:], encoding="utf-8")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", default="10,100,1000,5000")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument(
        "--program-pairs", type=int, default=11, help="program and floor runs, alternating"
    )
    parser.add_argument(
        "--no-instructions", action="store_true", help="skip the callgrind instruction counts"
    )
    parser.add_argument("--json", type=Path)
    parser.add_argument("--plot", type=Path)
    parser.add_argument("--render-all-sizes", default="1000,3000,10000")
    parser.add_argument("--render-all-repeat", type=int, default=1)
    parser.add_argument("--api-customers", type=int, default=1000)
    parser.add_argument("--api-latency", type=float, default=0.05)
    parser.add_argument("--api-runs", type=int, default=3)
    parser.add_argument("--api-sizes", default="100,300", help="more tailnet sizes, for the plot")
    parser.add_argument("--doc", type=Path, help="write the printout into this doc's markers")
    args = parser.parse_args()
    compile_project()  # every timed command finds the project's bytecode, as a second run does
    counts = [int(x) for x in args.sizes.split(",")]
    all_counts = [int(x) for x in args.render_all_sizes.split(",") if x]
    # Outputs go where `make render` writes (build/), on the repository's filesystem.
    bench_dir = ROOT / "build" / "bench"
    bench_dir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=bench_dir) as tmp:
        sizes = [bench_size(n, args.repeat, Path(tmp)) for n in counts]
        creation = file_creation_ms(Path(tmp)) if all_counts else None
        outputs = Path(tmp) / "render-all"
        outputs.mkdir()
        render_all = [
            bench_render_all(n, args.render_all_repeat, Path(tmp), outputs) for n in all_counts
        ]
    from benchmarks import program_bench

    program = program_bench.bench(args.program_pairs, args.repeat, not args.no_instructions)
    printed: list[str] = []

    def say(line: str = "") -> None:
        print(line, flush=True)
        printed.append(line)

    for line in report(sizes, program_bench.report(program), program_bench.budget_line(program)):
        say(line)
    for line in render_all_lines(render_all, creation):
        say(line)
    from benchmarks.api_bench import bench as api_bench
    from benchmarks.api_bench import report as api_report
    from benchmarks.api_bench import series_lines

    api_counts = sorted({int(x) for x in args.api_sizes.split(",") if x} | {args.api_customers})
    api = {n: api_bench(n, args.api_latency, args.api_runs) for n in api_counts}
    say()
    say("API budgets (fake Tailscale API on loopback, in a process of its own):")
    for line in api_report(api[args.api_customers], args.api_customers, args.api_latency):
        say(line)
    for line in series_lines(api, args.api_latency):
        say(line)
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(
            json.dumps(
                {
                    "sizes": [
                        {**asdict(s), "bytes_per_customer": s.bytes_per_customer} for s in sizes
                    ],
                    "program": asdict(program.program),
                    "floor": asdict(program.floor),
                    "program_phases": program.phases,
                    "program_instructions": program.instructions,
                    "render_all": [asdict(r) for r in render_all],
                    "api": {
                        str(n): {name: asdict(f) for name, f in figures.items()}
                        for n, figures in api.items()
                    },
                    "printed": printed,
                },
                indent=2,
            ),
            encoding="utf-8",
        )
    if args.plot:
        plot(sizes, args.plot, render_all, api, args.api_latency)
        print(f"plot: {args.plot}")
    if args.doc:
        write_into_doc(args.doc, printed)
        print(f"wrote the printout into {args.doc}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
