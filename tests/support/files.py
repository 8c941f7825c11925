"""Writing throwaway registries and stack files for tests."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

REPO = Path(__file__).resolve().parents[2]


def write_customer(directory: Path, name: str, body: Any) -> Path:
    """Write `body` (a mapping dumped as YAML, or raw str/bytes) as customers/<name>.yaml."""
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / f"{name}.yaml"
    if isinstance(body, bytes):
        path.write_bytes(body)
    elif isinstance(body, str):
        path.write_text(body, encoding="utf-8")
    else:
        path.write_text(yaml.safe_dump(body, sort_keys=False), encoding="utf-8")
    return path


def customer(name: str, *envs: str, **extra: Any) -> dict[str, Any]:
    """A minimal valid customer document."""
    return {"name": name, "environments": {env: {} for env in envs or ("prod",)}, **extra}
