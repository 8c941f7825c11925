"""Stack names, parsed once into a typed value: the tailnet stack or one customer environment."""

from __future__ import annotations

from dataclasses import dataclass

from hfaccess import names
from hfaccess.models import EnvironmentRef, Registry


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


def _bare(name: str) -> str:
    return name.rsplit("/", 1)[-1]  # `org/project/stack` and `org/stack` forms name the stack last


def _unknown(bare: str, known: list[str]) -> UnknownStackError:
    shown = ", ".join(known[:_KNOWN_SHOWN])
    more = f", and {len(known) - _KNOWN_SHOWN} more" if len(known) > _KNOWN_SHOWN else ""
    return UnknownStackError(
        f"stack {bare!r} names no registered customer environment; stacks are "
        f"'tailnet' or '<customer>-<env>' from customers/*.yaml (known: {shown}{more})"
    )


_KNOWN_SHOWN = 20  # an error naming 20,000 stacks helps nobody


class StackIndex:
    """Every stack of a registry by name, built once: parsing N names costs N look-ups.

    `render --all`, `stacks` and `drift` resolve every stack; scanning the environments for
    each name (what `parse_stack` does for one) would make them quadratic in the registry.
    """

    def __init__(self, registry: Registry) -> None:
        self._stacks: dict[str, StackRef] = {names.TAILNET_STACK: TailnetStack()}
        for ref in registry.environments():
            self._stacks.setdefault(ref.stack, EnvironmentStack(ref))
        tail = sorted(name for name in self._stacks if name != names.TAILNET_STACK)
        self._names = [names.TAILNET_STACK, *tail]

    def names(self) -> list[str]:
        """`tailnet` first, then `<customer>-<env>` sorted (the registry's stack order)."""
        return list(self._names)

    def __len__(self) -> int:
        return len(self._names)

    def __contains__(self, name: object) -> bool:
        return isinstance(name, str) and _bare(name) in self._stacks

    def parse(self, name: str) -> StackRef:
        """The stack `name` names; UnknownStackError if the registry has none by that name."""
        bare = _bare(name)
        try:
            return self._stacks[bare]
        except KeyError:
            raise _unknown(bare, self._names) from None


def parse_stack(name: str, registry: Registry) -> StackRef:
    """Resolve one stack name against the registry, before any resource is declared.

    One name, one pass over the environments; to resolve many, build a `StackIndex` once.
    """
    bare = _bare(name)
    if bare == names.TAILNET_STACK:
        return TailnetStack()
    for ref in registry.environments():
        if ref.stack == bare:
            return EnvironmentStack(ref)
    raise _unknown(bare, registry.stack_names())


def stack_file_name(stack: str) -> str:
    """The stack settings file Pulumi reads for `stack`."""
    return f"Pulumi.{stack}.yaml"
