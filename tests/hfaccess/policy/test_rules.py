"""Reading rules out of any document: grants, legacy acls and ssh in one shape."""

from __future__ import annotations

import pytest

from hfaccess.policy.rules import Target, access_rules, split_host_port


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("tag:cust-acme:443", ("tag:cust-acme", "443")),
        ("*:*", ("*", "*")),
        ("100.64.0.0/10:22,80", ("100.64.0.0/10", "22,80")),
        ("[fd7a:115c:a1e0::1]:443", ("fd7a:115c:a1e0::1", "443")),
        ("alice@highflame.ai:22", ("alice@highflame.ai", "22")),
    ],
)
def test_split_host_port(text: str, expected: tuple[str, str]) -> None:
    assert split_host_port(text) == expected


def test_grants_acls_and_ssh_share_one_shape() -> None:
    problems: list[str] = []
    rules = list(
        access_rules(
            {
                "grants": [{"src": ["group:a"], "dst": ["tag:b", "tag:c"], "ip": ["tcp:443"]}],
                "acls": [
                    {"action": "accept", "src": ["group:a"], "proto": "tcp", "dst": ["tag:b:22,80"]}
                ],
                "ssh": [{"action": "accept", "src": ["group:a"], "dst": ["tag:b"]}],
            },
            problems,
        )
    )
    assert problems == []
    assert [r.where for r in rules] == ["grants[0]", "acls[0]", "ssh[0]"]
    assert rules[0].targets == (Target("tag:b", ("tcp:443",)), Target("tag:c", ("tcp:443",)))
    assert rules[1].targets == (Target("tag:b", ("tcp:22", "tcp:80")),)
    assert rules[2].targets == (Target("tag:b", ("ssh",)),)


def test_malformed_rules_are_described_not_raised() -> None:
    problems: list[str] = []
    document = {"grants": [5, {"src": "a", "dst": []}], "acls": "x", "ssh": [{"src": ["a"]}]}
    rules = list(access_rules(document, problems))
    assert all(not rule.targets for rule in rules)  # nothing malformed opens anything
    assert problems == [
        "grants[0]: must be an object",
        "grants[1]: needs ip or app",
        "grants[1].src: must be a list of strings",
        "acls: must be a list",
        "ssh[0].action: must be 'accept' or 'check'",
        "ssh[0]: needs src and dst",
    ]
