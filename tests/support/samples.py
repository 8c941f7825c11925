"""The sample customers' environments, and made-up ones for cases the samples do not cover."""

from __future__ import annotations

from typing import Any

from hfaccess.registry.loader import load_registry
from hfaccess.registry.models import Customer, EnvironmentRef
from hfaccess.registry.workspace import AccessModel, load_model
from tests.support.files import REPO


def sample_refs() -> dict[str, EnvironmentRef]:
    """Every environment of customers/*.yaml by stack name."""
    return {ref.stack: ref for ref in load_registry(REPO / "customers").environments()}


def sample_model() -> AccessModel:
    return load_model(REPO / "customers", REPO / "tailnet" / "highflame.yaml")


def make_ref(
    env: dict[str, Any], customer: str = "initech", revoked: bool = False
) -> EnvironmentRef:
    """An environment `prod` of a one-environment customer, validated like a customer file."""
    model = Customer.model_validate(
        {"name": customer, "environments": {"prod": env}, "revoked": revoked}
    )
    return EnvironmentRef(model, "prod")
