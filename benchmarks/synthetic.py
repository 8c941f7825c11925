"""Synthetic registries of any size, shaped like real ones, for benchmarks and scale tests.

Every customer gets one to three environments; every tenth is revoked; every fifth exposes a
service, so the policy carries every kind of rule the real registry can produce.
"""

from __future__ import annotations

from pathlib import Path

import yaml

ENVIRONMENTS = ("prod", "staging", "dev")


def customer_name(index: int) -> str:
    """A valid, collision-free customer name for `index`."""
    return f"cust{index:05d}"


def customer_document(index: int) -> dict[str, object]:
    """One synthetic customer file's content."""
    envs: dict[str, dict[str, object]] = {}
    for position, env in enumerate(ENVIRONMENTS[: 1 + index % 3]):
        body: dict[str, object] = {}
        if position == 1:
            body["cluster_role"] = "view"
        if index % 5 == 0 and env == "prod":
            body["install"] = "handoff"
            body["exposures"] = {
                "studio": {"namespace": "highflame", "service": "studio", "port": 80}
            }
        envs[env] = body
    doc: dict[str, object] = {"name": customer_name(index), "environments": envs}
    if index % 10 == 9:
        doc["revoked"] = True
    return doc


def write_registry(directory: Path, count: int) -> Path:
    """Write `count` customer files into `directory` (created); return it."""
    directory.mkdir(parents=True, exist_ok=True)
    for index in range(count):
        doc = customer_document(index)
        (directory / f"{doc['name']}.yaml").write_text(
            yaml.safe_dump(doc, sort_keys=False), encoding="utf-8"
        )
    return directory
