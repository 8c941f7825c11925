"""Properties of the registry: valid input always loads, and never with colliding names."""

from __future__ import annotations

import tempfile
from collections import Counter
from pathlib import Path
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from hfaccess.registry.collisions import derived_names
from hfaccess.registry.errors import InvalidInput
from hfaccess.registry.loader import load_registry
from hfaccess.registry.names import reserved_customer_name
from tests.support.files import write_customer

customer_names = st.from_regex(r"[a-z](?:[a-z0-9-]{0,30}[a-z0-9])?", fullmatch=True).filter(
    lambda name: reserved_customer_name(name) is None  # refused by name: tests of their own
)
# Names built from the prefixes other customers' tags use, to provoke takeovers.
adversarial_names = st.builds(
    lambda prefix, base: f"{prefix}{base}"[:32].rstrip("-") or "a",
    st.sampled_from(["", "operator-", "k8s-", "cust-", "operator-k8s-"]),
    st.sampled_from(["acme", "globex", "a", "a-b", "acme-prod"]),
)
env_names = st.from_regex(r"[a-z][a-z0-9]{0,11}", fullmatch=True)
exposure_names = st.from_regex(r"[a-z][a-z0-9-]{0,6}[a-z0-9]", fullmatch=True).filter(
    lambda n: n != "kube"
)

environment = st.fixed_dictionaries(
    {},
    optional={
        "cluster_role": st.sampled_from(["highflame-sre", "view", "cluster-admin"]),
        "install": st.sampled_from(["managed", "handoff"]),
        "revoked": st.booleans(),
        "exposures": st.dictionaries(
            exposure_names,
            st.fixed_dictionaries(
                {
                    "namespace": st.sampled_from(["highflame", "default"]),
                    "service": st.sampled_from(["studio", "api"]),
                    "port": st.integers(1, 65535),
                },
                optional={"via": st.sampled_from(["ingress", "service"])},
            ),
            max_size=2,
        ),
    },
)


def customer_docs(names: st.SearchStrategy[str]) -> st.SearchStrategy[dict[str, dict[str, Any]]]:
    return st.dictionaries(
        names,
        st.fixed_dictionaries(
            {"environments": st.dictionaries(env_names, environment, min_size=1, max_size=3)},
            optional={"revoked": st.booleans()},
        ),
        min_size=1,
        max_size=6,
    )


def _load(docs: dict[str, dict[str, Any]]) -> tuple[Any, list[str]]:
    with tempfile.TemporaryDirectory() as tmp:
        directory = Path(tmp)
        for name, doc in docs.items():
            write_customer(directory, name, {"name": name, **doc})
        try:
            return load_registry(directory), []
        except InvalidInput as exc:
            return None, [str(e) for e in exc.errors]


@settings(max_examples=60, deadline=None)
@given(customer_docs(customer_names))
def test_valid_registry_loads_or_is_refused_only_for_a_real_collision(
    docs: dict[str, dict[str, Any]],
) -> None:
    registry, errors = _load(docs)
    claimed = Counter(
        (ns, name)
        for customer_name, doc in docs.items()
        for ns, name, _ in derived_names(_parse(customer_name, doc))
    )
    real_collisions = {key for key, count in claimed.items() if count > 1}
    if registry is not None:
        assert not real_collisions
        assert sorted(c.name for c in registry.customers) == sorted(docs)
        stacks = registry.stack_names()
        assert len(stacks) == len(set(stacks))
    else:
        assert real_collisions, errors
        assert all("collides" in e or "longer than" in e for e in errors), errors


@settings(max_examples=60, deadline=None)
@given(customer_docs(adversarial_names))
def test_loaded_registry_never_has_colliding_derived_names(
    docs: dict[str, dict[str, Any]],
) -> None:
    registry, errors = _load(docs)
    if registry is None:
        assert errors
        return
    claimed = [
        (ns, name) for customer in registry.customers for ns, name, _ in derived_names(customer)
    ]
    assert len(claimed) == len(set(claimed))


def _parse(name: str, doc: dict[str, Any]) -> Any:
    from hfaccess.registry.models import Customer

    return Customer.model_validate({"name": name, **doc})
