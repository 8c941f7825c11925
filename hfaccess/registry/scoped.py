"""The part of the registry one environment stack answers for, read without the rest.

An environment stack declares one customer's credential and install. Reading and validating
every customer file for each of thousands of stacks would make every preview pay for the whole
registry, so it reads only:

- the file of the customer that owns the stack (the stack name's `<customer>-` prefix), and
- every file whose customer could claim one of that customer's derived names (tags, hostnames,
  stack names): a colliding customer's name is always a run of hyphen-separated words of the
  name it claims (hfaccess.registry.names), so these are the only files that can collide with it.

Each of those files gets exactly the checks `load_registry` gives it, and the same collision
rule (hfaccess.registry.collisions) runs over them. A file among them that cannot be read is
refused (fail closed: nothing proves it does not collide). What is tailnet-wide (the policy
build and checker, other customers' unrelated files) is the `tailnet` stack's gate, which still
runs the full one. A stack name that resolves to no single customer returns None: the caller
then runs the full gate, which says why.
"""

from __future__ import annotations

import re
from pathlib import Path

from hfaccess.registry.collisions import derived_names
from hfaccess.registry.errors import InputError
from hfaccess.registry.loader import _collisions, customer_file, read_entry
from hfaccess.registry.models import Customer, Registry
from hfaccess.registry.validation import raise_if_any

# Only plain names become paths: a stack name comes from outside and never walks the tree.
_FILE_NAME = re.compile(r"[a-z0-9][a-z0-9-]*")


def hyphen_runs(name: str) -> set[str]:
    """Every run of consecutive hyphen-separated words of `name` (after a `tag:` prefix)."""
    words = name.removeprefix("tag:").split("-")
    return {"-".join(words[i:j]) for i in range(len(words)) for j in range(i + 1, len(words) + 1)}


class _Reader:
    """Reads customer files by name, once each, collecting every error `load_registry` would."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self.shown = directory.as_posix().rstrip("/") or "."
        self.loaded: dict[str, tuple[Customer, str]] = {}
        self.errors: list[InputError] = []
        self._seen: set[str] = set()

    def read(self, name: str) -> Customer | None:
        """The customer in `<name>.yaml`, if that file exists; its errors are collected."""
        if name in self._seen or not _FILE_NAME.fullmatch(name):
            found = self.loaded.get(name)
            return found[0] if found else None
        self._seen.add(name)
        path = customer_file(self.directory, name)
        if not path.exists():
            return None
        display = f"{self.shown}/{path.name}"
        customer, errors = read_entry((path, display))  # exactly load_registry's reading
        self.errors.extend(errors)
        if customer is not None:
            self.loaded[name] = (customer, display)
        return customer


def load_stack_registry(directory: Path, stack: str) -> Registry | None:
    """The registry an environment stack answers for; InvalidInput listing every problem.

    None when `stack` names no environment of exactly one readable customer file (the full
    registry load then reports what is wrong, or that the stack is unknown).
    """
    if not directory.is_dir():
        return None
    words = stack.split("-")
    reader = _Reader(directory)
    owners: list[Customer] = []
    for cut in range(1, len(words)):
        customer = reader.read("-".join(words[:cut]))
        if customer is not None and "-".join(words[cut:]) in customer.environments:
            owners.append(customer)
    if len(owners) != 1:
        return None
    for _, claimed, _ in derived_names(owners[0]):
        for candidate in sorted(hyphen_runs(claimed)):
            reader.read(candidate)
    loaded = sorted(reader.loaded.values(), key=lambda item: item[0].name)
    raise_if_any([*reader.errors, *_collisions(loaded)])
    return Registry(
        customers=tuple(c for c, _ in loaded),
        sources={c.name: display for c, display in loaded},
    )
