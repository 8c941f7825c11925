"""Editing YAML files in place, keeping comments, key order and layout (ruamel round-trip).

People annotate `customers/*.yaml` and `tailnet/highflame.yaml` with comments explaining why
an environment or an engineer is there; a tool that rewrites those files must keep them.
"""

from __future__ import annotations

import io
import os
import tempfile
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.error import YAMLError

from hfaccess.registry.yamlio import YamlReadError


def _roundtrip() -> YAML:
    yaml = YAML(typ="rt", pure=True)
    yaml.preserve_quotes = True
    yaml.width = 4096  # never re-wrap long lines or comments
    # The repository's layout: two-space mappings, sequences indented under their key.
    yaml.indent(mapping=2, sequence=4, offset=2)
    return yaml


def load_roundtrip(text: str) -> Any:
    """Parse text keeping comments; raise YamlReadError for anything unreadable."""
    try:
        return _roundtrip().load(text)
    except YAMLError as exc:
        raise YamlReadError(f"not valid YAML: {exc}") from None


def dump_roundtrip(data: Any) -> str:
    """Serialise a round-trip document back to text."""
    buffer = io.StringIO()
    _roundtrip().dump(data, buffer)
    return buffer.getvalue()


def write_atomically(path: Path, text: str) -> None:
    """Replace `path` with `text` in one rename, so a crash never leaves half a file."""
    directory = path.parent
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=directory)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
            handle.write(text)
        if path.exists():
            os.chmod(tmp, path.stat().st_mode & 0o777)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
