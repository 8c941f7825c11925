"""What `render` writes for an environment: the right files, valid manifests, no secrets."""

from __future__ import annotations

import json
from typing import Any

import pytest
import yaml
from kubernetes_validate import utils as k8s_schema

from hfaccess.credentials import credential_spec
from hfaccess.install.artifacts import environment_artifacts, environment_warnings
from hfaccess.install.values import CLIENT_SECRET_PLACEHOLDER
from tests.support.pulumi_mocks import MOCK_OAUTH_SECRET
from tests.support.samples import make_ref, sample_model, sample_refs

SAMPLES = ["acme-prod", "acme-dev", "globex-prod"]
MANIFEST_FILES = ("rbac.yaml", "exposures.yaml", "hardening.yaml")
# Custom resources of the operator's CRDs: kubernetes-validate knows only built-in kinds.
CUSTOM_API = "tailscale.com/"


def manifests(files: dict[str, str]) -> list[dict[str, Any]]:
    return [
        doc
        for name in MANIFEST_FILES
        if name in files
        for doc in yaml.safe_load_all(files[name])
        if doc is not None
    ]


def assert_schema_valid(doc: dict[str, Any]) -> None:
    if doc["apiVersion"].startswith(CUSTOM_API):
        return
    try:
        k8s_schema.validate(doc, k8s_schema.latest_version(), strict=True)
    except k8s_schema.ValidationError as exc:
        pytest.fail(f"{doc['kind']} {doc['metadata']['name']}: {exc.message}")


def test_sample_file_sets() -> None:
    model = sample_model()
    refs = sample_refs()
    files = {stack: sorted(environment_artifacts(refs[stack], model)) for stack in SAMPLES}
    common = [
        "INSTALL.md",
        "hardening.yaml",
        "helm-values.yaml",
        "kustomization.yaml",
        "oauth-client.json",
        "post-render.sh",
        "rbac.yaml",
    ]
    assert files == {
        "acme-prod": common,
        "acme-dev": common,
        "globex-prod": sorted([*common, "exposures.yaml"]),
    }


@pytest.mark.parametrize("stack", SAMPLES)
def test_every_manifest_validates_against_the_kubernetes_schema(stack: str) -> None:
    docs = manifests(environment_artifacts(sample_refs()[stack], sample_model()))
    assert docs
    for doc in docs:
        assert_schema_valid(doc)


@pytest.mark.parametrize(
    "env",
    [
        {"cluster_role": "cluster-admin"},
        {"cluster_role": "view"},
        {"network_policy": False, "log_upload": True},
        {
            "exposures": {
                "web": {"namespace": "web", "service": "web", "port": 8080, "via": "service"}
            }
        },
    ],
)
def test_other_shapes_validate_too(env: dict[str, Any]) -> None:
    for doc in manifests(environment_artifacts(make_ref(env), sample_model())):
        assert_schema_valid(doc)


@pytest.mark.parametrize("stack", SAMPLES)
def test_oauth_client_json_is_the_credential_spec(stack: str) -> None:
    ref = sample_refs()[stack]
    files = environment_artifacts(ref, sample_model())
    assert json.loads(files["oauth-client.json"]) == credential_spec(ref).as_document()


@pytest.mark.parametrize("stack", SAMPLES)
def test_no_secret_is_rendered(stack: str) -> None:
    files = environment_artifacts(sample_refs()[stack], sample_model())
    text = "\n".join(files.values())
    assert MOCK_OAUTH_SECRET not in text
    assert "tskey-" not in text
    values = yaml.safe_load(files["helm-values.yaml"])
    if "clientSecret" in values["oauth"]:
        assert values["oauth"]["clientSecret"] == CLIENT_SECRET_PLACEHOLDER


def test_cluster_admin_is_flagged_everywhere() -> None:
    ref = make_ref({"cluster_role": "cluster-admin"})
    files = environment_artifacts(ref, sample_model())
    assert files["rbac.yaml"].startswith("# WARNING: CLUSTER-ADMIN")
    assert (
        "**WARNING: this environment binds Highflame SRE to `cluster-admin`.**"
        in files["INSTALL.md"]
    )
    assert environment_warnings(ref) == [
        "initech-prod: binds Highflame SRE (group highflame-sre) to cluster-admin: full control "
        "of the cluster, Secrets and exec included"
    ]
    assert environment_warnings(sample_refs()["acme-prod"]) == []


@pytest.mark.parametrize(("env_revoked", "customer_revoked"), [(True, False), (False, True)])
def test_revoked_environment_renders_only_the_removal_guide(
    env_revoked: bool, customer_revoked: bool
) -> None:
    exposures = {"studio": {"namespace": "hf", "service": "studio", "port": 80}}
    ref = make_ref({"exposures": exposures, "revoked": env_revoked}, revoked=customer_revoked)
    files = environment_artifacts(ref, sample_model())
    assert sorted(files) == ["INSTALL.md", "oauth-client.json"]
    assert "Access to this environment is revoked" in files["INSTALL.md"]
    assert "helm uninstall tailscale-operator -n tailscale" in files["INSTALL.md"]


def test_service_exposure_is_described_with_every_port_forwarded() -> None:
    web = {"namespace": "web", "service": "web", "port": 8080, "via": "service"}
    files = environment_artifacts(make_ref({"exposures": {"web": web}}), sample_model())
    guide = files["INSTALL.md"]
    assert "| `initech-prod-web` | `web/web` | annotations on your Service" in guide
    assert "reach port 8080 only" in guide
    assert "kubectl annotate service web -n web tailscale.com/expose- " in guide
