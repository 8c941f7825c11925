"""A MODEL of the pinned tailscale-operator chart's value -> manifest mapping. Not the chart.

Written from the chart's own templates (tailscale/tailscale, cmd/k8s-operator/deploy/chart at
the pinned tag): the keys the install sets, with their types, and what a correct render
contains. It models only those parts, the way the templates treat types:
- `operatorConfig.defaultTags` is joined with commas into OPERATOR_INITIAL_TAGS;
- `proxyConfig.defaultTags` is printed verbatim into PROXY_TAGS (a list prints as `[a b]`);
- `apiServerProxyConfig.mode` is stringified into APISERVER_PROXY; "true" adds the
  `tailscale-auth-proxy` ClusterRole(Binding) for the operator's service account;
- images are `<repository>:<tag>`;
- `oauth.clientId` + `oauth.clientSecret` produce Secret `operator-oauth` and the *_FILE env;
  `oauth.audience` instead produces env CLIENT_ID and a projected service-account token.
Unquoted template output is re-read as YAML, as Helm does. The real check against the real
chart is `scripts/verify-chart.sh`, which needs helm and network.
"""

from __future__ import annotations

import copy
from typing import Any

import yaml

from hfaccess.install import chart

# The chart's defaults for the keys modelled here (restated from the reference, not copied).
MODEL_DEFAULTS: dict[str, Any] = {
    "oauth": {"clientId": "", "clientSecret": "", "audience": ""},
    "operatorConfig": {
        "defaultTags": ["tag:k8s-operator"],
        "hostname": "tailscale-operator",
        "image": {"repository": "tailscale/k8s-operator", "tag": ""},
        "podAnnotations": {},
    },
    "proxyConfig": {
        "defaultTags": "tag:k8s",
        "image": {"repository": "tailscale/tailscale", "tag": ""},
    },
    "apiServerProxyConfig": {"mode": "false", "allowImpersonation": "false"},
}
APP_VERSION = chart.IMAGE_TAG  # what an empty image tag falls back to (modelled)


def go_string(value: Any) -> str:
    """How Go's template printing shows a YAML value."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return "[" + " ".join(go_string(v) for v in value) + "]"
    if value is None:
        return "<no value>"
    return str(value)


def _unquoted(value: Any) -> Any:
    """An unquoted `{{ value }}` in the template, as the YAML parser then reads it."""
    return yaml.safe_load(go_string(value))


def _join(value: Any) -> str:
    items = value if isinstance(value, list) else [value]
    return ",".join(go_string(v) for v in items)


def _merge(base: dict[str, Any], override: dict[str, Any]) -> dict[str, Any]:
    merged = copy.deepcopy(base)
    for key, value in override.items():
        if isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = _merge(merged[key], value)
        else:
            merged[key] = copy.deepcopy(value)
    return merged


def _image(image: dict[str, Any]) -> str:
    return f"{image['repository']}:{image.get('tag') or APP_VERSION}"


def render_model(values: dict[str, Any], namespace: str = "tailscale") -> list[dict[str, Any]]:
    """The documents the modelled chart renders for `values`."""
    v = _merge(MODEL_DEFAULTS, values)
    oauth, operator, proxy = v["oauth"], v["operatorConfig"], v["proxyConfig"]
    env: list[dict[str, Any]] = [
        {"name": "OPERATOR_INITIAL_TAGS", "value": _unquoted(_join(operator["defaultTags"]))},
        {"name": "OPERATOR_HOSTNAME", "value": _unquoted(operator["hostname"])},
    ]
    volumes: list[dict[str, Any]] = []
    docs: list[dict[str, Any]] = []
    if oauth.get("audience"):
        env.append({"name": "CLIENT_ID", "value": _unquoted(oauth["clientId"])})
        token = {"audience": oauth["audience"], "expirationSeconds": 3600, "path": "token"}
        volumes.append(
            {"name": "oidc-jwt", "projected": {"sources": [{"serviceAccountToken": token}]}}
        )
    else:
        env += [
            {"name": "CLIENT_ID_FILE", "value": "/oauth/client_id"},
            {"name": "CLIENT_SECRET_FILE", "value": "/oauth/client_secret"},
        ]
        volumes.append({"name": "oauth", "secret": {"secretName": "operator-oauth"}})
    if oauth.get("clientId") and oauth.get("clientSecret"):
        docs.append(
            {
                "apiVersion": "v1",
                "kind": "Secret",
                "metadata": {"name": "operator-oauth", "namespace": namespace},
                "stringData": {
                    "client_id": oauth["clientId"],
                    "client_secret": oauth["clientSecret"],
                },
            }
        )
    env += [
        {"name": "PROXY_IMAGE", "value": _unquoted(_image(proxy["image"]))},
        {"name": "PROXY_TAGS", "value": _unquoted(proxy["defaultTags"])},
        {"name": "APISERVER_PROXY", "value": go_string(v["apiServerProxyConfig"]["mode"])},
    ]
    template: dict[str, Any] = {
        "metadata": {"labels": {"app": "operator"}},
        "spec": {
            "serviceAccountName": "operator",
            "volumes": volumes,
            "containers": [
                {
                    "name": "operator",
                    "image": _image(operator["image"]),
                    # the chart's default operatorConfig.image.pullPolicy
                    "imagePullPolicy": operator["image"].get("pullPolicy", "Always"),
                    "env": env,
                }
            ],
        },
    }
    # deployment.yaml: `with` blocks copy these values verbatim; extraEnv follows the env list.
    container = template["spec"]["containers"][0]
    env.extend(operator.get("extraEnv") or [])
    for key, target in (("securityContext", container), ("resources", container)):
        if operator.get(key):
            target[key] = operator[key]
    if operator.get("podSecurityContext"):
        template["spec"]["securityContext"] = operator["podSecurityContext"]
    container["volumeMounts"] = [
        {"name": volume["name"], "mountPath": "/oauth", "readOnly": True} for volume in volumes
    ]
    if operator.get("podAnnotations"):
        template["metadata"]["annotations"] = dict(operator["podAnnotations"])
    docs.append(
        {
            "apiVersion": "apps/v1",
            "kind": "Deployment",
            "metadata": {"name": "operator", "namespace": namespace},
            "spec": {"template": template},
        }
    )
    if go_string(v["apiServerProxyConfig"]["mode"]) == "true":
        docs.append(
            {
                "apiVersion": "rbac.authorization.k8s.io/v1",
                "kind": "ClusterRole",
                "metadata": {"name": "tailscale-auth-proxy"},
                "rules": [
                    {"apiGroups": [""], "resources": ["users", "groups"], "verbs": ["impersonate"]}
                ],
            }
        )
        docs.append(
            {
                "apiVersion": "rbac.authorization.k8s.io/v1",
                "kind": "ClusterRoleBinding",
                "metadata": {"name": "tailscale-auth-proxy"},
                "subjects": [
                    {"kind": "ServiceAccount", "name": "operator", "namespace": namespace}
                ],
                "roleRef": {
                    "apiGroup": "rbac.authorization.k8s.io",
                    "kind": "ClusterRole",
                    "name": "tailscale-auth-proxy",
                },
            }
        )
    return docs


def set_string(values: dict[str, Any], key: str, value: str) -> None:
    """`helm --set-string key=value` for map keys (dots escaped with a backslash stay in a key)."""
    parts: list[str] = []
    current = ""
    escaped = False
    for char in key:
        if escaped:
            current += char
            escaped = False
        elif char == "\\":
            escaped = True
        elif char == ".":
            parts.append(current)
            current = ""
        else:
            current += char
    parts.append(current)
    target = values
    for part in parts[:-1]:
        target = target.setdefault(part, {})
    target[parts[-1]] = value
