"""A populated tailnet and the matching registry, for revocation and fleet tests.

acme has three environments and ten devices (operators, proxies, a stale duplicate, a proxy
whose name says no environment) plus one credential per environment and an operator-minted
auth key. Around it: globex, a registered lookalike `acme-prod`, unregistered lookalikes
(`operator-acme`, `acmecorp`), an untagged laptop impersonating the name `acme-prod-kube`, and
Highflame's own devices and keys. The policy file is what the tailnet stack generates, with one
grant shared by several customers.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from hfaccess.install import chart
from tests.support.fake_tailscale import CLIENT_ID, TailnetState

SRE = "group:highflame-sre"
K8S_APP = {"tailscale.com/cap/kubernetes": [{"impersonate": {"groups": ["highflame-sre"]}}]}
NOW = "2026-05-01T12:00:00Z"

ACME_YAML = """\
# acme: three environments (kept comment)
name: acme
environments:
  prod: {}            # production
  staging:
    cluster_role: view
  dev:
    credentials: federated
    oidc_issuer: https://oidc.example.com/acme-dev
    exposures:
      studio: {namespace: highflame, service: studio, port: 80}
revoked: false
"""

GLOBEX_YAML = """\
name: globex
environments:
  prod:
    install: handoff
    exposures:
      studio:
        namespace: highflame
        service: studio
        port: 80
"""

ACME_PROD_YAML = """\
# a different customer whose name starts like acme's prod environment
name: acme-prod
environments:
  dev: {}
"""


def write_registry(directory: Path) -> Path:
    """customers/ with acme, globex and acme-prod."""
    directory.mkdir(parents=True, exist_ok=True)
    (directory / "acme.yaml").write_text(ACME_YAML, encoding="utf-8")
    (directory / "globex.yaml").write_text(GLOBEX_YAML, encoding="utf-8")
    (directory / "acme-prod.yaml").write_text(ACME_PROD_YAML, encoding="utf-8")
    return directory


def _device(
    device_id: str,
    hostname: str,
    tags: list[str] | None = None,
    *,
    name: str | None = None,
    online: bool = True,
    version: str = f"{chart.CHART_VERSION}-t1234abcd-g5678ef",
    user: str = "tagged-devices",
) -> dict[str, Any]:
    return {
        "id": device_id,
        "nodeId": f"n{device_id}",
        "hostname": hostname,
        "name": f"{name or hostname}.tail1234.ts.net",
        "tags": tags or [],
        "clientVersion": version,
        "connectedToControl": online,
        "lastSeen": NOW,
        "authorized": True,
        "os": "linux",
        "user": user,
        "addresses": ["100.64.0.1"],
    }


def _key(
    key_id: str,
    key_type: str,
    description: str,
    tags: list[str] | None = None,
    *,
    capability_tags: list[str] | None = None,
    created: str = "2026-01-01T00:00:00Z",
    extra: dict[str, Any] | None = None,
) -> dict[str, Any]:
    key: dict[str, Any] = {
        "id": key_id,
        "keyType": key_type,
        "description": description,
        "created": created,
        "expires": "0001-01-01T00:00:00Z",
        "invalid": False,
        "userId": "",
    }
    if tags is not None:
        key["tags"] = tags
        key["scopes"] = ["auth_keys", "devices:core", "services"]
    if capability_tags is not None:
        key["capabilities"] = {
            "devices": {
                "create": {
                    "reusable": False,
                    "ephemeral": True,
                    "preauthorized": True,
                    "tags": capability_tags,
                }
            }
        }
    key.update(extra or {})
    return key


ACME_DEVICE_IDS = [f"10{i:02d}" for i in range(1, 11)]


def devices() -> dict[str, dict[str, Any]]:
    listed = [
        # acme: ten devices over three environments
        _device("1001", "acme-prod-kube", ["tag:cust-acme"]),
        _device("1002", "acme-prod-studio", ["tag:k8s-acme"]),
        _device("1003", "acme-prod-grafana", ["tag:k8s-acme"], online=False),
        _device("1004", "acme-prod-kube", ["tag:cust-acme"], name="acme-prod-kube-1", online=False),
        _device("1005", "acme-staging-kube", ["tag:cust-acme"], version="1.94.1-tabc"),
        _device("1006", "acme-staging-studio", ["tag:k8s-acme"]),
        _device("1007", "acme-dev-kube", ["tag:cust-acme"]),
        _device("1008", "acme-dev-studio", ["tag:k8s-acme"]),
        _device("1009", "acme-dev-prometheus", ["tag:k8s-acme"]),
        _device("1010", "monitoring-grafana", ["tag:k8s-acme"]),
        # globex
        _device("2001", "globex-prod-kube", ["tag:cust-globex"]),
        _device("2002", "globex-prod-studio", ["tag:k8s-globex"]),
        # registered lookalike customer `acme-prod`, environment dev
        _device("3001", "acme-prod-dev-kube", ["tag:cust-acme-prod"]),
        # unregistered lookalikes
        _device("4001", "operator-acme-prod-kube", ["tag:cust-operator-acme"]),
        _device("4002", "acmecorp-prod-kube", ["tag:cust-acmecorp"]),
        # Highflame's own
        _device("9001", "acme-prod-kube", None, name="acme-prod-kube-2", user="eve@highflame.ai"),
        _device("9002", "alice-laptop", None, user="alice@highflame.ai", version="1.98.0"),
        _device("9003", "bob-laptop", None, user="bob@highflame.ai", online=False),
        _device("9004", "ci-runner", ["tag:highflame-iac"]),
    ]
    return {d["id"]: d for d in listed}


def keys() -> dict[str, dict[str, Any]]:
    listed = [
        _key("kAcmeProd", "client", "acme prod k8s-operator", ["tag:k8s-operator-acme"]),
        _key("kAcmeStaging", "client", "acme staging k8s-operator", ["tag:k8s-operator-acme"]),
        _key(
            "kAcmeDev",
            "federated",
            "acme dev k8s-operator",
            ["tag:k8s-operator-acme"],
            extra={
                "issuer": "https://oidc.example.com/acme-dev",
                "subject": "system:serviceaccount:tailscale:operator",
            },
        ),
        _key("kAcmeAuth", "auth", "", capability_tags=["tag:cust-acme"]),
        _key("kGlobexProd", "client", "globex prod k8s-operator", ["tag:k8s-operator-globex"]),
        _key(
            "kAcmeProdDev", "client", "acme-prod dev k8s-operator", ["tag:k8s-operator-acme-prod"]
        ),
        _key(CLIENT_ID, "client", "highflame iac", ["tag:highflame-iac"]),
        _key("kApi", "api", "alice api token"),
        _key("kCi", "auth", "ci runner", capability_tags=["tag:highflame-iac"]),
    ]
    return {k["id"]: k for k in listed}


def _owners(customer: str) -> dict[str, list[str]]:
    operator = f"tag:k8s-operator-{customer}"
    return {
        operator: ["tag:highflame-iac"],
        f"tag:cust-{customer}": [operator],
        f"tag:k8s-{customer}": [operator],
    }


def policy() -> dict[str, Any]:
    return {
        "groups": {SRE: ["alice@highflame.ai", "bob@highflame.ai"]},
        "tagOwners": {
            "tag:highflame-iac": [],
            **_owners("acme"),
            **_owners("acme-prod"),
            **_owners("globex"),
        },
        "grants": [
            {
                "src": [SRE],
                "dst": ["tag:cust-acme", "tag:cust-acme-prod", "tag:cust-globex"],
                "ip": ["tcp:443"],
                "app": K8S_APP,
            },
            {"src": [SRE], "dst": ["tag:k8s-acme"], "ip": ["tcp:443"]},
            {"src": [SRE], "dst": ["tag:k8s-globex"], "ip": ["tcp:443"]},
            {"src": [SRE], "dst": ["tag:highflame-iac"], "ip": ["tcp:22"]},
        ],
        "tests": [
            {
                "src": "alice@highflame.ai",
                "accept": ["tag:cust-acme:443", "tag:cust-acme-prod:443", "tag:cust-globex:443"],
            },
            {"src": "alice@highflame.ai", "accept": ["tag:k8s-acme:443", "tag:k8s-globex:443"]},
            {"src": "tag:cust-acme", "deny": ["tag:cust-globex:443", "tag:cust-acme-prod:443"]},
            {"src": "tag:cust-globex", "deny": ["tag:cust-acme:443"]},
            {"src": "tag:cust-acme-prod", "deny": ["tag:cust-acme:443"]},
        ],
    }


def policy_after_acme_kill() -> dict[str, Any]:
    """The exact policy a whole-customer kill of acme must leave."""
    expected = policy()
    expected["grants"] = [
        {
            "src": [SRE],
            "dst": ["tag:cust-acme-prod", "tag:cust-globex"],
            "ip": ["tcp:443"],
            "app": K8S_APP,
        },
        {"src": [SRE], "dst": ["tag:k8s-globex"], "ip": ["tcp:443"]},
        {"src": [SRE], "dst": ["tag:highflame-iac"], "ip": ["tcp:22"]},
    ]
    expected["tests"] = [
        {
            "src": "alice@highflame.ai",
            "accept": ["tag:cust-acme-prod:443", "tag:cust-globex:443"],
            "deny": ["tag:cust-acme:443"],
        },
        {
            "src": "alice@highflame.ai",
            "accept": ["tag:k8s-globex:443"],
            "deny": ["tag:k8s-acme:443"],
        },
        {"src": "tag:cust-globex", "deny": ["tag:cust-acme:443"]},
        {"src": "tag:cust-acme-prod", "deny": ["tag:cust-acme:443"]},
    ]
    return expected


def seeded_state() -> TailnetState:
    return TailnetState(policy=policy(), devices=devices(), keys=keys())
