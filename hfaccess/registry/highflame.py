"""Highflame's own side of the tailnet: who the SRE engineers are, and Highflame's base policy.

The members of `group:highflame-sre` live only in `tailnet/highflame.yaml`. Removing an email
there and running the `tailnet` stack revokes that engineer from every customer at once.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Annotated, Any

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, field_validator

from hfaccess.registry import names
from hfaccess.registry.errors import DOCUMENT, InputError, InvalidInput
from hfaccess.registry.posture import PostureCondition
from hfaccess.registry.tailnet_settings import TailnetSettingsConfig
from hfaccess.registry.validation import validate_document
from hfaccess.registry.yamlio import YamlReadError, load_yaml_file

DEFAULT_FILE = Path("tailnet/highflame.yaml")
# A tailnet login: email-style `user@domain`. Not validated as an email address on purpose:
# Tailscale logins include identities such as `alice@github`, whose domain is no DNS name.
_LOGIN_RE = re.compile(r"^[a-z0-9][a-z0-9._%+-]*@[a-z0-9](?:[a-z0-9.-]*[a-z0-9])?$")
_TAG_RE = re.compile(r"^tag:[A-Za-z0-9][A-Za-z0-9-]*$")
_OWNER_RE = re.compile(
    r"^(tag:[A-Za-z0-9][A-Za-z0-9-]*|autogroup:admin|group:[a-z0-9-]+|[^@\s]+@[^@\s]+)$"
)


def tailnet_login(value: str) -> str:
    """`value` as a tailnet login (lowercase), or ValueError saying what a login looks like."""
    login = value.strip().lower()
    if not _LOGIN_RE.fullmatch(login):
        raise ValueError(f"not an email address (a tailnet login, user@domain): {value!r}")
    return login


TailnetLogin = Annotated[str, AfterValidator(tailnet_login)]


class SreConfig(BaseModel):
    """Highflame engineers allowed into customer clusters, as tailnet login names."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    members: list[TailnetLogin] = Field(default_factory=list)
    posture: list[PostureCondition] = Field(
        default_factory=list, description="conditions every SRE device must meet (srcPosture)"
    )

    @field_validator("members")
    @classmethod
    def _sorted_unique_lowercase(cls, value: list[str]) -> list[str]:
        lowered = [m.lower() for m in value]
        duplicates = sorted({m for m in lowered if lowered.count(m) > 1})
        if duplicates:
            raise ValueError(f"listed more than once: {', '.join(duplicates)}")
        return sorted(lowered)


def _recorder_tag(value: str) -> str:
    if not _TAG_RE.fullmatch(value):
        raise ValueError(f"not a tag (tag:name): {value!r}")
    if value.startswith(("tag:k8s-", "tag:cust-")):
        raise ValueError(f"{value!r} is in the customers' tag space")
    return value


class RecordingConfig(BaseModel):
    """Highflame's session recorders (tsrecorder): where recorded sessions are streamed."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    recorder_tag: Annotated[str, AfterValidator(_recorder_tag)]
    storage: str = Field(
        default="",
        description="where the recorder keeps recordings, in words for the customer's handoff",
    )


class HighflameConfig(BaseModel):
    """The part of the tailnet policy that belongs to Highflame, not to any customer."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    sre: SreConfig = Field(default_factory=SreConfig)
    recording: RecordingConfig | None = None
    operator_tag_owners: list[str] = Field(
        default_factory=list,
        description="owners of every tag:k8s-operator-<c>: [] means tailnet admins only",
    )
    base_policy: dict[str, Any] = Field(
        default_factory=dict,
        description="Highflame's own policy sections, merged before the customers' parts",
    )
    tailnet_settings: TailnetSettingsConfig = Field(
        default_factory=TailnetSettingsConfig,
        description="HTTPS, flow logs, device approval, externally managed policy (all on)",
    )

    @field_validator("operator_tag_owners")
    @classmethod
    def _owners(cls, value: list[str]) -> list[str]:
        for owner in value:
            if not _OWNER_RE.fullmatch(owner):
                raise ValueError(f"not a tag, group, autogroup:admin or user login: {owner!r}")
            if owner.startswith(("tag:k8s-", "tag:cust-")):
                raise ValueError(f"{owner!r} is in the customers' tag space")
        return value

    @property
    def sre_group(self) -> str:
        """The tailnet group every SRE grant names."""
        return f"group:{names.KUBERNETES_GROUP}"


def load_highflame(path: Path = DEFAULT_FILE) -> HighflameConfig:
    """Read Highflame's side of the tailnet; raise InvalidInput naming file and field."""
    display = path.as_posix()
    try:
        data = load_yaml_file(path)
    except YamlReadError as exc:
        raise InvalidInput([InputError(display, DOCUMENT, str(exc))]) from None
    return validate_document(display, HighflameConfig, data)
