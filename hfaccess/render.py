"""What `render` writes: each stack's artifacts as files, exactly what its program applies.

Artifacts are built fully in memory first; nothing is written unless every stack rendered.
Secrets never reach an artifact: builders put placeholders where a secret would go.
"""

from __future__ import annotations

from pathlib import Path

from hfaccess.install.artifacts import environment_artifacts, environment_warnings
from hfaccess.policy.artifacts import tailnet_artifacts
from hfaccess.policy.elevation import unrecorded_admin_notes
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


def render_warnings(stack: StackRef, model: AccessModel | None = None) -> list[str]:
    """Lines `render` must print loudly for this stack (for example a cluster-admin binding)."""
    if isinstance(stack, EnvironmentStack):
        unrecorded = (
            [
                n
                for n in unrecorded_admin_notes(model.registry, model.highflame)
                if n.startswith(f"{stack.ref.stack}:")
            ]
            if model is not None
            else []
        )
        return [*environment_warnings(stack.ref), *unrecorded]
    return []


def tailnet_settings_warnings(model: AccessModel) -> list[str]:
    """Tailnet settings turned off in tailnet/highflame.yaml (printed by `render`)."""
    return settings_warnings(model.highflame.tailnet_settings)


def write_artifacts(directory: Path, artifacts: Artifacts) -> list[Path]:
    """Write one stack's artifacts into `directory`, removing stale known ones."""
    directory.mkdir(parents=True, exist_ok=True)
    written = []
    for name in sorted(KNOWN_ARTIFACTS - set(artifacts)):
        (directory / name).unlink(missing_ok=True)
    for name, content in sorted(artifacts.items()):
        path = directory / name
        path.write_text(content, encoding="utf-8")
        if name in EXECUTABLE_ARTIFACTS:
            path.chmod(0o755)
        written.append(path)
    return written
