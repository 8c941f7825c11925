"""Input YAML: YAML 1.2 core scalars, duplicate keys refused, one clear error for anything else."""

from __future__ import annotations

from pathlib import Path

import pytest

from hfaccess.registry.loader import load_registry
from hfaccess.registry.yamlio import YamlReadError, load_yaml_bytes
from tests.support.files import write_customer


def test_scalars_follow_yaml_1_2_core_schema() -> None:
    doc = load_yaml_bytes(
        b"a: no\nb: on\nc: 010\nd: 0o10\ne: 0x1f\nf: 1.5\ng: 2024-01-01\nh: true\ni: ~\nj: -3\nk: 1:30\n"
    )
    assert doc == {
        "a": "no",
        "b": "on",
        "c": 10,
        "d": 8,
        "e": 31,
        "f": 1.5,
        "g": "2024-01-01",
        "h": True,
        "i": None,
        "j": -3,
        "k": "1:30",
    }


def test_yaml_1_1_boolean_words_are_valid_names(tmp_path: Path) -> None:
    # Under YAML 1.1 `on:` would be the boolean True and the environment would be refused.
    write_customer(tmp_path, "acme", "name: acme\nenvironments:\n  on: {}\n  no: {}\n")
    assert sorted(load_registry(tmp_path).customer("acme").environments) == ["no", "on"]


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        (b"a: 1\na: 2\n", "not valid YAML: found duplicate key 'a' at line 2, column 1"),
        (b"a:\n  b: 1\n  b: 1\n", "found duplicate key 'b'"),
        (b"a: [1\n", "not valid YAML: "),
        (b"a: *nowhere\n", "not valid YAML: found undefined alias"),
        (b"--- a\n--- b\n", "expected one YAML document, found 2"),
        (b"\xef\xbb\xbf", "the file is empty"),
    ],
)
def test_bad_documents_raise_one_clear_error(raw: bytes, message: str) -> None:
    with pytest.raises(YamlReadError, match=message.replace("[", r"\[")):
        load_yaml_bytes(raw)


def test_merge_keys_are_not_duplicates() -> None:
    doc = load_yaml_bytes(b"base: &b {x: 1}\nother:\n  <<: *b\n  y: 2\n")
    assert doc["other"] == {"x": 1, "y": 2}
