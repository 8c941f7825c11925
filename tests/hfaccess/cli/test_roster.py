"""`hfaccess sre list|add|remove`, including `remove --live` against the fake API."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.support.cli import clear_tailscale_env, run_cli, serve_fake_api
from tests.support.fake_tailscale import FakeTailscale, Fault
from tests.support.files import REPO
from tests.support.tailnet_seed import SRE, seeded_state


@pytest.fixture(autouse=True)
def customers(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of the sample customers, as `customers/` of the working directory: `sre remove`
    edits the break_glass lists there, never the repository's own files."""
    copy = tmp_path / "customers"
    shutil.copytree(REPO / "customers", copy)
    monkeypatch.chdir(tmp_path)
    return copy


@pytest.fixture
def highflame(tmp_path: Path) -> Path:
    path = tmp_path / "highflame.yaml"
    path.write_text((REPO / "tailnet/highflame.yaml").read_text())
    return path


@pytest.fixture
def fake(monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeTailscale]:
    with serve_fake_api(monkeypatch, seeded_state()) as server:
        yield server


def test_list(highflame: Path) -> None:
    result = run_cli("sre", "list", "--highflame", str(highflame))
    assert result.exit_code == 0
    assert result.stdout == "alice@highflame.ai\nbob@highflame.ai\n"


def test_add_then_remove(highflame: Path) -> None:
    original = highflame.read_text()
    added = run_cli("sre", "add", "Carol@Highflame.AI", "--highflame", str(highflame))
    assert added.exit_code == 0, added.stderr
    assert "added carol@highflame.ai" in added.stdout
    assert "    - bob@highflame.ai\n    - carol@highflame.ai\n" in highflame.read_text()
    again = run_cli("sre", "add", "carol@highflame.ai", "--highflame", str(highflame))
    assert again.exit_code == 0
    assert "already an SRE member" in again.stdout
    removed = run_cli("sre", "remove", "carol@highflame.ai", "--highflame", str(highflame))
    assert removed.exit_code == 0, removed.stderr
    assert "pulumi up -s tailnet" in removed.stdout
    assert highflame.read_text() == original


def test_remove_non_member_exits_1(highflame: Path) -> None:
    original = highflame.read_text()
    result = run_cli("sre", "remove", "mallory@highflame.ai", "--highflame", str(highflame))
    assert result.exit_code == 1
    assert "mallory@highflame.ai is not an SRE member" in result.stderr
    assert "(members: alice@highflame.ai, bob@highflame.ai)" in result.stderr
    assert highflame.read_text() == original


def test_invalid_email_exits_1(highflame: Path) -> None:
    result = run_cli("sre", "add", "bob at highflame", "--highflame", str(highflame))
    assert result.exit_code == 1
    assert "not an email address" in result.stderr


def test_missing_file_exits_1(tmp_path: Path) -> None:
    result = run_cli("sre", "list", "--highflame", str(tmp_path / "nope.yaml"))
    assert result.exit_code == 1
    assert "cannot read" in result.stderr


def test_remove_live_takes_them_out_of_the_group_now(highflame: Path, fake: FakeTailscale) -> None:
    result = run_cli("sre", "remove", "alice@highflame.ai", "--live", "--highflame", str(highflame))
    assert result.exit_code == 0, result.stderr
    policy = fake.state.policy
    assert policy["groups"][SRE] == ["bob@highflame.ai"]
    # alice's accept tests would now fail: they are dropped, the rest is untouched.
    assert all(t["src"] != "alice@highflame.ai" for t in policy["tests"])
    assert len(policy["tests"]) == 3
    assert "alice@highflame.ai removed from group:highflame-sre" in result.stdout
    assert "alice" not in highflame.read_text()


def test_remove_live_failure_still_edits_the_file_and_exits_1(
    highflame: Path, fake: FakeTailscale
) -> None:
    fake.add_fault(Fault(path=".*/acl", method="POST", status=500, times=-1))
    result = run_cli("sre", "remove", "bob@highflame.ai", "--live", "--highflame", str(highflame))
    assert result.exit_code == 1
    assert "live policy NOT changed: POST /api/v2/tailnet/-/acl: HTTP 500" in result.stderr
    assert "bob" not in highflame.read_text()
    assert "bob@highflame.ai" in fake.state.policy["groups"][SRE]


def test_remove_live_without_credentials_exits_2(
    highflame: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    clear_tailscale_env(monkeypatch)
    original = highflame.read_text()
    result = run_cli("sre", "remove", "bob@highflame.ai", "--live", "--highflame", str(highflame))
    assert result.exit_code == 2
    assert "no Tailscale API credentials" in result.stderr
    assert highflame.read_text() == original


def test_remove_drops_the_engineer_from_break_glass_in_the_same_change(
    highflame: Path, customers: Path
) -> None:
    """Break-glass engineers must be SRE members: removing alice also removes her from acme
    prod's break_glass (its only engineer, so the block goes), and the registry stays valid."""
    acme = customers / "acme.yaml"
    assert "alice@highflame.ai" in acme.read_text()
    result = run_cli("sre", "remove", "alice@highflame.ai", "--highflame", str(highflame))
    assert result.exit_code == 0, result.stderr
    shown = " ".join(result.stdout.split())
    assert "removed alice@highflame.ai from break_glass engineers in customers/acme.yaml" in shown
    assert "alice" not in acme.read_text()
    assert "break_glass" not in acme.read_text()
    validated = run_cli("validate", "--customers", str(customers), "--highflame", str(highflame))
    assert validated.exit_code == 0, validated.stderr + validated.stdout


def test_remove_keeps_other_break_glass_engineers(highflame: Path, customers: Path) -> None:
    acme = customers / "acme.yaml"
    text = acme.read_text()
    assert "engineers: [alice@highflame.ai]" in text
    acme.write_text(
        text.replace(
            "engineers: [alice@highflame.ai]", "engineers: [alice@highflame.ai, bob@highflame.ai]"
        )
    )
    result = run_cli("sre", "remove", "bob@highflame.ai", "--highflame", str(highflame))
    assert result.exit_code == 0, result.stderr
    after = acme.read_text()
    assert "bob" not in after
    assert "alice@highflame.ai" in after
    assert "break_glass" in after
