"""The offline checker: does a policy document hold the access model's invariants?

Works on any document (the generated one, or a live one fetched from Tailscale) against the
registry, and reports every violation as one line; it never raises on malformed input. The
numbers are those of the "Invariants" list in docs/tailnet-policy.md:

1. every tag referenced is defined in tagOwners;
2. no `*`, `autogroup:tagged` or tailnet-wide address range in a src or dst, and no rule whose
   src is a customer tag;
3. only `group:highflame-sre` (exactly its configured members) reaches a customer's tags: its
   API server proxy on tcp:443 with the Kubernetes capability impersonating exactly
   `highflame-sre`, its proxies on exactly the exposed ports;
4. a customer's device tags are owned only by its operator tag, the operator tag only by
   admins or the configured automation identity, and no customer tag owns another's tags;
5. a revoked customer's tags stay defined but nothing reaches them; nothing reaches a port
   exposed only by revoked environments;
6. tests exist: SRE accepted at each active customer's proxy, denied at revoked ones, and each
   customer's devices denied reaching another customer;
7. names derived from customers never collide;
8. posture, recording and elevation (hfaccess.policy.elevation): postures defined exactly as
   configured, standing SRE grants posture-gated, elevated grants exactly as break-glass
   allows (one engineer, its environment's posture and group, recorded), and every recorded
   customer's operator reaching the recorder (the one rule a customer tag may be the source
   of, checked under invariant 2).

Every check is linear in the size of the document plus the registry.
"""

from __future__ import annotations

import ipaddress
import re
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from hfaccess import names
from hfaccess.policy.access import API_SERVER_PORT, CustomerAccess
from hfaccess.policy.builder import customer_accesses
from hfaccess.policy.capability import KUBERNETES_CAPABILITY
from hfaccess.policy.elevation import ElevationView
from hfaccess.policy.rules import Rule, access_rules, split_host_port, string_list
from hfaccess.registry import derived_names
from hfaccess.workspace import AccessModel

WILDCARDS = frozenset({"*", "autogroup:tagged"})
# Every tailnet device address lives in these ranges: a rule naming them names every device.
TAILNET_RANGES = (
    ipaddress.ip_network("100.64.0.0/10"),
    ipaddress.ip_network("fd7a:115c:a1e0::/48"),
)
ADMINS = "autogroup:admin"
_TAG_RE = re.compile(r"^(tag:[^:\s]+)(?::.*)?$")


@dataclass(frozen=True, order=True)
class Violation:
    """One broken invariant (0: the document is not a policy at all) at one place."""

    invariant: int
    where: str
    message: str

    def __str__(self) -> str:
        label = f"invariant {self.invariant}" if self.invariant else "structure"
        return f"{label}: {self.where}: {self.message}"


@dataclass(frozen=True)
class _Tags:
    """Who owns which customer tag, and what each customer may be reached on."""

    owner: dict[str, str]  # customer tag -> customer name
    access: dict[str, CustomerAccess]  # customer name -> access
    elevation: ElevationView  # postures, recording, break-glass (the builder's own view)

    def of(self, host: str) -> str | None:
        return self.owner.get(host)

    def is_device_tag(self, host: str) -> bool:
        customer = self.owner.get(host)
        return customer is not None and host != names.operator_tag(customer)


def _index(model: AccessModel) -> _Tags:
    owner: dict[str, str] = {}
    access: dict[str, CustomerAccess] = {}
    for item in customer_accesses(model):
        access[item.name] = item
        for tag in names.customer_tags(item.name):
            owner.setdefault(tag, item.name)
    return _Tags(owner, access, ElevationView.of(model.registry, model.highflame))


def _strings(value: Any, path: str) -> Iterator[tuple[str, str]]:
    if isinstance(value, str):
        yield path, value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield path, str(key)
            yield from _strings(item, f"{path}.{key}")
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _strings(item, f"{path}[{index}]")


def _tag_owners(document: dict[str, Any], found: list[Violation]) -> dict[str, tuple[str, ...]]:
    raw = document.get("tagOwners", {})
    if not isinstance(raw, dict):
        found.append(Violation(0, "tagOwners", "must be an object"))
        return {}
    owners: dict[str, tuple[str, ...]] = {}
    for tag, listed in raw.items():
        values = string_list(listed)
        if values is None:
            found.append(Violation(0, f"tagOwners.{tag}", "must be a list of strings"))
            values = ()
        owners[str(tag)] = values
    return owners


def _undefined_tags(
    document: dict[str, Any], owners: dict[str, tuple[str, ...]], tags: _Tags
) -> Iterator[Violation]:
    references: list[tuple[str, str]] = []
    for section, content in document.items():
        if section == "tagOwners" and isinstance(content, dict):
            # Its keys are the definitions themselves; only the owners are references.
            for tag, listed in content.items():
                references.extend(_strings(listed, f"tagOwners.{tag}"))
        else:
            references.extend(_strings(content, str(section)))
    for path, text in references:
        match = _TAG_RE.match(text)
        if match and match.group(1) not in owners:
            yield Violation(1, path, f"{match.group(1)} is used but not defined in tagOwners")
    for customer in tags.access:
        for tag in names.customer_tags(customer):
            if tag not in owners:
                invariant = 1 if tags.access[customer].reachable else 5
                yield Violation(invariant, "tagOwners", f"{tag} (customer {customer}) is missing")


def _covers_tailnet(host: str, hosts: dict[str, Any]) -> bool:
    address = hosts.get(host, host)
    if not isinstance(address, str):
        return False
    try:
        network = ipaddress.ip_network(address, strict=False)
    except ValueError:
        return False
    return any(
        network.version == tailnet.version and network.overlaps(tailnet)
        for tailnet in TAILNET_RANGES
    )


def _wildcards(rule: Rule, tags: _Tags, hosts: dict[str, Any]) -> Iterator[Violation]:
    for selector in rule.src:
        if selector in WILDCARDS:
            yield Violation(2, rule.where, f"src contains {selector!r}")
        elif tags.of(selector) is not None and not tags.elevation.is_recorder_rule(rule):
            yield Violation(
                2,
                rule.where,
                f"src {selector} is customer {tags.of(selector)}'s tag: customer "
                "devices must initiate nothing in the tailnet",
            )
        elif _covers_tailnet(selector, hosts):
            yield Violation(2, rule.where, f"src {selector!r} covers tailnet device addresses")
    for target in rule.targets:
        if target.host in WILDCARDS:
            yield Violation(2, rule.where, f"dst contains {target.host!r}")
        elif _covers_tailnet(target.host, hosts):
            yield Violation(2, rule.where, f"dst {target.host!r} covers every tailnet device")


def _sre_reach(
    rule: Rule, tags: _Tags, sre_group: str, reached: dict[str, set[str]]
) -> Iterator[Violation]:
    """Invariants 3 and 5 for one rule; records what SRE reach in `reached` (tag -> ports)."""
    for target in rule.targets:
        customer = tags.of(target.host)
        if customer is None or not tags.is_device_tag(target.host):
            if customer is not None:
                yield Violation(
                    3, rule.where, f"{target.host} is an OAuth client's tag; no rule may reach it"
                )
            continue
        access = tags.access[customer]
        if not access.reachable:
            yield Violation(
                5,
                rule.where,
                f"customer {customer} is revoked, yet this rule reaches {target.host}",
            )
            continue
        if rule.src != (sre_group,):
            elevated = tags.elevation.elevated_target(rule, target.host, customer)
            if elevated is not None:
                yield from (Violation(*finding) for finding in elevated)
                continue
            yield Violation(
                3, rule.where, f"only {sre_group} may reach {target.host} (src: {list(rule.src)})"
            )
            continue
        yield from _target_ports(rule, target.host, target.ports, access, tags.elevation)
        yield from (Violation(*f) for f in tags.elevation.standing_posture_of(rule))
        reached[target.host].update(target.ports)
        if target.host == access.device_tag and rule.app.get(KUBERNETES_CAPABILITY) is not None:
            reached[target.host].add(KUBERNETES_CAPABILITY)


def _target_ports(
    rule: Rule,
    host: str,
    ports: tuple[str, ...],
    access: CustomerAccess,
    elevation: ElevationView,
) -> Iterator[Violation]:
    if host == access.device_tag:
        allowed = {f"tcp:{API_SERVER_PORT}"}
        extra = set(rule.app) - {KUBERNETES_CAPABILITY}
        if extra:
            yield Violation(3, rule.where, f"{host} gets app capabilities {sorted(extra)}")
        capability = rule.app.get(KUBERNETES_CAPABILITY)
        expected = elevation.standing_capability(access.name)
        if capability is not None and capability != expected:
            yield Violation(
                3,
                rule.where,
                f"{KUBERNETES_CAPABILITY} on {host} must be exactly "
                f"{expected} (never system:*), got {capability}",
            )
    else:
        allowed = {f"tcp:{port}" for port in access.ports}
        if rule.app:
            yield Violation(3, rule.where, f"{host} (exposure proxies) gets app capabilities")
    withdrawn = {f"tcp:{port}" for port in access.withdrawn}
    for port in ports:
        if port in allowed:
            continue
        if host == access.proxy_tag and port in withdrawn:
            yield Violation(5, rule.where, f"{host} on {port}: only revoked environments expose it")
        else:
            yield Violation(
                3, rule.where, f"{host} opened on {port!r}; allowed: {sorted(allowed) or 'none'}"
            )


def _missing_reach(tags: _Tags, reached: dict[str, set[str]], sre: str) -> Iterator[Violation]:
    for customer, access in tags.access.items():
        if not access.reachable:
            continue
        device = reached.get(access.device_tag, set())
        if f"tcp:{API_SERVER_PORT}" not in device or KUBERNETES_CAPABILITY not in device:
            yield Violation(
                3,
                "grants",
                f"{sre} must reach {access.device_tag} on tcp:{API_SERVER_PORT} with "
                f"{KUBERNETES_CAPABILITY} (customer {customer} is active)",
            )
        proxies = reached.get(access.proxy_tag, set())
        for port in access.ports:
            if f"tcp:{port}" not in proxies:
                yield Violation(
                    3, "grants", f"{sre} must reach {access.proxy_tag} on tcp:{port} (exposed)"
                )


def _group_members(document: dict[str, Any], model: AccessModel) -> Iterator[Violation]:
    sre = model.highflame.sre_group
    groups = document.get("groups", {})
    listed = string_list(groups.get(sre)) if isinstance(groups, dict) else None
    expected = sorted(model.highflame.sre.members)
    shown = list(listed) if listed is not None else "no list of logins"
    if listed is None or sorted(m.lower() for m in listed) != expected:
        yield Violation(
            3,
            f"groups.{sre}",
            f"must list exactly the SRE members {expected}, got {shown}",
        )


def _ownership(
    owners: dict[str, tuple[str, ...]], model: AccessModel, tags: _Tags
) -> Iterator[Violation]:
    allowed_operator_owners = {*model.highflame.operator_tag_owners, ADMINS}
    for customer in tags.access:
        operator = names.operator_tag(customer)
        for device in (names.operator_device_tag(customer), names.proxy_tag(customer)):
            if device in owners and owners[device] != (operator,):
                yield Violation(
                    4,
                    f"tagOwners.{device}",
                    f"must be owned only by {operator}, got {list(owners[device])}",
                )
        if operator in owners:
            stray = sorted(set(owners[operator]) - allowed_operator_owners)
            if stray:
                yield Violation(
                    4,
                    f"tagOwners.{operator}",
                    f"owners {stray} are neither admins nor "
                    f"the configured operator_tag_owners {model.highflame.operator_tag_owners}",
                )
    for tag, listed in owners.items():
        for owner in listed:
            holder = tags.of(owner)
            if holder is None:
                continue
            if owner == names.operator_tag(holder) and tag in (
                names.operator_device_tag(holder),
                names.proxy_tag(holder),
            ):
                continue
            yield Violation(
                4,
                f"tagOwners.{tag}",
                f"is owned by customer {holder}'s tag {owner}: that "
                "customer could mint devices carrying it",
            )


def _test_index(
    document: dict[str, Any], found: list[Violation]
) -> dict[str, tuple[set[str], set[str]]]:
    raw = document.get("tests", [])
    index: dict[str, tuple[set[str], set[str]]] = defaultdict(lambda: (set(), set()))
    if not isinstance(raw, list):
        found.append(Violation(0, "tests", "must be a list"))
        return index
    for position, test in enumerate(raw):
        accept = string_list(test.get("accept", [])) if isinstance(test, dict) else None
        deny = string_list(test.get("deny", [])) if isinstance(test, dict) else None
        src = test.get("src") if isinstance(test, dict) else None
        if not isinstance(src, str) or accept is None or deny is None:
            found.append(
                Violation(0, f"tests[{position}]", "needs a string src and lists accept/deny")
            )
            continue
        index[src][0].update(accept)
        index[src][1].update(deny)
    return index


def _tests(
    index: dict[str, tuple[set[str], set[str]]], model: AccessModel, tags: _Tags
) -> Iterator[Violation]:
    sre = model.highflame.sre_group
    engineers = [sre, *model.highflame.sre.members]
    accepted = set().union(*(index[s][0] for s in engineers if s in index))
    denied = set().union(*(index[s][1] for s in engineers if s in index))
    for customer, access in tags.access.items():
        proxy = f"{access.device_tag}:{API_SERVER_PORT}"
        if model.highflame.sre.members:
            if access.reachable and proxy not in accepted:
                yield Violation(6, "tests", f"no test accepts {sre} at {proxy} ({customer})")
            if not access.reachable and proxy not in denied:
                yield Violation(6, "tests", f"no test denies {sre} at {proxy} (revoked {customer})")
        if len(tags.access) < 2:
            continue
        for device in (access.device_tag, access.proxy_tag):
            denies = index[device][1] if device in index else set()
            isolated = any(tags.of(split_host_port(d)[0]) not in (None, customer) for d in denies)
            if not isolated:
                yield Violation(
                    6, "tests", f"no test denies {device} reaching another customer's tags"
                )


def _collisions(model: AccessModel) -> Iterator[Violation]:
    claimed: dict[tuple[str, str], set[str]] = defaultdict(set)
    for customer in model.registry.customers:
        for namespace, name, _ in derived_names(customer):
            claimed[(namespace, name)].add(customer.name)
    for (namespace, name), customers in sorted(claimed.items()):
        if len(customers) > 1:
            yield Violation(
                7, "registry", f"{namespace} {name!r} is derived from customers {sorted(customers)}"
            )


def _dedupe(items: Iterable[Violation]) -> list[Violation]:
    return sorted(set(items))


def check_policy(document: Any, model: AccessModel) -> list[Violation]:
    """Every violation of invariants 1-8 in `document` against `model`, sorted; [] when sound."""
    if not isinstance(document, dict):
        return [Violation(0, "(document)", "a policy must be a JSON object")]
    found: list[Violation] = []
    tags = _index(model)
    sre = model.highflame.sre_group
    owners = _tag_owners(document, found)
    hosts = document.get("hosts", {})
    hosts = hosts if isinstance(hosts, dict) else {}
    problems: list[str] = []
    reached: dict[str, set[str]] = defaultdict(set)
    rules = list(access_rules(document, problems))
    for rule in rules:
        found.extend(_wildcards(rule, tags, hosts))
        found.extend(_sre_reach(rule, tags, sre, reached))
    found.extend(Violation(*f) for f in tags.elevation.document_findings(document, rules))
    found.extend(Violation(0, *problem.split(": ", 1)) for problem in problems)
    found.extend(_undefined_tags(document, owners, tags))
    found.extend(_missing_reach(tags, reached, sre))
    found.extend(_group_members(document, model))
    found.extend(_ownership(owners, model, tags))
    found.extend(_tests(_test_index(document, found), model, tags))
    found.extend(_collisions(model))
    return _dedupe(found)
