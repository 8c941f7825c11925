"""Policy files as Tailscale writes them: JSON or HuJSON."""

from __future__ import annotations

from pathlib import Path

import pytest

from hfaccess.policy.hujson import PolicyFileError, load_policy_file, loads


def test_comments_and_trailing_commas_are_accepted() -> None:
    text = """{
      // the SRE group
      "groups": {"group:x": ["a@b.c",],},  /* trailing */
      "s": "not // a comment, nor /* this */",
      "q": "an \\"escaped\\" quote, then a comma ,]",
    }"""
    assert loads(text) == {
        "groups": {"group:x": ["a@b.c"]},
        "s": "not // a comment, nor /* this */",
        "q": 'an "escaped" quote, then a comma ,]',
    }


@pytest.mark.parametrize(
    ("text", "where"),
    [('{\n  "a": 1\n  "b": 2\n}', "line 3"), ("/* open", "unterminated"), ("", "line 1")],
)
def test_invalid_text_names_the_place(text: str, where: str) -> None:
    with pytest.raises(PolicyFileError, match=where):
        loads(text)


def test_unreadable_file_is_a_policy_file_error(tmp_path: Path) -> None:
    with pytest.raises(PolicyFileError, match="cannot read"):
        load_policy_file(tmp_path / "missing.json")
    binary = tmp_path / "binary.json"
    binary.write_bytes(b"\xff\xfe")
    with pytest.raises(PolicyFileError, match="cannot read"):
        load_policy_file(binary)
