"""Posture, recording and break-glass in the generated policy, and the checker catching every
tampering with them (the recorder exception and nothing wider)."""

from __future__ import annotations

import copy
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from hfaccess.install.plan import install_plan
from hfaccess.policy.builder import build_policy
from hfaccess.policy.capability import KUBERNETES_CAPABILITY
from hfaccess.policy.checker import check_policy
from hfaccess.policy.elevation import (
    RECORDER_PORT,
    elevated_group,
    elevated_groups,
    elevation_attribute,
    unrecorded_admin_notes,
)
from hfaccess.registry.highflame import HighflameConfig
from hfaccess.registry.workspace import AccessModel
from tests.support.models import customer_doc, make_model

RECORDER = "tag:highflame-recorder"
GLASS = {"role": "cluster-admin", "engineers": ["alice@highflame.ai"], "max_duration": "4h"}


def _model(
    *,
    posture: tuple[str, ...] = ("node:tsReleaseTrack == 'stable'",),
    recording: bool = True,
    acme: dict[str, Any] | None = None,
    globex: dict[str, Any] | None = None,
) -> AccessModel:
    base = make_model(
        [
            customer_doc("acme", acme or {"prod": {"break_glass": GLASS}, "dev": {}}),
            customer_doc("globex", globex or {"prod": {}}),
        ]
    )
    highflame: dict[str, Any] = {
        "sre": {"members": list(base.highflame.sre.members), "posture": list(posture)},
        "operator_tag_owners": ["tag:highflame-iac"],
        "base_policy": {"tagOwners": {"tag:highflame-iac": []}},
    }
    if recording:
        highflame["recording"] = {"recorder_tag": RECORDER}
    return AccessModel(base.registry, HighflameConfig.model_validate(highflame))


def _grant(document: dict[str, Any], src: str, dst: str) -> dict[str, Any]:
    found: list[dict[str, Any]] = [
        g for g in document["grants"] if g["src"] == [src] and dst in g["dst"]
    ]
    assert len(found) == 1, found
    return found[0]


def _violations(document: dict[str, Any], model: AccessModel) -> list[str]:
    return [str(v) for v in check_policy(document, model)]


def test_elevated_grant_is_one_login_posture_gated_recorded_to_its_environment_group() -> None:
    model = _model()
    document = build_policy(model)
    grant = _grant(document, "alice@highflame.ai", "tag:cust-acme")
    assert grant["dst"] == ["tag:cust-acme"]
    assert grant["ip"] == ["tcp:443"]
    assert grant["srcPosture"] == ["posture:hf_elevate_acme_prod"]
    (capability,) = grant["app"][KUBERNETES_CAPABILITY]
    assert capability == {
        "impersonate": {"groups": ["highflame-elevated-acme-prod"]},
        "recorder": [RECORDER],
        "enforceRecorder": True,
    }
    group = capability["impersonate"]["groups"][0]
    assert group != "highflame-sre"
    assert not group.startswith("system:")
    assert document["postures"]["posture:hf_elevate_acme_prod"] == [
        "node:tsReleaseTrack == 'stable'",
        f"{elevation_attribute('acme', 'prod')} == 'granted'",
    ]
    assert elevated_groups(model.registry) == {("acme", "prod"): "highflame-elevated-acme-prod"}
    assert check_policy(document, model) == []


def test_standing_grants_carry_the_sre_posture_and_recorded_customers_the_recorder() -> None:
    model = _model()
    document = build_policy(model)
    standing = [g for g in document["grants"] if g["src"] == ["group:highflame-sre"]]
    assert standing
    assert all(g["srcPosture"] == ["posture:hf_sre"] for g in standing)
    acme = _grant(document, "group:highflame-sre", "tag:cust-acme")
    globex = _grant(document, "group:highflame-sre", "tag:cust-globex")
    assert acme["dst"] == ["tag:cust-acme"]  # split: globex is not recorded
    assert acme["app"][KUBERNETES_CAPABILITY][0]["enforceRecorder"] is True
    assert "recorder" not in globex["app"][KUBERNETES_CAPABILITY][0]
    recorder_rules = [g for g in document["grants"] if RECORDER in g["dst"]]
    assert recorder_rules == [
        {"src": ["tag:cust-acme"], "dst": [RECORDER], "ip": [f"tcp:{RECORDER_PORT}"]}
    ]
    assert document["tagOwners"][RECORDER] == []


def test_standing_cluster_admin_is_recorded_when_recording_is_configured() -> None:
    model = _model(acme={"prod": {}}, globex={"prod": {"cluster_role": "cluster-admin"}})
    document = build_policy(model)
    globex = _grant(document, "group:highflame-sre", "tag:cust-globex")
    assert globex["app"][KUBERNETES_CAPABILITY][0]["recorder"] == [RECORDER]
    assert [g["src"] for g in document["grants"] if RECORDER in g["dst"]] == [["tag:cust-globex"]]
    assert check_policy(document, model) == []


def test_standing_cluster_admin_without_recording_is_allowed_but_flagged() -> None:
    model = _model(
        recording=False, acme={"prod": {}}, globex={"prod": {"cluster_role": "cluster-admin"}}
    )
    document = build_policy(model)
    assert check_policy(document, model) == []
    assert not any("recorder" in str(g) for g in document["grants"])
    assert unrecorded_admin_notes(model.registry, model.highflame) == [
        "globex-prod: standing cluster-admin WITHOUT session recording (configure "
        "recording.recorder_tag in tailnet/highflame.yaml)"
    ]


def test_no_posture_configured_means_no_postures_and_no_src_posture() -> None:
    model = _model(posture=(), recording=False, acme={"prod": {}})
    document = build_policy(model)
    assert "postures" not in document
    assert all("srcPosture" not in g for g in document["grants"])


def test_revoked_customer_gets_no_elevated_grant_and_no_recorder_rule() -> None:
    base = _model()
    customers = [
        customer_doc("acme", {"prod": {"break_glass": GLASS}}, revoked=True),
        customer_doc("globex"),
    ]
    model = AccessModel(make_model(customers).registry, base.highflame)
    document = build_policy(model)
    assert not any(g["src"] == ["alice@highflame.ai"] for g in document["grants"])
    assert not any(RECORDER in g["dst"] for g in document["grants"])
    assert "posture:hf_elevate_acme_prod" not in document.get("postures", {})
    assert check_policy(document, model) == []


def _tampered(edit: str) -> tuple[dict[str, Any], AccessModel]:
    model = _model()
    document = copy.deepcopy(build_policy(model))
    alice = _grant(document, "alice@highflame.ai", "tag:cust-acme")
    cap = alice["app"][KUBERNETES_CAPABILITY][0]
    recorder = next(g for g in document["grants"] if RECORDER in g["dst"])
    standing = _grant(document, "group:highflame-sre", "tag:cust-acme")
    if edit == "elevated-without-posture":
        del alice["srcPosture"]
    elif edit == "elevated-with-sre-posture":
        alice["srcPosture"] = ["posture:hf_sre"]
    elif edit == "elevated-to-system-masters":
        cap["impersonate"]["groups"] = ["system:masters"]
    elif edit == "elevated-to-standing-group":
        cap["impersonate"]["groups"] = ["highflame-sre"]
    elif edit == "elevated-unrecorded":
        del cap["enforceRecorder"]
    elif edit == "elevated-other-engineer":
        alice["src"] = ["bob@highflame.ai"]
    elif edit == "elevated-wider-ports":
        alice["ip"] = ["tcp:443", "tcp:22"]
    elif edit == "elevated-to-other-customer":
        alice["dst"] = ["tag:cust-globex"]
    elif edit == "elevated-to-proxies":
        alice["dst"] = ["tag:k8s-acme"]
    elif edit == "elevation-posture-weakened":
        document["postures"]["posture:hf_elevate_acme_prod"] = ["node:tsReleaseTrack == 'stable'"]
    elif edit == "sre-posture-dropped":
        del standing["srcPosture"]
    elif edit == "sre-posture-definition-changed":
        document["postures"]["posture:hf_sre"] = ["node:os == 'linux'"]
    elif edit == "standing-recorder-dropped":
        standing["app"][KUBERNETES_CAPABILITY] = [{"impersonate": {"groups": ["highflame-sre"]}}]
    elif edit == "recorder-wider-port":
        recorder["ip"] = ["tcp:80", "tcp:22"]
    elif edit == "recorder-from-unrecorded-customer":
        recorder["src"] = ["tag:cust-acme", "tag:cust-globex"]
    elif edit == "recorder-from-proxy-tag":
        recorder["src"] = ["tag:k8s-acme"]
    elif edit == "customer-to-engineer-via-recorder-rule":
        recorder["dst"] = [RECORDER, "alice@highflame.ai"]
    elif edit == "recorder-rule-removed":
        document["grants"].remove(recorder)
    elif edit == "recorder-reached-by-engineers":
        document["grants"].append({"src": ["group:highflame-sre"], "dst": [RECORDER], "ip": ["*"]})
    else:  # pragma: no cover
        raise AssertionError(edit)
    return document, model


@pytest.mark.parametrize(
    ("edit", "expected"),
    [
        ("elevated-without-posture", "invariant 8"),
        ("elevated-with-sre-posture", "invariant 8"),
        ("elevated-to-system-masters", "invariant 8"),
        ("elevated-to-standing-group", "invariant 8"),
        ("elevated-unrecorded", "invariant 8"),
        ("elevated-other-engineer", "only group:highflame-sre may reach tag:cust-acme"),
        ("elevated-wider-ports", "only tcp:443"),
        ("elevated-to-other-customer", "only group:highflame-sre may reach tag:cust-globex"),
        ("elevated-to-proxies", "only group:highflame-sre may reach tag:k8s-acme"),
        ("elevation-posture-weakened", "postures.posture:hf_elevate_acme_prod"),
        ("sre-posture-dropped", "standing SRE grant must have srcPosture"),
        ("sre-posture-definition-changed", "postures.posture:hf_sre"),
        ("standing-recorder-dropped", "must be exactly"),
        ("recorder-wider-port", "customer devices must initiate nothing"),
        ("recorder-from-unrecorded-customer", "tag:cust-globex is customer globex's tag"),
        ("recorder-from-proxy-tag", "tag:k8s-acme is customer acme's tag"),
        ("customer-to-engineer-via-recorder-rule", "customer devices must initiate nothing"),
        ("recorder-rule-removed", "must reach tag:highflame-recorder on tcp:80"),
        ("recorder-reached-by-engineers", "only recorded customers' operators reach"),
    ],
)
def test_checker_refuses_every_tampering(edit: str, expected: str) -> None:
    document, model = _tampered(edit)
    violations = _violations(document, model)
    assert any(expected in v for v in violations), violations


@given(
    customer=st.from_regex(r"[a-z](?:[a-z0-9-]{0,8}[a-z0-9])?", fullmatch=True),
    env=st.from_regex(r"[a-z][a-z0-9]{0,5}", fullmatch=True),
    other_customer=st.from_regex(r"[a-z](?:[a-z0-9-]{0,8}[a-z0-9])?", fullmatch=True),
    other_env=st.from_regex(r"[a-z][a-z0-9]{0,5}", fullmatch=True),
)
def test_elevation_names_are_distinct_per_environment(
    customer: str, env: str, other_customer: str, other_env: str
) -> None:
    same = (customer, env) == (other_customer, other_env)
    assert (elevated_group(customer, env) == elevated_group(other_customer, other_env)) == same
    assert (
        elevation_attribute(customer, env) == elevation_attribute(other_customer, other_env)
    ) == same


_roles = st.sampled_from(["highflame-sre", "view", "cluster-admin"])


@st.composite
def _registries(draw: st.DrawFn) -> AccessModel:
    customers = []
    for name in draw(st.lists(st.sampled_from(["acme", "globex", "a-b"]), min_size=1, unique=True)):
        envs: dict[str, Any] = {}
        for env in draw(st.lists(st.sampled_from(["prod", "dev", "qa"]), min_size=1, unique=True)):
            role = draw(_roles)
            doc: dict[str, Any] = {"cluster_role": role, "revoked": draw(st.booleans())}
            elevated = st.sampled_from([r for r in ("view", "cluster-admin") if r != role])
            if not doc["revoked"] and draw(st.booleans()):
                doc["break_glass"] = {
                    "role": draw(elevated),
                    "engineers": draw(
                        st.lists(
                            st.sampled_from(["alice@highflame.ai", "bob@highflame.ai"]),
                            min_size=1,
                            unique=True,
                        )
                    ),
                    "max_duration": draw(st.sampled_from(["30m", "4h", "24h"])),
                }
            envs[env] = doc
        customers.append(customer_doc(name, envs, revoked=draw(st.booleans())))
    base = make_model(customers)
    highflame = {
        "sre": {
            "members": ["alice@highflame.ai", "bob@highflame.ai"],
            "posture": draw(st.sampled_from([[], ["node:os IN ['macos', 'linux']"]])),
        },
        "operator_tag_owners": ["tag:highflame-iac"],
        "recording": {"recorder_tag": RECORDER},
        "base_policy": {"tagOwners": {"tag:highflame-iac": []}},
    }
    return AccessModel(base.registry, HighflameConfig.model_validate(highflame))


@given(_registries())
def test_every_generated_policy_passes_the_checker_and_binds_groups_in_place(
    model: AccessModel,
) -> None:
    document = build_policy(model)
    assert check_policy(document, model) == []
    groups = elevated_groups(model.registry)
    for ref in model.registry.environments():
        bound = {
            s["name"]
            for m in install_plan(ref).rbac
            if m["kind"] == "ClusterRoleBinding"
            for s in m["subjects"]
        }
        own = groups.get((ref.customer.name, ref.name))
        assert bound - {"highflame-sre"} == ({own} if own else set())
        if own is not None:  # only elevated environments of active customers bind a group
            assert ref.active
    recorder_sources = {s for g in document["grants"] if RECORDER in g["dst"] for s in g["src"]}
    assert recorder_sources == {f"tag:cust-{c}" for c, _ in groups} | {
        f"tag:cust-{ref.customer.name}"
        for ref in model.registry.environments()
        if ref.active and ref.environment.cluster_role.value == "cluster-admin"
    }
