"""The handoff template: strict about its variables, fed by one context, shipped in the package.

The INSTALL.md snapshots (test_snapshots.py) guard the words; these guard the mechanism: a
variable the template names but the context lacks (or misspells) fails the render instead of
leaving a blank in a document the customer's security team relies on.
"""

from __future__ import annotations

import dataclasses
import fnmatch
import tomllib
from importlib.resources import files
from typing import Any

import pytest
from jinja2 import StrictUndefined, UndefinedError, meta, nodes

from hfaccess.credentials import credential_spec
from hfaccess.install.artifacts import (
    environment_artifacts,
    exposures_text,
    helm_values_text,
    rbac_text,
)
from hfaccess.install.handoff import HandoffContext, handoff_context, install_guide
from hfaccess.install.handoff_elevation import (
    AccessRolesContext,
    access_roles_context,
    access_roles_section,
)
from hfaccess.install.handoff_template import (
    ELEVATION_TEMPLATE,
    TEMPLATE,
    environment,
    render,
    render_cached,
)
from hfaccess.install.plan import InstallPlan, install_plan
from hfaccess.registry.models import EnvironmentRef
from tests.support.files import REPO
from tests.support.samples import make_ref, sample_model, sample_refs

# Environments the samples do not cover: cluster-admin with a Service exposure, no network
# policy and log upload on; and a revoked customer (the document shrinks to revocation).
EXTRA = {
    "initech-prod": make_ref(
        {
            "cluster_role": "cluster-admin",
            "network_policy": False,
            "log_upload": True,
            "exposures": {
                "grafana": {
                    "namespace": "monitoring",
                    "service": "grafana",
                    "port": 3000,
                    "via": "service",
                }
            },
        }
    ),
    "initech-prod (revoked)": make_ref({}, revoked=True),
}
REFS: dict[str, EnvironmentRef] = {**sample_refs(), **EXTRA}


def _context(ref: EnvironmentRef) -> tuple[InstallPlan, HandoffContext]:
    plan = install_plan(ref)
    active = plan.active
    model = sample_model()
    return plan, handoff_context(
        plan,
        credential_spec(ref),
        helm_values_text(plan) if active else None,
        rbac_text(plan) if active else None,
        exposures_text(plan) if plan.exposures else None,
        access_roles=access_roles_section(plan, model.registry, model.highflame) if active else (),
    )


def _template_variables(names: list[str]) -> set[str]:
    env = environment()
    assert env.loader is not None
    found: set[str] = set()
    for name in names:
        source = env.loader.get_source(env, name)[0]
        found |= meta.find_undeclared_variables(env.parse(source))
    return found


def _install_templates() -> list[str]:
    """INSTALL.md.j2 and every partial it includes (directly or through another partial)."""
    env = environment()
    assert env.loader is not None
    pending, seen = [TEMPLATE], []
    while pending:
        name = pending.pop()
        if name in seen:
            continue
        seen.append(name)
        ast = env.parse(env.loader.get_source(env, name)[0])
        pending.extend(str(ref) for ref in meta.find_referenced_templates(ast) if ref)
    return seen


def test_the_environment_is_strict_and_markdown() -> None:
    env = environment()
    assert env.undefined is StrictUndefined
    assert not env.autoescape  # backticks, quotes and `<...>` placeholders stay literal
    assert env.keep_trailing_newline


def test_the_template_reads_exactly_the_context_fields() -> None:
    """Every name the templates use is a context field, and every field is used somewhere."""
    fields = {field.name for field in dataclasses.fields(HandoffContext)}
    assert _template_variables(_install_templates()) == fields
    elevation = {field.name for field in dataclasses.fields(AccessRolesContext)}
    assert _template_variables([ELEVATION_TEMPLATE]) == elevation


@pytest.mark.parametrize("stack", sorted(REFS))
def test_each_environment_renders_strictly(stack: str) -> None:
    """The full context renders; the same context missing any field it reads fails loudly."""
    _, context = _context(REFS[stack])
    mapping = context.as_mapping()
    text = render(TEMPLATE, mapping)
    assert "{{" not in text
    assert "{%" not in text
    for name in ("stack", "chart", "revoke", "customer"):  # read on every path
        broken: dict[str, Any] = {k: v for k, v in mapping.items() if k != name}
        with pytest.raises(UndefinedError):
            render(TEMPLATE, broken)


@pytest.mark.parametrize("stack", sorted(REFS))
def test_a_misspelt_attribute_fails(stack: str) -> None:
    """Attributes of nested facts are strict too: facts missing an attribute cannot render."""
    _, context = _context(REFS[stack])
    mapping = context.as_mapping()
    mapping["chart"] = {"nmespace": context.chart.namespace}  # misspelt, everything else missing
    with pytest.raises(UndefinedError):
        render(TEMPLATE, mapping)


@pytest.mark.parametrize("stack", sorted(sample_refs()))
def test_install_guide_is_the_rendered_template(stack: str) -> None:
    """What `render` writes is this template's output for this context, nothing added."""
    ref = sample_refs()[stack]
    plan, context = _context(ref)
    expected = render(TEMPLATE, context.as_mapping()).rstrip("\n") + "\n"
    assert environment_artifacts(ref, sample_model())["INSTALL.md"] == expected
    spec = credential_spec(ref)
    assert (
        install_guide(
            plan,
            spec,
            helm_values_text(plan),
            rbac_text(plan),
            exposures_text(plan) if plan.exposures else None,
            access_roles=context.access_roles.removesuffix("\n").split("\n"),
        )
        == expected
    )


def test_the_elevation_section_is_strict() -> None:
    ref = sample_refs()["acme-prod"]  # break glass to cluster-admin, recorded
    model = sample_model()
    mapping = access_roles_context(install_plan(ref), model.registry, model.highflame).as_mapping()
    assert "Time-boxed (break-glass)" in render(ELEVATION_TEMPLATE, mapping)
    del mapping["break_glass"]
    with pytest.raises(UndefinedError):
        render(ELEVATION_TEMPLATE, mapping)


def test_the_templates_ship_in_the_package() -> None:
    """Every template is package data: present next to the module and matched by pyproject."""
    directory = files("hfaccess.install") / "templates"
    shipped = sorted(entry.name for entry in directory.iterdir() if entry.name.endswith(".j2"))
    assert set(_install_templates()) | {ELEVATION_TEMPLATE} == set(shipped)
    config = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))
    patterns = config["tool"]["setuptools"]["package-data"]["hfaccess.install"]
    for name in shipped:
        assert any(fnmatch.fnmatch(f"templates/{name}", pattern) for pattern in patterns), name


# What a template may do with the context for `render_cached` to be exact: print a value,
# join values, test whether a value is empty (If, Not, And, Or, selectattr/rejectattr without a
# test), loop over a tuple, include another template. No comparison, arithmetic, slicing, call,
# test (`is ...`) or other filter: each of those could see a token instead of the string.
_SHAPE_SAFE_NODES = {
    nodes.TemplateData,
    nodes.Output,
    nodes.Name,
    nodes.Getattr,
    nodes.Const,
    nodes.If,
    nodes.Not,
    nodes.And,
    nodes.Or,
    nodes.For,
    nodes.Tuple,
    nodes.Include,
    nodes.Filter,
}
_SHAPE_SAFE_FILTERS = {"join", "list", "selectattr", "rejectattr"}


@pytest.mark.parametrize("name", sorted({*_install_templates(), ELEVATION_TEMPLATE}))
def test_templates_only_print_join_or_test_strings(name: str) -> None:
    env = environment()
    assert env.loader is not None
    source = env.loader.get_source(env, name)[0]
    assert "\x00" not in source
    assert "\x01" not in source
    for node in env.parse(source).find_all(nodes.Node):
        assert type(node) in _SHAPE_SAFE_NODES, (name, node)
        if isinstance(node, nodes.Filter):
            assert node.name in _SHAPE_SAFE_FILTERS, (name, node.name)
            if node.name in {"selectattr", "rejectattr"}:
                assert len(node.args) == 1, (name, node)  # truthiness of one attribute only


@pytest.mark.parametrize("stack", sorted(REFS))
def test_the_cached_render_is_the_plain_render(stack: str) -> None:
    """Every environment's INSTALL.md and access section, rendered both ways, twice."""
    plan, context = _context(REFS[stack])
    mapping = context.as_mapping()
    assert render_cached(TEMPLATE, mapping) == render(TEMPLATE, mapping)
    assert render_cached(TEMPLATE, mapping) == render(TEMPLATE, mapping)
    if plan.active:
        model = sample_model()
        roles = access_roles_context(plan, model.registry, model.highflame).as_mapping()
        assert render_cached(ELEVATION_TEMPLATE, roles) == render(ELEVATION_TEMPLATE, roles)


def test_stacks_of_one_shape_each_get_their_own_strings() -> None:
    """Same shape, different names: the second render reuses the first's text, not its names."""
    first = make_ref({"exposures": {"web": {"namespace": "a", "service": "web", "port": 80}}})
    second = make_ref(
        {"exposures": {"api": {"namespace": "b-ns", "service": "api", "port": 8080}}},
        customer="umbrella",
    )
    texts = []
    for ref in (first, second):
        mapping = _context(ref)[1].as_mapping()
        text = render_cached(TEMPLATE, mapping)
        assert text == render(TEMPLATE, mapping)
        texts.append(text)
    assert "umbrella" not in texts[0]
    assert "umbrella-prod-kube" in texts[1]
    assert "initech" not in texts[1]


def test_a_context_the_walk_does_not_know_is_rendered_plainly() -> None:
    """A list (or any mutable or unknown value) in the context: no shape, the plain render."""
    mapping = _context(sample_refs()["acme-prod"])[1].as_mapping()
    mapping["can"] = list(mapping["can"])
    assert render_cached(TEMPLATE, mapping) == render(TEMPLATE, mapping)
