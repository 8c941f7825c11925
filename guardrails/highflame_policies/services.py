"""No Service of type LoadBalancer or NodePort: the program never opens a cluster to a network."""

from __future__ import annotations

from pulumi_policy import ReportViolation, ResourceValidationArgs

from highflame_policies.limits import FORBIDDEN_SERVICE_TYPES, SERVICE_TYPES
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


def validate_no_public_service(args: ResourceValidationArgs, report: ReportViolation) -> None:
    """Resource policy over Services and ServicePatches."""
    if args.resource_type not in SERVICE_TYPES:
        return
    problem = service_violation(args.props)
    if problem is not None:
        report(problem, None)
