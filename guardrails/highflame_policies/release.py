"""The tailscale-operator Helm release: pinned exactly, and free of plain-text secrets."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from pulumi_policy import (
    PolicyResource,
    ReportViolation,
    ResourceValidationArgs,
    StackValidationArgs,
)

from highflame_policies.limits import (
    CHART_NAME,
    CHART_REPO,
    CHART_VERSION,
    IMAGE_KEYS,
    IMAGE_TAG,
    OAUTH_CLIENT_TYPE,
    RELEASE_NAME,
    RELEASE_NAMESPACE,
    RELEASE_TYPE,
    TAILSCALE_KEY_PREFIX,
)
from highflame_policies.props import MISSING, UNKNOWN, dotted, lookup, string_leaves

_SECRET_PATH = ("oauth", "clientSecret")


def _expect(props: Any, path: tuple[str, ...], wanted: str, why: str) -> list[str]:
    value = lookup(props, *path)
    if value is UNKNOWN:
        return []  # computed: checked again by `pulumi up`, when it is known
    if value is MISSING:
        return [f"{dotted(path)} is not set; it must be {wanted!r} ({why})"]
    if value != wanted:
        return [f"{dotted(path)} is {value!r}; it must be {wanted!r} ({why})"]
    return []


def pin_violations(props: Any) -> list[str]:
    """Everything about a Release that departs from the reviewed pin."""
    problems = [
        *_expect(props, ("chart",), CHART_NAME, "the tailscale operator chart"),
        *_expect(props, ("version",), CHART_VERSION, "no floating chart version"),
        *_expect(props, ("repositoryOpts", "repo"), CHART_REPO, "Tailscale's chart repository"),
        *_expect(props, ("name",), RELEASE_NAME, "the customer's `helm uninstall` kill switch"),
        *_expect(props, ("namespace",), RELEASE_NAMESPACE, "the operator's only namespace"),
    ]
    for key in IMAGE_KEYS:
        tag_path = ("values", key, "image", "tag")
        tag = lookup(props, *tag_path)
        if tag == "latest":
            problems.append(f"{dotted(tag_path)} is 'latest'; images are pinned to {IMAGE_TAG!r}")
        else:
            problems.extend(_expect(props, tag_path, IMAGE_TAG, "pinned image, no auto-upgrade"))
        digest_path = ("values", key, "image", "digest")
        if lookup(props, *digest_path) not in (MISSING, UNKNOWN, ""):
            problems.append(
                f"{dotted(digest_path)} is set; a digest overrides the reviewed tag pin"
            )
    return problems


def validate_release_pinned(args: ResourceValidationArgs, report: ReportViolation) -> None:
    """Resource policy: the operator release is exactly the reviewed chart and images."""
    if args.resource_type != RELEASE_TYPE:
        return
    for problem in pin_violations(args.props):
        report(problem, None)


def plaintext_violations(props: Any) -> list[str]:
    """Tailscale keys pasted into the values, and an empty client secret."""
    values = lookup(props, "values")
    problems: list[str] = []
    secret = lookup(values, *_SECRET_PATH)
    if secret == "":
        problems.append("values.oauth.clientSecret is empty")
    for path, text in string_leaves(values):
        if path != _SECRET_PATH and text.startswith(TAILSCALE_KEY_PREFIX):
            problems.append(
                f"values.{dotted(path)} holds a Tailscale key in plain text; only "
                "oauth.clientSecret may carry the credential, as a Pulumi secret"
            )
    return problems


def validate_release_no_plaintext_secret(
    args: ResourceValidationArgs, report: ReportViolation
) -> None:
    """Resource policy: no Tailscale key anywhere in the values outside oauth.clientSecret."""
    if args.resource_type != RELEASE_TYPE:
        return
    for problem in plaintext_violations(args.props):
        report(problem, None)


def _value_sources(resource: PolicyResource) -> Iterable[PolicyResource]:
    # Property dependencies say exactly what `values` was computed from; older engines send
    # only resource-level dependencies, which are a superset and still name the OAuth client.
    return resource.property_dependencies.get("values") or resource.dependencies


def secret_source_violation(resource: PolicyResource) -> str | None:
    """Why a Release's client secret is not the OAuth client's secret output, if it is not.

    CrossGuard hands policies secret values unwrapped (indistinguishable from literals), so
    secrecy is proven by where the value comes from: the environment's OauthClient `key`, an
    output the provider always marks secret. A known value with no such source is a literal
    typed into the program or config.
    """
    secret = lookup(lookup(resource.props, "values"), *_SECRET_PATH)
    if secret in (MISSING, UNKNOWN):
        return None  # federated identity (no secret), or still being computed from the client
    if any(source.resource_type == OAUTH_CLIENT_TYPE for source in _value_sources(resource)):
        return None
    return (
        "values.oauth.clientSecret is a plain value: it must be the environment's OauthClient "
        "`key` output (a Pulumi secret), never a literal string"
    )


def validate_release_secret_source(args: StackValidationArgs, report: ReportViolation) -> None:
    """Stack policy: every Release's client secret flows from an OauthClient resource."""
    for resource in args.resources:
        if resource.resource_type != RELEASE_TYPE:
            continue
        problem = secret_source_violation(resource)
        if problem is not None:
            report(problem, resource.urn)
