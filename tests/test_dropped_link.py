"""A dropped link ends the app (issue 16): a hang-up or a closed terminal leaves no process
behind, spinning or not, and what the session committed stays; without a terminal the app
does not start at all."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

import pytest

from tests.terminal import AppPty

pytestmark = pytest.mark.pty


def _exit_status(pid: int, timeout: float = 10.0) -> int | None:
    """The wait status of ``pid`` once it has ended, or None if it is still running."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        done, status = os.waitpid(pid, os.WNOHANG)
        if done:
            return status
        time.sleep(0.02)
    return None


def _login_events(db: str) -> list[tuple[str, str, str]]:
    from tuicrm.data.core import db as dbmod
    from tuicrm.data.core import schema
    from tuicrm.data.models import LoginEvent

    schema.open_db(db)
    try:
        return [(e.username, e.event, e.detail)
                for e in LoginEvent.select().order_by(LoginEvent.id)]
    finally:
        dbmod.close()


@pytest.fixture
def app_db(db, admin) -> str:
    from tuicrm.data.core import db as dbmod

    dbmod.close()  # the app opens the database itself
    return db


def test_closing_the_terminal_ends_the_app_and_logs_the_hang_up(app_db, password):
    """If an SSH link drops, the session's process must not live on (and spin)."""
    term = AppPty(app_db)
    try:
        term.log_in("admin", password)
        os.close(term.fd)  # what sshd does when the client goes away
        status = _exit_status(term.pid)
    finally:
        if _exit_status(term.pid, 0) is None:
            term.kill()
    assert status is not None, "the app outlived its terminal"
    events = [(name, event) for name, event, _detail in _login_events(app_db)]
    # What the session committed stays; the hang-up is noted when the write makes it within
    # the 1.5 s the app gives itself (best effort: a loaded machine may not).
    assert ("admin", "login") in events
    assert events[-1] in (("admin", "login"), ("admin", "hang-up"))


def test_a_hang_up_signal_ends_the_app_cleanly(app_db, password):
    """SIGHUP with the terminal still there: the app leaves normally (status 0)."""
    term = AppPty(app_db)
    try:
        term.log_in("admin", password)
        os.kill(term.pid, signal.SIGHUP)
        status = _exit_status(term.pid)
    finally:
        if _exit_status(term.pid, 0) is None:
            term.kill()
    assert status is not None and os.waitstatus_to_exitcode(status) == 0
    assert _login_events(app_db)[-1][:2] == ("admin", "hang-up")


def test_a_hang_up_at_the_login_screen_ends_the_app(app_db):
    term = AppPty(app_db)
    try:
        term.wait_for("log in")
        os.close(term.fd)
        status = _exit_status(term.pid)
    finally:
        if _exit_status(term.pid, 0) is None:
            term.kill()
    assert status is not None


@pytest.mark.parametrize("stdin", [subprocess.DEVNULL, subprocess.PIPE])
def test_without_a_terminal_the_app_refuses_with_one_line(app_db, stdin):
    """``ssh -T`` into the kiosk: one line saying why, exit 1, no app spinning on no input."""
    done = subprocess.run([sys.executable, "-m", "tuicrm.cli", "--db", app_db], stdin=stdin,
                          capture_output=True, text=True, timeout=60, input=None)
    assert done.returncode == 1
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and "needs a terminal" in lines[0], done.stderr
