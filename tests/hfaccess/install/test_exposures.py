"""Exposures are opt-in: listed ones only, under `<c>-<env>-<name>`, none when revoked."""

from __future__ import annotations

from typing import Any

import pytest

from hfaccess.install.exposures import planned_exposures
from hfaccess.install.plan import install_plan
from hfaccess.registry.errors import InvalidInput
from tests.support.samples import make_ref, sample_refs

STUDIO: dict[str, Any] = {"namespace": "highflame", "service": "studio", "port": 80}


def test_nothing_is_exposed_without_exposures() -> None:
    assert planned_exposures(sample_refs()["acme-prod"]) == []


def test_globex_studio_is_a_tailscale_ingress() -> None:
    (studio,) = planned_exposures(sample_refs()["globex-prod"])
    assert studio.hostname == "globex-prod-studio"
    manifest = studio.manifest
    assert manifest["kind"] == "Ingress"
    assert manifest["metadata"]["namespace"] == "highflame"
    assert manifest["metadata"]["annotations"] == {"tailscale.com/tags": "tag:k8s-globex"}
    spec = manifest["spec"]
    assert spec["ingressClassName"] == "tailscale"
    assert spec["tls"] == [{"hosts": ["globex-prod-studio"]}]
    assert spec["defaultBackend"] == {"service": {"name": "studio", "port": {"number": 80}}}


def test_service_exposure_is_an_annotation_patch() -> None:
    ref = make_ref({"exposures": {"grafana": {**STUDIO, "service": "grafana", "via": "service"}}})
    (grafana,) = planned_exposures(ref)
    assert grafana.manifest == {
        "apiVersion": "v1",
        "kind": "Service",
        "metadata": {
            "name": "grafana",
            "namespace": "highflame",
            "annotations": {
                "tailscale.com/expose": "true",
                "tailscale.com/hostname": "initech-prod-grafana",
                "tailscale.com/tags": "tag:k8s-initech",
            },
        },
    }


@pytest.mark.parametrize(("env_revoked", "customer_revoked"), [(True, False), (False, True)])
def test_revoked_exposes_nothing(env_revoked: bool, customer_revoked: bool) -> None:
    ref = make_ref(
        {"exposures": {"studio": STUDIO}, "revoked": env_revoked}, revoked=customer_revoked
    )
    assert planned_exposures(ref) == []


def test_two_annotations_on_one_service_are_refused() -> None:
    twice = {"a": {**STUDIO, "via": "service"}, "b": {**STUDIO, "via": "service"}}
    with pytest.raises(InvalidInput) as caught:
        install_plan(make_ref({"exposures": twice}), "customers/initech.yaml")
    (error,) = caught.value.errors
    assert error.file == "customers/initech.yaml"
    assert error.field == "environments.prod.exposures"
    assert "both annotate Service highflame/studio" in error.reason
    mixed = {"a": {**STUDIO, "via": "service"}, "b": STUDIO}  # an Ingress beside it is fine
    assert len(install_plan(make_ref({"exposures": mixed})).exposures) == 2


def test_a_revoked_environment_is_not_checked_for_conflicts() -> None:
    twice = {"a": {**STUDIO, "via": "service"}, "b": {**STUDIO, "via": "service"}}
    assert install_plan(make_ref({"exposures": twice, "revoked": True})).exposures == ()
