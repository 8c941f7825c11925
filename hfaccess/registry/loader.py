"""Loading `customers/*.yaml` into a Registry, refusing anything ambiguous or unsafe.

All files are read and every error is collected before anything is refused, so one run shows
a person everything to fix. Derived names (tags, hostnames, stack names) are checked for
collisions across the whole registry by the one set of rules in hfaccess.registry.collisions.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path

from hfaccess.registry import names
from hfaccess.registry.collisions import collisions
from hfaccess.registry.errors import DOCUMENT, InputError, InvalidInput
from hfaccess.registry.models import Customer, Registry
from hfaccess.registry.validation import raise_if_any, validate_document
from hfaccess.registry.yamlio import YamlReadError, load_yaml_file

CUSTOMER_SUFFIX = ".yaml"


def customer_file(directory: Path, name: str) -> Path:
    """Where a customer's file lives."""
    return directory / f"{name}{CUSTOMER_SUFFIX}"


def load_customer(path: Path, display: str) -> Customer:
    """Read and validate one customer file, raising InvalidInput with every error in it."""
    try:
        data = load_yaml_file(path)
    except YamlReadError as exc:
        raise InvalidInput([InputError(display, DOCUMENT, str(exc))]) from None
    customer = validate_document(display, Customer, data)
    if customer.name != path.stem:
        raise InvalidInput(
            [
                InputError(
                    display,
                    "name",
                    f"must equal the file name {path.stem!r} (got {customer.name!r})",
                )
            ]
        )
    return customer


def _collisions(customers: list[tuple[Customer, str]]) -> list[InputError]:
    errors: list[InputError] = []
    for namespace, name, claims in collisions(customers):
        files = sorted({display for display, _ in claims})
        for display, what in claims:
            others = [f for f in files if f != display] or [display]
            errors.append(
                InputError(
                    display,
                    "name",
                    f"derived {namespace} {name!r} ({what}) collides with the same {namespace} "
                    f"derived from {', '.join(others)}",
                )
            )
    return errors


def _hostname_lengths(customer: Customer, display: str) -> list[InputError]:
    errors = []
    for env_name, env in customer.environments.items():
        for exposure in env.exposures:
            host = names.exposure_hostname(customer.name, env_name, exposure)
            if len(host) > names.DNS_LABEL_MAX:
                errors.append(
                    InputError(
                        display,
                        f"environments.{env_name}.exposures.{exposure}",
                        f"hostname {host!r} is longer than {names.DNS_LABEL_MAX} characters",
                    )
                )
    return errors


def _entry_problem(path: Path) -> str | None:
    """Why a directory entry cannot be a customer file, or None when its name is right.

    Every entry must be a regular `<name>.yaml` file; nothing is skipped silently, so a typo
    in a file name can never make a customer disappear from the registry.
    """
    name = path.name
    if path.is_dir():
        return "a directory in the registry; customer files are regular <name>.yaml files"
    if name.endswith(".yml"):
        return "customer files end in .yaml, not .yml"
    if not name.endswith(CUSTOMER_SUFFIX):
        if name.lower().rstrip().endswith(CUSTOMER_SUFFIX):
            return (
                f"the file name must end exactly in {CUSTOMER_SUFFIX!r} (lowercase, nothing after)"
            )
        return f"not a customer file: every entry here must be <name>{CUSTOMER_SUFFIX}"
    return None  # the stem is checked as the customer's name, against the file's `name:`


# One customer file read: the customer (None when refused) and every error it carries.
EntryResult = tuple[Customer | None, list[InputError]]
Entry = tuple[Path, str]  # (path, how errors name it)
# Applies a function to every entry and returns the results in the entries' order: the shells
# pass one that forks workers for large registries (hfaccess.parallel.fork_map).
EntryMapper = Callable[[Callable[[Entry], EntryResult], list[Entry]], Iterable[EntryResult]]


def read_entry(entry: Entry) -> EntryResult:
    """One registry entry read and validated, its errors returned (not raised)."""
    path, display = entry
    problem = _entry_problem(path)
    if problem is not None:
        return None, [InputError(display, DOCUMENT, problem)]
    try:
        customer = load_customer(path, display)
    except InvalidInput as exc:
        return None, list(exc.errors)
    return customer, _hostname_lengths(customer, display)


def in_order(function: Callable[[Entry], EntryResult], entries: list[Entry]) -> list[EntryResult]:
    """The EntryMapper that reads the entries one after the other, in this process."""
    return [function(entry) for entry in entries]


def load_registry(directory: Path, map_entries: EntryMapper = in_order) -> Registry:
    """Load every customer file in `directory`; raise InvalidInput listing every problem.

    Dotfiles (editor swap files, `.gitkeep`) are ignored and listed in `Registry.notes`.
    """
    shown = directory.as_posix().rstrip("/") or "."
    if not directory.is_dir():
        raise InvalidInput([InputError(shown, DOCUMENT, "not a directory")])
    errors: list[InputError] = []
    notes: list[str] = []
    entries: list[Entry] = []
    for path in sorted(directory.iterdir(), key=lambda entry: entry.name):
        display = f"{shown}/{path.name}"
        if path.name.startswith("."):
            notes.append(f"{display}: ignored (a dotfile)")
            continue
        entries.append((path, display))
    loaded: list[tuple[Customer, str]] = []
    for (_, display), (customer, found) in zip(
        entries, map_entries(read_entry, entries), strict=True
    ):
        errors.extend(found)
        if customer is not None:
            loaded.append((customer, display))
    errors.extend(_collisions(loaded))
    raise_if_any(errors)
    loaded.sort(key=lambda item: item[0].name)
    return Registry(
        customers=tuple(c for c, _ in loaded),
        sources={c.name: display for c, display in loaded},
        notes=tuple(notes),
    )
