"""Memory of a long session: caches Textual keeps after the widgets they served are gone.

``StylesCache.get_inner_outer`` is an ``lru_cache(1024)`` on a method, so it keys on (and
keeps alive) up to 1,024 widgets' style caches, each with the rendered lines it holds: a
loop over the Customers screen grew 0.3 MiB per visit (measured through a pty at 80x24,
``FIFOCache`` +889 and ``Strip`` +127 per visit), for hours of a counter's day. Clearing it
when a screen goes away costs a few recomputed colours on the next paint.
"""

from __future__ import annotations

import contextlib
from typing import Any


def release_render_caches() -> None:
    """Forget what Textual cached for widgets that may be gone (call when a screen closes)."""
    with contextlib.suppress(ImportError, AttributeError):
        from textual._styles_cache import StylesCache

        StylesCache.get_inner_outer.cache_clear()
    _trim_heap()


def _trim_heap() -> None:
    """Hand the C heap's free pages back to the system (glibc keeps them otherwise: the
    login's password hash alone takes tens of MiB for a moment)."""
    global _malloc_trim
    if _malloc_trim is None:
        try:
            import ctypes
            import ctypes.util

            libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
            _malloc_trim = libc.malloc_trim
        except (OSError, AttributeError):
            _malloc_trim = False
    if _malloc_trim:
        _malloc_trim(0)


_malloc_trim: Any = None
