"""Help for jobs that build or move a great many records at once (the demo, a province's import, duplicate
search)."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def cyclic_gc_paused() -> Iterator[None]:
    """Such a job allocates hundreds of thousands of dicts and tuples, none in a cycle, that the cyclic collector
    would rescan again and again without freeing one: a sixth to a third of the job's time. The pause is
    process-wide, for the seconds the job takes; reference counting still frees everything as it goes."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
