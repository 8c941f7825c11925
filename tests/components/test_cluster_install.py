"""ClusterInstall under Pulumi's mocks: the real SDK, the stacks' real settings, a fake credential."""

from __future__ import annotations

import json
from typing import Any

import pulumi
import pytest
import yaml
from pulumi.runtime import rpc

from components.cluster_install import ClusterInstall
from components.environment_credential import OperatorCredential
from hfaccess.install import chart
from hfaccess.install.artifacts import environment_artifacts
from hfaccess.install.values import CLIENT_ID_PLACEHOLDER, CLIENT_SECRET_PLACEHOLDER
from hfaccess.registry.models import CredentialKind, EnvironmentRef
from hfaccess.registry.settings import StackSettings, settings_from_config
from hfaccess.registry.stacks import EnvironmentStack
from programs.install import declare_install
from programs.kubernetes_provider import MissingClusterSettings
from tests.support.pulumi_mocks import MOCK_OAUTH_SECRET, ProgramRun, run_in_stack, stack_config
from tests.support.rbac_guard import forbidden_grants
from tests.support.samples import make_ref, sample_model, sample_refs

RELEASE = "kubernetes:helm.sh/v3:Release"
PROVIDER = "pulumi:providers:kubernetes"
ROLE = "kubernetes:rbac.authorization.k8s.io/v1:ClusterRole"
BINDING = "kubernetes:rbac.authorization.k8s.io/v1:ClusterRoleBinding"
INGRESS = "kubernetes:networking.k8s.io/v1:Ingress"
SERVICE_PATCH = "kubernetes:core/v1:ServicePatch"
CLIENT_ID = "kMOCKCLIENTID"
AUDIENCE = "api.tailscale.com/mock-audience"


def oauth_credential() -> OperatorCredential:
    return OperatorCredential(
        CredentialKind.OAUTH,
        client_id=pulumi.Output.from_input(CLIENT_ID),
        client_secret=pulumi.Output.secret(MOCK_OAUTH_SECRET),
    )


def federated_credential() -> OperatorCredential:
    return OperatorCredential(
        CredentialKind.FEDERATED,
        client_id=pulumi.Output.from_input(CLIENT_ID),
        audience=pulumi.Output.from_input(AUDIENCE),
    )


def stack_settings(ref: EnvironmentRef) -> StackSettings:
    return settings_from_config(
        stack_config(ref.stack), EnvironmentStack(ref), f"Pulumi.{ref.stack}.yaml"
    )


def run_install(
    ref: EnvironmentRef,
    settings: StackSettings,
    credential: OperatorCredential,
) -> ProgramRun:
    def body() -> None:
        for key, value in declare_install(ref, sample_model(), settings, credential).items():
            pulumi.export(key, value)

    return run_in_stack(ref.stack, body, config={})


def unwrap_secret(value: Any) -> tuple[bool, Any]:
    """(was it a secret, the plain value) for a property as the mock monitor received it."""
    if isinstance(value, dict) and value.get(rpc._special_sig_key) == rpc._special_secret_sig:
        return True, value["value"]
    return False, value


@pytest.fixture(scope="module")
def acme_prod() -> ProgramRun:
    ref = sample_refs()["acme-prod"]
    return run_install(ref, stack_settings(ref), oauth_credential())


def test_one_pinned_release_through_the_explicit_provider(acme_prod: ProgramRun) -> None:
    release = acme_prod.one(RELEASE)
    provider = acme_prod.one(PROVIDER)
    inputs = release.inputs
    assert inputs["name"] == "tailscale-operator"
    assert inputs["namespace"] == "tailscale"
    assert inputs["createNamespace"] is True
    assert inputs["chart"] == "tailscale-operator"
    assert inputs["version"] == chart.CHART_VERSION
    assert inputs["repositoryOpts"] == {"repo": "https://pkgs.tailscale.com/helmcharts"}
    assert inputs["skipAwait"] is False
    assert inputs["atomic"] is True
    assert release.provider is not None
    assert release.provider.startswith(provider.urn + "::")
    assert provider.inputs["context"] == "acme-prod"
    assert provider.inputs["clusterIdentifier"] == "acme-prod"
    assert "kubeconfig" not in provider.inputs


def test_values_are_wired_from_the_credential_and_stay_secret(acme_prod: ProgramRun) -> None:
    was_secret, values = unwrap_secret(acme_prod.one(RELEASE).inputs["values"])
    assert was_secret
    assert values["oauth"] == {"clientId": CLIENT_ID, "clientSecret": MOCK_OAUTH_SECRET}
    assert values["operatorConfig"]["podAnnotations"] == {
        "highflame.ai/credential-client-id": CLIENT_ID
    }


def test_release_values_equal_the_rendered_file_secrets_aside(acme_prod: ProgramRun) -> None:
    ref = sample_refs()["acme-prod"]
    text = environment_artifacts(ref, sample_model())["helm-values.yaml"]
    text = text.replace(CLIENT_SECRET_PLACEHOLDER, MOCK_OAUTH_SECRET)
    text = text.replace(CLIENT_ID_PLACEHOLDER, CLIENT_ID)
    _, values = unwrap_secret(acme_prod.one(RELEASE).inputs["values"])
    assert values == yaml.safe_load(text)


def test_no_plain_text_secret_in_any_output(acme_prod: ProgramRun) -> None:
    assert MOCK_OAUTH_SECRET not in json.dumps(acme_prod.outputs, default=str)
    assert acme_prod.secret_outputs == set()
    assert acme_prod.outputs["installMode"] == "managed"
    assert acme_prod.outputs["releaseName"] == "tailscale-operator"
    assert acme_prod.outputs["chartVersion"] == chart.CHART_VERSION
    assert acme_prod.outputs["exposures"] == []


def test_read_only_role_bound_to_the_group(acme_prod: ProgramRun) -> None:
    role = acme_prod.one(ROLE)
    (binding,) = [b for b in acme_prod.of_type(BINDING) if b.name == "acme-prod-binding"]
    assert forbidden_grants(role.inputs["rules"]) == []
    assert binding.inputs["roleRef"]["name"] == "highflame-sre"
    assert binding.inputs["subjects"] == [
        {"kind": "Group", "apiGroup": "rbac.authorization.k8s.io", "name": "highflame-sre"}
    ]
    assert acme_prod.of_type(INGRESS) == acme_prod.of_type(SERVICE_PATCH) == []


def test_break_glass_binds_the_elevated_group_in_its_own_environment_only(
    acme_prod: ProgramRun,
) -> None:
    bindings = {b.name: b for b in acme_prod.of_type(BINDING)}
    assert sorted(bindings) == ["acme-prod-binding", "acme-prod-highflame-elevated"]
    elevated = bindings["acme-prod-highflame-elevated"]
    assert elevated.inputs["roleRef"]["name"] == "cluster-admin"
    assert elevated.inputs["subjects"] == [
        {
            "kind": "Group",
            "apiGroup": "rbac.authorization.k8s.io",
            "name": "highflame-elevated-acme-prod",
        }
    ]


def test_every_resource_is_inside_the_component(acme_prod: ProgramRun) -> None:
    (component,) = acme_prod.of_type(ClusterInstall.TYPE)
    assert component.name == "acme-prod"
    provider = acme_prod.one(PROVIDER)
    # The stack's provider reaches the component through its resource options...
    assert component.providers["kubernetes"].rsplit("::", 1)[0] == provider.urn
    for resource in acme_prod.resources:
        if resource.typ not in (ClusterInstall.TYPE, PROVIDER):
            assert ClusterInstall.TYPE in resource.parent_types, resource.name
            assert resource.name.startswith("acme-prod-")
            # ...and every child inherits it through parent=self.
            assert resource.provider is not None, resource.name
            assert resource.provider.rsplit("::", 1)[0] == provider.urn, resource.name


def test_acme_dev_federated_view() -> None:
    ref = sample_refs()["acme-dev"]
    run = run_install(ref, stack_settings(ref), federated_credential())
    was_secret, values = unwrap_secret(run.one(RELEASE).inputs["values"])
    assert not was_secret  # no secret anywhere in a federated install's values
    assert values["oauth"] == {"clientId": CLIENT_ID, "audience": AUDIENCE}
    assert run.of_type(ROLE) == []
    assert run.one(BINDING).inputs["roleRef"]["name"] == "view"
    assert run.one(PROVIDER).inputs["context"] == "acme-dev"


def test_cluster_admin_binds_the_builtin() -> None:
    ref = make_ref({"cluster_role": "cluster-admin"})
    run = run_install(ref, StackSettings(kube_context="initech"), oauth_credential())
    assert run.of_type(ROLE) == []
    assert run.one(BINDING).inputs["roleRef"]["name"] == "cluster-admin"
    assert run.outputs["clusterRole"] == "cluster-admin"


def test_kubeconfig_reaches_the_provider_as_a_secret() -> None:
    ref = make_ref({})
    settings = StackSettings(kubeconfig="apiVersion: v1\nkind: Config\n")
    run = run_install(ref, settings, oauth_credential())
    was_secret, kubeconfig = unwrap_secret(run.one(PROVIDER).inputs["kubeconfig"])
    assert was_secret
    assert kubeconfig.startswith("apiVersion: v1")
    assert "context" not in run.one(PROVIDER).inputs


def test_exposures_are_an_ingress_and_a_service_patch() -> None:
    ref = make_ref(
        {
            "exposures": {
                "studio": {"namespace": "hf", "service": "studio", "port": 80},
                "grafana": {
                    "namespace": "mon",
                    "service": "grafana",
                    "port": 3000,
                    "via": "service",
                },
            }
        }
    )
    run = run_install(ref, StackSettings(kube_context="initech"), oauth_credential())
    ingress = run.one(INGRESS)
    assert ingress.name == "initech-prod-expose-studio"
    assert ingress.inputs["spec"]["tls"] == [{"hosts": ["initech-prod-studio"]}]
    assert ingress.inputs["spec"]["ingressClassName"] == "tailscale"
    patch = run.one(SERVICE_PATCH)
    assert patch.inputs["metadata"]["name"] == "grafana"
    assert (
        patch.inputs["metadata"]["annotations"]["tailscale.com/hostname"] == "initech-prod-grafana"
    )
    assert "spec" not in patch.inputs  # only the annotations are owned
    assert sorted(run.outputs["exposures"]) == ["initech-prod-grafana", "initech-prod-studio"]


def test_handoff_declares_nothing_in_the_cluster() -> None:
    ref = sample_refs()["globex-prod"]
    run = run_install(ref, stack_settings(ref), oauth_credential())
    assert run.resources == []
    assert run.outputs["installMode"] == "handoff"
    assert run.outputs["clusterResources"].startswith("none: install: handoff")
    assert run.outputs["exposures"] == ["globex-prod-studio"]


@pytest.mark.parametrize(("env_revoked", "customer_revoked"), [(True, False), (False, True)])
def test_revoked_managed_environment_keeps_nothing_in_the_cluster(
    env_revoked: bool, customer_revoked: bool
) -> None:
    exposures = {"studio": {"namespace": "hf", "service": "studio", "port": 80}}
    ref = make_ref({"exposures": exposures, "revoked": env_revoked}, revoked=customer_revoked)
    run = run_install(ref, StackSettings(kube_context="initech"), oauth_credential())
    assert run.resources == []
    assert run.outputs["exposures"] == []
    assert run.outputs["clusterResources"].startswith("none: access is revoked")


def test_managed_install_without_cluster_settings_is_refused() -> None:
    with pytest.raises(MissingClusterSettings, match="nothing falls back"):
        run_install(make_ref({}), StackSettings(), oauth_credential())


def test_conflicting_exposures_declare_nothing() -> None:
    twice = {
        e: {"namespace": "hf", "service": "studio", "port": 80, "via": "service"} for e in "ab"
    }
    with pytest.raises(pulumi.RunError, match="both annotate Service hf/studio"):
        run_install(make_ref({"exposures": twice}), StackSettings(), oauth_credential())


def test_network_policy_registers_exactly_what_the_typed_class_would(acme_prod: ProgramRun) -> None:
    """The generic class (no import of every networking/v1 class) changes nothing the engine sees."""
    import pulumi_kubernetes as k8s

    from hfaccess.install.hardening import network_policy_manifest

    ours = acme_prod.one("kubernetes:networking.k8s.io/v1:NetworkPolicy")
    manifest = network_policy_manifest()

    def typed() -> None:
        k8s.networking.v1.NetworkPolicy(
            ours.name, metadata=manifest["metadata"], spec=manifest["spec"]
        )

    reference = run_in_stack("acme-prod", typed, config={}).one(ours.typ)
    assert ours.inputs == reference.inputs
    assert ours.inputs["kind"] == "NetworkPolicy"
    assert ours.aliases == reference.aliases
    assert ours.aliases  # the typed class's alias is carried over, not lost


def test_rbac_registers_exactly_what_the_typed_classes_would(acme_prod: ProgramRun) -> None:
    """The generic class (no import of all of rbac/v1) changes nothing the engine sees."""
    import pulumi_kubernetes as k8s

    from hfaccess.install.rbac import BINDING_NAME

    ours = acme_prod.of_type(ROLE) + acme_prod.of_type(BINDING)
    # The custom read-only role, its binding and break-glass's elevated binding.
    assert [r.typ for r in ours] == [ROLE, BINDING, BINDING]

    def typed() -> None:
        for resource in ours:
            manifest = resource.inputs
            if manifest["kind"] == "ClusterRole":
                k8s.rbac.v1.ClusterRole(
                    resource.name, metadata=manifest["metadata"], rules=manifest["rules"]
                )
            else:
                k8s.rbac.v1.ClusterRoleBinding(
                    resource.name,
                    metadata=manifest["metadata"],
                    role_ref=manifest["roleRef"],
                    subjects=manifest["subjects"],
                )

    reference = run_in_stack("acme-prod", typed, config={})
    for resource in ours:
        expected = next(r for r in reference.of_type(resource.typ) if r.name == resource.name)
        assert resource.inputs == expected.inputs
        assert resource.aliases == expected.aliases
        assert resource.aliases  # the typed classes' aliases are carried over, not lost
        assert resource.custom
        assert expected.custom
    assert any(r.inputs["metadata"]["name"] == BINDING_NAME for r in ours)


def test_proxy_class_registers_exactly_what_the_custom_resource_class_would(
    acme_prod: ProgramRun,
) -> None:
    """The ProxyClass through the generic class, as k8s.apiextensions.CustomResource would."""
    import pulumi_kubernetes as k8s

    ours = acme_prod.one("kubernetes:tailscale.com/v1alpha1:ProxyClass")
    manifest = ours.inputs

    def typed() -> None:
        k8s.apiextensions.CustomResource(
            ours.name,
            api_version=manifest["apiVersion"],
            kind=manifest["kind"],
            metadata=manifest["metadata"],
            spec=manifest["spec"],
        )

    reference = run_in_stack("acme-prod", typed, config={}).one(ours.typ)
    assert ours.inputs == reference.inputs
    assert ours.aliases == reference.aliases == []
    assert set(ours.inputs) == {"apiVersion", "kind", "metadata", "spec"}
