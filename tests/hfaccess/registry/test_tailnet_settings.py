"""Tailnet settings as code: safe defaults, explicit off with a warning, live differences."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from hfaccess.registry.tailnet_settings import (
    TailnetSettingsConfig,
    live_differences,
    settings_document,
    settings_warnings,
)
from tests.support.samples import sample_model


def test_defaults_are_all_on_and_the_sample_keeps_them() -> None:
    config = TailnetSettingsConfig()
    assert settings_warnings(config) == []
    assert settings_document(config)["httpsEnabled"] is True
    assert sample_model().highflame.tailnet_settings == config


def test_turning_a_setting_off_warns_with_its_cost() -> None:
    config = TailnetSettingsConfig(https=False, device_approval=False)
    warnings = settings_warnings(config)
    assert len(warnings) == 2
    assert warnings[0].startswith("tailnet_settings.https: off: ")
    assert "kubectl" in warnings[0]


def test_live_differences_name_each_setting() -> None:
    config = TailnetSettingsConfig()
    live = {**settings_document(config), "networkFlowLoggingOn": False}
    assert live_differences(config, live) == ["networkFlowLoggingOn: live False, declared True"]
    assert live_differences(config, settings_document(config)) == []


def test_unknown_field_and_plain_http_link_are_refused() -> None:
    with pytest.raises(ValidationError):
        TailnetSettingsConfig.model_validate({"htps": True})
    with pytest.raises(ValidationError):
        TailnetSettingsConfig.model_validate({"https": "no"})
    with pytest.raises(ValidationError, match="https://"):
        TailnetSettingsConfig(acls_external_link="http://example.com")
