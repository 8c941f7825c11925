"""An environment stack answers for its own customer, not for the whole registry.

It refuses what `validate` refuses in its customer's file, in any file that could claim one of
its customer's derived names, in Highflame's file and in its customer's install plans; it does
not refuse another customer's unrelated mistake (the `tailnet` stack, which runs the whole
gate, does).
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pulumi
import pytest

from hfaccess.registry.errors import InvalidInput
from hfaccess.registry.scoped import hyphen_runs, load_stack_registry
from hfaccess.registry.workspace import load_model, load_stack_model
from tests.support.cli import run_cli
from tests.support.files import REPO
from tests.support.pulumi_mocks import run_stack


@pytest.fixture
def root(tmp_path: Path) -> Path:
    for name in ("Pulumi.yaml", "Pulumi.tailnet.yaml", "Pulumi.acme-prod.yaml"):
        shutil.copy(REPO / name, tmp_path / name)
    shutil.copytree(REPO / "customers", tmp_path / "customers")
    shutil.copytree(REPO / "tailnet", tmp_path / "tailnet")
    return tmp_path


def validate(root: Path) -> tuple[int, str]:
    result = run_cli(
        "validate",
        "--customers",
        str(root / "customers"),
        "--highflame",
        str(root / "tailnet" / "highflame.yaml"),
    )
    return result.exit_code, result.stderr


def refusal(root: Path, stack: str) -> str:
    with pytest.raises(pulumi.RunError, match="nothing was declared") as caught:
        run_stack(stack, root=root)
    return str(caught.value)


def test_hyphen_runs_cover_every_name_that_could_claim_a_derived_one() -> None:
    assert hyphen_runs("tag:k8s-operator-acme") == {
        "k8s",
        "operator",
        "acme",
        "k8s-operator",
        "operator-acme",
        "k8s-operator-acme",
    }


def test_reads_only_the_customer_and_its_possible_colliders(root: Path) -> None:
    (root / "customers" / "zeta.yaml").write_text("name: zeta\nenvironments: {prod: {}}\n")
    registry = load_stack_registry(root / "customers", "acme-prod")
    assert registry is not None
    assert [c.name for c in registry.customers] == ["acme"]
    assert load_stack_registry(root / "customers", "nobody-prod") is None


def test_another_customers_unrelated_mistake_is_the_tailnet_stacks(root: Path) -> None:
    (root / "customers" / "zeta.yaml").write_text("name: zeta\nenvironments: {prod: {bogus: 1}}\n")
    code, stderr = validate(root)
    assert code == 1
    assert "zeta.yaml" in stderr
    run = run_stack("acme-prod", root=root)  # acme's own stack is not held hostage
    assert run.outputs["apiServerHost"] == "acme-prod-kube"
    assert "zeta.yaml" in refusal(root, "tailnet")


def test_a_name_claiming_the_customers_tag_is_refused_like_validate(root: Path) -> None:
    # operator-acme's proxy tag would be tag:k8s-operator-acme: acme's operator tag.
    (root / "customers" / "operator-acme.yaml").write_text(
        "name: operator-acme\nenvironments: {prod: {}}\n"
    )
    code, stderr = validate(root)
    assert code == 1
    message = refusal(root, "acme-prod")
    assert stderr.strip()
    for line in stderr.strip().splitlines():
        assert line.split(": ", 1)[1] in message


@pytest.mark.parametrize("stack", ["zz-prod", "zz-prod-east"])
def test_a_collision_across_customers_is_refused_by_both_stacks(tmp_path: Path, stack: str) -> None:
    customers = tmp_path / "customers"
    customers.mkdir()
    (customers / "zz.yaml").write_text(
        "name: zz\nenvironments:\n  prod:\n    install: handoff\n    exposures:\n"
        "      east-kube: {namespace: monitoring, service: grafana, port: 3000}\n"
    )
    (customers / "zz-prod.yaml").write_text("name: zz-prod\nenvironments: {east: {}}\n")
    (customers / "other.yaml").write_text("name: other\nenvironments: {prod: {}}\n")
    highflame = REPO / "tailnet" / "highflame.yaml"
    with pytest.raises(InvalidInput) as whole:
        load_model(customers, highflame)
    with pytest.raises(InvalidInput) as scoped:
        load_stack_model(customers, highflame, stack)
    assert scoped.value.errors == whole.value.errors  # zz-prod-east-kube, claimed twice
    assert load_stack_model(customers, highflame, "other-prod") is not None


def test_an_unreadable_possible_collider_is_refused(root: Path) -> None:
    (root / "customers" / "operator-acme.yaml").write_text("name: [not, a, name]\n")
    assert "operator-acme.yaml" in refusal(root, "acme-prod")


def test_the_customers_own_mistake_is_refused(root: Path) -> None:
    path = root / "customers" / "acme.yaml"
    path.write_text(path.read_text().replace("cluster_role: view", "cluster_role: god"))
    code, stderr = validate(root)
    assert code == 1
    message = refusal(root, "acme-prod")
    for line in stderr.splitlines():
        if "acme.yaml" in line:
            assert line.split(": ", 1)[1] in message


def test_highflames_file_is_still_checked(root: Path) -> None:
    path = root / "tailnet" / "highflame.yaml"
    path.write_text(path.read_text() + "\nnot_a_field: 1\n")
    assert "highflame.yaml" in refusal(root, "acme-prod")
