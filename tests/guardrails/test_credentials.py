"""Each operator credential carries exactly its own customer's operator tag."""

from __future__ import annotations

import pytest

from highflame_policies.credentials import validate_credential_tags
from highflame_policies.stacks import environment_stack, stack_from_urn
from tests.guardrails.support import (
    FEDERATED_IDENTITY,
    OAUTH_CLIENT,
    RELEASE,
    UNKNOWN,
    resource_args,
    violations,
)

SCOPES = ["auth_keys", "devices:core", "services"]


@pytest.mark.parametrize("typ", [OAUTH_CLIENT, FEDERATED_IDENTITY])
@pytest.mark.parametrize(
    ("stack", "tag"),
    [
        ("acme-prod", "tag:k8s-operator-acme"),
        ("acme-dev", "tag:k8s-operator-acme"),
        ("big-co-prod2", "tag:k8s-operator-big-co"),
    ],
)
def test_own_customer_tag_passes(typ: str, stack: str, tag: str) -> None:
    args = resource_args(typ, {"tags": [tag], "scopes": SCOPES}, stack=stack)
    assert violations(validate_credential_tags, args) == []


@pytest.mark.parametrize(
    ("tags", "stack"),
    [
        (["tag:k8s-operator-globex"], "acme-prod"),  # another customer's tag
        (["tag:k8s-operator-acme", "tag:k8s-operator-globex"], "acme-prod"),  # two tags
        (["tag:k8s-operator-acme", "tag:highflame-iac"], "acme-prod"),
        ([], "acme-prod"),
        (["tag:k8s-operator-big"], "big-co-prod"),  # prefix of the real customer
    ],
)
def test_wrong_or_extra_tags_are_violations(tags: list[str], stack: str) -> None:
    args = resource_args(OAUTH_CLIENT, {"tags": tags, "scopes": SCOPES}, stack=stack)
    found = violations(validate_credential_tags, args)
    assert len(found) == 1
    assert found[0][0].startswith(f"tags are {tags!r}; a credential of stack {stack!r}")


def test_missing_tags_are_a_violation() -> None:
    args = resource_args(FEDERATED_IDENTITY, {"scopes": SCOPES}, stack="acme-dev")
    assert len(violations(validate_credential_tags, args)) == 1


def test_credential_in_the_tailnet_stack_is_a_violation() -> None:
    args = resource_args(OAUTH_CLIENT, {"tags": ["tag:k8s-operator-acme"]}, stack="tailnet")
    found = violations(validate_credential_tags, args)
    assert "the tailnet stack owns the policy only" in found[0][0]


def test_unparseable_stack_is_a_violation() -> None:
    args = resource_args(OAUTH_CLIENT, {"tags": ["tag:k8s-operator-acme"]}, stack="Acme_Prod")
    assert "is not <customer>-<env>" in violations(validate_credential_tags, args)[0][0]


def test_computed_tags_are_left_to_the_update() -> None:
    args = resource_args(OAUTH_CLIENT, {"tags": UNKNOWN})
    assert violations(validate_credential_tags, args) == []


def test_other_types_are_ignored() -> None:
    args = resource_args(RELEASE, {"tags": ["tag:anything"]})
    assert violations(validate_credential_tags, args) == []


def test_stack_name_comes_from_the_urn() -> None:
    urn = "urn:pulumi:acme-prod::highflame-access::a$tailscale:index/oauthClient:OauthClient::x"
    assert stack_from_urn(urn) == "acme-prod"
    assert stack_from_urn("not-a-urn") is None
    parsed = environment_stack("big-co-prod")
    assert parsed is not None
    assert (parsed.customer, parsed.environment) == ("big-co", "prod")
    assert environment_stack("tailnet") is None
    assert environment_stack("acme-") is None
