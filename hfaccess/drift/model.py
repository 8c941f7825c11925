"""What a drift check found for one stack, as plain data (and as JSON for CI artifacts)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

# Engine step kinds that are not changes the program would make: the refresh step reports
# what the live world looks like; only the steps after it say the program disagrees.
# Internal steps (`remove-pending-replace`) and `discard` / `read-replacement` are not counted
# by the CLI's `--expect-no-changes` check either: the gate and this report agree.
INFORMATIONAL_OPS = frozenset(
    {
        "same",
        "read",
        "refresh",
        "read-replacement",
        "discard",
        "discard-replaced",
        "remove-pending-replace",
    }
)

_OP_SYMBOLS = {
    "create": "+",
    "delete": "-",
    "update": "~",
    "replace": "+-",
    "create-replacement": "++",
    "delete-replaced": "--",
    "read": ">",
    "read-replacement": ">>",
    "refresh": "~",
    "import": "=",
    "import-replacement": "=>",
    "discard": "-",
    "discard-replaced": "--",
}


class Status(StrEnum):
    CLEAN = "clean"  # live world, state and program agree
    DRIFTED = "drifted"  # applying the program would change something
    ERROR = "error"  # the check itself failed (credentials, program error, policy violation)


@dataclass(frozen=True)
class ResourceChange:
    """One step of a preview: which resource, what the engine would do, which properties."""

    op: str
    urn: str
    keys: tuple[str, ...] = ()

    @property
    def type(self) -> str:
        parts = self.urn.split("::")
        return parts[2].rsplit("$", 1)[-1] if len(parts) >= 4 else ""

    @property
    def name(self) -> str:
        parts = self.urn.split("::")
        return parts[3] if len(parts) >= 4 else self.urn

    @property
    def is_drift(self) -> bool:
        return self.op not in INFORMATIONAL_OPS

    def describe(self) -> str:
        """`~ tailscale:index/acl:Acl tailnet-policy [acl]`; refresh findings read `live: ...`."""
        where = f"{self.type} {self.name}".strip()
        keys = f" [{', '.join(self.keys)}]" if self.keys else ""
        if self.op == "refresh":
            return f"live: {where}{keys} differs from state"
        return f"{_OP_SYMBOLS.get(self.op, self.op)} {where}{keys}"

    def as_dict(self) -> dict[str, Any]:
        return {"op": self.op, "urn": self.urn, "keys": list(self.keys)}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> ResourceChange:
        return cls(str(data["op"]), str(data["urn"]), tuple(str(k) for k in data.get("keys", [])))


@dataclass(frozen=True)
class PreviewOutcome:
    """What one preview reported: its steps, policy violations, and an error if it failed."""

    changes: tuple[ResourceChange, ...] = ()
    violations: tuple[str, ...] = ()
    error: str | None = None
    advisories: tuple[str, ...] = ()  # advisory policy findings: reported, never failing


@dataclass(frozen=True)
class StackResult:
    """The verdict for one stack."""

    stack: str
    status: Status
    changes: tuple[ResourceChange, ...] = ()
    violations: tuple[str, ...] = ()
    error: str | None = None
    notes: tuple[str, ...] = field(default=())

    @property
    def drift(self) -> tuple[ResourceChange, ...]:
        return tuple(c for c in self.changes if c.is_drift)

    def summary(self) -> str:
        """One short line for a table cell."""
        parts = [c.describe() for c in self.changes if c.is_drift]
        parts += [c.describe() for c in self.changes if not c.is_drift and c.keys]
        parts += [f"policy: {v}" for v in self.violations]
        if self.error and self.status is Status.ERROR:
            parts.append(self.error)
        parts += list(self.notes)
        return "; ".join(parts) if parts else "no changes"

    def as_dict(self) -> dict[str, Any]:
        return {
            "stack": self.stack,
            "status": self.status.value,
            "changes": [c.as_dict() for c in self.changes],
            "violations": list(self.violations),
            "error": self.error,
            "notes": list(self.notes),
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> StackResult:
        return cls(
            stack=str(data["stack"]),
            status=Status(data["status"]),
            changes=tuple(ResourceChange.from_dict(c) for c in data.get("changes", [])),
            violations=tuple(str(v) for v in data.get("violations", [])),
            error=None if data.get("error") is None else str(data["error"]),
            notes=tuple(str(n) for n in data.get("notes", [])),
        )


def classify(stack: str, outcome: PreviewOutcome) -> StackResult:
    """Drifted if the program would change anything; error if the check failed; else clean."""
    if any(c.is_drift for c in outcome.changes):
        status = Status.DRIFTED
    elif outcome.error is not None or outcome.violations:
        status = Status.ERROR
    else:
        status = Status.CLEAN
    notes = tuple(f"policy (advisory): {a}" for a in outcome.advisories)
    return StackResult(stack, status, outcome.changes, outcome.violations, outcome.error, notes)


def results_document(results: Iterable[StackResult]) -> dict[str, Any]:
    """The JSON CI jobs exchange: `{"results": [...]}`."""
    return {"results": [r.as_dict() for r in results]}


def results_from_document(data: Any) -> list[StackResult]:
    """Parse `results_document` output; raises ValueError on anything else."""
    if not isinstance(data, Mapping) or not isinstance(data.get("results"), list):
        raise ValueError('expected {"results": [...]}')
    try:
        return [StackResult.from_dict(item) for item in data["results"]]
    except (KeyError, TypeError, ValueError) as exc:
        raise ValueError(f"malformed result: {exc}") from None
