"""Highflame's side of the tailnet: SRE logins and operator tag owners are validated."""

from __future__ import annotations

from pathlib import Path

import pytest

from hfaccess.registry.errors import InvalidInput
from hfaccess.registry.highflame import load_highflame, tailnet_login
from tests.support.files import REPO


def test_sample_loads_sorted_lowercase() -> None:
    config = load_highflame(REPO / "tailnet" / "highflame.yaml")
    assert config.sre.members == sorted(config.sre.members)
    assert config.sre_group == "group:highflame-sre"


@pytest.mark.parametrize(
    ("raw", "login"),
    [("Alice@Highflame.ai", "alice@highflame.ai"), ("alice@github", "alice@github")],
)
def test_tailnet_logins_include_non_email_domains(raw: str, login: str) -> None:
    assert tailnet_login(raw) == login


@pytest.mark.parametrize("raw", ["alice", "a@b@c", "@highflame.ai", "alice@", "al ice@x.io"])
def test_malformed_login_is_refused(raw: str) -> None:
    with pytest.raises(ValueError, match="not an email address"):
        tailnet_login(raw)


def test_errors_name_file_and_field(tmp_path: Path) -> None:
    path = tmp_path / "highflame.yaml"
    path.write_text(
        "sre:\n  members: [bob@x.io, BOB@x.io, nope]\noperator_tag_owners: ['tag:k8s-acme']\n"
    )
    with pytest.raises(InvalidInput) as caught:
        load_highflame(path)
    lines = [str(e) for e in caught.value.errors]
    assert any(
        line.startswith(f"{path.as_posix()}: sre.members[2]: not an email address")
        for line in lines
    ), lines
    assert any("operator_tag_owners: " in line and "customers' tag space" in line for line in lines)
