"""No Service of type LoadBalancer or NodePort: the program never opens a cluster to a network."""

from __future__ import annotations

from collections.abc import Mapping

from pulumi_policy import ReportViolation, ResourceValidationArgs

from highflame_policies.limits import (
    API_SERVER_SERVICE,
    EXPOSE_ANNOTATION,
    FORBIDDEN_SERVICE_TYPES,
    INGRESS_TYPE,
    NEVER_EXPOSED_NAMESPACES,
    SERVICE_PATCH_TYPE,
    SERVICE_TYPES,
)
from highflame_policies.props import lookup


def service_violation(props: object) -> str | None:
    """Why a Service (or a patch to one) would expose the cluster, if it would."""
    kind = lookup(props, "spec", "type")
    if isinstance(kind, str) and kind in FORBIDDEN_SERVICE_TYPES:
        return (
            f"spec.type is {kind!r}: exposures go through the tailnet (Tailscale Ingress or the "
            "tailscale.com/expose annotation), never a LoadBalancer or NodePort"
        )
    return None


def _forbidden_target(namespace: object, service: object) -> str | None:
    if namespace in NEVER_EXPOSED_NAMESPACES:
        return f"namespace {namespace!r} is the operator's own: nothing in it is exposed"
    if (namespace, service) == API_SERVER_SERVICE:
        return "default/kubernetes is the raw API server: reached only through the auth proxy"
    return None


def exposure_violation(resource_type: str, props: object) -> str | None:
    """Why an exposure (Tailscale Ingress or expose annotation) targets a forbidden Service."""
    namespace = lookup(props, "metadata", "namespace")
    if resource_type == SERVICE_PATCH_TYPE:
        annotations = lookup(props, "metadata", "annotations")
        if isinstance(annotations, Mapping) and EXPOSE_ANNOTATION in annotations:
            return _forbidden_target(namespace, lookup(props, "metadata", "name"))
        return None
    if resource_type == INGRESS_TYPE:
        service = lookup(props, "spec", "defaultBackend", "service", "name")
        return _forbidden_target(namespace, service)
    return None


def validate_no_public_service(args: ResourceValidationArgs, report: ReportViolation) -> None:
    """Resource policy over Services, ServicePatches and Ingresses."""
    if args.resource_type in (SERVICE_PATCH_TYPE, INGRESS_TYPE):
        problem = exposure_violation(args.resource_type, args.props)
        if problem is not None:
            report(problem, None)
    if args.resource_type not in SERVICE_TYPES:
        return
    problem = service_violation(args.props)
    if problem is not None:
        report(problem, None)
