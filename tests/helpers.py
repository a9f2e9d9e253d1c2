"""Helpers shared by the Pilot tests: read the screen, log in, open a screen, wait.

``SIZE`` is the terminal every Pilot test runs in (80x24). ``screen_text`` is what the
terminal shows as plain text. ``log_in`` types a user name and password on the login screen
and (on success) goes from Today to Home; ``log_in_today`` stays on Today. ``logged_in``
runs an app under Pilot and logs in; ``open_screen`` logs in and presses a Home key.
``wait_for`` / ``sees`` poll a few frames for a condition (a list reloads in a worker; a frame
may be half painted); ``wait_until`` polls by time. ``list_ready`` waits until the lists on
screen show what was asked of them (their rows and count are read in workers);
``screen_ready`` until a given screen is shown with its lists.
"""

from __future__ import annotations

import time
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager

from textual._time import get_time
from textual._xterm_parser import XTermParser

from tuicrm.screens.today import TodayScreen

SIZE = (80, 24)


def screen_text(app) -> str:
    """What the terminal shows, as plain text (no styles)."""
    strips = app.screen._compositor.render_strips()
    return "\n".join("".join(seg.text for seg in strip) for strip in strips)


async def log_in(pilot, username: str, password: str) -> None:
    await pilot.press(*username, "tab", *password, "enter")
    await pilot.pause()
    if pilot.app.user is not None:  # logged in: Today comes first, Esc goes Home
        assert isinstance(pilot.app.screen, TodayScreen)
        await pilot.press("escape")
        await pilot.pause()


async def log_in_today(pilot, username: str, password: str) -> None:
    """Log in and stay on Today, the screen shown first."""
    await pilot.press(*username, "tab", *password, "enter")
    await pilot.pause()
    assert isinstance(pilot.app.screen, TodayScreen)


@asynccontextmanager
async def logged_in(app, username: str, password: str, today: bool = False,
                    size: tuple[int, int] = SIZE) -> AsyncIterator:
    """Run ``app`` under Pilot and log in: yields the pilot on Home (on Today if ``today``)."""
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        await (log_in_today if today else log_in)(pilot, username, password)
        yield pilot


async def open_screen(pilot, user: str, password: str, key: str, cls: type,
                      pause: float | None = None):
    """Log in as ``user``, press ``key`` on Home and return the ``cls`` screen it opens, once
    its lists show their rows. (``pause`` is ignored: the wait is for the screen itself.)"""
    await log_in(pilot, user, password)
    await pilot.press(key)
    await wait_for(pilot, lambda: isinstance(pilot.app.screen, cls)
                   and lists_ready(pilot.app))
    return pilot.app.screen


async def open_reports(pilot, user: str, password: str):
    """Log in as ``user``, open Reports (O on Home) and return it once its first report has
    run."""
    from tuicrm.screens.reports import ReportsScreen

    await log_in(pilot, user, password)
    await pilot.press("o")
    await wait_for(pilot, lambda: isinstance(pilot.app.screen, ReportsScreen)
                   and pilot.app.screen.result is not None)
    return pilot.app.screen


# How long a wait may take before the test fails: generous, because a loaded machine (CI, or
# several test runs at once) can be ten times slower than a quiet one; a passing test returns
# as soon as its condition holds, so the limit costs nothing.
WAIT_LIMIT = 30.0


async def wait_for(pilot, cond: Callable[[], object], timeout: float = WAIT_LIMIT) -> None:
    """Wait until ``cond()`` holds (checked every frame); fail showing the screen."""
    deadline = time.monotonic() + timeout
    while not cond():
        if time.monotonic() > deadline:
            raise AssertionError("condition not met; screen:\n" + screen_text(pilot.app))
        await pilot.pause(0.02)


def lists_ready(app) -> bool:
    """Whether every list (``RecordTable``) on the current screen has what was asked of it:
    no rows on their way, no typed key waiting for rows, the row count known."""
    from tuicrm.widgets.record_table import RecordTable

    return all(t.paged_query is None or (t.total is not None and not t.fetching
                                         and not t.counting)
               for t in app.screen.query(RecordTable))


async def list_ready(pilot) -> None:
    """Wait until the lists on screen show what was asked of them (after opening a list
    screen, a search, a refresh, a go-to or a jump to the end)."""
    await pilot.pause()
    await wait_for(pilot, lambda: lists_ready(pilot.app))


async def screen_ready(pilot, cls: type) -> None:
    """Wait until the current screen is a ``cls`` and its lists show their rows."""
    await pilot.pause()
    await wait_for(pilot, lambda: isinstance(pilot.app.screen, cls) and lists_ready(pilot.app))


async def sees(pilot, *needles: str) -> None:
    """Wait until every needle is on screen (a frame may be half painted)."""
    await wait_for(pilot, lambda: all(n in screen_text(pilot.app) for n in needles))


def send_burst(app, data: str) -> None:
    """What the driver does with one terminal read: parse it, post every key at once. The
    keys carry one time, the read's: this parse runs in the test's own task, and a stall of
    the test process in the middle of it (a loaded CI machine) stamped the rest of the keys
    late, a pause no terminal sent (one scan of 100 came out split)."""
    read_at = get_time()
    for event in XTermParser().feed(data):
        event.time = read_at
        app.post_message(event)


async def wait_until(pilot, condition: Callable[[], object], timeout: float = WAIT_LIMIT,
                     settle: float = 0.1) -> None:
    """Wait up to ``timeout`` seconds until ``condition()`` holds, then ``settle`` seconds
    more (and nothing more arrives)."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError("condition not met in time")
        await pilot.pause(0.02)
    await pilot.pause(settle)
