"""Stack names resolve against the registry, once, into a typed value."""

from __future__ import annotations

import pytest

from hfaccess.registry.loader import load_registry
from hfaccess.registry.stacks import EnvironmentStack, TailnetStack, UnknownStackError, parse_stack
from tests.support.files import REPO


def test_tailnet_and_environment_stacks_parse() -> None:
    registry = load_registry(REPO / "customers")
    assert isinstance(parse_stack("tailnet", registry), TailnetStack)
    stack = parse_stack("acme-prod", registry)
    assert isinstance(stack, EnvironmentStack)
    assert (stack.ref.customer.name, stack.ref.name) == ("acme", "prod")
    assert stack.ref.hostname == "acme-prod-kube"
    assert isinstance(
        parse_stack("highflame/highflame-access/acme-dev", registry), EnvironmentStack
    )


@pytest.mark.parametrize("name", ["acme-staging", "initech-prod", "acme", "", "Acme-prod"])
def test_unregistered_stack_fails_clearly(name: str) -> None:
    registry = load_registry(REPO / "customers")
    with pytest.raises(UnknownStackError, match="names no registered customer environment"):
        parse_stack(name, registry)
