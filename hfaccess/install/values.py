"""The Helm values of one environment's operator release: one builder for Pulumi and for render.

The builder is generic over how credential values are carried: the Pulumi component passes
`Output`s (the client secret a secret Output), `render` passes placeholder strings. Everything
else is plain data, so the rendered `helm-values.yaml` is exactly what the Release receives,
secrets aside.

Types follow the chart (see the chart reference): `operatorConfig.defaultTags` is a list (the
chart joins it with commas), `proxyConfig.defaultTags` a comma-separated string (copied
verbatim), `apiServerProxyConfig.mode` the string "true" (auth mode).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Final, Generic, TypeVar

from hfaccess.install import chart
from hfaccess.install.hardening import hardened_values, merge_values
from hfaccess.registry import names
from hfaccess.registry.models import CredentialKind, EnvironmentRef

T = TypeVar("T")

# Pod annotation carrying the credential's client id (not a secret). A new credential has a new
# id, so the operator's pod template changes and the Deployment restarts the operator with it.
CREDENTIAL_ANNOTATION: Final = "highflame.ai/credential-client-id"

# Auth mode: the API server proxy impersonates the caller (tailnet login + granted groups).
API_SERVER_PROXY_MODE: Final = "true"

CLIENT_ID_PLACEHOLDER: Final = "<OAUTH_CLIENT_ID>"
CLIENT_SECRET_PLACEHOLDER: Final = "<OAUTH_CLIENT_SECRET>"
AUDIENCE_PLACEHOLDER: Final = "<OAUTH_AUDIENCE>"


@dataclass(frozen=True)
class ChartCredential(Generic[T]):
    """The credential values the chart takes: an id, and a secret (OAuth) or audience (federated)."""

    kind: CredentialKind
    client_id: T
    client_secret: T | None = None
    audience: T | None = None

    def __post_init__(self) -> None:
        if self.kind is CredentialKind.OAUTH and (
            self.client_secret is None or self.audience is not None
        ):
            raise ValueError("an OAuth client credential needs a client secret and no audience")
        if self.kind is CredentialKind.FEDERATED and (
            self.audience is None or self.client_secret is not None
        ):
            raise ValueError("a federated credential needs an audience and no client secret")


def placeholder_credential(kind: CredentialKind) -> ChartCredential[str]:
    """Stand-ins for values render cannot know (ids are minted by Tailscale) or must not write."""
    if kind is CredentialKind.FEDERATED:
        return ChartCredential(kind, CLIENT_ID_PLACEHOLDER, audience=AUDIENCE_PLACEHOLDER)
    return ChartCredential(kind, CLIENT_ID_PLACEHOLDER, client_secret=CLIENT_SECRET_PLACEHOLDER)


def oauth_values(credential: ChartCredential[T]) -> dict[str, T]:
    """`oauth.*`: clientSecret and audience are mutually exclusive in the chart."""
    values: dict[str, T] = {"clientId": credential.client_id}
    if credential.client_secret is not None:
        values["clientSecret"] = credential.client_secret
    if credential.audience is not None:
        values["audience"] = credential.audience
    return values


def helm_values(ref: EnvironmentRef, credential: ChartCredential[T]) -> dict[str, Any]:
    """The values of `ref`'s operator release, with the chart's types, hardened."""
    return merge_values(_base_values(ref, credential), hardened_values(ref))


def _base_values(ref: EnvironmentRef, credential: ChartCredential[T]) -> dict[str, Any]:
    customer = ref.customer.name
    return {
        "oauth": oauth_values(credential),
        "operatorConfig": {
            "hostname": names.operator_hostname(customer, ref.name),
            "defaultTags": [names.operator_device_tag(customer)],
            "image": {"repository": chart.OPERATOR_IMAGE_REPOSITORY, "tag": chart.IMAGE_TAG},
            "podAnnotations": {CREDENTIAL_ANNOTATION: credential.client_id},
        },
        "proxyConfig": {
            "defaultTags": names.proxy_tag(customer),
            "image": {"repository": chart.PROXY_IMAGE_REPOSITORY, "tag": chart.IMAGE_TAG},
        },
        "apiServerProxyConfig": {"mode": API_SERVER_PROXY_MODE},
        "ingressClass": {"enabled": True, "name": chart.INGRESS_CLASS},
    }


# Shell variables the handoff's `helm` command reads the out-of-band credential values from.
CREDENTIAL_VARIABLES: Final = {
    "client_id": "OAUTH_CLIENT_ID",
    "client_secret": "OAUTH_CLIENT_SECRET",
    "audience": "OAUTH_AUDIENCE",
}


def _helm_key(path: tuple[str, ...]) -> str:
    """A `--set` key: dots inside one key (annotation names) are escaped for Helm."""
    return ".".join(part.replace(".", "\\.") for part in path)


def _marker_leaves(
    value: dict[Any, Any],
    markers: frozenset[str],
    path: tuple[str, ...],
    found: list[tuple[str, str]],
) -> None:
    """Append (`--set-string` key, marker) for each leaf of `value` that is one of `markers`.

    Mappings are walked in order; any other value (a list, a number) is a leaf.
    """
    for key, child in value.items():
        if isinstance(child, dict):
            _marker_leaves(child, markers, (*path, str(key)), found)
        elif isinstance(child, str) and child in markers:
            found.append((_helm_key((*path, str(key))), child))


def credential_overrides(ref: EnvironmentRef) -> list[tuple[str, str]]:
    """(`--set-string` key, shell variable) for every value that carries a credential.

    Found by building the values with the variable names as markers, so a credential value the
    builder places anywhere (the oauth block, the rollout annotation) is overridden at install.
    """
    kind = ref.environment.credentials
    variables = CREDENTIAL_VARIABLES
    markers = (
        ChartCredential(kind, variables["client_id"], audience=variables["audience"])
        if kind is CredentialKind.FEDERATED
        else ChartCredential(kind, variables["client_id"], client_secret=variables["client_secret"])
    )
    found: list[tuple[str, str]] = []
    _marker_leaves(helm_values(ref, markers), _MARKERS, (), found)
    return found


_MARKERS: Final = frozenset(CREDENTIAL_VARIABLES.values())

# Each placeholder and the shell variable its `--set-string` flag reads (one per credential field).
_PLACEHOLDER_VARIABLES: Final = {
    CLIENT_ID_PLACEHOLDER: CREDENTIAL_VARIABLES["client_id"],
    CLIENT_SECRET_PLACEHOLDER: CREDENTIAL_VARIABLES["client_secret"],
    AUDIENCE_PLACEHOLDER: CREDENTIAL_VARIABLES["audience"],
}


def placeholder_overrides(values: dict[str, Any]) -> list[tuple[str, str]]:
    """`credential_overrides`, read from values just built with `placeholder_credential`.

    The builder places a credential value without looking at it, so the placeholders sit where
    the markers would: render reads the values it has already built instead of building them
    again (the tests hold the two equal).
    """
    found: list[tuple[str, str]] = []
    _marker_leaves(values, _PLACEHOLDERS, (), found)
    return [(key, _PLACEHOLDER_VARIABLES[placeholder]) for key, placeholder in found]


_PLACEHOLDERS: Final = frozenset(_PLACEHOLDER_VARIABLES)
