"""Every stack the registry implies, as rows a CI matrix (or a person) can use.

The list is derived from customers/*.yaml on every run, never kept by hand: a customer added
in a pull request is previewed and drift-checked from the first scheduled run after merge.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass

from hfaccess.models import InstallMode, Registry
from hfaccess.stacks import EnvironmentStack, StackIndex, TailnetStack


@dataclass(frozen=True)
class StackRow:
    """One stack as a GitHub Actions matrix entry: flat strings and booleans only."""

    stack: str
    kind: str  # "tailnet" | "environment"
    customer: str  # "" for the tailnet stack
    environment: str  # "" for the tailnet stack
    install: str  # "managed" | "handoff" | "" (tailnet)
    cluster: bool  # whether the stack touches a customer cluster (needs cluster credentials)

    def as_dict(self) -> dict[str, str | bool]:
        return asdict(self)


def stack_rows(registry: Registry, only: Iterable[str] | None = None) -> list[StackRow]:
    """Rows in the registry's stack order (`tailnet` first); `only` keeps the named stacks.

    Names in `only` that the registry does not know (a stack removed in a pull request) are
    skipped: there is no program left to preview for them.
    """
    wanted = None if only is None else set(only)
    index = StackIndex(registry)  # built once: N stacks cost N look-ups, not N scans
    rows: list[StackRow] = []
    for name in index.names():
        if wanted is not None and name not in wanted:
            continue
        stack = index.parse(name)
        if isinstance(stack, TailnetStack):
            rows.append(StackRow(name, "tailnet", "", "", "", False))
        elif isinstance(stack, EnvironmentStack):
            install = stack.ref.environment.install
            rows.append(
                StackRow(
                    name,
                    "environment",
                    stack.ref.customer.name,
                    stack.ref.name,
                    install.value,
                    install is InstallMode.MANAGED,
                )
            )
    return rows


def matrix_document(rows: Iterable[StackRow]) -> dict[str, list[dict[str, str | bool]]]:
    """`{"include": [...]}`: usable as `strategy.matrix: ${{ fromJSON(...) }}` as is."""
    return {"include": [row.as_dict() for row in rows]}


# GitHub Actions runs at most 256 jobs per matrix; past that, each job previews a batch.
MAX_MATRIX_JOBS = 256


class ShardError(ValueError):
    """A --shard value that is not K/N with 1 <= K <= N."""


def parse_shard(text: str) -> tuple[int, int]:
    """`K/N` -> (K, N), 1-based."""
    head, sep, tail = text.partition("/")
    if not sep or not head.isdigit() or not tail.isdigit():
        raise ShardError(f"{text!r} is not K/N (for example 3/40)")
    k, n = int(head), int(tail)
    if not 1 <= k <= n:
        raise ShardError(f"{text!r}: K must be between 1 and N")
    return k, n


def shard_count(stacks: int, max_jobs: int = MAX_MATRIX_JOBS) -> int:
    """How many batches `stacks` stacks need so no matrix exceeds `max_jobs` jobs.

    Up to `max_jobs` stacks, one stack per batch (one job each, as before); beyond, equal
    batches of ceil(stacks / max_jobs).
    """
    if stacks <= max_jobs:
        return max(stacks, 1)
    size = -(-stacks // max_jobs)
    return -(-stacks // size)


def shard(rows: Sequence[StackRow], k: int, n: int) -> list[StackRow]:
    """The K-th of N contiguous, near-equal slices of `rows` (1-based); together they cover
    every row exactly once, in order."""
    start = (k - 1) * len(rows) // n
    end = k * len(rows) // n
    return list(rows[start:end])


def batch_document(
    rows: Sequence[StackRow], max_jobs: int = MAX_MATRIX_JOBS
) -> dict[str, list[dict[str, str | bool | int]]]:
    """`{"include": [{"shard": "K/N", "stacks": count, "first": ..., "cluster": ...}]}`: one job
    per batch; a job needs cluster credentials if any stack of its batch does."""
    n = shard_count(len(rows), max_jobs)
    include: list[dict[str, str | bool | int]] = []
    for k in range(1, n + 1):
        part = shard(rows, k, n)
        if not part:
            continue
        include.append(
            {
                "shard": f"{k}/{n}",
                "stacks": len(part),
                "first": part[0].stack,
                "last": part[-1].stack,
                "cluster": any(row.cluster for row in part),
            }
        )
    return {"include": include}
