"""The report's data: built from the same builders as render and check."""

from __future__ import annotations

import dataclasses

from hfaccess.policy.builder import build_policy
from hfaccess.registry.models import ClusterRole
from hfaccess.report.model import ElevationRow, build_site, elevations_of
from hfaccess.report.site import render_pages
from tests.support.models import customer_doc, exposure, make_model
from tests.support.samples import sample_model


def test_sample_site_matches_registry_and_policy() -> None:
    model = sample_model()
    site = build_site(model)
    assert [p.name for p in site.customers] == ["acme", "globex"]
    assert site.verdict.sound
    acme = site.customers[0]
    assert [e.name for e in acme.environments] == ["dev", "prod"]
    assert acme.engineers == tuple(model.highflame.sre.members)
    assert {e.role for e in acme.environments} == {ClusterRole.VIEW, ClusterRole.HIGHFLAME_SRE}
    # Grants are the policy's own: every grant naming acme's tags, and nothing else.
    policy = build_policy(model)
    named = [g for g in policy["grants"] if "tag:cust-acme" in g["dst"]]
    assert len(acme.grants) == len(named) == 2  # standing, and acme-prod's break-glass
    standing, elevated = acme.grants
    assert standing.capability
    assert standing.ports == ("tcp:443",)
    assert standing.groups == ("highflame-sre",)
    assert elevated.src == ("alice@highflame.ai",)
    assert elevated.groups == ("highflame-elevated-acme-prod",)
    assert elevated.postures == ("posture:hf_elevate_acme_prod",)
    globex = site.customers[1]
    assert [x.hostname for x in globex.environments[0].exposures] == ["globex-prod-studio"]
    assert {g.dst for g in globex.grants} == {"tag:cust-globex", "tag:k8s-globex"}


def test_revoked_customer_has_no_engineer_and_no_grant() -> None:
    model = make_model([customer_doc("acme"), customer_doc("gone", revoked=True)])
    gone = build_site(model).customers[1]
    assert not gone.reachable
    assert gone.engineers == ()
    assert gone.grants == ()
    assert gone.roles == ()
    assert all(not e.active for e in gone.environments)
    assert all("revoked" in e.flags for e in gone.environments)
    # its tests still deny SRE at its proxy
    assert any("tag:cust-gone:443" in t.deny for t in gone.tests)


def test_flags_privileged_and_unusual_entries() -> None:
    model = make_model(
        [
            customer_doc(
                "risky",
                {
                    "prod": {"cluster_role": "cluster-admin"},
                    "dev": {"cluster_role": "view", "exposures": {"x": exposure(8080, "service")}},
                },
            )
        ]
    )
    rows = {e.name: e for e in build_site(model).customers[0].environments}
    assert rows["prod"].privileged
    assert rows["prod"].flags == ("cluster-admin",)
    assert not rows["dev"].privileged
    assert set(rows["dev"].flags) == {"aggregated role", "all Service ports"}


def test_elevations_adapter_reads_break_glass_of_active_environments_only() -> None:
    refs = {ref.stack: ref for ref in sample_model().registry.environments()}
    assert elevations_of(refs["acme-prod"], recorded=True) == (
        ElevationRow(
            "prod",
            "cluster-admin",
            ("alice@highflame.ai",),
            "4h",
            True,
            "highflame-elevated-acme-prod",
        ),
    )
    assert elevations_of(refs["acme-dev"], recorded=True) == ()
    glass = {"role": "view", "engineers": ["bob@highflame.ai"], "max_duration": "1h"}
    model = make_model([customer_doc("gone", {"prod": {"break_glass": glass}}, revoked=True)])
    (ref,) = model.registry.environments()
    assert elevations_of(ref, recorded=False) == ()
    page = build_site(model).customers[0]
    assert page.engineers == ()
    assert all(not env.elevations for env in page.environments)


def test_revocation_paths_cover_both_sides() -> None:
    page = build_site(sample_model()).customers[1]  # globex: handoff with an exposure
    who = {step.who for step in page.revocation}
    assert who == {"Highflame", "the customer"}
    commands = [step.command for step in page.revocation]
    assert "hfaccess kill globex --yes" in commands
    assert "kubectl delete ingress highflame-studio -n highflame" in commands
    assert "helm uninstall tailscale-operator -n tailscale" in commands


def test_elevation_rows_reach_every_view() -> None:
    """What the integrator wires through `elevations_of` shows on the page, map and index."""
    site = build_site(sample_model())
    globex = site.customers[1]
    prod = globex.environments[0]
    elevation = ElevationRow("prod", "view", ("bob@highflame.ai",), "1h", False, "elevated-x")
    elevated = dataclasses.replace(prod, elevations=(elevation,))
    page = dataclasses.replace(globex, environments=(elevated,))
    pages = render_pages(dataclasses.replace(site, customers=(site.customers[0], page)))
    html = pages["globex.html"]
    assert "break-glass prod" in html  # the map's elevation box
    assert "elevated, max 1h" in html  # and the role it elevates to
    assert 'id="no-elevation"' not in html
    assert "flag-elevation" in pages["index.html"]
    assert 'id="no-elevation"' not in pages["acme.html"]  # acme-prod's break-glass (sample)
    assert 'id="no-elevation"' in render_pages(site)["globex.html"]
