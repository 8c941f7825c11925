"""`hfaccess connect`: printed steps, `--run` against a fake tailscale/kubectl, refusals."""

from __future__ import annotations

import subprocess
from collections.abc import Sequence
from pathlib import Path

import pytest

from hfaccess.cli.hooks import hooks
from tests.support.cli import run_cli
from tests.support.tailnet_seed import write_registry

FQDN = "acme-prod-kube.tail1234.ts.net"


class FakeKubeconfig:
    """Emulates `tailscale configure kubeconfig` and the kubectl config verbs it needs."""

    def __init__(self, contexts: list[str], missing: str | None = None) -> None:
        self.contexts = list(contexts)
        self.current = contexts[0] if contexts else ""
        self.calls: list[list[str]] = []
        self.missing = missing

    def __call__(self, argv: Sequence[str]) -> subprocess.CompletedProcess[str]:
        args = list(argv)
        self.calls.append(args)
        if args[0] == self.missing:
            raise FileNotFoundError(args[0])
        stdout, code = "", 0
        match args:
            case ["tailscale", "configure", "kubeconfig", host]:
                if host != "acme-prod-kube":
                    return subprocess.CompletedProcess(
                        args, 1, "", f'no peer found with hostname "{host}"'
                    )
                if FQDN not in self.contexts:
                    self.contexts.append(FQDN)
                self.current = FQDN
            case ["kubectl", "config", "current-context"]:
                stdout = self.current
            case ["kubectl", "config", "get-contexts", "-o", "name"]:
                stdout = "\n".join(self.contexts)
            case ["kubectl", "config", "delete-context", name]:
                self.contexts.remove(name)
            case ["kubectl", "config", "rename-context", old, new]:
                self.contexts[self.contexts.index(old)] = new
                if self.current == old:
                    self.current = new
            case _:
                code = 2
        return subprocess.CompletedProcess(args, code, stdout + "\n", "")


@pytest.fixture
def registry(tmp_path: Path) -> Path:
    return write_registry(tmp_path / "customers")


def test_prints_the_steps(registry: Path) -> None:
    result = run_cli("connect", "acme", "prod", "--customers", str(registry))
    assert result.exit_code == 0, result.stderr
    assert result.stdout.splitlines()[1:] == [
        "tailscale configure kubeconfig acme-prod-kube",
        "kubectl config delete-context acme-prod >/dev/null 2>&1 || true",
        'kubectl config rename-context "$(kubectl config current-context)" acme-prod',
        "# the first request through a new proxy can be slow: it is getting its TLS certificate",
        "kubectl --context acme-prod get namespaces",
    ]


def test_run_renames_the_fqdn_context(registry: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    fake = FakeKubeconfig(["kind-local"])
    monkeypatch.setattr(hooks, "runner", fake)
    result = run_cli("connect", "acme", "prod", "--run", "--customers", str(registry))
    assert result.exit_code == 0, result.stderr
    assert fake.contexts == ["kind-local", "acme-prod"]
    assert fake.current == "acme-prod"
    assert "ready: kubectl --context acme-prod" in result.stdout


def test_run_replaces_an_older_context(registry: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    fake = FakeKubeconfig(["acme-prod", "kind-local"])
    monkeypatch.setattr(hooks, "runner", fake)
    result = run_cli("connect", "acme", "prod", "--run", "--customers", str(registry))
    assert result.exit_code == 0, result.stderr
    assert sorted(fake.contexts) == ["acme-prod", "kind-local"]
    assert ["kubectl", "config", "delete-context", "acme-prod"] in fake.calls


def test_run_without_tailscale_cli(registry: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(hooks, "runner", FakeKubeconfig([], missing="tailscale"))
    result = run_cli("connect", "acme", "prod", "--run", "--customers", str(registry))
    assert result.exit_code == 1
    assert "tailscale not found on PATH" in result.stderr


def test_run_when_the_peer_is_unknown(registry: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    fake = FakeKubeconfig([])
    monkeypatch.setattr(hooks, "runner", fake)
    result = run_cli("connect", "acme", "staging", "--run", "--customers", str(registry))
    assert result.exit_code == 1
    assert 'no peer found with hostname "acme-staging-kube"' in result.stderr
    assert len(fake.calls) == 1


def test_run_refuses_to_rename_a_foreign_context(
    registry: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    fake = FakeKubeconfig(["kind-local"])

    def configure_does_nothing(argv: Sequence[str]) -> subprocess.CompletedProcess[str]:
        if argv[0] == "tailscale":
            return subprocess.CompletedProcess(list(argv), 0, "", "")
        return fake(argv)

    monkeypatch.setattr(hooks, "runner", configure_does_nothing)
    result = run_cli("connect", "acme", "prod", "--run", "--customers", str(registry))
    assert result.exit_code == 1
    assert "the current context is 'kind-local'" in result.stderr
    assert fake.contexts == ["kind-local"]


@pytest.mark.parametrize(
    ("args", "edit", "needle"),
    [
        (("initech", "prod"), None, "unknown customer 'initech' (known: acme, acme-prod, globex)"),
        (("acme", "qa"), None, "acme has no environment 'qa' (known: dev, prod, staging)"),
        (("acme", "prod"), ("revoked: false", "revoked: true"), "acme is revoked"),
        (("acme", "prod"), ("  prod: {}", "  prod: {revoked: true}"), "acme-prod is revoked"),
    ],
)
def test_refusals(
    registry: Path,
    monkeypatch: pytest.MonkeyPatch,
    args: tuple[str, str],
    edit: tuple[str, str] | None,
    needle: str,
) -> None:
    if edit:
        path = registry / "acme.yaml"
        path.write_text(path.read_text().replace(*edit))
    fake = FakeKubeconfig([])
    monkeypatch.setattr(hooks, "runner", fake)
    result = run_cli("connect", *args, "--run", "--customers", str(registry))
    assert result.exit_code == 1
    assert needle in result.stderr
    assert fake.calls == []
