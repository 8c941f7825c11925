"""The handoff's verification: commands the customer runs, and the answers they must see.

Kept apart from the prose so the expected values come from the same builders as the install
(hostnames, tags, images, the role's `can-i` answers), never retyped.
"""

from __future__ import annotations

import json

from hfaccess.install import chart
from hfaccess.install.exposures import EXPOSE_ANNOTATION
from hfaccess.install.hardening import NETWORK_POLICY_NAME, PROXY_CLASS_NAME
from hfaccess.install.impersonation import impersonation_rules
from hfaccess.install.plan import InstallPlan
from hfaccess.install.rbac import BINDING_NAME, PART_OF, PART_OF_LABEL
from hfaccess.install.roles import CHECKS
from hfaccess.install.values import API_SERVER_PROXY_MODE, CREDENTIAL_ANNOTATION
from hfaccess.registry import names
from hfaccess.registry.models import CredentialKind

NS = chart.RELEASE_NAMESPACE
DEPLOY = f"deployment/{chart.OPERATOR_DEPLOYMENT}"
ENV_JSONPATH = "'{range .spec.template.spec.containers[0].env[*]}{.name}={.value}{\"\\n\"}{end}'"


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


def hardening_checks(plan: InstallPlan) -> list[str]:
    """Shell lines checking the hardened operator, its ProxyClass and NetworkPolicy."""
    lines = [
        "# Hardened operator container (non-root, no privilege escalation, no capabilities,",
        "# read-only root filesystem, seccomp RuntimeDefault) and its resources:",
        f"kubectl get {DEPLOY} -n {NS} -o jsonpath='{{.spec.template.spec.containers[0].securityContext}}'; echo",
        f"kubectl get {DEPLOY} -n {NS} -o jsonpath='{{.spec.template.spec.containers[0].resources}}'; echo",
        "# Exposure proxies use the hardened ProxyClass:",
        f"kubectl get proxyclass {PROXY_CLASS_NAME} -o jsonpath='{{.status.conditions[0].status}}'; echo",
        "#   True",
    ]
    if plan.ref.environment.network_policy:
        lines += [
            "# Namespace tailscale: no ingress, egress only DNS, 443/6443 and UDP 41641/3478:",
            f"kubectl get networkpolicy {NETWORK_POLICY_NAME} -n {NS} -o yaml",
        ]
    return lines


def operator_checks(plan: InstallPlan) -> list[str]:
    """Shell lines (with expected output as comments) that check the operator install."""
    expose_path = EXPOSE_ANNOTATION.replace(".", "\\.")
    return [
        "# The operator runs, and only in its namespace:",
        f"kubectl get pods -n {NS}",
        "# Pinned image:",
        f"kubectl get {DEPLOY} -n {NS} -o jsonpath='{{..image}}'; echo",
        f"#   {chart.OPERATOR_IMAGE}",
        "# Configuration (tags, hostname, proxy image, auth mode); among the lines printed:",
        f"kubectl get {DEPLOY} -n {NS} -o jsonpath={ENV_JSONPATH}",
        *(f"#   {line}" for line in expected_env(plan)),
        "# The credential's (non-secret) client id, to compare with Tailscale's device log:",
        f"kubectl get {DEPLOY} -n {NS} -o jsonpath='{{.spec.template.metadata.annotations}}'; echo",
        f'#   {{"{CREDENTIAL_ANNOTATION}":"<client id>"}}',
        *(
            ["# Kinds of object the release created:"]
            if plan.ref.environment.credentials is CredentialKind.FEDERATED
            else [
                "# Kinds of object the release created (`helm get manifest` and `helm get values`",
                "# print the client secret: share only this summary):",
            ]
        ),
        f"helm get manifest {chart.RELEASE_NAME} -n {NS} | grep -E '^kind:' | sort | uniq -c",
        "# Auth mode: the operator may impersonate users, and only the named groups (how",
        f"# requests arrive as group {names.KUBERNETES_GROUP}), through the chart's ClusterRole",
        "# as the post-renderer narrowed it:",
        f"kubectl get clusterrole {chart.AUTH_PROXY_BINDING} -o jsonpath='{{.rules}}'; echo",
        f"#   {json.dumps(impersonation_rules(plan.impersonation_groups), separators=(',', ':'))}",
        *impersonation_checks(plan),
        "# No load balancer, node port or public IP:",
        f"kubectl get services -n {NS} -o custom-columns=NAME:.metadata.name,TYPE:.spec.type",
        "#   every TYPE is ClusterIP (or the list is empty)",
        "# Exposures: only the ones listed in this document:",
        f"kubectl get ingress --all-namespaces -l {PART_OF_LABEL}={PART_OF}",
        "kubectl get services --all-namespaces -o jsonpath="
        f"'{{range .items[?(@.metadata.annotations.{expose_path})]}}"
        '{.metadata.namespace}/{.metadata.name}{"\\n"}{end}\'',
    ]


def rbac_checks(plan: InstallPlan) -> list[str]:
    """`kubectl auth can-i` lines for the plan's role, each with the answer it must give."""
    checks = CHECKS[plan.role]
    width = max(len(check.command()) for check in checks)
    return [
        f"kubectl get clusterrolebinding {BINDING_NAME} -o yaml",
        "# What the group may do (run as a cluster admin; the answer follows each command):",
        *(
            f"{check.command().ljust(width)}  # {'yes' if check.expected else 'no'}"
            for check in checks
        ),
    ]
