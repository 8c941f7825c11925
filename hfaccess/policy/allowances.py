"""The checker's one extension point: paths the access model allows beyond the default rules.

By default a customer device initiates nothing, and only `group:highflame-sre` reaches a
customer's tags. Features that need a narrow exception (for example session recording, where
each recorded customer's operator must reach Highflame's recorder on the recorder's port, or
time-boxed per-engineer grants gated by a posture) add it here, computed from the access model,
so the checker stays one rule set and every exception is listed in one place
(docs/tailnet-policy.md, "Allowed exceptions").
"""

from __future__ import annotations

from dataclasses import dataclass

from hfaccess.registry import names
from hfaccess.registry.workspace import AccessModel


@dataclass(frozen=True)
class CustomerSourcePath:
    """A customer tag allowed to initiate a connection: to one Highflame tag, on given ports.

    `ports` are grant `ip` entries (`tcp:443`). `dst` must be a Highflame tag (never in the
    customers' tag space); the checker refuses any other path from a customer tag.
    """

    src: str
    dst: str
    ports: tuple[str, ...]
    reason: str


@dataclass(frozen=True)
class PostureGatedSource:
    """A source other than the SRE group (e.g. one engineer's login) allowed to reach the
    customer tags the SRE group reaches, on the same ports, only through a grant whose
    `srcPosture` names `posture`."""

    src: str
    posture: str
    reason: str


@dataclass(frozen=True)
class Allowances:
    """Every exception the checker accepts, computed from the model."""

    customer_sources: tuple[CustomerSourcePath, ...] = ()
    posture_gated_sources: tuple[PostureGatedSource, ...] = ()

    def customer_paths(self, src: str) -> tuple[CustomerSourcePath, ...]:
        return tuple(path for path in self.customer_sources if path.src == src)

    def gated(self, src: str) -> tuple[PostureGatedSource, ...]:
        return tuple(g for g in self.posture_gated_sources if g.src == src)


def policy_allowances(model: AccessModel) -> Allowances:
    """The exceptions `model` implies, computed from the registry, never configured.

    Session recording: each recorded customer's operator device tag reaches the recorder tag
    on the recorder's port (hfaccess.policy.elevation). Break-glass grants (one engineer,
    posture-gated) are judged by ElevationView.elevated_target before this list is consulted.
    """
    from hfaccess.policy.elevation import RECORDER_PORT, ElevationView

    view = ElevationView.of(model.registry, model.highflame)
    recorder = view.recorder_tag
    paths: tuple[CustomerSourcePath, ...] = ()
    if recorder is not None:
        paths = tuple(
            CustomerSourcePath(
                names.operator_device_tag(customer),
                recorder,
                (f"tcp:{RECORDER_PORT}",),
                f"session recording of customer {customer}",
            )
            for customer in sorted(view.recorded)
        )
    return Allowances(customer_sources=paths)
