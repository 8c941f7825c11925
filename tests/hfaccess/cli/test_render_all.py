"""`hfaccess render --all` owns its output: exactly the current stacks, each file whole,
stale stacks removed, nothing written on refusal, unchanged files left untouched."""

from __future__ import annotations

from pathlib import Path

import pytest

from hfaccess.install.documents import yaml_text
from hfaccess.render import is_render_output
from tests.support.cli import run_cli
from tests.support.files import REPO, customer, write_customer

HIGHFLAME = str(REPO / "tailnet" / "highflame.yaml")


def _render_all(customers: Path, out: Path) -> tuple[int, str, str]:
    result = run_cli(
        "render",
        "--all",
        "--out",
        str(out),
        "--customers",
        str(customers),
        "--highflame",
        HIGHFLAME,
    )
    return result.exit_code, result.stdout, result.stderr


def _registry(tmp_path: Path, *names: str) -> Path:
    customers = tmp_path / "customers"
    for existing in customers.glob("*.yaml") if customers.exists() else []:
        existing.unlink()
    for name in names:
        write_customer(customers, name, customer(name, "prod", "dev"))
    return customers


def test_render_all_writes_exactly_the_current_stacks(tmp_path: Path) -> None:
    out = tmp_path / "out"
    code, stdout, stderr = _render_all(_registry(tmp_path, "initech", "umbrella"), out)
    assert code == 0, stderr
    assert sorted(p.name for p in out.iterdir()) == [
        "initech-dev",
        "initech-prod",
        "render.json",  # the manifest `diff` reads
        "tailnet",
        "umbrella-dev",
        "umbrella-prod",
    ]
    assert "rendered 5 stacks" in stdout
    assert not list(tmp_path.glob(".out.render-*")), "the staging directory is removed"

    code, stdout, stderr = _render_all(_registry(tmp_path, "initech"), out)
    assert code == 0, stderr
    assert sorted(p.name for p in out.iterdir()) == [
        "initech-dev",
        "initech-prod",
        "render.json",
        "tailnet",
    ]
    assert "removed 2 stale output(s)" in stdout
    assert f"removed {(out / 'umbrella-prod').as_posix()} (no such stack)" in stdout


def test_render_all_leaves_what_it_did_not_write(tmp_path: Path) -> None:
    out = tmp_path / "out"
    notes = out / "notes"
    notes.mkdir(parents=True)
    (notes / "README.txt").write_text("mine")
    (out / "benchmarks.json").write_text("{}")
    code, _, stderr = _render_all(_registry(tmp_path, "initech"), out)
    assert code == 0, stderr
    assert (notes / "README.txt").read_text() == "mine"
    assert (out / "benchmarks.json").exists()
    assert not is_render_output(notes)


def test_refusal_writes_nothing_and_keeps_the_previous_render(tmp_path: Path) -> None:
    out = tmp_path / "out"
    customers = _registry(tmp_path, "initech", "umbrella")
    assert _render_all(customers, out)[0] == 0
    before = {p: p.read_bytes() for p in out.rglob("*") if p.is_file()}
    annotated = {"namespace": "hf", "service": "studio", "port": 80, "via": "service"}
    doc = customer("umbrella", "prod", "dev")
    doc["environments"]["prod"] = {"exposures": {"a": annotated, "b": annotated}}
    write_customer(customers, "umbrella", doc)
    write_customer(customers, "zeta", customer("zeta"))
    code, _, stderr = _render_all(customers, out)
    assert code == 1
    assert "umbrella.yaml: environments.prod.exposures" in stderr
    after = {p: p.read_bytes() for p in out.rglob("*") if p.is_file()}
    assert after == before
    assert not (out / "zeta-prod").exists()
    assert not list(tmp_path.glob(".out.render-*"))


def test_rerender_rewrites_only_changed_files_each_by_rename(tmp_path: Path) -> None:
    out = tmp_path / "out"
    customers = _registry(tmp_path, "initech")
    assert _render_all(customers, out)[0] == 0
    values = out / "initech-prod" / "helm-values.yaml"
    rbac = out / "initech-prod" / "rbac.yaml"
    inode_values, inode_rbac, old_rbac = values.stat().st_ino, rbac.stat().st_ino, rbac.read_text()
    doc = customer("initech", "prod", "dev")
    doc["environments"]["prod"] = {"cluster_role": "view"}
    write_customer(customers, "initech", doc)
    assert _render_all(customers, out)[0] == 0
    # a changed file is a new inode (temp + rename), an unchanged one is the same file
    assert rbac.read_text() != old_rbac
    assert rbac.stat().st_ino != inode_rbac
    assert values.stat().st_ino == inode_values
    assert not [p for p in out.rglob("*") if p.name.startswith(".")]


def test_single_stack_then_all_leaves_no_top_level_artifacts(tmp_path: Path) -> None:
    out = tmp_path / "out"
    customers = _registry(tmp_path, "initech")
    result = run_cli(
        "render",
        "--stack",
        "tailnet",
        "--out",
        str(out),
        "--customers",
        str(customers),
        "--highflame",
        HIGHFLAME,
    )
    assert result.exit_code == 0, result.stderr
    assert (out / "policy.json").exists()
    assert _render_all(customers, out)[0] == 0
    assert not (out / "policy.json").exists()
    assert (out / "tailnet" / "policy.json").exists()


def test_a_file_where_a_stack_directory_belongs_is_refused(tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    (out / "initech-prod").write_text("not a directory")
    code, _, stderr = _render_all(_registry(tmp_path, "initech"), out)
    assert code == 2
    assert "initech-prod: exists and is not a directory" in stderr
    assert not (out / "tailnet").exists()


@pytest.mark.parametrize(
    "value",
    [
        {"a": 1, "b": [True, None, "no", "010"], "c": {"d": 1.5}},
        [{"x": "y"}, {"x": "y"}],
        {"b": 1, "a": 1},
    ],
)
def test_yaml_text_is_what_the_pure_python_emitter_writes(value: object) -> None:
    import yaml

    expected = yaml.safe_dump(value, sort_keys=False, default_flow_style=False, width=100)
    assert yaml_text(value) == expected
    assert yaml_text(value) == expected  # the memoised answer is the same


def test_yaml_text_keeps_distinct_scalars_apart() -> None:
    assert yaml_text({"a": 1}) != yaml_text({"a": "1"})
    assert yaml_text({"a": True}) != yaml_text({"a": 1})


def test_a_first_render_arrives_whole_with_the_modes_mkdir_gives(tmp_path: Path) -> None:
    # Into a directory that does not exist yet, the staging directory becomes OUT in one
    # rename: OUT and every stack directory must still look as if mkdir had made them.
    customers = _registry(tmp_path, "initech")
    first = tmp_path / "first"
    code, _, stderr = _render_all(customers, first)
    assert code == 0, stderr
    again = tmp_path / "again"
    again.mkdir()  # exists: stacks are moved in one by one
    code, _, stderr = _render_all(customers, again)
    assert code == 0, stderr
    reference = tmp_path / "made-by-mkdir"
    reference.mkdir()
    assert first.stat().st_mode == reference.stat().st_mode  # not mkdtemp's 0o700
    for stack in ("tailnet", "initech-prod", "initech-dev"):
        assert (first / stack).stat().st_mode == (again / stack).stat().st_mode
        assert sorted(p.name for p in (first / stack).iterdir()) == sorted(
            p.name for p in (again / stack).iterdir()
        )
    assert not list(tmp_path.glob(".first.render-*")), "no staging directory is left"
