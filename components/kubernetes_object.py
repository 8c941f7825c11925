"""A built-in Kubernetes object declared from its manifest, as its typed SDK class would declare it.

`pulumi_kubernetes.rbac.v1` imports every class of its API group (and `meta.v1` with them), and
the SDK then resolves every type hint of the class and its args when it serializes the first
one: together about 0.1 s of an environment program that only passes manifests through. This
class registers the same type token, the same inputs (the manifest's fields) and the same aliases
as the typed class, with the same provider version defaults, so the engine sees no difference
(tests/components/test_cluster_install.py compares the two registrations).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import pulumi
from pulumi_kubernetes import _utilities as k8s_utilities

# The aliases each typed class adds to every registration (the API versions it replaced).
RBAC_V1_ALIASES: dict[str, tuple[str, ...]] = {
    kind: tuple(
        f"kubernetes:rbac.authorization.k8s.io/{version}:{kind}"
        for version in ("v1alpha1", "v1beta1")
    )
    for kind in ("ClusterRole", "ClusterRoleBinding")
}


class KubernetesObject(pulumi.CustomResource):
    """One object of a built-in kind, its inputs the manifest's top-level fields as written.

    `metadata` is the object's metadata as the provider returns it (a mapping).
    """

    metadata: pulumi.Output[Any]

    def __init__(
        self,
        name: str,
        manifest: Mapping[str, Any],
        aliases: Sequence[str] = (),
        opts: pulumi.ResourceOptions | None = None,
    ) -> None:
        opts = pulumi.ResourceOptions.merge(k8s_utilities.get_resource_opts_defaults(), opts)
        if aliases:
            opts = pulumi.ResourceOptions.merge(
                opts, pulumi.ResourceOptions(aliases=[pulumi.Alias(type_=a) for a in aliases])
            )
        super().__init__(
            f"kubernetes:{manifest['apiVersion']}:{manifest['kind']}", name, dict(manifest), opts
        )
