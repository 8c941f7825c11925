"""What customer credentials did on Highflame's tailnet, read from the configuration audit log.

Pure: events (as `GET /api/v2/tailnet/{tailnet}/logging/configuration` returns them), the
tailnet's current devices and keys, and the registry in; findings out. Two kinds of finding:

- **A customer credential acting outside its customer.** The credential in a customer's cluster
  holds tailnet-wide scopes (`devices:core` where the environment has exposures; Tailscale does
  not limit it by tag, tailscale/tailscale#10702). Any action by it on a device, key or tag that
  is not provably that customer's own (all tags within its tag chain; for a device gone since,
  its name under one of the customer's registered environments) is flagged, and so is any
  action on anything else (policy, users, tailnet settings).
- **A device joining under a customer tag that no registered environment explains**: the tag's
  customer is not registered or not active, or the device's name falls under none of its
  active environments (`<c>-<env>-...`).

What cannot be proven fine is flagged: a finding is a question for a person, never a verdict.
A credential is the customer's if its tags are within the customer's tag chain (current key
list) or the log shows it created with such tags.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from hfaccess.registry import names
from hfaccess.registry.models import Registry
from hfaccess.revoke.ownership import device_environment, owned_by, tag_customers
from hfaccess.tsapi.models import Device, Key

NODE_TYPES = frozenset({"NODE", "DEVICE", "MACHINE"})
KEY_TYPES = frozenset({"API_KEY", "KEY", "AUTH_KEY", "OAUTH_CLIENT", "FEDERATED_IDENTITY"})
CREATE_ACTIONS = frozenset({"CREATE", "CREATED", "ADD", "JOIN", "REGISTER"})


@dataclass(frozen=True)
class Event:
    """The fields of one audit event this check reads."""

    time: str
    action: str  # CREATE, UPDATE, DELETE, ... (the event's `type`)
    actor_id: str
    actor_name: str
    target_type: str
    target_id: str
    target_name: str
    target_property: str
    tags: tuple[str, ...]  # every tag named in the event's old/new values

    @classmethod
    def from_api(cls, data: Mapping[str, Any]) -> Event:
        actor = _mapping(data.get("actor"))
        target = _mapping(data.get("target"))
        return cls(
            time=_text(data.get("eventTime")),
            action=_text(data.get("type") or data.get("action")).upper(),
            actor_id=_text(actor.get("id")),
            actor_name=_text(actor.get("loginName") or actor.get("displayName")),
            target_type=_text(target.get("type")).upper(),
            target_id=_text(target.get("id")),
            target_name=_text(target.get("name")),
            target_property=_text(target.get("property")).upper(),
            tags=tuple(sorted(set(_tags_in(data.get("old"))) | set(_tags_in(data.get("new"))))),
        )

    def describe(self) -> str:
        what = self.target_type.lower() or "target"
        name = f" {self.target_name}" if self.target_name else ""
        prop = f" ({self.target_property.lower()})" if self.target_property else ""
        return f"{self.time} {self.action} {what}{name} id {self.target_id or '?'}{prop}"


@dataclass(frozen=True)
class Finding:
    """One event a person must look at, and why."""

    event: Event
    customer: str | None  # the customer whose credential acted, if any
    reason: str

    def line(self) -> str:
        who = (
            f"credential {self.event.actor_id} of {self.customer}"
            if self.customer
            else f"{self.event.actor_name or self.event.actor_id or 'unknown actor'}"
        )
        return f"{self.event.describe()} by {who}: {self.reason}"


def _mapping(value: object) -> Mapping[str, Any]:
    return value if isinstance(value, Mapping) else {}


def _text(value: object) -> str:
    return value if isinstance(value, str) else ""


def _tags_in(value: object) -> Iterable[str]:
    """Every `tag:` string anywhere in an old/new value (a tag list, a key's capabilities)."""
    if isinstance(value, str):
        if value.startswith("tag:"):
            yield value
    elif isinstance(value, Mapping):
        for item in value.values():
            yield from _tags_in(item)
    elif isinstance(value, list):
        for item in value:
            yield from _tags_in(item)


def _operator_customer(tags: Sequence[str]) -> str | None:
    """The customer whose operator tag is the only tag, or None."""
    prefix = names.operator_tag("")
    if len(tags) == 1 and tags[0].startswith(prefix) and len(tags[0]) > len(prefix):
        return tags[0][len(prefix) :]
    return None


def customer_credentials(keys: Iterable[Key], events: Iterable[Event]) -> dict[str, str]:
    """Credential id -> customer: OAuth clients and federated identities carrying only one
    customer's operator tag, now listed or created in the window."""
    found: dict[str, str] = {}
    for key in keys:
        customer = _operator_customer(key.tags)
        if key.key_type in ("client", "federated") and customer is not None:
            found[key.id] = customer
    for event in events:
        customer = _operator_customer(event.tags)
        if event.target_type in KEY_TYPES and event.action in CREATE_ACTIONS and customer:
            found.setdefault(event.target_id, customer)
    return found


@dataclass(frozen=True)
class _Tailnet:
    devices: dict[str, Device]  # by id and by node id
    keys: dict[str, Key]

    @classmethod
    def of(cls, devices: Iterable[Device], keys: Iterable[Key]) -> _Tailnet:
        by_id: dict[str, Device] = {}
        for device in devices:
            by_id[device.id] = device
            if device.node_id:
                by_id[device.node_id] = device
        return cls(by_id, {k.id: k for k in keys})


def _environments(registry: Registry, customer: str, *, active_only: bool) -> list[str]:
    try:
        found = registry.customer(customer)
    except KeyError:
        return []
    return sorted(e for e in found.environments if not active_only or found.active(e))


def _label_env(name: str, customer: str, envs: Sequence[str]) -> str | None:
    label = name.rstrip(".").split(".", 1)[0]
    return device_environment(Device(id="", hostname=label), customer, envs)


def _own_device(event: Event, customer: str, tailnet: _Tailnet, registry: Registry) -> str | None:
    """None if the device is provably the customer's; else why not."""
    device = tailnet.devices.get(event.target_id)
    tags = device.tags if device is not None else ()
    tags = tuple(sorted(set(tags) | set(event.tags)))
    if tags:
        if owned_by(tags, customer):
            return None
        return f"the device carries {', '.join(tags)}, not only {customer}'s tags"
    name = event.target_name or (device.name if device is not None else "")
    envs = _environments(registry, customer, active_only=False)
    if name and _label_env(name, customer, envs) is not None:
        return None
    return f"nothing shows the device was {customer}'s (no tags known, name {name or 'unknown'})"


def _own_key(event: Event, customer: str, tailnet: _Tailnet) -> str | None:
    key = tailnet.keys.get(event.target_id)
    tags = tuple(sorted(set(key.all_tags if key is not None else ()) | set(event.tags)))
    if tags and owned_by(tags, customer):
        return None
    if tags:
        return f"the key carries {', '.join(tags)}, not only {customer}'s tags"
    return f"nothing shows the key was {customer}'s (no tags known)"


def _credential_finding(
    event: Event, customer: str, tailnet: _Tailnet, registry: Registry
) -> Finding | None:
    if event.target_type in NODE_TYPES:
        reason = _own_device(event, customer, tailnet, registry)
    elif event.target_type in KEY_TYPES:
        reason = _own_key(event, customer, tailnet)
    else:
        reason = f"a customer credential acted on a {event.target_type.lower() or 'target'}"
    if reason is None and event.tags and not owned_by(event.tags, customer):
        reason = f"tags outside {customer}'s: {', '.join(event.tags)}"
    return Finding(event, customer, reason) if reason else None


def _join_finding(event: Event, tailnet: _Tailnet, registry: Registry) -> Finding | None:
    """A device that joined under a customer tag: explained by an active environment?"""
    if event.target_type not in NODE_TYPES or event.action not in CREATE_ACTIONS:
        return None
    device = tailnet.devices.get(event.target_id)
    tags = tuple(sorted(set(device.tags if device is not None else ()) | set(event.tags)))
    customers = sorted({c for tag in tags for c in tag_customers(tag) if tag in _device_tags(c)})
    if not customers:
        return None
    name = event.target_name or (device.name if device is not None else "")
    for customer in customers:
        envs = _environments(registry, customer, active_only=True)
        if owned_by(tags, customer) and name and _label_env(name, customer, envs) is not None:
            return None
    registered = [c for c in customers if _environments(registry, c, active_only=False)]
    if not registered:
        why = f"joined with {', '.join(tags)}: no registered customer has these tags"
    else:
        why = (
            f"joined with {', '.join(tags)} as {name or 'an unnamed device'}: no active "
            f"environment of {', '.join(registered)} has that name"
        )
    return Finding(event, None, why)


def _device_tags(customer: str) -> tuple[str, str]:
    return names.operator_device_tag(customer), names.proxy_tag(customer)


def audit_events(
    raw_events: Iterable[Mapping[str, Any]],
    devices: Iterable[Device],
    keys: Iterable[Key],
    registry: Registry,
) -> list[Finding]:
    """Every finding in the window, in the log's order."""
    events = [Event.from_api(e) for e in raw_events]
    keys = list(keys)
    tailnet = _Tailnet.of(devices, keys)
    credentials = customer_credentials(keys, events)
    findings: list[Finding] = []
    for event in events:
        customer = credentials.get(event.actor_id)
        finding = (
            _credential_finding(event, customer, tailnet, registry)
            if customer is not None
            else _join_finding(event, tailnet, registry)
        )
        if finding is not None:
            findings.append(finding)
    return findings
