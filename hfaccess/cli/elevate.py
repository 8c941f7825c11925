"""`hfaccess elevate`: time-boxed break-glass by a device posture attribute with an expiry.

Dry run by default; `--yes` sets (or with `--end` removes) the environment's elevation
attribute on every device of the engineer, then reads it back: the last line says DONE only
when every device was verified. Tailscale removes the attribute at its expiry by itself.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated

import typer

from hfaccess.cli.api import describe_target, open_client
from hfaccess.cli.common import (
    DEFAULT_CUSTOMERS_DIR,
    DEFAULT_HIGHFLAME_FILE,
    CustomersOption,
    HighflameOption,
    fail,
    load_or_exit,
    out,
)
from hfaccess.elevate.plan import (
    ElevationPlan,
    ElevationRefused,
    Target,
    attribute_targets,
    check_request,
    device_id,
    engineer_devices,
    plan_elevation,
    registered,
    resolve_target,
)
from hfaccess.policy.elevation import ELEVATION_VALUE
from hfaccess.registry.names import stack_name
from hfaccess.registry.workspace import AccessModel
from hfaccess.tsapi import TailscaleClient, TailscaleError
from hfaccess.tsapi.models import Device


def _say(line: str) -> None:
    out.print(line, markup=False)


def now_utc() -> datetime:
    """The clock elevations are timed by (tests replace it)."""
    return datetime.now(UTC)


def _list(model: AccessModel, live: bool) -> None:
    rows = registered(model)
    _say("break-glass registered (customer env: role, engineers, max duration):")
    for customer, env, role, engineers, longest in rows:
        _say(f"  {customer} {env}: {role}, {engineers}, at most {longest}")
    if not rows:
        _say("  none")
    if not live:
        return
    keys = attribute_targets(model)
    members = set(model.highflame.sre.members)
    failures: list[str] = []
    active: list[str] = []
    with open_client() as client:
        _say(f"active elevations on {describe_target(client)}:")
        try:
            devices = client.list_devices()
        except TailscaleError as exc:
            fail([f"elevate --list --live: cannot list devices: {exc}"])
        for device in sorted(devices, key=lambda d: (d.user, d.short_name)):
            if device.tags or device.user.lower() not in members:
                continue
            try:
                attributes = client.get_device_attributes(device_id(device))
            except TailscaleError as exc:
                failures.append(f"  {device.short_name} ({device.user}): NOT read: {exc}")
                continue
            for key, value in sorted(attributes.values.items()):
                if key not in keys or value != ELEVATION_VALUE:
                    continue
                expiry = attributes.expiries.get(key)
                until = expiry.strftime("%Y-%m-%dT%H:%M:%SZ") if expiry else "no expiry (!)"
                customer, env = keys[key]
                active.append(
                    f"  {stack_name(customer, env)}: {device.user} on {device.short_name} "
                    f"until {until}"
                )
    for line in active or ["  none"]:
        _say(line)
    if failures:
        fail([*failures, f"{len(failures)} device(s) could not be read: the list is incomplete"])


def _require(value: str | None, option: str) -> str:
    if value is None:
        fail([f"elevate: {option} is required"], code=2)
    return value


def _verified(client: TailscaleClient, device: Device, key: str, expected: str | None) -> bool:
    attributes = client.get_device_attributes(device_id(device))
    return attributes.values.get(key) == expected if expected else key not in attributes.values


def _apply(client: TailscaleClient, plan: ElevationPlan) -> list[str]:
    failures = []
    key = plan.target.attribute
    for device in plan.devices:
        try:
            client.set_device_attribute(
                device_id(device), key, plan.value, expiry=plan.expiry, comment=plan.comment
            )
            if not _verified(client, device, key, plan.value):
                failures.append(f"  {device.short_name}: set, but not there when read back")
                continue
        except TailscaleError as exc:
            failures.append(f"  {device.short_name}: NOT elevated: {exc}")
            continue
        _say(f"  {device.short_name}: elevated until {plan.expiry}")
    return failures


def _elevate(model: AccessModel, target: Target, duration: str, reason: str, yes: bool) -> None:
    try:  # refuse before any credential is needed
        check_request(model, target, duration_text=duration, reason=reason)
    except ElevationRefused as exc:
        fail(list(exc.lines))
    with open_client() as client:
        _say(f"elevation on {describe_target(client)}:")
        try:
            devices = client.list_devices()
        except TailscaleError as exc:
            fail([f"elevate: cannot list devices: {exc}"])
        try:
            plan = plan_elevation(
                model, target, duration_text=duration, reason=reason, devices=devices, now=now_utc()
            )
        except ElevationRefused as exc:
            fail(list(exc.lines))
        where = stack_name(target.customer, target.environment)
        _say(
            f"  {target.engineer} -> {plan.target.attribute} = {plan.value!r} on "
            f"{len(plan.devices)} device(s) ({', '.join(d.short_name for d in plan.devices)}), "
            f"expiry {plan.expiry}"
        )
        _say(f"  comment: {plan.comment}")
        if not yes:
            _say("DRY RUN: nothing was changed. Run again with --yes to elevate.")
            return
        failures = _apply(client, plan)
    if failures:
        fail([*failures, f"NOT DONE: {len(failures)} device(s) of {target.engineer} failed"])
    _say(
        f"DONE: {target.engineer} elevated in {where} until {plan.expiry} (Tailscale removes it "
        f"then; end it sooner with `hfaccess elevate --end {target.customer} "
        f"{target.environment} --engineer {target.engineer} --yes`)"
    )


def _end(target: Target, yes: bool) -> None:
    key = target.attribute
    failures: list[str] = []
    with open_client() as client:
        _say(f"ending elevation on {describe_target(client)}:")
        try:
            devices = engineer_devices(client.list_devices(), target.engineer)
        except TailscaleError as exc:
            fail([f"elevate --end: cannot list devices: {exc}"])
        _say(
            f"  remove {key} from {len(devices)} device(s) of {target.engineer}"
            + (f" ({', '.join(d.short_name for d in devices)})" if devices else "")
        )
        if not yes:
            _say("DRY RUN: nothing was changed. Run again with --yes to end the elevation.")
            return
        for device in devices:
            try:
                client.delete_device_attribute(device_id(device), key)
                if not _verified(client, device, key, None):
                    failures.append(f"  {device.short_name}: still elevated when read back")
                    continue
            except TailscaleError as exc:
                failures.append(f"  {device.short_name}: NOT ended: {exc}")
                continue
            _say(f"  {device.short_name}: not elevated")
    if failures:
        fail(
            [*failures, f"NOT DONE: {len(failures)} device(s) of {target.engineer} still elevated"]
        )
    where = stack_name(target.customer, target.environment)
    _say(f"DONE: {target.engineer} holds no elevation in {where} on any device")


def elevate(
    customer: Annotated[str | None, typer.Argument(help="Customer name.")] = None,
    environment: Annotated[str | None, typer.Argument(help="Environment name.")] = None,
    *,
    engineer: Annotated[
        str | None, typer.Option("--engineer", help="The engineer's tailnet login.")
    ] = None,
    duration: Annotated[
        str | None, typer.Option("--for", help="How long: 30m, 4h, 1h30m (<= max_duration).")
    ] = None,
    reason: Annotated[
        str | None, typer.Option("--reason", help="Why (the attribute's comment).")
    ] = None,
    yes: Annotated[
        bool, typer.Option("--yes", help="Apply; without it, only print the plan.")
    ] = False,
    list_: Annotated[bool, typer.Option("--list", help="List the registered break-glass.")] = False,
    live: Annotated[bool, typer.Option("--live", help="With --list: active elevations.")] = False,
    end: Annotated[bool, typer.Option("--end", help="Remove the elevation now.")] = False,
    customers: CustomersOption = DEFAULT_CUSTOMERS_DIR,
    highflame: HighflameOption = DEFAULT_HIGHFLAME_FILE,
) -> None:
    """Elevate an engineer in one environment for a time (break-glass), list, or end it."""
    if list_ and (end or customer is not None):
        fail(["elevate: --list takes no customer, environment or --end"], code=2)
    if live and not list_:
        fail(["elevate: --live goes with --list"], code=2)
    model = load_or_exit(customers, highflame)
    if list_:
        _list(model, live)
        return
    if customer is None or environment is None:
        fail(["elevate: give CUSTOMER ENV (or --list)"], code=2)
    login = _require(engineer, "--engineer")
    try:
        target = resolve_target(model, customer, environment, login)
    except ElevationRefused as exc:
        fail(list(exc.lines))
    if end:
        _end(target, yes)
        return
    _elevate(model, target, _require(duration, "--for"), _require(reason, "--reason"), yes)


def register(app: typer.Typer) -> None:
    app.command()(elevate)
