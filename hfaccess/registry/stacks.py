"""Stack names, parsed once into a typed value: the tailnet stack or one customer environment."""

from __future__ import annotations

from dataclasses import dataclass

from hfaccess.registry import names
from hfaccess.registry.models import EnvironmentRef, Registry


@dataclass(frozen=True)
class TailnetStack:
    """The one stack that owns the tailnet policy file."""

    @property
    def name(self) -> str:
        return names.TAILNET_STACK


@dataclass(frozen=True)
class EnvironmentStack:
    """The stack of one customer environment: its credential and, if managed, its install."""

    ref: EnvironmentRef

    @property
    def name(self) -> str:
        return self.ref.stack


StackRef = TailnetStack | EnvironmentStack


class UnknownStackError(ValueError):
    """The stack name matches neither `tailnet` nor any environment in the registry."""


def parse_stack(name: str, registry: Registry) -> StackRef:
    """Resolve a stack name against the registry, before any resource is declared."""
    bare = name.rsplit("/", 1)[-1]  # `org/project/stack` and `org/stack` forms name the stack last
    if bare == names.TAILNET_STACK:
        return TailnetStack()
    for ref in registry.environments():
        if ref.stack == bare:
            return EnvironmentStack(ref)
    known = ", ".join(registry.stack_names())
    raise UnknownStackError(
        f"stack {bare!r} names no registered customer environment; stacks are "
        f"'tailnet' or '<customer>-<env>' from customers/*.yaml (known: {known})"
    )


def stack_file_name(stack: str) -> str:
    """The stack settings file Pulumi reads for `stack`."""
    return f"Pulumi.{stack}.yaml"
