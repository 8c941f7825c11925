"""A reviewer's diff of rendered artifacts: base branch vs pull request head, per stack.

Both sides come from `hfaccess render --all --out DIR` (DIR/<stack>/<file>). The tailnet
policy is compared as data (pretty-printed, keys sorted) and summarised per section, so a
reviewer sees "grants: 1 added" before reading a line of JSON.
"""

from __future__ import annotations

import difflib
import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Any

from hfaccess.privilege_diff import privilege_changes, summary_section

TAILNET_STACK = "tailnet"
POLICY_FILE = "policy.json"
# Paths whose change can alter what any stack applies without changing a rendered artifact.
PROGRAM_PREFIXES = ("components/", "programs/", "hfaccess/", "guardrails/")
PROGRAM_FILES = frozenset({"__main__.py", "Pulumi.yaml", "requirements.txt"})
# Written by `render` next to the stack directories when it renders several stacks: which
# stacks it rendered and whether that was every stack (`--all`).
MANIFEST = "render.json"

Tree = dict[str, dict[str, str]]  # stack -> file name -> content


class Change(StrEnum):
    ADDED = "added"
    REMOVED = "removed"
    CHANGED = "changed"


@dataclass(frozen=True)
class FileDiff:
    name: str
    change: Change
    base: str | None
    head: str | None


@dataclass(frozen=True)
class StackDiff:
    stack: str
    change: Change
    files: tuple[FileDiff, ...]


def stack_order(stacks: Iterable[str]) -> list[str]:
    """`tailnet` first, then `<customer>-<env>` sorted: the registry's order."""
    return sorted(set(stacks), key=lambda s: (s != TAILNET_STACK, s))


def load_tree(directory: Path) -> Tree:
    """Every rendered file under DIR/<stack>/; an absent directory is an empty tree."""
    if not directory.is_dir():
        return {}
    return {
        stack_dir.name: {
            path.name: path.read_text(encoding="utf-8")
            for path in sorted(stack_dir.iterdir())
            if path.is_file()
        }
        for stack_dir in sorted(directory.iterdir())
        if stack_dir.is_dir()
    }


def manifest_document(stacks: Sequence[str], complete: bool) -> str:
    """The manifest `render` writes beside the stack directories."""
    return json.dumps({"stacks": stack_order(stacks), "complete": complete}, indent=2) + "\n"


def is_partial(directory: Path) -> bool:
    """Whether `directory` holds a render of only some stacks (its manifest says so).

    A render without a manifest (older code, or a hand-made tree) counts as complete.
    """
    try:
        document = json.loads((directory / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return isinstance(document, dict) and document.get("complete") is False


def not_compared(base: Tree, head: Tree, *, base_partial: bool, head_partial: bool) -> list[str]:
    """Stacks on one side only, where the other side rendered only some stacks."""
    only_base = [s for s in base if s not in head] if head_partial else []
    only_head = [s for s in head if s not in base] if base_partial else []
    return stack_order([*only_base, *only_head])


def compare(
    base: Tree, head: Tree, *, base_partial: bool = False, head_partial: bool = False
) -> list[StackDiff]:
    """Stacks whose artifacts differ, in stack order; unchanged stacks are left out.

    A stack missing from a partial render was not rendered, not removed (or added): it is
    left out rather than reported as such.
    """
    skipped = set(not_compared(base, head, base_partial=base_partial, head_partial=head_partial))
    diffs: list[StackDiff] = []
    for stack in stack_order([*base, *head]):
        if stack in skipped:
            continue
        old, new = base.get(stack), head.get(stack)
        files = [
            FileDiff(
                name,
                Change.ADDED
                if old is None or name not in old
                else Change.REMOVED
                if new is None or name not in new
                else Change.CHANGED,
                None if old is None else old.get(name),
                None if new is None else new.get(name),
            )
            for name in sorted({*(old or {}), *(new or {})})
            if (old or {}).get(name) != (new or {}).get(name)
        ]
        if not files and old is not None and new is not None:
            continue
        change = Change.ADDED if old is None else Change.REMOVED if new is None else Change.CHANGED
        diffs.append(StackDiff(stack, change, tuple(files)))
    return diffs


def affected_stacks(
    diffs: Sequence[StackDiff], head_stacks: Iterable[str], changed_paths: Iterable[str] = ()
) -> list[str]:
    """Stacks a pull request can change, that still exist at head (and so can be previewed).

    Those whose artifacts differ; the one whose `Pulumi.<stack>.yaml` changed; and every
    stack when program code, the project file or the pins changed, since those can alter
    resources without altering a rendered artifact.
    """
    existing = set(head_stacks)
    affected = {d.stack for d in diffs if d.change is not Change.REMOVED}
    for raw in changed_paths:
        path = raw.strip()
        if path.startswith(PROGRAM_PREFIXES) or path in PROGRAM_FILES:
            affected |= existing
        elif path.startswith("Pulumi.") and path.endswith(".yaml"):
            affected.add(path[len("Pulumi.") : -len(".yaml")])
    return stack_order(affected & existing)


def canonical_json(text: str) -> str | None:
    """Pretty-printed with sorted keys, or None if `text` is not JSON."""
    try:
        return json.dumps(json.loads(text), indent=2, sort_keys=True) + "\n"
    except ValueError:
        return None


def _same_data(item: FileDiff) -> bool:
    if not (item.name.endswith(".json") and item.base and item.head):
        return False
    old = canonical_json(item.base)
    return old is not None and old == canonical_json(item.head)


def _one_line(value: Any, limit: int = 160) -> str:
    text = json.dumps(value, sort_keys=True, separators=(",", ":"))
    return text if len(text) <= limit else text[: limit - 1] + "…"


def policy_summary(base_text: str | None, head_text: str | None) -> list[str]:
    """Per top-level section of the policy: keys or entries added, removed, changed."""
    try:
        base = json.loads(base_text) if base_text else {}
        head = json.loads(head_text) if head_text else {}
    except ValueError:
        return []
    if not isinstance(base, Mapping) or not isinstance(head, Mapping):
        return []
    lines: list[str] = []
    for section in sorted({*base, *head}):
        old, new = base.get(section), head.get(section)
        if old == new:
            continue
        if isinstance(old, Mapping | None) and isinstance(new, Mapping | None):
            lines.extend(_mapping_summary(section, old or {}, new or {}))
        elif isinstance(old, list | None) and isinstance(new, list | None):
            lines.extend(_list_summary(section, old or [], new or []))
        else:
            lines.append(f"- `{section}`: {_one_line(old)} → {_one_line(new)}")
    return lines


def _mapping_summary(section: str, old: Mapping[str, Any], new: Mapping[str, Any]) -> list[str]:
    added = sorted(set(new) - set(old))
    removed = sorted(set(old) - set(new))
    changed = sorted(k for k in set(old) & set(new) if old[k] != new[k])
    parts = [
        f"{label} {', '.join(f'`{k}`' for k in keys)}"
        for label, keys in (("added", added), ("removed", removed))
        if keys
    ]
    if changed:
        parts.append("changed " + ", ".join(_member_change(k, old[k], new[k]) for k in changed))
    return [f"- `{section}`: " + "; ".join(parts)]


def _member_change(key: str, old: Any, new: Any) -> str:
    """`group:x` (+a, -b) when both sides are lists of strings (members, owners)."""
    if not (isinstance(old, list) and isinstance(new, list)):
        return f"`{key}`"
    plus = [f"+{v}" for v in new if v not in old]
    minus = [f"-{v}" for v in old if v not in new]
    detail = ", ".join(str(x) for x in (*plus, *minus))
    return f"`{key}` ({detail})" if detail else f"`{key}` (reordered)"


def _list_summary(section: str, old: list[Any], new: list[Any]) -> list[str]:
    old_keys = [_one_line(v, 10_000) for v in old]
    new_keys = [_one_line(v, 10_000) for v in new]
    added = [v for v, k in zip(new, new_keys, strict=True) if k not in old_keys]
    removed = [v for v, k in zip(old, old_keys, strict=True) if k not in new_keys]
    lines = [f"- `{section}`: {len(added)} added, {len(removed)} removed"]
    lines += [f"  - added: `{_one_line(v)}`" for v in added]
    lines += [f"  - removed: `{_one_line(v)}`" for v in removed]
    if not added and not removed:
        lines[0] = f"- `{section}`: reordered"
    return lines


def unified(stack: str, item: FileDiff, max_lines: int) -> tuple[list[str], bool]:
    """A unified diff of one file (JSON pretty-printed first); True when it was cut short."""
    old, new = item.base or "", item.head or ""
    if item.name.endswith(".json"):
        old = (canonical_json(old) or old) if old else old
        new = (canonical_json(new) or new) if new else new
    lines = list(
        difflib.unified_diff(
            old.splitlines(),
            new.splitlines(),
            f"base/{stack}/{item.name}",
            f"head/{stack}/{item.name}",
            lineterm="",
        )
    )
    if len(lines) > max_lines:
        return [*lines[:max_lines], f"... {len(lines) - max_lines} more lines"], True
    return lines, False


def _side(diff: StackDiff, *, base: bool) -> dict[str, str]:
    """The changed files of one side of a stack diff (unchanged files are absent on both)."""
    files = {item.name: item.base if base else item.head for item in diff.files}
    return {name: text for name, text in files.items() if text is not None}


def render_markdown(
    diffs: Sequence[StackDiff],
    all_stacks: Iterable[str],
    *,
    preview: Sequence[str] = (),
    notes: Sequence[str] = (),
    max_lines: int = 300,
) -> str:
    """The job summary: which stacks change, then per stack and file what changes."""
    changed = {d.stack for d in diffs}
    unchanged = [s for s in stack_order(all_stacks) if s not in changed]
    out = ["## Rendered artifacts: base → head", ""]
    out += summary_section(
        privilege_changes(
            [d.stack for d in diffs],
            {d.stack: _side(d, base=True) for d in diffs if d.change is not Change.ADDED},
            {d.stack: _side(d, base=False) for d in diffs if d.change is not Change.REMOVED},
        )
    )
    out += [f"> {note}" for note in notes]
    if notes:
        out.append("")
    if not diffs:
        out.append("No rendered artifact changes.")
    else:
        listed = ", ".join(
            f"`{d.stack}`" + ("" if d.change is Change.CHANGED else f" ({d.change})") for d in diffs
        )
        out.append(f"**{len(diffs)} stack(s) change:** {listed}")
    if unchanged:
        out.append(f"Unchanged: {', '.join(f'`{s}`' for s in unchanged)}")
    if preview:
        out.append(
            f"Previewed with Pulumi where credentials allow: {', '.join(f'`{s}`' for s in preview)}"
        )
    for diff in diffs:
        out += ["", f"### `{diff.stack}` ({diff.change})"]
        for item in diff.files:
            out += ["", f"**`{item.name}`** ({item.change})"]
            if _same_data(item):
                out.append("- formatting only: the same JSON data")
                continue
            if item.name == POLICY_FILE:
                out += policy_summary(item.base, item.head)
            lines, cut = unified(diff.stack, item, max_lines)
            label = "pretty-printed, keys sorted" if item.name.endswith(".json") else "diff"
            out += [
                "",
                f"<details{' open' if item.name == POLICY_FILE else ''}><summary>{item.name}: "
                f"{label}{' (truncated)' if cut else ''}</summary>",
                "",
                "```diff",
                *lines,
                "```",
                "",
                "</details>",
            ]
    return "\n".join(out) + "\n"
