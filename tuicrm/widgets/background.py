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
    """A ``run_db`` job ended: ``callback(value)`` runs on the UI thread."""

    def __init__(self, callback: Callable[[Any], None] | None, value: Any) -> None:
        super().__init__()
        self.callback = callback
        self.value = value


class Background:
    """Mixin for screens and widgets (put it before the Textual base class)."""

    def run_db(
        self,
        work: Callable[[], T],
        done: Callable[[T], None] | None = None,
        *,
        failed: Callable[[TuicrmError], None] | None = None,
        group: str = "db",
        exclusive: bool = False,
    ) -> None:
        """Run ``work`` in a thread worker; ``done(result)`` or ``failed(error)`` after, on
        the UI thread. ``exclusive``: a newer job of the same group makes an older one's
        result be dropped (a reload that a newer reload replaces)."""
        node: Any = self
        token = object()
        if exclusive:
            self._db_latest = {**getattr(self, "_db_latest", {}), group: token}

        def current() -> bool:
            return not exclusive or getattr(node, "_db_latest", {}).get(group) is token

        def finish(callback: Callable[[Any], None] | None) -> Callable[[Any], None]:
            def run(value: Any) -> None:
                if current() and callback is not None:
                    callback(value)
            return run

        def body() -> None:
            try:
                with worker_connection():
                    value: Any = work()
            except TuicrmError as e:
                node.post_message(DbResult(finish(failed or self._db_refused), e))
                return
            except Exception as e:  # a bug: say so on screen, keep it in the log
                node.log.error(f"{group}: {type(e).__name__}: {e}")
                node.post_message(DbResult(finish(self._db_broke), e))
                return
            node.post_message(DbResult(finish(done), value))

        node.run_worker(body, name=group, group=group, thread=True, exit_on_error=False)

    def _db_refused(self, error: TuicrmError) -> None:
        node: Any = self
        node.app.bell()
        node.notify(str(error), severity="error", markup=False)

    def _db_broke(self, error: Exception) -> None:
        node: Any = self
        node.app.bell()
        node.notify(f"Something went wrong: {type(error).__name__}: {error}",
                    severity="error", markup=False)

    def on_db_result(self, message: DbResult) -> None:
        message.stop()
        if message.callback is not None:
            message.callback(message.value)
