"""Time-boxed elevation, session recording and device posture in the tailnet policy. Pure.

- Standing SRE grants carry `srcPosture: [posture:hf_sre]` when `sre.posture` is configured.
- Each `break_glass` engineer of an active environment gets a grant of their own: src their
  login alone, gated by the posture `posture:hf_elevate_<c>_<env>`, which reads the custom
  attribute `custom:hf_elevate_<c>_<env>` that `hfaccess elevate` sets with an expiry. The
  capability impersonates `highflame-elevated-<c>-<env>`, a group only that environment's
  cluster binds (to `break_glass.role`), and enforces session recording.
- A customer with any elevation, or any standing cluster-admin, is *recorded*: its standing grant
  carries the recorder too, and its operator tag may reach the recorder tag on the recorder's
  port. That is the only rule whose source is a customer tag.

The same view answers the checker's questions (`ElevationView`), so builder and checker share
one definition of what an elevated grant, a recorded customer and the recorder rule look like.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import timedelta
from typing import TYPE_CHECKING, Any, Final

from hfaccess.policy.access import API_SERVER_PORT
from hfaccess.policy.capability import KUBERNETES_CAPABILITY
from hfaccess.registry import names
from hfaccess.registry.highflame import DEFAULT_FILE as HIGHFLAME_FILE
from hfaccess.registry.highflame import HighflameConfig
from hfaccess.registry.models import ClusterRole, Registry
from hfaccess.registry.posture import ELEVATION_ATTRIBUTE_PREFIX

if TYPE_CHECKING:  # the policy reader only where a policy is read: not in environment stacks
    from hfaccess.policy.rules import Rule

# tsrecorder serves its recording endpoints (/record, /v2/record, /v2/event) over plain HTTP on
# port 80 of its tailnet address; the API server proxy dials `<recorder address>:80`.
RECORDER_PORT: Final = 80
SRE_POSTURE: Final = "posture:hf_sre"
# The elevated group is a derived name (hfaccess.registry.names), kept here for the policy's
# readers: the install plan binds it without importing the policy modules.
ELEVATED_GROUP_PREFIX: Final = names.ELEVATED_GROUP_PREFIX
elevated_group: Final = names.elevated_group
ELEVATION_VALUE: Final = "granted"
# A finding: (invariant, where, message); the checker turns it into a Violation.
Finding = tuple[int, str, str]
ELEVATION_INVARIANT: Final = 8


def _snake(customer: str, environment: str) -> str:
    # Customer names never hold `_` and environment names no `-` or `_`: this stays injective.
    return f"{customer.replace('-', '_')}_{environment}"


def elevation_attribute(customer: str, environment: str) -> str:
    """The custom posture attribute `hfaccess elevate` sets on an engineer's devices."""
    return f"{ELEVATION_ATTRIBUTE_PREFIX}{_snake(customer, environment)}"


def elevation_posture(customer: str, environment: str) -> str:
    """The named posture an elevated grant requires."""
    return f"posture:hf_elevate_{_snake(customer, environment)}"


@dataclass(frozen=True)
class Elevation:
    """One environment's break-glass: its engineers, role and longest elevation."""

    customer: str
    environment: str
    role: ClusterRole
    engineers: tuple[str, ...]
    max_duration: timedelta

    @property
    def group(self) -> str:
        return elevated_group(self.customer, self.environment)

    @property
    def attribute(self) -> str:
        return elevation_attribute(self.customer, self.environment)

    @property
    def posture(self) -> str:
        return elevation_posture(self.customer, self.environment)

    @property
    def device_tag(self) -> str:
        return names.operator_device_tag(self.customer)


def elevations(registry: Registry) -> list[Elevation]:
    """Every break-glass of an active environment, in customer then environment order."""
    found: list[Elevation] = []
    for ref in registry.environments():
        glass = ref.environment.break_glass
        if glass is None or not ref.active:
            continue
        found.append(
            Elevation(
                ref.customer.name,
                ref.name,
                glass.role,
                tuple(glass.engineers),
                glass.max_timedelta,
            )
        )
    return found


def elevated_groups(registry: Registry) -> dict[tuple[str, str], str]:
    """(customer, environment) -> the elevated group its cluster binds, for active break-glass."""
    return {(e.customer, e.environment): e.group for e in elevations(registry)}


def standing_admin(registry: Registry) -> list[tuple[str, str]]:
    """(customer, environment) of every active environment whose standing role is cluster-admin."""
    return [
        (ref.customer.name, ref.name)
        for ref in registry.environments()
        if ref.active and ref.environment.cluster_role is ClusterRole.CLUSTER_ADMIN
    ]


def recorded_customers(registry: Registry, highflame: HighflameConfig) -> tuple[str, ...]:
    """Customers whose sessions are recorded: any elevation or standing cluster-admin.

    Every stack's INSTALL.md asks; the answer for the last (registry, highflame) pair is kept,
    so `render --all` scans the registry once, not once per stack (which was quadratic).
    """
    cached = _RECORDED_CACHE
    if cached and cached[0] is registry and cached[1] is highflame:
        answer: tuple[str, ...] = cached[2]
        return answer
    if highflame.recording is None:
        result: tuple[str, ...] = ()
    else:
        customers = {e.customer for e in elevations(registry)}
        customers.update(customer for customer, _ in standing_admin(registry))
        result = tuple(sorted(customers))
    _RECORDED_CACHE[:] = [registry, highflame, result]
    return result


_RECORDED_CACHE: list[Any] = []  # [registry, highflame, answer] of the last call


def unrecorded_admin_notes(registry: Registry, highflame: HighflameConfig) -> list[str]:
    """One flag per standing cluster-admin environment whose sessions are not recorded."""
    if highflame.recording is not None:
        return []
    return [
        f"{names.stack_name(c, e)}: standing cluster-admin WITHOUT session recording "
        f"(configure recording.recorder_tag in {HIGHFLAME_FILE.as_posix()})"
        for c, e in standing_admin(registry)
    ]


def kubernetes_cap(group: str, recorder_tag: str | None) -> list[dict[str, Any]]:
    """The Kubernetes capability value: impersonate `group`, recorded when `recorder_tag`."""
    entry: dict[str, Any] = {"impersonate": {"groups": [group]}}
    if recorder_tag is not None:
        entry["recorder"] = [recorder_tag]
        entry["enforceRecorder"] = True
    return [entry]


@dataclass(frozen=True)
class ElevationView:
    """What the model says about postures, recording and elevation; builder and checker use it."""

    sre_group: str
    sre_posture: tuple[str, ...]
    recorder_tag: str | None
    recorded: frozenset[str]
    elevations: tuple[Elevation, ...]

    @classmethod
    def of(cls, registry: Registry, highflame: HighflameConfig) -> ElevationView:
        recorder = highflame.recording.recorder_tag if highflame.recording else None
        return cls(
            sre_group=highflame.sre_group,
            sre_posture=tuple(highflame.sre.posture),
            recorder_tag=recorder,
            recorded=frozenset(recorded_customers(registry, highflame)),
            elevations=tuple(elevations(registry)),
        )

    # -- what the policy holds -----------------------------------------------------------

    def standing_capability(self, customer: str) -> list[dict[str, Any]]:
        recorder = self.recorder_tag if customer in self.recorded else None
        return kubernetes_cap(names.KUBERNETES_GROUP, recorder)

    def standing_posture(self) -> list[str]:
        return [SRE_POSTURE] if self.sre_posture else []

    def postures(self) -> dict[str, list[str]]:
        """The `postures` section this model needs (empty when nothing is posture-gated)."""
        section: dict[str, list[str]] = {}
        if self.sre_posture:
            section[SRE_POSTURE] = list(self.sre_posture)
        for elevation in self.elevations:
            section[elevation.posture] = [
                *self.sre_posture,
                f"{elevation.attribute} == '{ELEVATION_VALUE}'",
            ]
        return section

    def recorder_grant(self) -> dict[str, Any] | None:
        if self.recorder_tag is None or not self.recorded:
            return None
        return {
            "src": sorted(names.operator_device_tag(c) for c in self.recorded),
            "dst": [self.recorder_tag],
            "ip": [f"tcp:{RECORDER_PORT}"],
        }

    def elevated_grant(self, elevation: Elevation, engineer: str) -> dict[str, Any]:
        return {
            "src": [engineer],
            "dst": [elevation.device_tag],
            "ip": [f"tcp:{API_SERVER_PORT}"],
            "srcPosture": [elevation.posture],
            "app": {KUBERNETES_CAPABILITY: kubernetes_cap(elevation.group, self.recorder_tag)},
        }

    def elevated_grants(self) -> list[dict[str, Any]]:
        return [
            self.elevated_grant(elevation, engineer)
            for elevation in self.elevations
            for engineer in elevation.engineers
        ]

    def recorder_tests(self) -> list[dict[str, Any]]:
        """Recorded customers' operators reach the recorder on its port and nothing else."""
        if self.recorder_tag is None:
            return []
        return [
            {
                "src": names.operator_device_tag(customer),
                "proto": "tcp",
                "accept": [f"{self.recorder_tag}:{RECORDER_PORT}"],
                "deny": [f"{self.recorder_tag}:{API_SERVER_PORT}"],
            }
            for customer in sorted(self.recorded)
        ]

    # -- what the checker asks -------------------------------------------------------------

    def is_recorder_rule(self, rule: Rule) -> bool:
        """The one exception to 'customer tags initiate nothing': exactly the recorder rule."""
        if self.recorder_tag is None or not rule.src or rule.app or rule.src_posture:
            return False
        allowed_src = {names.operator_device_tag(c) for c in self.recorded}
        if not set(rule.src) <= allowed_src:
            return False
        return all(
            t.host == self.recorder_tag and set(t.ports) == {f"tcp:{RECORDER_PORT}"}
            for t in rule.targets
        )

    def engineer_elevations(self, engineer: str, customer: str) -> list[Elevation]:
        return [e for e in self.elevations if e.customer == customer and engineer in e.engineers]

    def elevated_target(self, rule: Rule, host: str, customer: str) -> list[Finding] | None:
        """Findings for a rule from one break-glass engineer to `customer`'s operator `host`;
        None when the rule is no elevated grant (the checker then refuses its source)."""
        if len(rule.src) != 1 or host != names.operator_device_tag(customer):
            return None
        engineer = rule.src[0]
        options = self.engineer_elevations(engineer, customer)
        if not options:
            return None
        findings: list[Finding] = []
        ports = next((t.ports for t in rule.targets if t.host == host), ())
        if set(ports) != {f"tcp:{API_SERVER_PORT}"}:
            findings.append(
                (
                    3,
                    rule.where,
                    f"elevated grant opens {host} on {list(ports)}; only tcp:{API_SERVER_PORT}",
                )
            )
        findings.extend(self._elevated_capability(rule, engineer, options))
        return findings

    def _elevated_capability(
        self, rule: Rule, engineer: str, options: list[Elevation]
    ) -> Iterator[Finding]:
        capability = rule.app.get(KUBERNETES_CAPABILITY)
        extra = sorted(set(rule.app) - {KUBERNETES_CAPABILITY})
        if extra:
            yield (3, rule.where, f"elevated grant carries app capabilities {extra}")
        match = [
            e
            for e in options
            if capability == kubernetes_cap(e.group, self.recorder_tag)
            and list(rule.src_posture) == [e.posture]
        ]
        if not match:
            expected = [
                {"srcPosture": [e.posture], "app": kubernetes_cap(e.group, self.recorder_tag)}
                for e in options
            ]
            yield (
                ELEVATION_INVARIANT,
                rule.where,
                f"elevated grant for {engineer} must be exactly one of {expected} (recorded, "
                f"posture-gated), got srcPosture {list(rule.src_posture)} and {capability}",
            )

    def standing_rule(self, rule: Rule, customer: str) -> Iterator[Finding]:
        """A standing SRE rule to `customer`'s operator: its capability and posture."""
        capability = rule.app.get(KUBERNETES_CAPABILITY)
        expected = self.standing_capability(customer)
        if capability is not None and capability != expected:
            yield (
                3,
                rule.where,
                f"{KUBERNETES_CAPABILITY} to customer {customer} must be exactly {expected} "
                f"(never system:*), got {capability}",
            )
        yield from self.standing_posture_of(rule)

    def standing_posture_of(self, rule: Rule) -> Iterator[Finding]:
        if list(rule.src_posture) != self.standing_posture():
            yield (
                ELEVATION_INVARIANT,
                rule.where,
                f"standing SRE grant must have srcPosture {self.standing_posture()}, got "
                f"{list(rule.src_posture)}",
            )

    def document_findings(self, document: dict[str, Any], rules: Iterable[Rule]) -> list[Finding]:
        """Postures defined as configured; the recorder reached by exactly the recorded."""
        from hfaccess.policy.rules import string_list

        findings: list[Finding] = []
        raw = document.get("postures", {})
        postures = raw if isinstance(raw, dict) else {}
        if not isinstance(raw, dict):
            findings.append((0, "postures", "must be an object"))
        for name, conditions in self.postures().items():
            listed = string_list(postures.get(name))
            if listed is None or list(listed) != conditions:
                findings.append(
                    (
                        ELEVATION_INVARIANT,
                        f"postures.{name}",
                        f"must be exactly {conditions}, got {postures.get(name)}",
                    )
                )
        reached: set[str] = set()
        for rule in rules:
            to_recorder = [t for t in rule.targets if t.host == self.recorder_tag]
            if not to_recorder:
                continue
            if not self.is_recorder_rule(rule):
                findings.append(
                    (
                        2,
                        rule.where,
                        f"only recorded customers' operators reach {self.recorder_tag}, on "
                        f"tcp:{RECORDER_PORT} only (src {list(rule.src)})",
                    )
                )
                continue
            reached.update(rule.src)
        for customer in sorted(self.recorded):
            tag = names.operator_device_tag(customer)
            if tag not in reached:
                findings.append(
                    (
                        ELEVATION_INVARIANT,
                        "grants",
                        f"{tag} must reach {self.recorder_tag} on tcp:{RECORDER_PORT}: customer "
                        f"{customer}'s sessions are recorded, and recording fails closed",
                    )
                )
        return findings
