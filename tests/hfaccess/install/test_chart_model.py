"""Our values, given to a labelled MODEL of the chart's value -> env mapping, yield the reference's
operator environment. (The same checker runs on the real chart in scripts/verify-chart.sh.)"""

from __future__ import annotations

from typing import Any

import pytest
import yaml

from hfaccess.install import chart
from hfaccess.install.artifacts import environment_artifacts
from hfaccess.install.chart_check import check_chart_render
from hfaccess.install.values import credential_overrides
from tests.support.chart_model import render_model, set_string
from tests.support.samples import sample_model, sample_refs


def rendered_values(stack: str) -> dict[str, Any]:
    """helm-values.yaml as Helm reads it, with the handoff's --set-string flags applied."""
    ref = sample_refs()[stack]
    text = environment_artifacts(ref, sample_model())["helm-values.yaml"]
    values: dict[str, Any] = yaml.safe_load(text)
    for key, variable in credential_overrides(ref):
        set_string(values, key, f"value-of-{variable}")
    return values


@pytest.mark.parametrize("stack", ["acme-prod", "acme-dev", "globex-prod"])
def test_rendered_values_yield_the_reference_environment(stack: str) -> None:
    docs = render_model(rendered_values(stack))
    assert check_chart_render(docs, sample_refs()[stack]) == []


def operator_env(docs: list[dict[str, Any]]) -> dict[str, Any]:
    deployment = next(d for d in docs if d["kind"] == "Deployment")
    container = deployment["spec"]["template"]["spec"]["containers"][0]
    return {e["name"]: e["value"] for e in container["env"]}


def test_acme_prod_env_matches_the_reference_exactly() -> None:
    env = operator_env(render_model(rendered_values("acme-prod")))
    assert env["OPERATOR_INITIAL_TAGS"] == "tag:cust-acme"
    assert env["OPERATOR_HOSTNAME"] == "acme-prod-kube"
    assert env["PROXY_TAGS"] == "tag:k8s-acme"
    assert env["PROXY_IMAGE"] == chart.PROXY_IMAGE
    assert env["APISERVER_PROXY"] == "true"


def test_federated_render_has_no_oauth_secret() -> None:
    docs = render_model(rendered_values("acme-dev"))
    assert not [d for d in docs if d["kind"] == "Secret"]
    assert operator_env(docs)["CLIENT_ID"] == "value-of-OAUTH_CLIENT_ID"


def test_the_checker_catches_a_proxy_tag_list() -> None:
    """The reference's trap: a YAML list in proxyConfig.defaultTags renders as `[tag:x]`."""
    values = rendered_values("acme-prod")
    values["proxyConfig"]["defaultTags"] = ["tag:k8s-acme"]
    problems = check_chart_render(render_model(values), sample_refs()["acme-prod"])
    assert any("PROXY_TAGS" in p for p in problems)


def test_the_checker_catches_noauth_mode_and_a_default_image() -> None:
    values = rendered_values("acme-prod")
    values["apiServerProxyConfig"]["mode"] = "noauth"
    values["operatorConfig"]["image"]["tag"] = "latest"
    problems = check_chart_render(render_model(values), sample_refs()["acme-prod"])
    assert any("APISERVER_PROXY" in p for p in problems)
    assert any("tailscale-auth-proxy" in p for p in problems)
    assert any("image" in p for p in problems)


def test_the_model_stringifies_a_boolean_mode_like_the_chart() -> None:
    values = rendered_values("acme-prod")
    values["apiServerProxyConfig"]["mode"] = True
    assert check_chart_render(render_model(values), sample_refs()["acme-prod"]) == []


def test_the_checker_catches_a_missing_secret_for_oauth() -> None:
    values = rendered_values("acme-prod")
    values["oauth"]["clientSecret"] = ""
    problems = check_chart_render(render_model(values), sample_refs()["acme-prod"])
    assert any("operator-oauth" in p for p in problems)
