"""Which customer (or environment) a kill is aimed at, decided before the tailnet is touched.

Pure apart from reading `customers/`: name checks, the overlap refusal (two customers whose tag
chains intersect cannot be told apart by tags), and the active-environment reckoning (an
environment kill cuts the customer's grants only when no other environment stays active).
Errors come back as values (`TargetError`); the CLI only prints them. Whether a target that is
not in the registry exists at all is decided after the tailnet is read (`unknown_target`).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from hfaccess.registry import names
from hfaccess.registry.errors import InvalidInput
from hfaccess.registry.loader import customer_file, load_customer
from hfaccess.registry.models import Customer
from hfaccess.revoke.plan import KillPlan, KillTarget


@dataclass(frozen=True)
class TargetError:
    """The kill cannot run for this target (exit 2): nothing was read or changed."""

    message: str


@dataclass(frozen=True)
class ResolvedTarget:
    """A target the kill may aim at, the file to record the revocation in, and warnings."""

    target: KillTarget
    record_path: Path | None  # None: the customer has no file (killed by tags only)
    warnings: tuple[str, ...] = ()

    @property
    def registered(self) -> bool:
        return self.record_path is not None


def overlapping_customers(customer: str, directory: Path) -> list[str]:
    """Registered customers whose tag chain shares a tag with `customer`'s."""
    mine = set(names.customer_tags(customer))
    return [
        other.stem
        for other in sorted(directory.glob("*.yaml"))
        if other.stem != customer and not mine.isdisjoint(names.customer_tags(other.stem))
    ]


def still_active(customer: Customer, environment: str | None) -> tuple[str, ...]:
    """The customer's environments other than `environment` that remain reachable."""
    return tuple(
        e for e in sorted(customer.environments) if e != environment and customer.active(e)
    )


def resolve_target(
    customer: str,
    environment: str | None,
    directory: Path,
    *,
    client_ids: tuple[str, ...] = (),
) -> ResolvedTarget | TargetError:
    """The target for `kill CUSTOMER [--env ENV]`, or why there is none.

    `client_ids` are credential ids recorded for the environment (`pulumi stack output
    oauthClientId`): evidence that a credential is the environment's even if its description is not
    the one the program writes.
    """
    if not names.CUSTOMER_NAME_RE.fullmatch(customer):
        return TargetError(f"kill: {customer!r} is not a customer name")
    if environment is not None and not names.ENVIRONMENT_NAME_RE.fullmatch(environment):
        return TargetError(f"kill: --env {environment!r} is not an environment name")
    if client_ids and environment is None:
        return TargetError("kill: --client-id names one environment's credential: it needs --env")
    overlapping = overlapping_customers(customer, directory)
    if overlapping:
        return TargetError(
            f"kill: {customer}'s tags overlap those of {', '.join(overlapping)} "
            f"({', '.join(names.customer_tags(customer))}); a kill by tags would hit them too: "
            "refusing"
        )
    path = customer_file(directory, customer)
    if not path.exists():
        if environment is not None:
            return TargetError(
                f"kill: {path.as_posix()} does not exist: --env needs a registered customer"
            )
        return ResolvedTarget(
            KillTarget(customer),
            None,
            (f"{path.as_posix()} does not exist: nothing will be recorded",),
        )
    try:
        loaded = load_customer(path, path.as_posix())
    except InvalidInput as exc:
        warnings = (
            f"{path.as_posix()} is invalid; killing by tags anyway:",
            *(f"  {e}" for e in exc.errors),
        )
        envs: tuple[str, ...] = (environment,) if environment else ()
        # Which other environments are active is unknown: revocation errs on the side of
        # cutting, so an environment kill then cuts the customer's grants too.
        return ResolvedTarget(
            KillTarget(customer, environment, envs, (), client_ids), path, warnings
        )
    envs = tuple(sorted(loaded.environments))
    if environment is not None and environment not in loaded.environments:
        return TargetError(
            f"kill: {customer} has no environment {environment!r} (known: {', '.join(envs)})"
        )
    return ResolvedTarget(
        KillTarget(customer, environment, envs, still_active(loaded, environment), client_ids),
        path,
    )


def unknown_target(resolved: ResolvedTarget, plan: KillPlan, read_ok: bool) -> TargetError | None:
    """A customer in neither the registry nor the tailnet is a typo, not a kill (exit 2).

    `read_ok` is False when a listing failed: an unregistered name cannot then be confirmed.
    """
    if resolved.registered:
        return None
    customer = resolved.target.customer
    if not read_ok:
        return TargetError(
            f"kill: {customer} is not in the registry and the tailnet could not be read to "
            "find it: nothing changed"
        )
    if plan.present:
        return None
    return TargetError(
        f"kill: unknown customer {customer!r}: not in the registry and nothing on the tailnet "
        f"carries or names its tags ({', '.join(names.customer_tags(customer))}): nothing "
        "changed (a typo?)"
    )
