"""One stack's real program under Pulumi's mocks, as a process of its own (for timing from start).

Usage: python benchmarks/stack_program.py STACK
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def main(stack: str) -> int:
    sys.path.insert(0, str(ROOT))
    from tests.support.pulumi_mocks import run_stack

    run = run_stack(stack, root=ROOT)
    print(f"{stack}: {len(run.resources)} resources, {len(run.outputs)} outputs")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1]))
