"""Planning a kill: exact-tag ownership, environment attribution, what is left alone."""

from __future__ import annotations

from hfaccess.revoke.ownership import (
    is_customer_space_tag,
    is_operator_device,
    owned_by,
    tag_customers,
)
from hfaccess.revoke.plan import KillTarget, plan_kill
from hfaccess.tsapi import Device, Key
from tests.support.tailnet_seed import ACME_DEVICE_IDS, devices, keys, policy

DEVICES = [Device.from_api(d) for d in devices().values()]
KEYS = [Key.from_api(k) for k in keys().values()]
ACME_ENVS = ("dev", "prod", "staging")


def test_whole_customer_takes_every_acme_device_and_key_and_nothing_else() -> None:
    plan = plan_kill(KillTarget("acme", None, ACME_ENVS), policy(), DEVICES, KEYS)
    assert sorted(d.device.id for d in plan.devices) == ACME_DEVICE_IDS
    assert sorted(k.key.id for k in plan.keys) == [
        "kAcmeAuth",
        "kAcmeDev",
        "kAcmeProd",
        "kAcmeStaging",
    ]
    assert plan.policy is not None
    assert plan.policy.changed
    assert plan.warnings == ()
    assert not plan.tailnet_clean


def test_environment_kill_keeps_the_policy_while_others_are_active() -> None:
    target = KillTarget("acme", "prod", ACME_ENVS, ("dev", "staging"))
    plan = plan_kill(target, policy(), DEVICES, KEYS)
    assert plan.policy is None
    assert sorted(d.device.id for d in plan.devices) == ["1001", "1002", "1003", "1004"]
    assert [k.key.id for k in plan.keys] == ["kAcmeProd"]
    assert any("policy left unchanged" in n for n in plan.notes)
    # Nothing ties these to an environment: they are named as what the kill leaves.
    assert any("monitoring-grafana" in left.what for left in plan.leftovers)
    assert any("kAcmeAuth" in left.what for left in plan.leftovers)


def test_last_active_environment_takes_the_grants_too() -> None:
    target = KillTarget("acme", "prod", ACME_ENVS, ())
    plan = plan_kill(target, policy(), DEVICES, KEYS)
    assert plan.policy is not None
    assert plan.policy.changed
    assert any("last active environment" in n for n in plan.notes)


def test_prefix_lookalike_customer_is_not_acme_prod() -> None:
    # `acme-prod-dev-kube` starts with acme's prod prefix but carries acme-prod's tags.
    target = KillTarget("acme", "prod", ACME_ENVS, ("dev",))
    plan = plan_kill(target, None, DEVICES, KEYS)
    assert "3001" not in {d.device.id for d in plan.devices}
    lookalike = plan_kill(KillTarget("acme-prod", None, ("dev",)), None, DEVICES, KEYS)
    assert [d.device.id for d in lookalike.devices] == ["3001"]
    assert [k.key.id for k in lookalike.keys] == ["kAcmeProdDev"]


def test_untagged_device_with_acme_hostname_is_never_acme() -> None:
    plan = plan_kill(KillTarget("acme", None, ACME_ENVS), None, DEVICES, KEYS)
    assert "9001" not in {d.device.id for d in plan.devices}


def test_mixed_tags_are_reported_not_deleted() -> None:
    mixed_device = Device(id="77", hostname="acme-prod-kube", tags=("tag:cust-acme", "tag:ops"))
    mixed_key = Key(id="kMixed", key_type="client", tags=("tag:k8s-operator-acme", "tag:ops"))
    plan = plan_kill(KillTarget("acme", None, ACME_ENVS), None, [mixed_device], [mixed_key])
    assert plan.devices == ()
    assert plan.keys == ()
    assert len(plan.leftovers) == 2
    assert all("review it by hand" in left.why for left in plan.leftovers)


def test_wide_grants_warn() -> None:
    doc = policy()
    doc["grants"].append({"src": ["group:ops"], "dst": ["*"], "ip": ["*"]})
    plan = plan_kill(KillTarget("acme"), doc, [], [])
    assert plan.warnings == (
        "grants[3] reaches every tagged device ('*' or autogroup:tagged in its destination), "
        "acme's included, until they are deleted",
    )


def test_a_clean_tailnet_plans_nothing() -> None:
    plan = plan_kill(KillTarget("initech"), policy(), DEVICES, KEYS)
    assert plan.tailnet_clean


def test_ownership_helpers() -> None:
    assert owned_by(("tag:cust-acme", "tag:k8s-acme"), "acme")
    assert not owned_by((), "acme")
    assert not owned_by(("tag:cust-acme-prod",), "acme")
    assert tag_customers("tag:k8s-operator-acme") == ["acme", "operator-acme"]
    assert tag_customers("tag:cust-globex") == ["globex"]
    assert tag_customers("tag:highflame-iac") == []
    assert is_customer_space_tag("tag:k8s-x")
    assert not is_customer_space_tag("tag:highflame-iac")
    dup = Device(
        id="1", hostname="acme-prod-kube", name="acme-prod-kube-3.ts.net", tags=("tag:cust-acme",)
    )
    assert is_operator_device(dup, "acme", "prod")
    proxy = Device(id="2", hostname="acme-prod-kubex", tags=("tag:cust-acme",))
    assert not is_operator_device(proxy, "acme", "prod")


def test_the_credential_running_the_kill_is_never_deleted() -> None:
    plan = plan_kill(
        KillTarget("acme", None, ACME_ENVS), None, DEVICES, KEYS, caller_key="kAcmeProd"
    )
    assert "kAcmeProd" not in {k.key.id for k in plan.keys}
    assert [left.what for left in plan.leftovers if "running this kill" in left.why] == [
        'OAuth client kAcmeProd "acme prod k8s-operator" (tag:k8s-operator-acme)'
    ]


def test_a_credential_is_the_environments_by_description_or_recorded_client_id() -> None:
    renamed = Key(
        id="kRenamed",
        key_type="client",
        description="acme prod (rotated)",
        tags=("tag:k8s-operator-acme",),
    )
    target = KillTarget("acme", "prod", ACME_ENVS, ("dev",))
    plan = plan_kill(target, None, [], [renamed])
    assert plan.keys == ()
    assert [left.what for left in plan.leftovers] == [
        'OAuth client kRenamed "acme prod (rotated)" (tag:k8s-operator-acme)'
    ]
    assert "no evidence ties it to an environment" in plan.leftovers[0].why
    with_id = KillTarget("acme", "prod", ACME_ENVS, ("dev",), client_ids=("kRenamed",))
    plan = plan_kill(with_id, None, [], [renamed])
    assert [(k.key.id, k.environment) for k in plan.keys] == [("kRenamed", "prod")]
    assert plan.leftovers == ()


def test_presence_on_the_tailnet() -> None:
    assert plan_kill(KillTarget("acmecorp"), None, DEVICES, KEYS).present
    assert not plan_kill(KillTarget("acmee"), policy(), DEVICES, KEYS).present
    owners_only = {"tagOwners": {"tag:cust-acmee": ["tag:k8s-operator-acmee"]}}
    assert plan_kill(KillTarget("acmee"), owners_only, [], []).present
    ported = {"tests": [{"src": "x@y", "deny": ["tag:k8s-acmee:443"]}]}
    assert plan_kill(KillTarget("acmee"), ported, [], []).present
