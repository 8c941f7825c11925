"""YAML of rendered files: every cached or split emission equals one plain libyaml pass."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from hfaccess.install.documents import emit_whole, yaml_text, yaml_text_varying

_keys = st.text(alphabet="abcdefghijklmnopqrstuvwxyzABC._/-0123456789", min_size=1, max_size=12)
_scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(allow_nan=False, allow_infinity=False),
    st.text(max_size=120),
    st.sampled_from(["yes", "no", "on", "010", "1:30", "tag:x", "~", "- a", "a: b", "null", ""]),
)
_values: Any = st.recursive(
    _scalars,
    lambda inner: st.one_of(st.lists(inner, max_size=4), st.dictionaries(_keys, inner, max_size=5)),
    max_leaves=25,
)


@settings(max_examples=300, deadline=None)
@given(st.dictionaries(_keys, _values, min_size=1, max_size=6))
def test_the_varying_emission_equals_one_emitter_pass(value: dict[str, Any]) -> None:
    assert yaml_text_varying(value) == emit_whole(value)
    assert yaml_text_varying(value) == emit_whole(value)  # the memoised entries too


@pytest.mark.parametrize(
    ("one", "other"),
    [
        ({"a": True}, {"a": 1}),
        ({"a": 1}, {"a": "1"}),
        ({"a": None}, {"a": "null"}),
        ({"a": {"b": False}}, {"a": {"b": 0}}),
        ({"a": {"b": {"c": 1.0}}}, {"a": {"b": {"c": 1}}}),
        ({"a": 0.0}, {"a": -0.0}),
    ],
)
def test_equal_but_different_scalars_stay_apart(one: dict[str, Any], other: dict[str, Any]) -> None:
    """True == 1 == 1.0 and 0.0 == -0.0 in Python; their YAML differs, so must the text."""
    for value in (one, other, one, other):
        assert yaml_text_varying(value) == emit_whole(value)
        assert yaml_text(value) == emit_whole(value)
    assert yaml_text_varying(one) != yaml_text_varying(other)


def test_a_tuple_or_unknown_value_takes_the_plain_route() -> None:
    value = {"a": {"b": ("x", "y")}, "c": 1}
    assert yaml_text_varying(value) == yaml_text(value)
