"""The offline checker: does a policy document hold the access model's invariants? Fail closed.

Works on any document (the generated one, or a live one fetched from Tailscale) against the
registry, read through the one policy reader (hfaccess.policy.reader), and reports every
violation as one line; it never raises on malformed input. What it cannot prove harmless to
customer isolation is a violation. The numbers are those of the "Invariants" list in
docs/tailnet-policy.md:

1. every tag referenced is defined in tagOwners;
2. no selector or range that could cover a customer device (`*`, `autogroup:tagged`, unknown
   autogroups, tailnet addresses directly or through hosts/ipsets, `svc:`, unknown forms) in a
   src or dst, no `via` but Highflame's own tags, no rule whose src is a customer tag (except
   the paths of hfaccess.policy.allowances);
3. only `group:highflame-sre` (exactly its configured members) reaches a customer's tags: its
   API server proxy on tcp:443 with the Kubernetes capability impersonating exactly
   `highflame-sre`, its proxies on exactly the exposed ports;
4. a customer's device tags are owned only by its operator tag, the operator tag only by
   admins or the configured automation identity, followed transitively, and no customer tag
   owns another's tags;
5. a revoked customer's tags stay defined but nothing reaches them; nothing reaches a port
   exposed only by revoked environments;
6. tests exist: SRE accepted at each active customer's proxy, denied at revoked ones, and each
   customer's devices denied reaching another customer; no test accepts a path isolation forbids;
7. names derived from customers never collide;
8. posture, recording and elevation (hfaccess.policy.elevation): postures defined exactly as
   configured, standing SRE grants posture-gated, elevated grants exactly as break-glass
   allows (one engineer, its environment's posture and group, recorded), and every recorded
   customer's operator reaching the recorder (the one rule a customer tag may be the source
   of, an allowance checked under invariant 2);
9. no node attribute (Funnel or any other) or app capability on customer devices, and no
   auto-approver that is a customer tag or a wide selector;
10. the customers' tag space (`tag:cust-*`, `tag:k8s*`) holds only registered customers' tags.

Structure (0): the document is not a policy, a section is malformed, or a section is unknown.
Every check is linear in the size of the document plus the registry.
"""

from __future__ import annotations

import ipaddress
import re
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from hfaccess.policy.access import API_SERVER_PORT, CustomerAccess
from hfaccess.policy.allowances import Allowances, policy_allowances
from hfaccess.policy.builder import customer_accesses
from hfaccess.policy.capability import KUBERNETES_CAPABILITY
from hfaccess.policy.elevation import ElevationView
from hfaccess.policy.reader import Policy, host_of, read_policy, strings_in
from hfaccess.policy.rules import Rule, policy_rules
from hfaccess.registry import names
from hfaccess.registry.collisions import collisions
from hfaccess.registry.workspace import AccessModel

WIDE = frozenset({"*", "autogroup:tagged", "autogroup:danger-all"})
WILDCARDS = WIDE  # kept for callers of the earlier name
# Autogroups that only ever contain users' (untagged) devices or users: never a customer device.
USER_AUTOGROUPS = frozenset(
    {
        "autogroup:member",
        "autogroup:admin",
        "autogroup:owner",
        "autogroup:it-admin",
        "autogroup:network-admin",
        "autogroup:billing-admin",
        "autogroup:auditor",
        "autogroup:shared",
        "autogroup:nonroot",
    }
)
# Autogroups that are destinations only and name no device of another tailnet member.
DST_AUTOGROUPS = frozenset({"autogroup:self", "autogroup:internet"})
# Every tailnet device address lives in these ranges: a rule naming them may name a customer.
TAILNET_RANGES = (
    ipaddress.ip_network("100.64.0.0/10"),
    ipaddress.ip_network("fd7a:115c:a1e0::/48"),
)
ADMINS = "autogroup:admin"
_TAG_RE = re.compile(r"^(tag:[^:\s]+)(?::.*)?$")
_LOGIN_RE = re.compile(r"^[^@\s:]+@[^@\s:]+$")


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

    def customer_side(self, selector: str) -> bool:
        """A registered customer's tag, or any tag in the customers' tag space."""
        return self.of(selector) is not None or names.in_customer_tag_space(selector)


def _index(model: AccessModel) -> _Tags:
    owner: dict[str, str] = {}
    access: dict[str, CustomerAccess] = {}
    for item in customer_accesses(model):
        access[item.name] = item
        for tag in names.customer_tags(item.name):
            owner.setdefault(tag, item.name)
    return _Tags(owner, access, ElevationView.of(model.registry, model.highflame))


def _undefined_tags(
    document: dict[str, Any], owners: Mapping[str, tuple[str, ...]], tags: _Tags
) -> Iterator[Violation]:
    references: list[tuple[str, str]] = []
    for section, content in document.items():
        if section == "tagOwners" and isinstance(content, dict):
            # Its keys are the definitions themselves; only the owners are references.
            for tag, listed in content.items():
                references.extend(strings_in(listed, f"tagOwners.{tag}", "tag:"))
        elif section in ("postures", "defaultSrcPosture"):
            continue  # conditions are expressions, not selectors
        else:
            references.extend(strings_in(content, str(section), "tag:"))
    for path, text in references:
        match = _TAG_RE.match(text)
        if match and match.group(1) not in owners:
            yield Violation(1, path, f"{match.group(1)} is used but not defined in tagOwners")
    for customer in tags.access:
        for tag in names.customer_tags(customer):
            if tag not in owners:
                invariant = 1 if tags.access[customer].reachable else 5
                yield Violation(invariant, "tagOwners", f"{tag} (customer {customer}) is missing")


# --- selectors -------------------------------------------------------------------------------


def _network(text: str) -> list[ipaddress.IPv4Network | ipaddress.IPv6Network] | None:
    """An address, prefix or `a-b` range as networks; None when `text` is none of these."""
    try:
        return [ipaddress.ip_network(text, strict=False)]
    except ValueError:
        pass
    first, sep, last = text.partition("-")
    if not sep:
        return None
    try:
        start, end = ipaddress.ip_address(first), ipaddress.ip_address(last)
        return list(ipaddress.summarize_address_range(start, end))
    except (ValueError, TypeError):
        return None


def _covers_tailnet(networks: Iterable[ipaddress.IPv4Network | ipaddress.IPv6Network]) -> bool:
    return any(
        network.version == tailnet.version and network.overlaps(tailnet)
        for network in networks
        for tailnet in TAILNET_RANGES
    )


class _Selectors:
    """Judges selectors: could this one cover a device that is not Highflame's or a user's?"""

    def __init__(self, policy: Policy, tags: _Tags) -> None:
        self.policy = policy
        self.tags = tags

    def _address_risk(self, text: str, seen: frozenset[str]) -> str | None:
        if text.startswith("ipset:"):
            if text in seen:
                return f"{text} refers to itself"
            entries = self.policy.ipsets.get(text)
            if entries is None:
                return f"{text} is not defined in ipsets"
            for entry in entries:
                if entry.startswith("remove:"):
                    continue  # removing addresses can only narrow the set
                risk = self._address_risk(entry.removeprefix("add:"), seen | {text})
                if risk is not None:
                    return f"{text}: {risk}"
            return None
        if text.startswith("host:"):
            text = text.removeprefix("host:")
        if text in self.policy.hosts:
            address = self.policy.hosts[text]
            networks = _network(address)
            if networks is None:
                return f"host {text} is {address!r}, not an address or prefix"
            if _covers_tailnet(networks):
                return f"host {text} ({address}) covers tailnet device addresses"
            return None
        networks = _network(text)
        if networks is None:
            return f"{text!r} is no selector the checker knows"
        if _covers_tailnet(networks):
            return f"{text!r} covers tailnet device addresses"
        return None

    def risk(self, selector: str, *, destination: bool) -> str | None:
        """Why `selector` could cover a customer device (beyond a registered customer tag)."""
        if selector in WIDE:
            return f"contains {selector!r}"
        if selector.startswith("tag:"):
            if self.tags.of(selector) is None and names.in_customer_tag_space(selector):
                return f"{selector} is in the customers' tag space but no registered customer's"
            return None
        if selector.startswith("autogroup:"):
            if selector in USER_AUTOGROUPS or (destination and selector in DST_AUTOGROUPS):
                return None
            return f"{selector} is no autogroup the checker can prove excludes customer devices"
        if selector.startswith("group:") or _LOGIN_RE.fullmatch(selector):
            return None  # users' devices (groups hold users only)
        if selector.startswith("svc:"):
            return f"{selector}: a service is hosted by whichever devices advertise it"
        return self._address_risk(selector, frozenset())


# --- rules -----------------------------------------------------------------------------------


def _rule_selectors(
    rule: Rule, tags: _Tags, selectors: _Selectors, allowances: Allowances
) -> Iterator[Violation]:
    for selector in rule.src:
        customer = tags.of(selector)
        if customer is not None:
            yield from _customer_source(rule, selector, customer, allowances)
            continue
        risk = selectors.risk(selector, destination=False)
        if risk is not None:
            yield Violation(2, rule.where, f"src {risk}")
    for target in rule.targets:
        risk = selectors.risk(target.host, destination=True)
        if risk is not None:
            yield Violation(2, rule.where, f"dst {risk}")
    for router in rule.via:
        if not router.startswith("tag:") or tags.customer_side(router):
            yield Violation(
                2, rule.where, f"via {router}: traffic may route only through Highflame's own tags"
            )


def _customer_source(
    rule: Rule, selector: str, customer: str, allowances: Allowances
) -> Iterator[Violation]:
    paths = allowances.customer_paths(selector)
    allowed = {(p.dst, port) for p in paths for port in p.ports}
    covered = bool(paths) and not rule.app and not rule.via
    covered = covered and all(
        (target.host, port) in allowed for target in rule.targets for port in target.ports
    )
    if not covered:
        yield Violation(
            2,
            rule.where,
            f"src {selector} is customer {customer}'s tag: customer devices must initiate "
            "nothing in the tailnet",
        )


def _sre_reach(
    rule: Rule,
    tags: _Tags,
    sre_group: str,
    allowances: Allowances,
    reached: dict[str, set[str]],
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
        if rule.via:
            yield Violation(3, rule.where, f"{target.host} is reached directly, never via a router")
            continue
        if rule.src != (sre_group,):
            elevated = tags.elevation.elevated_target(rule, target.host, customer)
            if elevated is not None:  # a break-glass grant: judged by its own rules
                yield from (Violation(*finding) for finding in elevated)
                continue
        gated = rule.src != (sre_group,) and _posture_gated(rule, allowances)
        if rule.src != (sre_group,) and not gated:
            yield Violation(
                3, rule.where, f"only {sre_group} may reach {target.host} (src: {list(rule.src)})"
            )
            continue
        yield from _target_ports(rule, target.host, target.ports, access, tags.elevation)
        if gated:
            continue  # an exception never counts as the SRE group's own reach
        yield from (Violation(*f) for f in tags.elevation.standing_posture_of(rule))
        reached[target.host].update(target.ports)
        if target.host == access.device_tag and rule.app.get(KUBERNETES_CAPABILITY) is not None:
            reached[target.host].add(KUBERNETES_CAPABILITY)


def _posture_gated(rule: Rule, allowances: Allowances) -> bool:
    if not rule.src:
        return False
    return all(
        any(g.posture in rule.src_posture for g in allowances.gated(src)) for src in rule.src
    )


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


def _group_members(
    document: dict[str, Any], policy: Policy, model: AccessModel
) -> Iterator[Violation]:
    sre = model.highflame.sre_group
    groups = document.get("groups", {})
    listed = policy.groups.get(sre) if isinstance(groups, dict) and sre in groups else None
    expected = sorted(model.highflame.sre.members)
    shown = list(listed) if listed is not None else "no list of logins"
    if listed is None or sorted(m.lower() for m in listed) != expected:
        yield Violation(
            3,
            f"groups.{sre}",
            f"must list exactly the SRE members {expected}, got {shown}",
        )


# --- ownership -------------------------------------------------------------------------------


def _effective_owners(tag: str, owners: Mapping[str, tuple[str, ...]]) -> set[str]:
    """Everyone who can apply `tag`: its owners, and whoever can apply an owning tag, and so on.

    A tag with no owners (`[]`) is applied by admins only.
    """
    found: set[str] = set()
    pending = [tag]
    visited: set[str] = set()
    while pending:
        current = pending.pop()
        if current in visited:
            continue
        visited.add(current)
        listed = owners.get(current, ())
        if not listed:
            found.add(ADMINS)
        for owner in listed:
            found.add(owner)
            if owner.startswith("tag:"):
                pending.append(owner)
    return found


def _ownership(
    owners: Mapping[str, tuple[str, ...]], model: AccessModel, tags: _Tags
) -> Iterator[Violation]:
    configured = set(model.highflame.operator_tag_owners)
    allowed_operator_owners = {*configured, ADMINS}
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
                continue
            for owner in owners[operator]:
                if not owner.startswith("tag:"):
                    continue
                through = sorted(_effective_owners(owner, owners) - allowed_operator_owners)
                through = [t for t in through if t != operator]
                if through:
                    yield Violation(
                        4,
                        f"tagOwners.{owner}",
                        f"{through} can apply {owner}, which owns {operator}: they would own "
                        f"customer {customer}'s tags; only admins or "
                        f"{model.highflame.operator_tag_owners} may",
                    )
    for tag, listed in owners.items():
        for owner in listed:
            holder = tags.of(owner)
            if holder is None:
                if names.in_customer_tag_space(owner) and not names.in_customer_tag_space(tag):
                    yield Violation(
                        4, f"tagOwners.{tag}", f"is owned by {owner}, a tag in the customers' space"
                    )
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


def _tag_space(owners: Mapping[str, tuple[str, ...]], tags: _Tags) -> Iterator[Violation]:
    for tag in owners:
        if names.in_customer_tag_space(tag) and tags.of(tag) is None:
            yield Violation(
                10,
                f"tagOwners.{tag}",
                "is in the customers' tag space (tag:cust-*, tag:k8s*) but belongs to no "
                "registered customer; only customers/<name>.yaml defines tags there",
            )


# --- node attributes, auto-approvers, postures -----------------------------------------------


def _node_attrs(policy: Policy, tags: _Tags, selectors: _Selectors) -> Iterator[Violation]:
    for entry in policy.node_attrs:
        what = ", ".join([*entry.attr, *entry.app]) or "nothing"
        for target in entry.target:
            if tags.customer_side(target):
                yield Violation(
                    9, entry.where, f"target {target} is a customer tag: no attributes ({what})"
                )
                continue
            risk = selectors.risk(target, destination=False)
            if risk is not None:
                yield Violation(9, entry.where, f"target {risk} (attributes: {what})")


def _auto_approvers(policy: Policy, tags: _Tags, selectors: _Selectors) -> Iterator[Violation]:
    approvers = policy.auto_approvers
    groups: list[tuple[str, tuple[str, ...]]] = [
        *((f"autoApprovers.routes.{k}", v) for k, v in approvers.routes.items()),
        ("autoApprovers.exitNode", approvers.exit_node),
        *((f"autoApprovers.services.{k}", v) for k, v in approvers.services.items()),
    ]
    for where, listed in groups:
        for approver in listed:
            if tags.customer_side(approver):
                yield Violation(
                    9, where, f"{approver} is a customer tag: customer devices approve nothing"
                )
                continue
            risk = selectors.risk(approver, destination=False)
            if risk is None and approver == "autogroup:member":
                risk = "autogroup:member lets any member's device approve itself"
            if risk is not None:
                yield Violation(9, where, risk)


def _postures(policy: Policy) -> Iterator[Violation]:
    for name in policy.postures:
        if not name.startswith("posture:"):
            yield Violation(0, f"postures.{name}", "a posture's name starts with 'posture:'")
    references: list[tuple[str, tuple[str, ...]]] = [
        ("defaultSrcPosture", policy.default_src_posture),
        *((g.where, g.src_posture) for g in policy.grants),
        *((a.where, a.src_posture) for a in policy.acls),
        *((s.where, s.src_posture) for s in policy.ssh),
    ]
    for where, listed in references:
        for posture in listed:
            if posture not in policy.postures:
                yield Violation(0, f"{where}.srcPosture", f"{posture} is not defined in postures")


def _ssh_recorders(policy: Policy, tags: _Tags) -> Iterator[Violation]:
    for rule in policy.ssh:
        for recorder in rule.recorder:
            if tags.customer_side(recorder):
                yield Violation(2, rule.where, f"recorder {recorder} is a customer tag")


# --- tests -----------------------------------------------------------------------------------


def _test_index(policy: Policy) -> dict[str, tuple[set[str], set[str]]]:
    index: dict[str, tuple[set[str], set[str]]] = defaultdict(lambda: (set(), set()))
    for test in policy.tests:
        index[test.src][0].update(test.accept)
        index[test.src][1].update(test.deny)
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
            isolated = any(tags.of(host_of(d)) not in (None, customer) for d in denies)
            if not isolated:
                yield Violation(
                    6, "tests", f"no test denies {device} reaching another customer's tags"
                )


def _allowed_test_accept(
    src: str, entry: str, model: AccessModel, tags: _Tags, allowances: Allowances
) -> bool:
    host, port = host_of(entry), entry[len(host_of(entry)) + 1 :]
    customer_src = tags.customer_side(src)
    if customer_src:
        return any(
            path.dst == host and any(p.split(":")[-1] == port for p in path.ports)
            for path in allowances.customer_paths(src)
        )
    customer = tags.of(host)
    if customer is None:
        return not names.in_customer_tag_space(host)
    engineers = {model.highflame.sre_group, *model.highflame.sre.members}
    engineers |= {g.src for g in allowances.posture_gated_sources}
    access = tags.access[customer]
    if src not in engineers or not access.reachable:
        return False
    if host == access.device_tag:
        return port == str(API_SERVER_PORT)
    return host == access.proxy_tag and port in {str(p) for p in access.ports}


def _forbidden_accepts(
    policy: Policy, model: AccessModel, tags: _Tags, allowances: Allowances
) -> Iterator[Violation]:
    for test in policy.tests:
        for entry in test.accept:
            if not _allowed_test_accept(test.src, entry, model, tags, allowances):
                yield Violation(
                    6, test.where, f"accepts {test.src} at {entry}: a path isolation forbids"
                )
    for ssh_test in policy.ssh_tests:
        customer_src = tags.customer_side(ssh_test.src)
        for entry in (*ssh_test.accept, *ssh_test.check):
            targets = [d for d in ssh_test.dst if tags.customer_side(host_of(d))]
            if customer_src or targets:
                yield Violation(
                    6,
                    ssh_test.where,
                    f"expects ssh as {entry} from {ssh_test.src} to {list(ssh_test.dst)}: "
                    "nobody gets ssh to or from customer devices",
                )


def _collisions(model: AccessModel) -> Iterator[Violation]:
    for namespace, name, claims in collisions((c, c.name) for c in model.registry.customers):
        customers = sorted({owner for owner, _ in claims})
        yield Violation(
            7, "registry", f"{namespace} {name!r} is derived from customers {customers}"
        )


def _dedupe(items: Iterable[Violation]) -> list[Violation]:
    return sorted(set(items))


def check_policy(document: Any, model: AccessModel) -> list[Violation]:
    """Every violation of the invariants in `document` against `model`, sorted; [] when sound."""
    if not isinstance(document, dict):
        return [Violation(0, "(document)", "a policy must be a JSON object")]
    policy = read_policy(document)
    found: list[Violation] = []
    found.extend(Violation(0, *problem.split(": ", 1)) for problem in policy.problems)
    found.extend(
        Violation(0, section, "unknown section: the checker cannot prove it harmless")
        for section in policy.unknown
    )
    tags = _index(model)
    allowances = policy_allowances(model)
    selectors = _Selectors(policy, tags)
    sre = model.highflame.sre_group
    reached: dict[str, set[str]] = defaultdict(set)
    rules = list(policy_rules(policy))
    for rule in rules:
        found.extend(_rule_selectors(rule, tags, selectors, allowances))
        found.extend(_sre_reach(rule, tags, sre, allowances, reached))
    found.extend(Violation(*f) for f in tags.elevation.document_findings(document, rules))
    found.extend(_undefined_tags(document, policy.tag_owners, tags))
    found.extend(_missing_reach(tags, reached, sre))
    found.extend(_group_members(document, policy, model))
    found.extend(_ownership(policy.tag_owners, model, tags))
    found.extend(_tag_space(policy.tag_owners, tags))
    found.extend(_node_attrs(policy, tags, selectors))
    found.extend(_auto_approvers(policy, tags, selectors))
    found.extend(_postures(policy))
    found.extend(_ssh_recorders(policy, tags))
    found.extend(_tests(_test_index(policy), model, tags))
    found.extend(_forbidden_accepts(policy, model, tags, allowances))
    found.extend(_collisions(model))
    return _dedupe(found)
