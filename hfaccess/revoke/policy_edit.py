"""Editing a live policy file so that nothing reaches a set of tags any more: a pure function.

Generic on purpose: the live file may hold grants written by any version of the policy
builder, or by hand. Only the given tags are removed, from rule sources and destinations and
from tests; every entry that does not mention them is carried over as the very same object,
so other customers' and Highflame's entries are byte-identical before and after. `tagOwners`
is never touched: the tags stay defined (a revoked customer's tags must exist, unreachable).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from hfaccess.policy import reader

# Sections whose entries grant access: selector lists that may name the tags.
_RULE_SELECTOR_FIELDS: dict[str, tuple[str, ...]] = {
    "grants": ("src", "dst", "via"),
    "acls": ("src", "users", "dst", "ports"),
    "ssh": ("src", "dst"),
}
# Fields whose entries carry a port (`tag:x:443`); the host part is compared.
_PORTED_FIELDS = frozenset({"acls.dst", "acls.ports"})
_TEST_ACCEPT_FIELDS = ("accept", "allow")  # `allow` is the legacy spelling of `accept`
_WIDE_SELECTORS = frozenset({"*", "autogroup:tagged"})


@dataclass(frozen=True)
class PolicyEdit:
    """The edited policy and one line per change, for the plan a person reviews."""

    policy: dict[str, Any]
    changes: tuple[str, ...]

    @property
    def changed(self) -> bool:
        return bool(self.changes)


def host_of(selector: str) -> str:
    """`tag:x:443` -> `tag:x`; selectors without a port are returned unchanged.

    The one host:port split of the project: the policy reader's (the checker uses it too).
    """
    return reader.host_of(selector)


def _strings(value: object) -> list[str] | None:
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return list(value)
    return None


def _edit_rule(
    section: str, index: int, rule: Mapping[str, Any], tags: frozenset[str]
) -> tuple[dict[str, Any] | None, list[str]]:
    """(the rule without the tags, or None to drop it; change lines)."""
    edited = dict(rule)
    changes: list[str] = []
    emptied: list[str] = []
    for name in _RULE_SELECTOR_FIELDS[section]:
        values = _strings(rule.get(name))
        if not values:
            continue
        ported = f"{section}.{name}" in _PORTED_FIELDS
        kept = [v for v in values if (host_of(v) if ported else v) not in tags]
        if len(kept) == len(values):
            continue
        removed = [v for v in values if v not in kept]
        changes.append(f"{section}[{index}]: {name}: remove {', '.join(removed)}")
        edited[name] = kept
        if not kept:
            emptied.append(name)
    if emptied:
        return None, [f"{section}[{index}]: drop (its {'/'.join(emptied)} named only these tags)"]
    return (edited if changes else None), changes


def _edit_test(
    index: int, test: Mapping[str, Any], tags: frozenset[str]
) -> tuple[dict[str, Any] | None, list[str]]:
    """Drop tests run from the tags; turn `accept` of the tags into `deny`."""
    src = test.get("src")
    if isinstance(src, str) and (src in tags or host_of(src) in tags):
        return None, [f"tests[{index}]: drop (src {src})"]
    edited = dict(test)
    changes: list[str] = []
    deny = _strings(test.get("deny")) or []
    for name in _TEST_ACCEPT_FIELDS:
        values = _strings(test.get(name))
        if not values:
            continue
        moved = [v for v in values if host_of(v) in tags]
        if not moved:
            continue
        kept = [v for v in values if v not in moved]
        if kept:
            edited[name] = kept
        else:
            del edited[name]
        deny += [v for v in moved if v not in deny]
        edited["deny"] = deny
        changes.append(f"tests[{index}]: {name} -> deny: {', '.join(moved)}")
    return (edited if changes else None), changes


def revoke_tags(policy: Mapping[str, Any], tags: Iterable[str]) -> PolicyEdit:
    """The policy with no path left to (or from) devices carrying `tags`.

    Tags are removed from every rule's src/dst/via, rules left with an empty list are dropped,
    tests run from the tags are dropped and tests accepting them now expect deny. Idempotent.
    """
    wanted = frozenset(tags)
    result: dict[str, Any] = dict(policy)
    changes: list[str] = []
    for section in _RULE_SELECTOR_FIELDS:
        rules = policy.get(section)
        if not isinstance(rules, list):
            continue
        kept_rules: list[Any] = []
        section_changes: list[str] = []
        for index, rule in enumerate(rules):
            if not isinstance(rule, Mapping):
                kept_rules.append(rule)
                continue
            edited, lines = _edit_rule(section, index, rule, wanted)
            section_changes += lines
            if not lines:
                kept_rules.append(rule)  # the same object: byte-identical
            elif edited is not None:
                kept_rules.append(edited)
        if section_changes:
            result[section] = kept_rules
            changes += section_changes
    tests = policy.get("tests")
    if isinstance(tests, list):
        kept_tests: list[Any] = []
        test_changes: list[str] = []
        for index, test in enumerate(tests):
            if not isinstance(test, Mapping):
                kept_tests.append(test)
                continue
            edited, lines = _edit_test(index, test, wanted)
            test_changes += lines
            if not lines:
                kept_tests.append(test)
            elif edited is not None:
                kept_tests.append(edited)
        if test_changes:
            result["tests"] = kept_tests
            changes += test_changes
    return PolicyEdit(result if changes else dict(policy), tuple(changes))


def wide_rules(policy: Mapping[str, Any]) -> list[str]:
    """Rules whose destination is every device (`*`, autogroup:tagged): a kill cannot narrow
    them without changing other customers' access, so the plan warns instead."""
    found: list[str] = []
    for section in ("grants", "acls"):
        rules = policy.get(section)
        for index, rule in enumerate(rules if isinstance(rules, list) else []):
            if not isinstance(rule, Mapping):
                continue
            targets: Sequence[str] = _strings(rule.get("dst")) or _strings(rule.get("ports")) or []
            if any(host_of(t) in _WIDE_SELECTORS or t in _WIDE_SELECTORS for t in targets):
                found.append(f"{section}[{index}]")
    return found


def remove_group_member(policy: Mapping[str, Any], group: str, member: str) -> PolicyEdit:
    """The policy with `member` out of `group` (per-engineer revocation, applied live).

    Tests run as that member lose their `accept` entries: the member may now reach nothing,
    and a failing test would make Tailscale refuse the whole write. Their `deny` entries stay.
    """
    wanted = member.lower()
    result: dict[str, Any] = dict(policy)
    changes: list[str] = []
    groups = policy.get("groups")
    listed = groups.get(group) if isinstance(groups, Mapping) else None
    if isinstance(groups, Mapping) and isinstance(listed, list):
        kept = [m for m in listed if not (isinstance(m, str) and m.lower() == wanted)]
        if len(kept) != len(listed):
            result["groups"] = {**groups, group: kept}
            changes.append(f"groups.{group}: remove {member}")
    tests = policy.get("tests")
    if isinstance(tests, list):
        kept_tests: list[Any] = []
        for index, test in enumerate(tests):
            src = test.get("src") if isinstance(test, Mapping) else None
            if not (isinstance(src, str) and src.lower() == wanted):
                kept_tests.append(test)
                continue
            edited = {k: v for k, v in test.items() if k not in _TEST_ACCEPT_FIELDS}
            if edited == dict(test):
                kept_tests.append(test)
                continue
            if edited.get("deny"):
                kept_tests.append(edited)
                changes.append(f"tests[{index}]: drop the accept entries of {member}")
            else:
                changes.append(f"tests[{index}]: drop (it only checked {member}'s access)")
        if any(line.startswith("tests[") for line in changes):
            result["tests"] = kept_tests
    return PolicyEdit(result if changes else dict(policy), tuple(changes))


def direct_mentions(policy: Mapping[str, Any], member: str) -> list[str]:
    """Rules naming `member` itself as a source: group edits do not revoke those."""
    wanted = member.lower()
    found: list[str] = []
    for section in ("grants", "acls", "ssh"):
        rules = policy.get(section)
        for index, rule in enumerate(rules if isinstance(rules, list) else []):
            if not isinstance(rule, Mapping):
                continue
            sources = _strings(rule.get("src")) or []
            if section == "acls":  # legacy `users` is the source; in `ssh` it is unix users
                sources += _strings(rule.get("users")) or []
            if any(s.lower() == wanted for s in sources):
                found.append(f"{section}[{index}]")
    return found
