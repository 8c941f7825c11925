"""What `render` writes: each stack's artifacts as files, exactly what its program applies.

Render owns its output. Stacks are rendered one at a time and streamed into a staging
directory beside the output (memory stays flat at 20,000 stacks); nothing is moved into place
until every stack rendered, so one refusal writes nothing at all. Then every file goes in by
rename (temp + rename: a reader never sees half a file; a new stack's directory arrives in one
rename), files whose content did not change are left untouched, and after `render --all` the
output directory holds exactly the current stacks: outputs of removed stacks are deleted.
Secrets never reach an artifact: builders put placeholders where a secret would go.
"""

from __future__ import annotations

import multiprocessing as mp
import os
import shutil
import stat
import tempfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from hfaccess.install.artifacts import environment_artifacts, environment_warnings
from hfaccess.parallel import cores
from hfaccess.policy.artifacts import tailnet_artifacts
from hfaccess.policy.elevation import unrecorded_admin_notes
from hfaccess.registry.errors import InputError, InvalidInput
from hfaccess.registry.stacks import EnvironmentStack, StackRef, TailnetStack
from hfaccess.registry.tailnet_settings import settings_warnings
from hfaccess.registry.workspace import AccessModel

Artifacts = dict[str, str]

# Every file name a render may produce; a re-render removes those it no longer produces.
KNOWN_ARTIFACTS = frozenset(
    {
        "policy.json",
        "oauth-client.json",
        "helm-values.yaml",
        "rbac.yaml",
        "exposures.yaml",
        "INSTALL.md",
        "hardening.yaml",
        "post-render.sh",
        "kustomization.yaml",
        "tailnet-settings.json",
    }
)

# Artifacts that are programs (the Helm post-renderer): written executable.
EXECUTABLE_ARTIFACTS = frozenset({"post-render.sh"})


def render_stack(stack: StackRef, model: AccessModel) -> Artifacts:
    """File name -> content for one stack."""
    if isinstance(stack, TailnetStack):
        return tailnet_artifacts(model)
    if isinstance(stack, EnvironmentStack):
        return environment_artifacts(stack.ref, model)
    raise TypeError(stack)  # pragma: no cover - StackRef is a closed union


def tailnet_settings_warnings(model: AccessModel) -> list[str]:
    """Tailnet settings turned off in tailnet/highflame.yaml (printed by `render`)."""
    return settings_warnings(model.highflame.tailnet_settings)


def is_render_output(directory: Path) -> bool:
    """A directory holding only files `render` writes: safe for render to replace or remove."""
    try:
        entries = list(os.scandir(directory))
    except OSError:
        return False
    return all(
        entry.is_file(follow_symlinks=False) and entry.name in KNOWN_ARTIFACTS for entry in entries
    )


@dataclass
class RenderSummary:
    """What one render did, for its last lines."""

    stacks: int = 0
    # (stack directory, its file names) per rendered stack: 20,000 stacks hold 132,000 files,
    # too many Path objects to build for a count
    placed: list[tuple[Path, tuple[str, ...]]] = field(default_factory=list)
    changed: int = 0  # files actually written (an unchanged file is left untouched)
    removed: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    @property
    def file_count(self) -> int:
        """How many files the rendered stacks hold."""
        return sum(len(names) for _, names in self.placed)

    @property
    def files(self) -> list[Path]:
        """Every file the rendered stacks hold."""
        return [directory / name for directory, names in self.placed for name in names]


Progress = Callable[[int], None]


@dataclass(frozen=True)
class _Staged:
    """One rendered stack waiting in the staging directory."""

    target: Path  # where its files belong
    staged: Path  # the staging directory holding its new or changed files
    files: tuple[str, ...]  # every artifact the stack has now
    changed: tuple[str, ...]  # those whose content differs from what `target` holds
    fresh: bool  # `target` does not exist yet: the staged directory is renamed into place


def _unchanged(path: Path, content: bytes) -> bool:
    try:
        with open(path, "rb") as handle:
            return handle.read(len(content) + 1) == content
    except OSError:
        return False


def _stage(stack_name: str, artifacts: Artifacts, target: Path, staging: Path) -> _Staged:
    try:
        kind = os.lstat(target).st_mode  # one call: is it there, and is it a real directory
    except (FileNotFoundError, NotADirectoryError):
        kind = None
    if kind is not None and not stat.S_ISDIR(kind):  # a file, or a symlink (even to a dir)
        raise FileExistsError(f"{target.as_posix()}: exists and is not a directory")
    fresh = kind is None
    staged = os.path.join(staging, stack_name)
    changed: list[str] = []
    for name, content in sorted(artifacts.items()):
        data = content.encode("utf-8")
        if not fresh and _unchanged(target / name, data):
            continue
        if not changed:
            os.mkdir(staged)  # only when something is to be written: an unchanged stack costs reads
        # os-level calls: 132,000 files at 10,000 customers, where io's layers cost more than
        # the write; modes as open() and chmod gave them (0o666 less the umask; 0o755)
        fd = os.open(os.path.join(staged, name), os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
        try:
            if name in EXECUTABLE_ARTIFACTS:
                os.fchmod(fd, 0o755)
            view = memoryview(data)
            while view:
                view = view[os.write(fd, view) :]
        finally:
            os.close(fd)
        changed.append(name)
    return _Staged(target, Path(staged), tuple(sorted(artifacts)), tuple(changed), fresh)


Gate = Callable[[], object]  # raises InvalidInput to refuse; what it returns is unused


def render_into(
    out_dir: Path,
    stacks: Iterable[StackRef],
    model: AccessModel,
    *,
    nested: bool,
    prune: bool,
    progress: Progress | None = None,
    workers: int | None = None,
    gate: Gate | None = None,
) -> RenderSummary:
    """Render `stacks` one at a time and put them in place only if every one rendered.

    nested: each stack into OUT/<stack>/; else the single stack into OUT itself.
    prune: remove OUT/<name>/ render outputs of stacks not rendered now (`render --all`).
    workers: processes rendering at once (None: one per available core, for large runs only).
    gate: the whole gate (hfaccess.gate.require_valid), run before anything is put in place;
    its InvalidInput refuses the render. With workers it runs while they render into the
    staging directory (the gate is seconds of one core at 10,000 customers), and the stacks
    that build on what it computed (the tailnet stack: its policy is the one the gate checked)
    are rendered after it in this process.
    The output is the same whatever the number of workers: each stack's files depend on the
    stack and the model alone, and stacks are put in place in the order given.
    Raises InvalidInput (and leaves OUT untouched) when the gate or any stack refuses.
    """
    summary = RenderSummary()
    stacks = list(stacks)
    parent = out_dir.absolute().parent
    parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.render-", dir=parent))
    try:
        staged: list[tuple[int, _Staged]] = []
        job = _Job(stacks, model, out_dir, staging, nested)
        for batch in _staged_batches(job, workers, gate):
            staged += batch
            if progress is not None:
                progress(len(staged))
        staged.sort(key=lambda entry: entry[0])  # the order given, whoever rendered it
        # Per stack, unrecorded_admin_notes would scan the registry each time: quadratic.
        unrecorded: dict[str, list[str]] = {}
        for note in unrecorded_admin_notes(model.registry, model.highflame):
            unrecorded.setdefault(note.split(":", 1)[0], []).append(note)
        for position, _ in staged:
            stack = stacks[position]
            if isinstance(stack, EnvironmentStack):  # its notes computed once above, not per stack
                summary.warnings += environment_warnings(stack.ref)
                summary.warnings += unrecorded.get(stack.name, [])
            summary.stacks += 1
        if nested and not os.path.lexists(out_dir):
            _move_whole(staging, out_dir, [item for _, item in staged])
        else:
            out_dir.mkdir(parents=True, exist_ok=True)
            for _, item in staged:
                _put_in_place(item)
        for _, item in staged:
            summary.placed.append((item.target, item.files))
            summary.changed += len(item.changed)
        if prune:
            summary.removed = _prune(out_dir, {item.target.name for _, item in staged})
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return summary


# Stacks per task handed to a worker: large enough that passing results back costs little,
# small enough that progress moves and both cores stay busy to the end.
_BATCH = 50
# Below this many stacks a pool costs more (fork, start-up) than it saves.
_POOL_THRESHOLD = 400

# (position in the stacks given, the stack staged): a worker sends positions, never stacks
_Batch = list[tuple[int, _Staged]]


@dataclass(frozen=True)
class _Job:
    """What a worker needs, inherited through fork (never pickled): the model is large."""

    stacks: list[StackRef]
    model: AccessModel
    out_dir: Path
    staging: Path
    nested: bool


# The job of the pool being run, set before its workers fork (they read it, never pickle it).
_current: list[_Job] = []


def _render_batch(job: _Job, positions: Iterable[int]) -> _Batch:
    batch: _Batch = []
    for position in positions:
        stack = job.stacks[position]
        target = job.out_dir / stack.name if job.nested else job.out_dir
        artifacts = render_stack(stack, job.model)
        batch.append((position, _stage(stack.name, artifacts, target, job.staging)))
    return batch


def _worker_batch(positions: list[int]) -> _Batch | tuple[InputError, ...]:
    try:
        return _render_batch(_current[-1], positions)
    except InvalidInput as exc:  # its pickled form would lose the errors: send them
        return exc.errors


def _staged_batches(job: _Job, workers: int | None, gate: Gate | None) -> Iterator[_Batch]:
    """Each batch of stacks rendered and staged; in a pool of forked workers when there are
    several cores and enough stacks (workers=1: one at a time, in this process, after the
    gate). With a pool, the gate runs here while the workers render, then this process
    renders the tailnet stack; batches may arrive out of the order given."""
    stacks = job.stacks
    count = cores() if workers is None else workers
    if workers is None and len(stacks) < _POOL_THRESHOLD:
        count = 1
    here = [i for i, stack in enumerate(stacks) if isinstance(stack, TailnetStack)]
    pooled = [i for i, stack in enumerate(stacks) if not isinstance(stack, TailnetStack)]
    batches = [pooled[i : i + _BATCH] for i in range(0, len(pooled), _BATCH)]
    if count <= 1 or len(batches) <= 1 or "fork" not in mp.get_all_start_methods():
        if gate is not None:
            gate()
        for start in range(0, len(stacks), _BATCH):
            yield _render_batch(job, range(start, min(start + _BATCH, len(stacks))))
        return
    _current.append(job)
    try:
        with mp.get_context("fork").Pool(min(count, len(batches))) as pool:
            results = pool.imap(_worker_batch, batches)  # the workers start now
            if gate is not None:
                gate()  # a refusal leaves the pool (terminated on exit) and its staging unused
            if here:
                yield _render_batch(job, here)
            for result in results:
                if isinstance(result, tuple):
                    raise InvalidInput(result)
                yield result
    finally:
        _current.pop()


def _move_whole(staging: Path, out_dir: Path, staged: list[_Staged]) -> None:
    """A first render: the staging directory holds the whole output; it becomes OUT in one
    rename (20,000 stack directories would otherwise be 20,000 renames, one after the other)."""
    for item in staged:
        if not item.changed:  # a stack without any artifact still gets its directory
            os.mkdir(item.staged)
    umask = os.umask(0)
    os.umask(umask)
    os.chmod(staging, 0o777 & ~umask)  # what mkdir would have given OUT (mkdtemp gives 0o700)
    os.rename(staging, out_dir)


def _put_in_place(item: _Staged) -> None:
    """A new stack's directory moves in with one rename; an existing one gets its changed
    files by rename (each file whole at every instant) and loses artifacts it no longer has."""
    if item.fresh:
        if not item.changed:  # a stack without any artifact still gets its directory
            item.target.mkdir()
            return
        os.rename(item.staged, item.target)
        return
    for name in item.changed:
        os.replace(item.staged / name, item.target / name)
    for name in sorted(KNOWN_ARTIFACTS - set(item.files)):
        (item.target / name).unlink(missing_ok=True)


def _prune(out_dir: Path, current: set[str]) -> list[str]:
    """Remove render outputs of stacks that no longer exist; other entries are left alone."""
    removed = []
    for entry in sorted(os.scandir(out_dir), key=lambda e: e.name):
        if entry.name in current or entry.name.startswith("."):
            continue
        path = Path(entry.path)
        if entry.name in KNOWN_ARTIFACTS and entry.is_file(follow_symlinks=False):
            path.unlink()  # left by an earlier single-stack render into the same directory
            removed.append(entry.name)
        elif entry.is_dir(follow_symlinks=False) and is_render_output(path):
            shutil.rmtree(path)
            removed.append(entry.name)
    return removed
