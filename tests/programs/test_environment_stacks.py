"""`<customer>-<env>` stacks under Pulumi mocks with their real config: one credential each."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from components.environment_credential import EnvironmentCredential
from hfaccess.credentials import EXPOSURE_SCOPES, OPERATOR_SCOPES
from tests.programs.stacks import (
    PROVIDER_TYPE,
    assert_inside_components_with_explicit_provider,
    assert_secret_never_plain,
    copy_root,
)
from tests.support.pulumi_mocks import MOCK_OAUTH_SECRET, run_stack

OAUTH = "tailscale:index/oauthClient:OauthClient"
FEDERATED = "tailscale:index/federatedIdentity:FederatedIdentity"


CLUSTER_SIDE = ("kubernetes:", "pulumi:providers:kubernetes", "highflame:cluster:")


@pytest.mark.parametrize(
    ("stack", "customer", "description", "managed"),
    [
        ("acme-prod", "acme", "acme prod k8s-operator", True),
        ("globex-prod", "globex", "globex prod k8s-operator", False),
    ],
)
def test_oauth_environment_gets_one_client_with_its_customers_tag_only(
    stack: str, customer: str, description: str, managed: bool
) -> None:
    run = run_stack(stack)
    client = run.one(OAUTH)
    assert run.of_type(FEDERATED) == []
    assert client.inputs == {
        "description": description,
        # globex has an exposure: its operator deletes the proxy's device when it goes
        "scopes": list(EXPOSURE_SCOPES if stack == "globex-prod" else OPERATOR_SCOPES),
        "tags": [f"tag:k8s-operator-{customer}"],
    }
    assert client.name == f"{stack}-oauth-client"
    assert client.parent_types == [EnvironmentCredential.TYPE]
    tailnet_side = {r.typ for r in run.resources if not r.typ.startswith(CLUSTER_SIDE)}
    assert tailnet_side == {PROVIDER_TYPE, EnvironmentCredential.TYPE, OAUTH}
    cluster_side = [r for r in run.resources if r.typ.startswith(CLUSTER_SIDE)]
    # a managed install declares the cluster side; a handoff declares nothing in the cluster
    assert bool(cluster_side) is managed
    assert_inside_components_with_explicit_provider(run)

    host = f"{stack}-kube"
    assert run.outputs["apiServerHost"] == host
    env = stack.removeprefix(f"{customer}-")
    assert run.outputs["kubeconfigCommand"] == f"python -m hfaccess connect {customer} {env}"
    assert run.outputs["credentialKind"] == "oauth"
    assert run.outputs["oauthClientId"] == f"{stack}-oauth-client-id"
    assert run.outputs["oauthClientSecret"] == MOCK_OAUTH_SECRET
    assert "oauthClientSecret" in run.secret_outputs
    assert run.secret_outputs == {"oauthClientSecret"}
    assert_secret_never_plain(run)


def test_federated_environment_gets_an_identity_and_no_secret_at_all() -> None:
    run = run_stack("acme-dev")
    identity = run.one(FEDERATED)
    assert run.of_type(OAUTH) == []
    assert identity.inputs["issuer"] == (
        "https://oidc.eks.us-east-1.amazonaws.com/id/0A1B2C3D4E5F60718293A4B5C6D7E8F9"
    )
    assert identity.inputs["subject"] == "system:serviceaccount:tailscale:operator"
    assert identity.inputs["tags"] == ["tag:k8s-operator-acme"]
    assert identity.inputs["scopes"] == list(OPERATOR_SCOPES)
    assert identity.inputs["description"] == "acme dev k8s-operator"
    assert identity.parent_types == [EnvironmentCredential.TYPE]
    assert_inside_components_with_explicit_provider(run)
    assert run.outputs["credentialKind"] == "federated"
    assert run.outputs["oauthClientId"] == "acme-dev-federated-identity-id"
    assert run.outputs["federatedAudience"] == "api.tailscale.com/acme-dev-federated-identity"
    assert "oauthClientSecret" not in run.outputs
    assert run.secret_outputs == set()


@pytest.mark.parametrize(
    "acme",
    [
        {"name": "acme", "environments": {"prod": {"revoked": True}, "dev": {}}},
        {"name": "acme", "environments": {"prod": {}}, "revoked": True},
    ],
)
def test_revoked_environment_declares_no_credential(tmp_path: Path, acme: dict[str, Any]) -> None:
    acme["environments"]["prod"]["install"] = "handoff"
    root = copy_root(tmp_path, {"acme": acme})
    (root / "Pulumi.acme-prod.yaml").write_text(
        'config:\n  pulumi:disable-default-providers: ["*"]\n  highflame-access:tailnet: "-"\n'
    )
    run = run_stack("acme-prod", root=root)
    assert run.resources == []
    assert run.outputs == {
        "apiServerHost": "acme-prod-kube",
        "kubeconfigCommand": "python -m hfaccess connect acme prod",
        "operatorTag": "tag:k8s-operator-acme",
        "revoked": True,
    }


def test_runs_in_one_process_never_share_exports() -> None:
    assert "oauthClientSecret" in run_stack("globex-prod").outputs
    assert "oauthClientSecret" not in run_stack("acme-dev").outputs
