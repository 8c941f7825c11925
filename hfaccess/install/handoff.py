"""INSTALL.md for one environment, written for the customer's security team.

Every statement is derived from the same plan the install applies (names, tags, role, exposures,
credential kind), and every security property comes with a command the customer can run to check
it on their own cluster. Statements about Highflame's side say so, and how to get evidence.

The words live in one Jinja2 template (`templates/INSTALL.md.j2` and the `_*.md.j2` partials it
includes); this module computes, once per environment, every name, tag, command and fact the
template quotes (`handoff_context`), so the template never retypes one.
"""

from __future__ import annotations

import functools
import operator
from collections.abc import Sequence
from dataclasses import dataclass, fields
from typing import Any, Final

from hfaccess.credentials import CredentialSpec
from hfaccess.install import chart
from hfaccess.install.exposures import EXPOSE_ANNOTATION, PlannedExposure
from hfaccess.install.handoff_checks import VerifyCommands, verify_commands
from hfaccess.install.handoff_revoke import (
    FINALIZER,
    FINALIZER_ISSUE,
    RevocationCommands,
    revocation_commands,
)
from hfaccess.install.handoff_template import TEMPLATE, render_cached
from hfaccess.install.hardening import (
    NETWORK_POLICY_NAME,
    NON_ROOT_ID,
    PROXY_CLASS_NAME,
    TSNET_CONFIG_HOME,
)
from hfaccess.install.impersonation import ROLE_NAME as IMPERSONATION_ROLE
from hfaccess.install.plan import InstallPlan
from hfaccess.install.rbac import BINDING_NAME, PART_OF, PART_OF_LABEL, ROLE_NAME
from hfaccess.install.roles import CAN, CANNOT, CAVEATS
from hfaccess.install.scan import CHART_ALLOWLIST
from hfaccess.install.values import (
    API_SERVER_PROXY_MODE,
    CREDENTIAL_ANNOTATION,
    CREDENTIAL_VARIABLES,
    credential_overrides,
)
from hfaccess.registry import names
from hfaccess.registry.models import ClusterRole, CredentialKind, ExposureVia, InstallMode

OPERATOR_SOURCE = f"https://github.com/tailscale/tailscale/tree/{chart.IMAGE_TAG}/cmd/k8s-operator"


@dataclass(frozen=True)
class ChartFacts:
    """The pinned chart and the objects it names, as the handoff quotes them."""

    repository: str = chart.CHART_REPOSITORY
    name: str = chart.CHART_NAME
    version: str = chart.CHART_VERSION
    image_tag: str = chart.IMAGE_TAG
    operator_image: str = chart.OPERATOR_IMAGE
    proxy_image: str = chart.PROXY_IMAGE
    release: str = chart.RELEASE_NAME
    namespace: str = chart.RELEASE_NAMESPACE
    oauth_secret: str = chart.OAUTH_SECRET
    auth_proxy_binding: str = chart.AUTH_PROXY_BINDING
    ingress_class: str = chart.INGRESS_CLASS
    operator_source: str = OPERATOR_SOURCE


@dataclass(frozen=True)
class CredentialFacts:
    """The operator's credential: how it is supplied and what it may do on Highflame's tailnet."""

    federated: bool
    client_id_variable: str
    client_secret_variable: str
    audience_variable: str
    annotation: str
    issuer: str | None
    subject: str | None
    scopes: tuple[str, ...]
    tags: tuple[str, ...]
    manages_devices: bool  # `devices:core`: Tailscale does not limit it by tag


@dataclass(frozen=True)
class ExposureRow:
    """One exposure as the handoff lists it."""

    hostname: str
    namespace: str
    service: str
    port: int
    ingress: bool  # else annotations on the customer's Service
    object_name: str


@dataclass(frozen=True)
class HardeningFacts:
    """What the install tightens beyond the chart's defaults, and what stays open."""

    non_root_id: int
    tsnet_config_home: str
    proxy_class: str
    network_policy: str | None  # None: `network_policy: false`
    impersonation_role: str
    impersonation_groups: tuple[str, ...]
    open_findings: tuple[tuple[str, str], ...]  # (checkov check, why it stays open)


@dataclass(frozen=True)
class HandoffContext:
    """Everything INSTALL.md quotes about one environment, computed once from its plan."""

    customer: str
    environment: str
    stack: str
    hostname: str
    other_environments: tuple[str, ...]
    active: bool
    installed: bool  # active, with the release's and RBAC's files rendered
    managed: bool
    role: str
    custom_role: bool
    cluster_admin: bool
    group: str
    operator_tag: str
    proxy_tag: str
    operator_subject: str
    api_server_proxy_mode: str
    log_upload: bool
    chart: ChartFacts
    credential: CredentialFacts
    credential_reads: tuple[str, ...]
    helm_command: tuple[str, ...]
    values_yaml: str
    rbac_yaml: str
    exposures_yaml: str
    binding: str
    custom_role_name: str
    part_of: str
    expose_annotation: str
    apply_rbac: str
    apply_hardening: str
    apply_exposures: str
    exposures: tuple[ExposureRow, ...]
    declares_exposures: bool
    can: tuple[str, ...]
    cannot: tuple[str, ...]
    caveats: tuple[str, ...]
    hardening: HardeningFacts
    verify: VerifyCommands | None  # None when revoked: nothing is installed to verify
    revoke: RevocationCommands
    finalizer: str
    finalizer_issue: str
    access_roles: str  # the rendered `## Standing and time-boxed access` section, or ""

    def as_mapping(self) -> dict[str, Any]:
        """The template's variables: one per field (shallow; nested facts stay objects)."""
        names = _context_fields()
        return dict(zip(names, operator.attrgetter(*names)(self), strict=True))


CHART_FACTS: Final = ChartFacts()


@functools.cache
def _context_fields() -> tuple[str, ...]:
    return tuple(field.name for field in fields(HandoffContext))


def _shell_key(key: str) -> str:
    """Single-quote a `--set-string` key only when it holds a backslash (escaped dots)."""
    return f"'{key}'" if "\\" in key else key


def helm_command(
    plan: InstallPlan, overrides: Sequence[tuple[str, str]] | None = None
) -> list[str]:
    """The `helm upgrade --install` lines, credential values read from shell variables.

    `overrides`: `credential_overrides(plan.ref)` when the caller already has them.
    """
    if overrides is None:
        overrides = credential_overrides(plan.ref)
    lines = [
        f"helm upgrade --install {chart.RELEASE_NAME} {chart.CHART_NAME} \\",
        f"  --repo {chart.CHART_REPOSITORY} --version {chart.CHART_VERSION} \\",
        f"  --namespace {chart.RELEASE_NAMESPACE} --create-namespace \\",
        "  --values helm-values.yaml \\",
        "  --post-renderer ./post-render.sh \\",
    ]
    lines.extend(f'  --set-string {_shell_key(key)}="${{{var}}}" \\' for key, var in overrides)
    lines.append(f"  --atomic --wait --timeout {chart.RELEASE_TIMEOUT_SECONDS}s")
    return lines


def credential_reads(
    plan: InstallPlan, overrides: Sequence[tuple[str, str]] | None = None
) -> list[str]:
    """`read` lines that put each credential value into a shell variable (the secret hidden)."""
    if overrides is None:
        overrides = credential_overrides(plan.ref)
    variables = sorted({var for _, var in overrides})
    secret = CREDENTIAL_VARIABLES["client_secret"]
    return [f"read -r{'s' if var == secret else ''}p '{var}: ' {var}; echo" for var in variables]


def _credential(plan: InstallPlan, spec: CredentialSpec) -> CredentialFacts:
    return CredentialFacts(
        federated=plan.ref.environment.credentials is CredentialKind.FEDERATED,
        client_id_variable=CREDENTIAL_VARIABLES["client_id"],
        client_secret_variable=CREDENTIAL_VARIABLES["client_secret"],
        audience_variable=CREDENTIAL_VARIABLES["audience"],
        annotation=CREDENTIAL_ANNOTATION,
        issuer=spec.issuer,
        subject=spec.subject,
        scopes=spec.scopes,
        tags=spec.tags,
        manages_devices="devices:core" in spec.scopes,
    )


def _exposure_row(planned: PlannedExposure) -> ExposureRow:
    exposure = planned.exposure
    return ExposureRow(
        hostname=planned.hostname,
        namespace=exposure.namespace,
        service=exposure.service,
        port=exposure.port,
        ingress=planned.via is ExposureVia.INGRESS,
        object_name=planned.object_name,
    )


def _hardening(plan: InstallPlan) -> HardeningFacts:
    return HardeningFacts(
        non_root_id=NON_ROOT_ID,
        tsnet_config_home=TSNET_CONFIG_HOME,
        proxy_class=PROXY_CLASS_NAME,
        network_policy=NETWORK_POLICY_NAME if plan.ref.environment.network_policy else None,
        impersonation_role=IMPERSONATION_ROLE,
        impersonation_groups=plan.impersonation_groups,
        open_findings=tuple(CHART_ALLOWLIST.items()),
    )


def _code_text(text: str | None) -> str:
    """A rendered file's text as the body of a fenced block (no trailing newline)."""
    return (text or "").rstrip("\n")


def handoff_context(
    plan: InstallPlan,
    spec: CredentialSpec,
    values_text: str | None,
    rbac_text: str | None,
    exposures_text: str | None,
    *,
    access_roles: Sequence[str] = (),
    overrides: Sequence[tuple[str, str]] | None = None,
) -> HandoffContext:
    """Every fact INSTALL.md quotes about `plan`'s environment (pure: no I/O).

    `overrides`: `credential_overrides(plan.ref)`, when the caller has them already.
    """
    ref = plan.ref
    customer = ref.customer.name
    installed = plan.active and values_text is not None and rbac_text is not None
    if overrides is None:
        overrides = credential_overrides(ref)
    return HandoffContext(
        customer=customer,
        environment=ref.name,
        stack=ref.stack,
        hostname=ref.hostname,
        other_environments=tuple(sorted(e for e in ref.customer.environments if e != ref.name)),
        active=plan.active,
        installed=installed,
        managed=plan.mode is InstallMode.MANAGED,
        role=plan.role.value,
        custom_role=plan.role is ClusterRole.HIGHFLAME_SRE,
        cluster_admin=plan.role is ClusterRole.CLUSTER_ADMIN,
        group=names.KUBERNETES_GROUP,
        operator_tag=names.operator_device_tag(customer),
        proxy_tag=names.proxy_tag(customer),
        operator_subject=names.OPERATOR_SERVICE_ACCOUNT_SUBJECT,
        api_server_proxy_mode=API_SERVER_PROXY_MODE,
        log_upload=ref.environment.log_upload,
        chart=CHART_FACTS,
        credential=_credential(plan, spec),
        credential_reads=tuple(credential_reads(plan, overrides)),
        helm_command=tuple(helm_command(plan, overrides)),
        values_yaml=_code_text(values_text),
        rbac_yaml=_code_text(rbac_text),
        exposures_yaml=_code_text(exposures_text),
        binding=BINDING_NAME,
        custom_role_name=ROLE_NAME,
        part_of=f"{PART_OF_LABEL}={PART_OF}",
        expose_annotation=EXPOSE_ANNOTATION,
        apply_rbac="kubectl apply -f rbac.yaml",
        apply_hardening="kubectl apply -f hardening.yaml",
        apply_exposures=(
            f"kubectl apply --server-side --field-manager={names.PROJECT} -f exposures.yaml"
        ),
        exposures=tuple(_exposure_row(p) for p in plan.exposures),
        declares_exposures=bool(ref.environment.exposures),
        can=CAN[plan.role],
        cannot=CANNOT[plan.role],
        caveats=CAVEATS,
        hardening=_hardening(plan),
        verify=verify_commands(plan) if installed else None,
        revoke=revocation_commands(plan),
        finalizer=FINALIZER,
        finalizer_issue=FINALIZER_ISSUE,
        access_roles="".join(f"{line}\n" for line in access_roles),
    )


def install_guide(
    plan: InstallPlan,
    spec: CredentialSpec,
    values_text: str | None,
    rbac_text: str | None,
    exposures_text: str | None,
    *,
    access_roles: Sequence[str] = (),
    overrides: Sequence[tuple[str, str]] | None = None,
) -> str:
    """The whole INSTALL.md of one environment (`access_roles`: standing vs time-boxed roles)."""
    context = handoff_context(
        plan,
        spec,
        values_text,
        rbac_text,
        exposures_text,
        access_roles=access_roles,
        overrides=overrides,
    )
    return render_cached(TEMPLATE, context.as_mapping()).rstrip("\n") + "\n"
