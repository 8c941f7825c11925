"""What an environment stack creates on the tailnet is exactly what `kill --env` finds.

The real program runs per sample stack under Pulumi's mocks with the stack file's config. A
revoked environment (or customer) declares no credential and nothing in the cluster; an active
one declares one credential, from `credential_spec`, under the tailscale provider, before and
independent of the cluster install; and the kill planner, fed that credential as the Tailscale
API would list it, selects it for its own environment and for no other.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

from components.cluster_install import ClusterInstall
from components.environment_credential import EnvironmentCredential
from hfaccess.credentials import credential_spec
from hfaccess.registry.models import CredentialKind, InstallMode
from hfaccess.revoke.plan import plan_kill
from hfaccess.revoke.target import ResolvedTarget, resolve_target
from hfaccess.tsapi import Key
from tests.programs.stacks import PROVIDER_TYPE, copy_root
from tests.support.files import REPO
from tests.support.pulumi_mocks import ProgramRun, Registered, run_stack
from tests.support.samples import sample_refs

OAUTH = "tailscale:index/oauthClient:OauthClient"
FEDERATED = "tailscale:index/federatedIdentity:FederatedIdentity"
RELEASE = "kubernetes:helm.sh/v3:Release"
# How the Tailscale API lists each credential type (`keyType`).
KEY_TYPES = {OAUTH: "client", FEDERATED: "federated"}
CLUSTER_SIDE = ("kubernetes:", "pulumi:providers:kubernetes", ClusterInstall.TYPE)

REFS = sample_refs()
ACTIVE = sorted(stack for stack, ref in REFS.items() if ref.active)


@pytest.fixture(scope="module")
def runs() -> dict[str, ProgramRun]:
    return {stack: run_stack(stack) for stack in ACTIVE}


def credential(run: ProgramRun) -> Registered:
    (found,) = [r for r in run.resources if r.typ in KEY_TYPES]
    return found


def cluster_side(run: ProgramRun) -> list[Registered]:
    return [r for r in run.resources if r.typ.startswith(CLUSTER_SIDE)]


def listed_key(resource: Registered) -> Key:
    """The credential as `GET /keys/<id>` returns it, from the inputs the stack declared."""
    return Key.from_api(
        {
            "id": f"{resource.name}-id",
            "keyType": KEY_TYPES[resource.typ],
            "description": resource.inputs["description"],
            "tags": resource.inputs["tags"],
        }
    )


def test_the_samples_have_active_oauth_and_federated_environments() -> None:
    kinds = {REFS[stack].environment.credentials for stack in ACTIVE}
    assert kinds == {CredentialKind.OAUTH, CredentialKind.FEDERATED}
    assert {REFS[stack].customer.name for stack in ACTIVE} == {"acme", "globex"}


# -- revoked: no credential, nothing in the cluster ---------------------------------------------


def _revoke_prod(acme: dict[str, Any]) -> None:
    prod = {**(acme["environments"]["prod"] or {}), "revoked": True}
    prod.pop("break_glass", None)  # a revoked environment keeps no break-glass (kill drops it)
    acme["environments"]["prod"] = prod


def _revoke_customer(acme: dict[str, Any]) -> None:
    acme["revoked"] = True


def _root(tmp_path: Path, edit: Callable[[dict[str, Any]], None] | None) -> Path:
    """The repository with the real stack files and customers, acme's file edited."""
    docs = {
        path.stem: yaml.safe_load(path.read_text())
        for path in sorted((REPO / "customers").glob("*.yaml"))
    }
    if edit is not None:
        edit(docs["acme"])
    return copy_root(tmp_path, docs)


def test_unrevoked_copy_declares_the_credential_and_the_install(tmp_path: Path) -> None:
    # The control for the revoked cases below: same root, same stack file, nothing revoked.
    run = run_stack("acme-prod", root=_root(tmp_path, None))
    assert run.one(OAUTH).inputs["tags"] == ["tag:k8s-operator-acme"]
    assert run.one(RELEASE).name == "acme-prod-operator"
    assert "revoked" not in run.outputs


@pytest.mark.parametrize(
    ("revoke", "dev_active"),
    [(_revoke_prod, True), (_revoke_customer, False)],
    ids=["environment-revoked", "customer-revoked"],
)
def test_revoked_acme_prod_declares_no_credential_and_nothing_in_the_cluster(
    tmp_path: Path, revoke: Callable[[dict[str, Any]], None], dev_active: bool
) -> None:
    root = _root(tmp_path, revoke)
    # the stack file still names a cluster: only the registry's revocation keeps it empty
    assert "kubeContext" in (root / "Pulumi.acme-prod.yaml").read_text()
    run = run_stack("acme-prod", root=root)
    for typ in (OAUTH, FEDERATED, RELEASE):
        assert run.of_type(typ) == [], typ
    assert cluster_side(run) == []
    assert [t for t, _ in run.declared if t in KEY_TYPES or t.startswith(CLUSTER_SIDE)] == []
    assert run.outputs["revoked"] is True
    assert "oauthClientId" not in run.outputs
    # the revocation is acme prod's (or all of acme's), not the file's: dev follows the registry
    dev = run_stack("acme-dev", root=root)
    assert bool(dev.of_type(FEDERATED)) is dev_active
    assert bool(dev.of_type(RELEASE)) is dev_active


# -- active: the credential the stack creates ----------------------------------------------------


@pytest.mark.parametrize("stack", ACTIVE)
def test_credential_is_its_spec_under_the_tailscale_provider(
    runs: dict[str, ProgramRun], stack: str
) -> None:
    run, ref = runs[stack], REFS[stack]
    spec = credential_spec(ref)
    found = credential(run)
    assert found.typ == (OAUTH if spec.kind is CredentialKind.OAUTH else FEDERATED)
    assert found.inputs["description"] == spec.description
    assert found.inputs["tags"] == [f"tag:k8s-operator-{ref.customer.name}"]
    assert found.provider is not None
    provider_urn = found.provider.rsplit("::", 1)[0]
    (provider,) = [r for r in run.resources if r.urn == provider_urn]
    assert provider.typ == PROVIDER_TYPE
    assert "kubernetes" not in found.provider


@pytest.mark.parametrize("stack", ACTIVE)
def test_kill_env_selects_exactly_the_credential_its_stack_creates(
    runs: dict[str, ProgramRun], stack: str
) -> None:
    keys = {name: listed_key(credential(run)) for name, run in runs.items()}
    ref = REFS[stack]
    # the target `hfaccess kill <customer> --env <env>` builds from the registry
    resolved = resolve_target(ref.customer.name, ref.name, REPO / "customers")
    assert isinstance(resolved, ResolvedTarget)
    assert resolved.warnings == ()
    plan = plan_kill(resolved.target, None, [], list(keys.values()))
    assert [(planned.key, planned.environment) for planned in plan.keys] == [
        (keys[stack], ref.name)
    ]
    assert plan.warnings == ()
    assert plan.leftovers == ()


def test_whole_customer_kill_selects_every_environment_of_that_customer_only(
    runs: dict[str, ProgramRun],
) -> None:
    keys = {name: listed_key(credential(run)) for name, run in runs.items()}
    resolved = resolve_target("acme", None, REPO / "customers")
    assert isinstance(resolved, ResolvedTarget)
    plan = plan_kill(resolved.target, None, [], list(keys.values()))
    acme = sorted(stack for stack in ACTIVE if REFS[stack].customer.name == "acme")
    assert len(acme) == 2
    assert sorted(planned.key.id for planned in plan.keys) == sorted(keys[s].id for s in acme)


# -- the tailnet side is declared first and never reaches into the cluster -----------------------


@pytest.mark.parametrize("stack", ACTIVE)
def test_tailnet_side_is_declared_first_and_independent_of_the_cluster(
    runs: dict[str, ProgramRun], stack: str
) -> None:
    run = runs[stack]
    found = credential(run)
    cluster = cluster_side(run)
    cluster_urns = {r.urn for r in cluster}

    def lineage(resource: Registered) -> list[str]:
        return [resource.typ, *(r.typ for r in run.ancestors(resource))]

    subtree = [r for r in run.resources if EnvironmentCredential.TYPE in lineage(r)]
    assert {r.typ for r in subtree} == {EnvironmentCredential.TYPE, found.typ}
    assert [r.typ for r in run.ancestors(found)] == [EnvironmentCredential.TYPE]
    for resource in subtree:
        assert ClusterInstall.TYPE not in lineage(resource), resource.urn
        assert resource.provider is None or "pulumi:providers:kubernetes" not in resource.provider
        assert "kubernetes" not in resource.providers
        assert not any("kubernetes" in urn for urn in resource.providers.values())
        assert run.depends_on(resource).isdisjoint(cluster_urns), resource.urn
    managed = REFS[stack].environment.install is InstallMode.MANAGED
    assert bool(cluster) is managed
    if managed:
        assert run.declared_at(found) < min(run.declared_at(r) for r in cluster)
        # the only link runs the other way: the release takes the credential
        assert found.urn in run.depends_on(run.one(RELEASE))
