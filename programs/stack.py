"""The Pulumi program as a function: stack name -> settings -> components -> exports.

`__main__.py` only calls `run`; tests call it under Pulumi's mocks with each stack's real
config. All config is read here, once; components receive typed settings.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pulumi

from hfaccess.gate import environment_refusals, require_valid
from hfaccess.registry import names
from hfaccess.registry.errors import InvalidInput
from hfaccess.registry.settings import PREFIX, StackSettings, settings_from_config
from hfaccess.registry.stacks import (
    EnvironmentStack,
    StackRef,
    TailnetStack,
    UnknownStackError,
    parse_stack,
    stack_file_name,
)
from hfaccess.registry.validation import raise_if_any
from hfaccess.registry.workspace import AccessModel, load_model, load_stack_model


def read_settings(stack: StackRef) -> StackSettings:
    """Every project config key of this stack, validated as StackSettings."""
    config = pulumi.Config(names.PROJECT)
    raw = {PREFIX + key: config.get(key) for key in StackSettings.config_keys()}
    return settings_from_config(raw, stack, stack_file_name(stack.name))


def load(root: Path) -> tuple[AccessModel, StackRef, StackSettings]:
    """Everything the program needs, or a RunError that names the file and field."""
    customers, highflame = root / "customers", root / "tailnet" / "highflame.yaml"
    name = pulumi.get_stack()
    try:
        # An environment stack answers for its own customer (and any file that could collide
        # with it): the same checks `validate` makes there, without reading the whole registry.
        scoped = (
            None if name == names.TAILNET_STACK else load_stack_model(customers, highflame, name)
        )
        if scoped is not None:
            stack = parse_stack(name, scoped.registry)
            if isinstance(stack, EnvironmentStack):
                raise_if_any(environment_refusals(scoped, stack.ref.customer.name))
            model = scoped
        else:
            # The tailnet stack (and any name that resolves to no single customer) runs the
            # same gate as `hfaccess validate`, whole: it refuses what any gate refuses.
            model = require_valid(load_model(customers, highflame))
            stack = parse_stack(name, model.registry)
        settings = read_settings(stack)
    except InvalidInput as exc:
        raise pulumi.RunError("invalid input, nothing was declared:\n" + str(exc)) from None
    except UnknownStackError as exc:
        raise pulumi.RunError(str(exc)) from None
    return model, stack, settings


def run(root: Path) -> dict[str, Any]:
    """Declare the current stack's resources; return (and export) its outputs."""
    model, stack, settings = load(root)
    exports: dict[str, Any]
    # Each stack kind imports only its own components (and their provider SDK modules): an
    # environment stack never pays for the policy builder's, nor the tailnet stack for Helm's.
    if isinstance(stack, TailnetStack):
        from programs.tailnet import declare_tailnet

        exports = declare_tailnet(model, settings)
    elif isinstance(stack, EnvironmentStack):
        from programs.environment import declare_environment

        exports = declare_environment(stack.ref, model, settings)
    for key, value in exports.items():
        pulumi.export(key, value)
    return exports
