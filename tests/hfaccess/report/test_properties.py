"""Properties of the access map over random registries (the policy tests' strategies)."""

from __future__ import annotations

import itertools
from typing import Any

from hypothesis import HealthCheck, given, reject, settings

from hfaccess.registry.errors import InvalidInput
from hfaccess.report.model import build_site
from hfaccess.report.site import render_map
from hfaccess.report.svg import NODE_HEIGHT, access_map
from tests.hfaccess.policy.test_properties import _collides, customer_names, customers, members
from tests.support.models import make_model


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.filter_too_much])
@given(customers(customer_names).filter(lambda docs: not _collides(docs)), members)
def test_map_is_deterministic_and_draws_exactly_the_reachable_paths(
    docs: list[dict[str, Any]], sre: list[str]
) -> None:
    try:
        site = build_site(make_model(docs, members=sre))
    except InvalidInput:  # exposures that cannot coexist: render refuses them the same way
        reject()
    again = build_site(make_model(docs[::-1], members=sre))
    assert [render_map(p) for p in site.customers] == [render_map(p) for p in again.customers]
    for page in site.customers:
        layout = access_map(page)
        engineers = [n.label for n in layout.nodes if n.kind == "engineer"]
        assert engineers == (sorted(sre) if page.reachable else [])
        roles = [n for n in layout.nodes if n.kind.startswith("role")]
        assert len(roles) == sum(1 for env in page.environments if env.active)
        hosts = {n.label for n in layout.nodes if n.column == 4}
        assert {env.hostname for env in page.environments} <= hosts
        for node in layout.nodes:
            assert node.x >= 0
            assert node.x + node.width <= layout.width
            assert node.y + NODE_HEIGHT <= layout.height
        for column in range(7):
            tops = sorted(n.y for n in layout.nodes if n.column == column)
            assert all(b - a >= NODE_HEIGHT for a, b in itertools.pairwise(tops))
