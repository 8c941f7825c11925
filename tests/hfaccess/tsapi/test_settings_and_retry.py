"""Reading TAILSCALE_* variables, and the pure retry arithmetic."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from hfaccess.tsapi import MissingCredentials, RetryPolicy, settings_from_env
from hfaccess.tsapi.retry import parse_retry_after, retryable_status


def test_defaults_match_the_pulumi_provider() -> None:
    settings = settings_from_env(
        {"TAILSCALE_OAUTH_CLIENT_ID": "id", "TAILSCALE_OAUTH_CLIENT_SECRET": "s3cr3t"}
    )
    assert settings.base_url == "https://api.tailscale.com"
    assert settings.tailnet == "-"
    assert settings.uses_oauth
    assert "s3cr3t" not in repr(settings)


def test_api_key_and_overrides() -> None:
    settings = settings_from_env(
        {
            "TAILSCALE_API_KEY": "tskey-api-abc",
            "TAILSCALE_BASE_URL": "http://127.0.0.1:9/",
            "TAILSCALE_TAILNET": "example.com",
        }
    )
    assert not settings.uses_oauth
    assert settings.api_key == "tskey-api-abc"
    assert settings.base_url == "http://127.0.0.1:9"
    assert settings.tailnet == "example.com"
    assert "tskey-api-abc" not in repr(settings)


def test_oauth_wins_over_api_key() -> None:
    settings = settings_from_env(
        {
            "TAILSCALE_OAUTH_CLIENT_ID": "id",
            "TAILSCALE_OAUTH_CLIENT_SECRET": "s",
            "TAILSCALE_API_KEY": "k",
        }
    )
    assert settings.uses_oauth
    assert settings.api_key is None


@pytest.mark.parametrize(
    ("env", "needle"),
    [
        ({}, "no Tailscale API credentials"),
        ({"TAILSCALE_OAUTH_CLIENT_ID": "id"}, "TAILSCALE_OAUTH_CLIENT_SECRET is not set"),
        ({"TAILSCALE_OAUTH_CLIENT_SECRET": "s"}, "TAILSCALE_OAUTH_CLIENT_ID is not set"),
        ({"TAILSCALE_API_KEY": "  "}, "no Tailscale API credentials"),
        ({"TAILSCALE_API_KEY": "k", "TAILSCALE_BASE_URL": "ftp://x"}, "must be an http(s) URL"),
    ],
)
def test_missing_or_bad_settings(env: dict[str, str], needle: str) -> None:
    with pytest.raises(MissingCredentials) as caught:
        settings_from_env(env)
    assert needle in str(caught.value)


def test_retry_after_forms() -> None:
    now = datetime(2026, 5, 1, 12, 0, 0, tzinfo=UTC)
    assert parse_retry_after("3", now) == 3.0
    assert parse_retry_after("0.5", now) == 0.5
    assert parse_retry_after("-4", now) == 0.0
    assert parse_retry_after("Fri, 01 May 2026 12:00:10 GMT", now) == 10.0
    assert parse_retry_after("Fri, 01 May 2026 11:00:00 GMT", now) == 0.0
    assert parse_retry_after("soon", now) is None
    assert parse_retry_after(None, now) is None
    assert parse_retry_after("", now) is None


def test_backoff_is_bounded() -> None:
    policy = RetryPolicy(max_attempts=4, max_total_seconds=10, base_delay=1, max_delay=3)
    assert [policy.delay(n, 0, None) for n in (1, 2, 3, 4)] == [1.0, 2.0, 3.0, None]
    assert policy.delay(1, 9.5, None) is None  # would overrun the budget
    assert policy.delay(1, 0, 7.0) == 7.0  # the server's hint wins over backoff
    assert policy.delay(1, 0, 11.0) is None


def test_retryable_statuses() -> None:
    assert retryable_status(429)
    assert retryable_status(500)
    assert retryable_status(599)
    assert not retryable_status(404)
    assert not retryable_status(412)
