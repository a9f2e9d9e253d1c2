"""A report run in a worker thread that the screen can stop (Esc) at any moment."""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Callable, Mapping
from typing import Any

from ..data.core.actor import Actor
from ..data.core.errors import TuicrmError
from ..i18n import _
from .engine import Cancelled, Result, run_report


class ReportRun:
    """One run of a report in a worker thread that the screen may stop at any moment.

    ``run()`` (in the worker) runs the report on that thread's connection; ``stop()`` (from
    the UI thread) sets the cancel flag the report checks between steps and interrupts the
    statement running now (SQLite ``interrupt``, PostgreSQL ``cancel``), so Esc stops even a
    long GROUP BY at once. A stopped run raises ``Cancelled``.
    """

    def __init__(self, actor: Actor, name: str, params: Mapping[str, Any] | None = None,
                 progress: Callable[[int, int], None] | None = None) -> None:
        self.actor = actor
        self.name = name
        self.params = dict(params or {})
        self.progress = progress
        self.cancel = threading.Event()
        self._connection: Any = None

    def run(self) -> Result:
        from ..data.core.db import database

        self._connection = database.connection()
        try:
            return run_report(self.actor, self.name, self.params, progress=self.progress,
                              cancel=self.cancel)
        except Exception as e:
            if self.cancel.is_set() and not isinstance(e, TuicrmError):
                raise Cancelled(_("report cancelled")) from None
            raise
        finally:
            self._connection = None

    def stop(self) -> None:
        self.cancel.set()
        connection = self._connection
        if connection is None:
            return
        for method in ("interrupt", "cancel"):  # sqlite3 / psycopg
            stop = getattr(connection, method, None)
            if stop is not None:
                with contextlib.suppress(Exception):  # the statement ended meanwhile
                    stop()
                return
