"""Run one operation in a thread worker and hand its outcome back on the UI thread.

A write can wait several seconds on another terminal's lock (SQLite's busy timeout, a
PostgreSQL row lock); run on the UI thread, the screen would freeze that long (measured:
3,049 ms for a 3 s lock). Here the work runs in a thread with its own connection, and
``done(result)`` or ``failed(error)`` run on the UI thread afterwards, where the screen may
touch its widgets. Only errors an operation raises on purpose (``TuicrmError``) go to
``failed``; anything else is a defect and reaches Textual's worker error handling.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from textual.dom import DOMNode

from ..data.core.db import worker_connection
from ..data.core.errors import TuicrmError

T = TypeVar("T")


def run_in_thread(
    node: DOMNode,
    work: Callable[[], T],
    done: Callable[[T], object],
    failed: Callable[[TuicrmError], object],
    *,
    name: str,
    exclusive: bool = False,
) -> None:
    """Run ``work()`` off the UI thread (worker group ``name``; ``exclusive`` cancels an
    older one of the same group, for reads a newer request replaces)."""
    app = node.app

    def run() -> None:
        with worker_connection():
            try:
                result = work()
            except TuicrmError as e:
                app.call_from_thread(failed, e)
                return
        app.call_from_thread(done, result)

    node.run_worker(run, name=name, group=name, thread=True, exclusive=exclusive)
