"""The real program wires the EnvironmentCredential credential into the cluster install.

Run per stack under mocks with the stack file's config: the OAuth key minted on the tailnet
reaches the Release only as a secret; it appears in no output and, in the inputs the engine
receives, only inside a secret wrapper.
"""

from __future__ import annotations

from pulumi.runtime import rpc

from tests.programs.stacks import assert_secret_never_plain
from tests.support.pulumi_mocks import MOCK_OAUTH_SECRET, run_stack


def test_oauth_key_reaches_the_release_only_as_a_secret() -> None:
    run = run_stack("acme-prod")
    release = run.one("kubernetes:helm.sh/v3:Release")
    values = release.inputs["values"]
    assert values[rpc._special_sig_key] == rpc._special_secret_sig
    assert values["value"]["oauth"]["clientSecret"] == MOCK_OAUTH_SECRET
    assert values["value"]["oauth"]["clientId"] == "acme-prod-oauth-client-id"
    assert_secret_never_plain(run)
    assert run.secret_outputs == {"oauthClientSecret"}


def test_federated_identity_audience_reaches_the_release() -> None:
    run = run_stack("acme-dev")
    values = run.one("kubernetes:helm.sh/v3:Release").inputs["values"]
    assert values["oauth"] == {
        "clientId": "acme-dev-federated-identity-id",
        "audience": "api.tailscale.com/acme-dev-federated-identity",
    }
