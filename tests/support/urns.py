"""Resource URNs as the Pulumi engine computes them, with the aliases a program declares.

The mock monitor builds a child's URN from its parent's last type only; the engine uses the whole
chain of enclosing types (the root Stack left out). `engine_urns` rebuilds that from the recorded
parents, and `covered_urns` adds every URN an alias (own or inherited from an enclosing
component) lets a resource take over, so a test can assert that no existing resource would be
replaced by a rename or a move.
"""

from __future__ import annotations

from tests.support.pulumi_mocks import ProgramRun, Registered

STACK_TYPE = "pulumi:pulumi:Stack"


def _urn(stack: str, project: str, parent_chain: str, typ: str, name: str) -> str:
    chain = f"{parent_chain}${typ}" if parent_chain else typ
    return f"urn:pulumi:{stack}::{project}::{chain}::{name}"


def _chain(urn: str) -> str:
    return urn.split("::")[2] if urn else ""


def _stack_and_project(run: ProgramRun) -> tuple[str, str]:
    head, project = run.resources[0].urn.split("::")[:2]
    return head.removeprefix("urn:pulumi:"), project


def _urns(run: ProgramRun, resource: Registered, with_aliases: bool) -> set[str]:
    stack, project = _stack_and_project(run)
    by_urn = {r.urn: r for r in run.resources}
    parent = by_urn.get(resource.parent)
    parents: set[str]
    if parent is None or parent.typ == STACK_TYPE:
        parents = {""}
    else:
        parents = _urns(run, parent, with_aliases)
    found = {_urn(stack, project, _chain(p), resource.typ, resource.name) for p in parents}
    if not with_aliases:
        return found
    for alias in resource.aliases:
        if alias.get("urn"):
            found.add(alias["urn"])
            continue
        alias_parents = parents
        if alias["noParent"]:
            alias_parents = {""}
        elif alias["parentUrn"]:
            alias_parents = {alias["parentUrn"]}
        typ = alias["type"] or resource.typ
        name = alias["name"] or resource.name
        found.update(_urn(stack, project, _chain(p), typ, name) for p in alias_parents)
    return found


def urn_aliases(run: ProgramRun) -> dict[str, set[str]]:
    """Each resource's URN (as the engine computes it) -> every URN it holds, aliases included."""
    found: dict[str, set[str]] = {}
    for resource in run.resources:
        if resource.typ != STACK_TYPE:
            for urn in _urns(run, resource, with_aliases=False):
                found[urn] = _urns(run, resource, with_aliases=True)
    return found
