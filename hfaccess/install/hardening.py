"""The hardened install: what the operator's source at v1.96.5 shows is safe to tighten.

Facts this module rests on (read in tailscale/tailscale at v1.96.5):

- The operator image is built by `build_docker.sh` (target `k8s-operator`) on
  `tailscale/alpine-base`, with no `USER`: it runs as root unless told otherwise. The operator
  itself needs no privilege: its tsnet node runs in userspace networking (no TUN, no iptables).
- `cmd/k8s-operator/operator.go` gives tsnet a `kubestore` (Secret `tailscale/operator`): node
  key, machine key and the API server proxy's TLS certificate live in that Secret
  (`ipn/ipnlocal/cert.go` uses the state store for certificates in Kubernetes).
- tsnet still creates `os.UserConfigDir()/tsnet-operator` for its log policy and log buffer
  (`tsnet/tsnet.go`). Run as a uid without a passwd entry, `$HOME` is `/` and that would be
  `/.config`: unwritable. `XDG_CONFIG_HOME=/tmp` points it at /tmp, where the post-renderer
  (install/impersonation.py) mounts an emptyDir: the chart has no value for volumes. With that,
  the root filesystem is read-only.
- `TS_NO_LOGS_NO_SUPPORT=true` turns Tailscale's client log upload off (operator.go, envknob);
  then `log.tailscale.com` needs no egress rule.
"""

from __future__ import annotations

from typing import Any, Final

from hfaccess.install import chart
from hfaccess.registry import names
from hfaccess.registry.models import EnvironmentRef

# A uid/gid with no meaning on the node (the "nonroot" convention of distroless images).
NON_ROOT_ID: Final = 65532
TSNET_CONFIG_HOME: Final = "/tmp"
NO_LOGS_ENV: Final = "TS_NO_LOGS_NO_SUPPORT"
PROXY_CLASS_NAME: Final = "highflame-hardened"
NETWORK_POLICY_NAME: Final = "tailscale-egress-only"
TAILSCALE_UDP_PORTS: Final = (41641, 3478)  # direct WireGuard paths, STUN (optional)

CONTAINER_SECURITY_CONTEXT: Final[dict[str, Any]] = {
    "allowPrivilegeEscalation": False,
    "capabilities": {"drop": ["ALL"]},
    "privileged": False,
    "readOnlyRootFilesystem": True,
    "runAsNonRoot": True,
    "runAsUser": NON_ROOT_ID,
    "runAsGroup": NON_ROOT_ID,
    "seccompProfile": {"type": "RuntimeDefault"},
}

POD_SECURITY_CONTEXT: Final[dict[str, Any]] = {
    "runAsNonRoot": True,
    "runAsUser": NON_ROOT_ID,
    "runAsGroup": NON_ROOT_ID,
    "seccompProfile": {"type": "RuntimeDefault"},
}

# Requests sized for one operator reconciling a handful of proxies; the limit is a ceiling that
# stops a leak from starving the node, not a target.
OPERATOR_RESOURCES: Final[dict[str, Any]] = {
    "requests": {"cpu": "50m", "memory": "128Mi"},
    "limits": {"cpu": "500m", "memory": "512Mi"},
}
PROXY_RESOURCES: Final[dict[str, Any]] = {
    "requests": {"cpu": "20m", "memory": "64Mi"},
    "limits": {"cpu": "500m", "memory": "256Mi"},
}


def log_upload_env(ref: EnvironmentRef) -> list[dict[str, str]]:
    """`TS_NO_LOGS_NO_SUPPORT=true` unless the environment turns log upload on."""
    if ref.environment.log_upload:
        return []
    return [{"name": NO_LOGS_ENV, "value": "true"}]


def hardened_values(ref: EnvironmentRef) -> dict[str, Any]:
    """Chart values (merged into the release's) that harden the operator and its proxies."""
    return {
        "operatorConfig": {
            "securityContext": dict(CONTAINER_SECURITY_CONTEXT),
            "podSecurityContext": dict(POD_SECURITY_CONTEXT),
            "resources": dict(OPERATOR_RESOURCES),
            "extraEnv": [
                {"name": "XDG_CONFIG_HOME", "value": TSNET_CONFIG_HOME},
                *log_upload_env(ref),
            ],
        },
        "proxyConfig": {"defaultProxyClass": PROXY_CLASS_NAME},
    }


def merge_values(base: dict[str, Any], extra: dict[str, Any]) -> dict[str, Any]:
    """`base` with `extra` merged in, mappings recursively (a new dict; inputs untouched)."""
    merged = dict(base)
    for key, value in extra.items():
        current = merged.get(key)
        if isinstance(current, dict) and isinstance(value, dict):
            merged[key] = merge_values(current, value)
        else:
            merged[key] = value
    return merged


def _labels() -> dict[str, str]:
    return {"app.kubernetes.io/part-of": names.PROJECT}


def proxy_class_manifest(ref: EnvironmentRef) -> dict[str, Any]:
    """The ProxyClass every exposure proxy gets (the chart's `proxyConfig.defaultProxyClass`).

    Proxies run kernel-mode WireGuard, which needs NET_ADMIN (upstream's proxy StatefulSet), so
    only what cannot break them is set: seccomp, resources and the log-upload choice.
    """
    env = log_upload_env(ref)
    container: dict[str, Any] = {"resources": dict(PROXY_RESOURCES)}
    if env:
        container["env"] = env
    return {
        "apiVersion": "tailscale.com/v1alpha1",
        "kind": "ProxyClass",
        "metadata": {"name": PROXY_CLASS_NAME, "labels": _labels()},
        "spec": {
            "statefulSet": {
                "pod": {
                    "securityContext": {"seccompProfile": {"type": "RuntimeDefault"}},
                    "tailscaleContainer": container,
                }
            }
        },
    }


def network_policy_manifest() -> dict[str, Any]:
    """Namespace `tailscale`: no ingress; egress to DNS, the API server and Tailscale only.

    The API server is reached on 443 or 6443 (the `kubernetes` Service's target port differs
    by distribution); Tailscale's control, DERP, API, log and ACME endpoints are all on 443/tcp,
    plus the optional UDP ports for direct paths. Destinations are not narrowed by address:
    Tailscale's and Let's Encrypt's addresses change, so the egress firewall names the hosts.
    """
    return {
        "apiVersion": "networking.k8s.io/v1",
        "kind": "NetworkPolicy",
        "metadata": {
            "name": NETWORK_POLICY_NAME,
            "namespace": chart.RELEASE_NAMESPACE,
            "labels": _labels(),
        },
        "spec": {
            "podSelector": {},
            "policyTypes": ["Ingress", "Egress"],
            "ingress": [],
            "egress": [
                {
                    "ports": [
                        {"protocol": "UDP", "port": 53},
                        {"protocol": "TCP", "port": 53},
                    ]
                },
                {
                    "ports": [
                        {"protocol": "TCP", "port": 443},
                        {"protocol": "TCP", "port": 6443},
                    ]
                },
                {"ports": [{"protocol": "UDP", "port": port} for port in TAILSCALE_UDP_PORTS]},
            ],
        },
    }


def hardening_manifests(ref: EnvironmentRef) -> list[dict[str, Any]]:
    """The objects this project adds next to the chart: ProxyClass, then the NetworkPolicy."""
    found = [proxy_class_manifest(ref)]
    if ref.environment.network_policy:
        found.append(network_policy_manifest())
    return found
