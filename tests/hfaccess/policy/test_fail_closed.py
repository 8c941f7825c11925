"""The checker fails closed: what it cannot prove harmless to customer isolation is a violation.

Each case is a live policy (the generated one, edited as someone might in the admin console)
given to `check --policy`: one line per violation, exit 1, no traceback.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from hfaccess.policy.allowances import Allowances, CustomerSourcePath
from hfaccess.policy.builder import build_policy
from hfaccess.policy.checker import check_policy
from hfaccess.registry.workspace import load_model
from tests.support.cli import run_cli
from tests.support.files import REPO
from tests.support.models import customer_doc, make_model

SRE = "group:highflame-sre"
Edit = Callable[[dict[str, Any]], None]


_MAPPING_SECTIONS = {"autoApprovers", "futureSection"}


def _add(section: str, entry: Any) -> Edit:
    def edit(document: dict[str, Any]) -> None:
        if section in _MAPPING_SECTIONS:
            document.setdefault(section, {}).update(entry)
        else:
            document.setdefault(section, []).append(entry)

    return edit


def _grant(**fields: Any) -> dict[str, Any]:
    return {"src": [SRE], "dst": ["tag:highflame-iac"], "ip": ["tcp:22"], **fields}


def _ipset_grant(document: dict[str, Any]) -> None:
    document.setdefault("ipsets", {}).update({"ipset:all": ["100.64.0.0/10"]})
    document["grants"].append(_grant(dst=["ipset:all"], ip=["*"]))


CASES: dict[str, tuple[Edit, int, str]] = {
    # edit, invariant, the place named
    "funnel on a customer tag": (
        _add("nodeAttrs", {"target": ["tag:cust-acme"], "attr": ["funnel"]}),
        9,
        "nodeAttrs[0]",
    ),
    "any attribute on a proxy tag": (
        _add("nodeAttrs", {"target": ["tag:k8s-globex"], "attr": ["drive:share"]}),
        9,
        "nodeAttrs[0]",
    ),
    "via a customer tag": (_add("grants", _grant(via=["tag:cust-acme"])), 2, "grants[-1]"),
    "via autogroup:tagged": (_add("grants", _grant(via=["autogroup:tagged"])), 2, "grants[-1]"),
    "routes auto-approved by a customer tag": (
        _add("autoApprovers", {"routes": {"10.0.0.0/8": ["tag:k8s-acme"]}}),
        9,
        "autoApprovers.routes.10.0.0.0/8",
    ),
    "exit nodes auto-approved by a customer tag": (
        _add("autoApprovers", {"exitNode": ["tag:cust-globex"]}),
        9,
        "autoApprovers.exitNode",
    ),
    "services auto-approved by any tagged device": (
        _add("autoApprovers", {"services": {"svc:db": ["autogroup:tagged"]}}),
        9,
        "autoApprovers.services.svc:db",
    ),
    "ipset covering the tailnet": (
        _ipset_grant,
        2,
        "grants[-1]",
    ),
    "a single tailnet address": (_add("grants", _grant(dst=["100.100.1.2"])), 2, "grants[-1]"),
    "an address range into the tailnet": (
        _add("grants", _grant(dst=["100.64.0.1-100.64.0.9"])),
        2,
        "grants[-1]",
    ),
    "every address": (_add("grants", _grant(dst=["0.0.0.0/0"])), 2, "grants[-1]"),
    "autogroup:danger-all": (_add("grants", _grant(src=["autogroup:danger-all"])), 2, "grants[-1]"),
    "an unknown autogroup": (_add("grants", _grant(dst=["autogroup:future"])), 2, "grants[-1]"),
    "an unknown selector": (_add("grants", _grant(dst=["some-host"])), 2, "grants[-1]"),
    "an unknown section": (_add("futureSection", {"x": 1}), 0, "futureSection"),
    "a customer tag as a source": (
        _add("grants", _grant(src=["tag:cust-acme"])),
        2,
        "grants[-1]",
    ),
    "legacy acl from a customer tag": (
        _add(
            "acls", {"action": "accept", "src": ["tag:k8s-acme"], "dst": ["tag:highflame-iac:22"]}
        ),
        2,
        "acls[0]",
    ),
    "ssh into a customer": (
        _add(
            "ssh", {"action": "accept", "src": [SRE], "dst": ["tag:cust-acme"], "users": ["root"]}
        ),
        3,
        "ssh[0]",
    ),
    "a test accepting one customer at another": (
        _add("tests", {"src": "tag:cust-acme", "accept": ["tag:cust-globex:443"]}),
        6,
        "tests[-1]",
    ),
    "a test accepting SRE on a closed port": (
        _add("tests", {"src": SRE, "accept": ["tag:cust-acme:22"]}),
        6,
        "tests[-1]",
    ),
    "an ssh test into a customer": (
        _add(
            "sshTests", {"src": "alice@highflame.ai", "dst": ["tag:cust-acme"], "accept": ["root"]}
        ),
        6,
        "sshTests[0]",
    ),
    "automation tag owned by every member (transitive)": (
        lambda d: d["tagOwners"].update({"tag:highflame-iac": ["autogroup:member"]}),
        4,
        "tagOwners.tag:highflame-iac",
    ),
    "a tag in the customers' space that nobody registered": (
        lambda d: d["tagOwners"].update({"tag:k8s-newco": []}),
        10,
        "tagOwners.tag:k8s-newco",
    ),
    "the chart's default operator tag": (
        lambda d: d["tagOwners"].update({"tag:k8s-operator": []}),
        10,
        "tagOwners.tag:k8s-operator",
    ),
    "an undefined posture": (
        _add("grants", _grant(srcPosture=["posture:nope"])),
        0,
        "grants[-1].srcPosture",
    ),
    "an svc: destination": (_add("grants", _grant(dst=["svc:db"])), 2, "grants[-1]"),
}


def _sample_document() -> dict[str, Any]:
    model = load_model(REPO / "customers", REPO / "tailnet/highflame.yaml")
    return copy.deepcopy(build_policy(model))


@pytest.mark.parametrize("case", sorted(CASES))
def test_case_is_a_violation_named_in_one_line(case: str) -> None:
    edit, invariant, where = CASES[case]
    model = load_model(REPO / "customers", REPO / "tailnet/highflame.yaml")
    document = _sample_document()
    edit(document)
    section, _, rest = where.partition("[-1]")
    if _:  # the entry the edit appended: the last of its section
        where = f"{section}[{len(document[section]) - 1}]{rest}"
    found = check_policy(document, model)
    assert any(v.invariant == invariant and v.where == where for v in found), [
        str(v) for v in found
    ]


@pytest.mark.parametrize("case", ["funnel on a customer tag", "via a customer tag"])
def test_check_policy_refuses_the_file(case: str, tmp_path: Path, monkeypatch: Any) -> None:
    monkeypatch.chdir(REPO)
    document = _sample_document()
    CASES[case][0](document)
    path = tmp_path / "live.json"
    path.write_text(json.dumps(document))
    result = run_cli("check", "--policy", str(path))
    assert result.exit_code == 1
    assert all(line.startswith(f"{path.as_posix()}: ") for line in result.stderr.splitlines())
    assert "Traceback" not in result.stderr


def test_a_duplicated_top_level_key_is_refused(tmp_path: Path, monkeypatch: Any) -> None:
    monkeypatch.chdir(REPO)
    text = json.dumps(_sample_document())
    path = tmp_path / "live.hujson"
    path.write_text(text[:-1] + ', "grants": [{"src": ["*"], "dst": ["*"], "ip": ["*"]}]}')
    result = run_cli("check", "--policy", str(path))
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [f"{path.as_posix()}: duplicate key 'grants'"]


def test_harmless_highflame_only_constructs_pass() -> None:
    model = load_model(REPO / "customers", REPO / "tailnet/highflame.yaml")
    document = _sample_document()
    document["hosts"] = {"office": "10.20.0.0/16"}
    document["ipsets"] = {"ipset:office": ["host:office", "192.168.0.0/24"]}
    document["groups"]["group:platform"] = ["carol@highflame.ai"]
    document.setdefault("postures", {})["posture:stable"] = ["node:tsReleaseTrack == 'stable'"]
    document["grants"].append(
        _grant(
            src=["group:platform"],
            dst=["ipset:office", "autogroup:internet"],
            ip=["*"],
            via=["tag:highflame-iac"],
            srcPosture=["posture:stable"],
        )
    )
    document["nodeAttrs"] = [{"target": ["group:platform"], "attr": ["funnel"]}]
    document["autoApprovers"] = {"routes": {"10.20.0.0/16": ["tag:highflame-iac"]}}
    document["randomizeClientPort"] = True
    assert check_policy(document, model) == []


def test_the_allowance_hook_admits_exactly_its_paths(monkeypatch: pytest.MonkeyPatch) -> None:
    """Issue 13's recorder path, plugged in through the hook: only that path becomes legal."""
    model = make_model(
        [customer_doc("acme"), customer_doc("globex")],
        base_policy={"tagOwners": {"tag:highflame-iac": [], "tag:highflame-recorder": []}},
    )
    recorder = "tag:highflame-recorder"
    paths = tuple(
        CustomerSourcePath(f"tag:k8s-{c}", recorder, ("tcp:443",), "session recording")
        for c in ("acme", "globex")
    )
    monkeypatch.setattr(
        "hfaccess.policy.checker.policy_allowances", lambda _: Allowances(customer_sources=paths)
    )
    document = build_policy(model)
    document["grants"].append({"src": ["tag:k8s-acme"], "dst": [recorder], "ip": ["tcp:443"]})
    document["tests"].append({"src": "tag:k8s-acme", "accept": [f"{recorder}:443"]})
    assert check_policy(document, model) == []
    document["grants"].append({"src": ["tag:k8s-acme"], "dst": [recorder], "ip": ["tcp:22"]})
    found = check_policy(document, model)
    assert [v.where for v in found] == [f"grants[{len(document['grants']) - 1}]"]
