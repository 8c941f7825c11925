"""Strict input: types without coercion, Kubernetes names, issuers, reserved names, and a
registry directory where every entry is a customer file or an error."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest

from tests.support.cli import run_cli
from tests.support.files import REPO, customer, write_customer


def _validate(directory: Path) -> tuple[int, list[str], str]:
    result = run_cli("validate", "--customers", str(directory), "--highflame", _HIGHFLAME)
    assert "Traceback" not in result.stdout + result.stderr
    return result.exit_code, result.stderr.splitlines(), result.stdout


_HIGHFLAME = str(REPO / "tailnet" / "highflame.yaml")


def _exposure(**fields: Any) -> dict[str, Any]:
    body = {"namespace": "web", "service": "studio", "port": 80, **fields}
    return customer("acme", environments={"prod": {"exposures": {"studio": body}}})


def _customer_text(tmp_path: Path, text: str) -> list[str]:
    write_customer(tmp_path, "acme", text)
    code, lines, _ = _validate(tmp_path)
    assert code == 1
    return lines


@pytest.mark.parametrize("port", ["true", '" 80 "', "80.0", "1e3", "8_0", '"80"', "false"])
def test_ports_are_integers_only(tmp_path: Path, port: str) -> None:
    text = (
        "name: acme\nenvironments:\n  prod:\n    exposures:\n      studio:\n"
        f"        namespace: web\n        service: studio\n        port: {port}\n"
    )
    lines = _customer_text(tmp_path, text)
    prefix = f"{tmp_path.as_posix()}/acme.yaml: environments.prod.exposures.studio.port: "
    assert any(line.startswith(prefix) for line in lines), lines


@pytest.mark.parametrize("value", ["yes", '"on"', "1", "y", "off", '"true"', "0"])
def test_revoked_is_a_boolean_only(tmp_path: Path, value: str) -> None:
    lines = _customer_text(tmp_path, f"name: acme\nenvironments:\n  prod: {{}}\nrevoked: {value}\n")
    assert any(line.startswith(f"{tmp_path.as_posix()}/acme.yaml: revoked: ") for line in lines)
    text = f"name: acme\nenvironments:\n  prod:\n    revoked: {value}\n"
    lines = _customer_text(tmp_path, text)
    assert any(": environments.prod.revoked: " in line for line in lines), lines


@pytest.mark.parametrize(
    ("fields", "field", "reason"),
    [
        ({"namespace": "default", "service": "kubernetes"}, "studio", "raw API server"),
        ({"namespace": "tailscale", "service": "studio"}, "studio", "operator's own"),
        ({"service": "1studio"}, "studio.service", "RFC 1035"),
        ({"service": "Studio"}, "studio.service", "RFC 1035"),
        ({"service": "stu.dio"}, "studio.service", "RFC 1035"),
        ({"namespace": "Web"}, "studio.namespace", "RFC 1123"),
        ({"namespace": "-web"}, "studio.namespace", "RFC 1123"),
    ],
)
def test_kubernetes_names_and_forbidden_services(
    tmp_path: Path, fields: dict[str, Any], field: str, reason: str
) -> None:
    write_customer(tmp_path, "acme", _exposure(**fields))
    code, lines, _ = _validate(tmp_path)
    assert code == 1
    where = f"{tmp_path.as_posix()}/acme.yaml: environments.prod.exposures.{field}: "
    assert any(line.startswith(where) and reason in line for line in lines), lines


@pytest.mark.parametrize(
    "issuer",
    [
        "https://oidc.example.com/id/1\nmalicious",
        'https://oidc.example.com/id/"1',
        "https://oidc.example.com/id/'1",
        "https://oidc.example.com/../id",
        "https://user:pw@oidc.example.com/id",
        "https://oidc.example.com/id?x=1",
        "https://oidc.example.com/id#frag",
        "https://oidc.example.com/id 1",
        "https://127.0.0.1/id",
        "https://localhost/id",
        "https://10.0.0.5/id",
        "https://[::1]/id",
        "https://169.254.169.254/latest",
        "https://kube.internal/id",
        "http://oidc.example.com/id",
        "https:///id",
        "https://oidc/id",
    ],
)
def test_oidc_issuers_are_public_https_urls_only(tmp_path: Path, issuer: str) -> None:
    env = {"credentials": "federated", "oidc_issuer": issuer}
    write_customer(tmp_path, "acme", customer("acme", environments={"prod": env}))
    code, lines, _ = _validate(tmp_path)
    assert code == 1
    assert any(": environments.prod.oidc_issuer: " in line for line in lines), lines


def test_a_public_issuer_is_accepted(tmp_path: Path) -> None:
    issuer = "https://oidc.eks.us-east-1.amazonaws.com/id/0A1B2C3D4E5F"
    env = {"credentials": "federated", "oidc_issuer": issuer}
    write_customer(tmp_path, "acme", customer("acme", environments={"prod": env}))
    code, _, out = _validate(tmp_path)
    assert code == 0, out


@pytest.mark.parametrize("name", ["operator", "operator-acme", "recorder"])
def test_reserved_customer_names(tmp_path: Path, name: str) -> None:
    write_customer(tmp_path, name, customer(name))
    code, lines, _ = _validate(tmp_path)
    assert code == 1
    assert any(
        line.startswith(f"{tmp_path.as_posix()}/{name}.yaml: name: ") and "reserved" in line
        for line in lines
    ), lines


@pytest.mark.parametrize(
    ("entry", "reason"),
    [
        ("x.yaml/", "a directory"),
        ("acme.YAML", "end exactly in '.yaml'"),
        ("acme.yaml ", "end exactly in '.yaml'"),
        ("globex.yml", ".yaml, not .yml"),
        ("README.md", "not a customer file"),
    ],
)
def test_no_entry_is_skipped_silently(tmp_path: Path, entry: str, reason: str) -> None:
    write_customer(tmp_path, "acme", customer("acme"))
    path = tmp_path / entry.rstrip("/")
    if entry.endswith("/"):
        path.mkdir()
    else:
        path.write_text("name: globex\nenvironments: {prod: {}}\n")
    code, lines, out = _validate(tmp_path)
    assert code == 1, out
    assert lines == [f"{path.as_posix()}: (document): " + lines[0].split(": ", 2)[2]]
    assert reason in lines[0]


def test_a_fifo_is_refused_without_hanging(tmp_path: Path) -> None:
    write_customer(tmp_path, "acme", customer("acme"))
    os.mkfifo(tmp_path / "globex.yaml")
    code, lines, _ = _validate(tmp_path)
    assert code == 1
    assert lines == [
        f"{tmp_path.as_posix()}/globex.yaml: (document): not a regular file "
        "(a FIFO, socket or device is never read)"
    ]


def test_a_symlink_to_a_device_is_refused_without_traceback(tmp_path: Path) -> None:
    (tmp_path / "globex.yaml").symlink_to("/dev/zero")
    code, lines, _ = _validate(tmp_path)
    assert code == 1
    assert lines[0].startswith(f"{tmp_path.as_posix()}/globex.yaml: (document): not a regular")


def test_a_symlink_to_a_regular_file_is_read(tmp_path: Path) -> None:
    real = tmp_path.parent / f"{tmp_path.name}-acme.yaml"
    real.write_text("name: acme\nenvironments: {prod: {}}\n")
    registry = tmp_path / "customers"
    registry.mkdir()
    (registry / "acme.yaml").symlink_to(real)
    code, _, out = _validate(registry)
    assert code == 0
    assert out.startswith("ok: 1 customers")


def test_an_oversized_file_is_refused(tmp_path: Path) -> None:
    write_customer(tmp_path, "acme", "name: acme\nenvironments: {prod: {}}\n" + "#" * 2_000_000)
    code, lines, _ = _validate(tmp_path)
    assert code == 1
    assert "larger than" in lines[0]


def test_dotfiles_are_ignored_and_said_so(tmp_path: Path) -> None:
    write_customer(tmp_path, "acme", customer("acme"))
    (tmp_path / ".acme.yaml.swp").write_bytes(b"\x00")
    code, lines, out = _validate(tmp_path)
    assert code == 0
    assert lines == [f"note: {tmp_path.as_posix()}/.acme.yaml.swp: ignored (a dotfile)"]
    assert out.startswith("ok: 1 customers")
