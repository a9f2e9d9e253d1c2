"""Run one operation in a thread worker and hand its outcome back on the UI thread.

A write can wait several seconds on another terminal's lock (SQLite's busy timeout, a
PostgreSQL row lock); run on the UI thread, the screen would freeze that long (measured:
3,049 ms for a 3 s lock). Here the work runs in a thread with its own connection, and
``done(result)`` or ``failed(error)`` run on the UI thread afterwards, where the screen may
touch its widgets. Only errors an operation raises on purpose (``TuicrmError``) go to
``failed``; anything else is a defect and reaches Textual's worker error handling. Should the
node be gone by then (the user left the screen), neither is called. Given ``waiting``, a
notice says so when the work takes longer than ``WAIT_NOTICE`` seconds.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from textual.dom import DOMNode
from textual.timer import Timer

from ..data.core.db import worker_connection
from ..data.core.errors import TuicrmError

T = TypeVar("T")
R = TypeVar("R")

WAIT_NOTICE = 1.0  # seconds before a ``waiting`` notice is shown
WAITING = "Waiting for another terminal to finish writing ..."  # the usual ``waiting``


def run_in_thread(
    node: DOMNode,
    work: Callable[[], T],
    done: Callable[[T], object],
    failed: Callable[[TuicrmError], object],
    *,
    name: str,
    exclusive: bool = False,
    waiting: str = "",
) -> None:
    """Run ``work()`` off the UI thread (worker group ``name``; ``exclusive`` cancels an
    older one of the same group, for reads a newer request replaces; ``waiting``: what to
    say if it takes longer than ``WAIT_NOTICE`` seconds)."""
    app = node.app
    timer: Timer | None = None
    if waiting:
        timer = node.set_timer(WAIT_NOTICE, lambda: app.notify(waiting, markup=False))

    def deliver(then: Callable[[R], object], outcome: R) -> None:
        if timer is not None:
            timer.stop()
        if node.is_attached:
            then(outcome)

    def run() -> None:
        with worker_connection():
            try:
                result = work()
            except TuicrmError as e:
                app.call_from_thread(deliver, failed, e)
                return
        app.call_from_thread(deliver, done, result)

    node.run_worker(run, name=name, group=name, thread=True, exclusive=exclusive)
