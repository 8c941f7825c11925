"""What each customer may be reached on, from customer and environment revocation."""

from __future__ import annotations

from hfaccess.policy.access import customer_access
from hfaccess.registry.models import Customer
from tests.support.models import customer_doc, exposure


def _access(doc: dict[str, object]) -> tuple[bool, tuple[int, ...], tuple[int, ...]]:
    access = customer_access(Customer.model_validate(doc))
    return access.reachable, access.ports, access.withdrawn


def test_ingress_is_443_and_service_keeps_its_port() -> None:
    doc = customer_doc(
        "acme",
        {"prod": {"exposures": {"studio": exposure(80), "db": exposure(5432, via="service")}}},
    )
    assert _access(doc) == (True, (443, 5432), ())


def test_revoked_environment_withdraws_only_ports_no_active_environment_exposes() -> None:
    doc = customer_doc(
        "acme",
        {
            "prod": {"exposures": {"studio": exposure(80)}},
            "dev": {
                "revoked": True,
                "exposures": {"studio": exposure(80), "api": exposure(8080, via="service")},
            },
        },
    )
    assert _access(doc) == (True, (443,), (8080,))


def test_customer_unreachable_once_every_environment_is_revoked() -> None:
    doc = customer_doc("acme", {"prod": {"revoked": True, "exposures": {"studio": exposure(80)}}})
    assert _access(doc) == (False, (), (443,))


def test_revoked_customer_reaches_nothing_whatever_its_environments_say() -> None:
    doc = customer_doc("acme", {"prod": {"exposures": {"studio": exposure(80)}}}, revoked=True)
    assert _access(doc) == (False, (), (443,))
