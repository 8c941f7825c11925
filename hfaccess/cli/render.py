"""`hfaccess render`: write what a stack applies, as files a reviewer can read."""

from __future__ import annotations

import signal
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from functools import partial
from pathlib import Path
from typing import Annotated

import typer

from hfaccess.artifact_diff import MANIFEST, manifest_document
from hfaccess.cli.common import (
    DEFAULT_CUSTOMERS_DIR,
    DEFAULT_HIGHFLAME_FILE,
    CustomersOption,
    HighflameOption,
    err,
    fail,
    fail_invalid,
    gate,
    gated_model_or_exit,
    noted_model_or_exit,
    out,
)
from hfaccess.policy.gate import policy_checked_once
from hfaccess.registry.errors import InvalidInput
from hfaccess.registry.stacks import StackIndex, TailnetStack, UnknownStackError
from hfaccess.render import render_into, tailnet_settings_warnings

PROGRESS_EVERY_SECONDS = 2.0  # long runs say how far they are, on stderr


def render(
    out_dir: Annotated[Path, typer.Option("--out", help="Directory to write into.")],
    stack: Annotated[
        list[str] | None,
        typer.Option(
            "--stack", help="Stack to render (repeatable): `tailnet` or `<customer>-<env>`."
        ),
    ] = None,
    all_stacks: Annotated[
        bool,
        typer.Option(
            "--all",
            help="Render every stack into OUT/<stack>/; outputs of stacks that no longer "
            "exist are removed.",
        ),
    ] = False,
    customers: CustomersOption = DEFAULT_CUSTOMERS_DIR,
    highflame: HighflameOption = DEFAULT_HIGHFLAME_FILE,
) -> None:
    """Render stacks' artifacts. One --stack writes into OUT itself; --all or several, OUT/<stack>/.

    Every stack renders before anything is written: one refusal writes nothing at all.
    """
    with policy_checked_once():  # the gate's policy is the tailnet stack's: checked once
        _render(out_dir, stack, all_stacks, customers, highflame)


def _render(
    out_dir: Path, stack: list[str] | None, all_stacks: bool, customers: Path, highflame: Path
) -> None:
    # A large registry takes seconds to read and check: say so if it does (never on short runs).
    with _notice_after(PROGRESS_EVERY_SECONDS, "render: reading and checking the registry ..."):
        if all_stacks:  # the gate runs in render_into, while its workers render (same refusals)
            model = noted_model_or_exit(customers, highflame)
        else:
            model = gated_model_or_exit(customers, highflame)  # the same gate as validate
    index = StackIndex(model.registry)  # built once: resolving N names is N look-ups
    names = index.names() if all_stacks else list(stack or [])
    if not names:
        fail(["render: give --stack NAME or --all"], code=2)
    try:
        stacks = [index.parse(name) for name in names]
    except UnknownStackError as exc:
        fail([f"--stack: {exc}"])
    nested = all_stacks or len(stacks) > 1
    started = last = time.monotonic()

    def progress(done: int) -> None:
        nonlocal last
        now = time.monotonic()
        if now - last >= PROGRESS_EVERY_SECONDS:
            last = now
            err.print(
                f"render: {done}/{len(stacks)} stacks rendered ({now - started:.0f} s)",
                markup=False,
            )

    try:
        summary = render_into(
            out_dir,
            stacks,
            model,
            nested=nested,
            prune=all_stacks,
            progress=progress,
            gate=partial(gate, model) if all_stacks else None,
        )
    except InvalidInput as exc:
        fail_invalid(exc)
    except OSError as exc:
        fail([f"--out: {out_dir.as_posix()}: cannot write: {exc.strerror or exc}"], code=2)
    if all_stacks:
        removed = f"; removed {len(summary.removed)} stale output(s)" if summary.removed else ""
        out.print(
            f"rendered {summary.stacks} stacks ({summary.file_count} files) into "
            f"{out_dir.as_posix()}/{removed}",
            markup=False,
        )
        for name in summary.removed:
            out.print(f"removed {(out_dir / name).as_posix()} (no such stack)", markup=False)
    else:
        for path in summary.files:
            out.print(f"wrote {path.as_posix()}", markup=False)
    if nested:  # lets `diff` tell a stack not rendered here from a stack removed
        manifest = out_dir / MANIFEST
        temporary = manifest.with_name(f".{MANIFEST}.tmp")
        temporary.write_text(manifest_document(names, complete=all_stacks), encoding="utf-8")
        temporary.replace(manifest)  # atomically, like every rendered file
        out.print(f"wrote {manifest.as_posix()}", markup=False)
    for warning in summary.warnings:
        err.print(f"WARNING: {warning}", markup=False)
    if any(isinstance(s, TailnetStack) for s in stacks):
        for warning in tailnet_settings_warnings(model):
            err.print(f"WARNING: {warning}", markup=False)


@contextmanager
def _notice_after(seconds: float, message: str) -> Iterator[None]:
    """Print `message` on stderr if the block runs longer than `seconds`.

    A SIGALRM timer, not a thread: the block forks workers (hfaccess.parallel), and a forked
    child gets no copy of a timer, where a thread could hold a lock at the moment of the fork.
    """
    if (
        not hasattr(signal, "setitimer")
        or threading.current_thread() is not threading.main_thread()
    ):
        yield  # signals reach only the main thread: no notice elsewhere
        return

    def say(_signum: int, _frame: object) -> None:
        err.print(message, markup=False)

    previous = signal.signal(signal.SIGALRM, say)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def register(app: typer.Typer) -> None:
    app.command()(render)
