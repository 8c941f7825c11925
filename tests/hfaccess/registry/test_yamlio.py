"""Input YAML: YAML 1.2 core scalars, duplicate keys refused, one clear error for anything else."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

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


def _generic(text: str) -> list[object]:
    """PyYAML's own constructor under the same loader: what the fast builder must equal."""
    import yaml

    from hfaccess.registry.yamlio import _StrictLoader

    return list(yaml.load_all(text, Loader=_StrictLoader))


_EDGE_DOCUMENTS = [
    "a: &x {b: 1, c: [1, 2]}\nd: *x\ne: *x\n",
    "base: &b {x: 1}\nchild:\n  <<: *b\n  y: 2\n",
    "a: !!str 010\nb: !!int '7'\nc: !!bool 'yes'\nd: !!null x\ne: !!float '1'\n",
    "a: 'true'\nb: \"10\"\nc: 1e3\nd: .inf\ne: -.INF\nf: 0x1F\ng: -0o7\nh: +5\n",
    "? [1, 2]\n: x\n",
    "- a\n- [b, {c: d}]\n- ''\n- \n- !!binary aGk=\n",
    "a: 2024-01-01\nb: 12:30:00\nc: NO\nd: Off\ne: ~\nf: null\ng: Null\n",
    "a: !!set {x, y}\nb: !!omap [{k: v}]\n",
    "x: 1\n---\ny: 2\n",
]


@pytest.mark.parametrize("text", _EDGE_DOCUMENTS)
def test_fast_builder_equals_the_generic_constructor(text: str) -> None:
    from hfaccess.registry.yamlio import _documents

    try:
        expected: object = _generic(text)
    except Exception as exc:  # both must refuse, and for the same reason
        with pytest.raises(type(exc)):
            _documents(text)
        return
    assert repr(_documents(text)) == repr(expected)  # repr: True is not 1, 1.0 is not 1


@pytest.mark.parametrize(
    "text",
    ["a: 1\na: 2\n", "a: {b: 1, b: 1}\n", "? {x: 1}\n: y\n", "- &a [*a]\n"],
)
def test_fast_builder_refuses_what_the_generic_constructor_refuses_or_cannot_build(
    text: str,
) -> None:
    with pytest.raises(YamlReadError):
        load_yaml_bytes(text.encode())


_scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**40), max_value=2**40),
    st.floats(allow_nan=False),
    st.text(max_size=12),
    st.sampled_from(["no", "on", "010", "0x1f", "1:30", "2024-01-01", "~", "<<", "&a", "*a"]),
)
_values = st.recursive(
    _scalars,
    lambda inner: (
        st.lists(inner, max_size=4)
        | st.dictionaries(st.text(max_size=8) | st.integers(), inner, max_size=4)
    ),
    max_leaves=20,
)


@given(_values, st.sampled_from([None, False, True]))
@settings(max_examples=150, deadline=None)
def test_fast_builder_equals_the_generic_constructor_on_generated_documents(
    value: object, flow: bool | None
) -> None:
    import yaml

    from hfaccess.registry.yamlio import _documents

    text = yaml.safe_dump(value, default_flow_style=flow, allow_unicode=True)
    assert repr(_documents(text)) == repr(_generic(text))  # repr: True is not 1, 1.0 is not 1
