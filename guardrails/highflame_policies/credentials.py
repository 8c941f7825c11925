"""Each operator credential carries exactly one tag: its own customer's operator tag."""

from __future__ import annotations

from typing import Any

from pulumi_policy import ReportViolation, ResourceValidationArgs

from highflame_policies.limits import CREDENTIAL_TYPES, TAILNET_STACK, operator_tag
from highflame_policies.props import UNKNOWN, elements, lookup
from highflame_policies.stacks import environment_stack, stack_from_urn


def credential_violation(props: Any, urn: str) -> str | None:
    """Why a credential's tags are wrong for the stack it is declared in, if they are."""
    stack = stack_from_urn(urn)
    if stack is None:
        return f"cannot tell the stack from URN {urn!r}"
    if stack == TAILNET_STACK:
        return "the tailnet stack owns the policy only; operator credentials belong to <customer>-<env> stacks"
    parsed = environment_stack(stack)
    if parsed is None:
        return f"stack {stack!r} is not <customer>-<env>; cannot tell whose credential this is"
    tags = lookup(props, "tags")
    if tags is UNKNOWN:
        return None
    items = elements(tags)
    if UNKNOWN in items:
        return None
    expected = [operator_tag(parsed.customer)]
    if items != expected:
        return (
            f"tags are {items!r}; a credential of stack {stack!r} must carry exactly "
            f"{expected!r} (one customer's operator tag, and only its own)"
        )
    return None


def validate_credential_tags(args: ResourceValidationArgs, report: ReportViolation) -> None:
    """Resource policy over OAuth clients and federated identities."""
    if args.resource_type not in CREDENTIAL_TYPES:
        return
    problem = credential_violation(args.props, args.urn)
    if problem is not None:
        report(problem, None)
