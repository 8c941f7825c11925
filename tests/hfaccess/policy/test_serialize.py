"""The canonical text: one document, one byte sequence, readable one rule per line."""

from __future__ import annotations

import json

from hfaccess.policy.serialize import policy_digest, policy_text


def test_same_document_in_any_key_order_gives_identical_bytes() -> None:
    one = {
        "tests": [{"deny": ["tag:b:443"], "src": "tag:a", "proto": "tcp"}],
        "grants": [{"ip": ["tcp:443"], "dst": ["tag:a"], "src": ["group:x"]}],
        "tagOwners": {"tag:b": [], "tag:a": []},
    }
    two = {
        "tagOwners": {"tag:a": [], "tag:b": []},
        "grants": [{"src": ["group:x"], "dst": ["tag:a"], "ip": ["tcp:443"]}],
        "tests": [{"src": "tag:a", "proto": "tcp", "deny": ["tag:b:443"]}],
    }
    assert policy_text(one) == policy_text(two)
    assert policy_digest(policy_text(one)) == policy_digest(policy_text(two))


def test_text_is_json_that_reads_back_to_the_document() -> None:
    document = {
        "grants": [{"src": ["group:x"], "dst": ["tag:a"], "ip": ["tcp:443"], "app": {"k": [1]}}],
        "groups": {"group:x": ["a@b.c"]},
        "tests": [],
        "randomizeClientPort": True,
    }
    text = policy_text(document)
    assert json.loads(text) == document
    assert text.endswith("}\n")
    assert policy_text({}) == "{}\n"


def test_rules_read_src_dst_ip_app_one_per_line() -> None:
    text = policy_text(
        {"grants": [{"app": {}, "ip": ["tcp:1"], "dst": ["tag:a"], "src": ["group:x"]}] * 2}
    )
    rule = '    {"src": ["group:x"], "dst": ["tag:a"], "ip": ["tcp:1"], "app": {}}'
    assert text.splitlines()[2:4] == [rule + ",", rule]
