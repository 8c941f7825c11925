"""The policy pack: every guardrail, all mandatory (a violation fails the preview or update)."""

from __future__ import annotations

from pulumi_policy import (
    EnforcementLevel,
    Policy,
    PolicyPack,
    ResourceValidationPolicy,
    StackValidationPolicy,
)

from highflame_policies.credentials import validate_credential_tags
from highflame_policies.elevation import validate_elevated_binding
from highflame_policies.hardening import validate_release_hardened
from highflame_policies.limits import CHART_VERSION, IMAGE_TAG
from highflame_policies.rbac import validate_sre_role_read_only
from highflame_policies.release import (
    validate_release_no_plaintext_secret,
    validate_release_pinned,
    validate_release_secret_source,
)
from highflame_policies.services import validate_no_public_service

PACK_NAME = "highflame-access-guardrails"
MANDATORY = EnforcementLevel.MANDATORY


def policies() -> list[Policy]:
    """The guardrails, built fresh (PolicyPack keeps references to them)."""
    return [
        ResourceValidationPolicy(
            name="tailscale-operator-release-pinned",
            description=f"The operator release is chart tailscale-operator {CHART_VERSION} from "
            f"pkgs.tailscale.com, images {IMAGE_TAG}, release tailscale-operator in namespace "
            "tailscale.",
            validate=validate_release_pinned,
            enforcement_level=MANDATORY,
        ),
        ResourceValidationPolicy(
            name="no-loadbalancer-or-nodeport-service",
            description="No Service (or ServicePatch) of type LoadBalancer or NodePort; nothing "
            "exposes default/kubernetes or the operator namespace.",
            validate=validate_no_public_service,
            enforcement_level=MANDATORY,
        ),
        ResourceValidationPolicy(
            name="sre-cluster-role-read-only",
            description="The highflame-sre role grants get/list/watch only, never secrets, "
            "exec/attach/portforward/ephemeralcontainers, */proxy, serviceaccounts/token, "
            "certificatesigningrequests, RBAC objects or wildcards, and is not aggregated.",
            validate=validate_sre_role_read_only,
            enforcement_level=MANDATORY,
        ),
        ResourceValidationPolicy(
            name="operator-credential-own-customer-tag",
            description="Each OAuth client or federated identity carries exactly one tag: "
            "tag:k8s-operator-<customer> of the stack's own customer.",
            validate=validate_credential_tags,
            enforcement_level=MANDATORY,
        ),
        ResourceValidationPolicy(
            name="release-values-no-plaintext-key",
            description="No Tailscale key (tskey-...) in the release's values outside "
            "oauth.clientSecret, and no empty client secret.",
            validate=validate_release_no_plaintext_secret,
            enforcement_level=MANDATORY,
        ),
        ResourceValidationPolicy(
            name="tailscale-operator-release-hardened",
            description="The operator runs non-root, read-only root filesystem, no privilege "
            "escalation, all capabilities dropped, seccomp RuntimeDefault, with CPU/memory "
            "requests and limits; proxies use ProxyClass highflame-hardened; the release runs "
            "the shipped post-renderer (impersonation narrowed to named groups).",
            validate=validate_release_hardened,
            enforcement_level=MANDATORY,
        ),
        ResourceValidationPolicy(
            name="elevated-binding-needs-break-glass",
            description="A binding of an elevated group (highflame-elevated-<c>-<env>) exists "
            "only in that environment's stack, only when customers/<c>.yaml gives the "
            "environment break_glass, and only to break_glass.role.",
            validate=validate_elevated_binding,
            enforcement_level=MANDATORY,
        ),
        StackValidationPolicy(
            name="release-oauth-secret-from-credential",
            description="The release's oauth.clientSecret is the OauthClient's secret `key` "
            "output, never a literal string.",
            validate=validate_release_secret_source,
            enforcement_level=MANDATORY,
        ),
    ]


def serve() -> None:
    """Start the pack (blocks: PolicyPack serves the Pulumi engine until it is stopped)."""
    PolicyPack(name=PACK_NAME, policies=policies(), enforcement_level=MANDATORY)
