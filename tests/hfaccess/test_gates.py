"""Every gate is the same gate: validate, render, check and the program refuse the same inputs.

Each case of issue 10 is one parameter: it must be refused by `validate`, `render --all`,
`check` and the `tailnet` program under mocks, each with `<file>: <field>: <reason>` lines, no
traceback, and nothing written.
"""

from __future__ import annotations

import copy
import os
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pulumi
import pytest
import yaml

from tests.programs.stacks import copy_root
from tests.support.cli import run_cli
from tests.support.files import REPO
from tests.support.pulumi_mocks import run_stack

SRE = "group:highflame-sre"
LINE = re.compile(r"^(?P<file>[^:]+): (?P<field>[^:]+(?::[^ ]+)?): (?P<reason>.+)$")
Edit = Callable[[dict[str, Any]], None]


def _base(**sections: Any) -> Edit:
    def edit(highflame: dict[str, Any]) -> None:
        highflame["base_policy"].update(copy.deepcopy(sections))

    return edit


def _sre_grant(dst: list[str], ip: list[str] | None = None, **extra: Any) -> dict[str, Any]:
    return {
        "src": [SRE.replace("highflame-sre", "platform")],
        "dst": dst,
        "ip": ip or ["*"],
    } | extra


BASE_CASES: dict[str, tuple[Edit, str]] = {
    # (edit of tailnet/highflame.yaml, a field every refusal line names)
    "ipset covering the tailnet": (
        _base(
            ipsets={"ipset:all": ["100.64.0.0/10"]},
            groups={"group:platform": ["carol@highflame.ai"]},
            grants=[_sre_grant(["ipset:all"])],
        ),
        "base_policy.grants[0]",
    ),
    "host alias covering the tailnet": (
        _base(hosts={"everyone": "100.64.0.0/10"}, grants=[_sre_grant(["everyone"])]),
        "base_policy.grants[0]",
    ),
    "grant to a customer tag": (
        _base(grants=[_sre_grant(["tag:cust-acme"], ["tcp:22"])]),
        "base_policy.grants[0].dst[0]",
    ),
    "star to star": (_base(grants=[{"src": ["*"], "dst": ["*"], "ip": ["*"]}]), "grants[0]"),
    "redefined SRE group": (
        _base(groups={SRE: ["mallory@example.com"]}),
        f"base_policy.groups.{SRE}",
    ),
    "via autogroup:tagged": (
        _base(grants=[_sre_grant(["10.0.0.0/8"], via=["autogroup:tagged"])]),
        "base_policy.grants[0]",
    ),
    "funnel on every tagged device": (
        _base(nodeAttrs=[{"target": ["autogroup:tagged"], "attr": ["funnel"]}]),
        "base_policy.nodeAttrs[0]",
    ),
    "exit nodes approved by any tagged device": (
        _base(autoApprovers={"exitNode": ["autogroup:tagged"]}),
        "base_policy.autoApprovers",
    ),
    "a tag in the customers' space, not registered": (
        _base(tagOwners={"tag:highflame-iac": [], "tag:cust-newco": []}),
        "base_policy.tagOwners.tag:cust-newco",
    ),
    "automation tag owned by every member": (
        _base(tagOwners={"tag:highflame-iac": ["autogroup:member"]}),
        "base_policy.tagOwners.tag:highflame-iac",
    ),
    "unknown section": (_base(extraRules=[{"src": ["*"]}]), "base_policy.extraRules"),
    "an svc: destination": (_base(grants=[_sre_grant(["svc:db"])]), "base_policy.grants[0]"),
}


def _write_highflame(root: Path, edit: Edit) -> Path:
    path = root / "tailnet" / "highflame.yaml"
    highflame = yaml.safe_load(path.read_text())
    edit(highflame)
    other = root / "elsewhere.yaml"  # not the default path: messages must name this file
    other.write_text(yaml.safe_dump(highflame))
    return other


def _assert_lines(output: str) -> list[str]:
    lines = output.splitlines()
    assert lines, "a refusal says why"
    assert "Traceback" not in output
    for line in lines:
        if line.startswith("note: "):
            continue
        assert LINE.match(line), line
    return lines


def _refused_everywhere(root: Path, highflame: Path, field: str) -> list[str]:
    customers = str(root / "customers")
    args = ("--customers", customers, "--highflame", str(highflame))
    validate = run_cli("validate", *args)
    assert validate.exit_code == 1, validate.stdout
    lines = _assert_lines(validate.stderr)
    assert any(field in line for line in lines), lines
    out = root / "out"
    render = run_cli("render", "--all", "--out", str(out), *args)
    assert render.exit_code == 1
    assert render.stderr == validate.stderr  # the very same refusal
    assert not out.exists(), "nothing is written on refusal"
    check = run_cli("check", *args)
    assert check.exit_code == 1
    assert check.stderr == validate.stderr
    return lines


@pytest.mark.parametrize("case", sorted(BASE_CASES))
def test_base_policy_case_is_refused_by_every_gate_naming_the_given_file(
    case: str, tmp_path: Path
) -> None:
    edit, field = BASE_CASES[case]
    root = copy_root(tmp_path)
    highflame = _write_highflame(root, edit)
    lines = _refused_everywhere(root, highflame, field)
    assert any(line.startswith(f"{highflame.as_posix()}: ") for line in lines), lines
    # The program reads tailnet/highflame.yaml: put the same content there.
    (root / "tailnet" / "highflame.yaml").write_text(highflame.read_text())
    with pytest.raises(pulumi.RunError, match="nothing was declared"):
        run_stack("tailnet", root=root)


CUSTOMER_CASES: dict[str, tuple[dict[str, Any], str]] = {
    # globex's prod environment replaced by this one; a field each refusal line names
    "two via: service exposures of one Service": (
        {
            "exposures": {
                "a": {"namespace": "db", "service": "pg", "port": 5432, "via": "service"},
                "b": {"namespace": "db", "service": "pg", "port": 5433, "via": "service"},
            }
        },
        "environments.prod.exposures",
    ),
    "the raw API server": (
        {"exposures": {"api": {"namespace": "default", "service": "kubernetes", "port": 443}}},
        "environments.prod.exposures.api",
    ),
    "the operator's namespace": (
        {"exposures": {"op": {"namespace": "tailscale", "service": "operator", "port": 443}}},
        "environments.prod.exposures.op",
    ),
    "a Service name that is no DNS-1035 label": (
        {"exposures": {"s": {"namespace": "web", "service": "1studio", "port": 80}}},
        "environments.prod.exposures.s.service",
    ),
    "port true": (
        {"exposures": {"s": {"namespace": "web", "service": "studio", "port": True}}},
        "environments.prod.exposures.s.port",
    ),
    "revoked yes": ({"revoked": "yes"}, "environments.prod.revoked"),
}


@pytest.mark.parametrize("case", sorted(CUSTOMER_CASES))
def test_customer_case_is_refused_by_every_gate(case: str, tmp_path: Path) -> None:
    environment, field = CUSTOMER_CASES[case]
    globex = {"name": "globex", "environments": {"prod": {"install": "handoff", **environment}}}
    acme = yaml.safe_load((REPO / "customers" / "acme.yaml").read_text())
    root = copy_root(tmp_path, {"acme": acme, "globex": globex})
    lines = _refused_everywhere(root, root / "tailnet" / "highflame.yaml", field)
    assert any(line.startswith(f"{root.as_posix()}/customers/globex.yaml: ") for line in lines)
    with pytest.raises(pulumi.RunError, match="nothing was declared"):
        run_stack("globex-prod", root=root)
    with pytest.raises(pulumi.RunError, match="nothing was declared"):
        run_stack("tailnet", root=root)


def test_the_sample_registry_passes_every_gate(tmp_path: Path) -> None:
    args = (
        "--customers",
        str(REPO / "customers"),
        "--highflame",
        str(REPO / "tailnet/highflame.yaml"),
    )
    assert run_cli("validate", *args).exit_code == 0
    assert run_cli("check", *args).exit_code == 0
    result = run_cli("render", "--all", "--out", str(tmp_path / "out"), *args)
    assert result.exit_code == 0, result.stderr
    assert sorted(os.listdir(tmp_path / "out")) == [
        "acme-dev",
        "acme-prod",
        "globex-prod",
        "render.json",  # which stacks were rendered, for `diff`
        "tailnet",
    ]


def test_one_run_lists_every_base_policy_problem(tmp_path: Path) -> None:
    root = copy_root(tmp_path)
    highflame = _write_highflame(
        root,
        _base(
            tagOwners={"tag:highflame-iac": [], "tag:cust-newco": []},
            nodeAttrs=[{"target": ["autogroup:tagged"], "attr": ["funnel"]}],
        ),
    )
    lines = _refused_everywhere(root, highflame, "base_policy.tagOwners.tag:cust-newco")
    assert any("base_policy.nodeAttrs[0]" in line for line in lines), lines
