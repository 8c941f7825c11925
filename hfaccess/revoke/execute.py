"""Running a kill plan against the API: the shell around the pure plan.

Order: the policy first (access is cut in one write), then devices (their connections drop),
then credentials (nothing can register again), then a sweep that re-lists the tailnet and
removes anything that re-registered in between, and last the registry file. A failing step
never stops the later ones: every step that can still cut access runs, and each failure is
kept, naming what remains and why.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

from hfaccess.revoke.plan import KillPlan, KillTarget, PlannedDevice, PlannedKey, plan_kill
from hfaccess.revoke.policy_edit import revoke_tags
from hfaccess.revoke.record import Recorded, RecordError
from hfaccess.tsapi.client import TailscaleClient
from hfaccess.tsapi.errors import TailscaleError

Progress = Callable[[str], None]
DELETE_WORKERS = 8


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
    recorded: Recorded | None = None

    @property
    def complete(self) -> bool:
        return not self.failures


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


def _sweep(
    client: TailscaleClient, target: KillTarget, failed: set[str], out: KillOutcome, say: Progress
) -> None:
    """Re-list devices and keys; delete anything of the target that (re)appeared."""
    try:
        again = plan_kill(
            target,
            None,
            client.list_devices(),
            client.list_key_details(),
            caller_key=client.settings.oauth_client_id,
        )
    except TailscaleError as exc:
        out.failures.append(Failure("re-check of the tailnet after deleting", str(exc)))
        say(f"re-check: FAILED: {exc}")
        return
    devices = [d for d in again.devices if d.device.id not in failed]
    keys = [k for k in again.keys if k.key.id not in failed]
    if not devices and not keys:
        say("re-check: nothing of the target left")
        return
    say(f"re-check: {len(devices) + len(keys)} re-appeared, deleting")
    _delete_all(devices, client, out, say)
    _delete_all(keys, client, out, say)


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
    _sweep(client, target, failed, out, progress)
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
