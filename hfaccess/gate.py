"""Every gate is the same gate: all the refusals of validate, render, check and the program.

`refusals(model)` runs, in memory, everything any command or stack would refuse: the policy
gate (build, base-policy rules, checker) and every environment's install plan (the one
refusal of its artifacts and of its stack: exposures must not conflict). `validate` runs
exactly this; `render`, `check` and the `tailnet` program run it before they write or declare
anything. So `validate` passing means `render --all` and every stack's program pass, and
`validate` failing means they refuse.

An environment stack answers for its own customer (`environment_refusals` on a model scoped by
hfaccess.registry.scoped): it refuses every refusal of `validate` in its customer's file, in any
file that could claim one of that customer's derived names, in Highflame's file, and in its
customer's install plans, with the same lines. It does not refuse another customer's unrelated
mistake nor run the policy gate: the policy is tailnet-wide and only the `tailnet` stack
declares it, with the whole gate.
"""

from __future__ import annotations

from hfaccess.install.plan import plan_refusals
from hfaccess.registry.errors import InputError, InvalidInput
from hfaccess.registry.validation import raise_if_any
from hfaccess.registry.workspace import AccessModel


def refusals(model: AccessModel) -> list[InputError]:
    """Every error any gate would refuse `model` with; [] when every gate accepts it."""
    from hfaccess.policy.gate import checked_policy  # only here: environment stacks never need it

    errors: list[InputError] = []
    try:
        checked_policy(model)
    except InvalidInput as exc:
        errors.extend(exc.errors)
    for ref in model.registry.environments():
        # the only refusal of an environment's artifacts (render_stack) and program
        errors.extend(plan_refusals(ref, model.registry.sources.get(ref.customer.name)))
    return sorted(set(errors))


def require_valid(model: AccessModel) -> AccessModel:
    """`model` when every gate accepts it; InvalidInput with every refusal otherwise."""
    raise_if_any(refusals(model))
    return model


def environment_refusals(model: AccessModel, customer: str) -> list[InputError]:
    """What `validate` refuses that concerns `customer`'s environment stacks.

    `model` is an environment stack's scoped model (hfaccess.registry.workspace.load_stack_model),
    whose loading already refused the customer's file, the files that could collide with it and
    Highflame's file. What remains is the customer's install plans. The policy gate is the
    `tailnet` stack's: the policy is declared there only, and it is tailnet-wide.
    """
    errors: list[InputError] = []
    for ref in model.registry.environments():
        if ref.customer.name == customer:
            errors.extend(plan_refusals(ref, model.registry.sources.get(ref.customer.name)))
    return sorted(set(errors))
