"""Everything a run reads from the repository, loaded and validated together.

The registry, Highflame's own tailnet file and the stack files are read in one pass so that a
single run reports every error in every file, and nothing downstream ever sees invalid input.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from hfaccess.registry.break_glass import input_errors as elevation_input_errors
from hfaccess.registry.errors import InputError, InvalidInput
from hfaccess.registry.highflame import DEFAULT_FILE as DEFAULT_HIGHFLAME
from hfaccess.registry.highflame import HighflameConfig, load_highflame
from hfaccess.registry.loader import EntryMapper, in_order, load_registry
from hfaccess.registry.models import Registry
from hfaccess.registry.scoped import load_stack_registry
from hfaccess.registry.settings import (
    DISABLE_DEFAULT_PROVIDERS,
    default_providers_disabled,
    plaintext_secrets,
    read_stack_file,
    settings_from_config,
    stack_file_config,
)
from hfaccess.registry.stacks import UnknownStackError, parse_stack, stack_file_name
from hfaccess.registry.validation import raise_if_any

DEFAULT_CUSTOMERS = Path("customers")


@dataclass(frozen=True)
class AccessModel:
    """The validated access model: every customer, and Highflame's own side."""

    registry: Registry
    highflame: HighflameConfig
    highflame_source: str = DEFAULT_HIGHFLAME.as_posix()  # the file `highflame` was read from


def load_model(
    customers: Path = DEFAULT_CUSTOMERS,
    highflame: Path = DEFAULT_HIGHFLAME,
    map_entries: EntryMapper = in_order,
) -> AccessModel:
    """Load registry and Highflame file; raise InvalidInput with the errors of both.

    map_entries: how the customer files are read (hfaccess.registry.loader.EntryMapper);
    the default reads them one after the other in this process.
    """
    errors: list[InputError] = []
    registry = None
    try:
        registry = load_registry(customers, map_entries)
    except InvalidInput as exc:
        errors.extend(exc.errors)
    return _with_highflame(registry, errors, highflame)


def _with_highflame(
    registry: Registry | None, errors: list[InputError], highflame: Path
) -> AccessModel:
    """The model from a loaded registry (None: its errors are in `errors`) and Highflame's file.

    Break-glass engineers must be SRE members, and break-glass needs recording: those cross-file
    rules run once both files loaded. Raises InvalidInput with every error of both files.
    """
    config = None
    try:
        config = load_highflame(highflame)
    except InvalidInput as exc:
        errors.extend(exc.errors)
    if registry is not None and config is not None:
        errors.extend(elevation_input_errors(registry, config, highflame.as_posix()))
    raise_if_any(errors)
    if registry is None or config is None:  # pragma: no cover - raise_if_any raised already
        raise InvalidInput(errors)
    return AccessModel(registry, config, highflame.as_posix())


def check_stack_files(root: Path, registry: Registry) -> tuple[list[InputError], list[str]]:
    """Errors in the `Pulumi.<stack>.yaml` files under `root`, and notes on stacks without one.

    A stack file must name a registered stack, hold every secret setting encrypted (`secure:`),
    disable default providers, and hold only valid deployment settings for that stack.
    """
    errors: list[InputError] = []
    for path in sorted(root.glob("Pulumi.*.yaml")):
        stack_name = path.name[len("Pulumi.") : -len(".yaml")]
        display = path.name
        try:
            stack = parse_stack(stack_name, registry)
        except UnknownStackError as exc:
            errors.append(InputError(display, "(stack)", str(exc)))
            continue
        try:
            values = read_stack_file(path)
        except InvalidInput as exc:
            errors.extend(exc.errors)
            continue
        secrets = plaintext_secrets(stack_file_config(path), display)
        if secrets:  # never validated further: a later error message could echo the value
            errors.extend(secrets)
            continue
        if not default_providers_disabled(values):
            errors.append(
                InputError(
                    display,
                    DISABLE_DEFAULT_PROVIDERS,
                    'must be ["*"] so no resource falls back to ambient credentials',
                )
            )
        try:
            settings_from_config(values, stack, display)
        except InvalidInput as exc:
            errors.extend(exc.errors)
    notes = [
        f"{stack_file_name(name)}: missing (create it with `pulumi stack init {name}`)"
        for name in registry.stack_names()
        if not (root / stack_file_name(name)).exists()
    ]
    return errors, notes


def load_stack_model(customers: Path, highflame: Path, stack: str) -> AccessModel | None:
    """`load_model` scoped to one environment stack (hfaccess.registry.scoped); None if unscoped.

    Highflame's file is read and checked whole (its elevation rules apply to every customer);
    of the registry, only the stack's customer and the files that could collide with it.
    """
    errors: list[InputError] = []
    registry = None
    try:
        registry = load_stack_registry(customers, stack)
    except InvalidInput as exc:
        errors.extend(exc.errors)
    else:
        if registry is None:
            return None
    return _with_highflame(registry, errors, highflame)
