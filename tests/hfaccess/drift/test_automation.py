"""The Automation API previewer, with the stack replaced by a fake that emits engine events.

Events are built with `EngineEvent.from_json` from the engine's own JSON event shape, so the
mapping to ResourceChanges is tested against what `pulumi preview --refresh` streams.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from pulumi.automation import CommandError, EngineEvent
from pulumi.automation._cmd import CommandResult

from hfaccess.drift.automation import AutomationPreviewer, EventCollector
from hfaccess.drift.model import ResourceChange, Status, classify
from tests.hfaccess.drift.fakes import ACL_URN, RELEASE_URN

STACK_URN = "urn:pulumi:tailnet::highflame-access::pulumi:pulumi:Stack::highflame-access-tailnet"


def _step(op: str, urn: str, diffs: list[str] | None = None) -> EngineEvent:
    return EngineEvent.from_json(
        {
            "sequence": 1,
            "timestamp": 0,
            "resourcePreEvent": {
                "metadata": {
                    "op": op,
                    "urn": urn,
                    "type": urn.split("::")[2].rsplit("$", 1)[-1],
                    "provider": "",
                    "diffs": diffs or [],
                    "keys": diffs or [],
                }
            },
        }
    )


def _outputs(op: str, urn: str, diffs: list[str] | None = None) -> EngineEvent:
    """The `resOutputsEvent` the engine sends once a step ran; for a refresh step, only this
    event carries the diff (its pre-event has none: the read had not happened yet)."""
    return EngineEvent.from_json(
        {
            "sequence": 1,
            "timestamp": 0,
            "resOutputsEvent": {
                "metadata": {
                    "op": op,
                    "urn": urn,
                    "type": urn.split("::")[2].rsplit("$", 1)[-1],
                    "provider": "",
                    "diffs": diffs or [],
                    "keys": diffs or [],
                },
                "planning": True,
            },
        }
    )


def _policy(message: str, urn: str, level: str = "mandatory") -> EngineEvent:
    return EngineEvent.from_json(
        {
            "sequence": 2,
            "timestamp": 0,
            "policyEvent": {
                "message": message,
                "color": "never",
                "policyName": "tailscale-operator-release-pinned",
                "policyPackName": "highflame-access-guardrails",
                "policyPackVersion": "0.1.0",
                "policyPackVersionTag": "0.1.0",
                "enforcementLevel": level,
                "resourceUrn": urn,
            },
        }
    )


def _diagnostic(message: str, severity: str = "error") -> EngineEvent:
    return EngineEvent.from_json(
        {
            "sequence": 3,
            "timestamp": 0,
            "diagnosticEvent": {"message": message, "color": "never", "severity": severity},
        }
    )


class FakeStack:
    """Emits scripted events to `on_event`, then returns or raises like `Stack.preview`."""

    def __init__(self, events: list[EngineEvent], failure: Exception | None = None) -> None:
        self.events = events
        self.failure = failure
        self.kwargs: dict[str, Any] = {}

    def preview(
        self,
        *,
        refresh: bool | None = None,
        policy_packs: list[str] | None = None,
        on_event: Callable[[EngineEvent], Any] | None = None,
        color: str | None = None,
        suppress_progress: bool | None = None,
    ) -> object:
        self.kwargs = {
            "refresh": refresh,
            "policy_packs": policy_packs,
            "color": color,
            "suppress_progress": suppress_progress,
        }
        assert on_event is not None
        for event in self.events:
            on_event(event)
        if self.failure is not None:
            raise self.failure
        return object()


def _previewer(
    stack: FakeStack, selected: list[tuple[str, Path]], **kw: Any
) -> AutomationPreviewer:
    def select(name: str, work_dir: Path) -> FakeStack:
        selected.append((name, work_dir))
        return stack

    return AutomationPreviewer(Path("/repo"), select=select, **kw)


def test_clean_preview_runs_with_refresh_and_the_pack() -> None:
    stack = FakeStack([_step("same", STACK_URN), _step("refresh", ACL_URN), _step("same", ACL_URN)])
    selected: list[tuple[str, Path]] = []
    previewer = _previewer(stack, selected, policy_packs=(Path("/repo/policy"),))
    outcome = previewer.preview("tailnet")
    assert outcome.changes == ()
    assert outcome.error is None
    assert selected == [("tailnet", Path("/repo"))]
    assert stack.kwargs == {
        "refresh": True,
        "policy_packs": ["/repo/policy"],
        "color": "never",
        "suppress_progress": True,
    }
    assert classify("tailnet", outcome).status is Status.CLEAN


def test_drift_names_resource_operation_and_properties() -> None:
    stack = FakeStack(
        [  # as `preview --refresh` streams a live change the program would undo
            _step("refresh", ACL_URN),
            _outputs("refresh", ACL_URN, ["acl"]),
            _step("update", ACL_URN, ["acl"]),
            _outputs("update", ACL_URN, ["acl"]),
            _step("same", STACK_URN),
            _outputs("same", STACK_URN),
        ]
    )
    outcome = _previewer(stack, []).preview("tailnet")
    assert outcome.changes == (
        ResourceChange("refresh", ACL_URN, ("acl",)),
        ResourceChange("update", ACL_URN, ("acl",)),
    )
    result = classify("tailnet", outcome)
    assert result.status is Status.DRIFTED
    assert result.summary() == (
        "~ tailscale:index/acl:Acl tailnet-policy [acl]; "
        "live: tailscale:index/acl:Acl tailnet-policy [acl] differs from state"
    )


def test_replacement_of_the_release_is_drift() -> None:
    stack = FakeStack([_step("replace", RELEASE_URN, ["values"])])
    result = classify("acme-prod", _previewer(stack, []).preview("acme-prod"))
    assert result.status is Status.DRIFTED
    assert result.summary() == "+- kubernetes:helm.sh/v3:Release acme-prod-operator [values]"


def test_policy_violation_and_failure_are_an_error_with_the_reason() -> None:
    failure = CommandError(CommandResult("", "error: preview failed", 255))
    stack = FakeStack(
        [
            _policy(
                "The operator release is pinned.\nversion is '1.97.0'; it must be '1.96.5'",
                RELEASE_URN,
            )
        ],
        failure,
    )
    result = classify("acme-prod", _previewer(stack, []).preview("acme-prod"))
    assert result.status is Status.ERROR
    assert result.violations == (
        "tailscale-operator-release-pinned (acme-prod-operator): "
        "version is '1.97.0'; it must be '1.96.5'",
    )
    assert result.error == "error: preview failed"


def test_engine_error_diagnostics_explain_a_failure() -> None:
    failure = CommandError(CommandResult("", "long output", 255))
    stack = FakeStack(
        [
            _diagnostic("warning only", severity="warning"),
            _diagnostic("<{%reset%}>configured Kubernetes cluster is unreachable<{%reset%}>\n"),
        ],
        failure,
    )
    outcome = _previewer(stack, []).preview("acme-prod")
    assert outcome.error == "configured Kubernetes cluster is unreachable"


def test_missing_stack_is_an_error_not_a_crash() -> None:
    def select(name: str, work_dir: Path) -> FakeStack:
        raise CommandError(CommandResult("", "error: no stack named 'acme-prod' found\n", 255))

    outcome = AutomationPreviewer(Path("/repo"), select=select).preview("acme-prod")
    assert outcome.error == "error: no stack named 'acme-prod' found"


def test_organization_qualifies_the_stack() -> None:
    selected: list[tuple[str, Path]] = []
    _previewer(FakeStack([]), selected, organization="highflame").preview("acme-prod")
    assert selected[0][0] == "highflame/acme-prod"


def test_collector_ignores_unchanged_and_matching_refreshes() -> None:
    collector = EventCollector()
    for event in (_step("same", ACL_URN), _step("refresh", ACL_URN), _step("read", ACL_URN)):
        collector(event)
    assert collector.changes == [ResourceChange("read", ACL_URN, ())]
    assert not collector.changes[0].is_drift


def test_live_change_absorbed_by_the_refresh_is_reported_but_clean() -> None:
    stack = FakeStack(
        [
            _step("refresh", ACL_URN),
            _outputs("refresh", ACL_URN, ["acl"]),
            _step("same", ACL_URN),
            _outputs("same", ACL_URN),
        ]
    )
    result = classify("tailnet", _previewer(stack, []).preview("tailnet"))
    assert result.status is Status.CLEAN  # as the gate: --expect-no-changes passes it
    assert (
        result.summary() == "live: tailscale:index/acl:Acl tailnet-policy [acl] differs from state"
    )


def test_refresh_pre_event_alone_is_not_a_finding() -> None:
    stack = FakeStack([_step("refresh", ACL_URN), _outputs("refresh", ACL_URN)])
    assert _previewer(stack, []).preview("tailnet").changes == ()


@pytest.mark.parametrize(
    "op", ["remove-pending-replace", "discard", "discard-replaced", "read-replacement"]
)
def test_steps_the_cli_gate_does_not_count_are_not_drift(op: str) -> None:
    stack = FakeStack([_step(op, ACL_URN), _outputs(op, ACL_URN)])
    result = classify("tailnet", _previewer(stack, []).preview("tailnet"))
    assert result.status is Status.CLEAN


def test_advisory_policy_finding_is_a_note_not_an_error() -> None:
    stack = FakeStack([_policy("consider pinning", ACL_URN, level="advisory")])
    result = classify("tailnet", _previewer(stack, []).preview("tailnet"))
    assert result.status is Status.CLEAN
    assert result.violations == ()
    assert result.notes == (
        "policy (advisory): tailscale-operator-release-pinned (tailnet-policy): consider pinning",
    )
