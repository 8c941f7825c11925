"""Building the fleet report from the registry and the live tailnet: a pure function.

One row per registry environment (operator device, proxies, credentials, problems), and a
list of everything carrying a customer tag that the registry does not explain: unknown
customers, hostnames no environment or exposure derives, credentials no environment is
described by, and anything left behind by a revoked customer or environment.
"""

from __future__ import annotations

from collections.abc import Iterable, Set
from dataclasses import dataclass
from datetime import datetime

from hfaccess import names
from hfaccess.credentials import credential_description
from hfaccess.fleet.versions import PINNED_CLIENT_VERSION, version_status
from hfaccess.models import CredentialKind, EnvironmentRef, Registry
from hfaccess.revoke.ownership import (
    device_environment,
    is_customer_space_tag,
    is_operator_device,
    key_environment,
    owned_by,
    tag_customers,
)
from hfaccess.tsapi.models import Device, Key

_KIND_OF_KEY = {"client": CredentialKind.OAUTH.value, "federated": CredentialKind.FEDERATED.value}


@dataclass(frozen=True)
class DeviceView:
    id: str
    name: str
    tags: tuple[str, ...]
    online: bool | None
    last_seen: datetime | None
    client_version: str
    version_status: str


@dataclass(frozen=True)
class ProxyView:
    device: DeviceView
    exposure: str | None  # the registry exposure it serves; None if the registry has none


@dataclass(frozen=True)
class CredentialView:
    id: str
    kind: str  # oauth | federated | the API's keyType otherwise
    description: str
    created: datetime | None
    age_days: float | None


@dataclass(frozen=True)
class EnvironmentRow:
    customer: str
    environment: str
    active: bool
    hostname: str
    expected_credential: str
    operator: DeviceView | None
    stale_operators: tuple[DeviceView, ...]
    proxies: tuple[ProxyView, ...]
    credentials: tuple[CredentialView, ...]
    problems: tuple[str, ...]


@dataclass(frozen=True)
class Unexplained:
    what: str  # device | credential
    id: str
    name: str
    tags: tuple[str, ...]
    reason: str


@dataclass(frozen=True)
class FleetReport:
    generated_at: datetime
    pinned_version: str
    rows: tuple[EnvironmentRow, ...]
    unexplained: tuple[Unexplained, ...]


@dataclass(frozen=True)
class FleetVerdict:
    """What a schedule alerts on: problems, unexplained items and clients off the pin."""

    environments: int
    with_problems: int
    unexplained: int
    clients_not_pinned: tuple[str, ...]  # device names

    @property
    def ok(self) -> bool:
        return not (self.with_problems or self.unexplained or self.clients_not_pinned)


def verdict(report: FleetReport) -> FleetVerdict:
    """Count what is left; every operator and proxy device's client must be the pinned one."""
    devices = [
        device
        for row in report.rows
        for device in (
            *((row.operator,) if row.operator else ()),
            *row.stale_operators,
            *(proxy.device for proxy in row.proxies),
        )
    ]
    return FleetVerdict(
        environments=len(report.rows),
        with_problems=sum(1 for row in report.rows if row.problems),
        unexplained=len(report.unexplained),
        clients_not_pinned=tuple(sorted({d.name for d in devices if d.version_status != "pinned"})),
    )


def _view(device: Device) -> DeviceView:
    return DeviceView(
        id=device.id,
        name=device.short_name,
        tags=device.tags,
        online=device.connected_to_control,
        last_seen=device.last_seen,
        client_version=device.client_version,
        version_status=version_status(device.client_version),
    )


def _credential(key: Key, now: datetime) -> CredentialView:
    age = (now - key.created).total_seconds() / 86400 if key.created else None
    return CredentialView(
        id=key.id,
        kind=_KIND_OF_KEY.get(key.key_type, key.key_type or "unknown"),
        description=key.description,
        created=key.created,
        age_days=round(age, 1) if age is not None else None,
    )


def _operator_problems(ref: EnvironmentRef, operator: DeviceView | None) -> list[str]:
    if operator is None:
        return [f"no operator device {ref.hostname} in the tailnet"]
    problems: list[str] = []
    if operator.online is False:
        seen = operator.last_seen.isoformat() if operator.last_seen else "never"
        problems.append(f"operator offline (last seen {seen})")
    if operator.version_status != "pinned":
        shown = operator.client_version or "unknown"
        problems.append(f"operator client {shown} is not the pinned {PINNED_CLIENT_VERSION}")
    return problems


def _row(
    ref: EnvironmentRef, devices: list[Device], keys: list[Key], now: datetime
) -> EnvironmentRow:
    customer, env = ref.customer.name, ref.name
    operators = [d for d in devices if is_operator_device(d, customer, env)]
    operators.sort(key=lambda d: (d.connected_to_control is not True, d.short_name != ref.hostname))
    exposures = {names.exposure_hostname(customer, env, x): x for x in ref.environment.exposures}
    proxies = tuple(
        ProxyView(_view(d), exposures.get(d.hostname) or exposures.get(d.short_name))
        for d in devices
        if d not in operators
    )
    expected = ref.environment.credentials.value
    credentials = tuple(_credential(k, now) for k in keys)
    problems: list[str] = []
    operator = _view(operators[0]) if operators else None
    if ref.active:
        problems += _operator_problems(ref, operator)
        if len(operators) > 1:
            problems.append(f"{len(operators) - 1} stale operator device(s) (name clash)")
        if not credentials:
            problems.append(f"no credential described {credential_description(customer, env)!r}")
        if len(credentials) > 1:
            problems.append(f"{len(credentials)} credentials (one expected)")
        problems += [
            f"credential {c.id} is {c.kind}, the registry says {expected}"
            for c in credentials
            if c.kind != expected
        ]
    elif devices or credentials:
        problems.append(
            f"revoked, yet {len(devices)} device(s) and {len(credentials)} credential(s) remain"
        )
    return EnvironmentRow(
        customer=customer,
        environment=env,
        active=ref.active,
        hostname=ref.hostname,
        expected_credential=expected,
        operator=operator,
        stale_operators=tuple(_view(d) for d in operators[1:]),
        proxies=proxies,
        credentials=credentials,
        problems=tuple(problems),
    )


def _owner(tags: Iterable[str], known: Set[str]) -> tuple[str | None, str | None]:
    """(the one registry customer owning all the tags, or None; why not, or None)."""
    tags = tuple(tags)
    customer_tags = [t for t in tags if is_customer_space_tag(t)]
    candidates = {c for t in customer_tags for c in tag_customers(t) if c in known}
    owners = [c for c in sorted(candidates) if owned_by(tags, c)]
    if len(owners) == 1:
        return owners[0], None
    if not candidates:
        return None, "tags of no registered customer"
    return None, "tags of more than one owner"


def build_fleet(
    registry: Registry, devices: Iterable[Device], keys: Iterable[Key], now: datetime
) -> FleetReport:
    """The fleet as the registry expects it and as the tailnet has it."""
    known = {c.name: c for c in registry.customers}
    known_names = frozenset(known)  # built once: a set per device made the report quadratic
    by_env: dict[tuple[str, str], tuple[list[Device], list[Key]]] = {
        (ref.customer.name, ref.name): ([], []) for ref in registry.environments()
    }
    unexplained: list[Unexplained] = []
    for device in sorted(devices, key=lambda d: (d.short_name, d.id)):
        if not any(is_customer_space_tag(t) for t in device.tags):
            continue
        owner, why = _owner(device.tags, known_names)
        env = device_environment(device, owner, known[owner].environments) if owner else None
        if owner is None or env is None:
            reason = why or f"tags of {owner}, but the name matches no environment of {owner}"
            unexplained.append(
                Unexplained("device", device.id, device.short_name, device.tags, reason)
            )
            continue
        by_env[(owner, env)][0].append(device)
        ref = EnvironmentRef(known[owner], env)
        exposures = {names.exposure_hostname(owner, env, x) for x in ref.environment.exposures}
        registered = is_operator_device(device, owner, env) or device.hostname in exposures
        if not ref.active:
            unexplained.append(
                Unexplained(
                    "device", device.id, device.short_name, device.tags, f"{ref.stack} is revoked"
                )
            )
        elif not registered:
            unexplained.append(
                Unexplained(
                    "device",
                    device.id,
                    device.short_name,
                    device.tags,
                    f"no operator or exposure of {ref.stack} has this name",
                )
            )
    for key in sorted(keys, key=lambda k: k.id):
        if not any(is_customer_space_tag(t) for t in key.all_tags):
            continue
        owner, why = _owner(key.all_tags, known_names)
        label = key.description or key.key_type or "key"
        if owner is None:
            unexplained.append(Unexplained("credential", key.id, label, key.all_tags, why or ""))
            continue
        customer = known[owner]
        env = key_environment(key, owner, customer.environments)
        if env is not None:
            by_env[(owner, env)][1].append(key)
            if not customer.active(env):
                unexplained.append(
                    Unexplained(
                        "credential", key.id, label, key.all_tags, f"{owner}-{env} is revoked"
                    )
                )
        elif customer.revoked or not any(customer.active(e) for e in customer.environments):
            unexplained.append(
                Unexplained("credential", key.id, label, key.all_tags, f"{owner} is revoked")
            )
        elif key.key_type != "auth":  # auth keys are minted by the operators themselves
            unexplained.append(
                Unexplained(
                    "credential",
                    key.id,
                    label,
                    key.all_tags,
                    f"describes no environment of {owner}",
                )
            )
    rows = tuple(
        _row(ref, *by_env[(ref.customer.name, ref.name)], now) for ref in registry.environments()
    )
    return FleetReport(now, PINNED_CLIENT_VERSION, rows, tuple(unexplained))
