"""The registry's `reinstated` entry: reviewed and dated, never next to `revoked: true`."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from pydantic import ValidationError

from hfaccess.registry.models import Customer

ENTRY = {"date": "2026-12-02", "approved_by": "alice@highflame.ai", "reason": "SEC-42"}


def customer(**extra: Any) -> Customer:
    return Customer.model_validate({"name": "acme", "environments": {"prod": {}}, **extra})


def test_a_complete_entry_is_read() -> None:
    found = customer(reinstated=ENTRY).reinstated
    assert found is not None
    assert found.date == dt.date(2026, 12, 2)
    assert customer().reinstated is None


@pytest.mark.parametrize(
    ("entry", "needle"),
    [
        ({**ENTRY, "date": "yesterday"}, "reinstated.date"),
        ({k: v for k, v in ENTRY.items() if k != "approved_by"}, "reinstated.approved_by"),
        ({**ENTRY, "approved_by": "alice"}, "reinstated.approved_by"),
        ({**ENTRY, "reason": ""}, "reinstated.reason"),
        ({**ENTRY, "by": "x"}, "reinstated.by"),
    ],
)
def test_an_incomplete_entry_is_an_error(entry: dict[str, Any], needle: str) -> None:
    with pytest.raises(ValidationError) as raised:
        customer(reinstated=entry)
    assert needle in str(raised.value).replace("\n", ".")


def test_reinstated_and_revoked_together_is_an_error() -> None:
    with pytest.raises(ValidationError, match="reinstating means revoked: false"):
        customer(revoked=True, reinstated=ENTRY)
