"""INSTALL.md's section on standing vs time-boxed roles and session recording.

The customer's security team reads there which role Highflame holds at all times, which one only
an expiring elevation gives, and whether (and where) sessions are recorded. The facts come from
Highflame's configuration as well as the plan, so the section is rendered on its own
(`templates/_elevation.md.j2`) and handed to `install_guide` as `access_roles`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, fields
from typing import Any, Final

from hfaccess.install.handoff_template import ELEVATION_TEMPLATE, render_cached
from hfaccess.install.plan import InstallPlan
from hfaccess.install.rbac import BINDING_NAME, ELEVATED_BINDING_NAME, bound_role_name
from hfaccess.policy.elevation import RECORDER_PORT, elevated_group, recorded_customers
from hfaccess.registry import names
from hfaccess.registry.highflame import HighflameConfig
from hfaccess.registry.models import ClusterRole, Registry

UNRECORDED_ADMIN: Final = "- **NOT recorded:**"


@dataclass(frozen=True)
class BreakGlassFacts:
    """Who may be elevated in this environment, to what, and for how long at most."""

    group: str
    role: str
    binding: str
    engineers: tuple[str, ...]
    max_duration: str


@dataclass(frozen=True)
class RecordingFacts:
    """Where Highflame's session recorders are, and where recordings are kept."""

    recorder_tag: str
    port: int
    storage: str | None


@dataclass(frozen=True)
class AccessRolesContext:
    """Everything the standing and time-boxed access section quotes."""

    group: str
    standing_role: str
    standing_cluster_admin: bool
    binding: str
    posture: tuple[str, ...]
    break_glass: BreakGlassFacts | None
    recording: RecordingFacts | None
    unrecorded_admin: str

    def as_mapping(self) -> dict[str, Any]:
        """The template's variables: one per field."""
        return {field.name: getattr(self, field.name) for field in fields(self)}


def unrecorded_admin_stacks(tree: Mapping[str, Mapping[str, str]]) -> list[str]:
    """Rendered stacks whose INSTALL.md says standing cluster-admin is not recorded (for diff)."""
    return sorted(
        stack for stack, files in tree.items() if UNRECORDED_ADMIN in files.get("INSTALL.md", "")
    )


def access_roles_context(
    plan: InstallPlan, registry: Registry, highflame: HighflameConfig
) -> AccessRolesContext:
    """The facts of one active environment's standing and time-boxed roles (pure)."""
    ref = plan.ref
    glass = ref.environment.break_glass
    recorded = ref.customer.name in recorded_customers(registry, highflame)
    recording = highflame.recording if recorded else None
    return AccessRolesContext(
        group=names.KUBERNETES_GROUP,
        standing_role=bound_role_name(plan.role),
        standing_cluster_admin=plan.role is ClusterRole.CLUSTER_ADMIN,
        binding=BINDING_NAME,
        posture=tuple(highflame.sre.posture),
        break_glass=None
        if glass is None
        else BreakGlassFacts(
            group=elevated_group(ref.customer.name, ref.name),
            role=bound_role_name(glass.role),
            binding=ELEVATED_BINDING_NAME,
            engineers=tuple(glass.engineers),
            max_duration=glass.max_duration,
        ),
        recording=None
        if recording is None
        else RecordingFacts(recording.recorder_tag, RECORDER_PORT, recording.storage or None),
        unrecorded_admin=UNRECORDED_ADMIN,
    )


def access_roles_section(
    plan: InstallPlan, registry: Registry, highflame: HighflameConfig
) -> list[str]:
    """The `## Standing and time-boxed access` section of one active environment, as lines."""
    context = access_roles_context(plan, registry, highflame)
    text = render_cached(ELEVATION_TEMPLATE, context.as_mapping())
    return text.removesuffix("\n").split("\n")
