"""Drift results as files: what each CI matrix job records and the summary job merges."""

from __future__ import annotations

import json
from collections.abc import Sequence
from enum import StrEnum
from pathlib import Path

from hfaccess.drift.model import (
    StackResult,
    Status,
    results_document,
    results_from_document,
)
from hfaccess.drift.run import Previewer, check_stacks


class Outcome(StrEnum):
    """A GitHub Actions step outcome (`steps.<id>.outcome`)."""

    SUCCESS = "success"
    FAILURE = "failure"
    CANCELLED = "cancelled"
    SKIPPED = "skipped"


def record_outcome(stack: str, outcome: Outcome, explain: Previewer | None) -> StackResult:
    """Turn the gate step's outcome into a result; on failure, find out what differs.

    The gate (`pulumi preview --refresh --expect-no-changes`) only says pass or fail. When it
    fails, `explain` previews the stack again through the Automation API to name the drifted
    resources and properties, or the error.
    """
    if outcome is Outcome.SUCCESS:
        return StackResult(stack, Status.CLEAN)
    if outcome is not Outcome.FAILURE:
        return StackResult(stack, Status.ERROR, error=f"the preview did not complete ({outcome})")
    if explain is None:
        return StackResult(
            stack, Status.ERROR, error="the preview failed; see the job log (no Pulumi CLI here)"
        )
    [result] = check_stacks([stack], explain, parallel=1)
    if result.status is Status.CLEAN:
        return StackResult(
            stack,
            Status.ERROR,
            error="the preview failed, but a second preview found no changes (transient?)",
        )
    return result


def write_results(path: Path, results: Sequence[StackResult]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(results_document(results), indent=2) + "\n", encoding="utf-8")


class ResultFileError(ValueError):
    """A results file that cannot be read; names the file."""


def read_results(directory: Path) -> list[StackResult]:
    """Every result in every *.json under `directory` (artifact downloads nest one level)."""
    results: list[StackResult] = []
    for path in sorted(directory.rglob("*.json")):
        try:
            results.extend(results_from_document(json.loads(path.read_text(encoding="utf-8"))))
        except (OSError, ValueError) as exc:
            raise ResultFileError(f"{path.as_posix()}: {exc}") from None
    return results


def merge_results(expected: Sequence[str], found: Sequence[StackResult]) -> list[StackResult]:
    """One result per expected stack, in that order; a stack without a record is an error.

    A matrix job that died before recording (runner lost, setup failed) must not read as clean.
    Records for stacks outside `expected` are kept at the end.
    """
    by_stack: dict[str, StackResult] = {}
    for result in found:
        by_stack[result.stack] = result
    merged = [
        by_stack.pop(
            stack,
            StackResult(
                stack, Status.ERROR, error="no result recorded: the job stopped before recording"
            ),
        )
        for stack in expected
    ]
    return merged + [by_stack[name] for name in sorted(by_stack)]
