"""YAML of rendered files: every cached or split emission equals one plain libyaml pass."""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from hfaccess.install.documents import emit_whole, json_text, yaml_text, yaml_text_varying
from tests.support.yaml_values import documents as yaml_documents
from tests.support.yaml_values import keys


@settings(max_examples=300, deadline=None)
@given(yaml_documents)
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
        ({"a": [1, True]}, {"a": [True, 1]}),
        ({"a": 1, "b": 2}, {"b": 2, "a": 1}),
    ],
)
def test_equal_but_different_scalars_stay_apart(one: dict[str, Any], other: dict[str, Any]) -> None:
    """True == 1 == 1.0, 0.0 == -0.0 and key order is no part of dict equality in Python; the
    YAML of each differs, so must the text."""
    for value in (one, other, one, other):
        assert yaml_text_varying(value) == emit_whole(value)
        assert yaml_text(value) == emit_whole(value)
    assert yaml_text_varying(one) != yaml_text_varying(other)


def test_a_tuple_or_unknown_value_takes_the_plain_route() -> None:
    value = {"a": {"b": ("x", "y")}, "c": 1}
    assert yaml_text_varying(value) == yaml_text(value)


_json_keys = st.one_of(keys, st.text(max_size=8), st.sampled_from(["@hf-0@", "@hf-1@"]))
_json_values: Any = st.recursive(
    st.one_of(
        st.none(),
        st.booleans(),
        st.integers(),
        st.floats(allow_nan=False, allow_infinity=False),
        st.text(max_size=40),
        st.sampled_from(["@hf-0@", "@hf-1@", '"@hf-0@"', "é", "\x00", "\\"]),
    ),
    lambda inner: st.one_of(
        st.lists(inner, max_size=4), st.dictionaries(_json_keys, inner, max_size=5)
    ),
    max_leaves=20,
)


@settings(max_examples=400, deadline=None)
@given(_json_values)
def test_json_text_is_json_dumps_with_indent(value: Any) -> None:
    expected = json.dumps(value, indent=2)
    assert json_text(value) == expected
    assert json_text(value) == expected  # the shape's text, reused


def test_json_documents_of_one_shape_keep_their_own_strings() -> None:
    one = {"description": "a b", "scopes": ["x"], "tags": ["tag:a"]}
    other = {"description": 'c "d"', "scopes": ["y"], "tags": ["tag:é"]}
    assert json_text(one) == json.dumps(one, indent=2)
    assert json_text(other) == json.dumps(other, indent=2)
