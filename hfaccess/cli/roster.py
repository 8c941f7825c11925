"""`hfaccess sre list|add|remove`: per-engineer access, one line in tailnet/highflame.yaml.

Removing an engineer and running `pulumi up -s tailnet` revokes them from every customer at
once; `remove --live` also takes them out of the live policy's group right away.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from hfaccess.cli.api import describe_target, open_client
from hfaccess.cli.common import (
    DEFAULT_CUSTOMERS_DIR,
    DEFAULT_HIGHFLAME_FILE,
    CustomersOption,
    HighflameOption,
    err,
    fail,
    out,
)
from hfaccess.registry.errors import InvalidInput
from hfaccess.registry.highflame import HighflameConfig
from hfaccess.registry.loader import customer_file, load_registry
from hfaccess.revoke.policy_edit import direct_mentions, remove_group_member
from hfaccess.roster import (
    RosterError,
    add_member,
    drop_break_glass_engineer,
    normalise_email,
    read_config,
    remove_member,
)
from hfaccess.tsapi import TailscaleError
from hfaccess.yamledit import write_atomically

sre_app = typer.Typer(
    help="Highflame SRE engineers allowed into customer clusters (tailnet/highflame.yaml).",
    no_args_is_help=True,
)

EmailArgument = Annotated[str, typer.Argument(help="The engineer's tailnet login (email).")]


def _read(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except OSError as exc:
        fail([f"{path.as_posix()}: cannot read: {exc.strerror or exc}"])


def _write(path: Path, text: str) -> None:
    try:
        write_atomically(path, text)
    except OSError as exc:
        fail([f"{path.as_posix()}: cannot write: {exc.strerror or exc}"])


@sre_app.command("list")
def list_members(highflame: HighflameOption = DEFAULT_HIGHFLAME_FILE) -> None:
    """Print every SRE member, one per line."""
    try:
        config = read_config(_read(highflame), highflame.as_posix())
    except RosterError as exc:
        fail(str(exc).splitlines())
    for member in config.sre.members:
        out.print(member, markup=False)


@sre_app.command("add")
def add(email: EmailArgument, highflame: HighflameOption = DEFAULT_HIGHFLAME_FILE) -> None:
    """Add an engineer (validated, lowercase, kept sorted, comments preserved)."""
    display = highflame.as_posix()
    try:
        edited = add_member(_read(highflame), email, display)
    except RosterError as exc:
        fail(str(exc).splitlines())
    normalised = normalise_email(email)
    if edited is None:
        out.print(
            f"{normalised} is already an SRE member in {display}: nothing changed", markup=False
        )
        return
    _write(highflame, edited)
    out.print(f"added {normalised} to sre.members in {display}", markup=False)
    out.print(
        "Next: review and merge, then `pulumi up -s tailnet` grants the access.", markup=False
    )


def _remove_live(member: str) -> list[str]:
    """Take `member` out of the live SRE group; return failure lines (empty on success)."""
    group = HighflameConfig().sre_group
    with open_client() as client:
        out.print(f"live policy on {describe_target(client)}:", markup=False)

        def edit(policy: dict[str, object]) -> dict[str, object] | None:
            result = remove_group_member(policy, group, member)
            return result.policy if result.changed else None

        try:
            update = client.update_policy(edit)
        except TailscaleError as exc:
            return [f"live policy NOT changed: {exc}"]
    state = "removed from" if update.written else "already absent from"
    out.print(f"  {member} {state} {group}", markup=False)
    for rule in direct_mentions(update.policy, member):
        err.print(f"warning: {rule} names {member} directly: not changed, review it", markup=False)
    return []


def _break_glass_edits(customers: Path, member: str) -> list[tuple[Path, str]]:
    """Each customer file naming `member` in a break_glass list, with its edited text."""
    try:
        registry = load_registry(customers)
    except InvalidInput as exc:
        fail([str(e) for e in exc.errors])
    edits: list[tuple[Path, str]] = []
    for customer in registry.customers:
        named = any(
            env.break_glass is not None and member in env.break_glass.engineers
            for env in customer.environments.values()
        )
        if not named:
            continue
        path = customer_file(customers, customer.name)
        try:
            edited = drop_break_glass_engineer(_read(path), member, path.as_posix())
        except RosterError as exc:
            fail(str(exc).splitlines())
        if edited is not None:
            edits.append((path, edited))
    return edits


@sre_app.command("remove")
def remove(
    email: EmailArgument,
    highflame: HighflameOption = DEFAULT_HIGHFLAME_FILE,
    customers: CustomersOption = DEFAULT_CUSTOMERS_DIR,
    live: Annotated[
        bool,
        typer.Option(
            "--live",
            help="Also remove them from group:highflame-sre in the live policy now (Tailscale "
            "API credentials from TAILSCALE_* variables).",
        ),
    ] = False,
) -> None:
    """Remove an engineer; exit 1 if they are not a member."""
    display = highflame.as_posix()
    try:
        edited = remove_member(_read(highflame), email, display)
    except RosterError as exc:
        fail(str(exc).splitlines())
    member = normalise_email(email)
    # Break-glass engineers must be SRE members: their lists lose the engineer in the same
    # change, or the registry would no longer validate and block the next `pulumi up`.
    glass = _break_glass_edits(customers, member)
    failures = _remove_live(member) if live else []
    _write(highflame, edited)
    out.print(f"removed {member} from sre.members in {display}", markup=False)
    for path, text in glass:
        _write(path, text)
        out.print(f"removed {member} from break_glass engineers in {path.as_posix()}", markup=False)
    if failures:
        fail([*failures, "Run `pulumi up -s tailnet` now: until then they keep their access."])
    if live:
        out.print("Next: merge the change and `pulumi up -s tailnet` (it matches the live policy).")
    else:
        out.print(
            "Next: `pulumi up -s tailnet` revokes them from every customer at once; until then "
            "the live policy still lets them in (or re-run with --live).",
            markup=False,
        )


def register(app: typer.Typer) -> None:
    app.add_typer(sre_app, name="sre")
