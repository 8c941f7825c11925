"""The Helm post-renderer: narrow impersonation to named groups, give tsnet a writable dir.

The chart's ClusterRole `tailscale-auth-proxy` lets the operator impersonate any group,
`system:masters` included, so "read-only" would rest on Highflame's tailnet policy alone. A Helm
post-renderer replaces its rules: groups only by name (`resourceNames`), users still any.

Why not users by name too: the API server proxy impersonates each engineer as their Tailscale
login (k8s-operator/api-proxy/proxy.go). Naming logins here would put Highflame's roster into
every customer cluster, so every join or departure would need a change in every cluster (and a
customer re-run for handoff installs). A user impersonated without an allowed group gets only
what RBAC grants that user name, and the group is what this install binds.

It also mounts an emptyDir at the operator's /tmp (where XDG_CONFIG_HOME points tsnet's log
config and buffer, see install/hardening.py), which the chart has no value for: that is what
lets the operator's root filesystem be read-only.

The post-renderer is `kubectl kustomize` over Helm's output with one JSON patch, shipped as two
files (`post-render.sh`, `kustomization.yaml`): the customer's `helm --post-renderer` and the
managed Release's `postrender` run the very same files. The patch first `test`s that the chart
still renders the rule it replaces, so an upstream change fails the install instead of being
silently overwritten.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Iterable, Sequence
from typing import Any, Final

from hfaccess.install import chart
from hfaccess.install.hardening import TSNET_CONFIG_HOME
from hfaccess.registry import names
from hfaccess.registry.models import EnvironmentRef

ROLE_NAME: Final = "tailscale-auth-proxy"
POST_RENDER_SCRIPT: Final = "post-render.sh"
KUSTOMIZATION: Final = "kustomization.yaml"
CHART_RULES: Final[list[dict[str, Any]]] = [
    {"apiGroups": [""], "resources": ["users", "groups"], "verbs": ["impersonate"]}
]


def impersonable_groups(ref: EnvironmentRef, elevated: Iterable[str] = ()) -> list[str]:
    """Groups the operator may impersonate in `ref`'s cluster: highflame-sre plus `elevated`.

    `elevated` is where per-environment elevated groups (time-boxed elevation) are passed in.
    """
    del ref  # every environment's base group is the same; kept for per-environment callers
    return sorted({names.KUBERNETES_GROUP, *elevated})


def impersonation_rules(groups: Sequence[str]) -> list[dict[str, Any]]:
    """The narrowed rules: named groups only; any user (see the module docstring)."""
    if not groups:
        raise ValueError("at least one group must be impersonable")
    return [
        {
            "apiGroups": [""],
            "resources": ["groups"],
            "resourceNames": sorted(set(groups)),
            "verbs": ["impersonate"],
        },
        {"apiGroups": [""], "resources": ["users"], "verbs": ["impersonate"]},
    ]


WRITABLE_VOLUME: Final = "tsnet-config"
WRITABLE_VOLUME_LIMIT: Final = "64Mi"


def deployment_patch() -> dict[str, Any]:
    """Strategic merge patch of Deployment `operator`: an emptyDir mounted at /tmp."""
    return {
        "apiVersion": "apps/v1",
        "kind": "Deployment",
        "metadata": {"name": chart.OPERATOR_DEPLOYMENT, "namespace": chart.RELEASE_NAMESPACE},
        "spec": {
            "template": {
                "spec": {
                    "volumes": [
                        {"name": WRITABLE_VOLUME, "emptyDir": {"sizeLimit": WRITABLE_VOLUME_LIMIT}}
                    ],
                    "containers": [
                        {
                            "name": chart.OPERATOR_CONTAINER,
                            "volumeMounts": [
                                {"name": WRITABLE_VOLUME, "mountPath": TSNET_CONFIG_HOME}
                            ],
                        }
                    ],
                }
            }
        },
    }


def _patch_deployment(doc: dict[str, Any]) -> dict[str, Any]:
    patch = deployment_patch()["spec"]["template"]["spec"]
    spec = dict(doc["spec"]["template"]["spec"])
    spec["volumes"] = [*spec.get("volumes", []), *patch["volumes"]]
    containers = []
    mounts = patch["containers"][0]["volumeMounts"]
    for container in spec["containers"]:
        if container.get("name") == chart.OPERATOR_CONTAINER:
            containers.append(
                {**container, "volumeMounts": [*container.get("volumeMounts", []), *mounts]}
            )
        else:
            containers.append(container)
    spec["containers"] = containers
    template = {**doc["spec"]["template"], "spec": spec}
    return {**doc, "spec": {**doc["spec"], "template": template}}


def narrow_documents(documents: Sequence[Any], groups: Sequence[str]) -> list[Any]:
    """What the post-renderer does, on parsed documents (for checks and tests).

    Raises ValueError when the chart no longer renders the role or rule being replaced.
    """
    found = False
    narrowed: list[Any] = []
    for original in documents:
        doc = original
        if (
            isinstance(doc, dict)
            and doc.get("kind") == "ClusterRole"
            and doc.get("metadata", {}).get("name") == ROLE_NAME
        ):
            if doc.get("rules") != CHART_RULES:
                raise ValueError(f"ClusterRole {ROLE_NAME}: not the chart's rules; refusing")
            doc = {**doc, "rules": impersonation_rules(groups)}
            found = True
        elif (
            isinstance(doc, dict)
            and doc.get("kind") == "Deployment"
            and doc.get("metadata", {}).get("name") == chart.OPERATOR_DEPLOYMENT
        ):
            doc = _patch_deployment(doc)
        narrowed.append(doc)
    if not found:
        raise ValueError(f"ClusterRole {ROLE_NAME} not found in the chart's output")
    return narrowed


def kustomization_text(groups: Sequence[str]) -> str:
    """kustomization.yaml: Helm's output plus the JSON patch (JSON is YAML, and exact)."""
    return _kustomization_text(tuple(groups))


@functools.lru_cache(maxsize=256)
def _kustomization_text(groups: tuple[str, ...]) -> str:
    """The text for `groups` (almost every stack has the same groups: built once per run)."""
    patch = [
        {"op": "test", "path": "/rules", "value": CHART_RULES},
        {"op": "replace", "path": "/rules", "value": impersonation_rules(groups)},
    ]
    document = {
        "apiVersion": "kustomize.config.k8s.io/v1beta1",
        "kind": "Kustomization",
        "resources": ["helm-output.yaml"],
        "patches": [
            {
                "target": {
                    "group": "rbac.authorization.k8s.io",
                    "version": "v1",
                    "kind": "ClusterRole",
                    "name": ROLE_NAME,
                },
                "patch": json.dumps(patch),
            },
            {
                "target": {
                    "group": "apps",
                    "version": "v1",
                    "kind": "Deployment",
                    "name": chart.OPERATOR_DEPLOYMENT,
                },
                "patch": json.dumps(deployment_patch()),
            },
        ],
    }
    header = (
        "# Helm post-renderer input (see post-render.sh): narrows ClusterRole "
        f"{ROLE_NAME} to impersonating groups {', '.join(sorted(set(groups)))} only,\n"
        "# and mounts an emptyDir at the operator's /tmp (its root filesystem is read-only).\n"
    )
    return header + json.dumps(document, indent=2) + "\n"


POST_RENDER_TEXT: Final = """#!/bin/sh
# Helm post-renderer (helm --post-renderer ./post-render.sh; the managed Release's postrender):
# reads Helm's rendered manifests on stdin, applies kustomization.yaml next to this script with
# `kubectl kustomize`, writes the result to stdout. Needs kubectl 1.32+ (built-in kustomize).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cat > "$work/helm-output.yaml"
cp "$here/kustomization.yaml" "$work/kustomization.yaml"
kubectl kustomize "$work"
"""


def post_render_files(groups: Sequence[str]) -> dict[str, str]:
    """File name -> content of the post-renderer directory."""
    return {POST_RENDER_SCRIPT: POST_RENDER_TEXT, KUSTOMIZATION: kustomization_text(groups)}
