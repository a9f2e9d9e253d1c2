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
from typing import Any, TypeVar

from textual.dom import DOMNode
from textual.message import Message
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


class DbResult(Message):
    """A ``run_db`` job ended: ``deliver()`` runs on the UI thread (posted to the app)."""

    def __init__(self, deliver: Callable[[], None]) -> None:
        super().__init__()
        self.deliver = deliver


class Background:
    """Mixin for the app, its screens and widgets (put it before the Textual base class).
    The app must have it too: it receives every ``DbResult``."""

    def run_db(
        self,
        work: Callable[[], T],
        done: Callable[[T], None] | None = None,
        *,
        failed: Callable[[TuicrmError], None] | None = None,
        group: str = "db",
        exclusive: bool = False,
        keep: bool = False,
    ) -> None:
        """Run ``work`` in a thread worker; ``done(result)`` or ``failed(error)`` after, on
        the UI thread. ``exclusive``: only the newest job of the group is answered (a reload
        that a newer reload replaces). ``keep``: answer even if this screen has gone."""
        node: Any = self
        app = node.app
        token = object()
        if exclusive:
            self._db_latest = {**getattr(self, "_db_latest", {}), group: token}

        def wanted() -> bool:
            if exclusive and getattr(node, "_db_latest", {}).get(group) is not token:
                return False
            return keep or node is app or node.is_attached

        def answer(callback: Callable[[Any], None] | None, value: Any) -> None:
            def deliver() -> None:
                if callback is not None and wanted():
                    callback(value)
            app.post_message(DbResult(deliver))

        def body() -> None:
            try:
                with worker_connection():
                    value: Any = work()
            except TuicrmError as e:
                answer(failed or self._db_refused, e)
                return
            except Exception as e:  # a bug: say so on screen, keep it in the log
                app.log.error(f"{group}: {type(e).__name__}: {e}")
                answer(self._db_broke, e)
                return
            answer(done, value)

        app.run_worker(body, name=group, group=group, thread=True, exit_on_error=False)

    def _db_refused(self, error: TuicrmError) -> None:
        node: Any = self
        node.app.bell()
        node.app.notify(str(error), severity="error", markup=False)

    def _db_broke(self, error: Exception) -> None:
        node: Any = self
        node.app.bell()
        node.app.notify(f"Something went wrong: {type(error).__name__}: {error}",
                        severity="error", markup=False)

    def on_db_result(self, message: DbResult) -> None:
        message.stop()
        message.deliver()
