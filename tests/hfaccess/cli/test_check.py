"""`hfaccess check`: exit codes, one line per violation, the same errors as validate."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from hfaccess.policy.artifacts import tailnet_artifacts
from hfaccess.workspace import load_model
from tests.support.cli import run_cli
from tests.support.files import REPO, customer, write_customer

HIGHFLAME = str(REPO / "tailnet/highflame.yaml")


@pytest.fixture
def sample(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(REPO)


@pytest.mark.usefixtures("sample")
def test_generated_policy_passes_with_a_short_ok_line() -> None:
    result = run_cli("check")
    assert result.exit_code == 0, result.stderr
    assert result.stdout.startswith("ok: generated policy (")
    assert "holds invariants 1-7 for 2 customers (2 reachable, 0 revoked)" in result.stdout
    assert len(result.stdout.splitlines()) == 1


def test_invalid_registry_fails_with_the_same_errors_as_validate(tmp_path: Path) -> None:
    write_customer(tmp_path, "acme", {"name": "acme", "environments": {"prod": {"rol": "x"}}})
    write_customer(tmp_path, "operator-acme", customer("operator-acme"))
    before = sorted(p.name for p in tmp_path.iterdir())
    checked = run_cli("check", "--customers", str(tmp_path), "--highflame", HIGHFLAME)
    validated = run_cli("validate", "--customers", str(tmp_path), "--highflame", HIGHFLAME)
    assert checked.exit_code == validated.exit_code == 1
    assert checked.stderr == validated.stderr
    assert checked.stdout == ""
    assert sorted(p.name for p in tmp_path.iterdir()) == before


@pytest.mark.usefixtures("sample")
def test_policy_file_with_violations_gets_one_line_each(tmp_path: Path) -> None:
    document = json.loads(tailnet_artifacts(load_model())["policy.json"])
    document["grants"].append({"src": ["*"], "dst": ["tag:cust-acme"], "ip": ["*"]})
    document["tagOwners"]["tag:k8s-globex"] = ["tag:k8s-operator-acme"]
    path = tmp_path / "live.json"
    path.write_text(json.dumps(document))
    result = run_cli("check", "--policy", str(path))
    assert result.exit_code == 1
    lines = result.stderr.splitlines()
    assert f"{path.as_posix()}: invariant 2: grants[2]: src contains '*'" in lines
    assert any("invariant 4: tagOwners.tag:k8s-globex" in line for line in lines)
    assert all(line.startswith(f"{path.as_posix()}: invariant ") for line in lines)
    assert result.stdout == ""


@pytest.mark.usefixtures("sample")
def test_hujson_policy_file_with_comments_is_accepted(tmp_path: Path) -> None:
    text = tailnet_artifacts(load_model())["policy.json"]
    hujson = "// downloaded from the admin console\n" + text.replace(
        '"tests": [', '"tests": [ /* generated */'
    ).replace("]\n}", "],\n}")
    path = tmp_path / "live.hujson"
    path.write_text(hujson)
    result = run_cli("check", "--policy", str(path))
    assert result.exit_code == 0, result.stderr
    assert result.stdout.startswith(f"ok: {path.as_posix()} holds invariants 1-7")


@pytest.mark.usefixtures("sample")
@pytest.mark.parametrize(
    ("body", "message"),
    [('{\n  "grants": [\n}', "line 3 column 1"), ("[]", "a policy must be a JSON object")],
)
def test_unreadable_or_non_policy_file_fails_without_traceback(
    tmp_path: Path, body: str, message: str
) -> None:
    path = tmp_path / "policy.json"
    path.write_text(body)
    result = run_cli("check", "--policy", str(path))
    assert result.exit_code == 1
    assert message in result.stderr
    assert "Traceback" not in result.stderr


def test_base_policy_naming_a_customer_tag_fails_naming_the_field(tmp_path: Path) -> None:
    highflame = yaml.safe_load((REPO / "tailnet/highflame.yaml").read_text())
    highflame["base_policy"]["tagOwners"]["tag:cust-acme"] = []
    path = tmp_path / "highflame.yaml"
    path.write_text(yaml.safe_dump(highflame))
    result = run_cli("check", "--customers", str(REPO / "customers"), "--highflame", str(path))
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        "tailnet/highflame.yaml: base_policy.tagOwners.tag:cust-acme: 'tag:cust-acme' is "
        "customer acme's tag; only customers/acme.yaml decides access to it"
    ]
