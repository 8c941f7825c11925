"""The pack keeps its own copy of the access model's limits: each copy equals the core's.

The pack runs in its own virtualenv and cannot import `hfaccess`, so pins and lists live twice;
these tests make the two copies agree, and make both RBAC checkers judge every rule alike.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from hfaccess.install import chart, rbac
from hfaccess.install.values import helm_values, placeholder_credential
from hfaccess.registry import names
from highflame_policies import limits
from highflame_policies.rbac import validate_sre_role_read_only
from tests.guardrails.support import CLUSTER_ROLE, resource_args, violations
from tests.support import rbac_guard
from tests.support.samples import sample_refs


@pytest.mark.parametrize(
    ("name", "core"),
    [
        ("CHART_NAME", chart.CHART_NAME),
        ("CHART_VERSION", chart.CHART_VERSION),
        ("CHART_REPO", chart.CHART_REPOSITORY),
        ("IMAGE_TAG", chart.IMAGE_TAG),
        ("RELEASE_NAME", chart.RELEASE_NAME),
        ("RELEASE_NAMESPACE", chart.RELEASE_NAMESPACE),
        ("SRE_ROLE_NAME", rbac.ROLE_NAME),
        ("TAILNET_STACK", names.TAILNET_STACK),
    ],
)
def test_pinned_value_is_the_cores(name: str, core: str) -> None:
    assert getattr(limits, name) == core


def test_never_exposed_services_are_the_cores() -> None:
    from hfaccess.install.exposures import EXPOSE_ANNOTATION
    from hfaccess.registry.models import API_SERVER_SERVICE

    assert limits.API_SERVER_SERVICE == API_SERVER_SERVICE
    assert frozenset({names.OPERATOR_NAMESPACE}) == limits.NEVER_EXPOSED_NAMESPACES
    assert limits.EXPOSE_ANNOTATION == EXPOSE_ANNOTATION


def test_release_coordinates_are_the_customers_kill_switch() -> None:
    # `helm uninstall tailscale-operator -n tailscale` must hit what both sides pin.
    assert (limits.RELEASE_NAME, limits.RELEASE_NAMESPACE) == (
        names.OPERATOR_RELEASE,
        names.OPERATOR_NAMESPACE,
    )


@pytest.mark.parametrize("ref", list(sample_refs().values()), ids=lambda ref: ref.stack)
def test_image_keys_are_where_the_core_pins_images(ref: Any) -> None:
    values = helm_values(ref, placeholder_credential(ref.environment.credentials))
    with_image = {key for key, section in values.items() if "image" in section}
    assert with_image == set(limits.IMAGE_KEYS)
    assert {values[key]["image"]["tag"] for key in limits.IMAGE_KEYS} == {limits.IMAGE_TAG}


@given(st.from_regex(names.CUSTOMER_NAME_RE, fullmatch=True))
def test_operator_tag_is_the_cores(customer: str) -> None:
    assert limits.operator_tag(customer) == names.operator_tag(customer)


def test_read_verbs_are_the_cores() -> None:
    assert limits.READ_VERBS == rbac_guard.READ_VERBS == frozenset(rbac.READ)


def test_forbidden_api_groups_are_the_cores_plus_the_wildcard() -> None:
    assert rbac_guard.FORBIDDEN_API_GROUPS | {rbac_guard.WILDCARD} == limits.FORBIDDEN_API_GROUPS


def test_forbidden_resources_are_the_cores() -> None:
    # The pack refuses a resource with all its subresources; the core lists both, and refuses
    # every subresource of the same resources.
    whole = {r for r in rbac_guard.FORBIDDEN_RESOURCES if "/" not in r}
    assert limits.FORBIDDEN_RESOURCES == whole == rbac_guard.FORBIDDEN_WITH_SUBRESOURCES


def test_forbidden_subresources_are_the_cores() -> None:
    listed = {
        r
        for r in rbac_guard.FORBIDDEN_RESOURCES
        if "/" in r and r.split("/", 1)[0] not in rbac_guard.FORBIDDEN_WITH_SUBRESOURCES
    }
    assert listed == limits.FORBIDDEN_SUBRESOURCES
    suffixes = tuple(f"/{sub}" for sub in sorted(rbac_guard.FORBIDDEN_SUBRESOURCES))
    assert suffixes == limits.FORBIDDEN_SUBRESOURCE_SUFFIXES


def test_forbidden_verbs_are_refused_by_the_core() -> None:
    # The core has no verb list: it refuses every verb outside READ_VERBS. The pack's named
    # verbs must all be outside it, and the core must refuse each one.
    assert limits.FORBIDDEN_VERBS.isdisjoint(rbac_guard.READ_VERBS)
    for verb in limits.FORBIDDEN_VERBS:
        assert rbac_guard.rule_problems({"verbs": [verb]}), verb


# -- both checkers judge rules alike -----------------------------------------------------------


def _pack_flags(rules: list[dict[str, Any]]) -> set[int]:
    """Indices of the rules the pack's role policy reports, run the way CrossGuard runs it."""
    role = {"metadata": {"name": limits.SRE_ROLE_NAME}, "rules": rules}
    args = resource_args(CLUSTER_ROLE, role, name=f"acme-prod-{limits.SRE_ROLE_NAME}")
    found = violations(validate_sre_role_read_only, args)
    return {int(m.group(1)) for message, _ in found if (m := re.match(r"rules\[(\d+)\]", message))}


def _core_flags(rules: list[dict[str, Any]]) -> set[int]:
    found = rbac_guard.forbidden_grants(rules)
    return {int(m.group(1)) for line in found if (m := re.match(r"rule (\d+):", line))}


def test_the_cores_default_role_passes_the_packs_policy() -> None:
    manifest = rbac.cluster_role_manifest()
    assert manifest["metadata"]["name"] == limits.SRE_ROLE_NAME
    args = resource_args(CLUSTER_ROLE, manifest, name=f"acme-prod-{limits.SRE_ROLE_NAME}")
    assert violations(validate_sre_role_read_only, args) == []
    assert rbac_guard.forbidden_grants(manifest["rules"]) == []


GROUPS = sorted(
    {"", "apps", "batch", "metrics.k8s.io", "certificates.k8s.io", "apps*", "*.k8s.io"}
    | limits.FORBIDDEN_API_GROUPS
    | rbac_guard.FORBIDDEN_API_GROUPS
)
RESOURCES = sorted(
    {r for rule in rbac.HIGHFLAME_SRE_RULES for r in rule.resources}
    | rbac_guard.FORBIDDEN_RESOURCES
    | limits.FORBIDDEN_RESOURCES
    | limits.FORBIDDEN_SUBRESOURCES
    | {"*", "pods/*", "secrets/anything", "foo.example.com/proxy", "nodes/metrics"}
    | {"certificatesigningrequests/whatever", "serviceaccounts", "secretsx"}
)
VERBS = sorted(
    limits.READ_VERBS | limits.FORBIDDEN_VERBS | {"approve", "sign", "use", "GET", "proxy"}
)
URLS = ["/healthz", "/metrics", "/api/*", "*"]


def _field(choices: list[str]) -> st.SearchStrategy[Any]:
    """A rule field as Kubernetes takes it (a list), or as a bare string the core also reads."""
    return st.one_of(st.lists(st.sampled_from(choices), max_size=3), st.sampled_from(choices))


rule = st.fixed_dictionaries(
    {},
    optional={
        "apiGroups": _field(GROUPS),
        "resources": _field(RESOURCES),
        "verbs": _field(VERBS),
        "nonResourceURLs": _field(URLS),
    },
)


@given(st.lists(rule, max_size=5))
def test_a_rule_is_flagged_by_the_pack_exactly_when_the_core_flags_it(
    rules: list[dict[str, Any]],
) -> None:
    assert _pack_flags(rules) == _core_flags(rules)


def _named_rule(group: str, resource: str, verb: str) -> dict[str, Any]:
    return {"apiGroups": [group], "resources": [resource], "verbs": [verb]}


NAMED_CASES = (
    [(_named_rule("", r, "get"), True) for r in sorted(rbac_guard.FORBIDDEN_RESOURCES)]
    + [(_named_rule(g, "pods", "get"), True) for g in sorted(limits.FORBIDDEN_API_GROUPS)]
    + [(_named_rule("", "pods", v), v not in limits.READ_VERBS) for v in VERBS]
)


@pytest.mark.parametrize(
    ("bad", "flagged"), NAMED_CASES, ids=[str(list(rule.values())) for rule, _ in NAMED_CASES]
)
def test_every_named_limit_is_flagged_by_both(bad: dict[str, Any], flagged: bool) -> None:
    rules = [*rbac.cluster_role_manifest()["rules"], bad]
    expected = {len(rules) - 1} if flagged else set()
    assert _core_flags(rules) == expected
    assert _pack_flags(rules) == expected
