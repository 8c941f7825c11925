#!/usr/bin/env bash
# Template the REAL tailscale-operator chart (the pin, CHART_VERSION in hfaccess/install/chart.py,
# from https://pkgs.tailscale.com/helmcharts)
# with each environment's rendered helm-values.yaml and check the operator it yields:
# OPERATOR_INITIAL_TAGS, OPERATOR_HOSTNAME, PROXY_TAGS, PROXY_IMAGE, APISERVER_PROXY, the image
# tag, ClusterRoleBinding tailscale-auth-proxy, and Secret operator-oauth (OAuth) or CLIENT_ID
# plus a projected token (workload identity).
#
# Needs helm 3 and network access to the chart repository (CI or a workstation), or a local
# copy of the pinned chart with --chart: a chart directory or the packaged .tgz (`helm pull
# tailscale-operator --repo https://pkgs.tailscale.com/helmcharts --version <CHART_VERSION>`, or an
# air-gapped mirror's copy). A local chart whose Chart.yaml is not tailscale-operator at the pin is
# refused (exit 2). The offline tests check the same expectations against a model of the chart.
#
# Usage: scripts/verify-chart.sh [--chart PATH] [STACK...]   (default: every <customer>-<env> stack)
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
# A relative --chart path is the caller's, not the repository root's: make it absolute first.
caller="$PWD"
absolute() { case "$1" in /*) printf '%s\n' "$1" ;; *) printf '%s\n' "$caller/$1" ;; esac; }
args=()
while [ $# -gt 0 ]; do
  case "$1" in
    --chart) if [ $# -ge 2 ]; then args+=(--chart "$(absolute "$2")"); shift; else args+=("$1"); fi ;;
    --chart=*) args+=(--chart "$(absolute "${1#--chart=}")") ;;
    *) args+=("$1") ;;
  esac
  shift
done
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
  --root "$root" --helm "$helm" ${args[@]+"${args[@]}"}
