"""Memory of a long session: what a closed screen leaves behind, given back.

- ``StylesCache.get_inner_outer`` is an ``lru_cache(1024)`` on a method, so it keys on (and
  keeps alive) up to 1,024 widgets' style caches, each with the rendered lines it holds: a
  loop over the Customers screen grew 0.3 MiB per visit (measured through a pty at 80x24,
  ``FIFOCache`` +889 and ``Strip`` +127 per visit), for hours of a counter's day. Clearing it
  when a screen goes away costs a few recomputed colours on the next paint.
- A closed screen is a tree of widgets pointing at their parents: reference cycles that only
  Python's full collection frees, and that runs seldom in a long session. So a moment after a
  screen closes (when Textual has let go of it) one full collection runs, then the C heap's
  free pages go back to the system (glibc keeps them otherwise: the login's password hash
  alone takes tens of MiB for a moment).
- Thread workers each get a glibc malloc arena of their own (up to 8 per core), each keeping
  its free pages; two arenas are plenty for a session whose threads mostly wait on SQLite.

- What is alive once the app has started (modules, classes, Textual's machinery: some 50,000
  objects) lives as long as the process: frozen out of the collector (``gc.freeze``), each
  full collection then walks only what came later (~30 ms -> ~5 ms), which matters with 20
  sessions on two cores. Not in tests: one process runs many apps there.

``bench/session_memory.py`` measures the effect (RSS/USS of one session over many rounds).
"""

from __future__ import annotations

import contextlib
import gc
from typing import Any

M_ARENA_MAX = -8  # mallopt parameter (glibc malloc.h)


def release_render_caches(collect: bool = False) -> None:
    """Forget what Textual cached for widgets that may be gone (call when a screen closes);
    ``collect``: also free unreachable cycles first (a closed screen's widgets)."""
    with contextlib.suppress(ImportError, AttributeError):
        from textual._styles_cache import StylesCache

        StylesCache.get_inner_outer.cache_clear()
    if collect:
        gc.collect()
    _trim_heap()


def freeze_start_up() -> None:
    """Collect, then keep every object alive now out of later collections (start-up only)."""
    gc.collect()
    gc.freeze()


def limit_malloc_arenas(arenas: int = 2) -> None:
    """Cap glibc's malloc arenas (call at start, before the worker threads)."""
    libc = _libc()
    if libc is not None:
        with contextlib.suppress(AttributeError):
            libc.mallopt(M_ARENA_MAX, arenas)


def _trim_heap() -> None:
    """Hand the C heap's free pages back to the system."""
    libc = _libc()
    if libc is not None:
        with contextlib.suppress(AttributeError):
            libc.malloc_trim(0)


def _libc() -> Any:
    global _libc_handle
    if _libc_handle is None:
        try:
            import ctypes
            import ctypes.util

            _libc_handle = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
            _libc_handle.malloc_trim  # noqa: B018 - glibc only (musl has none)
        except (OSError, AttributeError):
            _libc_handle = False
    return _libc_handle or None


_libc_handle: Any = None
