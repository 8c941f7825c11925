"""ClusterInstall: one environment's operator release, RBAC and exposures in the customer cluster.

A thin shell over `hfaccess.install.plan`: every object's content comes from the pure plan (the
same one `render` writes out); this component only turns it into resources. The stack's one
explicit kubernetes provider comes through `opts` (`providers=[...]`, built by
programs/kubernetes_provider.py) and every child inherits it through `parent=self`, so nothing
reaches another cluster.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pulumi
import pulumi_kubernetes as k8s

from components.environment_credential import OperatorCredential
from components.kubernetes_object import RBAC_V1_ALIASES, KubernetesObject
from hfaccess.install import chart
from hfaccess.install.exposures import PlannedExposure
from hfaccess.install.impersonation import POST_RENDER_SCRIPT, post_render_files
from hfaccess.install.plan import InstallPlan
from hfaccess.install.rbac import BINDING_NAME
from hfaccess.install.values import ChartCredential
from hfaccess.registry.models import CredentialKind, ExposureVia

TYPE_TOKEN = "highflame:cluster:ClusterInstall"

# Where the program writes each stack's Helm post-renderer (the same files `render` writes next
# to INSTALL.md). Relative to the project directory, where Pulumi runs the program and the
# provider runs Helm, so the Release's `postrender` is the same string on every machine.
POST_RENDER_ROOT = Path("build") / "post-render"
# The alias k8s.networking.v1.NetworkPolicy adds to every NetworkPolicy it registers.
_NETWORK_POLICY_ALIAS = "kubernetes:extensions/v1beta1:NetworkPolicy"


def write_post_renderer(stack: str, groups: tuple[str, ...], root: Path = POST_RENDER_ROOT) -> str:
    """Write the post-renderer of `stack` under `root`; its script's path, for `postrender`."""
    directory = root / stack
    directory.mkdir(parents=True, exist_ok=True)
    for name, content in post_render_files(groups).items():
        path = directory / name
        path.write_text(content, encoding="utf-8")
        if name == POST_RENDER_SCRIPT:
            os.chmod(path, 0o755)
    return (directory / POST_RENDER_SCRIPT).as_posix()


def chart_credential(credential: OperatorCredential) -> ChartCredential[pulumi.Output[str]]:
    """The credential as chart values; the client secret is (re)wrapped as a secret Output."""
    if credential.kind is CredentialKind.FEDERATED:
        return ChartCredential(credential.kind, credential.client_id, audience=credential.audience)
    secret: pulumi.Output[str] | None = None
    if credential.client_secret is not None:
        secret = pulumi.Output.secret(credential.client_secret)
    return ChartCredential(credential.kind, credential.client_id, client_secret=secret)


class ClusterInstall(pulumi.ComponentResource):
    """The cluster side of one managed environment: Release, RBAC, exposures.

    `opts` must carry the stack's kubernetes provider (`providers=[...]`): a ClusterInstall
    never falls back to a default one.
    """

    TYPE = "highflame:cluster:ClusterInstall"

    release: k8s.helm.v3.Release

    def __init__(
        self,
        name: str,
        plan: InstallPlan,
        credential: OperatorCredential,
        opts: pulumi.ResourceOptions | None = None,
    ) -> None:
        super().__init__(self.TYPE, name, None, opts)
        self.release = self._release(name, plan, credential)
        role = self._rbac(name, plan)
        exposures = [self._exposure(name, p) for p in plan.exposures]
        hardening = [self._hardening(name, m) for m in plan.hardening]
        self.register_outputs(
            {
                "releaseName": self.release.name,
                "rbac": [r.metadata["name"] for r in role],
                "exposures": [e.urn for e in exposures],
                "hardening": [h.urn for h in hardening],
            }
        )

    def _release(
        self,
        name: str,
        plan: InstallPlan,
        credential: OperatorCredential,
    ) -> k8s.helm.v3.Release:
        # Await on purpose: wait for the operator Deployment to be ready (a bad credential
        # crash-loops it and fails the update), atomic so a failure rolls back.
        return k8s.helm.v3.Release(
            f"{name}-operator",
            k8s.helm.v3.ReleaseArgs(
                name=chart.RELEASE_NAME,
                namespace=chart.RELEASE_NAMESPACE,
                create_namespace=True,
                chart=chart.CHART_NAME,
                version=chart.CHART_VERSION,
                repository_opts=k8s.helm.v3.RepositoryOptsArgs(repo=chart.CHART_REPOSITORY),
                values=plan.values(chart_credential(credential)),
                # Narrows ClusterRole tailscale-auth-proxy to the plan's groups (resourceNames);
                # the same files the handoff's `helm --post-renderer` runs.
                postrender=write_post_renderer(plan.ref.stack, plan.impersonation_groups),
                skip_await=False,
                atomic=True,
                cleanup_on_fail=True,
                timeout=chart.RELEASE_TIMEOUT_SECONDS,
            ),
            # The values hold the client secret: keep the whole output secret in state too
            # (pulumi/pulumi-kubernetes#2003: Release values once showed secrets in plain text).
            opts=pulumi.ResourceOptions(parent=self, additional_secret_outputs=["values"]),
        )

    def _rbac(self, name: str, plan: InstallPlan) -> list[KubernetesObject]:
        # Through the generic class (components/kubernetes_object.py): the same registration as
        # k8s.rbac.v1.ClusterRole / ClusterRoleBinding, without importing all of rbac/v1.
        created: list[KubernetesObject] = []
        for manifest in plan.rbac:
            kind = manifest["kind"]
            if kind == "ClusterRole":
                created.append(
                    KubernetesObject(
                        f"{name}-role",
                        manifest,
                        aliases=RBAC_V1_ALIASES[kind],
                        opts=pulumi.ResourceOptions(parent=self),
                    )
                )
            else:
                # roleRef is immutable: a role change replaces the binding, deleting it first
                # because its name is fixed.
                binding = manifest["metadata"]["name"]
                created.append(
                    KubernetesObject(
                        f"{name}-binding" if binding == BINDING_NAME else f"{name}-{binding}",
                        manifest,
                        aliases=RBAC_V1_ALIASES[kind],
                        opts=pulumi.ResourceOptions(
                            parent=self,
                            depends_on=list(created),
                            delete_before_replace=True,
                        ),
                    )
                )
        return created

    def _hardening(self, name: str, manifest: dict[str, Any]) -> pulumi.CustomResource:
        # After the release: it creates the namespace and the ProxyClass CRD. The kubernetes
        # provider comes from the component's options through parent=self.
        opts = pulumi.ResourceOptions(parent=self, depends_on=[self.release])
        object_name = manifest["metadata"]["name"]
        if manifest["kind"] == "NetworkPolicy":
            # The generic class registers exactly what k8s.networking.v1.NetworkPolicy would
            # (type token `kubernetes:networking.k8s.io/v1:NetworkPolicy`, the same inputs and
            # the typed class's alias), without importing every networking.k8s.io/v1 class:
            # that import alone cost the environment program ~0.15 s (docs/performance.md).
            return KubernetesObject(
                f"{name}-netpol-{object_name}",
                manifest,
                aliases=[_NETWORK_POLICY_ALIAS],
                opts=opts,
            )
        # What k8s.apiextensions.CustomResource registers for the ProxyClass, without the SDK
        # resolving its typed metadata (which imports all of meta/v1).
        return KubernetesObject(f"{name}-proxyclass-{object_name}", manifest, opts=opts)

    def _exposure(self, name: str, planned: PlannedExposure) -> pulumi.CustomResource:
        # After the release (the operator must run to reconcile it), and so deleted before it:
        # the operator then clears its finalizer and proxy (tailscale/tailscale#15662).
        opts = pulumi.ResourceOptions(parent=self, depends_on=[self.release])
        manifest: dict[str, Any] = planned.manifest
        if planned.via is ExposureVia.INGRESS:
            return k8s.networking.v1.Ingress(
                f"{name}-expose-{planned.name}",
                metadata=manifest["metadata"],
                spec=manifest["spec"],
                opts=opts,
            )
        # A Service this stack does not own: a server-side-apply patch owning only the three
        # annotations, removed again when the exposure is withdrawn.
        return k8s.core.v1.ServicePatch(
            f"{name}-expose-{planned.name}", metadata=manifest["metadata"], opts=opts
        )
