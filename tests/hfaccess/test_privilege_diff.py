"""The diff's first lines: privilege-relevant changes, read from real renders."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import yaml

from hfaccess.privilege_diff import policy_changes, stack_changes
from tests.support.cli import run_cli
from tests.support.files import REPO


def _render(customers: Path, highflame: Path, out: Path, *stacks: str) -> Path:
    which = [arg for s in stacks for arg in ("--stack", s)] or ["--all"]
    args = ["render", *which, "--out", str(out), "--customers", str(customers)]
    result = run_cli(*args, "--highflame", str(highflame))
    assert result.exit_code == 0, result.stderr
    return out


def _edited(tmp_path: Path) -> tuple[Path, Path]:
    customers = tmp_path / "customers"
    shutil.copytree(REPO / "customers", customers)
    acme = yaml.safe_load((customers / "acme.yaml").read_text())
    acme["environments"]["prod"] = {
        "cluster_role": "cluster-admin",
        "exposures": {"grafana": {"namespace": "monitoring", "service": "grafana", "port": 3000}},
    }
    (customers / "acme.yaml").write_text(yaml.safe_dump(acme))
    globex = yaml.safe_load((customers / "globex.yaml").read_text())
    globex["revoked"] = True
    (customers / "globex.yaml").write_text(yaml.safe_dump(globex))
    highflame = tmp_path / "highflame.yaml"
    document = yaml.safe_load((REPO / "tailnet" / "highflame.yaml").read_text())
    document["sre"]["members"] = ["alice@highflame.ai", "carol@highflame.ai"]
    highflame.write_text(yaml.safe_dump(document))
    return customers, highflame


def test_summary_comes_first_and_names_every_privilege_change(tmp_path: Path) -> None:
    sample = (REPO / "customers", REPO / "tailnet" / "highflame.yaml")
    base = _render(*sample, tmp_path / "base")
    head = _render(*_edited(tmp_path), tmp_path / "head")
    result = run_cli("diff", str(base), str(head))
    assert result.exit_code == 0, result.stderr
    text = result.stdout
    summary = text[: text.index("stack(s) change")]
    for line in (
        "- engineer **added** to `group:highflame-sre`: `carol@highflame.ai`",
        "- engineer removed from `group:highflame-sre`: `bob@highflame.ai`",
        "- customer `globex` **revoked**: no grant reaches `tag:cust-globex`",
        "- new exposure port tcp:443 on `tag:k8s-acme`",
        "- `acme-prod`: role `highflame-sre` → **cluster-admin**",
        "- `acme-prod`: new exposure Ingress monitoring/highflame-grafana (host acme-prod-grafana)",
        "- `globex-prod`: **revoked** (was role `highflame-sre`)",
    ):
        assert line in summary.splitlines(), line
    # and the other way round: reinstatement
    back = run_cli("diff", str(head), str(base)).stdout
    assert "- customer `globex` **reinstated**: `tag:cust-globex` is reachable again" in back
    assert "- `globex-prod`: **reinstated** with role `highflame-sre`" in back
    assert "- `acme-prod`: role **cluster-admin** → `highflame-sre`" in back


def test_a_partial_render_does_not_remove_the_other_stacks(tmp_path: Path) -> None:
    sample = (REPO / "customers", REPO / "tailnet" / "highflame.yaml")
    base = _render(*sample, tmp_path / "base")
    head = _render(*sample, tmp_path / "head", "tailnet", "acme-prod")
    result = run_cli("diff", str(base), str(head))
    assert result.exit_code == 0, result.stderr
    assert "(removed)" not in result.stdout
    assert "No rendered artifact changes." in result.stdout
    assert "(not compared): `acme-dev`, `globex-prod`" in result.stdout
    assert "**Privilege-relevant changes:** none." in result.stdout.splitlines()
    # a complete head still reports a stack that is really gone
    gone = tmp_path / "gone"
    shutil.copytree(base, gone)
    shutil.rmtree(gone / "acme-dev")
    assert "`acme-dev` (removed)" in run_cli("diff", str(base), str(gone)).stdout


def test_elevations_in_rbac_and_policy() -> None:
    binding = {
        "kind": "ClusterRoleBinding",
        "metadata": {"name": "highflame-sre"},
        "roleRef": {"name": "highflame-sre"},
    }
    elevated = {
        **binding,
        "metadata": {"name": "highflame-break-glass"},
        "roleRef": {"name": "cluster-admin"},
    }
    base = {"rbac.yaml": yaml.safe_dump(binding)}
    head = {"rbac.yaml": yaml.safe_dump_all([binding, elevated])}
    assert stack_changes("acme-prod", base, head) == [
        "- `acme-prod`: elevation binding `highflame-break-glass` → **cluster-admin** added"
    ]
    grant = {
        "src": ["group:highflame-sre"],
        "dst": ["tag:cust-acme"],
        "ip": ["tcp:443"],
        "app": {"tailscale.com/cap/kubernetes": [{"impersonate": {"groups": ["highflame-sre"]}}]},
    }
    owners = {"tagOwners": {"tag:cust-acme": ["tag:k8s-operator-acme"]}}
    extra = {
        **grant,
        "app": {
            "tailscale.com/cap/kubernetes": [
                {"impersonate": {"groups": ["highflame-sre-elevated"]}}
            ]
        },
    }
    lines = policy_changes(
        json.dumps({**owners, "grants": [grant]}), json.dumps({**owners, "grants": [grant, extra]})
    )
    assert lines == [
        "- elevation: `tag:cust-acme` now lets SRE impersonate group highflame-sre-elevated"
    ]
