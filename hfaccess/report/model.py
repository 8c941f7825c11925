"""What the access report shows, as plain data built in one pass from the access model.

Every fact comes from the builders `render` and `check` use: the tailnet policy from
`build_policy`, the checker's verdict from `check_policy`, the install plan's roles and
exposures, the credential spec. Templates only lay these rows out.

Elevations (break-glass) are rows built by `elevations_of`, the one adapter between the
registry and the report: it returns no rows while the registry has no such field.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from hfaccess.credentials import credential_spec
from hfaccess.install import chart
from hfaccess.install.handoff_revoke import remove_exposure_command
from hfaccess.install.plan import install_plan
from hfaccess.install.rbac import BINDING_NAME
from hfaccess.install.roles import CAN, CANNOT, CAVEATS
from hfaccess.policy.access import CustomerAccess
from hfaccess.policy.builder import build_policy, customer_accesses
from hfaccess.policy.capability import KUBERNETES_CAPABILITY
from hfaccess.policy.checker import check_policy
from hfaccess.policy.elevation import elevated_group, recorded_customers
from hfaccess.registry import names
from hfaccess.registry.models import (
    ClusterRole,
    CredentialKind,
    Customer,
    EnvironmentRef,
    ExposureVia,
    InstallMode,
)
from hfaccess.registry.workspace import AccessModel

ROLE_NOTES: dict[ClusterRole, str] = {
    ClusterRole.HIGHFLAME_SRE: "read-only, no Secrets (default)",
    ClusterRole.VIEW: "read-only built-in role; grows with aggregation",
    ClusterRole.CLUSTER_ADMIN: "PRIVILEGED: full control, Secrets and exec",
}


@dataclass(frozen=True)
class ElevationRow:
    """One time-boxed elevation SRE may take in one environment, with its limits."""

    environment: str
    role: str
    engineers: tuple[str, ...]
    max_duration: str
    recorded: bool
    group: str  # the Kubernetes group the elevated grant impersonates, bound only here


@dataclass(frozen=True)
class ExposureRow:
    """One opt-in exposure: the tailnet host SRE reach and the Service behind it."""

    name: str
    hostname: str
    namespace: str
    service: str
    port: int
    tailnet_port: int
    via: str

    @property
    def unusual(self) -> bool:
        """A Service exposure forwards every port of the Service, not only the one named."""
        return self.via == ExposureVia.SERVICE.value


@dataclass(frozen=True)
class EnvironmentRow:
    """One customer environment as the report shows it (index row and customer page)."""

    customer: str
    name: str
    stack: str
    hostname: str
    active: bool
    revoked_here: bool  # the environment itself is revoked (not only through its customer)
    role: ClusterRole
    install: InstallMode
    credentials: CredentialKind
    credential_description: str
    oidc_issuer: str | None
    exposures: tuple[ExposureRow, ...]
    elevations: tuple[ElevationRow, ...]

    @property
    def privileged(self) -> bool:
        return self.active and (
            self.role is ClusterRole.CLUSTER_ADMIN
            or any(e.role == ClusterRole.CLUSTER_ADMIN.value for e in self.elevations)
        )

    @property
    def flags(self) -> tuple[str, ...]:
        """Short words the index highlights: privileged or unusual entries."""
        found: list[str] = []
        if self.privileged:
            found.append("cluster-admin")
        if self.active and self.role is ClusterRole.VIEW:
            found.append("aggregated role")
        if self.active and any(x.unusual for x in self.exposures):
            found.append("all Service ports")
        if self.active and self.elevations:
            found.append("elevation")
        if not self.active:
            found.append("revoked")
        return tuple(found)

    @property
    def state(self) -> str:
        return "active" if self.active else "revoked"

    @property
    def search_text(self) -> str:
        """Every word the index filter matches this row on, lowercase."""
        words = [
            self.customer,
            self.name,
            self.hostname,
            self.role.value,
            self.install.value,
            self.credentials.value,
            self.state,
            *self.flags,
            *(x.hostname for x in self.exposures),
            *(e.role for e in self.elevations),
        ]
        return " ".join(words).lower()


@dataclass(frozen=True)
class RevocationStep:
    """One way to cut access: who runs it, what it cuts, and the command."""

    who: str  # Highflame | the customer
    what: str
    command: str


@dataclass(frozen=True)
class GrantRow:
    """One policy grant reaching this customer's tags, as the tailnet policy states it."""

    src: tuple[str, ...]
    dst: str
    ports: tuple[str, ...]
    capability: bool  # carries the Kubernetes impersonation capability
    groups: tuple[str, ...]  # the Kubernetes groups it impersonates
    postures: tuple[str, ...]  # device postures the source must meet
    recorded: bool  # the capability enforces session recording


@dataclass(frozen=True)
class PolicyTestRow:
    """One of the policy's `tests` that guards this customer."""

    src: str
    accept: tuple[str, ...]
    deny: tuple[str, ...]


@dataclass(frozen=True)
class RoleRow:
    """What one bound role lets Highflame do, and what it does not."""

    role: ClusterRole
    note: str
    can: tuple[str, ...]
    cannot: tuple[str, ...]


@dataclass(frozen=True)
class CustomerPage:
    """Everything one customer's page shows."""

    name: str
    source: str
    revoked: bool
    reachable: bool
    engineers: tuple[str, ...]  # who reaches this customer now: none when unreachable
    sre_group: str
    operator_tag: str
    device_tag: str
    proxy_tag: str
    tag_owners: tuple[str, ...]
    environments: tuple[EnvironmentRow, ...]
    grants: tuple[GrantRow, ...]
    tests: tuple[PolicyTestRow, ...]
    roles: tuple[RoleRow, ...]
    withdrawn_ports: tuple[int, ...]
    revocation: tuple[RevocationStep, ...]

    @property
    def privileged(self) -> bool:
        return any(env.privileged for env in self.environments)


@dataclass(frozen=True)
class Verdict:
    """The offline checker's verdict on the generated policy."""

    violations: tuple[str, ...]

    @property
    def sound(self) -> bool:
        return not self.violations


@dataclass(frozen=True)
class Site:
    """The whole report: the fleet index and one page per customer."""

    customers: tuple[CustomerPage, ...]
    verdict: Verdict
    members: tuple[str, ...]
    sre_group: str
    kubernetes_group: str
    caveats: tuple[str, ...]

    @property
    def environments(self) -> tuple[EnvironmentRow, ...]:
        return tuple(env for page in self.customers for env in page.environments)


def elevations_of(ref: EnvironmentRef, recorded: bool) -> tuple[ElevationRow, ...]:
    """The elevations (break-glass) of `ref` with their limits; none when it is not active.

    Every page, the index and the access map read elevations only through this function.
    `recorded`: whether the customer's sessions are recorded (Highflame has a recorder).
    """
    glass = ref.environment.break_glass
    if glass is None or not ref.active:
        return ()
    return (
        ElevationRow(
            environment=ref.name,
            role=glass.role.value,
            engineers=tuple(glass.engineers),
            max_duration=glass.max_duration,
            recorded=recorded,
            group=elevated_group(ref.customer.name, ref.name),
        ),
    )


def _exposures(ref: EnvironmentRef) -> tuple[ExposureRow, ...]:
    customer = ref.customer.name
    return tuple(
        ExposureRow(
            name=name,
            hostname=names.exposure_hostname(customer, ref.name, name),
            namespace=exposure.namespace,
            service=exposure.service,
            port=exposure.port,
            tailnet_port=exposure.tailnet_port,
            via=exposure.via.value,
        )
        for name, exposure in sorted(ref.environment.exposures.items())
    )


def environment_row(ref: EnvironmentRef, recorded: bool = False) -> EnvironmentRow:
    """One environment's row, from the registry and the credential spec."""
    env = ref.environment
    return EnvironmentRow(
        customer=ref.customer.name,
        name=ref.name,
        stack=ref.stack,
        hostname=ref.hostname,
        active=ref.active,
        revoked_here=env.revoked,
        role=env.cluster_role,
        install=env.install,
        credentials=env.credentials,
        credential_description=credential_spec(ref).description,
        oidc_issuer=env.oidc_issuer,
        exposures=_exposures(ref),
        elevations=elevations_of(ref, recorded),
    )


def _strings(value: Any) -> tuple[str, ...]:
    return tuple(str(v) for v in value) if isinstance(value, list) else ()


def _grant_index(policy: dict[str, Any]) -> dict[str, list[GrantRow]]:
    """Customer tag -> the grants naming it in dst (one row per tag)."""
    index: dict[str, list[GrantRow]] = defaultdict(list)
    for grant in policy.get("grants", []):
        src = _strings(grant.get("src"))
        ports = _strings(grant.get("ip"))
        capabilities = (grant.get("app") or {}).get(KUBERNETES_CAPABILITY)
        entries = [c for c in capabilities or [] if isinstance(c, dict)]
        groups = tuple(
            g for c in entries for g in _strings((c.get("impersonate") or {}).get("groups"))
        )
        recorded = any(c.get("enforceRecorder") is True for c in entries)
        postures = _strings(grant.get("srcPosture"))
        for dst in _strings(grant.get("dst")):
            index[dst].append(
                GrantRow(src, dst, ports, capabilities is not None, groups, postures, recorded)
            )
    return index


def _test_index(
    policy: dict[str, Any], tag_owner: dict[str, str]
) -> dict[str, list[PolicyTestRow]]:
    """Customer -> the policy tests naming one of its tags (as source or destination)."""
    index: dict[str, list[PolicyTestRow]] = defaultdict(list)
    for test in policy.get("tests", []):
        row = PolicyTestRow(
            str(test.get("src", "")), _strings(test.get("accept")), _strings(test.get("deny"))
        )
        hosts = [row.src, *(d.rsplit(":", 1)[0] for d in (*row.accept, *row.deny))]
        for customer in sorted({tag_owner[h] for h in hosts if h in tag_owner}):
            index[customer].append(row)
    return index


def _roles(rows: Sequence[EnvironmentRow]) -> tuple[RoleRow, ...]:
    used = {row.role for row in rows if row.active}
    used |= {ClusterRole(e.role) for row in rows if row.active for e in row.elevations}
    return tuple(
        RoleRow(role, ROLE_NOTES[role], CAN[role], CANNOT[role])
        for role in ClusterRole
        if role in used
    )


def _revocation(customer: Customer, source: str) -> tuple[RevocationStep, ...]:
    """Both sides' revocation paths: Highflame's (tailnet) and the customer's (cluster)."""
    name = customer.name
    steps = [
        RevocationStep(
            "Highflame",
            "emergency: every grant, device and credential of this customer, now",
            f"hfaccess kill {name} --yes",
        ),
        RevocationStep(
            "Highflame",
            f"as code: set `revoked: true` in {source}, merge, apply",
            "pulumi up -s tailnet",
        ),
        RevocationStep(
            "Highflame",
            "one engineer, from every customer at once",
            "hfaccess sre remove EMAIL --live && pulumi up -s tailnet",
        ),
    ]
    for env in sorted(customer.environments):
        ref = EnvironmentRef(customer, env)
        steps.append(
            RevocationStep(
                "Highflame",
                f"one environment ({env}): its devices and credential",
                f"hfaccess kill {name} --env {env} --yes",
            )
        )
        if not ref.active:
            continue
        plan = install_plan(ref, source)
        steps.extend(
            RevocationStep(
                "the customer", f"{env}: withdraw exposure {p.name}", remove_exposure_command(p)
            )
            for p in plan.exposures
        )
        steps.append(
            RevocationStep(
                "the customer",
                f"{env}: take every Kubernetes permission away at once",
                f"kubectl delete clusterrolebinding {BINDING_NAME}",
            )
        )
        steps.append(
            RevocationStep(
                "the customer",
                f"{env}: remove the operator, so {ref.hostname} leaves the tailnet",
                f"helm uninstall {chart.RELEASE_NAME} -n {chart.RELEASE_NAMESPACE}",
            )
        )
    return tuple(steps)


def _page(
    customer: Customer,
    access: CustomerAccess,
    model: AccessModel,
    grants: dict[str, list[GrantRow]],
    tests: list[PolicyTestRow],
    *,
    recorded: bool,
) -> CustomerPage:
    rows = tuple(
        environment_row(EnvironmentRef(customer, env), recorded)
        for env in sorted(customer.environments)
    )
    highflame = model.highflame
    source = model.registry.sources.get(customer.name, f"{customer.name}.yaml")
    return CustomerPage(
        name=customer.name,
        source=source,
        revoked=customer.revoked,
        reachable=access.reachable,
        engineers=tuple(highflame.sre.members) if access.reachable else (),
        sre_group=highflame.sre_group,
        operator_tag=access.operator_tag,
        device_tag=access.device_tag,
        proxy_tag=access.proxy_tag,
        tag_owners=tuple(highflame.operator_tag_owners) or ("autogroup:admin",),
        environments=rows,
        grants=tuple(grants.get(access.device_tag, []) + grants.get(access.proxy_tag, [])),
        tests=tuple(tests),
        roles=_roles(rows),
        withdrawn_ports=access.withdrawn,
        revocation=_revocation(customer, source),
    )


def build_site(model: AccessModel) -> Site:
    """The report's data: one policy build and one check for the whole registry."""
    policy = build_policy(model)
    violations = tuple(str(v) for v in check_policy(policy, model))
    accesses = {a.name: a for a in customer_accesses(model)}
    tag_owner = {tag: name for name in accesses for tag in names.customer_tags(name)}
    grants = _grant_index(policy)
    tests = _test_index(policy, tag_owner)
    recorded = set(recorded_customers(model.registry, model.highflame))
    pages = tuple(
        _page(
            customer,
            accesses[customer.name],
            model,
            grants,
            tests.get(customer.name, []),
            recorded=customer.name in recorded,
        )
        for customer in sorted(model.registry.customers, key=lambda c: c.name)
    )
    return Site(
        customers=pages,
        verdict=Verdict(violations),
        members=tuple(model.highflame.sre.members),
        sre_group=model.highflame.sre_group,
        kubernetes_group=names.KUBERNETES_GROUP,
        caveats=CAVEATS,
    )
