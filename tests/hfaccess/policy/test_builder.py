"""The policy builder: every access path, revocation, base policy merge, compactness."""

from __future__ import annotations

import json
from typing import Any

import pytest

from hfaccess.policy.builder import build_policy
from hfaccess.policy.capability import KUBERNETES_CAPABILITY
from hfaccess.policy.checker import check_policy
from hfaccess.policy.serialize import policy_text
from hfaccess.registry.errors import InvalidInput
from hfaccess.registry.workspace import load_model
from tests.support.files import REPO
from tests.support.models import customer_doc, exposure, make_model

SRE = "group:highflame-sre"
CAPABILITY = {KUBERNETES_CAPABILITY: [{"impersonate": {"groups": ["highflame-sre"]}}]}


def _grants_to(document: dict[str, Any], tag: str) -> list[dict[str, Any]]:
    return [g for g in document["grants"] if tag in g["dst"]]


def test_sample_registry_gives_exactly_the_documented_access() -> None:
    model = load_model(REPO / "customers", REPO / "tailnet/highflame.yaml")
    document = build_policy(model)
    assert document["groups"] == {SRE: ["alice@highflame.ai", "bob@highflame.ai"]}
    posture = ["posture:hf_sre"]
    recorded = {
        KUBERNETES_CAPABILITY: [
            {
                "impersonate": {"groups": ["highflame-sre"]},
                "recorder": ["tag:highflame-recorder"],
                "enforceRecorder": True,
            }
        ]
    }
    elevated = {
        KUBERNETES_CAPABILITY: [
            {
                "impersonate": {"groups": ["highflame-elevated-acme-prod"]},
                "recorder": ["tag:highflame-recorder"],
                "enforceRecorder": True,
            }
        ]
    }
    assert document["grants"] == [
        {
            "src": [SRE],
            "dst": ["tag:cust-globex"],
            "ip": ["tcp:443"],
            "srcPosture": posture,
            "app": CAPABILITY,
        },
        {  # acme has break-glass in prod: its standing sessions are recorded too
            "src": [SRE],
            "dst": ["tag:cust-acme"],
            "ip": ["tcp:443"],
            "srcPosture": posture,
            "app": recorded,
        },
        {"src": [SRE], "dst": ["tag:k8s-globex"], "ip": ["tcp:443"], "srcPosture": posture},
        {
            "src": ["alice@highflame.ai"],
            "dst": ["tag:cust-acme"],
            "ip": ["tcp:443"],
            "srcPosture": ["posture:hf_elevate_acme_prod"],
            "app": elevated,
        },
        {"src": ["tag:cust-acme"], "dst": ["tag:highflame-recorder"], "ip": ["tcp:80"]},
    ]
    assert document["postures"] == {
        "posture:hf_sre": ["node:tsReleaseTrack == 'stable'"],
        "posture:hf_elevate_acme_prod": [
            "node:tsReleaseTrack == 'stable'",
            "custom:hf_elevate_acme_prod == 'granted'",
        ],
    }
    for customer in ("acme", "globex"):
        owners = document["tagOwners"]
        assert owners[f"tag:k8s-operator-{customer}"] == ["tag:highflame-iac"]
        assert owners[f"tag:cust-{customer}"] == [f"tag:k8s-operator-{customer}"]
        assert owners[f"tag:k8s-{customer}"] == [f"tag:k8s-operator-{customer}"]
    assert document["tagOwners"]["tag:highflame-iac"] == []  # from the base policy
    assert check_policy(document, model) == []


def test_admins_only_operator_tags_when_no_owner_is_configured() -> None:
    document = build_policy(make_model([customer_doc("acme")], operator_tag_owners=()))
    assert document["tagOwners"]["tag:k8s-operator-acme"] == []


def test_revoked_customer_keeps_its_tags_and_loses_every_grant() -> None:
    model = make_model(
        [
            customer_doc("acme", {"prod": {"exposures": {"studio": exposure(80)}}}, revoked=True),
            customer_doc("globex"),
        ]
    )
    document = build_policy(model)
    for tag in ("tag:k8s-operator-acme", "tag:cust-acme", "tag:k8s-acme"):
        assert tag in document["tagOwners"]
        assert _grants_to(document, tag) == []
    assert {"src": SRE, "proto": "tcp", "deny": ["tag:cust-acme:443", "tag:k8s-acme:443"]} in (
        document["tests"]
    )
    assert check_policy(document, model) == []


def test_revoked_environment_loses_its_exposures_not_the_customer_grant() -> None:
    model = make_model(
        [
            customer_doc(
                "acme",
                {
                    "prod": {"exposures": {"studio": exposure(80)}},
                    "dev": {"revoked": True, "exposures": {"api": exposure(8080, via="service")}},
                },
            )
        ]
    )
    document = build_policy(model)
    assert _grants_to(document, "tag:cust-acme")[0]["ip"] == ["tcp:443"]
    assert [g["ip"] for g in _grants_to(document, "tag:k8s-acme")] == [["tcp:443"]]
    sre_test = next(t for t in document["tests"] if t["src"] == SRE)
    assert "tag:k8s-acme:8080" in sre_test["deny"]
    assert check_policy(document, model) == []


def test_every_environment_revoked_means_the_customer_is_unreachable() -> None:
    model = make_model(
        [customer_doc("acme", {"prod": {"revoked": True}, "dev": {"revoked": True}})]
    )
    document = build_policy(model)
    assert document["grants"] == []
    assert "tag:cust-acme" in document["tagOwners"]
    assert check_policy(document, model) == []


def test_exposed_ports_exactly_and_shared_by_customers_with_the_same_shape() -> None:
    studio = {"prod": {"exposures": {"studio": exposure(80)}}}
    model = make_model(
        [
            customer_doc("acme", studio),
            customer_doc("globex", studio),
            customer_doc("initech", {"prod": {"exposures": {"db": exposure(5432, "service")}}}),
            customer_doc("hooli"),
        ]
    )
    document = build_policy(model)
    assert document["grants"][1:] == [
        {"src": [SRE], "dst": ["tag:k8s-acme", "tag:k8s-globex"], "ip": ["tcp:443"]},
        {"src": [SRE], "dst": ["tag:k8s-initech"], "ip": ["tcp:5432"]},
    ]
    assert document["grants"][0]["dst"] == [
        "tag:cust-acme",
        "tag:cust-globex",
        "tag:cust-hooli",
        "tag:cust-initech",
    ]
    assert check_policy(document, model) == []


def test_no_wildcard_and_no_customer_tag_as_source_anywhere() -> None:
    model = make_model([customer_doc(n) for n in ("acme", "globex", "initech")])
    document = build_policy(model)
    customer_tags = {t for t in document["tagOwners"] if t.startswith(("tag:k8s-", "tag:cust-"))}
    for grant in document["grants"]:
        assert not {"*", "autogroup:tagged"} & {*grant["src"], *grant["dst"]}
        assert not customer_tags & set(grant["src"])


def test_ring_isolation_tests_deny_the_next_customer_and_the_sre_side() -> None:
    model = make_model([customer_doc(n) for n in ("acme", "globex", "initech")])
    tests = build_policy(model)["tests"]
    by_src = {t["src"]: t["deny"] for t in tests if t["src"] != SRE}
    assert by_src["tag:cust-acme"] == [
        "tag:cust-globex:443",
        "tag:k8s-globex:443",
        "alice@highflame.ai:22",
    ]
    assert by_src["tag:k8s-initech"][:2] == ["tag:cust-acme:443", "tag:k8s-acme:443"]
    assert len(tests) == 3 * 3


def test_without_sre_members_nobody_is_accepted_and_isolation_remains() -> None:
    model = make_model([customer_doc("acme"), customer_doc("globex")], members=())
    document = build_policy(model)
    assert document["groups"] == {SRE: []}
    assert all(t["src"] != SRE for t in document["tests"])
    assert all(not d.endswith(":22") for t in document["tests"] for d in t["deny"])
    assert check_policy(document, model) == []


def test_order_of_customers_and_base_sections_never_changes_the_text() -> None:
    docs = [customer_doc(n) for n in ("globex", "acme", "initech")]
    one = make_model(docs, base_policy={"tagOwners": {"tag:b": [], "tag:a": []}, "ssh": []})
    two = make_model(docs[::-1], base_policy={"ssh": [], "tagOwners": {"tag:a": [], "tag:b": []}})
    assert policy_text(build_policy(one)) == policy_text(build_policy(two))


def test_base_policy_comes_first_in_every_section() -> None:
    base: dict[str, Any] = {
        "groups": {"group:ops": ["carol@highflame.ai"]},
        "tagOwners": {"tag:highflame-iac": [], "tag:ci": ["group:ops"]},
        "grants": [{"src": ["group:ops"], "dst": ["tag:ci"], "ip": ["tcp:22"]}],
        "tests": [{"src": "group:ops", "accept": ["tag:ci:22"]}],
        "nodeAttrs": [{"target": ["autogroup:member"], "attr": ["funnel"]}],
    }
    model = make_model([customer_doc("acme")], base_policy=base)
    document = build_policy(model)
    assert document["grants"][0] == base["grants"][0]
    assert document["tests"][0] == base["tests"][0]
    assert document["groups"]["group:ops"] == ["carol@highflame.ai"]
    assert document["nodeAttrs"] == base["nodeAttrs"]
    assert check_policy(document, model) == []
    assert model.highflame.base_policy == base  # the builder never mutates its input


@pytest.mark.parametrize(
    ("base", "field"),
    [
        ({"tagOwners": {"tag:cust-acme": []}}, "base_policy.tagOwners.tag:cust-acme"),
        (
            {"grants": [{"src": ["group:ops"], "dst": ["tag:k8s-acme"], "ip": ["*"]}]},
            "base_policy.grants[0].dst[0]",
        ),
        ({"tests": [{"src": "tag:k8s-operator-acme", "deny": []}]}, "base_policy.tests[0].src"),
        (
            {"groups": {"group:highflame-sre": ["eve@x.io"]}},
            "base_policy.groups.group:highflame-sre",
        ),
        ({"grants": {"not": "a list"}}, "base_policy.grants"),
        ({"tagOwners": ["not", "a", "mapping"]}, "base_policy.tagOwners"),
    ],
)
def test_base_policy_colliding_with_customers_is_refused(base: dict[str, Any], field: str) -> None:
    model = make_model([customer_doc("acme")], base_policy=base)
    with pytest.raises(InvalidInput) as caught:
        build_policy(model)
    assert [e.field for e in caught.value.errors] == [field]
    assert caught.value.errors[0].file == "tailnet/highflame.yaml"


def test_size_stays_within_budget_and_grows_linearly() -> None:
    """Worst case: 32-character names, three exposed ports, revocations: <= 1,200 bytes each."""

    def size(count: int) -> int:
        docs = []
        for i in range(count):
            name = f"c{i:03d}" + "x" * 27  # 32 characters
            envs: dict[str, dict[str, Any]] = {
                "prod": {"exposures": {"studio": exposure(80), "db": exposure(5432, "service")}},
                "dev": {"revoked": i % 7 == 0, "exposures": {"api": exposure(8080, "service")}},
            }
            docs.append(customer_doc(name, envs, revoked=i % 11 == 5))
        return len(policy_text(build_policy(make_model(docs))).encode())

    sizes = {n: size(n) for n in (0, 1, 10, 20, 40)}
    for n in (10, 20, 40):
        assert (sizes[n] - sizes[0]) / n <= 1200, sizes
    # The first customer also pays for the shared API-server grant, once.
    assert sizes[1] - sizes[0] <= 1200 + 200, sizes
    assert abs((sizes[40] - sizes[20]) - (sizes[20] - sizes[0])) <= 0.05 * sizes[20], sizes


def test_document_is_json_serializable_as_is() -> None:
    model = load_model(REPO / "customers", REPO / "tailnet/highflame.yaml")
    document = build_policy(model)
    assert json.loads(json.dumps(document)) == document
