"""The live-policy edit of a kill, on hand-written policies."""

from __future__ import annotations

import json
from typing import Any

from hfaccess.revoke.policy_edit import (
    direct_mentions,
    host_of,
    remove_group_member,
    revoke_tags,
    wide_rules,
)
from tests.support.tailnet_seed import policy, policy_after_acme_kill

ACME = ("tag:k8s-operator-acme", "tag:cust-acme", "tag:k8s-acme")


def test_seeded_policy_loses_exactly_acme() -> None:
    edit = revoke_tags(policy(), ACME)
    assert edit.policy == policy_after_acme_kill()
    assert edit.changes == (
        "grants[0]: dst: remove tag:cust-acme",
        "grants[1]: drop (its dst named only these tags)",
        "tests[0]: accept -> deny: tag:cust-acme:443",
        "tests[1]: accept -> deny: tag:k8s-acme:443",
        "tests[2]: drop (src tag:cust-acme)",
    )


def test_idempotent() -> None:
    once = revoke_tags(policy(), ACME)
    twice = revoke_tags(once.policy, ACME)
    assert not twice.changed
    assert twice.policy == once.policy


def test_untouched_entries_are_the_same_objects() -> None:
    original = policy()
    edit = revoke_tags(original, ACME)
    assert edit.policy["grants"][1] is original["grants"][2]  # grants[1] was dropped
    assert edit.policy["tests"][2] is original["tests"][3]  # tests[2] was dropped
    assert edit.policy["tagOwners"] is original["tagOwners"]
    assert edit.policy["groups"] is original["groups"]


def test_tag_owners_stay_defined() -> None:
    edit = revoke_tags(policy(), ACME)
    for tag in ACME:
        assert tag in edit.policy["tagOwners"]


def test_grants_from_the_customer_are_dropped_and_mixed_sources_narrowed() -> None:
    doc: dict[str, Any] = {
        "grants": [
            {"src": ["tag:cust-acme"], "dst": ["tag:cust-globex"], "ip": ["*"]},
            {"src": ["tag:cust-acme", "group:ops"], "dst": ["tag:x"], "ip": ["*"]},
            {"src": ["group:ops"], "dst": ["10.0.0.0/8"], "ip": ["*"], "via": ["tag:k8s-acme"]},
        ]
    }
    edit = revoke_tags(doc, ACME)
    assert edit.policy["grants"] == [{"src": ["group:ops"], "dst": ["tag:x"], "ip": ["*"]}]


def test_legacy_acls_and_ssh() -> None:
    doc: dict[str, Any] = {
        "acls": [
            {"action": "accept", "src": ["group:sre"], "dst": ["tag:cust-acme:443", "tag:y:22"]},
            {"action": "accept", "src": ["group:sre"], "dst": ["tag:k8s-acme:*"]},
        ],
        "ssh": [
            {"action": "accept", "src": ["group:sre"], "dst": ["tag:cust-acme"], "users": ["root"]}
        ],
    }
    edit = revoke_tags(doc, ACME)
    assert edit.policy["acls"] == [
        {"action": "accept", "src": ["group:sre"], "dst": ["tag:y:22"]},
    ]
    assert edit.policy["ssh"] == []


def test_lookalike_tags_are_never_touched() -> None:
    lookalikes = [
        "tag:cust-acme-prod",
        "tag:k8s-operator-acmecorp",
        "tag:cust-acme2",
        "tag:k8s-acm",
    ]
    doc: dict[str, Any] = {
        "grants": [{"src": ["group:sre"], "dst": lookalikes, "ip": ["tcp:443"]}],
        "tests": [{"src": "alice@x.io", "accept": [f"{t}:443" for t in lookalikes]}],
    }
    before = json.dumps(doc, sort_keys=True)
    edit = revoke_tags(doc, ACME)
    assert not edit.changed
    assert json.dumps(edit.policy, sort_keys=True) == before


def test_legacy_allow_and_existing_deny_merge() -> None:
    doc: dict[str, Any] = {
        "tests": [
            {
                "src": "alice@x.io",
                "allow": ["tag:cust-acme:443"],
                "accept": ["tag:cust-acme:443", "tag:z:443"],
                "deny": ["tag:cust-acme:443", "tag:q:1"],
            }
        ]
    }
    edit = revoke_tags(doc, ACME)
    assert edit.policy["tests"] == [
        {"src": "alice@x.io", "accept": ["tag:z:443"], "deny": ["tag:cust-acme:443", "tag:q:1"]}
    ]


def test_other_sections_and_malformed_entries_pass_through() -> None:
    doc: dict[str, Any] = {
        "nodeAttrs": [{"target": ["tag:cust-acme"], "attr": ["funnel"]}],
        "grants": ["not-a-rule", {"src": "not-a-list", "dst": ["tag:cust-acme"], "ip": ["*"]}],
        "tests": "not-a-list",
    }
    edit = revoke_tags(doc, ACME)
    assert edit.policy["nodeAttrs"] == doc["nodeAttrs"]
    assert edit.policy["grants"] == ["not-a-rule"]
    assert edit.policy["tests"] == "not-a-list"


def test_wide_rules_are_reported() -> None:
    doc: dict[str, Any] = {
        "grants": [
            {"src": ["group:a"], "dst": ["*"], "ip": ["*"]},
            {"src": ["group:a"], "dst": ["tag:x"], "ip": ["*"]},
            {"src": ["group:a"], "dst": ["autogroup:tagged"], "ip": ["*"]},
        ],
        "acls": [{"action": "accept", "src": ["*"], "dst": ["*:*"]}],
    }
    assert wide_rules(doc) == ["grants[0]", "grants[2]", "acls[0]"]


def test_host_of() -> None:
    assert host_of("tag:cust-acme:443") == "tag:cust-acme"
    assert host_of("tag:cust-acme") == "tag:cust-acme"
    assert host_of("*:*") == "*"
    assert host_of("100.64.0.1:80-90") == "100.64.0.1"
    assert host_of("group:sre") == "group:sre"
    assert host_of("alice@x.io") == "alice@x.io"


def test_remove_group_member() -> None:
    doc: dict[str, Any] = {
        "groups": {"group:highflame-sre": ["Alice@highflame.ai", "bob@highflame.ai"]},
        "grants": [{"src": ["alice@highflame.ai"], "dst": ["tag:x"], "ip": ["*"]}],
        "tests": [
            {"src": "alice@highflame.ai", "accept": ["tag:cust-acme:443"]},
            {"src": "alice@highflame.ai", "accept": ["tag:a:443"], "deny": ["tag:b:443"]},
            {"src": "bob@highflame.ai", "accept": ["tag:cust-acme:443"]},
        ],
    }
    edit = remove_group_member(doc, "group:highflame-sre", "alice@highflame.ai")
    assert edit.policy["groups"] == {"group:highflame-sre": ["bob@highflame.ai"]}
    assert edit.policy["tests"] == [
        {"src": "alice@highflame.ai", "deny": ["tag:b:443"]},
        {"src": "bob@highflame.ai", "accept": ["tag:cust-acme:443"]},
    ]
    assert edit.policy["tests"][1] is doc["tests"][2]
    assert direct_mentions(edit.policy, "alice@highflame.ai") == ["grants[0]"]
    assert not remove_group_member(edit.policy, "group:highflame-sre", "alice@highflame.ai").changed
