"""A `<customer>-<env>` stack's resources (issues 3 and 4 fill this in)."""

from __future__ import annotations

from typing import Any

from hfaccess.models import EnvironmentRef
from hfaccess.settings import StackSettings
from hfaccess.workspace import AccessModel


def declare_environment(
    ref: EnvironmentRef, model: AccessModel, settings: StackSettings
) -> dict[str, Any]:
    raise NotImplementedError("the credential and install components land with issues 3 and 4")
