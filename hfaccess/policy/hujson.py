"""Reading a policy file as Tailscale writes it: JSON, or HuJSON (comments, trailing commas).

Comments and trailing commas are blanked out in place (same length, newlines kept), so a JSON
error still points at the right line and column of the original file.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any


class PolicyFileError(ValueError):
    """The file is not a readable JSON/HuJSON document; the message says where and why."""


def _blank(text: str) -> str:
    return "".join(ch if ch == "\n" else " " for ch in text)


def _strip_comments(text: str) -> str:
    out: list[str] = []
    i, n = 0, len(text)
    while i < n:
        ch = text[i]
        if ch == '"':
            end = i + 1
            while end < n and text[end] != '"':
                end += 2 if text[end] == "\\" else 1
            out.append(text[i : end + 1])
            i = end + 1
        elif text.startswith("//", i):
            end = text.find("\n", i)
            end = n if end == -1 else end
            out.append(_blank(text[i:end]))
            i = end
        elif text.startswith("/*", i):
            end = text.find("*/", i + 2)
            if end == -1:
                raise PolicyFileError(f"unterminated /* comment at offset {i}")
            out.append(_blank(text[i : end + 2]))
            i = end + 2
        else:
            out.append(ch)
            i += 1
    return "".join(out)


def _strip_trailing_commas(text: str) -> str:
    chars = list(text)
    in_string = escaped = False
    pending: int | None = None  # index of a comma that may turn out to be trailing
    for i, ch in enumerate(chars):
        if in_string:
            if escaped:
                escaped = False
            elif ch == "\\":
                escaped = True
            elif ch == '"':
                in_string = False
            continue
        if ch == '"':
            in_string, pending = True, None
        elif ch == ",":
            pending = i
        elif ch in "]}" and pending is not None:
            chars[pending] = " "
            pending = None
        elif not ch.isspace():
            pending = None
    return "".join(chars)


def strip_hujson(text: str) -> str:
    """HuJSON text as plain JSON text of the same length (comments, trailing commas blanked)."""
    return _strip_trailing_commas(_strip_comments(text))


def loads(text: str) -> Any:
    """Parse JSON or HuJSON text (duplicate keys refused); see hfaccess.policy.reader."""
    from hfaccess.policy.reader import parse_policy_text

    return parse_policy_text(text)


def load_policy_file(path: Path) -> Any:
    """Read and parse a policy file; see hfaccess.policy.reader.read_policy_file."""
    from hfaccess.policy.reader import read_policy_file

    return read_policy_file(path)
