"""Opt-in exposures: existing Services made reachable from Highflame's tailnet, and nothing else.

Two ways, per exposure:
- `via: ingress`: a Tailscale Ingress this project owns (HTTPS on 443, tailnet certificate for
  the host `<customer>-<env>-<name>`), pointing at the Service's one port.
- `via: service`: three annotations on the customer's existing Service, applied as a
  server-side-apply patch that owns only those annotations. The operator's proxy then forwards
  every port of that Service.

Nothing is exposed when the customer file lists no exposure, or when the environment or the
customer is revoked.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Final

from hfaccess.install import chart
from hfaccess.install.rbac import PART_OF, PART_OF_LABEL
from hfaccess.registry import names
from hfaccess.registry.models import EnvironmentRef, Exposure, ExposureVia

EXPOSE_ANNOTATION: Final = "tailscale.com/expose"
HOSTNAME_ANNOTATION: Final = "tailscale.com/hostname"
TAGS_ANNOTATION: Final = "tailscale.com/tags"
INGRESS_PREFIX: Final = "highflame-"


@dataclass(frozen=True)
class PlannedExposure:
    """One exposure as it lands in the cluster: a Tailscale Ingress or a Service patch."""

    name: str
    hostname: str
    exposure: Exposure
    manifest: dict[str, Any]

    @property
    def via(self) -> ExposureVia:
        return self.exposure.via

    @property
    def object_name(self) -> str:
        """Name of the Kubernetes object created (Ingress) or patched (Service)."""
        return str(self.manifest["metadata"]["name"])


def ingress_name(exposure_name: str) -> str:
    """Our Ingress's name in the Service's namespace: prefixed, so it reads as Highflame's."""
    return f"{INGRESS_PREFIX}{exposure_name}"


def ingress_manifest(ref: EnvironmentRef, name: str, exposure: Exposure) -> dict[str, Any]:
    """A Tailscale Ingress for one Service port, HTTPS only, under the tailnet host `hostname`."""
    customer = ref.customer.name
    hostname = names.exposure_hostname(customer, ref.name, name)
    return {
        "apiVersion": "networking.k8s.io/v1",
        "kind": "Ingress",
        "metadata": {
            "name": ingress_name(name),
            "namespace": exposure.namespace,
            "labels": {PART_OF_LABEL: PART_OF},
            "annotations": {TAGS_ANNOTATION: names.proxy_tag(customer)},
        },
        "spec": {
            "ingressClassName": chart.INGRESS_CLASS,
            "defaultBackend": {
                "service": {"name": exposure.service, "port": {"number": exposure.port}}
            },
            "tls": [{"hosts": [hostname]}],
        },
    }


def service_annotations(ref: EnvironmentRef, name: str) -> dict[str, str]:
    """The annotations that make the operator expose a Service under `<c>-<env>-<name>`."""
    customer = ref.customer.name
    return {
        EXPOSE_ANNOTATION: "true",
        HOSTNAME_ANNOTATION: names.exposure_hostname(customer, ref.name, name),
        TAGS_ANNOTATION: names.proxy_tag(customer),
    }


def service_patch_manifest(ref: EnvironmentRef, name: str, exposure: Exposure) -> dict[str, Any]:
    """A server-side-apply patch of the existing Service: metadata annotations only."""
    return {
        "apiVersion": "v1",
        "kind": "Service",
        "metadata": {
            "name": exposure.service,
            "namespace": exposure.namespace,
            "annotations": service_annotations(ref, name),
        },
    }


def annotation_conflicts(ref: EnvironmentRef) -> list[str]:
    """Services that two `via: service` exposures would annotate: a Service has one tailnet name."""
    first: dict[tuple[str, str], str] = {}
    conflicts = []
    for name, exposure in sorted(ref.environment.exposures.items()):
        if exposure.via is not ExposureVia.SERVICE:
            continue
        key = (exposure.namespace, exposure.service)
        if key in first:
            conflicts.append(
                f"exposures {first[key]!r} and {name!r} both annotate Service "
                f"{key[0]}/{key[1]}; a Service has one tailnet name (use via: ingress)"
            )
        else:
            first[key] = name
    return conflicts


def planned_exposures(ref: EnvironmentRef) -> list[PlannedExposure]:
    """The environment's exposures, sorted by name; none when access is revoked."""
    if not ref.active:
        return []
    planned = []
    for name, exposure in sorted(ref.environment.exposures.items()):
        manifest = (
            ingress_manifest(ref, name, exposure)
            if exposure.via is ExposureVia.INGRESS
            else service_patch_manifest(ref, name, exposure)
        )
        hostname = names.exposure_hostname(ref.customer.name, ref.name, name)
        planned.append(PlannedExposure(name, hostname, exposure, manifest))
    return planned
