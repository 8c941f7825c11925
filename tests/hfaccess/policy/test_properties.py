"""Properties over random registries: generated policies always pass; breakages never do."""

from __future__ import annotations

import copy
import json
from collections import Counter
from typing import Any

from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from hfaccess.policy.builder import build_policy, customer_accesses
from hfaccess.policy.capability import KUBERNETES_CAPABILITY
from hfaccess.policy.checker import check_policy
from hfaccess.policy.serialize import policy_text
from hfaccess.registry import names
from hfaccess.registry.collisions import derived_names
from hfaccess.registry.models import Customer
from hfaccess.registry.workspace import AccessModel
from tests.support.models import make_model

SRE = "group:highflame-sre"

customer_names = st.from_regex(r"[a-z](?:[a-z0-9-]{0,14}[a-z0-9])?", fullmatch=True).filter(
    lambda name: names.reserved_customer_name(name) is None
)
adversarial_names = st.builds(
    lambda prefix, base: f"{prefix}{base}",
    st.sampled_from(["", "operator-", "k8s-", "cust-", "k8s-operator-"]),
    st.sampled_from(["acme", "globex", "a", "acme-prod"]),
).filter(lambda name: names.reserved_customer_name(name) is None)
exposures = st.dictionaries(
    st.from_regex(r"[a-z][a-z0-9]{0,6}", fullmatch=True).filter(lambda n: n != "kube"),
    st.fixed_dictionaries(
        {
            "namespace": st.just("highflame"),
            "service": st.just("studio"),
            "port": st.sampled_from([80, 443, 3000, 5432, 8080]),
            "via": st.sampled_from(["ingress", "service"]),
        }
    ),
    max_size=2,
)
environment = st.fixed_dictionaries(
    {"revoked": st.booleans(), "exposures": exposures},
    optional={"cluster_role": st.sampled_from(["view", "cluster-admin"])},
)


def customers(name_strategy: st.SearchStrategy[str]) -> st.SearchStrategy[list[dict[str, Any]]]:
    return st.dictionaries(
        name_strategy,
        st.tuples(
            st.dictionaries(
                st.from_regex(r"[a-z][a-z0-9]{0,5}", fullmatch=True),
                environment,
                min_size=1,
                max_size=3,
            ),
            st.booleans(),
        ),
        min_size=1,
        max_size=8,
    ).map(
        lambda d: [
            {"name": n, "environments": envs, "revoked": revoked}
            for n, (envs, revoked) in d.items()
        ]
    )


def _collides(docs: list[dict[str, Any]]) -> bool:
    claimed = Counter(
        (namespace, name)
        for doc in docs
        for namespace, name, _ in derived_names(Customer.model_validate(doc))
    )
    return any(count > 1 for count in claimed.values())


members = st.lists(
    st.sampled_from(["alice@highflame.ai", "bob@highflame.ai", "carol@highflame.ai"]),
    unique=True,
    max_size=3,
)


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.filter_too_much])
@given(customers(customer_names).filter(lambda docs: not _collides(docs)), members)
def test_every_valid_registry_builds_a_policy_that_passes_the_checker(
    docs: list[dict[str, Any]], sre: list[str]
) -> None:
    model = make_model(docs, members=sre)
    document = build_policy(model)
    assert check_policy(document, model) == []
    text = policy_text(document)
    assert json.loads(text) == document
    assert policy_text(build_policy(make_model(docs[::-1], members=sre))) == text
    per_customer = 3 if sre else 2
    assert len(document["tests"]) == per_customer * len(docs)
    assert len(text.encode()) <= 600 + 1200 * len(docs)


@settings(max_examples=60, deadline=None)
@given(customers(adversarial_names), members)
def test_name_collisions_are_reported_exactly_when_they_exist(
    docs: list[dict[str, Any]], sre: list[str]
) -> None:
    model = make_model(docs, members=sre)
    found = check_policy(build_policy(model), model)
    assert any(v.invariant == 7 for v in found) == _collides(docs)


def _pick(model: AccessModel, index: int, reachable: bool) -> str | None:
    candidates = [a.name for a in customer_accesses(model) if a.reachable == reachable]
    return candidates[index % len(candidates)] if candidates else None


def _break(document: dict[str, Any], kind: str, customer: str, other: str) -> int:
    """Apply one breakage to `document`; return the invariant it must trip."""
    grants = document["grants"]
    if kind == "wildcard":
        grants.append({"src": [SRE], "dst": ["*"], "ip": ["*"]})
        return 2
    if kind == "from-customer":
        grants.append({"src": [names.proxy_tag(customer)], "dst": [SRE], "ip": ["*"]})
        return 2
    if kind == "cross-owner":
        document["tagOwners"][names.proxy_tag(customer)] = [names.operator_tag(other)]
        return 4
    if kind == "masters":
        grants.append(
            {
                "src": [SRE],
                "dst": [names.operator_device_tag(customer)],
                "ip": ["tcp:443"],
                "app": {KUBERNETES_CAPABILITY: [{"impersonate": {"groups": ["system:masters"]}}]},
            }
        )
        return 3
    if kind == "undefined":
        del document["tagOwners"][names.operator_device_tag(customer)]
        return 1
    raise AssertionError(kind)


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.filter_too_much])
@given(
    customers(customer_names).filter(lambda docs: not _collides(docs)),
    st.sampled_from(["wildcard", "from-customer", "cross-owner", "masters", "undefined"]),
    st.integers(0, 7),
)
def test_every_breakage_of_any_registry_is_caught(
    docs: list[dict[str, Any]], kind: str, index: int
) -> None:
    model = make_model(docs)
    customer = _pick(model, index, reachable=True)
    assume(customer is not None)
    assert customer is not None
    others = sorted(d["name"] for d in docs if d["name"] != customer)
    assume(kind != "cross-owner" or others)
    other = others[index % len(others)] if others else customer
    document = copy.deepcopy(build_policy(model))
    invariant = _break(document, kind, customer, other)
    assert invariant in {v.invariant for v in check_policy(document, model)}


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.filter_too_much])
@given(customers(customer_names).filter(lambda docs: not _collides(docs)), st.integers(0, 7))
def test_any_grant_to_a_revoked_customer_is_caught(docs: list[dict[str, Any]], index: int) -> None:
    model = make_model(docs)
    revoked = _pick(model, index, reachable=False)
    if revoked is None:
        return
    document = copy.deepcopy(build_policy(model))
    document["grants"].append(
        {"src": [SRE], "dst": [names.operator_device_tag(revoked)], "ip": ["tcp:443"]}
    )
    assert 5 in {v.invariant for v in check_policy(document, model)}
