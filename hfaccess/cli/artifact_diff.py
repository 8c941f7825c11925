"""`hfaccess diff`: what a pull request changes in every stack's rendered artifacts."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from hfaccess.artifact_diff import (
    affected_stacks,
    compare,
    is_partial,
    load_tree,
    not_compared,
    render_markdown,
)
from hfaccess.cli.common import fail
from hfaccess.install.handoff_elevation import unrecorded_admin_stacks


def diff(
    base_dir: Annotated[Path, typer.Argument(help="`render --all` output of the base branch.")],
    head_dir: Annotated[Path, typer.Argument(help="`render --all` output of the PR head.")],
    *,
    changed_paths: Annotated[
        Path | None,
        typer.Option(
            "--changed-paths",
            help="`git diff --name-only BASE HEAD` output: program changes affect every stack.",
        ),
    ] = None,
    affected_out: Annotated[
        Path | None,
        typer.Option("--affected-out", help="Write the affected stacks here, one per line."),
    ] = None,
    markdown_out: Annotated[
        Path | None,
        typer.Option(
            "--markdown-out", help="Append the markdown here (e.g. $GITHUB_STEP_SUMMARY)."
        ),
    ] = None,
    max_lines: Annotated[
        int, typer.Option("--max-lines", min=10, help="Longest diff shown per file.")
    ] = 300,
) -> None:
    """Print a markdown diff of BASE_DIR vs HEAD_DIR, the tailnet policy compared as data."""
    if not head_dir.is_dir():
        fail([f"diff: {head_dir.as_posix()} is not a directory (render the head first)"], code=2)
    notes = []
    if not base_dir.is_dir() or not any(base_dir.iterdir()):
        notes.append(
            "The base branch rendered nothing (it failed or predates `render`): every stack shows as added."
        )
    base, head = load_tree(base_dir), load_tree(head_dir)
    notes.extend(
        f"WARNING: {stack}: standing cluster-admin WITHOUT session recording"
        for stack in unrecorded_admin_stacks(head)
    )
    partial = {"base_partial": is_partial(base_dir), "head_partial": is_partial(head_dir)}
    skipped = not_compared(base, head, **partial)
    if skipped:
        notes.append(
            "Rendered on one side only, where the other side rendered only some stacks (not "
            f"compared): {', '.join(f'`{s}`' for s in skipped)}"
        )
    diffs = compare(base, head, **partial)
    paths: list[str] = []
    if changed_paths is not None:
        try:
            paths = changed_paths.read_text(encoding="utf-8").splitlines()
        except OSError as exc:
            fail(
                [f"--changed-paths: cannot read {changed_paths.as_posix()}: {exc.strerror}"], code=2
            )
    affected = affected_stacks(diffs, head, paths)
    compared = [s for s in [*base, *head] if s not in skipped]
    report = render_markdown(diffs, compared, preview=affected, notes=notes, max_lines=max_lines)
    print(report, end="")
    if affected_out is not None:
        affected_out.write_text("".join(f"{s}\n" for s in affected), encoding="utf-8")
    if markdown_out is not None:
        with markdown_out.open("a", encoding="utf-8") as handle:
            handle.write(report)


def register(app: typer.Typer) -> None:
    app.command()(diff)
