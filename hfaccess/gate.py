"""Every gate is the same gate: all the refusals of validate, render, check and the program.

`refusals(model)` runs, in memory, everything any command or stack would refuse: the policy
gate (build, base-policy rules, checker) and every environment's install plan (the one
refusal of its artifacts and of its stack: exposures must not conflict). `validate` runs exactly this; `render`, `check` and the Pulumi
program run it before they write or declare anything. So `validate` passing means
`render --all` and every stack's program pass, and `validate` failing means they refuse.
"""

from __future__ import annotations

from hfaccess.install.plan import install_plan
from hfaccess.policy.gate import checked_policy
from hfaccess.registry.errors import InputError, InvalidInput
from hfaccess.registry.validation import raise_if_any
from hfaccess.registry.workspace import AccessModel


def refusals(model: AccessModel) -> list[InputError]:
    """Every error any gate would refuse `model` with; [] when every gate accepts it."""
    errors: list[InputError] = []
    try:
        checked_policy(model)
    except InvalidInput as exc:
        errors.extend(exc.errors)
    for ref in model.registry.environments():
        try:  # the only refusal of an environment's artifacts (render_stack) and program
            install_plan(ref, model.registry.sources.get(ref.customer.name))
        except InvalidInput as exc:
            errors.extend(exc.errors)
    return sorted(set(errors))


def require_valid(model: AccessModel) -> AccessModel:
    """`model` when every gate accepts it; InvalidInput with every refusal otherwise."""
    raise_if_any(refusals(model))
    return model
