#!/usr/bin/env bash
# Template the REAL tailscale-operator chart (1.96.5, from https://pkgs.tailscale.com/helmcharts)
# with each environment's rendered helm-values.yaml and check the operator it yields:
# OPERATOR_INITIAL_TAGS, OPERATOR_HOSTNAME, PROXY_TAGS, PROXY_IMAGE, APISERVER_PROXY, the image
# tag, ClusterRoleBinding tailscale-auth-proxy, and Secret operator-oauth (OAuth) or CLIENT_ID
# plus a projected token (workload identity).
#
# Needs helm 3 and network access to the chart repository (CI or a workstation); the offline
# tests check the same expectations against a model of the chart only.
#
# Usage: scripts/verify-chart.sh [STACK...]      (default: every <customer>-<env> stack)
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
helm="${HELM:-helm}"
if ! command -v "$helm" >/dev/null 2>&1; then
  echo "verify-chart: '$helm' not found; install helm 3 (https://helm.sh) or set HELM" >&2
  exit 2
fi
python="${PYTHON:-}"
if [ -z "$python" ]; then
  if [ -x venv/bin/python ]; then python=venv/bin/python; else python=python3; fi
fi
PYTHONPATH="$root${PYTHONPATH:+:$PYTHONPATH}" exec "$python" scripts/verify_chart.py \
  --root "$root" --helm "$helm" "$@"
