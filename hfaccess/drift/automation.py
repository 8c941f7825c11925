"""The real previewer: `pulumi preview --refresh` through the Pulumi Automation API.

Drift is read from the engine's structured events, not from the exit code: every step the
engine plans (resource, operation, changed properties) and every policy violation, so a
report can say what drifted. The preview does not pass --expect-no-changes, which would turn
a drift into an error and hide the steps behind it; `classify` decides instead.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from hfaccess.drift.model import PreviewOutcome, ResourceChange

if TYPE_CHECKING:
    from pulumi.automation import EngineEvent

_ANSI_RE = re.compile(r"\x1b\[[0-9;]*[A-Za-z]|<\{%[a-z]+%\}>")


class StackHandle(Protocol):
    """The part of `pulumi.automation.Stack` the previewer uses."""

    def preview(
        self,
        *,
        refresh: bool | None = None,
        policy_packs: list[str] | None = None,
        on_event: Callable[[EngineEvent], Any] | None = None,
        color: str | None = None,
        suppress_progress: bool | None = None,
    ) -> object: ...


SelectStack = Callable[[str, Path], StackHandle]


def select_local_stack(name: str, work_dir: Path) -> StackHandle:
    """`LocalWorkspace` over the repository: the same program and stack files as the CLI.

    Parallel previews share the workspace's "current stack" setting, which selecting writes;
    harmless, because every preview names its stack explicitly (`--stack`).
    """
    from pulumi import automation  # heavy import, only when a preview really runs

    return automation.select_stack(stack_name=name, work_dir=str(work_dir))


def _plain(text: str) -> str:
    return _ANSI_RE.sub("", text).strip()


@dataclass
class EventCollector:
    """Turns engine events into ResourceChanges, violations and error messages (thread-safe)."""

    changes: list[ResourceChange] = field(default_factory=list)
    violations: list[str] = field(default_factory=list)
    advisories: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def __call__(self, event: EngineEvent) -> None:
        with self._lock:
            self._take(event)

    def _take(self, event: EngineEvent) -> None:
        if event.resource_pre_event is not None:
            meta = event.resource_pre_event.metadata
            op = getattr(meta.op, "value", str(meta.op))
            # A refresh step's diff is known only once it ran: the engine sends it in the
            # outputs event below, never in the pre-event.
            if op not in ("same", "refresh"):
                self.changes.append(
                    ResourceChange(op, meta.urn, tuple(meta.diffs or meta.keys or ()))
                )
        elif event.res_outputs_event is not None:
            meta = event.res_outputs_event.metadata
            op = getattr(meta.op, "value", str(meta.op))
            keys = tuple(meta.diffs or meta.keys or ())
            if op == "refresh" and keys:  # the live world differs from the state
                self.changes.append(ResourceChange(op, meta.urn, keys))
        elif event.policy_event is not None:
            policy = event.policy_event
            where = f" ({policy.resource_urn.split('::')[-1]})" if policy.resource_urn else ""
            text = (
                f"{policy.policy_name}{where}: {_plain(policy.message).splitlines()[-1]}"
                if _plain(policy.message)
                else policy.policy_name
            )
            # The CI gate passes advisory findings; so does this report (as a note).
            if policy.enforcement_level == "advisory":
                self.advisories.append(text)
            else:
                self.violations.append(text)
        elif event.diagnostic_event is not None and event.diagnostic_event.severity == "error":
            message = _plain(event.diagnostic_event.message)
            if message:
                self.errors.append(message)

    def outcome(self, failure: BaseException | None = None) -> PreviewOutcome:
        error = None
        if failure is not None:
            error = "; ".join(self.errors) if self.errors else _failure_text(failure)
        return PreviewOutcome(
            tuple(self.changes), tuple(self.violations), error, tuple(self.advisories)
        )


def _failure_text(failure: BaseException) -> str:
    """The CLI's `error:` lines from a CommandError, else its last line."""
    text = _plain(str(failure))
    errors = [
        line[line.index("error:") :].strip() for line in text.splitlines() if "error:" in line
    ]
    if errors:
        return "; ".join(errors)
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    return lines[-1] if lines else type(failure).__name__


@dataclass(frozen=True)
class AutomationPreviewer:
    """Previews stacks of the project in `work_dir` with refresh and the policy packs."""

    work_dir: Path
    policy_packs: Sequence[Path] = ()
    organization: str | None = None  # Pulumi Cloud org; None for a self-managed backend
    select: SelectStack = select_local_stack

    def stack_reference(self, stack: str) -> str:
        return f"{self.organization}/{stack}" if self.organization else stack

    def preview(self, stack: str) -> PreviewOutcome:
        events = EventCollector()
        try:
            handle = self.select(self.stack_reference(stack), self.work_dir)
            handle.preview(
                refresh=True,
                policy_packs=[str(p) for p in self.policy_packs] or None,
                on_event=events,
                color="never",
                suppress_progress=True,
            )
        except Exception as exc:  # CommandError and friends: the stack could not be previewed
            return events.outcome(failure=exc)
        return events.outcome()
