"""Access models built in memory, for tests that need no files."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from hfaccess.registry.highflame import HighflameConfig
from hfaccess.registry.models import Customer, Registry
from hfaccess.registry.workspace import AccessModel

MEMBERS = ("alice@highflame.ai", "bob@highflame.ai")


def make_model(
    customers: Iterable[Mapping[str, Any]],
    members: Iterable[str] = MEMBERS,
    operator_tag_owners: Iterable[str] = ("tag:highflame-iac",),
    base_policy: Mapping[str, Any] | None = None,
) -> AccessModel:
    """An AccessModel from customer documents (as in customers/*.yaml), validated like files."""
    parsed = sorted((Customer.model_validate(doc) for doc in customers), key=lambda c: c.name)
    registry = Registry(customers=tuple(parsed), sources={c.name: f"{c.name}.yaml" for c in parsed})
    highflame = HighflameConfig.model_validate(
        {
            "sre": {"members": list(members)},
            "operator_tag_owners": list(operator_tag_owners),
            "base_policy": dict(
                base_policy if base_policy is not None else {"tagOwners": {"tag:highflame-iac": []}}
            ),
        }
    )
    return AccessModel(registry, highflame)


def exposure(port: int, via: str = "ingress") -> dict[str, Any]:
    """One exposure document."""
    return {"namespace": "highflame", "service": "studio", "port": port, "via": via}


def customer_doc(
    name: str, envs: Mapping[str, Mapping[str, Any]] | None = None, revoked: bool = False
) -> dict[str, Any]:
    """A customer document; environments default to one `prod` with all defaults."""
    return {
        "name": name,
        "environments": {k: dict(v) for k, v in (envs or {"prod": {}}).items()},
        "revoked": revoked,
    }
