"""Options and error reporting shared by every command."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, NoReturn

import typer
from rich.console import Console

from hfaccess.heap import long_lived
from hfaccess.parallel import fork_map
from hfaccess.registry.errors import InvalidInput
from hfaccess.registry.highflame import DEFAULT_FILE as DEFAULT_HIGHFLAME
from hfaccess.registry.loader import load_registry
from hfaccess.registry.models import Registry
from hfaccess.registry.workspace import DEFAULT_CUSTOMERS, AccessModel, load_model

CustomersOption = Annotated[
    Path,
    typer.Option("--customers", help="Directory of customer files.", show_default=True),
]
HighflameOption = Annotated[
    Path,
    typer.Option("--highflame", help="Highflame's side of the tailnet (SRE members, base policy)."),
]

DEFAULT_CUSTOMERS_DIR = DEFAULT_CUSTOMERS
DEFAULT_HIGHFLAME_FILE = DEFAULT_HIGHFLAME

# Errors go to stderr, plain (no colour codes in CI logs), never wrapped mid-line.
err = Console(stderr=True, highlight=False, soft_wrap=True)
out = Console(highlight=False, soft_wrap=True)


def fail(lines: list[str], code: int = 1) -> NoReturn:
    """Print each line to stderr and exit with `code`."""
    for line in lines:
        err.print(line, markup=False)
    raise typer.Exit(code)


def fail_invalid(exc: InvalidInput) -> NoReturn:
    """Report every input error, one per line, and exit 1."""
    fail([str(e) for e in exc.errors])


def load_or_exit(customers: Path, highflame: Path) -> AccessModel:
    """Load the access model or print every error and exit 1 (nothing is written after)."""
    try:
        with long_lived():  # a large registry is millions of objects: see hfaccess.heap
            return load_model(customers, highflame, fork_map)  # large ones in worker processes
    except InvalidInput as exc:
        fail_invalid(exc)


def noted_model_or_exit(customers: Path, highflame: Path) -> AccessModel:
    """`load_or_exit`, then the registry's notes (what it ignored, such as dotfiles) on stderr."""
    model = load_or_exit(customers, highflame)
    for note in model.registry.notes:
        err.print(f"note: {note}", markup=False)
    return model


def gate(model: AccessModel) -> AccessModel:
    """`model` once every gate accepts it (hfaccess.gate); InvalidInput with every refusal.

    The gate builds the whole policy: like the load, it runs without the cyclic collector
    walking the model (hfaccess.heap).
    """
    from hfaccess.gate import require_valid

    with long_lived():
        return require_valid(model)


def gated_model_or_exit(customers: Path, highflame: Path) -> AccessModel:
    """The access model once every gate accepts it (hfaccess.gate), or every error and exit 1.

    validate, render and check call this: they refuse exactly the same inputs.
    """
    model = noted_model_or_exit(customers, highflame)
    try:
        return gate(model)
    except InvalidInput as exc:
        fail_invalid(exc)


def registry_or_exit(customers: Path) -> Registry:
    """Load only the registry (commands that need no Highflame file), or print errors, exit 1."""
    try:
        return load_registry(customers)
    except InvalidInput as exc:
        fail_invalid(exc)
