"""What a kill will do, computed from the live tailnet without touching it: a pure function.

The same function plans the dry run, plans the real run, and re-plans afterwards to find
anything left (a device that re-registered between the device and credential steps).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from hfaccess.registry import names
from hfaccess.revoke.ownership import (
    device_environment,
    key_environment,
    owned_by,
    touches,
)
from hfaccess.revoke.policy_edit import PolicyEdit, revoke_tags, wide_rules
from hfaccess.tsapi.models import Device, Key


@dataclass(frozen=True)
class KillTarget:
    """A customer, or one of its environments, to cut off.

    Tags are per customer and shared by its environments, so an environment kill leaves the
    policy alone while another environment of the customer stays active (editing it would cut
    those too); the environment is cut by deleting its devices and its credential. When it is
    the customer's last active environment, its grants go as well.
    """

    customer: str
    environment: str | None = None
    environments: tuple[str, ...] = ()  # the customer's environments known to the registry
    still_active: tuple[str, ...] = ()  # other environments that remain active

    @property
    def whole_customer(self) -> bool:
        return self.environment is None

    @property
    def cuts_policy(self) -> bool:
        return self.environment is None or not self.still_active

    @property
    def tags(self) -> tuple[str, ...]:
        return names.customer_tags(self.customer)

    def describe(self) -> str:
        if self.environment is None:
            return f"customer {self.customer} (every environment)"
        return f"environment {self.environment} of customer {self.customer}"


@dataclass(frozen=True)
class PlannedDevice:
    device: Device
    environment: str | None

    def describe(self) -> str:
        where = f", environment {self.environment}" if self.environment else ""
        tags = ", ".join(self.device.tags)
        return f"device {self.device.short_name} (id {self.device.id}, {tags}{where})"


@dataclass(frozen=True)
class PlannedKey:
    key: Key
    environment: str | None

    def describe(self) -> str:
        kind = {"client": "OAuth client", "federated": "federated identity", "auth": "auth key"}
        label = kind.get(self.key.key_type, self.key.key_type or "key")
        text = f' "{self.key.description}"' if self.key.description else ""
        tags = ", ".join(self.key.all_tags)
        return f"{label} {self.key.id}{text} ({tags})"


@dataclass(frozen=True)
class KillPlan:
    """Everything a kill removes, in the order it removes it, plus what it will not touch."""

    target: KillTarget
    policy: PolicyEdit | None  # None: the policy is left alone (or was not read)
    devices: tuple[PlannedDevice, ...]
    keys: tuple[PlannedKey, ...]
    warnings: tuple[str, ...]
    notes: tuple[str, ...]

    @property
    def tailnet_clean(self) -> bool:
        """Nothing of the target left in the tailnet: no grant, device or credential."""
        policy_clean = self.policy is None or not self.policy.changed
        return policy_clean and not self.devices and not self.keys


def _plan_devices(
    target: KillTarget, devices: Iterable[Device]
) -> tuple[list[PlannedDevice], list[str]]:
    planned: list[PlannedDevice] = []
    warnings: list[str] = []
    customer = target.customer
    for device in sorted(devices, key=lambda d: (d.short_name, d.id)):
        if owned_by(device.tags, customer):
            env = device_environment(device, customer, target.environments)
            if target.whole_customer or env == target.environment:
                planned.append(PlannedDevice(device, env))
            elif env is None:
                warnings.append(
                    f"device {device.short_name} (id {device.id}) carries {customer}'s tags but "
                    "its name matches no environment: left alone (a whole-customer kill "
                    "removes it)"
                )
        elif touches(device.tags, customer):
            warnings.append(
                f"device {device.short_name} (id {device.id}) carries {customer}'s tags next "
                f"to others ({', '.join(device.tags)}): not deleted, review it by hand"
            )
    return planned, warnings


def _plan_keys(
    target: KillTarget, keys: Iterable[Key], caller_key: str | None
) -> tuple[list[PlannedKey], list[str]]:
    planned: list[PlannedKey] = []
    warnings: list[str] = []
    customer = target.customer
    for key in sorted(keys, key=lambda k: k.id):
        if caller_key and key.id == caller_key and touches(key.all_tags, customer):
            warnings.append(
                f"key {key.id} is the credential running this kill: not deleted (delete it by "
                "hand last, and use Highflame's own automation client next time)"
            )
        elif owned_by(key.all_tags, customer):
            env = key_environment(key, customer, target.environments)
            if target.whole_customer or env == target.environment:
                planned.append(PlannedKey(key, env))
            elif env is None:
                warnings.append(
                    f"{PlannedKey(key, None).describe()} belongs to {customer} but names no "
                    "environment: left alone (a whole-customer kill removes it)"
                )
        elif touches(key.all_tags, customer):
            warnings.append(
                f"key {key.id} carries {customer}'s tags next to others "
                f"({', '.join(key.all_tags)}): not deleted, review it by hand"
            )
    return planned, warnings


def plan_kill(
    target: KillTarget,
    policy: Mapping[str, Any] | None,
    devices: Iterable[Device],
    keys: Iterable[Key],
    *,
    caller_key: str | None = None,
) -> KillPlan:
    """The plan for `target` against the tailnet as listed. `caller_key` (the OAuth client
    running the kill) is never planned for deletion: the kill would cut its own access."""
    notes: list[str] = []
    warnings: list[str] = []
    edit: PolicyEdit | None = None
    if target.cuts_policy:
        if target.environment is not None:
            notes.append(
                f"{target.environment} is {target.customer}'s last active environment: "
                "its grants go too"
            )
        if policy is not None:
            edit = revoke_tags(policy, target.tags)
            for rule in wide_rules(edit.policy):
                warnings.append(
                    f"{rule} reaches every tagged device ('*' or autogroup:tagged in its "
                    f"destination), {target.customer}'s included, until they are deleted"
                )
    else:
        others = ", ".join(target.still_active)
        notes.append(
            f"policy left unchanged: {target.customer}'s tags are shared with its active "
            f"environments ({others}); {target.environment} is cut by deleting its devices "
            "and its credential"
        )
    planned_devices, device_warnings = _plan_devices(target, devices)
    planned_keys, key_warnings = _plan_keys(target, keys, caller_key)
    return KillPlan(
        target=target,
        policy=edit,
        devices=tuple(planned_devices),
        keys=tuple(planned_keys),
        warnings=tuple(warnings + device_warnings + key_warnings),
        notes=tuple(notes),
    )
