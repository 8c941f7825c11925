"""Key details come from the key listing; a key is read on its own only when its entry lacks a
needed field, never twice per client, a bounded number at a time, with the usual retries."""

from __future__ import annotations

import threading
import time
from typing import Any

import pytest

from hfaccess.tsapi import TailscaleClient, client_from_env
from hfaccess.tsapi.client import KEY_READ_WORKERS, key_entry_complete
from tests.support.fake_tailscale import FakeTailscale, Fault, TailnetState, large_tailnet
from tests.support.tailnet_seed import keys, seeded_state

KEY_READ = r"/api/v2/tailnet/-/keys/.+"


def _client(fake: FakeTailscale, sleeps: list[float] | None = None) -> TailscaleClient:
    recorded = sleeps if sleeps is not None else []
    return TailscaleClient(client_from_env(fake.env()).settings, sleep=recorded.append)


def test_the_listing_alone_gives_every_key_its_details() -> None:
    with FakeTailscale(seeded_state()) as fake, _client(fake) as client:
        listed = {k.id: k for k in client.list_key_details()}
    assert set(listed) == set(keys())
    assert listed["kAcmeAuth"].all_tags == ("tag:cust-acme",)
    assert listed["kAcmeDev"].key_type == "federated"
    assert fake.calls("GET", KEY_READ) == []
    assert len(fake.calls("GET", r"/api/v2/tailnet/-/keys")) == 1


def test_a_sparse_entry_is_read_once_per_client_even_across_listings() -> None:
    sparse = frozenset({"kAcmeProd", "kAcmeAuth"})
    with FakeTailscale(seeded_state(), sparse_keys=sparse) as fake, _client(fake) as client:
        first = {k.id: k for k in client.list_key_details()}
        second = {k.id: k for k in client.list_key_details()}  # a kill's re-check
        assert client.keys_read_individually == 2
    assert first == second
    assert first["kAcmeProd"].tags == ("tag:k8s-operator-acme",)
    assert first["kAcmeAuth"].all_tags == ("tag:cust-acme",)
    assert sorted(r.path.rsplit("/", 1)[-1] for r in fake.calls("GET", KEY_READ)) == sorted(sparse)


def test_sparse_reads_retry_faults_and_skip_keys_deleted_meanwhile() -> None:
    sparse = frozenset({"kAcmeProd", "kAcmeStaging"})
    sleeps: list[float] = []

    def gone(state: TailnetState) -> None:
        del state.keys["kAcmeStaging"]

    with FakeTailscale(seeded_state(), sparse_keys=sparse) as fake:
        fake.add_fault(Fault(path=".*/keys/kAcmeProd", method="GET", status=502, times=2))
        fake.add_fault(
            Fault(
                path=".*/keys/kAcmeStaging",
                method="GET",
                on_request=gone,
            )
        )
        with _client(fake, sleeps) as client:
            listed = {k.id: k for k in client.list_key_details()}
    assert listed["kAcmeProd"].key_type == "client"
    assert "kAcmeStaging" not in listed
    assert len(sleeps) == 2  # the two 502s, backed off by the existing retry rules


def test_individual_reads_are_bounded() -> None:
    state = large_tailnet(40)
    in_flight = 0
    peak = 0
    lock = threading.Lock()

    with FakeTailscale(state, sparse_keys=frozenset(state.keys)) as fake:
        handle = fake.handle

        def counted(method: str, path: str, *args: Any) -> Any:
            nonlocal in_flight, peak
            with lock:
                in_flight += 1
                peak = max(peak, in_flight)
            time.sleep(0.01)
            try:
                return handle(method, path, *args)
            finally:
                with lock:
                    in_flight -= 1

        fake.handle = counted  # type: ignore[method-assign,assignment]
        with _client(fake) as client:
            assert len(client.list_key_details()) == len(state.keys)
    assert 1 < peak <= KEY_READ_WORKERS


@pytest.mark.parametrize(
    ("entry", "complete"),
    [
        ({"id": "k", "keyType": "client", "tags": ["tag:a"]}, True),
        ({"id": "k", "keyType": "client"}, False),
        ({"id": "k", "keyType": "auth", "capabilities": {}}, True),
        ({"id": "k", "keyType": "auth"}, False),
        ({"id": "k", "keyType": "federated", "tags": []}, True),
        ({"id": "k", "keyType": "api"}, True),
        ({"id": "k"}, False),
    ],
)
def test_which_entries_need_a_read(entry: dict[str, Any], complete: bool) -> None:
    assert key_entry_complete(entry) is complete


def test_fake_latency_delays_every_answer() -> None:
    with FakeTailscale(seeded_state(), latency=0.05) as fake, _client(fake) as client:
        start = time.perf_counter()
        client.list_devices()
        elapsed = time.perf_counter() - start
    assert elapsed >= 0.05 * 2  # the token exchange and the listing


def test_large_tailnet_has_about_two_devices_and_two_keys_per_customer() -> None:
    state = large_tailnet(1000)
    assert 1.7 <= len(state.devices) / 1000 <= 2.3
    assert 1.7 <= len(state.keys) / 1000 <= 2.3
