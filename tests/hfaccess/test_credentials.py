"""Each environment's credential carries only its customer's operator tag, within API limits."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from hfaccess.credentials import DESCRIPTION_MAX, credential_description, credential_spec
from hfaccess.registry.loader import load_registry
from hfaccess.registry.models import CredentialKind
from tests.support.files import REPO


def test_sample_credentials() -> None:
    registry = load_registry(REPO / "customers")
    refs = {ref.stack: ref for ref in registry.environments()}
    prod = credential_spec(refs["acme-prod"])
    assert prod.kind is CredentialKind.OAUTH
    assert prod.tags == ("tag:k8s-operator-acme",)
    assert prod.scopes == ("auth_keys",)  # no exposures: mint keys, nothing else
    assert prod.description == "acme prod k8s-operator"
    assert prod.as_document() == {
        "description": "acme prod k8s-operator",
        "scopes": ["auth_keys"],
        "tags": ["tag:k8s-operator-acme"],
    }
    # globex exposes Studio: its operator deletes the proxy's device when the exposure goes.
    assert credential_spec(refs["globex-prod"]).scopes == ("auth_keys", "devices:core")
    assert all("services" not in credential_spec(r).scopes for r in refs.values())
    dev = credential_spec(refs["acme-dev"])
    assert dev.kind is CredentialKind.FEDERATED
    assert dev.subject == "system:serviceaccount:tailscale:operator"
    assert dev.issuer is not None
    assert dev.issuer.startswith("https://oidc.eks.")


@given(
    st.from_regex(r"[a-z](?:[a-z0-9-]{0,30}[a-z0-9])?", fullmatch=True),
    st.from_regex(r"[a-z][a-z0-9]{0,11}", fullmatch=True),
)
def test_description_fits_the_api(customer: str, env: str) -> None:
    text = credential_description(customer, env)
    assert len(text) <= DESCRIPTION_MAX
    assert text.startswith(f"{customer} {env}")
