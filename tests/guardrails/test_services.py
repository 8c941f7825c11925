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


INGRESS = "kubernetes:networking.k8s.io/v1:Ingress"


@pytest.mark.parametrize(
    ("namespace", "service", "reason"),
    [("default", "kubernetes", "raw API server"), ("tailscale", "operator", "operator's own")],
)
def test_exposing_the_api_server_or_the_operator_namespace_is_a_violation(
    namespace: str, service: str, reason: str
) -> None:
    patch = {
        "metadata": {
            "name": service,
            "namespace": namespace,
            "annotations": {"tailscale.com/expose": "true"},
        }
    }
    ingress = {
        "metadata": {"name": "x", "namespace": namespace},
        "spec": {"defaultBackend": {"service": {"name": service, "port": {"number": 443}}}},
    }
    for typ, props in ((SERVICE_PATCH, patch), (INGRESS, ingress)):
        found = violations(validate_no_public_service, resource_args(typ, props))
        assert len(found) == 1, typ
        assert reason in found[0][0]


def test_exposing_an_ordinary_service_passes() -> None:
    ingress = {
        "metadata": {"name": "x", "namespace": "highflame"},
        "spec": {"defaultBackend": {"service": {"name": "studio", "port": {"number": 80}}}},
    }
    assert violations(validate_no_public_service, resource_args(INGRESS, ingress)) == []
