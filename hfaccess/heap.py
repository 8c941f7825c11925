"""Building the access model without the cyclic garbage collector walking it over and over.

Loading 10,000 customers allocates millions of long-lived objects; each full collection walks
all of them, and CPython starts one every time enough new objects survived, so a large load
spends a third of its CPU in the collector while freeing nothing (the objects are alive).
Collection is paused while the model is built and the result is then frozen: the collector
never walks it again, and a forked `render` worker never writes to its pages (copy-on-write
stays shared). Collection resumes for everything allocated after.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def long_lived() -> Iterator[None]:
    """Pause cyclic collection while the block builds long-lived objects; freeze them after."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()
        if was_enabled:
            gc.enable()
