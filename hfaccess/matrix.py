"""Every stack the registry implies, as rows a CI matrix (or a person) can use.

The list is derived from customers/*.yaml on every run, never kept by hand: a customer added
in a pull request is previewed and drift-checked from the first scheduled run after merge.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import asdict, dataclass

from hfaccess.registry.models import InstallMode, Registry
from hfaccess.registry.stacks import EnvironmentStack, TailnetStack, parse_stack


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
    rows: list[StackRow] = []
    for name in registry.stack_names():
        if wanted is not None and name not in wanted:
            continue
        stack = parse_stack(name, registry)
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
