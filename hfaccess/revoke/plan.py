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
    # Credential ids recorded for the environment (`pulumi stack output oauthClientId`): evidence
    # that a key is this environment's besides the description the program writes.
    client_ids: tuple[str, ...] = ()

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
class Leftover:
    """Something of the target the kill will not (or did not) remove, and why."""

    what: str
    why: str


@dataclass(frozen=True)
class KillPlan:
    """Everything a kill removes, in the order it removes it, plus what it will not touch."""

    target: KillTarget
    policy: PolicyEdit | None  # None: the policy is left alone (or was not read)
    devices: tuple[PlannedDevice, ...]
    keys: tuple[PlannedKey, ...]
    warnings: tuple[str, ...]
    notes: tuple[str, ...]
    # Items of the target that stay reachable or able to re-register after this plan runs:
    # foreign-tagged devices and keys, ones no evidence ties to an environment, the caller.
    leftovers: tuple[Leftover, ...] = ()
    # Whether the tailnet holds anything of the customer at all (a tag in the policy file, a
    # device or key carrying one): an unregistered name that is absent is a typo.
    present: bool = False

    @property
    def removes_anything(self) -> bool:
        return bool(self.devices or self.keys or (self.policy is not None and self.policy.changed))

    @property
    def tailnet_clean(self) -> bool:
        """Nothing of the target left in the tailnet: no grant, device or credential."""
        policy_clean = self.policy is None or not self.policy.changed
        return policy_clean and not self.devices and not self.keys


def _plan_devices(
    target: KillTarget, devices: Iterable[Device]
) -> tuple[list[PlannedDevice], list[Leftover]]:
    planned: list[PlannedDevice] = []
    left: list[Leftover] = []
    customer = target.customer
    for device in sorted(devices, key=lambda d: (d.short_name, d.id)):
        what = PlannedDevice(device, None).describe()
        if owned_by(device.tags, customer):
            env = device_environment(device, customer, target.environments)
            if target.whole_customer or env == target.environment:
                planned.append(PlannedDevice(device, env))
            elif env is None:
                left.append(
                    Leftover(
                        what,
                        f"carries {customer}'s tags but its name matches no environment, so it "
                        f"may be {target.environment}'s (a proxy the customer created?): not "
                        "deleted; delete it by hand, or kill the whole customer",
                    )
                )
        elif touches(device.tags, customer):
            left.append(
                Leftover(
                    what,
                    f"carries {customer}'s tags next to others: not deleted, review it by hand",
                )
            )
    return planned, left


def _key_environment(key: Key, target: KillTarget) -> str | None:
    """The environment the evidence ties `key` to: a recorded client id, else the exact
    description the program writes."""
    if target.environment is not None and key.id in target.client_ids:
        return target.environment
    return key_environment(key, target.customer, target.environments)


def _plan_keys(
    target: KillTarget, keys: Iterable[Key], caller_key: str | None
) -> tuple[list[PlannedKey], list[Leftover]]:
    planned: list[PlannedKey] = []
    left: list[Leftover] = []
    customer = target.customer
    for key in sorted(keys, key=lambda k: k.id):
        what = PlannedKey(key, None).describe()
        if caller_key and key.id == caller_key and touches(key.all_tags, customer):
            left.append(
                Leftover(
                    what,
                    "the credential running this kill: not deleted (delete it by hand last, "
                    "and use Highflame's own automation client next time)",
                )
            )
        elif owned_by(key.all_tags, customer):
            env = _key_environment(key, target)
            if target.whole_customer or env == target.environment:
                planned.append(PlannedKey(key, env))
            elif env is None:
                evidence = (
                    "an auth key one of its operators minted, which does not say which"
                    if key.key_type == "auth"
                    else "its description is not the one the program writes and no "
                    "--client-id names it (pass the one from `pulumi stack output oauthClientId`)"
                )
                left.append(
                    Leftover(
                        what,
                        f"belongs to {customer} but no evidence ties it to an environment "
                        f"({evidence}), so it may be {target.environment}'s: not deleted; "
                        "delete it by hand, or kill the whole customer",
                    )
                )
        elif touches(key.all_tags, customer):
            left.append(
                Leftover(
                    what,
                    f"carries {customer}'s tags next to others: not deleted, review it by hand",
                )
            )
    return planned, left


def policy_mentions(policy: Mapping[str, Any], tags: Iterable[str]) -> bool:
    """Whether any of `tags` appears anywhere in the policy file (tagOwners included), whole
    or with a port (`tag:x:443`): a presence check, not a reading of the rules."""
    wanted = set(tags)
    ported = tuple(f"{tag}:" for tag in wanted)

    def walk(value: object) -> bool:
        if isinstance(value, str):
            return value in wanted or value.startswith(ported)
        if isinstance(value, Mapping):
            return any(walk(k) or walk(v) for k, v in value.items())
        if isinstance(value, list):
            return any(walk(v) for v in value)
        return False

    return walk(policy)


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
    devices = list(devices)
    keys = list(keys)
    planned_devices, device_left = _plan_devices(target, devices)
    planned_keys, key_left = _plan_keys(target, keys, caller_key)
    present = (
        (policy is not None and policy_mentions(policy, target.tags))
        or any(touches(d.tags, target.customer) for d in devices)
        or any(touches(k.all_tags, target.customer) for k in keys)
    )
    return KillPlan(
        target=target,
        policy=edit,
        devices=tuple(planned_devices),
        keys=tuple(planned_keys),
        warnings=tuple(warnings),
        notes=tuple(notes),
        leftovers=tuple(device_left + key_left),
        present=present,
    )
