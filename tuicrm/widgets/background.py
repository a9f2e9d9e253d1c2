"""Run one operation in a thread worker and hand its outcome back on the UI thread.

A write can wait several seconds on another terminal's lock (SQLite's busy timeout, a
PostgreSQL row lock); run on the UI thread, the screen would freeze that long (measured:
3,049 ms for a 3 s lock). Here the work runs in a thread with its own connection, and
``done(result)`` or ``failed(error)`` run on the UI thread afterwards, where the screen may
touch its widgets. Only errors an operation raises on purpose (``TuicrmError``) go to
``failed``; anything else is a defect and reaches Textual's worker error handling. Should the
node be gone by then (the user left the screen), neither is called, unless ``keep`` (a write
whose outcome must be told wherever the user is now). Given ``waiting``, a notice says so when
the work takes longer than ``WAIT_NOTICE`` seconds.

The worker belongs to the app, not to the node: leaving the screen right after asking (Esc
after Done) must not cancel a write before it started. With ``exclusive`` only the newest job
of the group is answered: a thread cannot be stopped, but the answer of a read that a newer
read replaced is dropped.
"""

from __future__ import annotations

from collections.abc import Callable
from contextlib import suppress
from typing import Any, TypeVar
from weakref import WeakKeyDictionary

from textual.dom import DOMNode
from textual.timer import Timer

from ..data.core.db import worker_connection
from ..data.core.errors import TuicrmError
from ..i18n import N_, _

T = TypeVar("T")

WAIT_NOTICE = 1.0  # seconds before a ``waiting`` notice is shown
# the usual ``waiting`` (translated where shown)
WAITING = N_("Waiting for another terminal to finish writing ...")

# node -> group -> the token of its newest exclusive job (older answers are dropped)
_NEWEST: WeakKeyDictionary[DOMNode, dict[str, object]] = WeakKeyDictionary()


def run_in_thread(
    node: DOMNode,
    work: Callable[[], T],
    done: Callable[[T], object],
    failed: Callable[[TuicrmError], object],
    *,
    name: str,
    exclusive: bool = False,
    waiting: str = "",
    keep: bool = False,
) -> None:
    """Run ``work()`` off the UI thread (worker group ``name``); see the module docstring
    for ``exclusive``, ``waiting`` and ``keep``."""
    app = node.app
    timer: Timer | None = None
    if waiting:
        timer = node.set_timer(WAIT_NOTICE, lambda: app.notify(_(waiting), markup=False))
    token = object()
    if exclusive:
        _NEWEST.setdefault(node, {})[name] = token

    def deliver(then: Callable[[Any], object], outcome: Any) -> None:
        if timer is not None:
            timer.stop()
        if not app.is_running:  # shutting down: the screens are being taken apart
            return
        if exclusive and _NEWEST.get(node, {}).get(name) is not token:
            return
        if keep or node is app or node.is_attached:
            then(outcome)

    def answer(then: Callable[[Any], object], outcome: Any) -> None:
        with suppress(RuntimeError):  # the app ended meanwhile: nobody to tell
            app.call_from_thread(deliver, then, outcome)

    def run() -> None:
        with worker_connection():
            try:
                result = work()
            except TuicrmError as e:
                answer(failed, e)
                return
        answer(done, result)

    app.run_worker(run, name=name, group=name, thread=True)
