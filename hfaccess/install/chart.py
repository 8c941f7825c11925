"""The one pinned tailscale-operator chart every environment installs, and how it is installed.

The chart and image versions are pinned here only; code, tests and the fleet view read them from
here. An upgrade is one reviewed pull request, never an automatic one: exactly what it changes is
in docs/runbooks/upgrade-operator-chart.md (this file, the policy pack's self-contained copy in
guardrails/highflame_policies/limits.py, the version in words in three docs, the snapshots).
"""

from __future__ import annotations

from typing import Final

from hfaccess.registry import names

CHART_REPOSITORY: Final = "https://pkgs.tailscale.com/helmcharts"
CHART_NAME: Final = "tailscale-operator"
CHART_VERSION: Final = "1.96.5"
IMAGE_TAG: Final = f"v{CHART_VERSION}"

# The chart's own default repositories, set explicitly so the values file names every image.
OPERATOR_IMAGE_REPOSITORY: Final = "tailscale/k8s-operator"
PROXY_IMAGE_REPOSITORY: Final = "tailscale/tailscale"
OPERATOR_IMAGE: Final = f"{OPERATOR_IMAGE_REPOSITORY}:{IMAGE_TAG}"
PROXY_IMAGE: Final = f"{PROXY_IMAGE_REPOSITORY}:{IMAGE_TAG}"

# The customer's kill switch is `helm uninstall tailscale-operator -n tailscale`: the release
# must have exactly this name and namespace, whoever installs it.
RELEASE_NAME: Final = names.OPERATOR_RELEASE
RELEASE_NAMESPACE: Final = names.OPERATOR_NAMESPACE

# Objects the chart names itself (used by verification, never created by this project).
OPERATOR_DEPLOYMENT: Final = "operator"
OPERATOR_CONTAINER: Final = "operator"
OPERATOR_SERVICE_ACCOUNT: Final = "operator"
OAUTH_SECRET: Final = "operator-oauth"
AUTH_PROXY_BINDING: Final = "tailscale-auth-proxy"
INGRESS_CLASS: Final = "tailscale"

# Await: wait for the operator Deployment to become ready (a bad credential crash-loops the
# pod, so the install fails visibly instead of "succeeding"), and roll a failed install or
# upgrade back (atomic) so the cluster is never left half-installed.
RELEASE_TIMEOUT_SECONDS: Final = 600
