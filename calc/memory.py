"""Hand freed heap memory back to the operating system between big stages.

glibc keeps freed blocks for reuse; after a million-row stage (reading a
sheet, building explanation texts) that memory would count against the next
stage's peak.  ``release_memory`` collects garbage and asks glibc to trim
its heap; on other C libraries and platforms it only collects garbage.
"""

from __future__ import annotations

import contextlib
import gc
import sys


def _libc_malloc_trim():
    if not sys.platform.startswith("linux"):
        return None
    try:
        import ctypes

        return ctypes.CDLL("libc.so.6").malloc_trim
    except (OSError, AttributeError):
        return None


_malloc_trim = _libc_malloc_trim()


def release_memory() -> None:
    """Collect garbage and return freed heap memory to the system where possible."""
    gc.collect()
    if _malloc_trim is not None:
        with contextlib.suppress(Exception):
            _malloc_trim(0)


@contextlib.contextmanager
def no_cycle_collection():
    """Pause the cyclic garbage collector while a loop makes millions of short-lived
    containers that form no cycles (a sheet's rows as lists): each automatic
    collection would walk every live container again.  Reference counting still
    frees everything; the collector runs as before afterwards."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
