"""Pausing Python's cyclic garbage collector around allocation-heavy work.

Building or parsing a large code (a 997-vertex graph code has a million encoding entries, half a million assigned
partitions and 250,000 edges) creates millions of small acyclic lists; the collector would rescan them many times
over, doubling the time. :func:`collector_paused` switches it off for the duration and restores the previous state.
"""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Iterator

__all__ = ["collector_paused"]


@contextlib.contextmanager
def collector_paused() -> Iterator[None]:
    """Context manager (and decorator): no cyclic garbage collection inside; reference counting still frees memory."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
