"""`hfaccess check`: exit codes, one line per violation, the same errors as validate;
`--remote` against the loopback fake Tailscale API."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

from hfaccess.policy.artifacts import tailnet_artifacts
from hfaccess.policy.builder import build_policy
from hfaccess.registry.workspace import load_model
from tests.support.cli import clear_tailscale_env, run_cli, serve_fake_api
from tests.support.fake_tailscale import CLIENT_SECRET, FakeTailscale, Fault, TailnetState
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
    assert "holds invariants 1-10 for 2 customers (2 reachable, 0 revoked)" in result.stdout
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
    wildcard = f"grants[{len(document['grants']) - 1}]"
    assert f"{path.as_posix()}: invariant 2: {wildcard}: src contains '*'" in lines
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
    assert result.stdout.startswith(f"ok: {path.as_posix()} holds invariants 1-10")


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
    # The file actually given (--highflame) is named, not the default path.
    assert result.stderr.splitlines() == [
        f"{path.as_posix()}: base_policy.tagOwners.tag:cust-acme: 'tag:cust-acme' is "
        "customer acme's tag; only customers/acme.yaml decides access to it"
    ]


# -- check --remote, against the loopback fake Tailscale API -----------------------------------

VALIDATE = "/api/v2/tailnet/-/acl/validate"


@pytest.fixture
def fake(monkeypatch: pytest.MonkeyPatch, sample: None) -> Iterator[FakeTailscale]:
    with serve_fake_api(monkeypatch, TailnetState()) as server:
        yield server


def _policy_file(tmp_path: Path, edit: Callable[[dict[str, Any]], None]) -> Path:
    document = json.loads(tailnet_artifacts(load_model())["policy.json"])
    edit(document)
    path = tmp_path / "policy.json"
    path.write_text(json.dumps(document))
    return path


def test_remote_sends_the_generated_policy_and_reports_it_accepted(fake: FakeTailscale) -> None:
    result = run_cli("check", "--remote")
    assert result.exit_code == 0, result.stderr
    lines = result.stdout.splitlines()
    assert len(lines) == 3
    assert lines[0].startswith("ok: generated policy (")
    assert lines[1] == f"ok: tailnet - at {fake.url} validates it (tests included)"
    assert lines[2] == "ok: live tailnet settings match tailnet_settings"
    (call,) = fake.calls("POST", VALIDATE)
    assert json.loads(call.body) == build_policy(load_model())
    assert call.status == 200
    # validate never saves: the tailnet's policy file is untouched
    assert fake.state.policy == {}
    assert fake.calls("POST", "/api/v2/tailnet/-/acl") == []


def test_remote_refusal_is_one_line_per_problem(fake: FakeTailscale, tmp_path: Path) -> None:
    # Offline invariants hold (no customer path is asserted), but the file's own test cannot
    # pass: nothing grants SRE Highflame's automation tag.
    failing = {"src": "group:highflame-sre", "proto": "tcp", "accept": ["tag:highflame-iac:22"]}
    path = _policy_file(tmp_path, lambda doc: doc["tests"].append(failing))
    assert run_cli("check", "--policy", str(path)).exit_code == 0
    result = run_cli("check", "--policy", str(path), "--remote")
    assert result.exit_code == 1
    where = f"{path.as_posix()}: tailnet - at {fake.url} refuses it"
    assert result.stderr.splitlines() == [
        f"{where}: test(s) failed",
        f"{where}: group:highflame-sre: tag:highflame-iac:22: expected accept, got deny",
    ]
    assert result.stdout == ""


def test_remote_400_is_a_refusal(fake: FakeTailscale) -> None:
    fake.add_fault(Fault(path=VALIDATE, status=400))
    result = run_cli("check", "--remote")
    assert result.exit_code == 1
    (line,) = result.stderr.splitlines()
    assert line.endswith(f"tailnet - at {fake.url} refuses it: injected fault")
    assert result.stdout == ""


def test_remote_500s_are_retried(fake: FakeTailscale) -> None:
    fake.add_fault(Fault(path=VALIDATE, status=500, times=2))
    result = run_cli("check", "--remote")
    assert result.exit_code == 0, result.stderr
    assert [call.status for call in fake.calls("POST", VALIDATE)] == [500, 500, 200]
    assert "validates it" in result.stdout


@pytest.mark.parametrize(
    ("fault", "message"),
    [
        (Fault(path=VALIDATE, status=500, times=-1), "HTTP 500: injected fault (gave up after 6"),
        (Fault(path=VALIDATE, status=403), "HTTP 403: injected fault"),
    ],
)
def test_remote_api_error_is_one_line_and_exit_1(
    fake: FakeTailscale, fault: Fault, message: str
) -> None:
    fake.add_fault(fault)
    result = run_cli("check", "--remote")
    assert result.exit_code == 1
    (line,) = result.stderr.splitlines()
    assert line.startswith(f"check --remote: POST {VALIDATE}: {message}")
    assert CLIENT_SECRET not in result.stdout + result.stderr
    assert result.stdout == ""


def test_remote_without_credentials_exits_2(
    fake: FakeTailscale, monkeypatch: pytest.MonkeyPatch
) -> None:
    clear_tailscale_env(monkeypatch)
    result = run_cli("check", "--remote")
    assert result.exit_code == 2
    assert "no Tailscale API credentials" in result.stderr
    assert "Traceback" not in result.stderr
    assert result.stdout == ""
    assert fake.requests == []


def test_offline_violations_exit_1_before_any_remote_call(
    fake: FakeTailscale, tmp_path: Path
) -> None:
    path = _policy_file(
        tmp_path,
        lambda doc: doc["grants"].append({"src": ["*"], "dst": ["tag:cust-acme"], "ip": ["*"]}),
    )
    result = run_cli("check", "--policy", str(path), "--remote")
    assert result.exit_code == 1
    assert "invariant 2" in result.stderr
    assert "refuses" not in result.stderr
    assert fake.requests == []


def test_remote_reports_live_tailnet_settings_that_differ(fake: FakeTailscale) -> None:
    fake.state.settings["networkFlowLoggingOn"] = False
    fake.state.settings["aclsExternallyManagedOn"] = False
    result = run_cli("check", "--remote")
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        "tailnet_settings: networkFlowLoggingOn: live False, declared True",
        "tailnet_settings: aclsExternallyManagedOn: live False, declared True",
    ]
