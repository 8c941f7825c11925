"""The handoff's verification commands, and the answers the customer must see.

Commands and expected values come from the same builders as the install (hostnames, tags,
images, the role's `can-i` answers), never retyped; the words around them live in the template
(`templates/_verify.md.j2`).
"""

from __future__ import annotations

import functools
import json
from dataclasses import dataclass

from hfaccess.install import chart
from hfaccess.install.exposures import EXPOSE_ANNOTATION
from hfaccess.install.hardening import NETWORK_POLICY_NAME, PROXY_CLASS_NAME
from hfaccess.install.impersonation import impersonation_rules
from hfaccess.install.plan import InstallPlan
from hfaccess.install.rbac import BINDING_NAME, PART_OF, PART_OF_LABEL
from hfaccess.install.roles import CHECKS
from hfaccess.install.values import API_SERVER_PROXY_MODE, CREDENTIAL_ANNOTATION
from hfaccess.registry import names
from hfaccess.registry.models import ClusterRole, CredentialKind

NS = chart.RELEASE_NAMESPACE
DEPLOY = f"deployment/{chart.OPERATOR_DEPLOYMENT}"
ENV_JSONPATH = "'{range .spec.template.spec.containers[0].env[*]}{.name}={.value}{\"\\n\"}{end}'"


@dataclass(frozen=True)
class VerifyCommands:
    """Every command of Step 4 (and the facts section), each with what it must print."""

    pods: str
    image: str
    env: str
    expected_env: tuple[str, ...]
    annotations: str
    expected_annotations: str
    manifest_kinds: str
    auth_proxy_rules: str
    expected_auth_proxy_rules: str
    impersonation: tuple[str, ...]
    services: str
    exposure_ingresses: str
    exposure_services: str
    security_context: str
    resources: str
    proxy_class: str
    network_policy: str | None
    binding: str
    can_i: tuple[str, ...]
    audit: str
    images: str


def expected_env(plan: InstallPlan) -> list[str]:
    """`NAME=value` lines the operator container must show (credential values excluded)."""
    customer = plan.ref.customer.name
    lines = [
        f"OPERATOR_INITIAL_TAGS={names.operator_device_tag(customer)}",
        f"OPERATOR_HOSTNAME={plan.ref.hostname}",
        f"PROXY_IMAGE={chart.PROXY_IMAGE}",
        f"PROXY_TAGS={names.proxy_tag(customer)}",
        f"APISERVER_PROXY={API_SERVER_PROXY_MODE}",
    ]
    if plan.ref.environment.credentials is CredentialKind.FEDERATED:
        lines.append("CLIENT_ID=<the client id Highflame sent you>")
    else:
        lines += ["CLIENT_ID_FILE=/oauth/client_id", "CLIENT_SECRET_FILE=/oauth/client_secret"]
    return lines


def impersonation_checks(plan: InstallPlan) -> list[str]:
    """`kubectl auth can-i impersonate` lines: the named groups yes, system:masters no."""
    subject = f"--as=system:serviceaccount:{NS}:{chart.OPERATOR_SERVICE_ACCOUNT}"
    return [
        *(
            f"kubectl auth can-i impersonate groups/{group} {subject}   # yes"
            for group in plan.impersonation_groups
        ),
        f"kubectl auth can-i impersonate groups/system:masters {subject}   # no",
    ]


def can_i_checks(plan: InstallPlan) -> list[str]:
    """`kubectl auth can-i` lines for the plan's role, each with the answer it must give."""
    return list(_can_i_lines(plan.role))


@functools.cache
def _can_i_lines(role: ClusterRole) -> tuple[str, ...]:
    """The lines of one role (the same for every environment with that role)."""
    checks = CHECKS[role]
    width = max(len(check.command()) for check in checks)
    return tuple(
        f"{check.command().ljust(width)}  # {'yes' if check.expected else 'no'}" for check in checks
    )


@functools.lru_cache(maxsize=256)
def _rules_json(groups: tuple[str, ...]) -> str:
    """The narrowed impersonation rules as `kubectl ... -o jsonpath='{.rules}'` prints them."""
    return json.dumps(impersonation_rules(groups), separators=(",", ":"))


def audit_query() -> str:
    """A `jq` filter listing Highflame's requests in a Kubernetes API server audit log."""
    return (
        "jq -c 'select(.impersonatedUser.groups // [] | index(\"" + names.KUBERNETES_GROUP + '"))'
        " | {ts: .requestReceivedTimestamp, login: .impersonatedUser.username,"
        " verb, uri: .requestURI, via: .user.username}' /var/log/kubernetes/audit.log"
    )


def verify_commands(plan: InstallPlan) -> VerifyCommands:
    """The commands of one environment's verification."""
    expose_path = EXPOSE_ANNOTATION.replace(".", "\\.")
    return VerifyCommands(
        pods=f"kubectl get pods -n {NS}",
        image=f"kubectl get {DEPLOY} -n {NS} -o jsonpath='{{..image}}'; echo",
        env=f"kubectl get {DEPLOY} -n {NS} -o jsonpath={ENV_JSONPATH}",
        expected_env=tuple(expected_env(plan)),
        annotations=(
            f"kubectl get {DEPLOY} -n {NS} -o jsonpath='{{.spec.template.metadata.annotations}}'"
            "; echo"
        ),
        expected_annotations=f'{{"{CREDENTIAL_ANNOTATION}":"<client id>"}}',
        manifest_kinds=(
            f"helm get manifest {chart.RELEASE_NAME} -n {NS} | grep -E '^kind:' | sort | uniq -c"
        ),
        auth_proxy_rules=(
            f"kubectl get clusterrole {chart.AUTH_PROXY_BINDING} -o jsonpath='{{.rules}}'; echo"
        ),
        expected_auth_proxy_rules=_rules_json(tuple(plan.impersonation_groups)),
        impersonation=tuple(impersonation_checks(plan)),
        services=(
            f"kubectl get services -n {NS} -o custom-columns=NAME:.metadata.name,TYPE:.spec.type"
        ),
        exposure_ingresses=f"kubectl get ingress --all-namespaces -l {PART_OF_LABEL}={PART_OF}",
        exposure_services=(
            "kubectl get services --all-namespaces -o jsonpath="
            f"'{{range .items[?(@.metadata.annotations.{expose_path})]}}"
            '{.metadata.namespace}/{.metadata.name}{"\\n"}{end}\''
        ),
        security_context=(
            f"kubectl get {DEPLOY} -n {NS} -o jsonpath="
            "'{.spec.template.spec.containers[0].securityContext}'; echo"
        ),
        resources=(
            f"kubectl get {DEPLOY} -n {NS} -o jsonpath="
            "'{.spec.template.spec.containers[0].resources}'; echo"
        ),
        proxy_class=(
            f"kubectl get proxyclass {PROXY_CLASS_NAME} -o jsonpath="
            "'{.status.conditions[0].status}'; echo"
        ),
        network_policy=(
            f"kubectl get networkpolicy {NETWORK_POLICY_NAME} -n {NS} -o yaml"
            if plan.ref.environment.network_policy
            else None
        ),
        binding=f"kubectl get clusterrolebinding {BINDING_NAME} -o yaml",
        can_i=tuple(can_i_checks(plan)),
        audit=audit_query(),
        images=f"kubectl get pods -n {NS} -o jsonpath='{{..image}}'",
    )
