"""Input errors reported to people as `<file>: <field>: <reason>`, all of them at once."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

DOCUMENT = "(document)"


@dataclass(frozen=True, order=True)
class InputError:
    """One problem in one input file, addressed by a dotted field path."""

    file: str
    field: str
    reason: str

    def __str__(self) -> str:
        return f"{self.file}: {self.field}: {self.reason}"


class InvalidInput(Exception):
    """Raised with every error found in a run; nothing may be applied or written after it."""

    def __init__(self, errors: Iterable[InputError]) -> None:
        self.errors: tuple[InputError, ...] = tuple(errors)
        super().__init__("\n".join(str(e) for e in self.errors))
