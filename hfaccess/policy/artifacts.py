"""Tailnet stack artifacts (issue 3 fills this in)."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from hfaccess.workspace import AccessModel


def tailnet_artifacts(model: AccessModel) -> dict[str, str]:
    raise NotImplementedError("the tailnet policy builder lands with the tailnet-side issue")
