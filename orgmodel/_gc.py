"""Holding Python's cyclic garbage collector off for a whole short-lived process.

This is process-wide tuning: only ``orgmodel.cli.main`` and the benchmarks use it. Library
functions leave the collector as they find it.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager

PROMOTE_OVER = 10_000
"""How many new container objects make :func:`paused` move them to the oldest generation."""


@contextmanager
def paused() -> Iterator[None]:
    """Hold the cyclic collector off for the block, then let it go on as before.

    Building many objects that are not garbage (a parsed file, the events of a diff) starts the
    collector again and again, and each run walks everything made so far. Paused, it would
    walk them all at once on its next run instead, when they are no longer in the processor's
    caches: seconds for the million objects of a large diff. So when the block made more than
    :data:`PROMOTE_OVER` of them, they go straight to the oldest generation (``gc.freeze`` then
    ``gc.unfreeze``, which only relink lists), where only a full collection looks at them. The
    young objects of the program go along with them; if the program has frozen objects itself,
    or had the collector off, nothing is moved.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            if gc.get_count()[0] > PROMOTE_OVER and gc.get_freeze_count() == 0:
                gc.freeze()
                gc.unfreeze()
            gc.enable()
