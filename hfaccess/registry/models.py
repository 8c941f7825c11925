"""The customer registry's data model: the contract `customers/<name>.yaml` files follow.

Unknown fields are errors (a typo must never silently fall back to a default), and every
optional field defaults to the least exposed, least privileged choice.
"""

from __future__ import annotations

import datetime as dt
import ipaddress
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import timedelta
from enum import StrEnum
from typing import Annotated, Any
from urllib.parse import urlparse

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    Strict,
    field_validator,
    model_validator,
)

from hfaccess.registry import names
from hfaccess.registry.durations import MAX_ELEVATION, format_duration, parse_duration
from hfaccess.registry.highflame import TailnetLogin


class ClusterRole(StrEnum):
    """What the impersonated group may do in the customer's cluster."""

    HIGHFLAME_SRE = "highflame-sre"  # the custom read-only role (default)
    VIEW = "view"  # the built-in aggregated read-only role
    CLUSTER_ADMIN = "cluster-admin"  # everything; flagged loudly wherever it appears


class InstallMode(StrEnum):
    """Who applies the operator install in the customer's cluster."""

    MANAGED = "managed"  # this Pulumi program, through an explicit kubernetes provider
    HANDOFF = "handoff"  # the customer, from the rendered INSTALL.md


class CredentialKind(StrEnum):
    """How the operator authenticates to the tailnet."""

    OAUTH = "oauth"  # OAuth client: a secret held in one in-cluster Secret
    FEDERATED = "federated"  # workload identity federation: no long-lived secret at all


class ExposureVia(StrEnum):
    """How an existing Service is made reachable from Highflame's tailnet."""

    INGRESS = "ingress"  # a Tailscale Ingress: HTTPS on 443 with a tailnet certificate
    SERVICE = "service"  # the `tailscale.com/expose` annotation: the Service's port as is


def _check_pattern(value: str, pattern: re.Pattern[str], what: str) -> str:
    if not pattern.fullmatch(value):
        raise ValueError(f"{what} (got {value!r})")
    return value


def _customer_name(value: str) -> str:
    _check_pattern(
        value,
        names.CUSTOMER_NAME_RE,
        "must be lowercase letters, digits and hyphens, start with a letter, not end with a "
        f"hyphen, at most {names.CUSTOMER_NAME_MAX} characters",
    )
    reserved = names.reserved_customer_name(value)
    if reserved is not None:
        raise ValueError(f"{value!r} is reserved: {reserved}")
    return value


def _environment_name(value: str) -> str:
    return _check_pattern(
        value,
        names.ENVIRONMENT_NAME_RE,
        "environment names are lowercase letters and digits, start with a letter, at most "
        f"{names.ENVIRONMENT_NAME_MAX} characters",
    )


def _exposure_name(value: str) -> str:
    _check_pattern(
        value,
        names.EXPOSURE_NAME_RE,
        "exposure names are lowercase letters, digits and hyphens, start with a letter, not "
        "end with a hyphen, at most 20 characters",
    )
    if value == "kube":
        raise ValueError("'kube' is reserved for the API server proxy's hostname")
    return value


_DNS_LABEL_RE = re.compile(r"^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$")
_DNS_1035_RE = re.compile(r"^[a-z](?:[a-z0-9-]{0,61}[a-z0-9])?$")


def _dns_label(value: str) -> str:
    return _check_pattern(
        value, _DNS_LABEL_RE, "must be a Kubernetes name (RFC 1123 label, at most 63 characters)"
    )


def _dns_1035_label(value: str) -> str:
    return _check_pattern(
        value,
        _DNS_1035_RE,
        "must be a Kubernetes Service name (RFC 1035 label: lowercase letters, digits and "
        "hyphens, start with a letter, not end with a hyphen, at most 63 characters)",
    )


CustomerName = Annotated[str, Strict(), AfterValidator(_customer_name)]
EnvironmentName = Annotated[str, Strict(), AfterValidator(_environment_name)]
ExposureName = Annotated[str, Strict(), AfterValidator(_exposure_name)]
KubernetesName = Annotated[str, Strict(), AfterValidator(_dns_label)]
ServiceName = Annotated[str, Strict(), AfterValidator(_dns_1035_label)]
# Integers are integers and booleans booleans: no `"80"`, `80.0`, `true` as 1, `yes` or `on`.
StrictInt = Annotated[int, Strict()]
StrictBool = Annotated[bool, Strict()]

# Services that are never exposed: the raw API server (it would bypass the auth proxy and its
# impersonation) and anything in the operator's own namespace.
API_SERVER_SERVICE = ("default", "kubernetes")
# Hosts an issuer may never name: it is fetched by Tailscale and pasted into INSTALL.md.
_LOCAL_HOST_SUFFIXES = (".localhost", ".local", ".internal", ".localdomain", ".home.arpa")
_ISSUER_CHARS_RE = re.compile(r"^[A-Za-z0-9._~%/:-]+$")
_HOSTNAME_RE = re.compile(
    r"^(?=.{1,253}$)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z](?:[a-z0-9-]{0,61}[a-z0-9])?$"
)


def oidc_issuer_problem(value: str) -> str | None:
    """Why `value` is not an acceptable OIDC issuer URL, or None.

    An https URL with a public DNS host: no user info, query, fragment, whitespace, quotes or
    dot segments, and no loopback, private or link-local host.
    """
    if not _ISSUER_CHARS_RE.fullmatch(value):
        return "may hold only letters, digits and . _ ~ % / : - (no whitespace, quotes or ?#@)"
    parsed = urlparse(value)
    if parsed.scheme != "https":
        return "must be an https:// URL"
    if parsed.params or parsed.query or parsed.fragment or "@" in parsed.netloc:
        return "must have no user info, parameters, query or fragment"
    try:
        host = parsed.hostname or ""
        parsed.port  # noqa: B018 - raises ValueError on a malformed port
    except ValueError:
        return "has a malformed port"
    if not host:
        return "must name a host"
    if any(segment in (".", "..") for segment in parsed.path.split("/")):
        return "must not contain . or .. path segments"
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        address = None
    if address is not None:
        if not address.is_global:
            return f"host {host} is a loopback, private or reserved address"
        return None
    if host == "localhost" or host.endswith(_LOCAL_HOST_SUFFIXES):
        return f"host {host} is not a public DNS name"
    if not _HOSTNAME_RE.fullmatch(host):
        return f"host {host!r} is not a fully qualified DNS name"
    return None


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, strict=False)


class Exposure(_Strict):
    """An existing Service in the customer's cluster made reachable from Highflame's tailnet."""

    namespace: KubernetesName
    service: ServiceName
    port: StrictInt = Field(ge=1, le=65535, description="the Service port to reach")
    via: ExposureVia = ExposureVia.INGRESS

    @model_validator(mode="after")
    def _never_exposed(self) -> Exposure:
        if (self.namespace, self.service) == API_SERVER_SERVICE:
            raise ValueError(
                "default/kubernetes is the raw API server: it is reached only through the "
                "operator's auth proxy, never exposed"
            )
        if self.namespace == names.OPERATOR_NAMESPACE:
            raise ValueError(
                f"namespace {names.OPERATOR_NAMESPACE!r} is the operator's own; nothing in it "
                "is exposed"
            )
        return self

    @property
    def tailnet_port(self) -> int:
        """Port SRE connect to on the tailnet: 443 behind an Ingress, the Service port otherwise."""
        return 443 if self.via is ExposureVia.INGRESS else self.port


class BreakGlass(_Strict):
    """Time-boxed elevation in one environment: who may get `role`, and for how long at most.

    Nothing here is standing access: an engineer holds `role` only while `hfaccess elevate` has
    set their devices' elevation attribute, which Tailscale removes at its expiry.
    """

    role: ClusterRole
    engineers: list[TailnetLogin] = Field(min_length=1)
    max_duration: str

    @field_validator("engineers")
    @classmethod
    def _unique_engineers(cls, value: list[str]) -> list[str]:
        duplicates = sorted({m for m in value if value.count(m) > 1})
        if duplicates:
            raise ValueError(f"listed more than once: {', '.join(duplicates)}")
        return sorted(value)

    @field_validator("max_duration")
    @classmethod
    def _bounded_duration(cls, value: str) -> str:
        duration = parse_duration(value)
        if duration > MAX_ELEVATION:
            raise ValueError(f"at most {format_duration(MAX_ELEVATION)} (got {value!r})")
        return format_duration(duration)

    @property
    def max_timedelta(self) -> timedelta:
        return parse_duration(self.max_duration)


class Environment(_Strict):
    """One deployment of Highflame in one customer cluster."""

    cluster_role: ClusterRole = ClusterRole.HIGHFLAME_SRE
    install: InstallMode = InstallMode.MANAGED
    credentials: CredentialKind = CredentialKind.OAUTH
    oidc_issuer: str | None = Field(
        default=None, description="the cluster's public OIDC issuer URL (federated credentials)"
    )
    exposures: dict[ExposureName, Exposure] = Field(default_factory=dict)
    revoked: StrictBool = False
    network_policy: StrictBool = Field(
        default=True,
        description="install the NetworkPolicy for namespace tailscale (false: the CNI does not "
        "enforce policies)",
    )
    log_upload: StrictBool = Field(
        default=False,
        description="let the operator and proxies upload client logs to log.tailscale.com "
        "(off by default: TS_NO_LOGS_NO_SUPPORT=true)",
    )
    break_glass: BreakGlass | None = None

    @field_validator("oidc_issuer")
    @classmethod
    def _https_issuer(cls, value: str | None) -> str | None:
        if value is None:
            return None
        problem = oidc_issuer_problem(value)
        if problem is not None:
            raise ValueError(f"{problem} (got {value!r})")
        return value

    @model_validator(mode="after")
    def _issuer_matches_credentials(self) -> Environment:
        if self.credentials is CredentialKind.FEDERATED and self.oidc_issuer is None:
            raise ValueError("credentials: federated needs oidc_issuer (the cluster's OIDC issuer)")
        if self.credentials is CredentialKind.OAUTH and self.oidc_issuer is not None:
            raise ValueError("oidc_issuer is only used with credentials: federated")
        return self

    @model_validator(mode="after")
    def _break_glass_elevates(self) -> Environment:
        if self.break_glass is None:
            return self
        if self.revoked:
            raise ValueError("break_glass on a revoked environment: remove break_glass")
        if self.break_glass.role is ClusterRole.HIGHFLAME_SRE:
            raise ValueError(
                "break_glass.role highflame-sre is the read-only standing role, never an "
                "elevation: use view or cluster-admin"
            )
        if self.break_glass.role is self.cluster_role:
            raise ValueError(
                f"break_glass.role {self.break_glass.role.value} is already the standing "
                "cluster_role: elevation would grant nothing"
            )
        return self


class Reinstatement(_Strict):
    """A reviewed decision to give a customer that `hfaccess kill` cut off its access back.

    Without it the `tailnet` program refuses to grant a customer the live policy shows cut off
    (a checkout that lacks the `revoked: true` commit must not undo a kill). `hfaccess kill`
    removes it again, so one reinstatement never covers a later revocation.
    """

    date: dt.date = Field(description="the day the reinstatement was approved")
    approved_by: str = Field(pattern=r"^[^@\s]+@[^@\s]+$", description="who reviewed it (email)")
    reason: str = Field(min_length=1, description="why access comes back (a ticket, a sentence)")


class Customer(_Strict):
    """One BYOC customer: its environments share the customer's tags, never its credentials."""

    name: CustomerName
    environments: dict[EnvironmentName, Environment] = Field(min_length=1)
    revoked: StrictBool = False
    reinstated: Reinstatement | None = None

    @model_validator(mode="after")
    def _reinstated_is_not_revoked(self) -> Customer:
        if self.revoked and self.reinstated is not None:
            raise ValueError(
                "reinstated: the customer is also revoked: true; reinstating means revoked: false"
            )
        return self

    @field_validator("environments", mode="before")
    @classmethod
    def _empty_environment_is_default(cls, value: Any) -> Any:
        # `prod:` with nothing after it is YAML null; it means "all defaults", like `prod: {}`.
        if isinstance(value, dict):
            return {k: ({} if v is None else v) for k, v in value.items()}
        return value

    def active(self, environment: str) -> bool:
        """Whether SRE may reach this environment: neither it nor the customer is revoked."""
        return not self.revoked and not self.environments[environment].revoked


@dataclass(frozen=True)
class EnvironmentRef:
    """A customer environment together with its customer, as stacks and builders use it."""

    customer: Customer
    name: str

    @property
    def environment(self) -> Environment:
        return self.customer.environments[self.name]

    @property
    def active(self) -> bool:
        return self.customer.active(self.name)

    @property
    def stack(self) -> str:
        return names.stack_name(self.customer.name, self.name)

    @property
    def hostname(self) -> str:
        return names.operator_hostname(self.customer.name, self.name)


@dataclass(frozen=True)
class Registry:
    """Every customer, sorted by name, with the file each came from."""

    customers: tuple[Customer, ...]
    sources: dict[str, str]
    notes: tuple[str, ...] = ()  # entries of the registry directory that were ignored, and why

    def customer(self, name: str) -> Customer:
        for customer in self.customers:
            if customer.name == name:
                return customer
        raise KeyError(name)

    def environments(self) -> Iterator[EnvironmentRef]:
        for customer in self.customers:
            for env in sorted(customer.environments):
                yield EnvironmentRef(customer, env)

    def stack_names(self) -> list[str]:
        """Every stack the registry implies: `tailnet` first, then `<customer>-<env>` sorted."""
        return [names.TAILNET_STACK, *sorted(ref.stack for ref in self.environments())]
