"""`hfaccess report`: the site for the sample and a generated registry, and refusals."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.support.cli import run_cli
from tests.support.files import REPO, write_customer
from tests.support.report_registry import write_report_registry

HIGHFLAME = str(REPO / "tailnet" / "highflame.yaml")
REMOTE = re.compile(r"""(?:src|href)\s*=\s*["']?(?:https?:)?//""", re.IGNORECASE)


def test_sample_registry(tmp_path: Path) -> None:
    out = tmp_path / "site"
    result = run_cli(
        "report",
        "--out",
        str(out),
        "--customers",
        str(REPO / "customers"),
        "--highflame",
        HIGHFLAME,
    )
    assert result.exit_code == 0, result.stderr
    assert sorted(p.name for p in out.iterdir()) == ["acme.html", "globex.html", "index.html"]
    assert "wrote 3 pages" in result.stdout
    index = (out / "index.html").read_text(encoding="utf-8")
    assert 'href="acme.html"' in index
    assert "globex-prod-kube" in index
    acme = (out / "acme.html").read_text(encoding="utf-8")
    assert "<svg" in acme
    assert "acme-dev-kube" in acme
    for page in out.iterdir():
        text = page.read_text(encoding="utf-8")
        assert not REMOTE.search(text), page.name  # no CDN, no remote resource of any kind
        assert "<link" not in text


def test_generated_registry_same_bytes_twice(tmp_path: Path) -> None:
    customers = write_report_registry(tmp_path / "customers", 40)
    args = ["--customers", str(customers), "--highflame", HIGHFLAME]
    first, second = tmp_path / "one", tmp_path / "two"
    assert run_cli("report", "--out", str(first), *args).exit_code == 0
    assert run_cli("report", "--out", str(second), *args).exit_code == 0
    names = sorted(p.name for p in first.iterdir())
    assert len(names) == 41
    for name in names:
        assert (first / name).read_bytes() == (second / name).read_bytes(), name
    revoked = (first / "tenant006.html").read_text(encoding="utf-8")
    assert "REVOKED" in revoked
    assert "@highflame.ai</text>" not in revoked  # no engineer in the map
    admin = (first / "tenant003.html").read_text(encoding="utf-8")
    assert "<strong>cluster-admin</strong>" in admin


def test_invalid_registry_writes_nothing(tmp_path: Path) -> None:
    customers = tmp_path / "customers"
    write_customer(customers, "acme", {"name": "acme", "environments": {"prod": {"role": "x"}}})
    out = tmp_path / "site"
    result = run_cli(
        "report", "--out", str(out), "--customers", str(customers), "--highflame", HIGHFLAME
    )
    assert result.exit_code == 1
    assert "acme.yaml" in result.stderr
    assert "Traceback" not in result.stderr
    assert not out.exists()


def test_stale_pages_are_removed(tmp_path: Path) -> None:
    out = tmp_path / "site"
    out.mkdir()
    (out / "departed.html").write_text("old", encoding="utf-8")
    (out / "notes.txt").write_text("kept", encoding="utf-8")
    result = run_cli(
        "report",
        "--out",
        str(out),
        "--customers",
        str(REPO / "customers"),
        "--highflame",
        HIGHFLAME,
    )
    assert result.exit_code == 0
    assert not (out / "departed.html").exists()
    assert (out / "notes.txt").exists()


def test_out_that_is_a_file_exits_2_without_traceback(tmp_path: Path) -> None:
    out = tmp_path / "taken"
    out.write_text("a file", encoding="utf-8")
    result = run_cli(
        "report",
        "--out",
        str(out),
        "--customers",
        str(REPO / "customers"),
        "--highflame",
        HIGHFLAME,
    )
    assert result.exit_code == 2
    assert result.stderr.startswith(f"--out: cannot write {out.as_posix()}")
    assert "Traceback" not in result.stderr


def test_pdf_of_each_customer_page(tmp_path: Path) -> None:
    out = tmp_path / "site"
    args = ["--customers", str(REPO / "customers"), "--highflame", HIGHFLAME]
    result = run_cli("report", "--out", str(out), "--pdf", *args)
    assert result.exit_code == 0, result.stderr
    for customer in ("acme", "globex"):
        pdf = (out / f"{customer}.pdf").read_bytes()
        assert pdf.startswith(b"%PDF-")
        assert len(pdf) > 10_000
    assert f"wrote {(out / 'globex.pdf').as_posix()}" in result.stdout


def test_pdf_without_chromium_exits_2(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HFACCESS_CHROMIUM", str(tmp_path / "no-such-chromium"))
    out = tmp_path / "site"
    args = ["--customers", str(REPO / "customers"), "--highflame", HIGHFLAME]
    result = run_cli("report", "--out", str(out), "--pdf", *args)
    assert result.exit_code == 2
    assert "report --pdf: no Chromium at" in result.stderr
    assert (out / "index.html").exists()  # the site itself was written
