"""The integrator's wiring, rehearsed: the real TailnetCustomer credential feeds declare_install.

This is what `declare_environment` will do once the integrator adds the call (that file is not
edited here). It shows the OAuth key minted on the tailnet reaches the Release only as a secret:
it appears in no output and, in the inputs the engine receives, only inside a secret wrapper.
"""

from __future__ import annotations

import json
from typing import Any

import pulumi
from pulumi.runtime import rpc

from components.install_program import declare_install
from components.tailnet_customer import TailnetCustomer
from components.tailscale_provider import tailscale_provider
from hfaccess.credentials import credential_spec
from hfaccess.settings import settings_from_config
from hfaccess.stacks import EnvironmentStack
from tests.support.pulumi_mocks import MOCK_OAUTH_SECRET, ProgramRun, run_in_stack, stack_config
from tests.support.samples import sample_model, sample_refs


def without_secrets(value: Any) -> Any:
    """`value` with every secret-wrapped part replaced by a marker."""
    if isinstance(value, dict):
        if value.get(rpc._special_sig_key) == rpc._special_secret_sig:
            return "[secret]"
        return {k: without_secrets(v) for k, v in value.items()}
    if isinstance(value, list):
        return [without_secrets(v) for v in value]
    return value


def run_environment(stack: str) -> ProgramRun:
    ref = sample_refs()[stack]
    settings = settings_from_config(
        stack_config(stack), EnvironmentStack(ref), f"Pulumi.{stack}.yaml"
    )

    def body() -> None:
        customer = TailnetCustomer(
            ref.stack, credential_spec(ref), provider=tailscale_provider(settings)
        )
        exports = declare_install(ref, sample_model(), settings, customer.credential)
        for key, value in exports.items():
            pulumi.export(key, value)

    return run_in_stack(stack, body)


def test_oauth_key_reaches_the_release_only_as_a_secret() -> None:
    run = run_environment("acme-prod")
    release = run.one("kubernetes:helm.sh/v3:Release")
    values = release.inputs["values"]
    assert values[rpc._special_sig_key] == rpc._special_secret_sig
    assert values["value"]["oauth"]["clientSecret"] == MOCK_OAUTH_SECRET
    assert values["value"]["oauth"]["clientId"] == "acme-prod-oauth-client-id"
    for resource in run.resources:
        plain = json.dumps(without_secrets(resource.inputs), default=str)
        assert MOCK_OAUTH_SECRET not in plain, resource.name
    assert MOCK_OAUTH_SECRET not in json.dumps(run.outputs, default=str)


def test_federated_identity_audience_reaches_the_release() -> None:
    run = run_environment("acme-dev")
    values = run.one("kubernetes:helm.sh/v3:Release").inputs["values"]
    assert values["oauth"] == {
        "clientId": "acme-dev-federated-identity-id",
        "audience": "api.tailscale.com/acme-dev-federated-identity",
    }
