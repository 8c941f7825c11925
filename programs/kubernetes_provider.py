"""The explicit kubernetes provider of one customer cluster, built from stack settings only.

Never the default provider: the stack says which cluster, either as a whole kubeconfig (kept a
secret) or as a named context of the kubeconfig file on the machine running Pulumi. Whatever
that file's current context is, it is never used, so a laptop pointed at another cluster cannot
receive an install. `cluster_identifier`
is the stack name, so rotating the kubeconfig's credentials updates the provider in place instead
of replacing every resource in the cluster.
"""

from __future__ import annotations

import pulumi
import pulumi_kubernetes as k8s

from hfaccess.registry.settings import StackSettings


class MissingClusterSettings(ValueError):
    """A managed install was declared without kubeContext or kubeconfig."""


def cluster_provider(
    name: str, stack: str, settings: StackSettings, former_parent_type: str
) -> k8s.Provider:
    """A provider for the stack's cluster: from `kubeconfig` (secret) or `kubeContext`.

    It used to be built inside the ClusterInstall `stack` (type `former_parent_type`); the alias
    keeps that provider, so nothing in the cluster is replaced.
    """
    moved = pulumi.ResourceOptions(
        aliases=[pulumi.Alias(parent=pulumi.create_urn(stack, former_parent_type))]
    )
    if settings.kubeconfig is not None:
        return k8s.Provider(
            name,
            kubeconfig=pulumi.Output.secret(settings.kubeconfig.get_secret_value()),
            cluster_identifier=stack,
            opts=moved,
        )
    if settings.kube_context is not None:
        return k8s.Provider(
            name,
            context=settings.kube_context,
            cluster_identifier=stack,
            opts=moved,
        )
    raise MissingClusterSettings(
        f"stack {stack}: a managed install needs kubeContext or kubeconfig; "
        "nothing falls back to the ambient kubeconfig"
    )
