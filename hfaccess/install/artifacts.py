"""Environment stack artifacts (issue 4 fills this in)."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from hfaccess.models import EnvironmentRef
    from hfaccess.workspace import AccessModel


def environment_artifacts(ref: EnvironmentRef, model: AccessModel) -> dict[str, str]:
    raise NotImplementedError("the install builder lands with the cluster-side issue")
