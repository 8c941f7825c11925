"""Highflame's tailnet settings the seed's promises depend on, as code (`tailnet_settings:` in
tailnet/highflame.yaml, declared by the `tailnet` stack with the provider's TailnetSettings).

- HTTPS certificates: the API server proxy's TLS and Ingress exposures need them.
- Network flow logs: the record of every Highflame-side connection ("Tailscale audit log").
- Device approval: an engineer's new laptop joins only once an admin approves it.
- Policy file externally managed, with a link here: admin-console edits cannot drift it.

Every setting defaults to on. Turning one off (a plan that lacks it) is explicit, and `render`
and the program warn about each.
"""

from __future__ import annotations

from typing import Any, Final
from urllib.parse import urlparse

from pydantic import BaseModel, ConfigDict, Field, field_validator

DEFAULT_LINK: Final = "https://github.com/highflame-ai/highflame-access"

# What each setting protects, for the warning when it is off.
CONSEQUENCES: Final = {
    "https": "the API server proxy has no TLS certificate: kubectl through it fails, and "
    "Ingress exposures do not serve",
    "network_flow_logging": "no network flow logs: Highflame-side connections to customer "
    "clusters are not recorded",
    "device_approval": "engineers' new devices join without an admin's approval",
    "acls_externally_managed": "the policy file can be edited in the admin console and drift "
    "from this repository",
}


class TailnetSettingsConfig(BaseModel):
    """`tailnet_settings:` in tailnet/highflame.yaml: safe defaults, all on."""

    # strict: `https: "no"` is an error, never a truthy string (fail closed)
    model_config = ConfigDict(extra="forbid", frozen=True, strict=True)

    https: bool = True
    network_flow_logging: bool = True
    device_approval: bool = True
    acls_externally_managed: bool = True
    acls_external_link: str = Field(
        default=DEFAULT_LINK, description="where the policy file is managed (this repository)"
    )

    @field_validator("acls_external_link")
    @classmethod
    def _https_link(cls, value: str) -> str:
        parsed = urlparse(value)
        if parsed.scheme != "https" or not parsed.netloc:
            raise ValueError(f"must be an https:// URL (got {value!r})")
        return value


def settings_args(config: TailnetSettingsConfig) -> dict[str, Any]:
    """The TailnetSettings resource's arguments (the SDK's Python names)."""
    return {
        "https_enabled": config.https,
        "network_flow_logging_on": config.network_flow_logging,
        "devices_approval_on": config.device_approval,
        "acls_externally_managed_on": config.acls_externally_managed,
        "acls_external_link": config.acls_external_link,
    }


# The Tailscale API's names for the same settings (GET /tailnet/{tailnet}/settings).
API_FIELDS: Final = {
    "https_enabled": "httpsEnabled",
    "network_flow_logging_on": "networkFlowLoggingOn",
    "devices_approval_on": "devicesApprovalOn",
    "acls_externally_managed_on": "aclsExternallyManagedOn",
    "acls_external_link": "aclsExternalLink",
}


def settings_document(config: TailnetSettingsConfig) -> dict[str, Any]:
    """The settings as the API names them: what `render` writes and live settings compare to."""
    return {API_FIELDS[k]: v for k, v in settings_args(config).items()}


def settings_warnings(config: TailnetSettingsConfig) -> list[str]:
    """One line per setting turned off, saying what that costs."""
    return [
        f"tailnet_settings.{name}: off: {why}"
        for name, why in CONSEQUENCES.items()
        if getattr(config, name) is False
    ]


def live_differences(config: TailnetSettingsConfig, live: dict[str, Any]) -> list[str]:
    """`field: live X, declared Y` for each setting the live tailnet does not match."""
    return [
        f"{field}: live {live.get(field)!r}, declared {wanted!r}"
        for field, wanted in settings_document(config).items()
        if live.get(field) != wanted
    ]
