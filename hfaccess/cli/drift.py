"""`hfaccess drift`: preview every stack with refresh and report what drifted.

Also the two CI halves of the same check: `drift-record` (one matrix job's verdict) and
`drift-report` (the job summary over every stack).
"""

from __future__ import annotations

import shutil
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import Annotated

import typer
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    SpinnerColumn,
    TextColumn,
    TimeElapsedColumn,
)

from hfaccess.cli.common import (
    DEFAULT_CUSTOMERS_DIR,
    DEFAULT_HIGHFLAME_FILE,
    CustomersOption,
    HighflameOption,
    err,
    fail,
    load_or_exit,
    out,
)
from hfaccess.drift.automation import AutomationPreviewer
from hfaccess.drift.model import StackResult
from hfaccess.drift.records import (
    Outcome,
    ResultFileError,
    merge_results,
    read_results,
    record_outcome,
    write_results,
)
from hfaccess.drift.report import markdown_report, summary_table
from hfaccess.drift.run import DEFAULT_PARALLEL, Previewer, check_stacks, exit_code
from hfaccess.matrix import ShardError, parse_shard
from hfaccess.stacks import StackIndex, UnknownStackError

NO_PULUMI = (
    "drift: the Pulumi CLI is not installed (no `pulumi` on PATH); nothing was checked. "
    "Install it (https://www.pulumi.com/docs/install/) and log in to the state backend first."
)

RootOption = Annotated[
    Path, typer.Option("--root", help="The Pulumi project directory (Pulumi.yaml).")
]
PolicyPackOption = Annotated[
    Path, typer.Option("--policy-pack", help="CrossGuard pack the previews run with.")
]
NoPolicyPackOption = Annotated[
    bool, typer.Option("--no-policy-pack", help="Preview without the policy pack.")
]
OrgOption = Annotated[
    str | None,
    typer.Option(
        "--org",
        envvar="PULUMI_ORG",
        help="Pulumi Cloud organization (stacks become ORG/STACK); omit for a self-managed backend.",
    ),
]


def make_previewer(root: Path, policy_packs: Sequence[Path], organization: str | None) -> Previewer:
    """The Automation API previewer (tests replace this with a fake)."""
    return AutomationPreviewer(root, tuple(policy_packs), organization)


def _require_pulumi() -> None:
    if shutil.which("pulumi") is None:
        fail([NO_PULUMI], code=2)


def _packs(root: Path, policy_pack: Path, no_policy_pack: bool) -> list[Path]:
    if no_policy_pack:
        return []
    pack = policy_pack if policy_pack.is_absolute() else root / policy_pack
    if not (pack / "PulumiPolicy.yaml").is_file():
        fail([f"--policy-pack: {pack.as_posix()} has no PulumiPolicy.yaml"], code=2)
    return [pack.resolve()]


def _run_with_progress(
    stacks: Sequence[str], previewer: Previewer, parallel: int
) -> list[StackResult]:
    running: list[str] = []
    lock = threading.Lock()
    columns = (
        SpinnerColumn(),
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
    )
    with Progress(*columns, console=err, transient=True) as progress:
        task = progress.add_task("previewing", total=len(stacks))

        def describe() -> str:
            return "previewing " + (", ".join(running) if running else "…")

        def on_start(stack: str) -> None:
            with lock:
                running.append(stack)
                progress.update(task, description=describe())

        def on_done(result: StackResult) -> None:
            with lock:
                running.remove(result.stack)
                progress.update(task, advance=1, description=describe())
            progress.console.print(f"{result.stack}: {result.status.value}", markup=False)

        return check_stacks(stacks, previewer, parallel, on_start=on_start, on_done=on_done)


def drift(
    *,
    stack: Annotated[
        list[str] | None,
        typer.Option("--stack", help="Check only this stack (repeatable). Default: every stack."),
    ] = None,
    shard_of: Annotated[
        str | None,
        typer.Option(
            "--shard",
            help="Check only batch K of N of every stack (K/N, as `hfaccess stacks --shard`).",
        ),
    ] = None,
    parallel: Annotated[
        int, typer.Option("--parallel", min=1, help="Previews running at the same time.")
    ] = DEFAULT_PARALLEL,
    policy_pack: PolicyPackOption = Path("policy"),
    no_policy_pack: NoPolicyPackOption = False,
    organization: OrgOption = None,
    json_out: Annotated[
        Path | None, typer.Option("--json-out", help="Also write the results as JSON.")
    ] = None,
    markdown_out: Annotated[
        Path | None, typer.Option("--markdown-out", help="Also write a markdown summary.")
    ] = None,
    root: RootOption = Path("."),
    customers: CustomersOption = DEFAULT_CUSTOMERS_DIR,
    highflame: HighflameOption = DEFAULT_HIGHFLAME_FILE,
) -> None:
    """Preview every stack with --refresh and the policy pack; report what drifted.

    Exit 0: every stack clean. Exit 1: a stack drifted or could not be checked.
    Exit 2: no Pulumi CLI (needs it, a logged-in backend and each stack's credentials).
    """
    _require_pulumi()
    model = load_or_exit(customers, highflame)
    index = StackIndex(model.registry)
    names = list(stack) if stack else index.names()
    try:
        for name in names:
            index.parse(name)
    except UnknownStackError as exc:
        fail([f"--stack: {exc}"], code=2)
    if shard_of is not None:
        try:
            k, n = parse_shard(shard_of)
        except ShardError as exc:
            fail([f"--shard: {exc}"], code=2)
        start, end = (k - 1) * len(names) // n, k * len(names) // n
        names = names[start:end]
    previewer = make_previewer(root, _packs(root, policy_pack, no_policy_pack), organization)
    results = _run_with_progress(names, previewer, parallel)
    out.print(summary_table(results))
    if json_out is not None:
        write_results(json_out, results)
    if markdown_out is not None:
        markdown_out.write_text(markdown_report(results), encoding="utf-8")
    raise typer.Exit(exit_code(results))


def drift_record(
    *,
    stack: Annotated[str, typer.Option("--stack", help="The stack the CI job previewed.")],
    outcome: Annotated[
        Outcome, typer.Option("--outcome", help="The preview step's outcome in CI.")
    ],
    out_file: Annotated[Path, typer.Option("--out", help="Where to write the result (JSON).")],
    explain: Annotated[
        bool,
        typer.Option(
            "--explain/--no-explain",
            help="After a failed preview, preview again to record what drifted.",
        ),
    ] = True,
    policy_pack: PolicyPackOption = Path("policy"),
    no_policy_pack: NoPolicyPackOption = False,
    organization: OrgOption = None,
    root: RootOption = Path("."),
) -> None:
    """Record one CI preview's verdict for `drift-report` (always exits 0: the gate decided)."""
    explainer = None
    if explain and outcome is Outcome.FAILURE and shutil.which("pulumi") is not None:
        explainer = make_previewer(root, _packs(root, policy_pack, no_policy_pack), organization)
    result = record_outcome(stack, outcome, explainer)
    write_results(out_file, [result])
    out.print(f"{result.stack}: {result.status.value}: {result.summary()}", markup=False)


def drift_report(
    results_dir: Annotated[Path, typer.Argument(help="Directory of drift-record JSON files.")],
    markdown_out: Annotated[
        Path | None,
        typer.Option("--markdown-out", help="Append the summary here (e.g. $GITHUB_STEP_SUMMARY)."),
    ] = None,
    customers: CustomersOption = DEFAULT_CUSTOMERS_DIR,
    highflame: HighflameOption = DEFAULT_HIGHFLAME_FILE,
) -> None:
    """Merge every stack's record into one markdown summary naming each drifted stack.

    Every registry stack appears; one without a record is reported as an error. Exits 1 when
    any stack drifted or failed, so the summary job's status matches the check.
    """
    model = load_or_exit(customers, highflame)
    try:
        found = read_results(results_dir) if results_dir.is_dir() else []
    except ResultFileError as exc:
        fail([f"drift-report: {exc}"], code=2)
    results = merge_results(model.registry.stack_names(), found)
    report = markdown_report(results)
    print(report, end="")
    if markdown_out is not None:
        with markdown_out.open("a", encoding="utf-8") as handle:
            handle.write(report)
    raise typer.Exit(exit_code(results))


def register(app: typer.Typer) -> None:
    app.command()(drift)
    app.command("drift-record")(drift_record)
    app.command("drift-report")(drift_report)
