"""The program refuses a stack that names no registered environment before declaring anything."""

from __future__ import annotations

import re

import pulumi
import pytest

from tests.support.pulumi_mocks import run_stack


def test_unknown_stack_fails_before_any_resource() -> None:
    with pytest.raises(
        pulumi.RunError, match="'initech-prod' names no registered customer environment"
    ):
        run_stack("initech-prod", config={})


def test_invalid_settings_fail_naming_stack_file_and_key() -> None:
    with pytest.raises(
        pulumi.RunError, match=re.escape("Pulumi.acme-prod.yaml: highflame-access:kubeContext")
    ):
        run_stack("acme-prod", config={})
