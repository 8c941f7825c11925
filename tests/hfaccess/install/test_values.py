"""Helm values carry the chart's types and every credential value, and nothing else secret."""

from __future__ import annotations

import pytest

from hfaccess.install import chart
from hfaccess.install.values import (
    CREDENTIAL_ANNOTATION,
    ChartCredential,
    credential_overrides,
    helm_values,
    placeholder_credential,
    placeholder_overrides,
)
from hfaccess.registry.models import CredentialKind
from tests.support.samples import sample_refs


def test_acme_prod_values_have_the_chart_types() -> None:
    ref = sample_refs()["acme-prod"]
    values = helm_values(ref, ChartCredential(CredentialKind.OAUTH, "id-1", client_secret="s3"))
    assert values["oauth"] == {"clientId": "id-1", "clientSecret": "s3"}
    operator = values["operatorConfig"]
    assert operator["hostname"] == "acme-prod-kube"
    assert operator["defaultTags"] == ["tag:cust-acme"]  # a list: the chart joins it
    assert values["proxyConfig"]["defaultTags"] == "tag:k8s-acme"  # a string: copied verbatim
    assert values["apiServerProxyConfig"]["mode"] == "true"  # the string, auth mode
    assert operator["image"]["tag"] == values["proxyConfig"]["image"]["tag"] == chart.IMAGE_TAG
    assert f"v{chart.CHART_VERSION}" == chart.IMAGE_TAG
    assert operator["podAnnotations"] == {CREDENTIAL_ANNOTATION: "id-1"}


def test_federated_values_carry_the_audience_and_no_secret() -> None:
    ref = sample_refs()["acme-dev"]
    values = helm_values(ref, ChartCredential(CredentialKind.FEDERATED, "id-2", audience="aud"))
    assert values["oauth"] == {"clientId": "id-2", "audience": "aud"}


@pytest.mark.parametrize(
    ("kind", "secret", "audience"),
    [
        (CredentialKind.OAUTH, None, None),
        (CredentialKind.OAUTH, "s", "a"),
        (CredentialKind.FEDERATED, None, None),
        (CredentialKind.FEDERATED, "s", "a"),
    ],
)
def test_credential_shape_is_enforced(
    kind: CredentialKind, secret: str | None, audience: str | None
) -> None:
    with pytest.raises(ValueError, match="needs"):
        ChartCredential(kind, "id", client_secret=secret, audience=audience)


@pytest.mark.parametrize("stack", ["acme-prod", "acme-dev", "globex-prod"])
def test_overrides_replace_every_placeholder(stack: str) -> None:
    """The handoff's --set-string flags reach every place a credential value is put."""
    ref = sample_refs()[stack]
    placeholders = {
        value
        for value in vars(placeholder_credential(ref.environment.credentials)).values()
        if isinstance(value, str) and value.startswith("<")
    }
    overrides = credential_overrides(ref)
    rendered = str(helm_values(ref, placeholder_credential(ref.environment.credentials)))
    assert placeholders
    assert all(p in rendered for p in placeholders)
    keys = [key for key, _ in overrides]
    assert "oauth.clientId" in keys
    assert "operatorConfig.podAnnotations.highflame\\.ai/credential-client-id" in keys
    if ref.environment.credentials is CredentialKind.FEDERATED:
        assert ("oauth.audience", "OAUTH_AUDIENCE") in overrides
        assert not any("clientSecret" in key for key in keys)
    else:
        assert ("oauth.clientSecret", "OAUTH_CLIENT_SECRET") in overrides


@pytest.mark.parametrize("stack", sorted(sample_refs()))
def test_overrides_read_from_the_placeholders_are_the_markers_overrides(stack: str) -> None:
    """render reads the flags from the values it built; the marker build gives the same flags."""
    ref = sample_refs()[stack]
    values = helm_values(ref, placeholder_credential(ref.environment.credentials))
    assert placeholder_overrides(values) == credential_overrides(ref)
