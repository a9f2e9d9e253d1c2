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
from contextlib import suppress
from typing import TypeVar

from textual.dom import DOMNode
from textual.timer import Timer

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


WAIT_NOTICE = 1.0  # seconds before the screen says it is waiting for another terminal
WAITING = "Waiting for another terminal to finish writing ..."


def run_in_background(
    node: DOMNode,
    work: Callable[[], T],
    done: Callable[[T | TuicrmError], None],
    *,
    group: str = "write",
    waiting: str = WAITING,
    exclusive: bool = False,
) -> None:
    """Run ``work`` in a thread worker of ``node``; ``done(result or TuicrmError)`` follows on
    the UI thread. Other exceptions are bugs: they end the worker with its traceback.
    ``exclusive``: a newer run of the same ``group`` replaces this one (a read whose answer
    nobody wants any more; its ``done`` still runs, so it must check it is not stale).
    ``waiting`` "" says nothing however long it takes."""
    timer: Timer | None = None
    app = node.app

    def say_waiting() -> None:
        app.notify(waiting, markup=False, timeout=3)

    def deliver(result: T | TuicrmError) -> None:
        if timer is not None:
            timer.stop()
        if node.is_attached:
            done(result)

    def body() -> None:
        from ..data.core.db import worker_connection

        result: T | TuicrmError
        try:
            with worker_connection():
                result = work()
        except TuicrmError as e:
            result = e
        with suppress(RuntimeError):  # the app has exited meanwhile: nobody to tell
            app.call_from_thread(deliver, result)

    if waiting:
        timer = node.set_timer(WAIT_NOTICE, say_waiting)
    node.run_worker(body, thread=True, group=group, name=group, exclusive=exclusive)
