"""Property-based: on random policies, a kill cuts exactly one customer and nothing else."""

from __future__ import annotations

import copy
import json
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from hfaccess.registry import names
from hfaccess.revoke.policy_edit import host_of, revoke_tags
from tests.support.fake_tailscale import reaches

# Names chosen to collide by prefix with `acme` in every way a string match could go wrong.
CUSTOMERS = ["acme", "acme-prod", "operator-acme", "acmecorp", "globex", "xacme"]
KILLED = "acme"
KILLED_TAGS = frozenset(names.customer_tags(KILLED))
TAGS = sorted({t for c in CUSTOMERS for t in names.customer_tags(c)} | {"tag:highflame-iac"})
PEOPLE = ["alice@highflame.ai", "bob@highflame.ai"]
SELECTORS = [*TAGS, "group:highflame-sre", "group:ops", *PEOPLE]
PORTS = ["tcp:443", "443", "tcp:22", "*", "tcp:80-90"]

selector_lists = st.lists(st.sampled_from(SELECTORS), min_size=1, max_size=4, unique=True)
grants = st.fixed_dictionaries(
    {
        "src": selector_lists,
        "dst": st.lists(st.sampled_from(TAGS), min_size=1, max_size=4, unique=True),
        "ip": st.lists(st.sampled_from(PORTS), min_size=1, max_size=2, unique=True),
    },
    optional={
        "app": st.just({"tailscale.com/cap/kubernetes": [{"impersonate": {"groups": ["x"]}}]})
    },
)
test_dsts = st.lists(
    st.builds(lambda t, p: f"{t}:{p}", st.sampled_from(TAGS), st.sampled_from(["443", "22"])),
    max_size=3,
    unique=True,
)
tests_ = st.fixed_dictionaries(
    {"src": st.sampled_from([*TAGS, *PEOPLE, "group:highflame-sre"])},
    optional={"accept": test_dsts, "deny": test_dsts},
)
policies = st.fixed_dictionaries(
    {
        "groups": st.just({"group:highflame-sre": PEOPLE, "group:ops": ["bob@highflame.ai"]}),
        "tagOwners": st.just({t: [] for t in TAGS}),
        "grants": st.lists(grants, max_size=8),
        "tests": st.lists(tests_, max_size=6),
    }
)


def _mentions_killed(entry: dict[str, Any]) -> bool:
    values: list[str] = []
    for value in entry.values():
        if isinstance(value, list):
            values += [v for v in value if isinstance(v, str)]
        elif isinstance(value, str):
            values.append(value)
    return any(host_of(v) in KILLED_TAGS for v in values)


def _paths(policy: dict[str, Any]) -> set[tuple[str, str, str, str]]:
    """Every (src selector, dst tag, port spec, app) a grant allows."""
    return {
        (src, dst, ip, json.dumps(g.get("app"), sort_keys=True))
        for g in policy.get("grants", [])
        for src in g["src"]
        for dst in g["dst"]
        for ip in g["ip"]
    }


@settings(max_examples=150, deadline=None)
@given(policies)
def test_other_entries_are_byte_identical_and_in_order(policy: dict[str, Any]) -> None:
    original = copy.deepcopy(policy)
    edited = revoke_tags(policy, KILLED_TAGS).policy
    assert policy == original  # the input is never mutated
    for section in ("grants", "tests"):
        untouched = [e for e in policy[section] if not _mentions_killed(e)]
        carried = [e for e in edited[section] if any(e is u for u in untouched)]
        # Every entry that never named acme is carried over as the same object, in order, and
        # serialises exactly as before.
        assert [id(e) for e in carried] == [id(u) for u in untouched]
        before = [json.dumps(e) for e in original[section] if not _mentions_killed(e)]
        assert [json.dumps(e) for e in carried] == before
    for key in ("groups", "tagOwners"):
        assert json.dumps(edited[key]) == json.dumps(original[key])


@settings(max_examples=150, deadline=None)
@given(policies)
def test_killed_customer_is_unreachable_and_nobody_else_loses_access(
    policy: dict[str, Any],
) -> None:
    edited = revoke_tags(policy, KILLED_TAGS).policy
    for grant in edited["grants"]:
        assert KILLED_TAGS.isdisjoint(grant["dst"])
        assert KILLED_TAGS.isdisjoint(grant["src"])
        assert grant["dst"]
        assert grant["src"]
    for src in [*SELECTORS]:
        for tag in KILLED_TAGS:
            assert not reaches(edited, src, f"{tag}:443")
    expected = {p for p in _paths(policy) if p[0] not in KILLED_TAGS and p[1] not in KILLED_TAGS}
    assert _paths(edited) == expected


@settings(max_examples=150, deadline=None)
@given(policies)
def test_tests_never_expect_to_reach_the_killed_customer(policy: dict[str, Any]) -> None:
    edited = revoke_tags(policy, KILLED_TAGS).policy
    for test in edited["tests"]:
        assert test["src"] not in KILLED_TAGS
        assert all(host_of(d) not in KILLED_TAGS for d in test.get("accept", []))
    # Every accept that was about acme now asserts the revocation instead.
    moved = {
        d
        for t in policy["tests"]
        if t["src"] not in KILLED_TAGS
        for d in t.get("accept", [])
        if host_of(d) in KILLED_TAGS
    }
    denied = {d for t in edited["tests"] for d in t.get("deny", [])}
    assert moved <= denied


@settings(max_examples=100, deadline=None)
@given(policies)
def test_idempotent(policy: dict[str, Any]) -> None:
    once = revoke_tags(policy, KILLED_TAGS)
    twice = revoke_tags(once.policy, KILLED_TAGS)
    assert not twice.changed
    assert json.dumps(twice.policy) == json.dumps(once.policy)
