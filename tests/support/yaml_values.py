"""Hypothesis strategies for YAML-shaped documents: the scalars YAML 1.1 and 1.2 read apart
(`yes`, `010`, `1:30`, `~`, ...) inside lists and mappings, for the emitter properties."""

from __future__ import annotations

from typing import Any

from hypothesis import strategies as st

keys = st.text(alphabet="abcdefghijklmnopqrstuvwxyzABC._/-0123456789", min_size=1, max_size=12)
scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(allow_nan=False, allow_infinity=False),
    st.text(max_size=120),
    st.sampled_from(["yes", "no", "on", "010", "1:30", "tag:x", "~", "- a", "a: b", "null", ""]),
)
values: Any = st.recursive(
    scalars,
    lambda inner: st.one_of(st.lists(inner, max_size=4), st.dictionaries(keys, inner, max_size=5)),
    max_leaves=25,
)
documents = st.dictionaries(keys, values, min_size=1, max_size=6)
