"""No LoadBalancer or NodePort Service."""

from __future__ import annotations

import pytest

from highflame_policies.services import validate_no_public_service
from tests.guardrails.support import (
    RELEASE,
    SERVICE,
    SERVICE_PATCH,
    UNKNOWN,
    resource_args,
    violations,
)


@pytest.mark.parametrize("typ", [SERVICE, SERVICE_PATCH])
@pytest.mark.parametrize("kind", ["ClusterIP", "ExternalName", None, UNKNOWN])
def test_cluster_internal_services_pass(typ: str, kind: str | None) -> None:
    spec = {} if kind is None else {"type": kind}
    props = {"metadata": {"name": "studio"}, "spec": spec}
    assert violations(validate_no_public_service, resource_args(typ, props)) == []


@pytest.mark.parametrize("typ", [SERVICE, SERVICE_PATCH])
@pytest.mark.parametrize("kind", ["LoadBalancer", "NodePort"])
def test_load_balancer_and_node_port_are_violations(typ: str, kind: str) -> None:
    props = {"metadata": {"name": "studio"}, "spec": {"type": kind}}
    found = violations(validate_no_public_service, resource_args(typ, props))
    assert len(found) == 1
    assert found[0][0].startswith(f"spec.type is {kind!r}")


def test_other_types_are_ignored() -> None:
    props = {"spec": {"type": "LoadBalancer"}}
    assert violations(validate_no_public_service, resource_args(RELEASE, props)) == []
