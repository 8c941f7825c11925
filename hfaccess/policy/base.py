"""Highflame's own policy sections, checked before the customers' parts are added to them.

The base policy may describe only Highflame's own devices: it must never name a tag in the
customers' tag space (`tag:cust-*`, `tag:k8s*`, registered yet or not: a base grant to
`tag:cust-acme` would bypass the registry, a base `tagOwners` entry for it would be silently
replaced) nor define the SRE group, whose members come only from `sre.members`. Everything else
is judged by the checker on the composed policy (hfaccess.policy.gate), with its errors traced
back to `base_policy.<section>` in the file actually read.
"""

from __future__ import annotations

import copy
from typing import Any

from hfaccess.policy.reader import host_of, strings_in
from hfaccess.registry import names
from hfaccess.registry.collisions import tag_owners
from hfaccess.registry.errors import InputError, InvalidInput
from hfaccess.registry.workspace import AccessModel

# Sections the builder extends; each must have this JSON type in the base policy.
MAPPING_SECTIONS = ("groups", "tagOwners")
LIST_SECTIONS = ("grants", "tests")


def _tag_part(text: str) -> str:
    """`tag:x:443` -> `tag:x`; anything else unchanged."""
    return host_of(text) if text.startswith("tag:") else text


def base_sections(model: AccessModel) -> dict[str, Any]:
    """A deep copy of the base policy; raise InvalidInput if it collides with the registry."""
    base = copy.deepcopy(model.highflame.base_policy)
    source = model.highflame_source
    owners = tag_owners(model.registry.customers)
    errors: list[InputError] = []
    for section in MAPPING_SECTIONS:
        if section in base and not isinstance(base[section], dict):
            errors.append(InputError(source, f"base_policy.{section}", "must be a mapping"))
    for section in LIST_SECTIONS:
        if section in base and not isinstance(base[section], list):
            errors.append(InputError(source, f"base_policy.{section}", "must be a list"))
    groups = base.get("groups")
    if isinstance(groups, dict) and model.highflame.sre_group in groups:
        errors.append(
            InputError(
                source,
                f"base_policy.groups.{model.highflame.sre_group}",
                "is generated from sre.members; list engineers there instead",
            )
        )
    for path, text in strings_in(base, "base_policy"):
        tag = _tag_part(text)
        owner = owners.get(tag)
        if owner is not None:
            errors.append(
                InputError(
                    source,
                    path,
                    f"{tag!r} is customer {owner}'s tag; only customers/"
                    f"{owner}.yaml decides access to it",
                )
            )
        elif names.in_customer_tag_space(tag):
            errors.append(
                InputError(
                    source,
                    path,
                    f"{tag!r} is in the customers' tag space (tag:cust-*, tag:k8s*); the base "
                    "policy describes only Highflame's own devices",
                )
            )
    if errors:
        raise InvalidInput(sorted(set(errors)))
    return base
