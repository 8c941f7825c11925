"""Device posture conditions, `attribute OP value`, as the tailnet policy's `postures` reads them.

Only the comparison forms are accepted (`==`, `!=`, `<`, `<=`, `>`, `>=`, `IN`, `NOT IN`) with a
quoted string, a number, or for IN a bracketed list of quoted strings: anything else would be
refused by Tailscale when the policy is saved, so it is refused here first, naming the field.
"""

from __future__ import annotations

import re
from typing import Annotated, Final

from pydantic import AfterValidator

ELEVATION_ATTRIBUTE_PREFIX: Final = "custom:hf_elevate_"
_ATTRIBUTE = r"(?P<attr>[a-z][A-Za-z0-9]*:[A-Za-z][A-Za-z0-9_]*)"
_SCALAR = r"(?:'[^'\\]*'|-?\d+(?:\.\d+)?)"
_LIST = rf"\[\s*{_SCALAR}(?:\s*,\s*{_SCALAR})*\s*\]"
_COMPARISON_RE = re.compile(rf"^{_ATTRIBUTE}\s+(?P<op>==|!=|<=|>=|<|>)\s+(?P<value>{_SCALAR})$")
_MEMBERSHIP_RE = re.compile(rf"^{_ATTRIBUTE}\s+(?P<op>IN|NOT IN)\s+(?P<value>{_LIST})$")


def posture_condition(value: str) -> str:
    """`value` if it is `attribute OP value`; ValueError saying the accepted form otherwise."""
    text = value.strip()
    match = _COMPARISON_RE.fullmatch(text) or _MEMBERSHIP_RE.fullmatch(text)
    if match is None:
        raise ValueError(
            'not a posture condition `attribute OP value` (e.g. "node:tsReleaseTrack == '
            "'stable'\" or \"node:os IN ['macos', 'linux']\"; OP is ==, !=, <, <=, >, >=, IN or "
            f"NOT IN): {value!r}"
        )
    if match.group("attr").startswith(ELEVATION_ATTRIBUTE_PREFIX):
        raise ValueError(
            f"{match.group('attr')} is an elevation attribute, set only by `hfaccess elevate`"
        )
    return text


PostureCondition = Annotated[str, AfterValidator(posture_condition)]
