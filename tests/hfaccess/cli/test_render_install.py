"""`hfaccess render` for environment stacks: the install files, and a loud cluster-admin warning."""

from __future__ import annotations

from pathlib import Path

from tests.support.cli import run_cli
from tests.support.files import REPO, customer, write_customer

HIGHFLAME = str(REPO / "tailnet" / "highflame.yaml")


def test_render_acme_prod_writes_the_install_files(tmp_path: Path) -> None:
    result = run_cli(
        "render",
        "--stack",
        "acme-prod",
        "--out",
        str(tmp_path),
        "--customers",
        str(REPO / "customers"),
        "--highflame",
        HIGHFLAME,
    )
    assert result.exit_code == 0, result.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "INSTALL.md",
        "hardening.yaml",
        "helm-values.yaml",
        "kustomization.yaml",
        "oauth-client.json",
        "post-render.sh",
        "rbac.yaml",
    ]
    assert (tmp_path / "post-render.sh").stat().st_mode & 0o111  # the post-renderer runs
    assert "WARNING" not in result.stderr


def test_render_warns_loudly_about_cluster_admin(tmp_path: Path) -> None:
    customers = tmp_path / "customers"
    doc = customer("initech")
    doc["environments"]["prod"] = {"cluster_role": "cluster-admin"}
    write_customer(customers, "initech", doc)
    out = tmp_path / "out"
    result = run_cli(
        "render",
        "--stack",
        "initech-prod",
        "--out",
        str(out),
        "--customers",
        str(customers),
        "--highflame",
        HIGHFLAME,
    )
    assert result.exit_code == 0, result.stderr
    assert "WARNING: initech-prod: binds Highflame SRE (group highflame-sre) to cluster-admin" in (
        result.stderr
    )
    assert (out / "rbac.yaml").read_text(encoding="utf-8").startswith("# WARNING: CLUSTER-ADMIN")


def test_render_refuses_conflicting_exposures_and_writes_nothing(tmp_path: Path) -> None:
    customers = tmp_path / "customers"
    doc = customer("initech")
    annotated = {"namespace": "hf", "service": "studio", "port": 80, "via": "service"}
    doc["environments"]["prod"] = {"exposures": {"a": annotated, "b": annotated}}
    write_customer(customers, "initech", doc)
    out = tmp_path / "out"
    result = run_cli(
        "render",
        "--stack",
        "initech-prod",
        "--out",
        str(out),
        "--customers",
        str(customers),
        "--highflame",
        HIGHFLAME,
    )
    assert result.exit_code == 1
    assert "initech.yaml: environments.prod.exposures: exposures 'a' and 'b'" in result.stderr
    assert not out.exists()
