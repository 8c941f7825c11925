"""The `tailnet` stack's resources (issue 3 fills this in)."""

from __future__ import annotations

from typing import Any

from hfaccess.settings import StackSettings
from hfaccess.workspace import AccessModel


def declare_tailnet(model: AccessModel, settings: StackSettings) -> dict[str, Any]:
    raise NotImplementedError("the TailnetPolicy component lands with the tailnet-side issue")
