"""The operator release is the hardened install: security context, resources, ProxyClass and
the post-renderer that narrows impersonation. The same choices `render` writes to
helm-values.yaml; checkov's checks on the templated chart pass because of them."""

from __future__ import annotations

from typing import Any

from pulumi_policy import ReportViolation, ResourceValidationArgs

from highflame_policies.limits import (
    HARDENED_SECCOMP,
    HARDENED_SECURITY_CONTEXT,
    POST_RENDER_SCRIPT,
    PROXY_CLASS_NAME,
    RELEASE_TYPE,
    RESOURCE_KINDS,
)
from highflame_policies.props import MISSING, UNKNOWN, elements, lookup


def _known(value: Any) -> bool:
    return value is not UNKNOWN


def hardening_violations(props: Any) -> list[str]:
    """What a Release lacks of the hardened install (unknown values are checked at `up`)."""
    problems: list[str] = []
    base = ("values", "operatorConfig", "securityContext")
    for key, wanted in HARDENED_SECURITY_CONTEXT.items():
        value = lookup(props, *base, key)
        if _known(value) and value != wanted:
            problems.append(f"values.operatorConfig.securityContext.{key} must be {wanted}")
    drop = lookup(props, *base, "capabilities", "drop")
    if _known(drop) and "ALL" not in elements(drop) and UNKNOWN not in elements(drop):
        problems.append("values.operatorConfig.securityContext.capabilities.drop must hold ALL")
    seccomp = lookup(props, *base, "seccompProfile", "type")
    if _known(seccomp) and seccomp != HARDENED_SECCOMP:
        problems.append(
            f"values.operatorConfig.securityContext.seccompProfile must be {HARDENED_SECCOMP}"
        )
    for bound in ("requests", "limits"):
        for kind in RESOURCE_KINDS:
            value = lookup(props, "values", "operatorConfig", "resources", bound, kind)
            if value is MISSING or value in ("", None):
                problems.append(f"values.operatorConfig.resources.{bound}.{kind} is not set")
    proxy_class = lookup(props, "values", "proxyConfig", "defaultProxyClass")
    if _known(proxy_class) and proxy_class != PROXY_CLASS_NAME:
        problems.append(f"values.proxyConfig.defaultProxyClass must be {PROXY_CLASS_NAME!r}")
    postrender = lookup(props, "postrender")
    if _known(postrender) and (
        not isinstance(postrender, str) or not postrender.endswith(POST_RENDER_SCRIPT)
    ):
        problems.append(
            f"postrender must run the shipped {POST_RENDER_SCRIPT} (narrows impersonation to "
            "named groups, mounts the operator's writable /tmp)"
        )
    return problems


def validate_release_hardened(args: ResourceValidationArgs, report: ReportViolation) -> None:
    """Resource policy: the operator release is the hardened install."""
    if args.resource_type != RELEASE_TYPE:
        return
    for problem in hardening_violations(args.props):
        report(problem, None)
