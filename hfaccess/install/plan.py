"""One environment's cluster install as plain data: what the component applies, what render writes.

The Pulumi component and the `render` artifacts both start from `install_plan`, so they cannot
disagree about the release, the RBAC or the exposures.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, TypeVar

from hfaccess.install.exposures import PlannedExposure, annotation_conflicts, planned_exposures
from hfaccess.install.hardening import hardening_manifests
from hfaccess.install.impersonation import impersonable_groups
from hfaccess.install.rbac import elevated_binding_manifest, rbac_manifests
from hfaccess.install.values import ChartCredential, helm_values
from hfaccess.registry.errors import InputError, InvalidInput
from hfaccess.registry.models import ClusterRole, EnvironmentRef, InstallMode
from hfaccess.registry.names import elevated_group

T = TypeVar("T")


@dataclass(frozen=True)
class InstallPlan:
    """Everything the cluster side of one environment consists of.

    A revoked environment (or customer) plans nothing in the cluster: no release, no RBAC, no
    exposures. Whether this project applies the plan (managed) or the customer does (handoff) is
    `mode`.
    """

    ref: EnvironmentRef
    rbac: tuple[dict[str, Any], ...]
    exposures: tuple[PlannedExposure, ...]
    # ProxyClass and (unless opted out) NetworkPolicy next to the chart (install/hardening.py).
    hardening: tuple[dict[str, Any], ...] = ()
    # Groups the post-renderer lets the operator impersonate (install/impersonation.py).
    impersonation_groups: tuple[str, ...] = ()

    @property
    def active(self) -> bool:
        return self.ref.active

    @property
    def mode(self) -> InstallMode:
        return self.ref.environment.install

    @property
    def role(self) -> ClusterRole:
        return self.ref.environment.cluster_role

    def values(self, credential: ChartCredential[T]) -> dict[str, Any]:
        """The release's Helm values with `credential`'s values (Outputs or placeholders)."""
        return helm_values(self.ref, credential)


def plan_refusals(ref: EnvironmentRef, source: str | None = None) -> list[InputError]:
    """Why `install_plan(ref, source)` would refuse; [] when it would not (the gate asks this:
    the refusal without building 20,000 plans)."""
    if not ref.active:
        return []
    file = source or f"{ref.customer.name}.yaml"
    field = f"environments.{ref.name}.exposures"
    return [InputError(file, field, reason) for reason in annotation_conflicts(ref)]


def install_plan(ref: EnvironmentRef, source: str | None = None) -> InstallPlan:
    """The plan of `ref`: RBAC for its role and its exposures, or nothing when revoked.

    Raises InvalidInput (naming `source`, the customer file) for exposures that cannot coexist.
    """
    if not ref.active:
        return InstallPlan(ref, (), ())
    refused = plan_refusals(ref, source)
    if refused:
        raise InvalidInput(refused)
    role = ref.environment.cluster_role
    rbac = rbac_manifests(role)
    glass = ref.environment.break_glass
    elevated: list[str] = []
    if glass is not None:
        group = elevated_group(ref.customer.name, ref.name)
        rbac.append(elevated_binding_manifest(group, glass.role))
        elevated.append(group)
    return InstallPlan(
        ref,
        tuple(rbac),
        tuple(planned_exposures(ref)),
        hardening=tuple(hardening_manifests(ref)),
        impersonation_groups=tuple(impersonable_groups(ref, elevated)),
    )
