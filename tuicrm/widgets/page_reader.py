"""The threads that read a list: its pages, its first rows, its row count.

A thread per read would open a database connection per page: on SQLite a fresh connection
starts with a cold page cache and reads the schema again (search + first page at 1M
customers: p95 76 ms that way, 15 ms on a warm connection). So a list's reads go to a reader
(a thread worker) that keeps its connection (``db.worker_connection``) while reads keep
coming and ends after ``IDLE`` seconds without one: nothing runs while the list is idle, and
no executor thread stays blocked when the app exits. A read that is no longer wanted when its
turn comes is skipped; when every reader is busy (a slow read the user has already moved
on from), another one starts, up to ``READERS``, so a new read never waits behind an old one.

A list's very first rows are read in a thread started at once, and the UI waits a moment for
them (``read_first``): a thread worker starts only when the event loop runs again, that is
after the screen's first frame, which would then show no rows (Customers at 1M rows: the
first rows painted ~30 ms later). Counts run in a thread worker each: they may take long, and
pages must not wait behind them.
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Callable
from functools import partial

from textual.widget import Widget

from ..data.core.db import interruptible, worker_connection
from .page_reads import CountRequest, CountResult, Request, Result

IDLE = 2.0  # seconds without a read before a reader (and its connection) ends
READERS = 2  # readers at most for one list

Deliver = Callable[[int, Result | CountResult | None, Exception | None], None]


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

    def read_first(self, request: Request, wait: float) -> Result | None:
        """Read in a thread started now; return the result if it comes within ``wait``
        seconds (the GIL is free meanwhile), else None: it is delivered when it comes."""
        arrived, lock, box = threading.Event(), threading.Lock(), []

        def read() -> None:
            try:
                with worker_connection():
                    result = request.run()
            except Exception as error:  # noqa: BLE001 - told to the user by the widget
                self._deliver(request.token, None, error)
                return
            with lock:
                if not arrived.is_set():  # still waited for
                    box.append(result)
                    arrived.set()
                    return
            self._deliver(request.token, result, None)

        threading.Thread(target=read, name="record-table first rows", daemon=True).start()
        arrived.wait(wait)
        with lock:
            arrived.set()
        return box[0] if box else None

    def count(self, request: CountRequest) -> None:
        """Count in a thread worker of its own."""
        self._widget.run_worker(partial(self._count, request), name="record-table count",
                                group="record-table-count", thread=True, exit_on_error=False)

    def _count(self, request: CountRequest) -> None:
        if request.stop.is_set():
            return  # the list was left before the count's turn came
        try:
            with worker_connection(), interruptible(request.stop):
                result = request.run()
        except Exception as error:  # noqa: BLE001 - told to the user by the widget
            self._deliver(request.token, None, error)
        else:
            self._deliver(request.token, result, None)

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
