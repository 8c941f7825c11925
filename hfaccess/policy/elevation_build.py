"""Adding posture, recording and elevation to the composed policy document (one call).

The builder composes the standing policy; this step gives every standing SRE grant its
`srcPosture`, splits the API-server grant so recorded customers' capability carries the
recorder, and appends the elevated grants, the recorder rule, the postures and their tests.
"""

from __future__ import annotations

from typing import Any

from hfaccess.policy.capability import KUBERNETES_CAPABILITY
from hfaccess.policy.elevation import ElevationView
from hfaccess.registry import names
from hfaccess.registry.errors import InputError, InvalidInput
from hfaccess.registry.workspace import AccessModel


def _customer_tags(model: AccessModel) -> set[str]:
    return {tag for c in model.registry.customers for tag in names.customer_tags(c.name)}


def _standing(grant: dict[str, Any], view: ElevationView) -> list[dict[str, Any]]:
    """A generated SRE grant with its posture; the API-server grant split by recording."""
    posture = view.standing_posture()
    if KUBERNETES_CAPABILITY not in grant.get("app", {}):
        return [{**grant, "srcPosture": posture} if posture else grant]
    by_capability: dict[str, tuple[list[dict[str, Any]], list[str]]] = {}
    for tag in grant["dst"]:
        customer = tag[len(names.operator_device_tag("")) :]
        capability = view.standing_capability(customer)
        key = repr(capability)
        by_capability.setdefault(key, (capability, []))[1].append(tag)
    split = []
    for capability, tags in sorted(by_capability.values(), key=lambda item: len(item[0][0])):
        piece: dict[str, Any] = {"src": grant["src"], "dst": sorted(tags), "ip": grant["ip"]}
        if posture:
            piece["srcPosture"] = posture
        piece["app"] = {KUBERNETES_CAPABILITY: capability}
        split.append(piece)
    return split


def add_elevation(document: dict[str, Any], model: AccessModel) -> dict[str, Any]:
    """`document` with posture, recording and elevation added (a new dict; input unchanged)."""
    view = ElevationView.of(model.registry, model.highflame)
    customer_tags = _customer_tags(model)
    grants: list[dict[str, Any]] = []
    for grant in document.get("grants", []):
        generated = (
            isinstance(grant, dict)
            and grant.get("src") == [view.sre_group]
            and bool(grant.get("dst"))
            and set(grant.get("dst", [])) <= customer_tags
        )
        grants.extend(_standing(grant, view) if generated else [grant])
    grants.extend(view.elevated_grants())
    recorder = view.recorder_grant()
    if recorder is not None:
        grants.append(recorder)
    result = {**document, "grants": grants}
    postures = view.postures()
    base_postures = document.get("postures", {})
    if postures:
        if not isinstance(base_postures, dict):
            raise InvalidInput(
                [InputError(model.highflame_source, "base_policy.postures", "must be a mapping")]
            )
        taken = sorted(set(base_postures) & set(postures))
        if taken:
            raise InvalidInput(
                InputError(
                    model.highflame_source,
                    f"base_policy.postures.{name}",
                    "is generated; rename it",
                )
                for name in taken
            )
        result["postures"] = {**base_postures, **postures}
    if view.recorder_tag is not None and view.recorded:
        owners = result.get("tagOwners", {})
        if view.recorder_tag not in owners:
            result["tagOwners"] = {**owners, view.recorder_tag: []}
    result["tests"] = [*document.get("tests", []), *view.recorder_tests()]
    return result
