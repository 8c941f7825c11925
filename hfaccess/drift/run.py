"""Previewing many stacks, a bounded number at a time, with results in a stable order.

The preview itself sits behind `Previewer`, so the orchestration (order, parallelism bound,
verdicts, exit code) is tested with a fake, and the Pulumi Automation API lives in one place.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import Protocol

from hfaccess.drift.model import PreviewOutcome, StackResult, Status, classify

DEFAULT_PARALLEL = 2


class Previewer(Protocol):
    """Runs `preview --refresh` for one stack and reports its steps. May raise."""

    def preview(self, stack: str) -> PreviewOutcome: ...


def _error_text(exc: BaseException) -> str:
    text = str(exc).strip()
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__


def check_stacks(
    stacks: Sequence[str],
    previewer: Previewer,
    parallel: int = DEFAULT_PARALLEL,
    *,
    on_start: Callable[[str], None] | None = None,
    on_done: Callable[[StackResult], None] | None = None,
) -> list[StackResult]:
    """Preview `stacks`, at most `parallel` at once, started in the order given.

    Results come back in the order of `stacks` whatever order the previews finish in. A
    previewer that raises yields an `error` result for that stack; the others still run.
    """
    if parallel < 1:
        raise ValueError("parallel must be at least 1")

    def one(stack: str) -> StackResult:
        if on_start is not None:
            on_start(stack)
        try:
            result = classify(stack, previewer.preview(stack))
        except Exception as exc:  # any failure is this stack's verdict, not the run's
            result = StackResult(stack, Status.ERROR, error=_error_text(exc))
        if on_done is not None:
            on_done(result)
        return result

    if not stacks:
        return []
    with ThreadPoolExecutor(max_workers=min(parallel, len(stacks))) as pool:
        futures = [pool.submit(one, stack) for stack in stacks]
        return [future.result() for future in futures]


def exit_code(results: Sequence[StackResult]) -> int:
    """0 when every stack is clean, 1 when any drifted or could not be checked."""
    return 0 if all(r.status is Status.CLEAN for r in results) else 1
