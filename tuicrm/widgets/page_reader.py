"""Thread workers that read a list's pages while the user works with it.

A thread per read would open a database connection per page: on SQLite a fresh connection
starts with a cold page cache and reads the schema again (search + first page at 1M
customers: p95 76 ms that way, 15 ms on a warm connection). So a list's reads go to a reader
(a thread worker) that keeps its connection (``db.worker_connection``) while reads keep
coming and ends after ``IDLE`` seconds without one: nothing runs while the list is idle, and
no executor thread stays blocked when the app exits. A read that is no longer wanted when its
turn comes is skipped; when every reader is busy (a slow read the user has already moved
on from), another one starts, up to ``READERS``, so a new read never waits behind an old one.
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Callable

from textual.widget import Widget

from ..data.core.db import worker_connection
from .page_reads import Request, Result

IDLE = 2.0  # seconds without a read before a reader (and its connection) ends
READERS = 3  # readers at most for one list

Deliver = Callable[[int, Result | None, Exception | None], None]


class PageReader:
    """Runs ``Request``s for ``widget`` in thread workers; ``wanted(token)`` says (in a
    worker thread) whether a request still matters; ``deliver`` is called in the worker
    thread with each result or error (it posts a message)."""

    def __init__(self, widget: Widget, wanted: Callable[[int], bool], deliver: Deliver) -> None:
        self._widget = widget
        self._wanted = wanted
        self._deliver = deliver
        self._requests: queue.SimpleQueue[Request | None] = queue.SimpleQueue()  # None: end
        self._lock = threading.Lock()
        self._running = 0  # readers started and not ended
        self._waiting = 0  # readers waiting for a request

    @property
    def running(self) -> int:
        """Readers started and not ended."""
        return self._running

    def read(self, request: Request) -> None:
        with self._lock:
            self._requests.put(request)
            if self._waiting or self._running >= READERS:
                return  # a waiting reader takes it (or the first one free)
            self._running += 1
        self._widget.run_worker(self._serve, name="record-table reader",
                                group="record-table-reader", thread=True, exit_on_error=False)

    def stop(self) -> None:
        """End the readers now (the widget goes away)."""
        with self._lock:
            for _ in range(self._running):
                self._requests.put(None)

    def _serve(self) -> None:
        with worker_connection():
            while (request := self._next()) is not None:
                if not self._wanted(request.token):
                    continue  # superseded while it waited
                try:
                    result = request.run()
                except Exception as error:  # noqa: BLE001 - told to the user by the widget
                    self._deliver(request.token, None, error)
                else:
                    self._deliver(request.token, result, None)

    def _next(self) -> Request | None:
        """The next request; None once idle for ``IDLE`` seconds (or told to stop)."""
        while True:
            with self._lock:
                self._waiting += 1
            idle = False
            try:
                request = self._requests.get(timeout=IDLE)
            except queue.Empty:
                request, idle = None, True
            with self._lock:
                self._waiting -= 1
                if idle and not self._requests.empty():
                    continue  # one came just as the wait ended
                if request is None:
                    self._running -= 1
                return request


__all__ = ["IDLE", "READERS", "PageReader"]
