"""Give memory that is free back to the system between the build's stages.

Python frees a stage's objects when it is done with them, but the C allocator keeps the freed
pages, so the process's resident size only grows: each later stage is counted on top of the
largest before it. :func:`release` asks glibc's allocator to return its free pages
(``malloc_trim``); elsewhere it does nothing.

>>> release() in (True, False)
True
"""

from __future__ import annotations

import ctypes
import ctypes.util
from functools import cache


@cache
def _trim():
    name = ctypes.util.find_library("c")
    try:
        libc = ctypes.CDLL(name) if name else None
        trim = libc.malloc_trim if libc is not None else None
    except (OSError, AttributeError):  # not glibc: no malloc_trim
        return None
    if trim is not None:
        trim.argtypes = [ctypes.c_size_t]
        trim.restype = ctypes.c_int
    return trim


def release() -> bool:
    """Return the allocator's free pages to the system; True if some were returned."""
    trim = _trim()
    return bool(trim(0)) if trim is not None else False
