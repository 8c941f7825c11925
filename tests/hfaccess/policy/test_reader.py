"""The one policy reader: HuJSON, duplicate keys, every section typed, problems never raised."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from hfaccess.policy.reader import (
    KNOWN_SECTIONS,
    DuplicateKeyError,
    PolicyFileError,
    host_of,
    parse_policy_text,
    read_policy,
    read_policy_file,
    split_host_port,
)
from hfaccess.revoke import policy_edit

FULL = """{
  // every section of the policy language
  "groups": {"group:platform": ["carol@highflame.ai"],},
  "tagOwners": {"tag:highflame-recorder": [], "tag:highflame-iac": []},
  "hosts": {"router": "10.1.2.3"},
  "ipsets": {"ipset:office": ["10.0.0.0/8", "host:router", "remove:10.9.0.0/16"]},
  "postures": {"posture:stable": ["node:tsReleaseTrack == 'stable'"]},
  "defaultSrcPosture": ["posture:stable"],
  "grants": [
    {"src": ["group:platform"], "dst": ["10.0.0.0/8"], "ip": ["tcp:22"],
     "via": ["tag:highflame-iac"], "srcPosture": ["posture:stable"],
     "app": {"tailscale.com/cap/kubernetes": [{"impersonate": {"groups": ["g"]},
             "recorder": ["tag:highflame-recorder"], "enforceRecorder": true}]}},
  ],
  "acls": [{"action": "accept", "src": ["group:platform"], "proto": "tcp", "dst": ["router:22,80"]}],
  "ssh": [{"action": "check", "src": ["group:platform"], "dst": ["tag:highflame-iac"],
           "users": ["root"], "recorder": ["tag:highflame-recorder"], "enforceRecorder": true}],
  "nodeAttrs": [{"target": ["group:platform"], "attr": ["funnel"]}],
  "autoApprovers": {"routes": {"10.0.0.0/8": ["tag:highflame-iac"]},
                    "exitNode": ["tag:highflame-iac"], "services": {"svc:db": ["tag:highflame-iac"]}},
  "tests": [{"src": "group:platform", "proto": "tcp", "accept": ["router:22"], "deny": ["router:80"]}],
  "sshTests": [{"src": "carol@highflame.ai", "dst": ["tag:highflame-iac"], "accept": ["root"]}],
  "randomizeClientPort": true,
  "derpMap": {"OmitDefaultRegions": false},
  "futureThing": {},
}"""


def test_every_section_is_read_typed() -> None:
    policy = read_policy(parse_policy_text(FULL))
    assert policy.problems == ()
    assert policy.unknown == ("futureThing",)
    assert policy.groups == {"group:platform": ("carol@highflame.ai",)}
    assert policy.hosts == {"router": "10.1.2.3"}
    assert policy.ipsets["ipset:office"][1] == "host:router"
    assert policy.postures == {"posture:stable": ("node:tsReleaseTrack == 'stable'",)}
    assert policy.default_src_posture == ("posture:stable",)
    (grant,) = policy.grants
    assert grant.via == ("tag:highflame-iac",)
    assert grant.src_posture == ("posture:stable",)
    assert grant.app["tailscale.com/cap/kubernetes"][0]["enforceRecorder"] is True
    (acl,) = policy.acls
    assert acl.dst[0].host == "router"
    assert acl.dst[0].ports == ("22", "80")
    (ssh,) = policy.ssh
    assert ssh.recorder == ("tag:highflame-recorder",)
    assert ssh.enforce_recorder is True
    assert policy.node_attrs[0].attr == ("funnel",)
    assert policy.auto_approvers.exit_node == ("tag:highflame-iac",)
    assert policy.auto_approvers.services == {"svc:db": ("tag:highflame-iac",)}
    assert policy.tests[0].accept == ("router:22",)
    assert policy.ssh_tests[0].accept == ("root",)
    assert set(policy.settings) == {"randomizeClientPort", "derpMap"}
    assert "futureThing" not in KNOWN_SECTIONS


@pytest.mark.parametrize(
    "text",
    [
        '{"grants": [], "grants": []}',
        '{"groups": {"group:a": [], "group:a": ["x@y.z"]}}',
        '{"grants": [{"src": ["a"], "src": ["*"], "dst": ["b"], "ip": ["*"]}]}',
    ],
)
def test_duplicate_keys_are_an_error_at_any_depth(text: str) -> None:
    with pytest.raises(DuplicateKeyError, match="duplicate key"):
        parse_policy_text(text)


def test_malformed_sections_are_problems_never_exceptions() -> None:
    policy = read_policy(
        {
            "grants": [{"src": "a", "dst": ["b"]}],
            "nodeAttrs": [{"target": "x"}],
            "autoApprovers": {"routes": [], "bogus": 1},
            "tests": [{"src": 5}],
            "sshTests": "no",
            "postures": {"posture:x": "node:os == 'linux'"},
        }
    )
    assert "grants[0].src: must be a list of strings" in policy.problems
    assert "grants[0]: needs ip or app" in policy.problems
    assert "nodeAttrs[0].target: must be a list of strings" in policy.problems
    assert "autoApprovers.bogus: unknown field" in policy.problems
    assert "autoApprovers.routes: must be an object" in policy.problems
    assert "tests[0].src: must be a string" in policy.problems
    assert "sshTests: must be a list" in policy.problems
    assert "postures.posture:x: must be a list of strings" in policy.problems


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("tag:cust-acme:443", ("tag:cust-acme", "443")),
        ("tag:cust-acme", ("tag:cust-acme", "")),
        ("group:highflame-sre", ("group:highflame-sre", "")),
        ("autogroup:internet:*", ("autogroup:internet", "*")),
        ("ipset:office:22", ("ipset:office", "22")),
        ("alice@highflame.ai:22", ("alice@highflame.ai", "22")),
        ("alice@highflame.ai", ("alice@highflame.ai", "")),
        ("100.64.0.0/10:22,80", ("100.64.0.0/10", "22,80")),
        ("[fd7a:115c:a1e0::1]:443", ("fd7a:115c:a1e0::1", "443")),
        ("fd7a:115c:a1e0::1", ("fd7a:115c:a1e0::1", "")),
        ("router:1000-2000", ("router", "1000-2000")),
        ("*:*", ("*", "*")),
    ],
)
def test_one_host_port_split(text: str, expected: tuple[str, str]) -> None:
    assert split_host_port(text) == expected
    assert host_of(text) == expected[0]
    assert policy_edit.host_of(text) == expected[0]  # the kill switch splits the same way


def test_policy_files_are_read_bounded_and_without_blocking(tmp_path: Path) -> None:
    big = tmp_path / "big.json"
    big.write_text("{" + " " * 100 + "}")
    with pytest.raises(PolicyFileError, match="larger than 50 bytes"):
        read_policy_file(big, limit=50)
    fifo = tmp_path / "fifo.json"
    os.mkfifo(fifo)
    with pytest.raises(PolicyFileError, match="not a regular file"):
        read_policy_file(fifo)  # would hang with a blocking open
    device = tmp_path / "zero.json"
    device.symlink_to("/dev/zero")
    with pytest.raises(PolicyFileError, match="not a regular file"):
        read_policy_file(device)
    with pytest.raises(PolicyFileError, match="directory"):
        read_policy_file(tmp_path)
