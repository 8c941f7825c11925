"""`render --all` is the same whatever its speed-ups: forked workers, split YAML emission and
per-run caches change how the files are produced, never a byte of them."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import given, settings

from benchmarks.synthetic import write_registry
from hfaccess.install.documents import emit_whole, yaml_text
from hfaccess.registry.errors import InvalidInput
from hfaccess.registry.stacks import StackIndex, StackRef
from hfaccess.registry.workspace import AccessModel, load_model
from hfaccess.render import Gate, render_into
from tests.support.files import REPO
from tests.support.yaml_values import documents as yaml_documents

HIGHFLAME = REPO / "tailnet" / "highflame.yaml"


def _files(root: Path) -> dict[str, tuple[bytes, int]]:
    """Every file under `root`: content and permission bits."""
    found = {}
    for path in sorted(root.rglob("*")):
        if path.is_file():
            found[path.relative_to(root).as_posix()] = (path.read_bytes(), path.stat().st_mode)
    return found


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> tuple[AccessModel, list[StackRef]]:
    customers = write_registry(tmp_path_factory.mktemp("registry") / "customers", 50)
    model = load_model(customers, HIGHFLAME)
    index = StackIndex(model.registry)
    return model, [index.parse(name) for name in index.names()]


def test_a_parallel_render_equals_the_straightforward_one(
    generated: tuple[AccessModel, list[StackRef]], tmp_path: Path
) -> None:
    model, stacks = generated
    assert len(stacks) > 90  # about two stacks per customer, and the tailnet
    one = render_into(tmp_path / "one", stacks, model, nested=True, prune=True, workers=1)
    two = render_into(tmp_path / "two", stacks, model, nested=True, prune=True, workers=2)
    files = _files(tmp_path / "one")
    assert files == _files(tmp_path / "two")
    assert len(files) == len(one.files) == len(two.files) > 5 * len(stacks)
    assert one.warnings == two.warnings
    assert (one.stacks, one.changed) == (two.stacks, two.changed)
    assert not list(tmp_path.glob(".*.render-*")), "staging directories are removed"


def test_each_rendered_yaml_file_is_what_one_emitter_pass_writes(
    generated: tuple[AccessModel, list[StackRef]], tmp_path: Path
) -> None:
    """The split, cached emission against a plain libyaml pass over the parsed documents."""
    model, stacks = generated
    render_into(tmp_path / "out", stacks, model, nested=True, prune=True, workers=2)
    checked = 0
    emitted = ("helm-values.yaml", "rbac.yaml", "exposures.yaml", "hardening.yaml")
    for path in sorted(p for p in (tmp_path / "out").rglob("*.yaml") if p.name in emitted):
        text = path.read_text(encoding="utf-8")
        body = "".join(line for line in text.splitlines(keepends=True) if not line.startswith("#"))
        documents = list(yaml.safe_load_all(body))
        assert body == "---\n".join(emit_whole(doc) for doc in documents), path
        checked += 1
    assert checked > 3 * len(stacks) // 2


def _refused_without_writing(
    tmp_path: Path,
    stacks: list[StackRef],
    model: AccessModel,
    gate: Gate | None,
    expected: list[str],
) -> None:
    """`render --all` with two workers into tmp_path/out refuses with `expected`, and nothing
    is left behind: no output directory, no staging directory."""
    out = tmp_path / "out"
    with pytest.raises(InvalidInput) as caught:
        render_into(out, stacks, model, nested=True, prune=True, workers=2, gate=gate)
    assert [str(e) for e in caught.value.errors] == expected
    assert not out.exists()
    assert os.listdir(tmp_path) == [], "the workers' staging directory is removed"


def test_a_refusal_in_a_worker_writes_nothing(
    generated: tuple[AccessModel, list[StackRef]],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from hfaccess import render
    from hfaccess.registry.errors import InputError

    model, stacks = generated
    refused = stacks[-1].name
    original = render.render_stack

    def refusing(stack: StackRef, model: AccessModel) -> dict[str, str]:
        if stack.name == refused:
            raise InvalidInput([InputError(f"{refused}.yaml", "exposures", "conflict")])
        return original(stack, model)

    monkeypatch.setattr(render, "render_stack", refusing)  # inherited by the forked workers
    _refused_without_writing(
        tmp_path, stacks, model, None, [f"{refused}.yaml: exposures: conflict"]
    )


@settings(max_examples=300, deadline=None)
@given(yaml_documents)
def test_yaml_text_equals_one_emitter_pass(value: dict[str, Any]) -> None:
    assert yaml_text(value) == emit_whole(value)


def test_the_policy_is_checked_once_per_render(
    generated: tuple[AccessModel, list[StackRef]], monkeypatch: pytest.MonkeyPatch
) -> None:
    from hfaccess.policy import gate

    model, _ = generated
    calls: list[AccessModel] = []
    original = gate._checked_policy

    def counting(model: AccessModel) -> tuple[dict[str, Any], str]:
        calls.append(model)
        return original(model)

    monkeypatch.setattr(gate, "_checked_policy", counting)
    with gate.policy_checked_once():
        first = gate.checked_policy(model)
        assert gate.checked_policy(model) is first
    assert len(calls) == 1
    assert gate.checked_policy(model) == first  # outside the block: checked again
    assert len(calls) == 2


def test_a_gate_refusal_while_workers_render_writes_nothing(
    generated: tuple[AccessModel, list[StackRef]], tmp_path: Path
) -> None:
    from hfaccess.registry.errors import InputError

    model, stacks = generated
    gate_ran: list[bool] = []

    def refusing_gate() -> None:
        gate_ran.append(True)
        raise InvalidInput([InputError("customers/x.yaml", "name", "refused by the gate")])

    _refused_without_writing(
        tmp_path, stacks, model, refusing_gate, ["customers/x.yaml: name: refused by the gate"]
    )
    assert gate_ran == [True]


def test_with_workers_the_gate_checks_the_policy_once_for_the_whole_render(
    generated: tuple[AccessModel, list[StackRef]],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from hfaccess.gate import require_valid
    from hfaccess.policy import gate

    model, stacks = generated
    checks = tmp_path / "checks"  # appended by whichever process checks the policy
    original = gate._checked_policy

    def counting(model: AccessModel) -> tuple[dict[str, Any], str]:
        with open(checks, "a", encoding="utf-8") as handle:
            handle.write(f"{os.getpid()}\n")
        return original(model)

    monkeypatch.setattr(gate, "_checked_policy", counting)

    def whole_gate() -> None:
        require_valid(model)

    with gate.policy_checked_once():
        render_into(
            tmp_path / "out",
            stacks,
            model,
            nested=True,
            prune=True,
            workers=2,
            gate=whole_gate,
        )
    assert checks.read_text().split() == [str(os.getpid())]  # the gate's, reused by the tailnet
    assert (tmp_path / "out" / "tailnet" / "policy.json").is_file()
