"""What a correct render of the chart with our values contains, and a checker for rendered docs.

The chart reference lists it: the operator container's environment (tags, hostname, proxy
image, auth mode), its image, the auth-proxy ClusterRoleBinding, and either the OAuth Secret or
(workload identity) `CLIENT_ID` with a projected token. `scripts/verify-chart.sh` runs this
checker on `helm template` output of the real chart; the tests run it on a labelled model of the
chart. Both hold the values to the same expectations.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from hfaccess.install import chart
from hfaccess.install.values import API_SERVER_PROXY_MODE, CREDENTIAL_ANNOTATION
from hfaccess.registry import names
from hfaccess.registry.models import CredentialKind, EnvironmentRef


@dataclass(frozen=True)
class ExpectedRender:
    """The facts a render of the chart must show for one environment."""

    env: dict[str, str]
    image: str
    federated: bool


def expected_render(ref: EnvironmentRef) -> ExpectedRender:
    customer = ref.customer.name
    return ExpectedRender(
        env={
            "OPERATOR_INITIAL_TAGS": names.operator_device_tag(customer),
            "OPERATOR_HOSTNAME": ref.hostname,
            "PROXY_TAGS": names.proxy_tag(customer),
            "PROXY_IMAGE": chart.PROXY_IMAGE,
            "APISERVER_PROXY": API_SERVER_PROXY_MODE,
        },
        image=chart.OPERATOR_IMAGE,
        federated=ref.environment.credentials is CredentialKind.FEDERATED,
    )


def _find(docs: Iterable[Mapping[str, Any]], kind: str, name: str) -> Mapping[str, Any] | None:
    for doc in docs:
        if doc.get("kind") == kind and (doc.get("metadata") or {}).get("name") == name:
            return doc
    return None


def _credential_problems(
    docs: list[Mapping[str, Any]], pod: Mapping[str, Any], env: Mapping[str, Any], federated: bool
) -> list[str]:
    problems = []
    secret = _find(docs, "Secret", chart.OAUTH_SECRET)
    volumes = pod.get("spec", {}).get("volumes") or []
    projected = [
        source["serviceAccountToken"]
        for volume in volumes
        for source in (volume.get("projected") or {}).get("sources") or []
        if "serviceAccountToken" in source
    ]
    if federated:
        if secret is not None:
            problems.append(f"federated credential, yet Secret {chart.OAUTH_SECRET} is rendered")
        if "CLIENT_ID" not in env:
            problems.append("federated credential, yet no CLIENT_ID env")
        if not any(token.get("audience") for token in projected):
            problems.append("federated credential, yet no projected token with an audience")
    else:
        if secret is None:
            problems.append(f"OAuth credential, yet no Secret {chart.OAUTH_SECRET}")
        if env.get("CLIENT_SECRET_FILE") is None:
            problems.append("OAuth credential, yet no CLIENT_SECRET_FILE env")
    return problems


def check_chart_render(docs: Iterable[Mapping[str, Any]], ref: EnvironmentRef) -> list[str]:
    """Every way the rendered chart differs from what `ref`'s install must produce."""
    rendered = [doc for doc in docs if isinstance(doc, Mapping)]
    expected = expected_render(ref)
    deployment = _find(rendered, "Deployment", chart.OPERATOR_DEPLOYMENT)
    if deployment is None:
        return [f"no Deployment {chart.OPERATOR_DEPLOYMENT}"]
    problems = []
    namespace = deployment.get("metadata", {}).get("namespace")
    if namespace != chart.RELEASE_NAMESPACE:
        problems.append(f"Deployment namespace {namespace!r} != {chart.RELEASE_NAMESPACE!r}")
    pod = deployment.get("spec", {}).get("template", {})
    containers = {c.get("name"): c for c in pod.get("spec", {}).get("containers") or []}
    container = containers.get(chart.OPERATOR_CONTAINER)
    if container is None:
        return [*problems, f"no container {chart.OPERATOR_CONTAINER}"]
    if container.get("image") != expected.image:
        problems.append(f"image {container.get('image')!r} != {expected.image!r}")
    env = {e.get("name"): e.get("value") for e in container.get("env") or []}
    problems.extend(
        f"env {key}={env.get(key)!r}, expected {value!r}"
        for key, value in expected.env.items()
        if env.get(key) != value
    )
    annotations = pod.get("metadata", {}).get("annotations") or {}
    if not annotations.get(CREDENTIAL_ANNOTATION):
        problems.append(f"pod annotation {CREDENTIAL_ANNOTATION} missing")
    binding = _find(rendered, "ClusterRoleBinding", chart.AUTH_PROXY_BINDING)
    subjects = (binding or {}).get("subjects") or []
    if not any(
        s.get("kind") == "ServiceAccount"
        and s.get("name") == chart.OPERATOR_SERVICE_ACCOUNT
        and s.get("namespace") == chart.RELEASE_NAMESPACE
        for s in subjects
    ):
        problems.append(
            f"no ClusterRoleBinding {chart.AUTH_PROXY_BINDING} for the operator's service account"
        )
    problems.extend(_credential_problems(rendered, pod, env, expected.federated))
    return problems
