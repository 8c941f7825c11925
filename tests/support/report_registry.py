"""A generated registry with every shape the access report must show, written as files."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from tests.support.files import write_customer

ENVIRONMENTS = ("prod", "staging", "dev")


def report_customer(index: int) -> dict[str, Any]:
    """Customer `index`: one to three environments; roles, installs, credentials and exposures
    vary; every seventh customer is revoked, every eleventh holds cluster-admin in prod."""
    envs: dict[str, dict[str, Any]] = {}
    for position, env in enumerate(ENVIRONMENTS[: 1 + index % 3]):
        body: dict[str, Any] = {}
        if position == 1:
            body["cluster_role"] = "view"
        if index % 11 == 3 and env == "prod":
            body["cluster_role"] = "cluster-admin"
        if index % 4 == 1:
            body["install"] = "handoff"
        if index % 6 == 2 and env == "prod":
            body["credentials"] = "federated"
            body["oidc_issuer"] = f"https://oidc.example.com/id/{index}"
        if index % 5 == 0 and env == "prod":
            body["exposures"] = {
                "studio": {"namespace": "highflame", "service": "studio", "port": 80},
                "grafana": {
                    "namespace": "monitoring",
                    "service": "grafana",
                    "port": 3000,
                    "via": "service",
                },
            }
        if index % 8 == 5 and position == 2:
            body["revoked"] = True
        envs[env] = body
    return {
        "name": f"tenant{index:03d}",
        "environments": envs,
        "revoked": index % 7 == 6,
    }


def write_report_registry(directory: Path, count: int) -> Path:
    """Write `count` customers into `directory`; return it."""
    for index in range(count):
        document = report_customer(index)
        write_customer(directory, document["name"], document)
    return directory
