"""Recording `revoked: true` in a customer file: comments kept, validated, idempotent."""

from __future__ import annotations

from pathlib import Path

import pytest

from hfaccess.registry.loader import load_customer
from hfaccess.revoke.record import RecordError, mark_revoked, record_revocation
from tests.support.tailnet_seed import ACME_YAML, GLOBEX_YAML


def test_customer_level_flips_the_existing_flag_in_place(tmp_path: Path) -> None:
    path = tmp_path / "acme.yaml"
    path.write_text(ACME_YAML)
    recorded = record_revocation(path, None)
    assert recorded.changed
    assert path.read_text() == ACME_YAML.replace("revoked: false", "revoked: true")
    assert load_customer(path, "acme.yaml").revoked


def test_customer_level_appends_when_absent(tmp_path: Path) -> None:
    path = tmp_path / "globex.yaml"
    path.write_text(GLOBEX_YAML)
    record_revocation(path, None)
    assert path.read_text() == GLOBEX_YAML + "revoked: true\n"


def test_environment_level_keeps_comments(tmp_path: Path) -> None:
    path = tmp_path / "acme.yaml"
    path.write_text(ACME_YAML)
    record_revocation(path, "staging")
    text = path.read_text()
    assert "# acme: three environments (kept comment)" in text
    assert "# production" in text
    assert "    cluster_role: view\n    revoked: true\n" in text
    customer = load_customer(path, "acme.yaml")
    assert customer.environments["staging"].revoked
    assert customer.active("prod")
    assert not customer.revoked


def test_flow_and_null_environments() -> None:
    text = "name: x\nenvironments:\n  prod:\n  dev: {}  # note\n"
    assert mark_revoked(text, "prod", "x.yaml") == (
        "name: x\nenvironments:\n  prod:\n    revoked: true\n  dev: {}  # note\n"
    )
    edited = mark_revoked(text, "dev", "x.yaml")
    assert edited is not None
    assert "revoked: true" in edited
    assert "# note" in edited


def test_second_run_writes_nothing(tmp_path: Path) -> None:
    path = tmp_path / "acme.yaml"
    path.write_text(ACME_YAML)
    record_revocation(path, "prod")
    first = path.read_text()
    again = record_revocation(path, "prod")
    assert not again.changed
    assert path.read_text() == first


@pytest.mark.parametrize(
    ("text", "env", "needle"),
    [
        ("name: [\n", None, "not valid YAML"),
        ("- a\n", None, "not a customer document"),
        (ACME_YAML, "qa", "environments.qa: no such environment"),
        ("name: x\nenvironments:\n  prod: 3\n", "prod", "environments.prod: not a mapping"),
    ],
)
def test_refusals(tmp_path: Path, text: str, env: str | None, needle: str) -> None:
    path = tmp_path / "x.yaml"
    path.write_text(text)
    with pytest.raises(RecordError) as caught:
        record_revocation(path, env)
    assert needle in str(caught.value)
    assert path.read_text() == text


def test_result_must_stay_valid(tmp_path: Path) -> None:
    path = tmp_path / "x.yaml"
    text = "name: x\nenvironments:\n  prod: {}\nbogus: 1\n"
    path.write_text(text)
    with pytest.raises(RecordError) as caught:
        record_revocation(path, None)
    assert "would not stay valid" in str(caught.value)
    assert path.read_text() == text


def test_unreadable_file(tmp_path: Path) -> None:
    with pytest.raises(RecordError) as caught:
        record_revocation(tmp_path / "missing.yaml", None)
    assert "cannot read" in str(caught.value)
