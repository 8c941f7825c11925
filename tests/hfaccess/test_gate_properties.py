"""Every gate is the same gate, as a property over generated registries and base policies.

For any registry and Highflame file: `validate` passes exactly when `render --all`, `check`
and the `tailnet` program (under Pulumi's mocks) pass; when it fails, each of them refuses
with the very same lines and nothing is written.
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path
from typing import Any

import pulumi
import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.hfaccess.policy.test_properties import customer_names, customers
from tests.support.cli import run_cli
from tests.support.files import REPO
from tests.support.pulumi_mocks import run_stack

SRE = "group:highflame-sre"

# Base-policy fragments: harmless ones, and ones some gate must refuse.
FRAGMENTS: list[dict[str, Any]] = [
    {"groups": {"group:platform": ["carol@highflame.ai"]}},
    {"tagOwners": {"tag:highflame-ci": ["tag:highflame-iac"]}},
    {"hosts": {"office": "10.20.0.0/16"}},
    {"grants": [{"src": ["group:platform"], "dst": ["office"], "ip": ["tcp:22"]}]},
    {"ipsets": {"ipset:all": ["100.64.0.0/10"]}},
    {"grants": [{"src": [SRE], "dst": ["ipset:all"], "ip": ["*"]}]},
    {"grants": [{"src": ["*"], "dst": ["*"], "ip": ["*"]}]},
    {"grants": [{"src": [SRE], "dst": ["tag:cust-acme"], "ip": ["tcp:22"]}]},
    {"groups": {SRE: ["mallory@example.com"]}},
    {"nodeAttrs": [{"target": ["autogroup:tagged"], "attr": ["funnel"]}]},
    {"nodeAttrs": [{"target": ["group:platform"], "attr": ["funnel"]}]},
    {"autoApprovers": {"exitNode": ["tag:highflame-iac"]}},
    {"autoApprovers": {"routes": {"10.0.0.0/8": ["tag:k8s-acme"]}}},
    {"tagOwners": {"tag:highflame-iac": ["autogroup:member"]}},
    {"tagOwners": {"tag:cust-newco": []}},
    {"unknownSection": {}},
    {"postures": {"posture:stable": ["node:tsReleaseTrack == 'stable'"]}},
    {"tests": [{"src": "tag:cust-acme", "accept": ["tag:cust-globex:443"]}]},
]


def _merge(fragments: list[dict[str, Any]]) -> dict[str, Any]:
    base: dict[str, Any] = {"tagOwners": {"tag:highflame-iac": []}}
    for fragment in fragments:
        for section, value in fragment.items():
            if isinstance(value, list):
                base.setdefault(section, []).extend(value)
            else:
                base.setdefault(section, {}).update(value)
    return base


base_policies = st.lists(st.sampled_from(range(len(FRAGMENTS))), max_size=3, unique=True).map(
    lambda picks: _merge([FRAGMENTS[i] for i in picks])
)


def _write(root: Path, docs: list[dict[str, Any]], base: dict[str, Any]) -> None:
    for name in ("Pulumi.yaml", "Pulumi.tailnet.yaml"):
        shutil.copy(REPO / name, root / name)
    (root / "customers").mkdir()
    for doc in docs:
        (root / "customers" / f"{doc['name']}.yaml").write_text(yaml.safe_dump(doc))
    (root / "tailnet").mkdir()
    highflame = {
        "sre": {"members": ["alice@highflame.ai"]},
        "operator_tag_owners": ["tag:highflame-iac"],
        "base_policy": base,
    }
    (root / "tailnet" / "highflame.yaml").write_text(yaml.safe_dump(highflame))


@settings(
    max_examples=15,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(docs=customers(customer_names), base=base_policies)
def test_validate_passes_exactly_when_render_check_and_the_program_pass(
    docs: list[dict[str, Any]], base: dict[str, Any]
) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        _write(root, docs, base)
        args = (
            "--customers",
            str(root / "customers"),
            "--highflame",
            str(root / "tailnet" / "highflame.yaml"),
        )
        validate = run_cli("validate", *args)
        out = root / "out"
        render = run_cli("render", "--all", "--out", str(out), *args)
        check = run_cli("check", *args)
        for result in (validate, render, check):
            assert "Traceback" not in result.stdout + result.stderr
        if validate.exit_code == 0:
            assert render.exit_code == 0, render.stderr
            assert check.exit_code == 0, check.stderr
            assert (out / "tailnet" / "policy.json").is_file()
            run = run_stack("tailnet", root=root)
            assert run.outputs["customerCount"] == len(docs)
        else:
            assert validate.exit_code == 1
            assert render.exit_code == 1
            assert render.stderr == validate.stderr
            assert check.exit_code == 1
            assert check.stderr == validate.stderr
            assert not out.exists()
            with pytest.raises(pulumi.RunError, match="nothing was declared"):
                run_stack("tailnet", root=root)
