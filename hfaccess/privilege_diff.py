"""The privilege-relevant changes between two renders, as the first lines of the diff.

Read from the rendered artifacts themselves (the tailnet policy, each stack's RBAC and
exposures), so the summary can never disagree with the per-file diffs under it: role changes
(cluster-admin in bold), engineers added or removed, elevations, new or withdrawn exposures,
revocations and reinstatements.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import yaml

from hfaccess.install.exposures import HOSTNAME_ANNOTATION
from hfaccess.install.rbac import BINDING_NAME
from hfaccess.policy.capability import KUBERNETES_CAPABILITY
from hfaccess.registry import names

RBAC_FILE = "rbac.yaml"
EXPOSURES_FILE = "exposures.yaml"
POLICY_FILE = "policy.json"
TAILNET_STACK = names.TAILNET_STACK
SRE_GROUP = f"group:{names.KUBERNETES_GROUP}"
ADMIN = "cluster-admin"

Files = Mapping[str, str]


def _documents(text: str | None) -> list[dict[str, Any]]:
    if not text:
        return []
    try:
        return [d for d in yaml.safe_load_all(text) if isinstance(d, dict)]
    except yaml.YAMLError:
        return []


def _bindings(text: str | None) -> dict[str, str]:
    """ClusterRoleBinding name -> the ClusterRole it binds."""
    found: dict[str, str] = {}
    for doc in _documents(text):
        if doc.get("kind") == "ClusterRoleBinding":
            name = str((doc.get("metadata") or {}).get("name", "?"))
            found[name] = str((doc.get("roleRef") or {}).get("name", "?"))
    return found


def _exposures(text: str | None) -> set[str]:
    """Each exposure as `<kind> <namespace>/<name> (host <tailnet host>)`."""
    found: set[str] = set()
    for doc in _documents(text):
        meta = doc.get("metadata") or {}
        host = (meta.get("annotations") or {}).get(HOSTNAME_ANNOTATION)
        for tls in (doc.get("spec") or {}).get("tls") or []:
            host = host or next(iter(tls.get("hosts") or []), None)
        where = f"{meta.get('namespace', '?')}/{meta.get('name', '?')}"
        found.add(f"{doc.get('kind', '?')} {where}" + (f" (host {host})" if host else ""))
    return found


def _role(role: str | None) -> str:
    if role is None:
        return "none"
    return f"**{role}**" if role == ADMIN else f"`{role}`"


def _policy(text: str | None) -> dict[str, Any]:
    try:
        value = json.loads(text) if text else {}
    except ValueError:
        return {}
    return value if isinstance(value, dict) else {}


def _strings(value: Any) -> list[str]:
    return [str(v) for v in value] if isinstance(value, list) else []


def _reach(policy: Mapping[str, Any]) -> dict[str, set[str]]:
    """Customer tag -> what reaches it: ports, and `impersonate:<group>` per Kubernetes group."""
    reach: dict[str, set[str]] = {}
    for grant in policy.get("grants") or []:
        if not isinstance(grant, dict):
            continue
        ports = set(_strings(grant.get("ip")))
        groups: set[str] = set()
        for capability in (grant.get("app") or {}).get(KUBERNETES_CAPABILITY) or []:
            if isinstance(capability, dict):
                impersonate = capability.get("impersonate") or {}
                groups |= {f"impersonate:{g}" for g in _strings(impersonate.get("groups"))}
        for dst in _strings(grant.get("dst")):
            if dst.startswith(("tag:cust-", "tag:k8s-")) and not dst.startswith(
                "tag:k8s-operator-"
            ):
                reach.setdefault(dst, set()).update(ports | groups)
    return reach


def _customers(policy: Mapping[str, Any]) -> set[str]:
    owners = policy.get("tagOwners") or {}
    prefix = names.operator_device_tag("")
    return {str(t)[len(prefix) :] for t in owners if str(t).startswith(prefix)}


def policy_changes(base_text: str | None, head_text: str | None) -> list[str]:
    """Engineers, customer revocations and reinstatements, exposure ports and elevations."""
    base, head = _policy(base_text), _policy(head_text)
    lines: list[str] = []
    old = set(_strings((base.get("groups") or {}).get(SRE_GROUP)))
    new = set(_strings((head.get("groups") or {}).get(SRE_GROUP)))
    lines += [f"- engineer **added** to `{SRE_GROUP}`: `{m}`" for m in sorted(new - old)]
    lines += [f"- engineer removed from `{SRE_GROUP}`: `{m}`" for m in sorted(old - new)]
    old_reach, new_reach = _reach(base), _reach(head)
    known = _customers(base) & _customers(head)
    for customer in sorted(known):
        device = names.operator_device_tag(customer)
        was, now = device in old_reach, device in new_reach
        if was and not now:
            lines.append(f"- customer `{customer}` **revoked**: no grant reaches `{device}`")
        elif now and not was:
            lines.append(f"- customer `{customer}` **reinstated**: `{device}` is reachable again")
    for tag in sorted({*old_reach, *new_reach}):
        before, after = old_reach.get(tag, set()), new_reach.get(tag, set())
        if tag.startswith("tag:k8s-"):
            opened = sorted(p for p in after - before if not p.startswith("impersonate:"))
            closed = sorted(p for p in before - after if not p.startswith("impersonate:"))
            lines += [f"- new exposure port {p} on `{tag}`" for p in opened]
            lines += [f"- exposure port {p} withdrawn on `{tag}`" for p in closed]
        base_group = f"impersonate:{names.KUBERNETES_GROUP}"
        for group in sorted(
            {g for g in after - before if g.startswith("impersonate:")} - {base_group}
        ):
            lines.append(f"- elevation: `{tag}` now lets SRE {group.replace(':', ' group ')}")
        for group in sorted(
            {g for g in before - after if g.startswith("impersonate:")} - {base_group}
        ):
            lines.append(
                f"- elevation withdrawn: `{tag}` no longer lets SRE {group.replace(':', ' group ')}"
            )
    return lines


def stack_changes(stack: str, base: Files | None, head: Files | None) -> list[str]:
    """Role changes, extra bindings (elevations), exposures and revocation of one stack."""
    if stack == TAILNET_STACK:
        return policy_changes((base or {}).get(POLICY_FILE), (head or {}).get(POLICY_FILE))
    lines: list[str] = []
    old = _bindings((base or {}).get(RBAC_FILE))
    new = _bindings((head or {}).get(RBAC_FILE))
    old_role, new_role = old.get(BINDING_NAME), new.get(BINDING_NAME)
    if base is None and head is not None:
        lines.append(f"- `{stack}`: new environment, role {_role(new_role)}")
    elif head is None and base is not None:
        lines.append(f"- `{stack}`: environment removed (was role {_role(old_role)})")
    elif old_role != new_role:
        if new_role is None:
            lines.append(f"- `{stack}`: **revoked** (was role {_role(old_role)})")
        elif old_role is None:
            lines.append(f"- `{stack}`: **reinstated** with role {_role(new_role)}")
        else:
            lines.append(f"- `{stack}`: role {_role(old_role)} → {_role(new_role)}")
    for name in sorted(set(new) - set(old) - {BINDING_NAME}):
        lines.append(f"- `{stack}`: elevation binding `{name}` → {_role(new[name])} added")
    for name in sorted(set(old) - set(new) - {BINDING_NAME}):
        lines.append(f"- `{stack}`: elevation binding `{name}` removed")
    before = _exposures((base or {}).get(EXPOSURES_FILE))
    after = _exposures((head or {}).get(EXPOSURES_FILE))
    lines += [f"- `{stack}`: new exposure {item}" for item in sorted(after - before)]
    lines += [f"- `{stack}`: exposure withdrawn: {item}" for item in sorted(before - after)]
    return lines


def privilege_changes(
    stacks: Iterable[str], base: Mapping[str, Files], head: Mapping[str, Files]
) -> list[str]:
    """Every privilege-relevant change over `stacks` (in order), one markdown bullet each.

    A stack absent from `base` (or `head`) is new (or removed); a file absent from both sides
    of a present stack is unchanged, so the changed files alone are enough.
    """
    lines: list[str] = []
    for stack in stacks:
        lines += stack_changes(stack, base.get(stack), head.get(stack))
    return lines


def summary_section(lines: Sequence[str]) -> list[str]:
    """The block printed first in the diff."""
    if not lines:
        return ["**Privilege-relevant changes:** none.", ""]
    return ["**Privilege-relevant changes:**", "", *lines, ""]
