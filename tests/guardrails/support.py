"""Crafting the arguments CrossGuard passes to validations, the way the analyzer builds them.

Properties go through the policy SDK's own unknown-checking proxy, exactly as in `Analyze`, so
an UNKNOWN_STRING_VALUE here behaves like a value still being computed during a preview.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from pulumi_policy import (
    PolicyCustomTimeouts,
    PolicyResource,
    PolicyResourceOptions,
    ResourceValidationArgs,
    StackValidationArgs,
)
from pulumi_policy.proxy import UNKNOWN_STRING_VALUE, unknown_checking_proxy

from highflame_policies.limits import CHART_VERSION, IMAGE_TAG

PROJECT = "highflame-access"
UNKNOWN = UNKNOWN_STRING_VALUE

RELEASE = "kubernetes:helm.sh/v3:Release"
OAUTH_CLIENT = "tailscale:index/oauthClient:OauthClient"
FEDERATED_IDENTITY = "tailscale:index/federatedIdentity:FederatedIdentity"
CLUSTER_ROLE = "kubernetes:rbac.authorization.k8s.io/v1:ClusterRole"
SERVICE = "kubernetes:core/v1:Service"
SERVICE_PATCH = "kubernetes:core/v1:ServicePatch"


def urn(stack: str, typ: str, name: str) -> str:
    return f"urn:pulumi:{stack}::{PROJECT}::{typ}::{name}"


def _options() -> PolicyResourceOptions:
    return PolicyResourceOptions(
        protect=False,
        ignore_changes=[],
        delete_before_replace=None,
        aliases=[],
        custom_timeouts=PolicyCustomTimeouts(0, 0, 0),
        additional_secret_outputs=[],
    )


def resource_args(
    typ: str, props: Mapping[str, Any], *, stack: str = "acme-prod", name: str = "res"
) -> ResourceValidationArgs:
    return ResourceValidationArgs(
        typ, unknown_checking_proxy(dict(props)), urn(stack, typ, name), name, _options(), None
    )


def policy_resource(
    typ: str,
    props: Mapping[str, Any],
    *,
    stack: str = "acme-prod",
    name: str = "res",
    values_from: list[PolicyResource] | None = None,
    depends_on: list[PolicyResource] | None = None,
) -> PolicyResource:
    property_dependencies = {"values": list(values_from)} if values_from else {}
    return PolicyResource(
        typ,
        unknown_checking_proxy(dict(props)),
        urn(stack, typ, name),
        name,
        _options(),
        None,
        None,
        list(depends_on or []),
        property_dependencies,
    )


def stack_args(*resources: PolicyResource) -> StackValidationArgs:
    return StackValidationArgs(list(resources), None)


Validation = Callable[[Any, Callable[[str, str | None], None]], None]


def violations(validate: Validation, args: Any) -> list[tuple[str, str | None]]:
    """Run a validation and collect what it reported."""
    found: list[tuple[str, str | None]] = []

    def report(message: str, where: str | None = None) -> None:
        found.append((message, where))

    validate(args, report)
    return found


def release_props(**overrides: Any) -> dict[str, Any]:
    """A Release exactly as the install component declares it (OAuth client flavour)."""
    props: dict[str, Any] = {
        "name": "tailscale-operator",
        "namespace": "tailscale",
        "chart": "tailscale-operator",
        "version": CHART_VERSION,
        "repositoryOpts": {"repo": "https://pkgs.tailscale.com/helmcharts"},
        "createNamespace": True,
        "values": {
            "oauth": {"clientId": "kExampleCNTRL", "clientSecret": UNKNOWN},
            "apiServerProxyConfig": {"mode": "true"},
            "operatorConfig": {
                "hostname": "acme-prod-kube",
                "defaultTags": ["tag:cust-acme"],
                "image": {"tag": IMAGE_TAG},
                "securityContext": {
                    "allowPrivilegeEscalation": False,
                    "capabilities": {"drop": ["ALL"]},
                    "privileged": False,
                    "readOnlyRootFilesystem": True,
                    "runAsNonRoot": True,
                    "runAsUser": 65532,
                    "runAsGroup": 65532,
                    "seccompProfile": {"type": "RuntimeDefault"},
                },
                "resources": {
                    "requests": {"cpu": "50m", "memory": "128Mi"},
                    "limits": {"cpu": "500m", "memory": "512Mi"},
                },
            },
            "proxyConfig": {
                "defaultTags": "tag:k8s-acme",
                "image": {"tag": IMAGE_TAG},
                "defaultProxyClass": "highflame-hardened",
            },
        },
        "postrender": "build/post-render/acme-prod/post-render.sh",
    }
    props.update(overrides)
    return props
