"""HighflameTailnetSettings: Highflame's tailnet settings, declared from tailnet/highflame.yaml."""

from __future__ import annotations

import pulumi
import pulumi_tailscale as tailscale

from hfaccess.registry.tailnet_settings import (
    TailnetSettingsConfig,
    settings_args,
    settings_warnings,
)

SETTINGS_NAME = "tailnet-settings"


class HighflameTailnetSettings(pulumi.ComponentResource):
    """One TailnetSettings; a warning for each setting turned off.

    `opts` must carry the tailscale provider (`providers=[...]`); the child inherits it through
    `parent=self`, like every component here.
    """

    TYPE = "highflame:tailnet:TailnetSettings"
    settings: tailscale.TailnetSettings

    def __init__(
        self,
        name: str,
        config: TailnetSettingsConfig,
        opts: pulumi.ResourceOptions | None = None,
    ) -> None:
        super().__init__(self.TYPE, name, None, opts)
        for warning in settings_warnings(config):
            pulumi.log.warn(warning, resource=self)
        self.settings = tailscale.TailnetSettings(
            name,
            **settings_args(config),
            opts=pulumi.ResourceOptions(parent=self),
        )
        self.register_outputs({"httpsEnabled": self.settings.https_enabled})


def declare_tailnet_settings(
    config: TailnetSettingsConfig, provider: pulumi.ProviderResource
) -> HighflameTailnetSettings:
    """The tailnet stack's settings component (kept apart from the policy's code)."""
    return HighflameTailnetSettings(
        SETTINGS_NAME, config, opts=pulumi.ResourceOptions(providers=[provider])
    )
