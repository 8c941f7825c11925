"""Device posture attributes through the client: the documented paths and bodies, retries, and
the key percent-encoded so it can never reach another endpoint."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime

import pytest

from hfaccess.tsapi import ApiError, NotFound, TailscaleClient, client_from_env
from hfaccess.tsapi.attributes import rfc3339
from tests.support.fake_tailscale import FakeTailscale, Fault, TailnetState

KEY = "custom:hf_elevate_acme_prod"


@pytest.fixture
def fake() -> Iterator[FakeTailscale]:
    device = {"id": "7", "nodeId": "n7", "hostname": "laptop", "user": "alice@highflame.ai"}
    with FakeTailscale(TailnetState(devices={"7": device})) as server:
        yield server


def _client(fake: FakeTailscale) -> TailscaleClient:
    return TailscaleClient(client_from_env(fake.env()).settings, sleep=lambda _: None)


def test_set_read_back_and_delete(fake: FakeTailscale) -> None:
    with _client(fake) as client:
        client.set_device_attribute(
            "n7", KEY, "granted", expiry="2026-12-02T16:00:00Z", comment="INC-1"
        )
        read = client.get_device_attributes("n7")
        assert read.values == {KEY: "granted"}
        assert read.expiries == {KEY: datetime(2026, 12, 2, 16, 0, tzinfo=UTC)}
        assert client.delete_device_attribute("n7", KEY) is True
        assert client.get_device_attributes("n7").values == {}
    (post,) = fake.calls("POST", r"/api/v2/device/n7/attributes/.*")
    assert post.path == "/api/v2/device/n7/attributes/custom%3Ahf_elevate_acme_prod"
    assert json.loads(post.body) == {
        "value": "granted",
        "expiry": "2026-12-02T16:00:00Z",
        "comment": "INC-1",
    }


def test_set_is_retried_on_429_and_unknown_device_raises(fake: FakeTailscale) -> None:
    fake.add_fault(Fault(path=r"/api/v2/device/n7/attributes/.*", status=429, retry_after="0"))
    with _client(fake) as client:
        client.set_device_attribute("n7", KEY, "granted", expiry="2026-12-02T16:00:00Z", comment="")
        assert fake.state.attributes["7"][KEY]["value"] == "granted"
        with pytest.raises(NotFound):
            client.get_device_attributes("n404")


def test_a_key_with_a_slash_stays_one_path_segment(fake: FakeTailscale) -> None:
    with _client(fake) as client, pytest.raises(ApiError, match="only custom"):
        client.delete_device_attribute("n7", "../../tailnet/-/acl")
    assert all("/acl" not in c.path for c in fake.calls("DELETE", r".*"))


def test_rfc3339_is_utc_whole_seconds() -> None:
    moment = datetime(2026, 12, 2, 15, 30, 1, 999, tzinfo=UTC)
    assert rfc3339(moment) == "2026-12-02T15:30:01Z"
