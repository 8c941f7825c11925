"""Editing the SRE roster: sorted, unique, lowercase, and every comment where it was."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from hfaccess.roster import RosterError, add_member, read_config, remove_member

FILE = """\
# Highflame's side (header comment)
sre:
  # the on-call rota
  members:
    - alice@highflame.ai  # lead
    # bob joined in May
    - bob@highflame.ai
    - dave@highflame.ai
# Who owns operator tags.
operator_tag_owners:
  - tag:highflame-iac
base_policy:
  tagOwners:
    tag:highflame-iac: []
"""


def test_add_goes_in_sorted_position_above_the_next_members_comment() -> None:
    edited = add_member(FILE, "Ann@HighFlame.AI", "h.yaml")
    assert edited == FILE.replace(
        "    # bob joined in May\n", "    - ann@highflame.ai\n    # bob joined in May\n"
    )


def test_add_first_and_last() -> None:
    first = add_member(FILE, "aaron@highflame.ai", "h.yaml")
    assert first == FILE.replace(
        "    - alice@highflame.ai  # lead\n",
        "    - aaron@highflame.ai\n    - alice@highflame.ai  # lead\n",
    )
    last = add_member(FILE, "zed@highflame.ai", "h.yaml")
    assert last == FILE.replace(
        "    - dave@highflame.ai\n", "    - dave@highflame.ai\n    - zed@highflame.ai\n"
    )


def test_add_existing_member_changes_nothing() -> None:
    assert add_member(FILE, "BOB@highflame.ai", "h.yaml") is None


def test_remove_keeps_every_other_comment() -> None:
    assert remove_member(FILE, "alice@highflame.ai", "h.yaml") == FILE.replace(
        "    - alice@highflame.ai  # lead\n", ""
    )
    assert remove_member(FILE, "Bob@Highflame.ai", "h.yaml") == FILE.replace(
        "    - bob@highflame.ai\n", ""
    )


def test_remove_the_last_member_leaves_an_empty_list() -> None:
    text = "sre:\n  members:  # who\n    - a@b.io  # x\n# tail\noperator_tag_owners: []\n"
    assert remove_member(text, "a@b.io", "h.yaml") == (
        "sre:\n  members: []  # who\n# tail\noperator_tag_owners: []\n"
    )


def test_flow_lists_and_missing_sections() -> None:
    assert add_member("sre:\n  members: [c@d.io]\n", "a@b.io", "h") == (
        "sre:\n  members: [a@b.io, c@d.io]\n"
    )
    assert add_member("operator_tag_owners: []\n", "a@b.io", "h") == (
        "operator_tag_owners: []\nsre:\n  members:\n    - a@b.io\n"
    )
    assert remove_member("sre:\n  members: [a@b.io, c@d.io]\n", "a@b.io", "h") == (
        "sre:\n  members: [c@d.io]\n"
    )


@pytest.mark.parametrize(
    ("call", "text", "email", "needle"),
    [
        ("remove", FILE, "carol@highflame.ai", "carol@highflame.ai is not an SRE member in h.yaml"),
        ("add", FILE, "not-an-email", "not an email address: 'not-an-email'"),
        ("add", FILE, "a@b@c", "not an email address"),
        ("add", "sre:\n  members: [a@b.io, A@b.io]\n", "c@d.io", "listed more than once"),
        ("add", "sre: [\n", "c@d.io", "h.yaml: not valid YAML"),
        ("add", "sre:\n  extra: 1\n", "c@d.io", "h.yaml: sre.extra: unknown field"),
    ],
)
def test_clear_errors(call: str, text: str, email: str, needle: str) -> None:
    edit = add_member if call == "add" else remove_member
    with pytest.raises(RosterError) as caught:
        edit(text, email, "h.yaml")
    assert needle in str(caught.value)


names = st.from_regex(r"[a-z]{1,8}", fullmatch=True)


@settings(max_examples=60, deadline=None)
@given(st.lists(names, unique=True, max_size=6), names)
def test_add_then_remove_round_trips(existing: list[str], new: str) -> None:
    emails = sorted(f"{n}@highflame.ai" for n in existing)
    body = "".join(f"    - {e}  # note {i}\n" for i, e in enumerate(emails))
    text = f"sre:\n  members:\n{body}" if emails else "sre:\n  members: []\n"
    email = f"{new}@highflame.ai"
    added = add_member(text, email, "h")
    if email in emails:
        assert added is None
        return
    assert added is not None
    assert read_config(added, "h").sre.members == sorted([*emails, email])
    assert all(f"# note {i}" in added for i in range(len(emails)))
    assert remove_member(added, email, "h") == text
