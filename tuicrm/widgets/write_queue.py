"""WriteQueue: a screen's writes run one at a time, in the order asked, off the UI thread.

A write can wait seconds on another terminal's lock (SQLite's busy timeout, a PostgreSQL row
lock). Run on the UI thread, the screen froze that long (measured: 3,049 ms for a 3 s lock,
not one typed key echoed). Here writes run in a thread worker with its own connection; the
screen keeps drawing and taking keys meanwhile. They run strictly one after another, in the
order they were submitted - scans must be applied in the order they were scanned, and a
typed quantity after the scans before it - and each outcome comes back on the UI thread in
the same order (``done(result)`` or ``failed(error)``). A write that has run longer than
``WAIT_NOTICE`` seconds is announced through its ``waiting(n)`` callback (``n`` writes not
done yet), so a long lock says so instead of looking frozen. When everything submitted is
done the widget posts ``WriteQueue.Idle`` (refresh once after a burst, not per scan).

    yield WriteQueue(id="writes")           # in compose(); it takes no room
    writes.submit(lambda: count_scan(actor, count_id, code), self.scanned, self.refused,
                  waiting=lambda n: self.set_status(f"waiting for another terminal ({n})"))

Errors an operation raises on purpose (``TuicrmError``) go to ``failed``; so do errors of the
database driver (a lock still held when the busy timeout ran out), as ``DatabaseError``:
the screen says so and the next write is tried. Anything else is a defect and reaches
Textual's worker error handling.
"""

from __future__ import annotations

import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from queue import Empty, SimpleQueue
from typing import Any, ClassVar

from textual.message import Message
from textual.timer import Timer
from textual.widget import Widget
from textual.worker import get_current_worker

from ..data.core.db import worker_connection
from ..data.core.errors import DatabaseError, TuicrmError
from ..i18n import _

_DRIVER_MODULES = ("peewee", "sqlite3", "psycopg", "psycopg2")
_POLL = 0.2  # how often an idle worker looks whether it should end

Waiting = Callable[[int], object]


@dataclass(eq=False)
class _Job:
    work: Callable[[], Any]
    done: Callable[[Any], object]
    failed: Callable[[TuicrmError], object] | None
    waiting: Waiting | None
    started: float | None = field(default=None)  # set by the worker thread


def _as_error(error: Exception) -> TuicrmError | None:
    """The error a screen can show, or None for a defect."""
    if isinstance(error, TuicrmError):
        return error
    module = type(error).__module__.split(".")[0]
    if module in _DRIVER_MODULES:
        return DatabaseError(_("the database did not answer in time, nothing was saved: {error}").format(
            error=error))
    return None


class WriteQueue(Widget):
    """Runs submitted writes in order in a thread worker (see the module docstring)."""

    DEFAULT_CSS = """
    WriteQueue { display: none; }
    """

    WAIT_NOTICE: ClassVar[float] = 1.0  # seconds a write runs before ``waiting`` is called
    KEEP_ALIVE: ClassVar[float] = 30.0  # seconds the worker waits for more before it ends

    class Idle(Message):
        """Every write submitted so far is done."""

    class _Finished(Message, bubble=False):
        def __init__(self, job: _Job, ok: bool, value: Any) -> None:
            super().__init__()
            self.job = job
            self.ok = ok
            self.value = value

    class _Drained(Message, bubble=False):
        pass

    def __init__(self, *, waiting: Waiting | None = None, name: str | None = None,
                 id: str | None = None) -> None:  # noqa: A002 - Textual's name
        super().__init__(name=name, id=id)
        self.waiting = waiting  # for jobs without a ``waiting`` of their own
        self._queue: SimpleQueue[_Job] = SimpleQueue()
        self._pending: deque[_Job] = deque()  # submitted, outcome not handled yet
        self._current: _Job | None = None  # the job the worker runs now
        self._draining = False
        self._timer: Timer | None = None

    @property
    def pending(self) -> int:
        """Writes submitted whose outcome has not been handled yet."""
        return len(self._pending)

    def submit(self, work: Callable[[], Any], done: Callable[[Any], object],
               failed: Callable[[TuicrmError], object] | None = None, *,
               waiting: Waiting | None = None) -> None:
        """Run ``work()`` after every write submitted before it; then ``done(result)`` or
        ``failed(error)`` on the UI thread (``failed`` None: the error is only lost)."""
        job = _Job(work, done, failed, waiting)
        self._pending.append(job)
        self._queue.put(job)
        if not self._draining:
            self._start()
        if self._timer is None:
            self._timer = self.set_timer(self.WAIT_NOTICE, self._look)

    def _start(self) -> None:
        self._draining = True
        self.run_worker(self._drain, thread=True, name="writes", group="write-queue")

    def _drain(self) -> None:
        """The worker: run queued jobs until none has come for ``KEEP_ALIVE`` seconds, then
        say so. Staying a while keeps its connection and page cache warm: a new thread and
        connection for every scan at 5 scans/s cost more than the scan itself."""
        worker = get_current_worker()
        with worker_connection():
            idle_since = time.monotonic()
            while True:
                try:
                    job = self._queue.get(timeout=_POLL)
                except Empty:
                    if worker.is_cancelled or time.monotonic() - idle_since >= self.KEEP_ALIVE:
                        break
                    continue
                job.started = time.monotonic()
                self._current = job
                try:
                    value, ok = job.work(), True
                except Exception as e:
                    error = _as_error(e)
                    if error is None:
                        raise
                    value, ok = error, False
                self._current = None
                self.post_message(self._Finished(job, ok, value))
                idle_since = time.monotonic()
        self.post_message(self._Drained())

    def on_write_queue__finished(self, message: _Finished) -> None:
        message.stop()
        job = self._pending.popleft()
        assert job is message.job, "outcomes come back in the order submitted"
        if message.ok:
            job.done(message.value)
        elif job.failed is not None:
            job.failed(message.value)
        if not self._pending:
            if self._timer is not None:
                self._timer.stop()
                self._timer = None
            self.post_message(self.Idle())

    def on_write_queue__drained(self, message: _Drained) -> None:
        message.stop()
        self._draining = False
        if not self._queue.empty():  # submitted after the worker looked for the last time
            self._start()

    def _look(self) -> None:
        """Timer: announce a write that has run longer than ``WAIT_NOTICE``."""
        self._timer = None
        if not self._pending:
            return
        job, now = self._current, time.monotonic()
        if job is not None and job.started is not None and now - job.started >= self.WAIT_NOTICE:
            say = job.waiting or self.waiting
            if say is not None:
                say(len(self._pending))
        self._timer = self.set_timer(self.WAIT_NOTICE / 4, self._look)

