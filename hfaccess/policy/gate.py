"""The one policy gate: build the policy, check it, and refuse with `<file>: <field>: <reason>`.

`validate`, `render`, `check` and the `tailnet` program all call `checked_policy`, so a
registry one of them accepts is accepted by all, and one they refuse is refused by all. A
violation located in an entry that came from the base policy is reported against the
Highflame file actually read (`--highflame`), at `base_policy.<section>...`; one in the
generated part is reported against the generated policy.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from hfaccess.policy.builder import build_policy, compose_policy
from hfaccess.policy.checker import Violation, check_policy
from hfaccess.policy.serialize import policy_text
from hfaccess.registry.errors import InputError, InvalidInput
from hfaccess.registry.workspace import AccessModel

GENERATED = "(generated tailnet policy)"
_LOCATION_RE = re.compile(r"^(?P<section>[A-Za-z0-9]+)(?:\[(?P<index>\d+)\]|\.(?P<key>[^.\[]+))?")


def _from_base(where: str, base: dict[str, Any]) -> bool:
    """Whether the policy entry at `where` is one the base policy contributed."""
    match = _LOCATION_RE.match(where)
    if match is None or match.group("section") not in base:
        return False
    content = base[match.group("section")]
    index, key = match.group("index"), match.group("key")
    if index is not None:
        return isinstance(content, list) and int(index) < len(content)
    if key is not None:
        return isinstance(content, dict) and key in content
    return True


def violation_error(violation: Violation, model: AccessModel) -> InputError:
    """One violation as an input error, addressed to the file (and field) it comes from."""
    label = f"invariant {violation.invariant}" if violation.invariant else "structure"
    if _from_base(violation.where, model.highflame.base_policy):
        return InputError(
            model.highflame_source,
            f"base_policy.{violation.where}",
            f"{violation.message} ({label})",
        )
    if violation.where == "registry":
        return InputError("customers", "name", f"{violation.message} ({label})")
    return InputError(GENERATED, violation.where, f"{violation.message} ({label})")


def _unchecked(model: AccessModel) -> dict[str, Any] | None:
    """The policy composed from a base that base_sections refused, when it can be composed."""
    try:
        return compose_policy(model, copy.deepcopy(model.highflame.base_policy))
    except (TypeError, AttributeError, InvalidInput):
        return None  # a section of the wrong type: base_sections already says which


# Models whose checked policy is kept while `policy_checked_once` is active: model id ->
# (model, answer). The model is held so its id cannot be reused by another object meanwhile.
_once: dict[int, tuple[AccessModel, tuple[dict[str, Any], str]]] = {}
_once_active: list[bool] = []


@contextmanager
def policy_checked_once() -> Iterator[None]:
    """Within: `checked_policy` builds and checks each model's policy once, not once per caller.

    `render --all` gates the model, then renders the tailnet stack from the same unchanged
    model: at 10,000 customers each pass costs seconds. Only for a model that does not change
    inside the block.
    """
    _once_active.append(True)
    try:
        yield
    finally:
        _once_active.pop()
        if not _once_active:
            _once.clear()


def checked_policy(model: AccessModel) -> tuple[dict[str, Any], str]:
    """The policy document and its canonical text; InvalidInput if it breaks any invariant.

    A base policy that names customer tags is refused with every other violation of the
    composed policy too, so one run lists everything to fix.
    """
    if _once_active:
        kept = _once.get(id(model))
        if kept is not None and kept[0] is model:
            return kept[1]
        answer = _checked_policy(model)
        _once[id(model)] = (model, answer)
        return answer
    return _checked_policy(model)


def _checked_policy(model: AccessModel) -> tuple[dict[str, Any], str]:
    errors: list[InputError] = []
    try:
        document: dict[str, Any] | None = build_policy(model)
    except InvalidInput as exc:
        errors.extend(exc.errors)
        document = _unchecked(model)
    if document is not None:
        errors.extend(violation_error(v, model) for v in check_policy(document, model))
    if errors or document is None:
        raise InvalidInput(sorted(set(errors)))
    return document, policy_text(document)
