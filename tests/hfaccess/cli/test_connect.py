"""`hfaccess connect`: printed steps, `--run` against a fake tailscale/kubectl, refusals."""

from __future__ import annotations

import json
import subprocess
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pytest

from hfaccess.cli.hooks import hooks
from tests.support.cli import run_cli
from tests.support.tailnet_seed import write_registry

FQDN = "acme-prod-kube.tail1234.ts.net"


def peer(
    dns: str, tags: list[str] | None, *, online: bool = True, host: str = ""
) -> dict[str, Any]:
    return {
        "HostName": host or dns.split(".", maxsplit=1)[0],
        "DNSName": f"{dns}.",
        "Online": online,
        **({"Tags": tags} if tags is not None else {}),
    }


GENUINE = peer(FQDN, ["tag:cust-acme"])


class FakeKubeconfig:
    """Emulates `tailscale configure kubeconfig` and the kubectl config verbs it needs."""

    def __init__(
        self,
        contexts: list[str],
        missing: str | None = None,
        peers: list[dict[str, Any]] | None = None,
    ) -> None:
        self.peers = [GENUINE] if peers is None else peers
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
            case ["tailscale", "status", "--json"]:
                peers = {f"nodekey:{i}": p for i, p in enumerate(self.peers)}
                stdout = json.dumps({"BackendState": "Running", "Peer": peers})
            case ["tailscale", "configure", "kubeconfig", host]:
                # Like tailscale: the first peer whose MagicDNS name (or its first label) is host.
                names = [p["DNSName"].rstrip(".") for p in self.peers]
                match = [n for n in names if host in (n, n.split(".")[0])]
                if not match:
                    return subprocess.CompletedProcess(args, 1, "", f'no peer found for "{host}"')
                if match[0] not in self.contexts:
                    self.contexts.append(match[0])
                self.current = match[0]
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
        "(",
        "  set -eu",
        "  # trust the device only if it is online and tagged exactly tag:cust-acme",
        f'  fqdn="$(hfaccess connect acme prod --verify-only --customers {registry.as_posix()})"',
        '  tailscale configure kubeconfig "$fqdn"',
        '  test "$(kubectl config current-context)" = "$fqdn"',
        "  kubectl config delete-context acme-prod >/dev/null 2>&1 || true",
        '  kubectl config rename-context "$fqdn" acme-prod',
        "  # the first request through a new proxy can be slow: it is getting its TLS certificate",
        "  kubectl --context acme-prod get namespaces",
        ")",
    ]


def test_printed_steps_stop_at_the_first_failure(
    registry: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """Run the printed snippet in a real shell with stub commands: a failed check configures
    and renames nothing (today's main renames whatever context is current)."""
    script = run_cli("connect", "acme", "prod", "--customers", str(registry)).stdout
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    log = tmp_path / "log"
    for name, body in {
        "hfaccess": 'echo "connect: not tagged exactly tag:cust-acme" >&2; exit 1',
        "tailscale": f'echo "tailscale $*" >> {log}',
        "kubectl": f'echo "kubectl $*" >> {log}; echo kind-local',
    }.items():
        path = bin_dir / name
        path.write_text(f"#!/bin/sh\n{body}\n")
        path.chmod(0o755)
    done = subprocess.run(
        ["sh", "-c", script + "\necho after"],
        env={"PATH": f"{bin_dir}:/usr/bin:/bin"},
        capture_output=True,
        text=True,
        check=False,
    )
    assert not log.exists()
    assert "not tagged exactly" in done.stderr
    assert done.stdout.strip() == "after"  # the subshell stopped, the SRE's shell did not


def test_verify_only_prints_the_checked_name(
    registry: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    fake = FakeKubeconfig([])
    monkeypatch.setattr(hooks, "runner", fake)
    result = run_cli("connect", "acme", "prod", "--verify-only", "--customers", str(registry))
    assert result.exit_code == 0, result.stderr
    assert result.stdout == f"{FQDN}\n"
    assert fake.calls == [["tailscale", "status", "--json"]]


@pytest.mark.parametrize(
    ("peers", "needle"),
    [
        # globex's cluster claims the name with a Service annotation: its proxy's tag is globex's
        ([peer(FQDN, ["tag:k8s-globex"])], "carries tag:k8s-globex, not exactly tag:cust-acme"),
        ([peer(FQDN, None)], "carries no tags, not exactly tag:cust-acme"),
        ([peer(FQDN, ["tag:cust-acme", "tag:ops"])], "carries tag:cust-acme, tag:ops"),
        ([peer(FQDN, ["tag:k8s-acme"])], "carries tag:k8s-acme, not exactly tag:cust-acme"),
        ([peer(FQDN, ["tag:cust-acme"], online=False)], "is offline"),
        ([peer("acme-prod-kube-1.tail1234.ts.net", ["tag:cust-acme"])], "no device named"),
        ([], "no device named acme-prod-kube"),
    ],
)
def test_run_refuses_a_device_that_is_not_the_customers_operator(
    registry: Path, monkeypatch: pytest.MonkeyPatch, peers: list[dict[str, Any]], needle: str
) -> None:
    fake = FakeKubeconfig(["kind-local"], peers=peers)
    monkeypatch.setattr(hooks, "runner", fake)
    result = run_cli("connect", "acme", "prod", "--run", "--customers", str(registry))
    assert result.exit_code == 1
    assert needle in result.stderr
    assert "nothing configured" in result.stderr
    # Nothing but the status read ran: no kubeconfig written, no kubectl.
    assert fake.calls == [["tailscale", "status", "--json"]]
    assert fake.contexts == ["kind-local"]


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
    assert "no device named acme-staging-kube" in result.stderr
    assert len(fake.calls) == 1


def test_run_refuses_to_rename_a_foreign_context(
    registry: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    fake = FakeKubeconfig(["kind-local"])

    def configure_does_nothing(argv: Sequence[str]) -> subprocess.CompletedProcess[str]:
        if list(argv[:2]) == ["tailscale", "configure"]:
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
