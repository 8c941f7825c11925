"""Stack settings: only deployment settings, validated per stack kind."""

from __future__ import annotations

import pytest

from hfaccess.registry.errors import InvalidInput
from hfaccess.registry.loader import load_registry
from hfaccess.registry.settings import settings_from_config
from hfaccess.registry.stacks import parse_stack
from tests.support.files import REPO

REGISTRY = load_registry(REPO / "customers")


def errors(values: dict[str, object], stack: str) -> list[str]:
    with pytest.raises(InvalidInput) as caught:
        settings_from_config(values, parse_stack(stack, REGISTRY), f"Pulumi.{stack}.yaml")
    return [str(e) for e in caught.value.errors]


def test_managed_install_reads_its_context() -> None:
    settings = settings_from_config(
        {"highflame-access:kubeContext": "acme-prod", "tailscale:tailnet": "ignored"},
        parse_stack("acme-prod", REGISTRY),
        "Pulumi.acme-prod.yaml",
    )
    assert settings.kube_context == "acme-prod"
    assert settings.tailnet == "-"


def test_managed_install_without_cluster_is_refused() -> None:
    assert errors({}, "acme-prod") == [
        "Pulumi.acme-prod.yaml: highflame-access:kubeContext: a managed install needs kubeContext "
        "or kubeconfig (the customer cluster); nothing falls back to the ambient kubeconfig"
    ]


def test_unknown_key_is_refused_with_a_hint() -> None:
    assert errors({"highflame-access:kubecontext": "x"}, "globex-prod") == [
        "Pulumi.globex-prod.yaml: highflame-access:kubecontext: unknown field (did you mean 'kubeContext'?)"
    ]


def test_both_cluster_settings_are_refused() -> None:
    found = errors(
        {"highflame-access:kubeContext": "a", "highflame-access:kubeconfig": "apiVersion: v1"},
        "acme-prod",
    )
    assert any("set kubeContext or kubeconfig, not both" in e for e in found)


def test_tailnet_stack_touches_no_cluster() -> None:
    assert errors({"highflame-access:kubeContext": "a"}, "tailnet") == [
        "Pulumi.tailnet.yaml: highflame-access:kubeContext: the tailnet stack touches no cluster; remove it"
    ]


def test_secret_is_never_shown() -> None:
    settings = settings_from_config(
        {"highflame-access:kubeconfig": "super-secret-kubeconfig"},
        parse_stack("acme-prod", REGISTRY),
        "Pulumi.acme-prod.yaml",
    )
    assert "super-secret" not in repr(settings)
    assert settings.kubeconfig is not None
    assert settings.kubeconfig.get_secret_value() == "super-secret-kubeconfig"
