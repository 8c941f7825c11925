"""The offline checker catches each way a policy can break the access model."""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

import pytest

from hfaccess.policy.builder import build_policy
from hfaccess.policy.capability import KUBERNETES_CAPABILITY
from hfaccess.policy.checker import Violation, check_policy
from hfaccess.registry.workspace import AccessModel
from tests.support.models import customer_doc, exposure, make_model

SRE = "group:highflame-sre"
Mutation = Callable[[dict[str, Any]], None]


def _model() -> AccessModel:
    return make_model(
        [
            customer_doc("acme", {"prod": {}, "dev": {"revoked": True}}),
            customer_doc(
                "globex",
                {
                    "prod": {"exposures": {"studio": exposure(80)}},
                    "dev": {"revoked": True, "exposures": {"db": exposure(5432, "service")}},
                },
            ),
            customer_doc("initech", revoked=True),
        ]
    )


def _grant(src: list[str], dst: list[str], ip: list[str], **extra: Any) -> Mutation:
    def mutate(doc: dict[str, Any]) -> None:
        doc["grants"].append({"src": src, "dst": dst, "ip": ip, **extra})

    return mutate


def _set_owners(tag: str, owners: list[str]) -> Mutation:
    def mutate(doc: dict[str, Any]) -> None:
        doc["tagOwners"][tag] = owners

    return mutate


def _impersonate(groups: list[str]) -> Mutation:
    def mutate(doc: dict[str, Any]) -> None:
        doc["grants"][0]["app"][KUBERNETES_CAPABILITY] = [{"impersonate": {"groups": groups}}]

    return mutate


def _drop_tag(tag: str) -> Mutation:
    def mutate(doc: dict[str, Any]) -> None:
        del doc["tagOwners"][tag]

    return mutate


def _drop_tests(predicate: Callable[[dict[str, Any]], bool]) -> Mutation:
    def mutate(doc: dict[str, Any]) -> None:
        doc["tests"] = [t for t in doc["tests"] if not predicate(t)]

    return mutate


def _members(members: list[str]) -> Mutation:
    def mutate(doc: dict[str, Any]) -> None:
        doc["groups"][SRE] = members

    return mutate


def _section(name: str, value: Any) -> Mutation:
    def mutate(doc: dict[str, Any]) -> None:
        doc[name] = value

    return mutate


def _alias_grant(alias: str, network: str) -> Mutation:
    def mutate(doc: dict[str, Any]) -> None:
        doc["hosts"] = {alias: network}
        doc["grants"].append({"src": [SRE], "dst": [alias], "ip": ["tcp:22"]})

    return mutate


BROKEN: dict[str, tuple[Mutation, int]] = {
    "wildcard dst": (_grant([SRE], ["*"], ["*"]), 2),
    "wildcard src": (_grant(["*"], ["tag:highflame-iac"], ["tcp:22"]), 2),
    "autogroup:tagged": (_grant(["autogroup:tagged"], ["tag:highflame-iac"], ["*"]), 2),
    "tailnet-wide CIDR": (_grant([SRE], ["100.64.0.0/10"], ["*"]), 2),
    "host alias of the CGNAT range": (_alias_grant("everything", "100.100.0.0/16"), 2),
    "legacy acl *:*": (
        _section("acls", [{"action": "accept", "src": [SRE], "dst": ["*:*"]}]),
        2,
    ),
    "rule from a customer tag": (_grant(["tag:cust-acme"], ["tag:highflame-iac"], ["*"]), 2),
    "rule from a customer proxy to SRE": (_grant(["tag:k8s-globex"], [SRE], ["*"]), 2),
    "another source reaches a customer": (
        _grant(["autogroup:member"], ["tag:cust-acme"], ["tcp:443"]),
        3,
    ),
    "an engineer outside the group": (_grant(["eve@x.io"], ["tag:k8s-globex"], ["tcp:443"]), 3),
    "extra port on the API server proxy": (_grant([SRE], ["tag:cust-acme"], ["tcp:22"]), 3),
    "all ports on exposure proxies": (_grant([SRE], ["tag:k8s-globex"], ["*"]), 3),
    "rule reaching an OAuth client's tag": (
        _grant([SRE], ["tag:k8s-operator-acme"], ["tcp:443"]),
        3,
    ),
    "ssh into a customer device": (
        _section("ssh", [{"action": "accept", "src": [SRE], "dst": ["tag:cust-acme"]}]),
        3,
    ),
    "system:masters impersonation": (_impersonate(["highflame-sre", "system:masters"]), 3),
    "another impersonated group": (_impersonate(["admins"]), 3),
    "capability removed": (lambda d: d["grants"][0].pop("app"), 3),
    "exposure grant removed": (lambda d: d["grants"].pop(1), 3),
    "member added by hand": (_members(["alice@highflame.ai", "bob@highflame.ai", "eve@x.io"]), 3),
    "cross-customer owner": (_set_owners("tag:cust-acme", ["tag:k8s-operator-globex"]), 4),
    "customer tag owns a Highflame tag": (
        _set_owners("tag:highflame-iac", ["tag:k8s-operator-acme"]),
        4,
    ),
    "operator tag owned by a user": (_set_owners("tag:k8s-operator-acme", ["eve@x.io"]), 4),
    "device tag owned by admins too": (
        _set_owners("tag:k8s-acme", ["tag:k8s-operator-acme", "autogroup:admin"]),
        4,
    ),
    "missing tag definition": (_drop_tag("tag:k8s-globex"), 1),
    "undefined tag in a test": (
        lambda d: d["tests"].append({"src": "tag:nowhere", "deny": ["tag:cust-acme:443"]}),
        1,
    ),
    "revoked customer's tag undefined": (_drop_tag("tag:cust-initech"), 5),
    "grant to a revoked customer": (_grant([SRE], ["tag:cust-initech"], ["tcp:443"]), 5),
    "port only a revoked environment exposes": (
        _grant([SRE], ["tag:k8s-globex"], ["tcp:5432"]),
        5,
    ),
    "no tests at all": (_section("tests", []), 6),
    "no accept test for an active customer": (
        _drop_tests(lambda t: "tag:cust-acme:443" in t.get("accept", [])),
        6,
    ),
    "no deny test for a revoked customer": (
        _drop_tests(lambda t: "tag:cust-initech:443" in t.get("deny", [])),
        6,
    ),
    "no isolation test for a proxy tag": (_drop_tests(lambda t: t["src"] == "tag:k8s-acme"), 6),
}


def test_generated_policy_is_clean() -> None:
    model = _model()
    assert check_policy(build_policy(model), model) == []


@pytest.mark.parametrize("case", sorted(BROKEN))
def test_each_breakage_is_reported_under_its_invariant(case: str) -> None:
    mutate, invariant = BROKEN[case]
    model = _model()
    document = copy.deepcopy(build_policy(model))
    mutate(document)
    found = check_policy(document, model)
    assert invariant in {v.invariant for v in found}, [str(v) for v in found]
    assert all(str(v).startswith(("invariant ", "structure: ")) for v in found)


def test_colliding_registry_is_reported_under_invariant_7() -> None:
    model = make_model(
        [
            customer_doc("acme", {"prod": {"exposures": {"x-kube": exposure(80)}}}),
            customer_doc("acme-prod", {"x": {}}),
        ]
    )
    found = check_policy(build_policy(model), model)
    assert (
        Violation(
            7,
            "registry",
            "hostname 'acme-prod-x-kube' is derived from customers ['acme', 'acme-prod']",
        )
        in found
    )


@pytest.mark.parametrize(
    "document",
    [
        [],
        "policy",
        {"grants": "all"},
        {"grants": [1, "x", {"src": "not a list", "dst": []}], "tests": [5, {"src": 1}]},
        {"tagOwners": ["tag:a"], "groups": [], "acls": [{"src": ["*"]}], "ssh": {}},
        {"tagOwners": {"tag:a": "nobody"}, "hosts": {"h": 5}, "tests": "none"},
    ],
)
def test_malformed_documents_are_reported_never_raised(document: Any) -> None:
    model = _model()
    found = check_policy(document, model)
    assert found
    assert any(v.invariant == 0 for v in found)
    assert all(isinstance(str(v), str) for v in found)
