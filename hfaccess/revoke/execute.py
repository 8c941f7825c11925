"""Running a kill plan against the API: the shell around the pure plan.

Order: the policy first (access is cut in one write), then devices (their connections drop),
then credentials (nothing can register again), then a sweep that re-reads the tailnet and
removes anything that re-registered in between, repeated (at most `MAX_SWEEPS` times) until a
re-read finds nothing more to remove, and last the registry file. A failing step never stops
the later ones: every step that can still cut access runs, and each failure is kept.

The last re-read is the verification: whatever of the target it still shows (a device or key
that could not be deleted or that no evidence ties to the environment, a grant still reaching
the customer's tags) is listed in `KillOutcome.remaining`. `complete` is true only when that
list and the failures are both empty.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

from hfaccess.revoke.plan import (
    KillPlan,
    KillTarget,
    Leftover,
    PlannedDevice,
    PlannedKey,
    plan_kill,
)
from hfaccess.revoke.policy_edit import revoke_tags, wide_rules
from hfaccess.revoke.record import Recorded, RecordError
from hfaccess.tsapi.client import TailscaleClient
from hfaccess.tsapi.errors import TailscaleError

Progress = Callable[[str], None]
DELETE_WORKERS = 8
MAX_SWEEPS = 3  # re-reads after the first pass; a tailnet still changing then is reported


@dataclass(frozen=True)
class Failure:
    """Something the kill did not remove, and the error that stopped it."""

    what: str
    error: str


@dataclass
class KillOutcome:
    policy_written: bool = False
    deleted: list[str] = field(default_factory=list)
    already_gone: list[str] = field(default_factory=list)
    failures: list[Failure] = field(default_factory=list)
    remaining: list[Leftover] = field(default_factory=list)  # what the last re-read showed
    verified: bool = False  # the last re-read succeeded and found nothing more to remove
    sweeps: int = 0
    recorded: Recorded | None = None

    @property
    def complete(self) -> bool:
        return self.verified and not self.failures and not self.remaining

    def open_items(self) -> list[str]:
        """One line per thing left, each named once (a failed delete with its error)."""
        errors = {f.what: f.error for f in self.failures}
        lines = [f"{f.what}: {f.error}" for f in self.failures]
        lines += [f"{r.what}: {r.why}" for r in self.remaining if r.what not in errors]
        return lines


def _cut_policy(
    client: TailscaleClient, target: KillTarget, out: KillOutcome, say: Progress
) -> None:
    def edit(policy: dict[str, object]) -> dict[str, object] | None:
        result = revoke_tags(policy, target.tags)
        return result.policy if result.changed else None

    try:
        update = client.update_policy(edit)
    except TailscaleError as exc:
        out.failures.append(Failure(f"policy: grants reaching {', '.join(target.tags)}", str(exc)))
        say(f"policy: FAILED: {exc}")
        return
    out.policy_written = update.written
    retried = (
        f" (re-read {update.attempts - 1}x after concurrent edits)" if update.attempts > 1 else ""
    )
    say(
        f"policy: grants to {target.customer} removed{retried}"
        if update.written
        else f"policy: nothing reaches {target.customer} already"
    )


def _delete_all(
    items: Sequence[PlannedDevice | PlannedKey],
    client: TailscaleClient,
    out: KillOutcome,
    say: Progress,
) -> set[str]:
    """Delete in parallel; return the ids that failed."""

    def one(item: PlannedDevice | PlannedKey) -> tuple[bool | None, str]:
        try:
            if isinstance(item, PlannedDevice):
                return client.delete_device(item.device.id), ""
            return client.delete_key(item.key.id), ""
        except TailscaleError as exc:
            return None, str(exc)

    failed: set[str] = set()
    if not items:
        return failed
    with ThreadPoolExecutor(max_workers=min(DELETE_WORKERS, len(items))) as pool:
        results = list(pool.map(one, items))
    for item, (deleted, error) in zip(items, results, strict=True):
        what = item.describe()
        if deleted is None:
            out.failures.append(Failure(what, error))
            failed.add(item.device.id if isinstance(item, PlannedDevice) else item.key.id)
            say(f"  FAILED {what}: {error}")
        elif deleted:
            out.deleted.append(what)
            say(f"  deleted {what}")
        else:
            out.already_gone.append(what)
            say(f"  already gone: {what}")
    return failed


def _reread(client: TailscaleClient, target: KillTarget) -> KillPlan:
    policy = client.get_policy().policy if target.cuts_policy else None
    return plan_kill(
        target,
        policy,
        client.list_devices(),
        client.list_key_details(),
        caller_key=client.settings.oauth_client_id,
    )


def _verify(
    client: TailscaleClient,
    target: KillTarget,
    failed: set[str],
    out: KillOutcome,
    say: Progress,
) -> None:
    """Re-read and remove what (re)appeared, until a re-read finds nothing more to remove;
    then record what is still there. Items whose removal already failed are not retried."""
    policy_failed = any(f.what.startswith("policy: ") for f in out.failures)
    for sweep in range(1, MAX_SWEEPS + 2):
        try:
            again = _reread(client, target)
        except TailscaleError as exc:
            out.failures.append(Failure("verification: re-reading the tailnet", str(exc)))
            say(f"re-check: FAILED: {exc}")
            return
        devices = [d for d in again.devices if d.device.id not in failed]
        keys = [k for k in again.keys if k.key.id not in failed]
        policy_left = again.policy is not None and again.policy.changed and not policy_failed
        if not devices and not keys and not policy_left:
            _record_remaining(again, out)
            out.verified = True
            left = f"; {len(out.remaining)} item(s) of the target left" if out.remaining else ""
            say(f"re-check: nothing more to remove{left}")
            return
        if sweep > MAX_SWEEPS:
            _record_remaining(again, out)
            out.failures.append(
                Failure(
                    "verification",
                    f"the tailnet did not settle: items kept re-appearing after {MAX_SWEEPS} "
                    "sweeps (something still registers devices or keys for the target)",
                )
            )
            say("re-check: FAILED: the tailnet did not settle")
            return
        out.sweeps = sweep
        back = [f"{len(devices) + len(keys)} device(s)/key(s)"] if devices or keys else []
        back += ["a grant reaching the target"] if policy_left else []
        say(f"re-check {sweep}: {' and '.join(back)} back, removing")
        if policy_left:
            before = len(out.failures)
            _cut_policy(client, target, out, say)
            policy_failed = len(out.failures) > before
        failed |= _delete_all(devices, client, out, say)
        failed |= _delete_all(keys, client, out, say)


def _record_remaining(plan: KillPlan, out: KillOutcome) -> None:
    """What `plan` (a re-read) shows of the target: every item that stays."""
    left = list(plan.leftovers)
    left += [Leftover(d.describe(), "still on the tailnet") for d in plan.devices]
    left += [Leftover(k.describe(), "still on the tailnet") for k in plan.keys]
    if plan.policy is not None and plan.policy.changed:
        left.append(
            Leftover(
                f"policy: grants reaching {', '.join(plan.target.tags)}",
                "still in the live policy file: " + "; ".join(plan.policy.changes),
            )
        )
    devices_left = bool(plan.devices) or any(x.what.startswith("device ") for x in left)
    if devices_left and plan.policy is not None:
        left += [
            Leftover(
                f"policy: {rule}",
                "reaches every tagged device ('*' or autogroup:tagged), including the "
                "target's devices still listed",
            )
            for rule in wide_rules(plan.policy.policy)
        ]
    out.remaining = left


def execute_kill(
    client: TailscaleClient,
    plan: KillPlan,
    *,
    record: Callable[[], Recorded] | None,
    progress: Progress,
) -> KillOutcome:
    """Apply `plan` (steps in the order above); never raises for API failures."""
    out = KillOutcome()
    target = plan.target
    if target.cuts_policy:
        _cut_policy(client, target, out, progress)
    progress(f"devices: {len(plan.devices)}")
    failed = _delete_all(plan.devices, client, out, progress)
    progress(f"credentials: {len(plan.keys)}")
    failed |= _delete_all(plan.keys, client, out, progress)
    _verify(client, target, failed, out, progress)
    if record is not None:
        try:
            out.recorded = record()
        except RecordError as exc:
            out.failures.append(Failure("registry: the revocation is not recorded", str(exc)))
            progress(f"registry: FAILED: {exc}")
        else:
            state = "recorded" if out.recorded.changed else "already recorded"
            progress(
                f"registry: {out.recorded.path.as_posix()}: {out.recorded.field}: true {state}"
            )
    return out
