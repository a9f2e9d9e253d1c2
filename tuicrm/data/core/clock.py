"""The one clock every operation, list and screen reads "now" and "today" from.

A shop means local wall-clock time, to the second. Tests and the demo pin the clock to a fixed
moment so that nothing depends on the day a test runs (a demo built on the 31st, a reminder
"later today" at 23:59); the pinned clock still moves forward with real time from there, so
"5 minutes later" stays true. ``TUICRM_NOW=2026-06-15T10:00`` pins it for a whole process
(the pty tests start tuicrm that way).
"""

from __future__ import annotations

import datetime as dt
import os
import time
from collections.abc import Iterator
from contextlib import contextmanager

_pinned: tuple[dt.datetime, float] | None = None  # (the moment, time.monotonic() then)


def now() -> dt.datetime:
    """Local wall-clock time, to the second."""
    if _pinned is None:
        return dt.datetime.now().replace(microsecond=0)
    start, mono = _pinned
    return (start + dt.timedelta(seconds=time.monotonic() - mono)).replace(microsecond=0)


def today() -> dt.date:
    return now().date()


def pin(at: dt.datetime | None) -> None:
    """Make ``now()`` start from ``at`` (None: the real clock again)."""
    global _pinned
    _pinned = None if at is None else (at.replace(microsecond=0), time.monotonic())


@contextmanager
def pinned(at: dt.datetime) -> Iterator[None]:
    """``now()`` starts from ``at`` inside the block; the previous clock comes back after."""
    global _pinned
    before = _pinned
    pin(at)
    try:
        yield
    finally:
        _pinned = before


def _from_environment() -> None:
    value = os.environ.get("TUICRM_NOW", "").strip()
    if value:
        try:
            pin(dt.datetime.fromisoformat(value))
        except ValueError:
            raise SystemExit(f"TUICRM_NOW={value!r} is not an ISO date and time") from None


_from_environment()
