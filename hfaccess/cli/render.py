"""`hfaccess render`: write what a stack applies, as files a reviewer can read."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from hfaccess.artifact_diff import MANIFEST, manifest_document
from hfaccess.cli.common import (
    DEFAULT_CUSTOMERS_DIR,
    DEFAULT_HIGHFLAME_FILE,
    CustomersOption,
    HighflameOption,
    err,
    fail,
    fail_invalid,
    gated_model_or_exit,
    out,
)
from hfaccess.registry.errors import InvalidInput
from hfaccess.registry.stacks import TailnetStack, UnknownStackError, parse_stack
from hfaccess.render import (
    Artifacts,
    render_stack,
    render_warnings,
    tailnet_settings_warnings,
    write_artifacts,
)


def render(
    out_dir: Annotated[Path, typer.Option("--out", help="Directory to write into.")],
    stack: Annotated[
        list[str] | None,
        typer.Option(
            "--stack", help="Stack to render (repeatable): `tailnet` or `<customer>-<env>`."
        ),
    ] = None,
    all_stacks: Annotated[
        bool, typer.Option("--all", help="Render every stack into OUT/<stack>/.")
    ] = False,
    customers: CustomersOption = DEFAULT_CUSTOMERS_DIR,
    highflame: HighflameOption = DEFAULT_HIGHFLAME_FILE,
) -> None:
    """Render stacks' artifacts. One --stack writes into OUT itself; --all or several, OUT/<stack>/."""
    model = gated_model_or_exit(customers, highflame)  # the same gate as validate
    names = model.registry.stack_names() if all_stacks else list(stack or [])
    if not names:
        fail(["render: give --stack NAME or --all"], code=2)
    try:
        stacks = [parse_stack(name, model.registry) for name in names]
    except UnknownStackError as exc:
        fail([f"--stack: {exc}"])
    try:  # every stack renders in memory first: one refusal writes nothing at all
        rendered: list[tuple[str, Artifacts]] = [(s.name, render_stack(s, model)) for s in stacks]
    except InvalidInput as exc:
        fail_invalid(exc)
    nested = all_stacks or len(rendered) > 1
    for name, artifacts in rendered:
        target = out_dir / name if nested else out_dir
        for path in write_artifacts(target, artifacts):
            out.print(f"wrote {path.as_posix()}", markup=False)
    if nested:  # lets `diff` tell a stack not rendered here from a stack removed
        manifest = out_dir / MANIFEST
        manifest.write_text(manifest_document(names, complete=all_stacks), encoding="utf-8")
        out.print(f"wrote {manifest.as_posix()}", markup=False)
    for warning in (w for s in stacks for w in render_warnings(s, model)):
        err.print(f"WARNING: {warning}", markup=False)
    if any(isinstance(s, TailnetStack) for s in stacks):
        for warning in tailnet_settings_warnings(model):
            err.print(f"WARNING: {warning}", markup=False)


def register(app: typer.Typer) -> None:
    app.command()(render)
