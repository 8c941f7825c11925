"""No existing resource is replaced by a rename or a move: every URN recorded before the
restructuring is still a resource's URN, or one its aliases take over.

`recorded_urns.json` holds, per sample stack, the URNs (as the engine computes them) the program
declared before components were renamed or providers moved. A new resource is added to it.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.support.pulumi_mocks import run_stack
from tests.support.urns import urn_aliases

RECORDED: dict[str, list[str]] = json.loads(
    Path(__file__).with_name("recorded_urns.json").read_text()
)


@pytest.mark.parametrize("stack", sorted(RECORDED))
def test_every_recorded_urn_is_kept_or_aliased(stack: str) -> None:
    held = urn_aliases(run_stack(stack))
    covered = set().union(*held.values())
    missing = sorted(set(RECORDED[stack]) - covered)
    assert not missing, f"{stack}: these resources would be replaced: {missing}"


@pytest.mark.parametrize("stack", sorted(RECORDED))
def test_every_resource_takes_over_a_recorded_one(stack: str) -> None:
    # A resource that holds no recorded URN would be created beside the old one.
    held = urn_aliases(run_stack(stack))
    fresh = sorted(urn for urn, urns in held.items() if not urns & set(RECORDED[stack]))
    assert not fresh, f"{stack}: resources not in the recorded stack: {fresh}"
