"""INSTALL.md's paragraph on standing vs time-boxed roles and session recording.

The customer's security team reads here which role Highflame holds at all times, which one only
an expiring elevation gives, and whether (and where) sessions are recorded.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Final

from hfaccess.install.plan import InstallPlan
from hfaccess.install.rbac import BINDING_NAME, ELEVATED_BINDING_NAME, bound_role_name
from hfaccess.policy.elevation import RECORDER_PORT, elevated_group, recorded_customers
from hfaccess.registry import names
from hfaccess.registry.highflame import HighflameConfig
from hfaccess.registry.models import Registry

UNRECORDED_ADMIN: Final = "- **NOT recorded:**"


def unrecorded_admin_stacks(tree: Mapping[str, Mapping[str, str]]) -> list[str]:
    """Rendered stacks whose INSTALL.md says standing cluster-admin is not recorded (for diff)."""
    return sorted(
        stack for stack, files in tree.items() if UNRECORDED_ADMIN in files.get("INSTALL.md", "")
    )


def access_roles_section(
    plan: InstallPlan, registry: Registry, highflame: HighflameConfig
) -> list[str]:
    """The `## Standing and time-boxed access` section of one active environment."""
    ref = plan.ref
    standing = bound_role_name(plan.role)
    lines = [
        "## Standing and time-boxed access",
        "",
        f"- **Standing:** the group `{names.KUBERNETES_GROUP}` is bound to `{standing}` "
        f"(`{BINDING_NAME}`), for every Highflame SRE engineer, at all times"
        + (
            ", and only from devices that meet Highflame's device posture "
            f"({'; '.join(f'`{c}`' for c in highflame.sre.posture)})."
            if highflame.sre.posture
            else "."
        ),
    ]
    glass = ref.environment.break_glass
    if glass is None:
        lines.append(
            "- **Time-boxed:** none. No role in this cluster comes by elevation: Highflame never "
            "holds more than the standing role here."
        )
    else:
        group = elevated_group(ref.customer.name, ref.name)
        lines.append(
            f"- **Time-boxed (break-glass):** the group `{group}` is bound to "
            f"`{bound_role_name(glass.role)}` (`{ELEVATED_BINDING_NAME}` in `rbac.yaml`). Only "
            f"{', '.join(glass.engineers)} can hold it, and only while Highflame has elevated "
            f"them with a reason, for at most {glass.max_duration} at a time. The elevation is a "
            "device attribute with an expiry on Highflame's tailnet: Tailscale itself removes it "
            "at the expiry, so nothing has to run on time for it to end. No other environment "
            "binds this group."
        )
    recorded = ref.customer.name in recorded_customers(registry, highflame)
    if recorded and highflame.recording is not None:
        storage = (
            f" Recordings are kept in {highflame.recording.storage}."
            if (highflame.recording.storage)
            else ""
        )
        lines.append(
            "- **Recorded:** every Highflame `kubectl` session into this customer's clusters is "
            "recorded. The API server proxy in your cluster streams it to Highflame's session "
            f"recorders (tailnet tag `{highflame.recording.recorder_tag}`, port "
            f"{RECORDER_PORT}) and refuses the session when no recorder is reachable (fail "
            f"closed).{storage} Streaming to the recorder is the only connection your operator "
            "opens into Highflame's tailnet."
        )
    elif plan.role.value == "cluster-admin":
        lines.append(
            f"{UNRECORDED_ADMIN} this environment's standing `cluster-admin` sessions are not "
            "recorded (Highflame has configured no session recorder)."
        )
    else:
        lines.append(
            "- **Not recorded:** sessions with the standing read-only role are not recorded."
        )
    return [*lines, ""]
