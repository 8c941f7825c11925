"""A function over many independent inputs, in forked workers when that pays.

Reading and validating 10,000 customer files is seconds of one core; each file is independent,
so with two cores two workers halve it. Workers are forked (what they need is inherited, never
pickled); only results travel back, pickled, in the inputs' order.
"""

from __future__ import annotations

import multiprocessing as mp
import os
from collections.abc import Callable
from typing import TypeVar

In = TypeVar("In")
Out = TypeVar("Out")

# Below this many inputs, starting workers costs more than it saves.
FORK_THRESHOLD = 2000


def cores() -> int:
    """The cores this process may run on."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - not Linux
        return max(1, os.cpu_count() or 1)


def fork_map(function: Callable[[In], Out], items: list[In]) -> list[Out]:
    """[function(item) for item in items], in one forked worker per core for large inputs.

    `function` must be a module-level function (the workers find it by name). An exception in
    a worker is raised here, as it would be in a loop.
    """
    workers = cores()
    if len(items) < FORK_THRESHOLD or workers < 2 or "fork" not in mp.get_all_start_methods():
        return [function(item) for item in items]
    chunk = max(1, len(items) // (workers * 8))  # a few chunks per worker: both finish together
    with mp.get_context("fork").Pool(workers) as pool:
        return pool.map(function, items, chunksize=chunk)
