"""Break-glass input that spans files: every elevated engineer is an SRE member, and break-glass
needs session recording. Part of loading (hfaccess.registry.workspace), like every input check.
"""

from __future__ import annotations

from hfaccess.registry.errors import InputError
from hfaccess.registry.highflame import DEFAULT_FILE as HIGHFLAME_FILE
from hfaccess.registry.highflame import HighflameConfig
from hfaccess.registry.models import Registry


def input_errors(
    registry: Registry, highflame: HighflameConfig, highflame_file: str = HIGHFLAME_FILE.as_posix()
) -> list[InputError]:
    """Cross-file errors: engineers outside sre.members, break-glass without recording."""
    members = set(highflame.sre.members)
    errors: list[InputError] = []
    for customer in registry.customers:
        source = registry.sources.get(customer.name, f"{customer.name}.yaml")
        for env_name, env in sorted(customer.environments.items()):
            glass = env.break_glass
            if glass is None:
                continue
            field = f"environments.{env_name}.break_glass"
            for index, engineer in enumerate(glass.engineers):
                if engineer not in members:
                    errors.append(
                        InputError(
                            source,
                            f"{field}.engineers[{index}]",
                            f"{engineer} is not in sre.members ({highflame_file}); only SRE "
                            "members may be elevated (removing an engineer: delete them here "
                            "too)",
                        )
                    )
            if highflame.recording is None:
                errors.append(
                    InputError(
                        source,
                        field,
                        "break_glass needs session recording: set recording.recorder_tag in "
                        f"{highflame_file}",
                    )
                )
    return errors
