"""Planning an elevation, its end, and the listing: pure functions over the model and devices.

An elevation sets the environment's custom posture attribute on every device of one engineer
(their own, untagged devices: a tagged device is not theirs however it was registered), with
`expiry = now + duration`; Tailscale removes it at the expiry, so nothing has to run on time.
Every refusal names the file and field that decide it.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from hfaccess.policy.elevation import ELEVATION_VALUE, elevation_attribute
from hfaccess.registry.durations import format_duration, parse_duration
from hfaccess.registry.highflame import tailnet_login
from hfaccess.registry.models import Customer
from hfaccess.registry.workspace import AccessModel
from hfaccess.tsapi.attributes import rfc3339
from hfaccess.tsapi.models import Device


class ElevationRefused(Exception):
    """The request breaks the registry's break-glass rules; one line per reason."""

    def __init__(self, lines: Sequence[str]) -> None:
        self.lines = tuple(lines)
        super().__init__("\n".join(self.lines))


@dataclass(frozen=True)
class Target:
    """One customer environment an engineer is elevated in (or de-elevated from)."""

    customer: str
    environment: str
    engineer: str

    @property
    def attribute(self) -> str:
        return elevation_attribute(self.customer, self.environment)


@dataclass(frozen=True)
class ElevationPlan:
    """What `elevate --yes` writes: one attribute on each of the engineer's devices."""

    target: Target
    devices: tuple[Device, ...]
    duration: timedelta
    expiry: str  # RFC 3339, UTC
    comment: str
    value: str = ELEVATION_VALUE


def engineer_devices(devices: Iterable[Device], engineer: str) -> tuple[Device, ...]:
    """The engineer's own devices: user == their login, no tags; sorted by name."""
    own = [d for d in devices if d.user.lower() == engineer and not d.tags]
    return tuple(sorted(own, key=lambda d: (d.short_name, d.id)))


def _device_id(device: Device) -> str:
    return device.node_id or device.id


def device_id(device: Device) -> str:
    """The id the device endpoints take (the stable node id when known)."""
    return _device_id(device)


def _customer(model: AccessModel, name: str) -> tuple[Customer, str]:
    try:
        customer = model.registry.customer(name)
    except KeyError:
        raise ElevationRefused([f"elevate: no customer {name!r} in the registry"]) from None
    return customer, model.registry.sources.get(name, f"{name}.yaml")


def _login(engineer: str) -> str:
    try:
        return tailnet_login(engineer)
    except ValueError as exc:
        raise ElevationRefused([f"--engineer: {exc}"]) from None


def resolve_target(model: AccessModel, customer: str, environment: str, engineer: str) -> Target:
    """The target, or ElevationRefused when the customer or environment does not exist."""
    found, source = _customer(model, customer)
    if environment not in found.environments:
        raise ElevationRefused([f"{source}: environments.{environment}: no such environment"])
    return Target(found.name, environment, _login(engineer))


def check_request(
    model: AccessModel, target: Target, *, duration_text: str, reason: str
) -> timedelta:
    """The duration, or ElevationRefused naming every rule the request breaks (offline)."""
    customer, source = _customer(model, target.customer)
    env = customer.environments[target.environment]
    field = f"environments.{target.environment}"
    problems: list[str] = []
    if customer.revoked:
        problems.append(f"{source}: revoked: customer {customer.name} is revoked")
    elif env.revoked:
        problems.append(f"{source}: {field}.revoked: {target.environment} is revoked")
    glass = env.break_glass
    if glass is None:
        problems.append(f"{source}: {field}.break_glass: not configured; no one may be elevated")
    elif target.engineer not in glass.engineers:
        problems.append(
            f"{source}: {field}.break_glass.engineers: {target.engineer} is not listed "
            f"(listed: {', '.join(glass.engineers)})"
        )
    if target.engineer not in model.highflame.sre.members:
        problems.append(f"sre.members: {target.engineer} is not an SRE member")
    try:
        duration = parse_duration(duration_text)
    except ValueError as exc:
        problems.append(f"--for: {exc}")
        duration = timedelta(0)
    if glass is not None and duration > glass.max_timedelta:
        problems.append(
            f"{source}: {field}.break_glass.max_duration: --for {format_duration(duration)} is "
            f"longer than {glass.max_duration}"
        )
    if not reason.strip():
        problems.append("--reason: must say why (it becomes the attribute's comment)")
    if problems:
        raise ElevationRefused(problems)
    return duration


def plan_elevation(
    model: AccessModel,
    target: Target,
    *,
    duration_text: str,
    reason: str,
    devices: Iterable[Device],
    now: datetime,
) -> ElevationPlan:
    """The plan, or ElevationRefused naming every rule the request breaks."""
    duration = check_request(model, target, duration_text=duration_text, reason=reason)
    own = engineer_devices(devices, target.engineer)
    if not own:
        raise ElevationRefused([f"elevate: {target.engineer} has no device in the tailnet"])
    comment = f"break-glass {target.customer}-{target.environment}: {reason.strip()}"
    return ElevationPlan(target, own, duration, rfc3339(now + duration), comment)


@dataclass(frozen=True)
class LiveElevation:
    """An elevation attribute found on a device, with its expiry."""

    target: Target
    device: Device
    expiry: datetime | None


def registered(model: AccessModel) -> list[tuple[str, str, str, str, str]]:
    """(customer, environment, role, engineers, max duration) of every break-glass."""
    rows = []
    for ref in model.registry.environments():
        glass = ref.environment.break_glass
        if glass is None:
            continue
        state = "" if ref.active else " (revoked)"
        rows.append(
            (
                ref.customer.name,
                ref.name + state,
                glass.role.value,
                ", ".join(glass.engineers),
                glass.max_duration,
            )
        )
    return rows


def attribute_targets(model: AccessModel) -> dict[str, tuple[str, str]]:
    """Elevation attribute key -> (customer, environment) for every environment."""
    return {
        elevation_attribute(ref.customer.name, ref.name): (ref.customer.name, ref.name)
        for ref in model.registry.environments()
    }
